//! Footfall counters (issue 3, in progress): the pure rules come first; storage, ingestion and
//! the dashboards build on them.

// Server-side for now: the rules need IANA time zones (chrono-tz), which the browser build does
// not carry.
#[cfg(feature = "ssr")]
pub mod rules;
