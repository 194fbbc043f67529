//! Organisations (tenants) and the accounts that belong to them.

#[cfg(feature = "ssr")]
pub mod db;
pub mod feature;
pub mod pages;
pub mod server;

use crate::auth::types::Role;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationSummary {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub is_agency: bool,
    pub accounts: i64,
    /// `dd/mm/yyyy`, Europe/Paris.
    pub created_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub disabled: bool,
    pub created_on: String,
}

/// What an admin gets back after creating an account: the password is shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedAccount {
    pub id: i64,
    pub email: String,
    pub initial_password: String,
}
