//! The maintenance banner shown to signed-in users, and the admin page that schedules windows.

use super::server::*;
use super::{Announcement, WindowState, WindowView};
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::forms::{FieldError, FormError, field_problem, form_problem};
use crate::ui::loading::loaded;
use crate::ui::page_data::page_data;
use crate::ui::posted::posted;
use crate::ui::title::PageTitle;
use leptos::prelude::*;

#[component]
pub fn MaintenanceBanner(notice: Option<Announcement>) -> impl IntoView {
    let i18n = use_i18n();
    notice.map(|n| {
        let (starts, ends) = (n.starts.clone(), n.ends.clone());
        let active = n.active;
        view! {
            <div class=if active { "maintenance-banner active" } else { "maintenance-banner" } role="status">
                <strong>
                    {move || if active {
                        t_string!(i18n, maintenance.banner_active, ends = ends.clone()).to_string()
                    } else {
                        t_string!(i18n, maintenance.banner_upcoming, starts = starts.clone(), ends = ends.clone()).to_string()
                    }}
                </strong>
                {(!n.message.trim().is_empty()).then(|| view! { " " <span>{n.message.clone()}</span> })}
            </div>
        }
    })
}

#[component]
pub fn MaintenancePage() -> impl IntoView {
    let i18n = use_i18n();
    let start = ServerAction::<StartMaintenance>::new();
    let schedule = ServerAction::<ScheduleMaintenance>::new();
    let end = ServerAction::<EndMaintenance>::new();
    let windows = page_data((), |_| list_maintenance_windows());
    view! {
        <PageTitle text=|i| t_string!(i, maintenance.title).to_string() />
        <h1>{t!(i18n, maintenance.title)}</h1>
        <p class="muted">{t!(i18n, maintenance.intro)}</p>
        <FormError problem=Box::new(form_problem(end.value(), i18n)) />
        {loaded(windows, move |list| view! { <WindowTable list end /> })}
        <div class="two-columns">
            <section class="panel">
                <h2>{t!(i18n, maintenance.start_now)}</h2>
                <ActionForm action=start attr:class="form">
                    <FormError problem=Box::new(form_problem(start.value(), i18n)) />
                    <label for="mt-minutes">{t!(i18n, maintenance.minutes)}</label>
                    <input id="mt-minutes" name="minutes" type="number" min="1" max="10080" value={posted::<StartMaintenance>("minutes", "60")} required inputmode="numeric" />
                    <FieldError problem=Box::new(field_problem(start.value(), i18n, "minutes")) id="mt-minutes-error" />
                    <label for="mt-now-message">{t!(i18n, maintenance.message)}</label>
                    <textarea id="mt-now-message" name="message" rows="2" maxlength="2000">{posted::<StartMaintenance>("message", "")}</textarea>
                    <FieldError problem=Box::new(field_problem(start.value(), i18n, "message")) id="mt-now-message-error" />
                    <button type="submit" class="button primary">{t!(i18n, maintenance.start_submit)}</button>
                </ActionForm>
            </section>
            <section class="panel">
                <h2>{t!(i18n, maintenance.schedule)}</h2>
                <ActionForm action=schedule attr:class="form">
                    <FormError problem=Box::new(form_problem(schedule.value(), i18n)) />
                    <label for="mt-starts">{t!(i18n, maintenance.starts)}</label>
                    <input id="mt-starts" name="starts" type="datetime-local" required value={posted::<ScheduleMaintenance>("starts", "")} aria-describedby="mt-tz-hint" />
                    <FieldError problem=Box::new(field_problem(schedule.value(), i18n, "starts")) id="mt-starts-error" />
                    <label for="mt-ends">{t!(i18n, maintenance.ends)}</label>
                    <input id="mt-ends" name="ends" type="datetime-local" required value={posted::<ScheduleMaintenance>("ends", "")} aria-describedby="mt-tz-hint" />
                    <FieldError problem=Box::new(field_problem(schedule.value(), i18n, "ends")) id="mt-ends-error" />
                    <p class="hint" id="mt-tz-hint">{t!(i18n, maintenance.paris_hint)}</p>
                    <label for="mt-message">{t!(i18n, maintenance.message)}</label>
                    <textarea id="mt-message" name="message" rows="2" maxlength="2000">{posted::<ScheduleMaintenance>("message", "")}</textarea>
                    <FieldError problem=Box::new(field_problem(schedule.value(), i18n, "message")) id="mt-message-error" />
                    <button type="submit" class="button primary">{t!(i18n, maintenance.schedule_submit)}</button>
                </ActionForm>
            </section>
        </div>
    }
}

#[component]
fn WindowTable(list: Vec<WindowView>, end: ServerAction<EndMaintenance>) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return view! { <p class="panel">{t!(i18n, maintenance.none)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table" role="table">
                <thead role="rowgroup">
                    <tr role="row">
                        <th role="columnheader" scope="col">{t!(i18n, maintenance.starts)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, maintenance.ends)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, maintenance.state)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, maintenance.message)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, maintenance.bypass)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, accounts.actions)}</th>
                    </tr>
                </thead>
                <tbody role="rowgroup">
                    {list.into_iter().map(|w| {
                        let state = w.state;
                        let id = w.id;
                        view! {
                            <tr role="row" class:row-disabled=state == WindowState::Over>
                                <td role="cell" data-label=move || t_string!(i18n, maintenance.starts).to_string()>{w.starts}</td>
                                <td role="cell" data-label=move || t_string!(i18n, maintenance.ends).to_string()>{w.ends}</td>
                                <td role="cell" data-label=move || t_string!(i18n, maintenance.state).to_string()>
                                    <span class=match state { WindowState::Active => "badge badge-warn", WindowState::Upcoming => "badge badge-on", WindowState::Over => "badge badge-off" }>
                                        {move || match state {
                                            WindowState::Active => t_string!(i18n, maintenance.state_active).to_string(),
                                            WindowState::Upcoming => t_string!(i18n, maintenance.state_upcoming).to_string(),
                                            WindowState::Over => t_string!(i18n, maintenance.state_over).to_string(),
                                        }}
                                    </span>
                                </td>
                                <td role="cell" data-label=move || t_string!(i18n, maintenance.message).to_string()>{w.message}</td>
                                <td role="cell" data-label=move || t_string!(i18n, maintenance.bypass).to_string()>
                                    {(state != WindowState::Over).then(|| view! { <code class="secret bypass-link">{w.bypass_path.clone()}</code> })}
                                </td>
                                <td role="cell" class="actions">
                                    {(state != WindowState::Over).then(|| view! {
                                        <ActionForm action=end>
                                            <input type="hidden" name="window_id" value=id.to_string() />
                                            <button type="submit" class="button small">
                                                {move || if state == WindowState::Active {
                                                    t_string!(i18n, maintenance.end_now).to_string()
                                                } else {
                                                    t_string!(i18n, maintenance.cancel).to_string()
                                                }}
                                            </button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
