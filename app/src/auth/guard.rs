//! The one guard every server function goes through: who is calling, may they, and over which
//! organisations.

use super::types::{Role, SessionUser};
use crate::error::{AppError, AppResult};
use axum::http::StatusCode;
use axum::http::request::Parts;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// The authenticated caller, put into the request extensions by the session middleware.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user: SessionUser,
}

/// Which organisations' rows a caller may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Organisation(i64),
}

impl Scope {
    /// The organisation filter for SQL: `None` means every organisation.
    pub fn organisation_filter(self) -> Option<i64> {
        match self {
            Scope::All => None,
            Scope::Organisation(id) => Some(id),
        }
    }

    pub fn allows(self, organisation_id: i64) -> bool {
        match self {
            Scope::All => true,
            Scope::Organisation(id) => id == organisation_id,
        }
    }
}

impl Caller {
    pub fn scope(&self) -> Scope {
        match self.user.role {
            Role::Admin => Scope::All,
            _ => Scope::Organisation(self.user.organisation_id),
        }
    }

    /// Refuses unless the caller may act on rows of `organisation_id`.
    pub fn check_organisation(&self, organisation_id: i64) -> AppResult<()> {
        if self.scope().allows(organisation_id) {
            Ok(())
        } else {
            Err(refuse(AppError::Forbidden))
        }
    }
}

/// The caller of the current request, if signed in.
pub fn current_caller() -> Option<Caller> {
    use_context::<Parts>().and_then(|parts| parts.extensions.get::<Caller>().cloned())
}

/// Resolves the caller and checks their role. Every server function starts here, through
/// `crate::auth::ctx::Ctx::require`.
pub fn require(roles: &[Role]) -> AppResult<Caller> {
    let caller = current_caller().ok_or_else(|| refuse(AppError::Unauthenticated))?;
    if roles.contains(&caller.user.role) {
        Ok(caller)
    } else {
        Err(refuse(AppError::Forbidden))
    }
}

/// Any signed-in user.
pub fn require_user() -> AppResult<Caller> {
    require(&Role::ALL)
}

fn refuse(err: AppError) -> AppError {
    if let Some(resp) = use_context::<ResponseOptions>() {
        let status = match err {
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            _ => StatusCode::FORBIDDEN,
        };
        resp.set_status(status);
    }
    err
}
