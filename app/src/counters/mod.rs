//! Footfall counters: shops and their counters, store groups, daily counts received through the
//! REST API or CSV files, the dashboards and the zero-entry / offline / no-data alerts.

pub mod alert_item;
#[cfg(feature = "ssr")]
pub mod api;
pub mod board;
pub mod charts;
#[cfg(feature = "ssr")]
pub mod csv_input;
pub mod dashboard;
#[cfg(feature = "ssr")]
pub mod db;
pub mod feature;
pub mod groups;
pub mod http;
#[cfg(feature = "ssr")]
pub mod ingest;
pub mod pages;
pub mod paths;
// Server-side: the rules need IANA time zones (chrono-tz), which the browser build does not carry.
#[cfg(feature = "ssr")]
pub mod rules;
pub mod server;
#[cfg(feature = "ssr")]
pub mod stats;
#[cfg(feature = "ssr")]
pub mod types;
pub mod views;
pub mod widgets;

use serde::{Deserialize, Serialize};

/// A shop's counter as the management screen edits it (form strings, checked on the server).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteFields {
    /// Empty for a new counter.
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub shop_code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub ip: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub opens_at: String,
    #[serde(default)]
    pub closes_at: String,
    #[serde(default)]
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteView {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub shop_code: String,
    pub name: String,
    pub ip: Option<String>,
    pub country: String,
    pub city: String,
    pub opens_at: String,
    pub closes_at: String,
    pub time_zone: String,
    pub operational: bool,
    pub not_operational_reason: Option<String>,
    /// `22/11/2026 14:05`, Paris time.
    pub updated_at: String,
    /// The last local day with data, `22/11/2026`.
    pub last_day: Option<String>,
    pub groups: Vec<GroupRef>,
}

impl SiteView {
    pub fn fields(&self) -> SiteFields {
        SiteFields {
            id: self.id.to_string(),
            organisation_id: self.organisation_id.to_string(),
            shop_code: self.shop_code.clone(),
            name: self.name.clone(),
            ip: self.ip.clone().unwrap_or_default(),
            country: self.country.clone(),
            city: self.city.clone(),
            opens_at: self.opens_at.clone(),
            closes_at: self.closes_at.clone(),
            time_zone: self.time_zone.clone(),
        }
    }
}

/// The counter list's query (all strings from the URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteFilter {
    #[serde(default)]
    pub organisation_id: String,
    /// Matches the shop code, name or city.
    #[serde(default)]
    pub search: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub group_id: String,
    #[serde(default)]
    pub page: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SitePage {
    pub items: Vec<SiteView>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreGroup {
    pub id: i64,
    pub organisation_id: i64,
    pub name: String,
    pub members: i64,
}

/// An API token as listed (the secret itself is shown once, at creation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenView {
    pub id: i64,
    pub organisation_id: i64,
    pub name: String,
    /// `cpt_AbCdEfGh…`
    pub display_prefix: String,
    pub created_at: String,
    pub created_by: Option<String>,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub token: String,
    pub view: TokenView,
}

/// Why a row of counts was refused. The codes are part of the public API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// The row is not a JSON object.
    NotAnObject,
    /// A CSV line without the expected number of fields.
    WrongFieldCount,
    /// A CSV line that is not valid UTF-8.
    NotUtf8,
    MissingShopCode,
    /// No shop with this code in the token's organisation.
    UnknownShop,
    MissingDate,
    /// Not `YYYY-MM-DD` (CSV also takes `DD/MM/YYYY`), or not a real date.
    BadDate,
    /// Before 2000-01-01 (`rules::EARLIEST_COUNT_DAY`): no counter counted then.
    DateOutOfRange,
    /// After the shop's current local day.
    FutureDate,
    MissingEntries,
    /// Not a whole number.
    BadCount,
    NegativeCount,
    /// Above 2 147 483 647.
    CountTooLarge,
    /// The same shop and day appear again later in the batch; the later row wins.
    Superseded,
}

/// One refused row: its index in the JSON array (from 0) or its CSV line (from 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub position: u64,
    pub reason: RejectReason,
    /// What was wrong, in French (the field, the value, or the row that replaced this one).
    pub message: String,
}

/// What an ingestion did. At most [`MAX_REPORTED`] rejections are listed; `rejected_total`
/// counts them all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestReport {
    /// Rows written (a row equal to the stored one counts as accepted).
    pub accepted: u64,
    pub rejected_total: u64,
    pub rejected: Vec<Rejection>,
}

pub const MAX_REPORTED: usize = 1000;

/// A stored CSV import and its report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub file_name: String,
    pub created_at: String,
    pub created_by: Option<String>,
    pub report: IngestReport,
}
