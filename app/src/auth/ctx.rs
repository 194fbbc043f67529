//! The one server-side context every server function starts from: who calls, over which
//! organisations, with the shared state. The place the audit trail will read "who" from.

use super::guard::{self, Caller, Scope};
use super::types::Role;
use crate::error::AppResult;
use crate::i18n::Locale;
use crate::state::{ServerState, server_state};
use sqlx::PgPool;

/// Who calls, and the server's state, for the length of one server function.
pub struct Ctx {
    pub caller: Caller,
    pub state: ServerState,
}

impl Ctx {
    /// The signed-in caller if their role is one of `roles` (else 401 anonymous / 403), and the
    /// server state.
    pub fn require(roles: &[Role]) -> AppResult<Ctx> {
        let caller = guard::require(roles)?;
        let state = server_state()?;
        Ok(Ctx { caller, state })
    }

    /// Any signed-in user.
    pub fn signed_in() -> AppResult<Ctx> {
        Ctx::require(&Role::ALL)
    }

    pub fn pool(&self) -> &PgPool {
        &self.state.pool
    }

    /// Which organisations' rows the caller may see.
    pub fn scope(&self) -> Scope {
        self.caller.scope()
    }

    pub fn user_id(&self) -> i64 {
        self.caller.user.id
    }

    pub fn role(&self) -> Role {
        self.caller.user.role
    }

    /// The caller's own organisation (features that work inside one, such as invoicing).
    pub fn organisation_id(&self) -> i64 {
        self.caller.user.organisation_id
    }

    /// Refuses (403) unless the caller may act on rows of `organisation_id`.
    pub fn check_organisation(&self, organisation_id: i64) -> AppResult<()> {
        self.caller.check_organisation(organisation_id)
    }

    /// The language of the request (French by default), for texts built on the server.
    pub fn locale(&self) -> Locale {
        crate::ui::flash::request_locale()
    }
}
