//! Showing a server function's result: a loading line, then the content or a readable error.

use crate::error::AppError;
use crate::i18n::{t, use_i18n};
use crate::ui::messages::error_text;
use crate::ui::page_data::PageData;
use leptos::prelude::*;
use serde::{Serialize, de::DeserializeOwned};

/// Renders `resource` with `render` once loaded, or its error as a notice.
///
/// Pages load their data with [`page_data`](crate::ui::page_data::page_data), never with a
/// reactive `Resource`: a page is built per request and never refetches, and a `Resource`'s
/// fetch was dropped half-way with a discarded first build of the page (sqlx then lost its
/// connection); a page's fetch is a task of its own, shared by the builds of the request.
pub fn loaded<T, V, F>(resource: PageData<Result<T, AppError>>, render: F) -> impl IntoView
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn rust_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("source folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }

    /// The rule in [`super::loaded`]'s comment: pages load their data through `page_data`,
    /// the only place that creates a resource (the behaviour it guards against depends on
    /// timing; this does not).
    #[test]
    fn pages_load_their_data_with_page_data() {
        let resource = ["Resource", "::new"].concat();
        let mut files = Vec::new();
        rust_files(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let offenders: Vec<String> = files
            .iter()
            .filter(|path| !path.ends_with("ui/page_data.rs"))
            .flat_map(|path| {
                let text = std::fs::read_to_string(path).expect("source file");
                text.lines()
                    .enumerate()
                    .filter(|(_, line)| line.contains(&resource))
                    .map(|(n, _)| format!("{}:{}", path.display(), n + 1))
                    .collect::<Vec<_>>()
            })
            .collect();
        assert!(
            offenders.is_empty(),
            "resources outside page_data: {offenders:?}"
        );
        assert!(files.len() > 50, "the sources were not found");
    }
}
