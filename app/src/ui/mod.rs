//! Shared components: layout, navigation, page titles, flash messages, form errors, toasts
//! (features not yet islands-ready), messages, error pages.

pub mod flash;
pub mod forms;
pub mod layout;
pub mod loading;
pub mod messages;
pub mod modal;
pub mod posted;
pub mod table;
pub mod title;
pub mod toast;
pub mod url;
