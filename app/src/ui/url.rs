//! Building local URLs: query values are percent-encoded with the `percent-encoding` crate.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but unreserved characters and `/` (kept readable in `next=/compte`).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

pub fn encode_query_value(raw: &str) -> String {
    utf8_percent_encode(raw, QUERY_VALUE).to_string()
}

/// `path?…` with the current parameters minus `drop`, then `add` (`path` alone when none).
pub fn with_query<'a>(
    path: &str,
    current: impl IntoIterator<Item = (String, String)>,
    drop: &[&str],
    add: impl IntoIterator<Item = (&'a str, String)>,
) -> String {
    let params: Vec<String> = current
        .into_iter()
        .filter(|(k, _)| !drop.contains(&k.as_str()))
        .chain(add.into_iter().map(|(k, v)| (k.to_owned(), v)))
        .map(|(k, v)| format!("{k}={}", encode_query_value(&v)))
        .collect();
    if params.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", params.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_encoded_and_parameters_replaced() {
        assert_eq!(encode_query_value("/compte?x=1&y"), "/compte%3Fx%3D1%26y");
        let current = vec![
            ("q".to_owned(), "Café 2".to_owned()),
            ("page".to_owned(), "3".to_owned()),
        ];
        assert_eq!(
            with_query("/f", current, &["page"], [("page", "1".to_owned())]),
            "/f?q=Caf%C3%A9%202&page=1"
        );
        assert_eq!(with_query("/f", Vec::new(), &[], []), "/f");
    }
}
