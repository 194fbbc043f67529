//! Maintenance windows: between a start and an end, every request gets the maintenance page
//! (status 503, `Retry-After`), except admins, testers holding the bypass cookie and the health
//! endpoints. Nothing needs switching off: outside the window, nothing happens.

#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod db;
pub mod feature;
#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rules;
pub mod server;

use serde::{Deserialize, Serialize};

/// What the signed-in user is told in the banner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    /// In progress (seen by admins and testers) rather than announced.
    pub active: bool,
    /// `dd/mm/yyyy à hh:mm`, Europe/Paris.
    pub starts: String,
    pub ends: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WindowState {
    Upcoming,
    Active,
    Over,
}

/// A window in the admin list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowView {
    pub id: i64,
    pub starts: String,
    pub ends: String,
    pub message: String,
    pub state: WindowState,
    /// `/maintenance/acces/<secret>`: opening it lets a tester through during the window.
    pub bypass_path: String,
}
