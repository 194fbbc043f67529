//! Shared components: layout, navigation, toasts, messages, error pages.

pub mod flash;
pub mod forms;
pub mod layout;
pub mod loading;
pub mod messages;
pub mod table;
pub mod title;
pub mod toast;
pub mod url;
