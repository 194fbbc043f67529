//! The schedule form's preview of the next runs: an island that asks the server again each time
//! a timing field changes. Without JavaScript it shows the saved schedule's runs.

use super::ScheduleTiming;
use super::server::preview_alert_schedule;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The preview's texts, translated on the server (the island has no translations of its own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewTexts {
    pub heading: String,
    /// Shown while the timing is incomplete.
    pub after_save: String,
    /// Shown when the server refuses the timing (the save names the field).
    pub invalid: String,
}

#[island]
pub fn SchedulePreview(saved_runs: Vec<String>, texts: PreviewTexts) -> impl IntoView {
    let preview = Action::new(|timing: &ScheduleTiming| {
        let timing = timing.clone();
        async move {
            if timing.first_date.is_empty() {
                return Ok(Vec::new());
            }
            preview_alert_schedule(timing).await
        }
    });
    let anchor = NodeRef::<leptos::html::Section>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(anchor) = anchor.get() {
            follow_the_timing(&anchor, preview);
        }
    });
    let PreviewTexts {
        heading,
        after_save,
        invalid,
    } = texts;
    let runs = |runs: Vec<String>| {
        view! { <ol class="next-runs">{runs.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ol> }
            .into_any()
    };
    view! {
        <section class="preview" aria-live="polite" node_ref=anchor>
            <h2>{heading}</h2>
            {move || match preview.value().get() {
                None if saved_runs.is_empty() => view! { <p class="hint">{after_save.clone()}</p> }.into_any(),
                None => runs(saved_runs.clone()),
                Some(Ok(list)) if list.is_empty() => view! { <p class="hint">{after_save.clone()}</p> }.into_any(),
                Some(Ok(list)) => runs(list),
                Some(Err(_)) => view! { <p class="field-error">{invalid.clone()}</p> }.into_any(),
            }}
        </section>
    }
}

/// Asks the preview again on every change of the form around `anchor`.
#[cfg(feature = "hydrate")]
fn follow_the_timing(
    anchor: &web_sys::HtmlElement,
    preview: Action<ScheduleTiming, Result<Vec<String>, crate::error::AppError>>,
) {
    crate::ui::islands::on_form_change(anchor, move |form| {
        let Ok(data) = web_sys::FormData::new_with_form(form) else {
            return;
        };
        let field = |name: &str| {
            data.get(&format!("timing[{name}]"))
                .as_string()
                .unwrap_or_default()
        };
        preview.dispatch(ScheduleTiming {
            interval_weeks: field("interval_weeks"),
            weekday: field("weekday"),
            local_time: field("local_time"),
            time_zone: field("time_zone"),
            first_date: field("first_date"),
        });
    });
}
