//! The agency's counter screens: the counter list with its editor, CSV imports and API tokens.

use super::groups::{DELETE_PARAM, GroupAdmin, GroupDeleteDialog};
use super::paths::{IMPORT_PAGE, IMPORT_PATH, LIST_PATH, TOKENS_PAGE};
use super::server::*;
use super::widgets::{OrganisationSelect, client_organisations, status_badge};
use super::{ImportView, SiteFields, SiteFilter, SiteView, StoreGroup, TokenView};
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::forms::{ConfirmBox, FieldError, FormError, field_problem, form_problem};
use crate::ui::loading::loaded;
use crate::ui::messages::I18n;
use crate::ui::modal::Modal;
use crate::ui::page_data::{PageData, page_data};
use crate::ui::posted::{posted, refused_form};
use crate::ui::table::Pager;
use crate::ui::title::PageTitle;
use crate::ui::url::with_query;
use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::use_query_map;

type Tab = (&'static str, fn(I18n) -> String);

#[component]
pub fn CountersAdminSection() -> impl IntoView {
    let i18n = use_i18n();
    let tabs: [Tab; 3] = [
        (LIST_PATH, |i| {
            t_string!(i, counters.tab_counters).to_string()
        }),
        (IMPORT_PAGE, |i| {
            t_string!(i, counters.tab_import).to_string()
        }),
        (TOKENS_PAGE, |i| {
            t_string!(i, counters.tab_tokens).to_string()
        }),
    ];
    view! {
        <nav class="tabs" aria-label=move || t_string!(i18n, counters.section).to_string()>
            {tabs.into_iter().map(|(href, label)| view! { <A href=href exact=true>{move || label(i18n)}</A> }).collect_view()}
        </nav>
        <Outlet />
    }
}

#[component]
pub fn CountersListPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let save = ServerAction::<SaveSite>::new();
    let status = ServerAction::<SetSiteOperational>::new();
    let groups_set = ServerAction::<SetSiteGroups>::new();
    let remove = ServerAction::<DeleteSite>::new();
    let group_create = ServerAction::<CreateStoreGroup>::new();
    let q = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let filter = move || SiteFilter {
        organisation_id: q("organisation"),
        search: q("q"),
        country: q("pays"),
        city: q("ville"),
        group_id: String::new(),
        page: q("page"),
    };
    let sites = page_data(untrack(filter), list_sites);
    let orgs = client_organisations();
    let editing = move || q("modifier").parse::<i64>().ok();
    let deleting_group = untrack(|| q(DELETE_PARAM).parse::<i64>().ok());
    // The edited counter and its organisation's groups load at the page's level, in one server
    // call, with the list (inside the modal, the fetch would start only once the list loaded).
    let editor = page_data(untrack(editing), |editing| async move {
        match editing {
            Some(id) => site_editor(id).await.map(Some),
            None => Ok::<_, AppError>(None),
        }
    });
    // Each server function leaves its flash message; saving and deleting also move on (to the
    // saved counter's editor, to the list) by a redirect, with or without JavaScript.
    view! {
        <PageTitle text=|i| t_string!(i, counters.tab_counters).to_string() />
        <div class="section-head">
            <h1>{t!(i18n, counters.tab_counters)}</h1>
            <a class="button primary" href=format!("{LIST_PATH}?nouveau=1")>{t!(i18n, counters.new_counter)}</a>
        </div>
        <form method="get" action=LIST_PATH class="filters">
            <label>{t!(i18n, counters.organisation)}
                <OrganisationSelect orgs name="organisation" current=q("organisation") empty=t_string!(i18n, counters.all_organisations).to_string() />
            </label>
            <label>{t!(i18n, counters.search)}<input type="search" name="q" value=q("q") /></label>
            <label>{t!(i18n, counters.country)}<input name="pays" value=q("pays") maxlength="2" autocapitalize="characters" /></label>
            <label>{t!(i18n, counters.city)}<input name="ville" value=q("ville") /></label>
            <button type="submit" class="button">{t!(i18n, counters.filter)}</button>
        </form>
        {loaded(sites, move |page| {
            if page.items.is_empty() {
                return view! { <p class="muted">{t!(i18n, counters.empty)}</p> }.into_any();
            }
            view! {
                <p class="muted">{t!(i18n, counters.count, n = page.total)}</p>
                <SiteTable items=page.items />
                <Pager page=page.page total=page.total per_page=page.per_page />
            }.into_any()
        })}
        {move || {
            let creating = q("nouveau") == "1";
            creating.then(|| view! {
                <Modal title=t_string!(i18n, counters.new_counter).to_string() close=LIST_PATH.to_owned()>
                    <SiteForm save existing=None orgs preset=q("organisation") />
                </Modal>
            })
        }}
        {move || editing().map(|site_id| match deleting_group {
            // `&supprimer-groupe=<id>`: that group's deletion step, a dialog over the list.
            Some(group_id) => loaded(editor, move |found: Option<(SiteView, Vec<StoreGroup>)>| {
                let group = found.and_then(|(_, groups)| groups.into_iter().find(|g| g.id == group_id));
                view! { <GroupDeleteDialog group site_id /> }
            }).into_any(),
            None => view! {
            <Modal title=t_string!(i18n, counters.edit_counter).to_string() close=LIST_PATH.to_owned()>
                {loaded(editor, move |found: Option<(SiteView, Vec<StoreGroup>)>| {
                    found.map(|(site, groups)| {
                        let id = site.id;
                        view! {
                            <SiteForm save existing=Some(site.clone()) orgs preset=String::new() />
                            <GroupsForm action=groups_set create=group_create site=site.clone() groups />
                            <StatusForm action=status site=site.clone() />
                            <ActionForm action=remove attr:class="form danger-zone modal-secondary">
                                <FormError problem=Box::new(form_problem(remove.value(), i18n)) />
                                <input type="hidden" name="site_id" value=id.to_string() />
                                <ConfirmBox text=t_string!(i18n, counters.delete_confirm).to_string() problem=Box::new(field_problem(remove.value(), i18n, "confirm")) id="site-confirm-error" />
                                <FieldError problem=Box::new(field_problem(remove.value(), i18n, "site")) id="site-delete-error" />
                                <button type="submit" class="button danger">{t!(i18n, counters.delete)}</button>
                            </ActionForm>
                        }
                    })
                })}
            </Modal>
            }.into_any(),
        })}
    }
}

#[component]
fn SiteTable(items: Vec<SiteView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="table" role="table">
                <thead role="rowgroup"><tr role="row">
                    <th role="columnheader" scope="col">{t!(i18n, counters.organisation)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, counters.shop_code)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, counters.name)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, counters.place)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, counters.status)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, counters.last_day)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, counters.updated_at)}</th>
                </tr></thead>
                <tbody role="rowgroup">
                    {items.into_iter().map(|s| {
                        view! {
                            <tr role="row" data-shop=s.shop_code.clone()>
                                <td role="cell" data-label=move || t_string!(i18n, counters.organisation).to_string()>{s.organisation_name.clone()}</td>
                                <td role="cell" data-label=move || t_string!(i18n, counters.shop_code).to_string()>
                                    <a href=format!("{LIST_PATH}?modifier={}", s.id)>{s.shop_code.clone()}</a>
                                </td>
                                <td role="cell" data-label=move || t_string!(i18n, counters.name).to_string()>{s.name.clone()}</td>
                                <td role="cell" data-label=move || t_string!(i18n, counters.place).to_string()>{format!("{} ({})", s.city, s.country)}</td>
                                <td role="cell" data-label=move || t_string!(i18n, counters.status).to_string()>
                                    {status_badge(i18n, s.operational, s.not_operational_reason.clone())}
                                </td>
                                <td role="cell" data-label=move || t_string!(i18n, counters.last_day).to_string()>{s.last_day.clone().unwrap_or_else(|| t_string!(i18n, counters.no_data).to_string())}</td>
                                <td role="cell" data-label=move || t_string!(i18n, counters.updated_at).to_string()>{s.updated_at.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn SiteForm(
    save: ServerAction<SaveSite>,
    existing: Option<SiteView>,
    orgs: PageData<Vec<(i64, String)>>,
    preset: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let value = save.value();
    let saved = existing
        .as_ref()
        .map(SiteView::fields)
        .unwrap_or(SiteFields {
            organisation_id: preset,
            country: "FR".into(),
            opens_at: "09:00".into(),
            closes_at: "19:00".into(),
            time_zone: "Europe/Paris".into(),
            ..Default::default()
        });
    // Coming back refused (JavaScript off), the form starts from the user's input.
    let f = match refused_form::<SaveSite>() {
        Some(form) => {
            let field = |name: &str| form.nested("fields", name);
            SiteFields {
                id: field("id"),
                organisation_id: field("organisation_id"),
                shop_code: field("shop_code"),
                name: field("name"),
                ip: field("ip"),
                country: field("country"),
                city: field("city"),
                opens_at: field("opens_at"),
                closes_at: field("closes_at"),
                time_zone: field("time_zone"),
            }
        }
        None => saved,
    };
    let field = move |name: &'static str, label: String, current: String, extra: &'static str| {
        let id = format!("site-{name}");
        let error_id = format!("site-{name}-error");
        let kind = if extra == "time" { "time" } else { "text" };
        view! {
            <label for=id.clone()>{label}</label>
            <input id=id name=format!("fields[{name}]") type=kind value=current required=extra != "optional"
                aria-describedby=error_id.clone() />
            <FieldError problem=Box::new(field_problem(value, i18n, name)) id=error_id />
        }
    };
    let org_current = f.organisation_id.clone();
    let locked = existing.is_some();
    view! {
        <ActionForm action=save attr:class="form" attr:id="site-form">
            <FormError problem=Box::new(form_problem(value, i18n)) />
            <input type="hidden" name="fields[id]" value=f.id.clone() />
            {if locked {
                view! { <input type="hidden" name="fields[organisation_id]" value=f.organisation_id.clone() /> }.into_any()
            } else {
                view! {
                    <label for="site-organisation_id">{t!(i18n, counters.organisation)}</label>
                    <OrganisationSelect orgs id="site-organisation_id" name="fields[organisation_id]" current=org_current.clone() empty=t_string!(i18n, counters.choose).to_string() required=true />
                    <FieldError problem=Box::new(field_problem(value, i18n, "organisation_id")) id="site-organisation_id-error" />
                }.into_any()
            }}
            {field("shop_code", t_string!(i18n, counters.shop_code).to_string(), f.shop_code.clone(), "")}
            {field("name", t_string!(i18n, counters.name).to_string(), f.name.clone(), "")}
            {field("ip", t_string!(i18n, counters.ip).to_string(), f.ip.clone(), "optional")}
            {field("country", t_string!(i18n, counters.country_code).to_string(), f.country.clone(), "")}
            {field("city", t_string!(i18n, counters.city).to_string(), f.city.clone(), "")}
            {field("opens_at", t_string!(i18n, counters.opens_at).to_string(), f.opens_at.clone(), "time")}
            {field("closes_at", t_string!(i18n, counters.closes_at).to_string(), f.closes_at.clone(), "time")}
            {field("time_zone", t_string!(i18n, counters.time_zone).to_string(), f.time_zone.clone(), "")}
            <button type="submit" class="button primary">{t!(i18n, counters.save)}</button>
        </ActionForm>
    }
}

#[component]
fn GroupsForm(
    action: ServerAction<SetSiteGroups>,
    create: ServerAction<CreateStoreGroup>,
    site: SiteView,
    groups: Vec<StoreGroup>,
) -> impl IntoView {
    let i18n = use_i18n();
    let member_of: Vec<i64> = site.groups.iter().map(|g| g.id).collect();
    let all_groups = groups.clone();
    view! {
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="site_id" value=site.id.to_string() />
            <fieldset class="choices">
                <legend>{t!(i18n, counters.groups)}</legend>
                {if groups.is_empty() {
                    view! { <p class="muted">{t!(i18n, counters.no_groups)}</p> }.into_any()
                } else {
                    groups.into_iter().enumerate().map(|(i, g)| {
                        let checked = member_of.contains(&g.id);
                        view! {
                            <label class="choice">
                                <input type="checkbox" name=format!("group_ids[{i}]") value=g.id.to_string() checked=checked />
                                {g.name}
                            </label>
                        }
                    }).collect_view().into_any()
                }}
            </fieldset>
            <FieldError problem=Box::new(field_problem(action.value(), i18n, "groups")) id="site-groups-error" />
            <button type="submit" class="button">{t!(i18n, counters.save_groups)}</button>
        </ActionForm>
        <GroupCreate create organisation_id=site.organisation_id />
        <GroupAdmin site_id=site.id groups=all_groups />
    }
}

#[component]
fn GroupCreate(create: ServerAction<CreateStoreGroup>, organisation_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ActionForm action=create attr:class="form inline-form">
            <input type="hidden" name="organisation_id" value=organisation_id.to_string() />
            <label for="group-name">{t!(i18n, counters.new_group)}</label>
            <input id="group-name" name="name" required maxlength="80" value={posted::<CreateStoreGroup>("name", "")} />
            <FieldError problem=Box::new(field_problem(create.value(), i18n, "name")) id="group-name-error" />
            <button type="submit" class="button">{t!(i18n, counters.add_group)}</button>
        </ActionForm>
    }
}

#[component]
fn StatusForm(action: ServerAction<SetSiteOperational>, site: SiteView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="site_id" value=site.id.to_string() />
            {if site.operational {
                view! {
                    <input type="hidden" name="operational" value="false" />
                    <label for="site-reason">{t!(i18n, counters.reason)}</label>
                    <textarea id="site-reason" name="reason" rows="2" required maxlength="500">{posted::<SetSiteOperational>("reason", "")}</textarea>
                    <FieldError problem=Box::new(field_problem(action.value(), i18n, "reason")) id="site-reason-error" />
                    <button type="submit" class="button">{t!(i18n, counters.mark_not_operational)}</button>
                }.into_any()
            } else {
                view! {
                    <input type="hidden" name="operational" value="true" />
                    <p>{t!(i18n, counters.not_operational)} " : " {site.not_operational_reason.clone().unwrap_or_default()}</p>
                    <button type="submit" class="button">{t!(i18n, counters.mark_operational)}</button>
                }.into_any()
            }}
        </ActionForm>
    }
}

#[component]
pub fn CountImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let orgs = client_organisations();
    let report_id = untrack(|| q("rapport").parse::<i64>().ok());
    let report = page_data(report_id, |report_id| async move {
        match report_id {
            Some(id) => count_import(id).await.map(Some),
            None => Ok(None),
        }
    });
    let history = page_data((), |_| list_count_imports());
    let error = move || {
        let code = q("erreur");
        (!code.is_empty()).then(|| match code.as_str() {
            "fichier" => t_string!(i18n, problems.import_file_required).to_string(),
            "taille" => t_string!(i18n, problems.import_too_large).to_string(),
            "organisation" => t_string!(i18n, problems.organisation_unknown).to_string(),
            "entete" => format!(
                "{} {}",
                t_string!(i18n, counters.header_invalid),
                q("detail")
            ),
            "refuse" => format!(
                "{} {}",
                t_string!(i18n, counters.import_refused),
                q("detail")
            ),
            _ => t_string!(i18n, problems.import_interrupted).to_string(),
        })
    };
    view! {
        <PageTitle text=|i| t_string!(i, counters.tab_import).to_string() />
        <h1>{t!(i18n, counters.tab_import)}</h1>
        <p class="hint">{t!(i18n, counters.import_help)}</p>
        {move || error().map(|e| view! { <p class="notice notice-error" role="alert">{e}</p> })}
        <form method="post" action=IMPORT_PATH enctype="multipart/form-data" class="form">
            <label for="import-organisation">{t!(i18n, counters.organisation)}</label>
            <OrganisationSelect orgs id="import-organisation" name="organisation_id" current=q("organisation") empty=t_string!(i18n, counters.choose).to_string() required=true />
            <label for="import-file">{t!(i18n, counters.csv_file)}</label>
            <input id="import-file" name="file" type="file" accept=".csv,text/csv" required />
            <button type="submit" class="button primary">{t!(i18n, counters.import)}</button>
        </form>
        {loaded(report, move |found: Option<ImportView>| found.map(|r| view! { <ImportReportView import=r /> }))}
        <section class="panel">
            <h2>{t!(i18n, counters.history)}</h2>
            {loaded(history, move |list: Vec<ImportView>| view! {
                <ul class="import-list">
                    {list.into_iter().map(|r| view! {
                        <li>
                            <a href=format!("{IMPORT_PAGE}?rapport={}", r.id)>{r.file_name.clone()}</a>
                            " — " {r.organisation_name.clone()} " — " {r.created_at.clone()} " — "
                            {t!(i18n, counters.import_counts, accepted = r.report.accepted, rejected = r.report.rejected_total)}
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
fn ImportReportView(import: ImportView) -> impl IntoView {
    let i18n = use_i18n();
    let hidden = import
        .report
        .rejected_total
        .saturating_sub(import.report.rejected.len() as u64);
    view! {
        <section class="panel" aria-labelledby="import-report" data-import=import.id.to_string()>
            <h2 id="import-report">{t!(i18n, counters.report)} " — " {import.file_name.clone()}</h2>
            <p data-accepted=import.report.accepted.to_string()>
                {t!(i18n, counters.import_counts, accepted = import.report.accepted, rejected = import.report.rejected_total)}
                " (" {import.organisation_name.clone()} ", " {import.created_at.clone()} ")"
            </p>
            {(!import.report.rejected.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="table" role="table">
                        <thead role="rowgroup"><tr role="row">
                            <th role="columnheader" scope="col">{t!(i18n, counters.line)}</th>
                            <th role="columnheader" scope="col">{t!(i18n, counters.problem)}</th>
                        </tr></thead>
                        <tbody role="rowgroup">
                            {import.report.rejected.iter().map(|r| view! {
                                <tr role="row" data-line=r.position.to_string()>
                                    <td role="cell" data-label=move || t_string!(i18n, counters.line).to_string()>{r.position}</td>
                                    <td role="cell" data-label=move || t_string!(i18n, counters.problem).to_string()>{r.message.clone()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {(hidden > 0).then(|| view! { <p class="muted">{t!(i18n, counters.more_rejections, n = hidden)}</p> })}
        </section>
    }
}

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let orgs = client_organisations();
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let tokens = page_data(untrack(|| q("organisation")), |org| async move {
        if org.is_empty() {
            Ok(Vec::new())
        } else {
            list_api_tokens(org).await
        }
    });
    // `?revoquer=<id>` opens that token's revocation step: a dialog closed by a link back to
    // the list, with a box to tick (checked by the server too), so one tap revokes nothing.
    let revoking = untrack(|| q("revoquer").parse::<i64>().ok());
    let org = untrack(|| q("organisation"));
    let list_path = with_query(
        TOKENS_PAGE,
        Vec::new(),
        &[],
        [("organisation", org.clone())],
    );
    // The new token comes back once in the flash message, beside its text.
    view! {
        <PageTitle text=|i| t_string!(i, counters.tab_tokens).to_string() />
        <h1>{t!(i18n, counters.tab_tokens)}</h1>
        <p class="hint">{t!(i18n, counters.tokens_help)} " " <a href="/api/v1/openapi.json" rel="external">"OpenAPI"</a></p>
        <form method="get" action=TOKENS_PAGE class="filters">
            <label>{t!(i18n, counters.organisation)}
                <OrganisationSelect orgs name="organisation" current=q("organisation") empty=t_string!(i18n, counters.choose).to_string() required=true />
            </label>
            <button type="submit" class="button">{t!(i18n, counters.show)}</button>
        </form>
        {move || (!q("organisation").is_empty()).then(|| view! {
            <ActionForm action=create attr:class="form inline-form">
                <input type="hidden" name="organisation_id" value=q("organisation") />
                <label for="token-name">{t!(i18n, counters.token_name)}</label>
                <FormError problem=Box::new(form_problem(create.value(), i18n)) />
                <input id="token-name" name="name" required maxlength="80" value={posted::<CreateApiToken>("name", "")} />
                <FieldError problem=Box::new(field_problem(create.value(), i18n, "name")) id="token-name-error" />
                <button type="submit" class="button primary">{t!(i18n, counters.create_token)}</button>
            </ActionForm>
        })}
        <FormError problem=Box::new(form_problem(revoke.value(), i18n)) />
        {loaded(tokens, move |list: Vec<TokenView>| {
            let dialog = revoking.and_then(|id| list.iter().find(|t| t.id == id && t.revoked_at.is_none()).cloned());
            view! {
            <ul class="token-list">
                {list.into_iter().map(|tok| {
                    let id = tok.id;
                    let revoked = tok.revoked_at.clone();
                    let name_id = format!("token-{id}-name");
                    let ask = with_query(TOKENS_PAGE, Vec::new(), &[], [("organisation", org.clone()), ("revoquer", id.to_string())]);
                    view! {
                        <li data-token-id=id.to_string()>
                            <strong id=name_id.clone()>{tok.name.clone()}</strong> " " <code>{format!("{}…", tok.display_prefix)}</code>
                            " — " {t!(i18n, counters.created_on)} " " {tok.created_at.clone()}
                            {tok.created_by.clone().map(|by| view! { " (" {by} ")" })}
                            " — " {t!(i18n, counters.last_used)} " " {tok.last_used_at.clone().unwrap_or_else(|| t_string!(i18n, counters.never).to_string())}
                            {match revoked {
                                Some(at) => view! { " — " <span class="badge status-off">{t!(i18n, counters.revoked)} " " {at}</span> }.into_any(),
                                None => view! {
                                    " "
                                    <a class="button small danger" href=ask aria-describedby=name_id>{t!(i18n, counters.revoke)}</a>
                                }.into_any(),
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {dialog.map(|token| view! { <RevokeDialog token revoke back=list_path.clone() /> })}
            }
        })}
    }
}

/// A token's revocation step: what it stops, and a box to tick.
#[component]
fn RevokeDialog(
    token: TokenView,
    revoke: ServerAction<RevokeApiToken>,
    back: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let title = t_string!(i18n, counters.revoke_title, name = token.name.clone()).to_string();
    let prefix = format!("{}…", token.display_prefix);
    let id = token.id;
    view! {
        <Modal title close=back.clone()>
            <ActionForm action=revoke attr:class="form danger-zone" attr:id="token-revoke-form">
                <p>{t!(i18n, counters.revoke_text)} " " <code>{prefix}</code></p>
                <input type="hidden" name="token_id" value=id.to_string() />
                // Once revoked, back to the list (the dialog's address names a revoked token).
                <input type="hidden" name="back" value=back.clone() />
                <ConfirmBox text=t_string!(i18n, counters.revoke_confirm).to_string() problem=Box::new(field_problem(revoke.value(), i18n, "confirm")) id="token-confirm-error" />
                <button type="submit" class="button danger">{t!(i18n, counters.revoke_submit)}</button>
                <a class="button" href=back>{t!(i18n, counters.cancel)}</a>
            </ActionForm>
        </Modal>
    }
}
