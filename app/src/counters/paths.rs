//! The counters' addresses, in one place: pages, handlers and links all take them from here.

/// The client dashboard.
pub const DASHBOARD_PATH: &str = "/compteurs";
/// The counter alerts of the client dashboard.
pub const ALERTS_PATH: &str = "/compteurs/alertes";
/// The CSV export of what the dashboards show (a plain link).
pub const EXPORT_PATH: &str = "/compteurs/export.csv";
/// The agency's counter list and editor.
pub const LIST_PATH: &str = "/admin/compteurs";
/// The CSV import page, with its reports and history.
pub const IMPORT_PAGE: &str = "/admin/compteurs/import";
/// Where the import form posts (a multipart handler, not a server function).
pub const IMPORT_PATH: &str = "/admin/compteurs/importer";
/// The API tokens page.
pub const TOKENS_PAGE: &str = "/admin/compteurs/jetons";

/// One shop's history.
pub fn shop_path(id: i64) -> String {
    format!("/compteurs/magasins/{id}")
}
