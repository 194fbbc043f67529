//! Small pieces shared by the client dashboards (`board`) and the agency's screens (`pages`).

use crate::accounts::server::list_organisations;
use crate::i18n::t;
use crate::ui::forms::LoadedSelect;
use crate::ui::messages::I18n;
use crate::ui::page_data::{PageData, page_data};
use leptos::prelude::*;

/// The client organisations, for the selects.
pub fn client_organisations() -> PageData<Vec<(i64, String)>> {
    page_data((), |_| async {
        list_organisations()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|o| !o.is_agency)
            .map(|o| (o.id, o.name))
            .collect()
    })
}

/// A `<select>` of the client organisations, rendered whole once they are loaded (see
/// [`LoadedSelect`]).
#[component]
pub fn OrganisationSelect(
    orgs: PageData<Vec<(i64, String)>>,
    name: &'static str,
    current: String,
    #[prop(optional)] id: Option<&'static str>,
    #[prop(optional)] empty: Option<String>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    view! {
        <Suspense>{move || {
            let current = current.clone();
            let empty = empty.clone();
            Suspend::new(async move {
                let options = orgs.await.into_iter().map(|(org, label)| (org.to_string(), label)).collect();
                view! { <LoadedSelect name options current id empty required /> }
            })
        }}</Suspense>
    }
}

/// A counter's state: in service, or out of service with its reason.
pub fn status_badge(i18n: I18n, operational: bool, reason: Option<String>) -> AnyView {
    if operational {
        view! { <span class="badge status-ok">{t!(i18n, counters.operational)}</span> }.into_any()
    } else {
        let reason = reason.unwrap_or_default();
        view! {
            <span class="badge status-off" title=reason.clone()>{t!(i18n, counters.not_operational)}</span>
            " "
            <span class="muted">{reason}</span>
        }
        .into_any()
    }
}
