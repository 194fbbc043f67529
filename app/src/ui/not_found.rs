//! "Not found" inside the signed-in frame: for a page whose address names something that does
//! not exist or is not the caller's (a shop of another organisation is as unknown as a missing
//! one). Answered 404 like an unknown address (`layout::NotFound`), with the same texts; the
//! 404 sibling of `gate::Forbidden`.

use crate::i18n::{t, t_string, use_i18n};
use crate::ui::title::PageTitle;
use leptos::prelude::*;

/// The not-found panel, with status 404. The page's route renders in async mode, so the status
/// set here, once its data are in, is the response's.
#[component]
pub fn NotFoundPanel() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <PageTitle text=|i| t_string!(i, not_found.title).to_string() />
        <section class="panel error-panel" data-status="404">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.text)}</p>
            <a href="/">{t!(i18n, errors.back_home)}</a>
        </section>
    }
}
