//! Documents (PDF, Factur-X, e-mail), as the shell sees it.

use super::server::SendDocument;
use crate::ui::feature::Feature;
use crate::ui::posted::KeptInput;

pub const FEATURE: Feature = Feature {
    name: "documents",
    kept_input: &[KeptInput::of::<SendDocument>(&["to", "subject", "body"])],
};
