//! Maintenance windows, as the shell sees it.

use super::server::{ScheduleMaintenance, StartMaintenance};
use crate::ui::feature::Feature;
use crate::ui::posted::KeptInput;

pub const FEATURE: Feature = Feature {
    name: "maintenance",
    kept_input: &[
        KeptInput::of::<StartMaintenance>(&["minutes", "message"]),
        KeptInput::of::<ScheduleMaintenance>(&["starts", "ends", "message"]),
    ],
};
