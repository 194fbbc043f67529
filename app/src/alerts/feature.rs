//! The update alerts feature, as the shell sees it.

use super::server::{SaveAlert, SaveAlertSchedule};
use crate::ui::feature::Feature;
use crate::ui::posted::KeptInput;

pub const FEATURE: Feature = Feature {
    name: "alerts",
    kept_input: &[
        KeptInput::of::<SaveAlert>(&[
            "fields[title]",
            "fields[message]",
            "fields[kind]",
            "fields[audience]",
            "fields[scope]",
            "fields[lifetime_days]",
        ]),
        KeptInput::of::<SaveAlertSchedule>(&[
            "name",
            "active",
            "template[title]",
            "template[message]",
            "template[kind]",
            "template[audience]",
            "template[scope]",
            "template[lifetime_days]",
            "timing[interval_weeks]",
            "timing[weekday]",
            "timing[local_time]",
            "timing[time_zone]",
            "timing[first_date]",
        ]),
    ],
};
