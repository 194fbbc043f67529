//! Footfall counters, as the shell sees it.

use super::server::{
    CreateApiToken, CreateStoreGroup, RenameStoreGroup, SaveSite, SetSiteOperational,
};
use crate::ui::feature::Feature;
use crate::ui::posted::KeptInput;

pub const FEATURE: Feature = Feature {
    name: "counters",
    kept_input: &[
        KeptInput::of::<SaveSite>(&[
            "fields[id]",
            "fields[organisation_id]",
            "fields[shop_code]",
            "fields[name]",
            "fields[ip]",
            "fields[country]",
            "fields[city]",
            "fields[opens_at]",
            "fields[closes_at]",
            "fields[time_zone]",
        ]),
        KeptInput::of::<SetSiteOperational>(&["reason"]),
        KeptInput::of::<CreateStoreGroup>(&["name"]),
        KeptInput::of::<RenameStoreGroup>(&["group_id", "name"]),
        // The token's name; the token itself is made by the server, never posted.
        KeptInput::of::<CreateApiToken>(&["name"]),
    ],
};
