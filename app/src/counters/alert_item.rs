//! One counter alert of the alerts page (`board::CounterAlertsPage`): its kind, its sentence,
//! whether data came back, and its acknowledgement (a plain form, with or without JavaScript).

use super::dashboard::AcknowledgeCounterAlert;
use super::paths::shop_path;
use super::views::{AlertKind, CounterAlertView};
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::messages::I18n;
use leptos::prelude::*;

/// The sentence an alert reads as: "Aucune donnée depuis le 04/12/2026 (3 jours) : …".
fn message(i18n: I18n, a: &CounterAlertView) -> String {
    let org = a.organisation_name.clone();
    let day = a.day.clone();
    match a.kind {
        AlertKind::ZeroEntries => {
            t_string!(i18n, dashboard.zero_message, org = org, day = day).to_string()
        }
        AlertKind::Offline => {
            t_string!(i18n, dashboard.offline_message, org = org, day = day).to_string()
        }
        AlertKind::NoData => {
            let days = a.days.unwrap_or_default();
            let span = if days == 1 {
                t_string!(i18n, dashboard.one_day).to_string()
            } else {
                t_string!(i18n, dashboard.n_days, n = days).to_string()
            };
            t_string!(
                i18n,
                dashboard.no_data_message,
                org = org,
                day = day,
                span = span
            )
            .to_string()
        }
    }
}

fn kind_text(i18n: I18n, kind: AlertKind) -> String {
    match kind {
        AlertKind::ZeroEntries => t_string!(i18n, dashboard.kind_zero).to_string(),
        AlertKind::Offline => t_string!(i18n, dashboard.kind_offline).to_string(),
        AlertKind::NoData => t_string!(i18n, dashboard.kind_no_data).to_string(),
    }
}

#[component]
pub fn AlertItem(
    a: CounterAlertView,
    action: ServerAction<AcknowledgeCounterAlert>,
) -> impl IntoView {
    let i18n = use_i18n();
    let message = message(i18n, &a);
    let kind = kind_text(i18n, a.kind);
    let acknowledged = a.acknowledged_at.clone().map(|at| {
        let by = a.acknowledged_by.clone().unwrap_or_default();
        t_string!(i18n, dashboard.acknowledged_by, at = at, by = by).to_string()
    });
    let done = acknowledged.is_some();
    view! {
        <li class="counter-alert" class:done=done>
            <p class="alert-kind"><span class="badge status-off">{kind}</span>
                {a.recovered.then(|| view! { " " <span class="badge status-ok">{t!(i18n, dashboard.recovered)}</span> })}
            </p>
            <p class="alert-text">{message}</p>
            <p class="muted small">
                <a href=shop_path(a.site_id)>{format!("{} · {}", a.shop_code, a.shop_name)}</a>
                " · " {t!(i18n, dashboard.detected_at, at = a.detected_at.clone())}
            </p>
            {match acknowledged {
                Some(text) => view! { <p class="muted small">{text}</p> }.into_any(),
                None => view! {
                    <ActionForm action attr:class="inline-form">
                        <input type="hidden" name="alert_id" value=a.id.to_string() />
                        <button type="submit" class="button">{t!(i18n, dashboard.acknowledge)}</button>
                    </ActionForm>
                }.into_any(),
            }}
        </li>
    }
    .into_any()
}
