//! The alert modal shown over every page until each pending alert is read. Rendered by the
//! server (a plain form post works without JavaScript); once hydrated, confirming is done in
//! place and the next alert follows.

use super::server::confirm_alert;
use super::text::{Segment, message_lines};
use super::{AlertKind, Dismissal, PendingAlert};
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::messages::{I18n, error_text};
use crate::ui::toast::use_toasts;
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
pub fn AlertModal(queue: RwSignal<Vec<PendingAlert>>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let location = use_location();
    let back = move || {
        let search = location.search.get();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        }
    };
    let dismiss = move |id: i64, action: Dismissal| {
        queue.update(|q| q.retain(|a| a.id != id));
        leptos::task::spawn_local(async move {
            if let Err(err) = confirm_alert(id, action.as_str().to_owned()).await {
                toasts.error(error_text(i18n, &err));
            }
        });
    };
    // Escape closes the alert wherever the focus is (the page behind is inert).
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape"
            && let Some(id) = queue.with_untracked(|q| q.first().map(|a| a.id))
        {
            ev.prevent_default();
            dismiss(id, Dismissal::Close);
        }
    });
    on_cleanup(move || escape.remove());
    let confirm_button = NodeRef::<leptos::html::Button>::new();
    // The next alert takes the focus, as the first one did with `autofocus`.
    Effect::new(move |previous: Option<Option<i64>>| {
        let current = queue.with(|q| q.first().map(|a| a.id));
        if previous.is_some()
            && current.is_some()
            && let Some(button) = confirm_button.get()
        {
            let _ = button.focus();
        }
        current
    });
    move || {
        let total = queue.with(|q| q.len());
        queue.with(|q| q.first().cloned()).map(|alert| {
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
                                on:click=move |ev| {
                                    ev.prevent_default();
                                    dismiss(id, Dismissal::Close);
                                }
                            >
                                "✕"
                            </button>
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
                                node_ref=confirm_button
                                on:click=move |ev| {
                                    ev.prevent_default();
                                    dismiss(id, Dismissal::Confirm);
                                }
                            >
                                {t!(i18n, alerts.confirm)}
                            </button>
                        </form>
                    </div>
                </div>
            }
        })
    }
}
