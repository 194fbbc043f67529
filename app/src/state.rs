//! Server-side state handed to every server function through the Leptos context.

use crate::auth::rules::SessionPolicy;
use crate::error::{AppError, AppResult};
use leptos::prelude::use_context;
use sqlx::PgPool;

#[derive(Clone, Debug)]
pub struct ServerState {
    pub pool: PgPool,
    pub sessions: SessionPolicy,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    pub maintenance: crate::maintenance::cache::MaintenanceCache,
    /// Outgoing e-mail (SMTP, or the development outbox).
    pub mailer: std::sync::Arc<crate::documents::mail::Mailer>,
    /// The site is served over HTTPS: cookies set by handlers get `Secure`.
    pub secure_cookies: bool,
}

/// The state of the current request's server.
pub fn server_state() -> AppResult<ServerState> {
    use_context::<ServerState>().ok_or_else(|| {
        tracing::error!("ServerState missing from the Leptos context");
        AppError::Internal
    })
}
