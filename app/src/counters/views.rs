//! What the client dashboards show (the organisation's overview, one shop's history, the
//! counter alerts): plain data, serialisable, computed by `stats` and drawn by `board`.

use super::GroupRef;
use serde::{Deserialize, Serialize};

/// The dashboard's query, as strings from the URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardFilter {
    /// Admins only; members always see their own organisation.
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub group_id: String,
    /// `30` (default) or `90`.
    #[serde(default)]
    pub days: String,
}

/// One day of a chart: `None` is "no data", never drawn or summed as 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartDay {
    /// `2026-11-22`, for exports and links.
    pub iso: String,
    /// `22/11/2026`.
    pub date: String,
    pub entries: Option<u64>,
}

/// A period against its reference period, for a comparison card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    pub current: Option<u64>,
    pub previous: Option<u64>,
    /// Tenths of a percent; `None` when either side has no data or the reference is 0.
    pub permille: Option<i64>,
    /// `17/11/2026 → 22/11/2026`.
    pub current_span: String,
    pub previous_span: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopShop {
    pub rank: usize,
    pub site_id: i64,
    pub shop_code: String,
    pub name: String,
    pub entries: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub groups: Vec<GroupRef>,
    pub group: Option<GroupRef>,
    pub days: i64,
    pub operational: i64,
    pub total: i64,
    /// `11/2026`: the month of the top 10.
    pub month: String,
    pub top: Vec<TopShop>,
    pub trend: Vec<ChartDay>,
    pub week: Comparison,
    pub month_to_date: Comparison,
    pub open_alerts: i64,
    /// `14:05:32`, Paris time: when these figures were read.
    pub refreshed_at: String,
}

/// One shop as its page heads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopSummary {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub shop_code: String,
    pub name: String,
    pub city: String,
    pub country: String,
    pub time_zone: String,
    pub opens_at: String,
    pub closes_at: String,
    pub operational: bool,
    pub not_operational_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayFigure {
    pub date: String,
    pub entries: u64,
}

/// A run of consecutive days without data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    pub first: String,
    pub last: String,
    pub days: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopReport {
    pub site: ShopSummary,
    /// The range shown, `YYYY-MM-DD` (for the date inputs).
    pub from: String,
    pub to: String,
    pub days: Vec<ChartDay>,
    pub exits: Vec<Option<u64>>,
    pub total: Option<u64>,
    /// Per day with data.
    pub average: Option<u64>,
    pub days_with_data: i64,
    pub best: Option<DayFigure>,
    pub worst: Option<DayFigure>,
    pub gaps: Vec<Gap>,
    pub refreshed_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AlertKind {
    ZeroEntries,
    Offline,
    /// The counter still calls in but has stored no day for N days (`COMPTOIR_NO_DATA_DAYS`).
    NoData,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterAlertView {
    pub id: i64,
    pub kind: AlertKind,
    pub organisation_name: String,
    pub site_id: i64,
    pub shop_code: String,
    pub shop_name: String,
    /// The day with 0 entries, the last day data was received (offline) or the last day with
    /// data (no data).
    pub day: String,
    /// No data: the days from `day` to the next day with data, or to today while none has come.
    pub days: Option<i64>,
    /// `23/11/2026 à 07:00`.
    pub detected_at: String,
    /// Entries arrived since (a corrected day, a counter back online, a later day stored).
    pub recovered: bool,
    pub acknowledged_at: Option<String>,
    pub acknowledged_by: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertFilter {
    #[serde(default)]
    pub organisation_id: String,
    /// `toutes` lists acknowledged alerts too.
    #[serde(default)]
    pub show: String,
    #[serde(default)]
    pub page: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertPage {
    pub organisation_id: Option<i64>,
    pub items: Vec<CounterAlertView>,
    pub total: i64,
    pub open: i64,
    pub page: i64,
    pub per_page: i64,
    pub refreshed_at: String,
}
