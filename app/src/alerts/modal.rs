//! The alert modal shown over every page until each pending alert is read. Rendered by the
//! server: confirming or closing posts its form, and the next page shows the next alert. Only
//! the Escape key needs the browser (an island).

use super::text::{Segment, message_lines};
use super::{AlertKind, PendingAlert};
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::messages::I18n;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

pub fn kind_text(i18n: I18n, kind: AlertKind) -> String {
    match kind {
        AlertKind::Update => t_string!(i18n, alerts.kind_update).to_string(),
        AlertKind::Maintenance => t_string!(i18n, alerts.kind_maintenance).to_string(),
        AlertKind::Info => t_string!(i18n, alerts.kind_info).to_string(),
    }
}

/// A message as text with line breaks and clickable web addresses.
#[component]
pub fn AlertText(message: String, #[prop(optional)] id: Option<String>) -> impl IntoView {
    let lines = message_lines(&message);
    view! {
        <div class="alert-message" id=id>
            {lines
                .into_iter()
                .enumerate()
                .map(|(i, segments)| {
                    view! {
                        {(i > 0).then(|| view! { <br /> })}
                        {segments
                            .into_iter()
                            .map(|segment| match segment {
                                Segment::Text(text) => text.into_any(),
                                Segment::Link(url) => {
                                    view! {
                                        <a href=url.clone() rel="noopener noreferrer nofollow" target="_blank">
                                            {url.clone()}
                                        </a>
                                    }
                                        .into_any()
                                }
                            })
                            .collect_view()}
                    }
                })
                .collect_view()}
        </div>
    }
}

#[component]
pub fn AlertModal(queue: Vec<PendingAlert>) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    // Back to this page once the alert is read (the form posts to a plain handler).
    let back = {
        let search = location.search.get_untracked();
        let path = location.pathname.get_untracked();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    };
    let total = queue.len();
    queue.into_iter().next().map(|alert| {
        let id = alert.id;
        let title_id = format!("alert-title-{id}");
        let message_id = format!("alert-message-{id}");
        let kind = alert.kind;
        view! {
            <div class="modal-backdrop">
                <div
                    class="modal alert-modal"
                    role="alertdialog"
                    aria-modal="true"
                    aria-labelledby=title_id.clone()
                    aria-describedby=message_id.clone()
                >
                    <form method="post" action="/alertes/confirmer" class="alert-form">
                        <input type="hidden" name="alert_id" value=id.to_string() />
                        <input type="hidden" name="back" value=back />
                        <button
                            type="submit"
                            name="action"
                            value="close"
                            class="modal-close"
                            aria-label=move || t_string!(i18n, common.close).to_string()
                        >
                            "✕"
                        </button>
                        <EscapeCloses />
                        <span class=format!("badge alert-kind alert-kind-{}", kind.as_str())>
                            {move || kind_text(i18n, kind)}
                        </span>
                        <h2 id=title_id.clone()>{alert.title.clone()}</h2>
                        <AlertText message=alert.message.clone() id=message_id.clone() />
                        {(total > 1)
                            .then(|| {
                                view! {
                                    <p class="muted alert-more">
                                        {t!(i18n, alerts.more, n = total - 1)}
                                    </p>
                                }
                            })}
                        <button
                            type="submit"
                            name="action"
                            value="confirm"
                            class="button primary"
                            autofocus=true
                        >
                            {t!(i18n, alerts.confirm)}
                        </button>
                    </form>
                </div>
            </div>
        }
    })
}

/// Escape is the keyboard's ✕ (the WAI-ARIA dialog pattern): an island, since only a script
/// can hear the key. It presses the dialog's ✕, which posts its form as a click would.
#[island]
pub fn EscapeCloses() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let listener = window_event_listener(leptos::ev::keydown, |ev| {
            // Held down, the key repeats: the first press posts the form.
            if ev.key() != "Escape" || ev.repeat() {
                return;
            }
            let close = document()
                .query_selector("[role=alertdialog] button.modal-close")
                .ok()
                .flatten();
            if let Some(button) = close.and_then(|b| {
                use wasm_bindgen::JsCast;
                b.dyn_into::<web_sys::HtmlButtonElement>().ok()
            }) {
                ev.prevent_default();
                button.click();
            }
        });
        on_cleanup(move || listener.remove());
    }
}
