//! Home, organisations, accounts and "my account" pages.

use super::server::*;
use super::{AccountSummary, OrganisationSummary};
use crate::auth::server::ChangePassword;
use crate::auth::types::Role;
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::forms::{FieldError, FormError, LoadedSelect, field_problem, form_problem};
use crate::ui::layout::use_current_user;
use crate::ui::loading::loaded;
use crate::ui::messages::role_text;
use crate::ui::page_data::page_data;
use crate::ui::posted::{posted, refused_form};
use crate::ui::title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_current_user();
    let role = user.as_ref().map(|u| u.role).unwrap_or(Role::Viewer);
    let name = user
        .as_ref()
        .map(|u| u.display_name.clone())
        .unwrap_or_default();
    let org = user
        .as_ref()
        .map(|u| u.organisation_name.clone())
        .unwrap_or_default();
    let stats = page_data(role, |role| async move {
        if role != Role::Admin {
            return None;
        }
        let orgs = list_organisations().await.ok()?;
        let accounts = orgs.iter().map(|o| o.accounts).sum::<i64>();
        Some((orgs.len(), accounts))
    });
    view! {
        <PageTitle text=|i| t_string!(i, home.title).to_string() />
        <section class="panel">
            <h1>{t!(i18n, home.welcome, name = name.clone())}</h1>
            <dl class="facts">
                <dt>{t!(i18n, home.signed_in_as)}</dt>
                <dd>{move || role_text(i18n, role)}</dd>
                <dt>{t!(i18n, home.organisation)}</dt>
                <dd>{org.clone()}</dd>
            </dl>
            <p>
                {move || match role {
                    Role::Admin => t_string!(i18n, home.admin_intro).to_string(),
                    Role::Accountant => t_string!(i18n, home.accountant_intro).to_string(),
                    Role::Viewer => t_string!(i18n, home.viewer_intro).to_string(),
                }}
            </p>
        </section>
        <Suspense>
            {move || Suspend::new(async move {
                stats
                    .await
                    .map(|(orgs, accounts)| {
                        view! {
                            <section class="cards">
                                <a class="card" href="/admin/organisations">
                                    <span class="card-value">{orgs}</span>
                                    <span class="card-label">{t!(i18n, home.organisations_count)}</span>
                                </a>
                                <a class="card" href="/admin/comptes">
                                    <span class="card-value">{accounts}</span>
                                    <span class="card-label">{t!(i18n, home.accounts_count)}</span>
                                </a>
                            </section>
                        }
                    })
            })}
        </Suspense>
    }
}

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateOrganisation>::new();
    let orgs = page_data((), |_| list_organisations());
    let name_problem = field_problem(create.value(), i18n, "name");
    let slug_problem = field_problem(create.value(), i18n, "slug");
    view! {
        <PageTitle text=|i| t_string!(i, orgs.title).to_string() />
        <h1>{t!(i18n, orgs.title)}</h1>
        {loaded(orgs, move |list| view! { <OrganisationTable list /> })}
        <section class="panel">
            <h2>{t!(i18n, orgs.new)}</h2>
            <ActionForm action=create attr:class="form">
                <FormError problem=Box::new(form_problem(create.value(), i18n)) />
                <label for="org-name">{t!(i18n, orgs.name)}</label>
                <input id="org-name" name="name" required maxlength="120" value={posted::<CreateOrganisation>("name", "")} aria-describedby="org-name-error" />
                <FieldError problem=Box::new(name_problem) id="org-name-error" />
                <label for="org-slug">{t!(i18n, orgs.slug)}</label>
                <input id="org-slug" name="slug" pattern="[a-z0-9\\-]*" value={posted::<CreateOrganisation>("slug", "")} aria-describedby="org-slug-hint org-slug-error" />
                <p class="hint" id="org-slug-hint">{t!(i18n, orgs.slug_hint)}</p>
                <FieldError problem=Box::new(slug_problem) id="org-slug-error" />
                <button type="submit" class="button primary">{t!(i18n, orgs.create)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn OrganisationTable(list: Vec<OrganisationSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return view! { <p>{t!(i18n, orgs.empty)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table" role="table">
                <thead role="rowgroup">
                    <tr role="row">
                        <th role="columnheader" scope="col">{t!(i18n, orgs.name)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, orgs.slug)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, orgs.kind)}</th>
                        <th role="columnheader" scope="col" class="num">{t!(i18n, orgs.accounts)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, orgs.created)}</th>
                    </tr>
                </thead>
                <tbody role="rowgroup">
                    {list
                        .into_iter()
                        .map(|o| {
                            let agency = o.is_agency;
                            view! {
                                <tr role="row">
                                    <td role="cell" data-label=move || t_string!(i18n, orgs.name).to_string()>{o.name}</td>
                                    <td role="cell" data-label=move || t_string!(i18n, orgs.slug).to_string()><code>{o.slug}</code></td>
                                    <td role="cell" data-label=move || t_string!(i18n, orgs.kind).to_string()>
                                        {move || if agency {
                                            t_string!(i18n, orgs.agency).to_string()
                                        } else {
                                            t_string!(i18n, orgs.client).to_string()
                                        }}
                                    </td>
                                    <td role="cell" class="num" data-label=move || t_string!(i18n, orgs.accounts).to_string()>{o.accounts}</td>
                                    <td role="cell" data-label=move || t_string!(i18n, orgs.created).to_string()>{o.created_on}</td>
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

/// Admins see and manage every account; accountants see their own organisation's team.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let i18n = use_i18n();
    let is_admin = use_current_user().is_some_and(|u| u.role == Role::Admin);
    // The organisation filter lives in the URL (a GET form), so it works without JavaScript.
    let query = use_query_map();
    let filter = move || query.with(|q| q.get("organisation").unwrap_or_default());
    let create = ServerAction::<CreateAccount>::new();
    let toggle = ServerAction::<SetAccountDisabled>::new();
    let accounts = page_data(untrack(filter), list_accounts);
    let orgs = page_data(is_admin, |is_admin| async move {
        if is_admin {
            list_organisations().await.unwrap_or_default()
        } else {
            Vec::new()
        }
    });
    let title = move || {
        if is_admin {
            t_string!(i18n, accounts.title).to_string()
        } else {
            t_string!(i18n, accounts.team_title).to_string()
        }
    };
    // A whole `<select>` waits for the organisations (see `LoadedSelect`).
    let org_select = move |id: &'static str, selected: Option<String>, with_all: bool| {
        Suspend::new(async move {
            let options = orgs
                .await
                .into_iter()
                .map(|o| (o.id.to_string(), o.name))
                .collect();
            let empty = with_all.then(|| t_string!(i18n, accounts.all_organisations).to_string());
            view! {
                <LoadedSelect name="organisation" options current=selected.unwrap_or_default() id=Some(id) empty />
            }
        })
    };
    view! {
        <PageTitle text=move |i| if is_admin { t_string!(i, accounts.title).to_string() } else { t_string!(i, accounts.team_title).to_string() } />
        <h1>{title}</h1>
        <Show when=move || is_admin>
            <form method="get" class="toolbar">
                <label for="org-filter">{t!(i18n, accounts.filter)}</label>
                <Suspense>{move || org_select("org-filter", Some(filter()), true)}</Suspense>
                <button type="submit" class="button">{t!(i18n, accounts.apply_filter)}</button>
            </form>
        </Show>
        <FormError problem=Box::new(form_problem(toggle.value(), i18n)) />
        <FieldError problem=Box::new(field_problem(toggle.value(), i18n, "account")) id="account-toggle-error" />
        {loaded(accounts, move |list| view! { <AccountTable list is_admin toggle /> })}
        <Show when=move || is_admin>
            <section class="panel">
                <h2>{t!(i18n, accounts.new)}</h2>
                <ActionForm action=create attr:class="form">
                    <FormError problem=Box::new(form_problem(create.value(), i18n)) />
                    <label for="acc-email">{t!(i18n, accounts.email)}</label>
                    <input id="acc-email" name="email" type="email" required value={posted::<CreateAccount>("email", "")} />
                    <FieldError problem=Box::new(field_problem(create.value(), i18n, "email")) id="acc-email-error" />
                    <label for="acc-name">{t!(i18n, accounts.name)}</label>
                    <input id="acc-name" name="display_name" required maxlength="120" value={posted::<CreateAccount>("display_name", "")} />
                    <FieldError problem=Box::new(field_problem(create.value(), i18n, "display_name")) id="acc-name-error" />
                    <label for="acc-role">{t!(i18n, accounts.role)}</label>
                    <select id="acc-role" name="role">
                        {Role::ALL
                            .into_iter()
                            .map(|r| view! { <option value=r.as_str() selected={posted::<CreateAccount>("role", Role::Viewer.as_str()) == r.as_str()}>{move || role_text(i18n, r)}</option> })
                            .collect_view()}
                    </select>
                    <FieldError problem=Box::new(field_problem(create.value(), i18n, "role")) id="acc-role-error" />
                    <label for="acc-org">{t!(i18n, accounts.organisation)}</label>
                    <Suspense>{move || org_select("acc-org", refused_form::<CreateAccount>().and_then(|f| f.value("organisation").map(str::to_owned)), false)}</Suspense>
                    <FieldError problem=Box::new(field_problem(create.value(), i18n, "organisation")) id="acc-org-error" />
                    <button type="submit" class="button primary">{t!(i18n, accounts.create)}</button>
                </ActionForm>
            </section>
        </Show>
    }
}

#[component]
fn AccountTable(
    list: Vec<AccountSummary>,
    is_admin: bool,
    toggle: ServerAction<SetAccountDisabled>,
) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return view! { <p>{t!(i18n, accounts.empty)}</p> }.into_any();
    }
    let me = use_current_user().map(|u| u.id);
    view! {
        <div class="table-wrap">
            <table class="table" role="table">
                <thead role="rowgroup">
                    <tr role="row">
                        <th role="columnheader" scope="col">{t!(i18n, accounts.name)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, accounts.email)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, accounts.role)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, accounts.organisation)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, accounts.status)}</th>
                        <th role="columnheader" scope="col">{t!(i18n, accounts.created)}</th>
                        <Show when=move || is_admin>
                            <th role="columnheader" scope="col">{t!(i18n, accounts.actions)}</th>
                        </Show>
                    </tr>
                </thead>
                <tbody role="rowgroup">
                    {list
                        .into_iter()
                        .map(|a| {
                            let disabled = a.disabled;
                            let id = a.id;
                            let role = a.role;
                            view! {
                                <tr role="row" class:row-disabled=disabled>
                                    <td role="cell" data-label=move || t_string!(i18n, accounts.name).to_string()>{a.display_name}</td>
                                    <td role="cell" data-label=move || t_string!(i18n, accounts.email).to_string()>{a.email}</td>
                                    <td role="cell" data-label=move || t_string!(i18n, accounts.role).to_string()>{move || role_text(i18n, role)}</td>
                                    <td role="cell" data-label=move || t_string!(i18n, accounts.organisation).to_string()>{a.organisation_name}</td>
                                    <td role="cell" data-label=move || t_string!(i18n, accounts.status).to_string()>
                                        <span class=if disabled { "badge badge-off" } else { "badge badge-on" }>
                                            {move || if disabled {
                                                t_string!(i18n, accounts.disabled).to_string()
                                            } else {
                                                t_string!(i18n, accounts.active).to_string()
                                            }}
                                        </span>
                                    </td>
                                    <td role="cell" data-label=move || t_string!(i18n, accounts.created).to_string()>{a.created_on}</td>
                                    <Show when=move || is_admin>
                                        <td role="cell" class="actions">
                                            <Show when=move || me != Some(id)>
                                                <ActionForm action=toggle attr:class="inline-action">
                                                    <input type="hidden" name="account_id" value=id.to_string() />
                                                    <input type="hidden" name="disabled" value=(!disabled).to_string() />
                                                    <button type="submit" class="button small">
                                                        {move || if disabled {
                                                            t_string!(i18n, accounts.enable).to_string()
                                                        } else {
                                                            t_string!(i18n, accounts.disable).to_string()
                                                        }}
                                                    </button>
                                                </ActionForm>
                                            </Show>
                                        </td>
                                    </Show>
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

#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_current_user();
    let change = ServerAction::<ChangePassword>::new();
    let delete = ServerAction::<DeleteOwnAccount>::new();
    let role = user.as_ref().map(|u| u.role).unwrap_or(Role::Viewer);
    view! {
        <PageTitle text=|i| t_string!(i, profile.title).to_string() />
        <h1>{t!(i18n, profile.title)}</h1>
        <section class="panel">
            <dl class="facts">
                <dt>{t!(i18n, accounts.name)}</dt>
                <dd>{user.as_ref().map(|u| u.display_name.clone())}</dd>
                <dt>{t!(i18n, accounts.email)}</dt>
                <dd>{user.as_ref().map(|u| u.email.clone())}</dd>
                <dt>{t!(i18n, accounts.role)}</dt>
                <dd>{move || role_text(i18n, role)}</dd>
                <dt>{t!(i18n, accounts.organisation)}</dt>
                <dd>{user.as_ref().map(|u| u.organisation_name.clone())}</dd>
            </dl>
        </section>
        <section class="panel">
            <h2>{t!(i18n, profile.change_password)}</h2>
            <ActionForm action=change attr:class="form">
                <FormError problem=Box::new(form_problem(change.value(), i18n)) />
                <label for="pw-current">{t!(i18n, profile.current)}</label>
                <input id="pw-current" name="current" type="password" autocomplete="current-password" required />
                <FieldError problem=Box::new(field_problem(change.value(), i18n, "current")) id="pw-current-error" />
                <label for="pw-new">{t!(i18n, profile.new)}</label>
                <input id="pw-new" name="new_password" type="password" autocomplete="new-password" minlength="10" required />
                <FieldError problem=Box::new(field_problem(change.value(), i18n, "new_password")) id="pw-new-error" />
                <label for="pw-confirm">{t!(i18n, profile.confirm)}</label>
                <input id="pw-confirm" name="confirm" type="password" autocomplete="new-password" required />
                <FieldError problem=Box::new(field_problem(change.value(), i18n, "confirm")) id="pw-confirm-error" />
                <button type="submit" class="button primary">{t!(i18n, profile.submit)}</button>
            </ActionForm>
        </section>
        <section class="panel danger-zone">
            <h2>{t!(i18n, profile.delete_title)}</h2>
            <p>{t!(i18n, profile.delete_text)}</p>
            <ActionForm action=delete attr:class="form">
                <FormError problem=Box::new(form_problem(delete.value(), i18n)) />
                <label for="delete-password">{t!(i18n, profile.current)}</label>
                <input id="delete-password" name="password" type="password" autocomplete="current-password" required />
                <FieldError problem=Box::new(field_problem(delete.value(), i18n, "password")) id="delete-password-error" />
                <label for="delete-email">{t!(i18n, profile.delete_confirm_email)}</label>
                <input id="delete-email" name="confirm_email" type="email" autocomplete="off" required />
                <FieldError problem=Box::new(field_problem(delete.value(), i18n, "confirm_email")) id="delete-email-error" />
                <FieldError problem=Box::new(field_problem(delete.value(), i18n, "account")) id="delete-account-error" />
                <button type="submit" class="button danger">{t!(i18n, profile.delete_submit)}</button>
            </ActionForm>
        </section>
    }
}
