//! Sections that only some roles may use (invoicing, the counters' administration). The others
//! get the 403 page alone: the section's tabs would list pages they cannot open, and its pages
//! would each ask the server for data it refuses them.

use crate::auth::types::Role;
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::layout::use_current_user;
use crate::ui::title::PageTitle;
use leptos::prelude::*;

/// Who may open the invoicing section (its server functions answer the same).
pub const INVOICING: &[Role] = &Role::BOOKKEEPING;
/// Who may open the counters' administration.
pub const COUNTERS_ADMIN: &[Role] = &[Role::Admin];

/// Renders `children` (a section with its tabs and pages) for `roles`, the 403 page for the
/// others. Inside the layout, which has resolved the signed-in user before its routes render.
#[component]
pub fn RoleGate(roles: &'static [Role], children: Children) -> impl IntoView {
    if use_current_user().is_some_and(|user| roles.contains(&user.role)) {
        return children().into_any();
    }
    view! { <Forbidden /> }.into_any()
}

/// The 403 page inside the layout: its status, its title and a way home.
#[component]
pub fn Forbidden() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(axum::http::StatusCode::FORBIDDEN);
    }
    view! {
        <PageTitle text=|i| t_string!(i, errors.forbidden_title).to_string() />
        <section class="panel error-panel" data-status="403">
            <h1>{t!(i18n, errors.forbidden_title)}</h1>
            <p class="notice notice-error" role="alert">{t!(i18n, errors.forbidden)}</p>
            <a href="/">{t!(i18n, errors.back_home)}</a>
        </section>
    }
}
