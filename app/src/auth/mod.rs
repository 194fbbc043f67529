//! Authentication: identity types, login rules, the role guard, sessions.

#[cfg(feature = "ssr")]
pub mod ctx;
#[cfg(feature = "ssr")]
pub mod db;
pub mod feature;
#[cfg(feature = "ssr")]
pub mod guard;
#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod password;
pub mod rules;
pub mod server;
pub mod types;
