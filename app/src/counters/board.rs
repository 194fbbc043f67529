//! The client side of the counters: the organisation's dashboard, a shop's history and the
//! counter alerts, with the TV mode (refresh button, automatic refresh and page rotation every
//! two minutes, remembered per browser; `?kiosque=1` hides the navigation).

use super::alert_item::AlertItem;
use super::charts::{Bar, BarChart, Donut, LineChart};
use super::dashboard::*;
use super::paths::{ALERTS_PATH, DASHBOARD_PATH, EXPORT_PATH, LIST_PATH, shop_path};
use super::views::*;
use super::widgets::{OrganisationSelect, client_organisations, status_badge};
use super::{SiteFilter, SiteView};
use crate::auth::types::Role;
use crate::format::{count, permille_change};
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::layout::use_current_user;
use crate::ui::messages::{I18n, error_text};
use crate::ui::not_found::NotFoundPanel;
use crate::ui::page_data::{PageData, page_data};
use crate::ui::table::Pager;
use crate::ui::title::PageTitle;
use crate::ui::url::with_query;
use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::{use_location, use_params_map, use_query_map};
use leptos_router::params::ParamsMap;

const TV_PERIOD: std::time::Duration = std::time::Duration::from_secs(120);

fn params(q: &ParamsMap) -> Vec<(String, String)> {
    q.clone()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// The parameters that follow the TV from page to page.
fn kept(q: &ParamsMap) -> Vec<(&'static str, String)> {
    ["organisation", "kiosque"]
        .into_iter()
        .filter_map(|k| q.get(k).filter(|v| !v.is_empty()).map(|v| (k, v)))
        .collect()
}

fn is_kiosk(q: &ParamsMap) -> bool {
    q.get("kiosque").as_deref() == Some("1")
}

/// The page the rotation shows after `path` (the dashboard and its alerts, in turn), keeping
/// the organisation and the kiosk mode.
fn rotation_target(path: &str, q: &ParamsMap) -> String {
    let next = if path == DASHBOARD_PATH {
        ALERTS_PATH
    } else {
        DASHBOARD_PATH
    };
    with_query(next, Vec::new(), &[], kept(q))
}

#[component]
pub fn FootfallSection() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let is_admin = use_current_user().is_some_and(|u| u.role == Role::Admin);
    let href = move |path: &'static str| query.with(|q| with_query(path, Vec::new(), &[], kept(q)));
    view! {
        <Show when=move || !query.with(is_kiosk)>
            <nav class="tabs" aria-label=move || t_string!(i18n, dashboard.section).to_string()>
                <A href=move || href(DASHBOARD_PATH) exact=true>{t!(i18n, dashboard.tab_dashboard)}</A>
                <A href=move || href(ALERTS_PATH) exact=true>{t!(i18n, dashboard.tab_alerts)}</A>
                {is_admin.then(|| view! { <A href=LIST_PATH>{t!(i18n, dashboard.tab_manage)}</A> })}
            </nav>
        </Show>
        <Outlet />
    }
}

/// The refresh link with the time of the last refresh, the two TV switches and the kiosk link.
/// All plain links but the switches (the live part); a kiosk screen without JavaScript
/// refreshes and rotates through a `<meta http-equiv="refresh">`.
#[component]
fn TvBar(refreshed_at: String) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let location = use_location();
    let path = location.pathname.get_untracked();
    let (here, kiosk, kiosk_link, rotate_to) = query.with_untracked(|q| {
        let kiosk = is_kiosk(q);
        let add = (!kiosk).then(|| ("kiosque", "1".to_owned()));
        (
            with_query(&path, params(q), &[], []),
            kiosk,
            with_query(&path, params(q), &["kiosque"], add),
            rotation_target(&path, q),
        )
    });
    // Inside `<noscript>`: with JavaScript on, the browser reads it as text and ignores it.
    let fallback_refresh = kiosk.then(|| {
        let target = rotate_to.replace('&', "&amp;").replace('"', "&quot;");
        let meta = format!(
            r#"<meta http-equiv="refresh" content="{};url={target}">"#,
            TV_PERIOD.as_secs()
        );
        view! { <noscript inner_html=meta></noscript> }
    });
    view! {
        <div class="tv-bar" role="group" aria-label=move || t_string!(i18n, dashboard.tv_label).to_string()>
            // A full page load, so every figure comes fresh from the server.
            <a class="button" href=here rel="external">
                <span aria-hidden="true">"↻ "</span>
                {t!(i18n, dashboard.refresh)}
            </a>
            <span class="tv-time">
                {t!(i18n, dashboard.last_refresh)} " " <time data-testid="last-refresh">{refreshed_at}</time>
            </span>
            <TvSwitches
                auto_label=t_string!(i18n, dashboard.auto_refresh).to_string()
                rotate_label=t_string!(i18n, dashboard.auto_rotate).to_string()
                rotate_to
            />
            <a class="link-button" href=kiosk_link>
                {if kiosk {
                    t_string!(i18n, dashboard.kiosk_off).to_string()
                } else {
                    t_string!(i18n, dashboard.kiosk_on).to_string()
                }}
            </a>
            {fallback_refresh}
        </div>
    }
    .into_any()
}

/// The TV screen's two switches, automatic refresh and page rotation every two minutes. The
/// server renders them; the [`TvAutomation`] island makes them work (they are hidden without
/// JavaScript, where the kiosk page refreshes itself).
#[component]
fn TvSwitches(auto_label: String, rotate_label: String, rotate_to: String) -> impl IntoView {
    view! {
        <span class="tv-live" data-rotate-to=rotate_to>
            <label class="switch">
                <input type="checkbox" role="switch" name="auto" />
                {auto_label}
            </label>
            <label class="switch">
                <input type="checkbox" role="switch" name="rotation" />
                {rotate_label}
            </label>
            <TvAutomation />
        </span>
    }
}

/// The TV switches' behaviour, an island: each switch is remembered by the browser, and while
/// one is on the page loads in full every two minutes, the next page of the rotation or this
/// one again, as a screen without JavaScript does. It takes no props and renders nothing: it
/// wires the server's markup, so the islands' WASM carries no JSON or view code for it.
#[island]
pub fn TvAutomation() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    tv::wire_the_switches();
}

#[cfg(feature = "hydrate")]
mod tv {
    use super::TV_PERIOD;
    use leptos::prelude::document;
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::HtmlInputElement;

    const AUTO_KEY: &str = "comptoir.tv.actualisation";
    const ROTATE_KEY: &str = "comptoir.tv.rotation";

    pub fn wire_the_switches() {
        let Some(bar) = document().query_selector(".tv-live").ok().flatten() else {
            return;
        };
        let switch = |name: &str| {
            bar.query_selector(&format!("input[name={name}]"))
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        };
        let (Some(auto), Some(rotate)) = (switch("auto"), switch("rotation")) else {
            return;
        };
        let rotate_to = bar.get_attribute("data-rotate-to").unwrap_or_default();
        auto.set_checked(remembered(AUTO_KEY));
        rotate.set_checked(remembered(ROTATE_KEY));
        // The page loaded at the end of a period: the rotation's next page, or this one again.
        let tick = {
            let (auto, rotate) = (auto.clone(), rotate.clone());
            Closure::<dyn Fn()>::new(move || {
                let Some(location) = web_sys::window().map(|w| w.location()) else {
                    return;
                };
                let _ = if rotate.checked() {
                    location.assign(&rotate_to)
                } else if auto.checked() {
                    location.reload()
                } else {
                    Ok(())
                };
            })
        };
        let interval = Rc::new(Cell::new(None::<i32>));
        // (Re)starts the period while a switch is on, so it counts from the last change.
        let restart = {
            let (auto, rotate) = (auto.clone(), rotate.clone());
            move || {
                let Some(window) = web_sys::window() else {
                    return;
                };
                if let Some(id) = interval.take() {
                    window.clear_interval_with_handle(id);
                }
                if auto.checked() || rotate.checked() {
                    let period = i32::try_from(TV_PERIOD.as_millis()).unwrap_or(i32::MAX);
                    interval.set(
                        window
                            .set_interval_with_callback_and_timeout_and_arguments_0(
                                tick.as_ref().unchecked_ref(),
                                period,
                            )
                            .ok(),
                    );
                }
            }
        };
        restart();
        let restart = Rc::new(restart);
        for (input, key) in [(auto, AUTO_KEY), (rotate, ROTATE_KEY)] {
            let on_change = {
                let (input, restart) = (input.clone(), restart.clone());
                Closure::<dyn Fn()>::new(move || {
                    remember(key, input.checked());
                    restart();
                })
            };
            let _ = input
                .add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
            // Lives as long as the page.
            on_change.forget();
        }
    }

    /// A remembered switch (browser storage; nothing on the server).
    fn remembered(key: &str) -> bool {
        web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .and_then(|storage| storage.get_item(key).ok().flatten())
            .is_some_and(|v| v == "1")
    }

    fn remember(key: &str, on: bool) {
        if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
            // Storage may be full or disabled (private mode): the switch still works for this visit.
            let _ = storage.set_item(key, if on { "1" } else { "0" });
        }
    }
}

fn loading_line(i18n: I18n) -> impl IntoView {
    view! { <p class="loading">{t!(i18n, common.loading)}</p> }
}

fn error_notice(i18n: I18n, err: &crate::error::AppError) -> AnyView {
    view! { <p class="notice notice-error">{error_text(i18n, err)}</p> }.into_any()
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let filter = move || DashboardFilter {
        organisation_id: q("organisation"),
        group_id: q("groupe"),
        days: q("jours"),
    };
    let site_filter = move || SiteFilter {
        organisation_id: q("organisation"),
        search: q("q"),
        group_id: q("groupe"),
        page: q("page"),
        ..SiteFilter::default()
    };
    // One server call per fetch, shared by the builds of the page (see `ui::page_data`).
    let board = page_data(untrack(filter), counters_dashboard);
    let sites = page_data(untrack(site_filter), dashboard_sites);
    let is_admin = use_current_user().is_some_and(|u| u.role == Role::Admin);
    let orgs = is_admin.then(client_organisations);
    view! {
        <PageTitle text=|i| t_string!(i, dashboard.title).to_string() />
        <Transition fallback=move || loading_line(i18n)>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(d) => view! { <DashboardView d orgs /> }.into_any(),
                    Err(err) => error_notice(i18n, &err),
                }
            })}
        </Transition>
        <section class="card" aria-labelledby="counter-list-title">
            <h2 id="counter-list-title">{t!(i18n, dashboard.counters)}</h2>
            <form method="get" action=DASHBOARD_PATH class="filters" role="search">
                {move || query.with(|q| {
                    ["organisation", "groupe", "jours", "kiosque"]
                        .into_iter()
                        .filter_map(|k| q.get(k).filter(|v| !v.is_empty()).map(|v| view! { <input type="hidden" name=k value=v /> }))
                        .collect_view()
                })}
                <label>{t!(i18n, dashboard.search)}
                    <input type="search" name="q" value=move || q("q") autocomplete="off" />
                </label>
                <button type="submit" class="button">{t!(i18n, dashboard.search_button)}</button>
            </form>
            <Transition fallback=move || loading_line(i18n)>
                {move || Suspend::new(async move {
                    match sites.await {
                        Ok(page) if page.items.is_empty() => view! { <p class="muted">{t!(i18n, dashboard.no_counter)}</p> }.into_any(),
                        Ok(page) => view! {
                            <p class="muted">{t!(i18n, counters.count, n = page.total)}</p>
                            <ShopTable items=page.items />
                            <Pager page=page.page total=page.total per_page=page.per_page />
                        }.into_any(),
                        Err(err) => error_notice(i18n, &err),
                    }
                })}
            </Transition>
        </section>
    }
}

fn change_badge(i18n: I18n, c: &Comparison) -> impl IntoView + use<> {
    let (class, text) = match c.permille {
        Some(p) if p > 0 => ("change up", permille_change(p)),
        Some(p) if p < 0 => ("change down", permille_change(p)),
        Some(p) => ("change", permille_change(p)),
        None => ("change", t_string!(i18n, dashboard.no_change).to_string()),
    };
    view! { <span class=class>{text}</span> }
}

fn figure(i18n: I18n, n: Option<u64>) -> String {
    match n {
        Some(n) => count(n),
        None => t_string!(i18n, dashboard.no_data).to_string(),
    }
}

#[component]
fn ComparisonCard(title: String, reference: String, c: Comparison) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <article class="kpi">
            <h2>{title}</h2>
            <p class="kpi-value">{figure(i18n, c.current)}</p>
            <p class="kpi-change">{change_badge(i18n, &c)}</p>
            <p class="muted small">{c.current_span.clone()}</p>
            <p class="muted small">
                {reference} " : " {figure(i18n, c.previous)} " (" {c.previous_span.clone()} ")"
            </p>
        </article>
    }
    .into_any()
}

#[component]
fn DashboardView(d: Dashboard, orgs: Option<PageData<Vec<(i64, String)>>>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move |k: &str| query.with_untracked(|q| q.get(k).unwrap_or_default());
    let days_link = move |days: &str| {
        query.with_untracked(|q| {
            with_query(
                DASHBOARD_PATH,
                params(q),
                &["jours", "page"],
                [("jours", days.to_owned())],
            )
        })
    };
    let export = query.with_untracked(|q| {
        let mut add = vec![("jours", d.days.to_string())];
        add.extend(
            ["organisation", "groupe"]
                .into_iter()
                .filter_map(|k| q.get(k).filter(|v| !v.is_empty()).map(|v| (k, v))),
        );
        with_query(EXPORT_PATH, Vec::new(), &[], add)
    });
    let alerts_link = query.with_untracked(|q| with_query(ALERTS_PATH, Vec::new(), &[], kept(q)));
    let current_group = d
        .group
        .as_ref()
        .map(|g| g.id.to_string())
        .unwrap_or_default();
    let labels: Vec<String> = d.trend.iter().map(|p| p.date.clone()).collect();
    let values: Vec<Option<u64>> = d.trend.iter().map(|p| p.entries).collect();
    let bars: Vec<Bar> = d
        .top
        .iter()
        .map(|s| Bar {
            label: format!("{}. {} · {}", s.rank, s.shop_code, s.name),
            value: s.entries,
            href: shop_path(s.site_id),
        })
        .collect();
    let trend_title = match &d.group {
        Some(g) => t_string!(
            i18n,
            dashboard.trend_group,
            days = d.days,
            group = g.name.clone()
        )
        .to_string(),
        None => t_string!(i18n, dashboard.trend, days = d.days).to_string(),
    };
    let top_title = t_string!(i18n, dashboard.top, month = d.month.clone()).to_string();
    let donut_title = t_string!(
        i18n,
        dashboard.operational_of,
        n = d.operational,
        total = d.total
    )
    .to_string();
    view! {
        <div class="section-head">
            <h1>{d.organisation_name.clone()}</h1>
            <nav class="segmented" aria-label=move || t_string!(i18n, dashboard.period).to_string()>
                <a href=days_link("30") aria-current=(d.days == 30).then_some("page")>{t!(i18n, dashboard.days_30)}</a>
                <a href=days_link("90") aria-current=(d.days == 90).then_some("page")>{t!(i18n, dashboard.days_90)}</a>
            </nav>
        </div>
        <form method="get" action=DASHBOARD_PATH class="filters">
            {orgs.map(|orgs| view! {
                <label>{t!(i18n, counters.organisation)}
                    <OrganisationSelect orgs name="organisation" current=d.organisation_id.to_string() />
                </label>
            })}
            <label>{t!(i18n, dashboard.group)}
                <select name="groupe">
                    <option value="" selected=current_group.is_empty()>{t!(i18n, dashboard.all_shops)}</option>
                    {d.groups.iter().map(|g| {
                        let selected = current_group == g.id.to_string();
                        view! { <option value=g.id.to_string() selected=selected>{g.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <input type="hidden" name="jours" value=d.days.to_string() />
            {(q("kiosque") == "1").then(|| view! { <input type="hidden" name="kiosque" value="1" /> })}
            <button type="submit" class="button">{t!(i18n, dashboard.apply)}</button>
        </form>
        <TvBar refreshed_at=d.refreshed_at.clone() />
        {view! { <div class="kpis">
            <article class="kpi">
                <h2>{t!(i18n, dashboard.operational)}</h2>
                <Donut id="donut" title=donut_title.clone() part=d.operational whole=d.total />
                <p class="muted small">{donut_title}</p>
            </article>
            <ComparisonCard title=t_string!(i18n, dashboard.this_week).to_string() reference=t_string!(i18n, dashboard.last_week).to_string() c=d.week.clone() />
            <ComparisonCard title=t_string!(i18n, dashboard.this_month).to_string() reference=t_string!(i18n, dashboard.year_before).to_string() c=d.month_to_date.clone() />
            <article class="kpi">
                <h2>{t!(i18n, dashboard.open_alerts)}</h2>
                <p class="kpi-value">{d.open_alerts}</p>
                <a href=alerts_link>{t!(i18n, dashboard.see_alerts)}</a>
            </article>
        </div> }.into_any()}
        {view! { <section class="card">
            <h2>{trend_title.clone()}</h2>
            <LineChart id="trend" title=trend_title labels values />
            <p><a href=export download="">{t!(i18n, dashboard.export_csv)}</a></p>
        </section> }.into_any()}
        <section class="card">
            <h2>{top_title.clone()}</h2>
            {if bars.is_empty() {
                view! { <p class="muted">{t!(i18n, dashboard.top_empty)}</p> }.into_any()
            } else {
                view! { <BarChart id="top" title=top_title bars /> }.into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn ShopTable(items: Vec<SiteView>) -> impl IntoView {
    let i18n = use_i18n();
    let label = move |text: fn(I18n) -> String| move || text(i18n);
    view! {
        <div class="table-wrap">
            <table class="table" role="table">
                <thead role="rowgroup">
                    <tr role="row">
                        <th role="columnheader" scope="col">{t!(i18n, counters.shop_code)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, counters.name)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, counters.place)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, counters.status)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, counters.last_day)}</th>
                    </tr>
                </thead>
                <tbody role="rowgroup">
                    {items.into_iter().map(|s| view! {
                        <tr role="row" data-shop=s.shop_code.clone()>
                            <td role="cell" data-label=label(|i| t_string!(i, counters.shop_code).to_string())>
                                <a href=shop_path(s.id)>{s.shop_code.clone()}</a>
                            </td>
                            <td role="cell" data-label=label(|i| t_string!(i, counters.name).to_string())>{s.name.clone()}</td>
                            <td role="cell" data-label=label(|i| t_string!(i, counters.place).to_string())>{format!("{} ({})", s.city, s.country)}</td>
                            <td role="cell" data-label=label(|i| t_string!(i, counters.status).to_string())>
                                {status_badge(i18n, s.operational, s.not_operational_reason.clone())}
                            </td>
                            <td role="cell" data-label=label(|i| t_string!(i, counters.last_day).to_string())>
                                {s.last_day.clone().unwrap_or_else(|| t_string!(i18n, counters.no_data).to_string())}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The shop does not exist, or is another organisation's (the same answer, on purpose).
fn is_unknown_shop(err: &crate::error::AppError) -> bool {
    use crate::error::{AppError, Problem};
    match err {
        AppError::NotFound => true,
        AppError::Invalid(list) => list.iter().any(|p| p.problem == Problem::SiteUnknown),
        _ => false,
    }
}

#[component]
pub fn ShopPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let site_id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let q = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let history = page_data(
        untrack(|| (site_id(), q("du"), q("au"))),
        |(id, from, to)| shop_history(id, from, to),
    );
    view! {
        <PageTitle text=|i| t_string!(i, dashboard.shop_title).to_string() />
        <p><a href=DASHBOARD_PATH>{t!(i18n, dashboard.back)}</a></p>
        <Transition fallback=move || loading_line(i18n)>
            {move || Suspend::new(async move {
                match history.await {
                    Ok(h) => view! { <ShopView h /> }.into_any(),
                    // An unknown shop, or another organisation's: a 404, not a page in error.
                    Err(err) if is_unknown_shop(&err) => view! { <NotFoundPanel /> }.into_any(),
                    Err(err) => view! {
                        <h1>{t!(i18n, dashboard.shop_title)}</h1>
                        <RangeForm site_id=site_id() from=q("du") to=q("au") />
                        {error_notice(i18n, &err)}
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn RangeForm(site_id: i64, from: String, to: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form method="get" action=shop_path(site_id) class="filters range-form">
            <label>{t!(i18n, dashboard.from)}<input type="date" name="du" value=from /></label>
            <label>{t!(i18n, dashboard.to)}<input type="date" name="au" value=to /></label>
            <button type="submit" class="button">{t!(i18n, dashboard.apply)}</button>
        </form>
    }
    .into_any()
}

#[component]
fn ShopView(h: ShopReport) -> impl IntoView {
    let i18n = use_i18n();
    let site = h.site.clone();
    let path = shop_path(site.id);
    let to = h.to.clone();
    let preset = move |days: i64| {
        let first = chrono::NaiveDate::parse_from_str(&to, "%Y-%m-%d")
            .map(|last| (last - chrono::Duration::days(days - 1)).to_string())
            .unwrap_or_default();
        format!("{path}?du={first}&au={to}")
    };
    let export = format!("{EXPORT_PATH}?site={}&du={}&au={}", site.id, h.from, h.to);
    let labels: Vec<String> = h.days.iter().map(|d| d.date.clone()).collect();
    let values: Vec<Option<u64>> = h.days.iter().map(|d| d.entries).collect();
    let title = t_string!(i18n, dashboard.daily_entries, code = site.shop_code.clone()).to_string();
    let exits = h.exits.clone();
    let rows: Vec<(ChartDay, Option<u64>)> = h.days.iter().cloned().zip(exits).collect();
    let figure_text = move |f: &Option<DayFigure>| match f {
        Some(f) => format!("{} · {}", count(f.entries), f.date),
        None => t_string!(i18n, dashboard.no_data).to_string(),
    };
    view! {
        <div class="section-head">
            <h1>{format!("{} · {}", site.shop_code, site.name)}</h1>
            {status_badge(i18n, site.operational, site.not_operational_reason.clone())}
        </div>
        <p class="muted">
            {format!("{} — {} ({}) · {} → {} · {}", site.organisation_name, site.city, site.country, site.opens_at, site.closes_at, site.time_zone)}
        </p>
        <RangeForm site_id=site.id from=h.from.clone() to=h.to.clone() />
        <nav class="segmented" aria-label=move || t_string!(i18n, dashboard.period).to_string()>
            <a href=preset(7)>{t!(i18n, dashboard.days_7)}</a>
            <a href=preset(30)>{t!(i18n, dashboard.days_30)}</a>
            <a href=preset(90)>{t!(i18n, dashboard.days_90)}</a>
            <a href=preset(365)>{t!(i18n, dashboard.days_365)}</a>
        </nav>
        <div class="kpis">
            <article class="kpi"><h2>{t!(i18n, dashboard.total)}</h2><p class="kpi-value">{figure(i18n, h.total)}</p></article>
            <article class="kpi"><h2>{t!(i18n, dashboard.average)}</h2><p class="kpi-value">{figure(i18n, h.average)}</p></article>
            <article class="kpi"><h2>{t!(i18n, dashboard.best)}</h2><p class="kpi-value small-value">{figure_text(&h.best)}</p></article>
            <article class="kpi"><h2>{t!(i18n, dashboard.worst)}</h2><p class="kpi-value small-value">{figure_text(&h.worst)}</p></article>
        </div>
        <section class="card">
            <h2>{title.clone()}</h2>
            <LineChart id="history" title=title labels values />
            <p><a href=export download="">{t!(i18n, dashboard.export_csv)}</a></p>
        </section>
        <section class="card">
            <h2>{t!(i18n, dashboard.gaps_title)}</h2>
            <p>{t!(i18n, dashboard.days_with_data, n = h.days_with_data, total = h.days.len())}</p>
            {if h.gaps.is_empty() {
                view! { <p class="muted">{t!(i18n, dashboard.no_gap)}</p> }.into_any()
            } else {
                view! {
                    <ul class="gap-list">
                        {h.gaps.iter().map(|g| {
                            let text = if g.days == 1 {
                                g.first.clone()
                            } else {
                                format!("{} → {} ({})", g.first, g.last, t_string!(i18n, dashboard.n_days, n = g.days))
                            };
                            view! { <li>{text}</li> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <details class="card">
            <summary>{t!(i18n, dashboard.days_table)}</summary>
            <div class="table-wrap">
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, dashboard.col_day)}</th>
                            <th scope="col" class="num">{t!(i18n, dashboard.col_entries)}</th>
                            <th scope="col" class="num">{t!(i18n, dashboard.col_exits)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().rev().map(|(d, exits)| view! {
                            <tr>
                                <td>{d.date}</td>
                                <td class="num">{figure(i18n, d.entries)}</td>
                                <td class="num">{exits.map(count).unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
    .into_any()
}

#[component]
pub fn CounterAlertsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let acknowledge = ServerAction::<AcknowledgeCounterAlert>::new();
    let q = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let filter = move || AlertFilter {
        organisation_id: q("organisation"),
        show: q("voir"),
        page: q("page"),
    };
    let alerts = page_data(untrack(filter), counter_alerts);
    let is_admin = use_current_user().is_some_and(|u| u.role == Role::Admin);
    let orgs = is_admin.then(client_organisations);
    let show_link = move |all: bool| {
        query.with(|q| {
            let add = all.then(|| ("voir", "toutes".to_owned()));
            with_query(ALERTS_PATH, params(q), &["voir", "page"], add)
        })
    };
    view! {
        <PageTitle text=|i| t_string!(i, dashboard.alerts_title).to_string() />
        <div class="section-head">
            <h1>{t!(i18n, dashboard.alerts_title)}</h1>
            <nav class="segmented" aria-label=move || t_string!(i18n, dashboard.alerts_filter).to_string()>
                <a href=move || show_link(false) aria-current=move || (q("voir") != "toutes").then_some("page")>{t!(i18n, dashboard.alerts_open)}</a>
                <a href=move || show_link(true) aria-current=move || (q("voir") == "toutes").then_some("page")>{t!(i18n, dashboard.alerts_all)}</a>
            </nav>
        </div>
        {orgs.map(|orgs| view! {
            <form method="get" action=ALERTS_PATH class="filters">
                <label>{t!(i18n, counters.organisation)}
                    <OrganisationSelect orgs name="organisation" current=q("organisation") empty=t_string!(i18n, counters.all_organisations).to_string() />
                </label>
                <button type="submit" class="button">{t!(i18n, dashboard.apply)}</button>
            </form>
        })}
        <Transition fallback=move || loading_line(i18n)>
            {move || Suspend::new(async move {
                match alerts.await {
                    Ok(page) => view! {
                        <TvBar refreshed_at=page.refreshed_at.clone() />
                        <p class="muted">{t!(i18n, dashboard.alerts_count, open = page.open)}</p>
                        {if page.items.is_empty() {
                            view! { <p class="muted">{t!(i18n, dashboard.alerts_empty)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="counter-alerts">
                                    {page.items.into_iter().map(|a| view! { <AlertItem a action=acknowledge /> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <Pager page=page.page total=page.total per_page=page.per_page />
                    }.into_any(),
                    Err(err) => error_notice(i18n, &err),
                }
            })}
        </Transition>
    }
}
