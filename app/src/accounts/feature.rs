//! The accounts feature, as the shell sees it.

use super::server::{CreateAccount, CreateOrganisation};
use crate::ui::feature::Feature;
use crate::ui::posted::KeptInput;

pub const FEATURE: Feature = Feature {
    name: "accounts",
    kept_input: &[
        KeptInput::of::<CreateOrganisation>(&["name", "slug"]),
        KeptInput::of::<CreateAccount>(&["email", "display_name", "role", "organisation"]),
    ],
};
