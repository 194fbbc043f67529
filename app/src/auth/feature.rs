//! Signing in and out, as the shell sees it.

use crate::ui::feature::Feature;
use crate::ui::posted::KeptInput;

/// The sign-in form (a handler, not a server function): its address is kept, never the
/// password.
pub const SIGN_IN_KEPT: KeptInput = KeptInput {
    path: "/login",
    fields: &["email"],
};

pub const FEATURE: Feature = Feature {
    name: "auth",
    kept_input: &[SIGN_IN_KEPT],
};
