//! Showing a server function's result: a loading line, then the content or a readable error.

use crate::error::AppError;
use crate::i18n::{t, use_i18n};
use crate::ui::messages::error_text;
use leptos::prelude::*;
use serde::{Serialize, de::DeserializeOwned};

/// Renders `resource` with `render` once loaded, or its error as a notice.
///
/// Pages load their data with `OnceResource`: a page is built per request and never refetches,
/// and a `OnceResource`'s fetch completes even when the server drops a first build of the page
/// (a reactive `Resource`'s fetch was then dropped half-way, and sqlx lost its connection).
pub fn loaded<T, V, F>(resource: OnceResource<Result<T, AppError>>, render: F) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t!(i18n, common.loading)}</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => render(value).into_any(),
                        Err(err) => view! { <p class="notice notice-error">{error_text(i18n, &err)}</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
