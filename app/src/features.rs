//! The features the application serves: the one list the shared parts iterate.

use crate::ui::feature::Feature;
use crate::ui::posted::KeptInput;
use std::sync::LazyLock;

pub const FEATURES: &[Feature] = &[
    crate::auth::feature::FEATURE,
    crate::accounts::feature::FEATURE,
    crate::counters::feature::FEATURE,
    crate::invoicing::feature::FEATURE,
    crate::documents::feature::FEATURE,
    crate::alerts::feature::FEATURE,
    crate::maintenance::feature::FEATURE,
];

/// Every form that keeps its input when refused, from every feature.
pub fn kept_input() -> &'static [KeptInput] {
    static ALL: LazyLock<Vec<KeptInput>> = LazyLock::new(|| {
        FEATURES
            .iter()
            .flat_map(|f| f.kept_input.iter().copied())
            .collect()
    });
    &ALL
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::posted::looks_secret;
    use std::collections::HashSet;

    #[test]
    fn no_form_keeps_a_secret() {
        for kept in kept_input() {
            for field in kept.fields {
                assert!(!looks_secret(field), "{} keeps {field}", kept.path);
            }
        }
    }

    #[test]
    fn each_form_is_listed_once_by_one_feature() {
        let mut paths = HashSet::new();
        for kept in kept_input() {
            assert!(paths.insert(kept.path), "{} listed twice", kept.path);
            assert!(
                kept.path.starts_with("/api/") || kept.path == "/login",
                "{}",
                kept.path
            );
        }
        let names: HashSet<_> = FEATURES.iter().map(|f| f.name).collect();
        assert_eq!(names.len(), FEATURES.len());
    }
}
