//! The schedule form's preview of the next runs. The server renders the saved schedule's runs;
//! in the browser the [`SchedulePreview`] island asks the server again each time a timing field
//! changes. Without JavaScript it shows the saved schedule's runs.

use crate::ui::islands::escape_html;
use leptos::prelude::*;

/// The preview's texts, translated on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewTexts {
    pub heading: String,
    /// Shown while the timing is incomplete.
    pub after_save: String,
    /// Shown when the server refuses the timing (the save names the field).
    pub invalid: String,
}

/// The next runs as the server knows them, with the island that keeps them current. The texts
/// the island needs ride along as data attributes.
#[component]
pub fn ScheduleNextRuns(saved_runs: Vec<String>, texts: PreviewTexts) -> impl IntoView {
    let PreviewTexts {
        heading,
        after_save,
        invalid,
    } = texts;
    let body = if saved_runs.is_empty() {
        hint_html(&after_save)
    } else {
        runs_html(&saved_runs)
    };
    view! {
        <section class="preview" aria-live="polite" data-after-save=after_save data-invalid=invalid>
            <h2>{heading}</h2>
            <div class="preview-runs" inner_html=body></div>
            <SchedulePreview />
        </section>
    }
}

fn runs_html(runs: &[String]) -> String {
    let items: String = runs
        .iter()
        .map(|r| format!("<li>{}</li>", escape_html(r)))
        .collect();
    format!(r#"<ol class="next-runs">{items}</ol>"#)
}

fn hint_html(text: &str) -> String {
    format!(r#"<p class="hint">{}</p>"#, escape_html(text))
}

/// Asks `preview_alert_schedule` for the next runs after each change of the timing fields. It
/// takes no props and renders nothing: it posts the form's `timing[…]` fields as the server
/// function expects them and reads the answer with the browser's JSON parser, so the islands'
/// WASM carries no server-function client, JSON or view code for it.
#[island]
pub fn SchedulePreview() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::follow_the_timing();
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{escape_html, hint_html, runs_html};
    use leptos::prelude::document;
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::JsCast;

    pub fn follow_the_timing() {
        let Some(section) = document().query_selector("section.preview").ok().flatten() else {
            return;
        };
        let Some(target) = section.query_selector(".preview-runs").ok().flatten() else {
            return;
        };
        let after_save = section.get_attribute("data-after-save").unwrap_or_default();
        let invalid = section.get_attribute("data-invalid").unwrap_or_default();
        // Only the answer to the latest change is shown.
        let latest = Rc::new(Cell::new(0u32));
        // The whole form reports its changes: ask again only when the timing changed.
        let last_asked = std::cell::RefCell::new(Vec::new());
        crate::ui::islands::on_form_change(&section, move |form| {
            let timing: Vec<(String, String)> = crate::ui::islands::form_pairs(form)
                .into_iter()
                .filter(|(name, _)| name.starts_with("timing["))
                .collect();
            if *last_asked.borrow() == timing {
                return;
            }
            last_asked.replace(timing.clone());
            let asked = latest.get().wrapping_add(1);
            latest.set(asked);
            let incomplete = timing
                .iter()
                .any(|(name, value)| name == "timing[first_date]" && value.is_empty());
            if incomplete {
                target.set_inner_html(&hint_html(&after_save));
                return;
            }
            let (target, latest) = (target.clone(), latest.clone());
            let (after_save, invalid) = (after_save.clone(), invalid.clone());
            leptos::task::spawn_local(async move {
                let html = match next_runs(&timing).await {
                    Some(runs) if runs.is_empty() => hint_html(&after_save),
                    Some(runs) => runs_html(&runs),
                    None => invalid_html(&invalid),
                };
                if latest.get() == asked {
                    target.set_inner_html(&html);
                }
            });
        });
    }

    fn invalid_html(text: &str) -> String {
        format!(r#"<p class="field-error">{}</p>"#, escape_html(text))
    }

    /// The server's next runs for `timing`, or `None` when it refuses them.
    async fn next_runs(timing: &[(String, String)]) -> Option<Vec<String>> {
        let body = web_sys::UrlSearchParams::new().ok()?;
        for (name, value) in timing {
            body.append(name, value);
        }
        let headers = web_sys::Headers::new().ok()?;
        headers.set("Accept", "application/json").ok()?;
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_headers(&headers);
        init.set_body(&body);
        let request =
            web_sys::Request::new_with_str_and_init("/api/preview_alert_schedule", &init).ok()?;
        let window = web_sys::window()?;
        let response: web_sys::Response =
            wasm_bindgen_futures::JsFuture::from(window.fetch_with_request(&request))
                .await
                .ok()?
                .dyn_into()
                .ok()?;
        if !response.ok() {
            return None;
        }
        let json = wasm_bindgen_futures::JsFuture::from(response.json().ok()?)
            .await
            .ok()?;
        let list = json.dyn_into::<js_sys::Array>().ok()?;
        list.iter().map(|run| run.as_string()).collect()
    }
}
