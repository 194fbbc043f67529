//! Admin pages: the alerts with their confirmations, the alert editor, recurring schedules.

use super::modal::{AlertText, kind_text};
use super::preview::{PreviewTexts, ScheduleNextRuns};
use super::server::*;
use super::{
    AlertFields, AlertKind, AlertSummary, Audience, ScheduleTiming, ScheduleView, ValidationScope,
};
use crate::accounts::OrganisationSummary;
use crate::accounts::server::list_organisations;
use crate::auth::types::Role;
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::forms::{ConfirmBox, FieldError, FormError, field_problem, form_problem};
use crate::ui::loading::loaded;
use crate::ui::messages::{I18n, error_text, role_text};
use crate::ui::page_data::{PageData, page_data};
use crate::ui::posted::{posted, posted_checked, refused_form};
use crate::ui::title::PageTitle;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_params_map;

fn scope_text(i18n: I18n, scope: ValidationScope) -> String {
    match scope {
        ValidationScope::EachUser => t_string!(i18n, alerts.scope_each_user).to_string(),
        ValidationScope::OnePerOrganisation => {
            t_string!(i18n, alerts.scope_one_per_org).to_string()
        }
    }
}

fn audience_text(i18n: I18n, audience: Audience, name: Option<String>) -> String {
    match audience {
        Audience::Everyone => t_string!(i18n, alerts.audience_everyone).to_string(),
        Audience::Organisation(id) => name.unwrap_or_else(|| format!("#{id}")),
        Audience::Role(role) => format!(
            "{} : {}",
            t_string!(i18n, alerts.audience_role),
            role_text(i18n, role)
        ),
    }
}

fn weekday_text(i18n: I18n, day: i16) -> String {
    match day {
        1 => t_string!(i18n, weekdays.mon),
        2 => t_string!(i18n, weekdays.tue),
        3 => t_string!(i18n, weekdays.wed),
        4 => t_string!(i18n, weekdays.thu),
        5 => t_string!(i18n, weekdays.fri),
        6 => t_string!(i18n, weekdays.sat),
        _ => t_string!(i18n, weekdays.sun),
    }
    .to_string()
}

/// Created by each page at its top, never inside a suspended part, where the fetch would start
/// only once that part renders.
fn organisations() -> PageData<Vec<OrganisationSummary>> {
    page_data((), |_| async {
        list_organisations().await.unwrap_or_default()
    })
}

#[component]
pub fn AlertsPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveAlert>::new();
    let alerts = page_data((), |_| list_alerts());
    let schedules = page_data((), |_| list_alert_schedules());
    let orgs = organisations();
    view! {
        <PageTitle text=|i| t_string!(i, alerts.title).to_string() />
        <h1>{t!(i18n, alerts.title)}</h1>
        {loaded(alerts, move |list| view! { <AlertTable list /> })}
        <section class="panel">
            <h2>{t!(i18n, alerts.new)}</h2>
            <AlertForm action=save orgs alert_id=String::new() initial=AlertFields {
                kind: AlertKind::Update.as_str().into(),
                audience: Audience::Everyone.form_value(),
                scope: ValidationScope::EachUser.as_str().into(),
                ..Default::default()
            } />
        </section>
        <section class="panel">
            <div class="section-head">
                <h2>{t!(i18n, alerts.schedules)}</h2>
                <a class="button small" href="/admin/alertes/programmations/nouvelle">{t!(i18n, alerts.new_schedule)}</a>
            </div>
            {loaded(schedules, move |list| view! { <ScheduleList list /> })}
        </section>
    }
}

#[component]
fn AlertTable(list: Vec<AlertSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return view! { <p>{t!(i18n, alerts.empty)}</p> }.into_any();
    }
    let label = move |f: fn(I18n) -> String| move || f(i18n);
    view! {
        <div class="table-wrap">
            <table class="table" role="table">
                <thead role="rowgroup">
                    <tr role="row">
                        <th role="columnheader" scope="col">{t!(i18n, alerts.field_title)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, alerts.field_kind)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, alerts.field_audience)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, alerts.field_scope)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, alerts.published)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, alerts.expires)}</th>
                        <th role="columnheader" scope="col" class="num">{t!(i18n, alerts.read)}</th>
                    </tr>
                </thead>
                <tbody role="rowgroup">
                    {list
                        .into_iter()
                        .map(|a| {
                            let kind = a.kind;
                            let scope = a.scope;
                            let audience = a.audience;
                            let audience_name = a.audience_name.clone();
                            let expired = a.expired;
                            view! {
                                <tr role="row" class:row-disabled=expired>
                                    <td role="cell" data-label=label(|i| t_string!(i, alerts.field_title).to_string())>
                                        <a href=format!("/admin/alertes/{}", a.id)>{a.title}</a>
                                    </td>
                                    <td role="cell" data-label=label(|i| t_string!(i, alerts.field_kind).to_string())>
                                        <span class=format!("badge alert-kind-{}", kind.as_str())>{move || kind_text(i18n, kind)}</span>
                                    </td>
                                    <td role="cell" data-label=label(|i| t_string!(i, alerts.field_audience).to_string())>
                                        {move || audience_text(i18n, audience, audience_name.clone())}
                                    </td>
                                    <td role="cell" data-label=label(|i| t_string!(i, alerts.field_scope).to_string())>
                                        {move || scope_text(i18n, scope)}
                                    </td>
                                    <td role="cell" data-label=label(|i| t_string!(i, alerts.published).to_string())>{a.published}</td>
                                    <td role="cell" data-label=label(|i| t_string!(i, alerts.expires).to_string())>
                                        {match a.expires {
                                            Some(at) if expired => view! { <span class="badge badge-off">{t!(i18n, alerts.expired)} " " {at}</span> }.into_any(),
                                            Some(at) => at.into_any(),
                                            None => view! { <span class="muted">{t!(i18n, alerts.no_expiry)}</span> }.into_any(),
                                        }}
                                    </td>
                                    <td role="cell" class="num" data-label=label(|i| t_string!(i, alerts.read).to_string())>
                                        {format!("{} / {}", a.confirmed, a.addressed)}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The alert fields posted under `prefix` when the form of `S` comes back refused (JavaScript
/// off), so that the user finds their input; else `initial`.
fn alert_fields_or_refused<S: ServerFn>(prefix: &str, initial: AlertFields) -> AlertFields {
    let Some(form) = refused_form::<S>() else {
        return initial;
    };
    let field = |name: &str| form.nested(prefix, name);
    AlertFields {
        title: field("title"),
        message: field("message"),
        kind: field("kind"),
        audience: field("audience"),
        scope: field("scope"),
        lifetime_days: field("lifetime_days"),
    }
}

/// The alert editor (create and edit): fields are named `fields[…]` for the server function.
#[component]
fn AlertForm(
    action: ServerAction<SaveAlert>,
    orgs: PageData<Vec<OrganisationSummary>>,
    alert_id: String,
    initial: AlertFields,
) -> impl IntoView {
    let i18n = use_i18n();
    let value = action.value();
    let initial = alert_fields_or_refused::<SaveAlert>("fields", initial);
    let audience = initial.audience.clone();
    let selected_org =
        move |id: i64| audience.parse::<Audience>().ok() == Some(Audience::Organisation(id));
    let role_selected = {
        let audience = initial.audience.clone();
        move |role: Role| audience.parse::<Audience>().ok() == Some(Audience::Role(role))
    };
    let lifetime = initial.lifetime_days.clone();
    let initial_audience = initial.audience.clone();
    view! {
        <ActionForm action=action attr:class="form">
            <FormError problem=Box::new(form_problem(value, i18n)) />
            <input type="hidden" name="alert_id" value=alert_id />
            <label for="alert-title">{t!(i18n, alerts.field_title)}</label>
            <input id="alert-title" name="fields[title]" required maxlength="200" value=initial.title.clone() />
            <FieldError problem=Box::new(field_problem(value, i18n, "title")) id="alert-title-error" />
            <label for="alert-message">{t!(i18n, alerts.field_message)}</label>
            <textarea id="alert-message" name="fields[message]" required maxlength="5000" rows="5" aria-describedby="alert-message-hint">
                {initial.message.clone()}
            </textarea>
            <p class="hint" id="alert-message-hint">{t!(i18n, alerts.message_hint)}</p>
            <FieldError problem=Box::new(field_problem(value, i18n, "message")) id="alert-message-error" />
            <label for="alert-kind">{t!(i18n, alerts.field_kind)}</label>
            <select id="alert-kind" name="fields[kind]">
                {AlertKind::ALL
                    .into_iter()
                    .map(|k| view! { <option value=k.as_str() selected=initial.kind == k.as_str()>{move || kind_text(i18n, k)}</option> })
                    .collect_view()}
            </select>
            <label for="alert-audience">{t!(i18n, alerts.field_audience)}</label>
            // The whole list waits for the organisations (see `LoadedSelect`).
            <Suspense>
                {move || {
                    let selected_org = selected_org.clone();
                    let role_selected = role_selected.clone();
                    let everyone = initial_audience.clone() == "everyone";
                    Suspend::new(async move {
                        let orgs = orgs.await;
                        view! {
                            <select id="alert-audience" name="fields[audience]">
                                <option value="everyone" selected=everyone>{t!(i18n, alerts.audience_everyone)}</option>
                                <optgroup label=move || t_string!(i18n, alerts.audience_role).to_string()>
                                    {Role::ALL
                                        .into_iter()
                                        .map(|r| view! { <option value=Audience::Role(r).form_value() selected=role_selected(r)>{move || role_text(i18n, r)}</option> })
                                        .collect_view()}
                                </optgroup>
                                <optgroup label=move || t_string!(i18n, alerts.audience_organisation).to_string()>
                                    {orgs
                                        .into_iter()
                                        .map(|o| view! { <option value=Audience::Organisation(o.id).form_value() selected=selected_org(o.id)>{o.name}</option> })
                                        .collect_view()}
                                </optgroup>
                            </select>
                        }
                    })
                }}
            </Suspense>
            <FieldError problem=Box::new(field_problem(value, i18n, "audience")) id="alert-audience-error" />
            <fieldset class="choices">
                <legend>{t!(i18n, alerts.field_scope)}</legend>
                {[ValidationScope::EachUser, ValidationScope::OnePerOrganisation]
                    .into_iter()
                    .map(|s| view! {
                        <label class="choice">
                            <input type="radio" name="fields[scope]" value=s.as_str() checked=initial.scope == s.as_str() />
                            {move || scope_text(i18n, s)}
                        </label>
                    })
                    .collect_view()}
            </fieldset>
            <label for="alert-lifetime">{t!(i18n, alerts.field_lifetime)}</label>
            <input id="alert-lifetime" name="fields[lifetime_days]" type="number" min="1" max="3650" inputmode="numeric" value=lifetime aria-describedby="alert-lifetime-hint" />
            <p class="hint" id="alert-lifetime-hint">{t!(i18n, alerts.lifetime_hint)}</p>
            <FieldError problem=Box::new(field_problem(value, i18n, "lifetime_days")) id="alert-lifetime-error" />
            <button type="submit" class="button primary">{t!(i18n, alerts.save)}</button>
        </ActionForm>
    }
}

#[component]
pub fn AlertDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let save = ServerAction::<SaveAlert>::new();
    let delete = ServerAction::<DeleteAlert>::new();
    let detail = page_data(untrack(id), |alert_id| async move {
        match alert_id {
            Some(id) => alert_detail(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    let orgs = organisations();
    // A deletion's server function redirects to the list, where the flash shows.
    view! {
        <PageTitle text=|i| t_string!(i, alerts.detail_title).to_string() />
        <p><a href="/admin/alertes">{t!(i18n, alerts.back)}</a></p>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let detail = match detail.await {
                    Ok(d) => d,
                    Err(err) => return view! { <p class="notice notice-error">{error_text(i18n, &err)}</p> }.into_any(),
                };
                let a = detail.summary;
                let kind = a.kind;
                let scope = a.scope;
                let audience = a.audience;
                let audience_name = a.audience_name.clone();
                let initial = AlertFields {
                    title: a.title.clone(),
                    message: a.message.clone(),
                    kind: a.kind.as_str().into(),
                    audience: a.audience.form_value(),
                    scope: a.scope.as_str().into(),
                    lifetime_days: a.lifetime_days.map(|d| d.to_string()).unwrap_or_default(),
                };
                view! {
                    <h1>{a.title.clone()}</h1>
                    <section class="panel">
                        <AlertText message=a.message.clone() />
                        <dl class="facts">
                            <dt>{t!(i18n, alerts.field_kind)}</dt>
                            <dd>{move || kind_text(i18n, kind)}</dd>
                            <dt>{t!(i18n, alerts.field_audience)}</dt>
                            <dd>{move || audience_text(i18n, audience, audience_name.clone())}</dd>
                            <dt>{t!(i18n, alerts.field_scope)}</dt>
                            <dd>{move || scope_text(i18n, scope)}</dd>
                            <dt>{t!(i18n, alerts.published)}</dt>
                            <dd>{a.published.clone()}</dd>
                            <dt>{t!(i18n, alerts.expires)}</dt>
                            <dd>{a.expires.clone().unwrap_or_else(|| t_string!(i18n, alerts.no_expiry).to_string())}</dd>
                            <dt>{t!(i18n, alerts.read)}</dt>
                            <dd>{move || match scope {
                                ValidationScope::EachUser => t_string!(i18n, alerts.read_users, confirmed = a.confirmed, addressed = a.addressed).to_string(),
                                ValidationScope::OnePerOrganisation => t_string!(i18n, alerts.read_orgs, confirmed = a.confirmed, addressed = a.addressed).to_string(),
                            }}</dd>
                            {a.schedule_name.clone().map(|name| view! {
                                <dt>{t!(i18n, alerts.from_schedule)}</dt>
                                <dd>{name}</dd>
                            })}
                        </dl>
                    </section>
                    <section class="panel">
                        <h2>{t!(i18n, alerts.confirmations)}</h2>
                        {if detail.confirmations.is_empty() {
                            view! { <p class="muted">{t!(i18n, alerts.no_confirmation)}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap">
                                    <table class="table" role="table">
                                        <thead role="rowgroup">
                                            <tr role="row">
                                                <th role="columnheader" scope="col">{t!(i18n, accounts.name)}</th>
                                                <th role="columnheader" scope="col">{t!(i18n, accounts.organisation)}</th>
                                                <th role="columnheader" scope="col">{t!(i18n, alerts.how)}</th>
                                                <th role="columnheader" scope="col">{t!(i18n, alerts.when)}</th>
                                            </tr>
                                        </thead>
                                        <tbody role="rowgroup">
                                            {detail.confirmations.into_iter().map(|c| {
                                                let action = c.action;
                                                view! {
                                                    <tr role="row">
                                                        <td role="cell" data-label=move || t_string!(i18n, accounts.name).to_string()>{c.display_name} " " <span class="muted">{c.email}</span></td>
                                                        <td role="cell" data-label=move || t_string!(i18n, accounts.organisation).to_string()>{c.organisation_name}</td>
                                                        <td role="cell" data-label=move || t_string!(i18n, alerts.how).to_string()>
                                                            {move || match action {
                                                                super::Dismissal::Confirm => t_string!(i18n, alerts.confirm).to_string(),
                                                                super::Dismissal::Close => t_string!(i18n, alerts.closed).to_string(),
                                                            }}
                                                        </td>
                                                        <td role="cell" data-label=move || t_string!(i18n, alerts.when).to_string()>{c.at}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                    </section>
                    <section class="panel">
                        <h2>{t!(i18n, alerts.edit)}</h2>
                        <AlertForm action=save orgs alert_id=a.id.to_string() initial />
                    </section>
                    <section class="panel danger-zone">
                        <h2>{t!(i18n, alerts.delete)}</h2>
                        <p class="muted">{t!(i18n, alerts.delete_hint)}</p>
                        <ActionForm action=delete>
                            <FormError problem=Box::new(form_problem(delete.value(), i18n)) />
                            <input type="hidden" name="alert_id" value=a.id.to_string() />
                            <ConfirmBox text=t_string!(i18n, alerts.delete_confirm).to_string() problem=Box::new(field_problem(delete.value(), i18n, "confirm")) id="alert-confirm-error" />
                            <button type="submit" class="button danger">{t!(i18n, alerts.delete)}</button>
                        </ActionForm>
                    </section>
                }
                .into_any()
            })}
        </Suspense>
    }
}

#[component]
fn ScheduleList(list: Vec<ScheduleView>) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return view! { <p class="muted">{t!(i18n, alerts.no_schedule)}</p> }.into_any();
    }
    list.into_iter()
        .map(|s| {
            let weekday = s.weekday;
            let interval = s.interval_weeks;
            let time = s.local_time.clone();
            let tz = s.time_zone.clone();
            view! {
                <article class="schedule">
                    <h3>
                        <a href=format!("/admin/alertes/programmations/{}", s.id)>{s.name.clone()}</a>
                        " "
                        <span class=if s.active { "badge badge-on" } else { "badge badge-off" }>
                            {move || if s.active { t_string!(i18n, alerts.schedule_on).to_string() } else { t_string!(i18n, alerts.schedule_off).to_string() }}
                        </span>
                    </h3>
                    <p>{move || t_string!(i18n, alerts.rhythm, weeks = interval, day = weekday_text(i18n, weekday), time = time.clone(), tz = tz.clone()).to_string()}</p>
                    <p class="muted">{t!(i18n, alerts.next_runs)}</p>
                    <ol class="next-runs">
                        {s.next_runs.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                    </ol>
                </article>
            }
        })
        .collect_view()
        .into_any()
}

/// Creates or edits a recurring schedule, with a live preview of its next five runs.
#[component]
pub fn SchedulePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let schedule = page_data(untrack(id), |schedule_id| async move {
        match schedule_id {
            Some(id) => alert_schedule(id).await.map(Some),
            None => Ok(None),
        }
    });
    let orgs = organisations();
    view! {
        <PageTitle text=|i| t_string!(i, alerts.schedule_title).to_string() />
        <p><a href="/admin/alertes">{t!(i18n, alerts.back)}</a></p>
        <h1>{t!(i18n, alerts.schedule_title)}</h1>
        {loaded(schedule, move |existing| view! { <ScheduleForm existing orgs /> })}
    }
}

#[component]
fn ScheduleForm(
    existing: Option<ScheduleView>,
    orgs: PageData<Vec<OrganisationSummary>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveAlertSchedule>::new();
    let delete = ServerAction::<DeleteAlertSchedule>::new();
    let value = save.value();
    // Saving and deleting redirect to the list (server-side), where the flash shows.
    let (schedule_id, name, active, template) = match &existing {
        Some(s) => (
            s.id.to_string(),
            s.name.clone(),
            s.active,
            s.template.clone(),
        ),
        None => (
            String::new(),
            String::new(),
            true,
            AlertFields {
                kind: AlertKind::Maintenance.as_str().into(),
                audience: Audience::Everyone.form_value(),
                scope: ValidationScope::EachUser.as_str().into(),
                lifetime_days: "1".into(),
                ..Default::default()
            },
        ),
    };
    // Coming back refused (JavaScript off), the form starts from the user's input.
    let name = posted::<SaveAlertSchedule>("name", name);
    let active = posted_checked::<SaveAlertSchedule>("active", active);
    let template = alert_fields_or_refused::<SaveAlertSchedule>("template", template);
    let refused = refused_form::<SaveAlertSchedule>();
    let came_back_refused = refused.is_some();
    let saved_timing = match &existing {
        Some(s) => ScheduleTiming {
            interval_weeks: s.interval_weeks.to_string(),
            weekday: s.weekday.to_string(),
            local_time: s.local_time.clone(),
            time_zone: s.time_zone.clone(),
            first_date: s.first_date.clone(),
        },
        None => ScheduleTiming {
            interval_weeks: "2".into(),
            weekday: "4".into(),
            local_time: "02:00".into(),
            time_zone: "Europe/Paris".into(),
            first_date: String::new(),
        },
    };
    let t0 = match refused {
        Some(form) => {
            let field = |name: &str| form.nested("timing", name);
            ScheduleTiming {
                interval_weeks: field("interval_weeks"),
                weekday: field("weekday"),
                local_time: field("local_time"),
                time_zone: field("time_zone"),
                first_date: field("first_date"),
            }
        }
        None => saved_timing,
    };
    // The saved schedule's next runs come with it, rendered by the server; in the browser the
    // preview island asks again for each edit. Without JavaScript the preview follows the saved
    // timing only: none for a new schedule, and none for a refused form, whose timing is not
    // the saved one.
    let saved_runs = existing
        .as_ref()
        .filter(|_| !came_back_refused)
        .map(|s| s.next_runs.clone())
        .unwrap_or_default();
    let preview_texts = PreviewTexts {
        heading: t_string!(i18n, alerts.next_runs).to_string(),
        after_save: t_string!(i18n, alerts.next_runs_after_save).to_string(),
        invalid: t_string!(i18n, alerts.next_runs_invalid).to_string(),
    };
    let is_new = existing.is_none();
    let delete_id = existing.as_ref().map(|s| s.id);
    let audience = template.audience.clone();
    view! {
        <ActionForm action=save attr:class="form schedule-form">
            <FormError problem=Box::new(form_problem(value, i18n)) />
            <input type="hidden" name="schedule_id" value=schedule_id />
            <label for="sch-name">{t!(i18n, alerts.schedule_name)}</label>
            <input id="sch-name" name="name" required maxlength="120" value=name />
            <FieldError problem=Box::new(field_problem(value, i18n, "name")) id="sch-name-error" />
            <label class="choice">
                <input type="checkbox" name="active" value="true" checked=active />
                {t!(i18n, alerts.schedule_active)}
            </label>
            <fieldset class="choices">
                <legend>{t!(i18n, alerts.timing)}</legend>
                <label for="sch-interval">{t!(i18n, alerts.interval_weeks)}</label>
                <input id="sch-interval" name="timing[interval_weeks]" type="number" min="1" max="52" required value=t0.interval_weeks.clone() />
                <FieldError problem=Box::new(field_problem(value, i18n, "interval_weeks")) id="sch-interval-error" />
                <label for="sch-weekday">{t!(i18n, alerts.weekday)}</label>
                <select id="sch-weekday" name="timing[weekday]">
                    {(1..=7i16).map(|d| view! { <option value=d.to_string() selected=t0.weekday == d.to_string()>{move || weekday_text(i18n, d)}</option> }).collect_view()}
                </select>
                <label for="sch-time">{t!(i18n, alerts.local_time)}</label>
                <input id="sch-time" name="timing[local_time]" type="time" required value=t0.local_time.clone() />
                <FieldError problem=Box::new(field_problem(value, i18n, "local_time")) id="sch-time-error" />
                <label for="sch-tz">{t!(i18n, alerts.time_zone)}</label>
                <input id="sch-tz" name="timing[time_zone]" required value=t0.time_zone.clone() list="time-zones" />
                <datalist id="time-zones">
                    {["Europe/Paris", "Europe/Brussels", "Europe/Zurich", "Europe/Luxembourg", "America/Martinique", "Indian/Reunion", "Pacific/Noumea", "UTC"]
                        .into_iter()
                        .map(|z| view! { <option value=z></option> })
                        .collect_view()}
                </datalist>
                <FieldError problem=Box::new(field_problem(value, i18n, "time_zone")) id="sch-tz-error" />
                <label for="sch-first">{t!(i18n, alerts.first_date)}</label>
                <input id="sch-first" name="timing[first_date]" type="date" required value=t0.first_date.clone() aria-describedby="sch-first-hint" />
                <p class="hint" id="sch-first-hint">{t!(i18n, alerts.first_date_hint)}</p>
                <FieldError problem=Box::new(field_problem(value, i18n, "first_date")) id="sch-first-error" />
            </fieldset>
            <ScheduleNextRuns saved_runs texts=preview_texts />
            <fieldset class="choices">
                <legend>{t!(i18n, alerts.template)}</legend>
                <label for="sch-title">{t!(i18n, alerts.field_title)}</label>
                <input id="sch-title" name="template[title]" required maxlength="200" value=template.title.clone() />
                <FieldError problem=Box::new(field_problem(value, i18n, "title")) id="sch-title-error" />
                <label for="sch-message">{t!(i18n, alerts.field_message)}</label>
                <textarea id="sch-message" name="template[message]" required maxlength="5000" rows="4">{template.message.clone()}</textarea>
                <FieldError problem=Box::new(field_problem(value, i18n, "message")) id="sch-message-error" />
                <label for="sch-kind">{t!(i18n, alerts.field_kind)}</label>
                <select id="sch-kind" name="template[kind]">
                    {AlertKind::ALL.into_iter().map(|k| view! { <option value=k.as_str() selected=template.kind == k.as_str()>{move || kind_text(i18n, k)}</option> }).collect_view()}
                </select>
                <label for="sch-audience">{t!(i18n, alerts.field_audience)}</label>
                // The whole list waits for the organisations (no suspense inside a `<select>`).
                <Suspense>
                    {move || {
                        let audience = audience.clone();
                        Suspend::new(async move {
                            let orgs = orgs.await;
                            view! {
                                <select id="sch-audience" name="template[audience]">
                                    <option value="everyone" selected=audience == "everyone">{t!(i18n, alerts.audience_everyone)}</option>
                                    {Role::ALL.into_iter().map(|r| {
                                        let value = Audience::Role(r).form_value();
                                        let selected = audience == value;
                                        view! { <option value=value selected=selected>{move || format!("{} : {}", t_string!(i18n, alerts.audience_role), role_text(i18n, r))}</option> }
                                    }).collect_view()}
                                    {orgs.into_iter().map(|o| {
                                        let value = Audience::Organisation(o.id).form_value();
                                        let selected = audience == value;
                                        view! { <option value=value selected=selected>{o.name}</option> }
                                    }).collect_view()}
                                </select>
                            }
                        })
                    }}
                </Suspense>
                <FieldError problem=Box::new(field_problem(value, i18n, "audience")) id="sch-audience-error" />
                <label for="sch-scope">{t!(i18n, alerts.field_scope)}</label>
                <select id="sch-scope" name="template[scope]">
                    {[ValidationScope::EachUser, ValidationScope::OnePerOrganisation].into_iter().map(|s| view! { <option value=s.as_str() selected=template.scope == s.as_str()>{move || scope_text(i18n, s)}</option> }).collect_view()}
                </select>
                <label for="sch-lifetime">{t!(i18n, alerts.field_lifetime)}</label>
                <input id="sch-lifetime" name="template[lifetime_days]" type="number" min="1" max="3650" value=template.lifetime_days.clone() />
                <FieldError problem=Box::new(field_problem(value, i18n, "lifetime_days")) id="sch-lifetime-error" />
            </fieldset>
            <button type="submit" class="button primary">{t!(i18n, alerts.save)}</button>
        </ActionForm>
        {(!is_new).then(|| view! {
            <ActionForm action=delete attr:class="danger-zone">
                <FormError problem=Box::new(form_problem(delete.value(), i18n)) />
                <input type="hidden" name="schedule_id" value=delete_id.unwrap_or_default().to_string() />
                <ConfirmBox text=t_string!(i18n, alerts.delete_confirm).to_string() problem=Box::new(field_problem(delete.value(), i18n, "confirm")) id="sch-confirm-error" />
                <button type="submit" class="button danger">{t!(i18n, alerts.schedule_delete)}</button>
            </ActionForm>
        })}
    }
}
