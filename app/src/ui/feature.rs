//! What a feature brings to the shell. Each feature folder exports one [`Feature`]; the
//! application's list of them (`crate::features`) is what the shared parts iterate, so that
//! adding a feature means adding its folder and one line there.

use super::posted::KeptInput;

/// One feature's contributions to the shared parts.
#[derive(Debug, Clone, Copy)]
pub struct Feature {
    /// A short name for logs and tests (`invoicing`).
    pub name: &'static str,
    /// Its forms' fields kept when a form is refused without JavaScript (see `ui::posted`).
    pub kept_input: &'static [KeptInput],
}
