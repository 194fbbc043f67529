//! Shared components: layout, navigation, page titles, flash messages, form errors, the
//! islands' loader, messages, error pages.

pub mod feature;
pub mod flash;
pub mod forms;
pub mod gate;
pub mod islands;
pub mod layout;
pub mod loading;
pub mod messages;
pub mod modal;
pub mod not_found;
pub mod page_data;
pub mod posted;
#[cfg(feature = "ssr")]
pub mod request_body;
pub mod table;
pub mod title;
pub mod url;
