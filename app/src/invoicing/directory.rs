//! Contacts (with their groups), articles and the seller identity.

use super::labels::VAT_RATES;
use super::server::*;
use super::{
    ArticleView, ContactFields, ContactView, GroupView, ListFilter, LogoInfo, SellerFields,
};
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::forms::{
    ConfirmBox, FieldError, FormError, LoadedSelect, field_problem, form_problem,
};
use crate::ui::loading::loaded;
use crate::ui::modal::Modal;
use crate::ui::page_data::{PageData, page_data};
use crate::ui::posted::{posted, refused_form};
use crate::ui::table::{Pager, SortFields, SortHeader, SortSpec};
use crate::ui::title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const CONTACT_SORT: SortSpec = SortSpec {
    columns: &[
        ("name", |i| t_string!(i, invoicing.name).to_string()),
        ("kind", |i| t_string!(i, invoicing.contact_kind).to_string()),
        ("email", |i| t_string!(i, invoicing.email).to_string()),
        ("city", |i| t_string!(i, invoicing.city).to_string()),
        ("groups", |i| t_string!(i, invoicing.groups).to_string()),
    ],
    descending_by_default: false,
};

const ARTICLE_SORT: SortSpec = SortSpec {
    columns: &[
        ("reference", |i| {
            t_string!(i, invoicing.reference).to_string()
        }),
        ("description", |i| {
            t_string!(i, invoicing.description).to_string()
        }),
        ("unit_price", |i| {
            t_string!(i, invoicing.unit_price).to_string()
        }),
        ("vat_rate", |i| t_string!(i, invoicing.vat_rate).to_string()),
        ("state", |i| t_string!(i, invoicing.state).to_string()),
    ],
    descending_by_default: false,
};

#[component]
pub fn ContactsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let save = ServerAction::<SaveContact>::new();
    let save_group = ServerAction::<SaveContactGroup>::new();
    let delete_group = ServerAction::<DeleteContactGroup>::new();
    let remove = ServerAction::<DeleteContact>::new();
    let q = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let filter = move || ListFilter {
        search: q("q"),
        group_id: q("groupe"),
        kind: q("type"),
        sort: q("tri"),
        direction: q("ordre"),
        page: q("page"),
        ..Default::default()
    };
    let contacts = page_data(untrack(filter), list_contacts);
    let groups = page_data((), |_| list_contact_groups());
    // Saving and deleting a contact redirect to the list (server-side), where the flash shows.
    // The open contact loads at the page's level, with the list: created inside the modal, its
    // fetch would start only once the list had loaded.
    let editing = move || query.with(|q| q.get("modifier").and_then(|v| v.parse::<i64>().ok()));
    let creating = move || query.with(|q| q.get("nouveau").is_some());
    let contact = page_data(untrack(editing), |editing| async move {
        match editing {
            Some(id) => get_contact(id).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <PageTitle text=|i| t_string!(i, invoicing.tab_contacts).to_string() />
        <div class="section-head">
            <h1>{t!(i18n, invoicing.tab_contacts)}</h1>
            <a class="button primary" href="/facturation/contacts?nouveau=1">{t!(i18n, invoicing.new_contact)}</a>
        </div>
        <form method="get" action="/facturation/contacts" class="filters">
            <label>{t!(i18n, invoicing.search)}<input type="search" name="q" value=q("q") /></label>
            <label>{t!(i18n, invoicing.group)}
                // The whole list waits for the groups (see `LoadedSelect`).
                <Suspense>{move || Suspend::new(async move {
                    let current = q("groupe");
                    let options = groups.await.unwrap_or_default().into_iter()
                        .map(|g| (g.id.to_string(), format!("{} ({})", g.name, g.members)))
                        .collect();
                    view! { <LoadedSelect name="groupe" options current id=None empty=Some(t_string!(i18n, invoicing.any).to_string()) /> }
                })}</Suspense>
            </label>
            <label>{t!(i18n, invoicing.contact_kind)}
                <select name="type">
                    <option value="">{t!(i18n, invoicing.any)}</option>
                    <option value="company" selected=q("type") == "company">{t!(i18n, invoicing.company)}</option>
                    <option value="person" selected=q("type") == "person">{t!(i18n, invoicing.person)}</option>
                </select>
            </label>
            <SortFields spec=CONTACT_SORT />
            <button type="submit" class="button">{t!(i18n, invoicing.filter)}</button>
        </form>
        {loaded(contacts, move |page| {
            if page.items.is_empty() {
                return view! { <p class="muted">{t!(i18n, invoicing.empty)}</p> }.into_any();
            }
            view! {
                <p class="muted">{t!(i18n, invoicing.contact_count, n = page.total)}</p>
                <div class="table-wrap">
                    <table class="table" role="table">
                        <thead role="rowgroup"><tr role="row">
                            <SortHeader spec=CONTACT_SORT key="name" />
                            <SortHeader spec=CONTACT_SORT key="kind" />
                            <SortHeader spec=CONTACT_SORT key="email" />
                            <SortHeader spec=CONTACT_SORT key="city" />
                            <SortHeader spec=CONTACT_SORT key="groups" />
                        </tr></thead>
                        <tbody role="rowgroup">
                            {page.items.into_iter().map(|c: ContactView| {
                                let company = c.fields.kind == "company";
                                view! {
                                    <tr role="row">
                                        <td role="cell" data-label=move || t_string!(i18n, invoicing.name).to_string()><a href=format!("/facturation/contacts?modifier={}", c.id)>{c.fields.name.clone()}</a></td>
                                        <td role="cell" data-label=move || t_string!(i18n, invoicing.contact_kind).to_string()>{move || if company { t_string!(i18n, invoicing.company).to_string() } else { t_string!(i18n, invoicing.person).to_string() }}</td>
                                        <td role="cell" data-label=move || t_string!(i18n, invoicing.email).to_string()>{c.fields.email.clone()}</td>
                                        <td role="cell" data-label=move || t_string!(i18n, invoicing.city).to_string()>{c.fields.city.clone()}</td>
                                        <td role="cell" data-label=move || t_string!(i18n, invoicing.groups).to_string()>{c.groups.iter().map(|g| g.name.clone()).collect::<Vec<_>>().join(", ")}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager page=page.page total=page.total per_page=page.per_page />
            }.into_any()
        })}
        <section class="panel">
            <h2>{t!(i18n, invoicing.groups)}</h2>
            {loaded(groups, move |list: Vec<GroupView>| view! {
                <ul class="group-list">
                    {list.into_iter().map(|g| {
                        let id = g.id;
                        view! {
                            <li>
                                <a href=format!("/facturation/contacts?groupe={id}")>{g.name.clone()}</a>
                                " "<span class="muted">{t!(i18n, invoicing.members, n = g.members)}</span>" "
                                <ActionForm action=delete_group attr:class="inline-action">
                                    <input type="hidden" name="group_id" value=id.to_string() />
                                    <button type="submit" class="button small" aria-label=format!("{} {}", t_string!(i18n, invoicing.delete_group), g.name)>
                                        {t!(i18n, invoicing.delete_group)}
                                    </button>
                                </ActionForm>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <FormError problem=Box::new(form_problem(delete_group.value(), i18n)) />
            <ActionForm action=save_group attr:class="form inline-form">
                <FormError problem=Box::new(form_problem(save_group.value(), i18n)) />
                <input type="hidden" name="group_id" value="" />
                <label for="group-name">{t!(i18n, invoicing.new_group)}</label>
                <input id="group-name" name="name" required maxlength="120" value={posted::<SaveContactGroup>("name", "")} />
                <FieldError problem=Box::new(field_problem(save_group.value(), i18n, "name")) id="group-name-error" />
                <button type="submit" class="button">{t!(i18n, invoicing.add_group)}</button>
            </ActionForm>
        </section>
        {move || (editing().is_some() || creating()).then(|| view! {
            <Modal title=t_string!(i18n, invoicing.contact).to_string() close="/facturation/contacts".to_owned()>
                {loaded(contact, move |existing: Option<ContactView>| {
                    let id = existing.as_ref().map(|c| c.id);
                    view! {
                        <ContactForm save existing groups />
                        {id.map(|id| view! {
                            <ActionForm action=remove attr:class="form danger-zone modal-secondary">
                                <FormError problem=Box::new(form_problem(remove.value(), i18n)) />
                                <input type="hidden" name="contact_id" value=id.to_string() />
                                <ConfirmBox text=t_string!(i18n, invoicing.delete_confirm).to_string() problem=Box::new(field_problem(remove.value(), i18n, "confirm")) id="contact-confirm-error" />
                                <FieldError problem=Box::new(field_problem(remove.value(), i18n, "contact")) id="contact-delete-error" />
                                <button type="submit" class="button danger">{t!(i18n, invoicing.delete_contact)}</button>
                            </ActionForm>
                        })}
                    }
                })}
            </Modal>
        })}
    }
}

#[component]
fn ContactForm(
    save: ServerAction<SaveContact>,
    existing: Option<ContactView>,
    groups: PageData<Result<Vec<GroupView>, crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let value = save.value();
    let id = existing
        .as_ref()
        .map(|c| c.id.to_string())
        .unwrap_or_default();
    let f = existing
        .as_ref()
        .map(|c| c.fields.clone())
        .unwrap_or(ContactFields {
            kind: "company".into(),
            country: "FR".into(),
            ..Default::default()
        });
    // Coming back refused (JavaScript off), the form starts from the user's input.
    let member_of: Vec<i64> = match refused_form::<SaveContact>() {
        Some(form) => form
            .fields
            .iter()
            .filter(|(name, _)| name.starts_with("groups["))
            .filter_map(|(_, value)| value.parse().ok())
            .collect(),
        None => existing
            .as_ref()
            .map(|c| c.groups.iter().map(|g| g.id).collect())
            .unwrap_or_default(),
    };
    let kind = posted::<SaveContact>("fields[kind]", f.kind.clone());
    let field = move |name: &'static str, label: String, current: String, required: bool| {
        let id = format!("contact-{name}");
        let error_id = format!("contact-{name}-error");
        let current = posted::<SaveContact>(&format!("fields[{name}]"), current);
        view! {
            <label for=id.clone()>{label}</label>
            <input id=id name=format!("fields[{name}]") value=current required=required />
            <FieldError problem=Box::new(field_problem(value, i18n, name)) id=error_id />
        }
    };
    view! {
        <ActionForm action=save attr:class="form">
            <FormError problem=Box::new(form_problem(value, i18n)) />
            <input type="hidden" name="contact_id" value=id />
            <label for="contact-kind">{t!(i18n, invoicing.contact_kind)}</label>
            <select id="contact-kind" name="fields[kind]">
                <option value="company" selected=kind == "company">{t!(i18n, invoicing.company)}</option>
                <option value="person" selected=kind == "person">{t!(i18n, invoicing.person)}</option>
            </select>
            {field("name", t_string!(i18n, invoicing.name).to_string(), f.name.clone(), true)}
            {field("email", t_string!(i18n, invoicing.email).to_string(), f.email.clone(), false)}
            {field("phone", t_string!(i18n, invoicing.phone).to_string(), f.phone.clone(), false)}
            {field("address_line1", t_string!(i18n, invoicing.address).to_string(), f.address_line1.clone(), false)}
            {field("address_line2", t_string!(i18n, invoicing.address2).to_string(), f.address_line2.clone(), false)}
            {field("postal_code", t_string!(i18n, invoicing.postal_code).to_string(), f.postal_code.clone(), false)}
            {field("city", t_string!(i18n, invoicing.city).to_string(), f.city.clone(), false)}
            {field("country", t_string!(i18n, invoicing.country).to_string(), f.country.clone(), false)}
            {field("siren", "SIREN".to_owned(), f.siren.clone(), false)}
            {field("vat_number", t_string!(i18n, invoicing.vat_number).to_string(), f.vat_number.clone(), false)}
            <fieldset class="choices">
                <legend>{t!(i18n, invoicing.groups)}</legend>
                <Suspense>
                    {move || {
                        let member_of = member_of.clone();
                        Suspend::new(async move {
                            groups.await.unwrap_or_default().into_iter().enumerate().map(|(i, g)| {
                                let checked = member_of.contains(&g.id);
                                view! {
                                    <label class="choice">
                                        <input type="checkbox" name=format!("groups[{i}]") value=g.id.to_string() checked=checked />
                                        {g.name}
                                    </label>
                                }
                            }).collect_view()
                        })
                    }}
                </Suspense>
            </fieldset>
            <FieldError problem=Box::new(field_problem(value, i18n, "groups")) id="contact-groups-error" />
            <button type="submit" class="button primary">{t!(i18n, invoicing.save)}</button>
        </ActionForm>
    }
}

#[component]
pub fn ArticlesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let save = ServerAction::<SaveArticle>::new();
    let toggle = ServerAction::<SetArticleActive>::new();
    let q = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let filter = move || ListFilter {
        search: q("q"),
        kind: q("etat"),
        vat_rate: q("tva"),
        min_amount: q("min"),
        max_amount: q("max"),
        sort: q("tri"),
        direction: q("ordre"),
        page: q("page"),
        ..Default::default()
    };
    let articles = page_data(untrack(filter), list_articles);
    // Saving redirects to the list (server-side), where the flash shows.
    let editing = move || query.with(|q| q.get("modifier").and_then(|v| v.parse::<i64>().ok()));
    let creating = move || query.with(|q| q.get("nouveau").is_some());
    // At the page's level, not inside the modal (see the contacts page).
    let existing = page_data(untrack(editing), |editing| async move {
        match editing {
            Some(id) => get_article(id).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <PageTitle text=|i| t_string!(i, invoicing.tab_articles).to_string() />
        <div class="section-head">
            <h1>{t!(i18n, invoicing.tab_articles)}</h1>
            <a class="button primary" href="/facturation/articles?nouveau=1">{t!(i18n, invoicing.new_article)}</a>
        </div>
        <form method="get" action="/facturation/articles" class="filters">
            <label>{t!(i18n, invoicing.search)}<input type="search" name="q" value=q("q") /></label>
            <label>{t!(i18n, invoicing.state)}
                <select name="etat">
                    <option value="">{t!(i18n, invoicing.any)}</option>
                    <option value="active" selected=q("etat") == "active">{t!(i18n, invoicing.state_active)}</option>
                    <option value="inactive" selected=q("etat") == "inactive">{t!(i18n, invoicing.state_inactive)}</option>
                </select>
            </label>
            <label>{t!(i18n, invoicing.vat_rate)}
                <select name="tva">
                    <option value="">{t!(i18n, invoicing.any)}</option>
                    {VAT_RATES.into_iter().map(|r| view! { <option value=r selected=q("tva") == r>{format!("{r} %")}</option> }).collect_view()}
                </select>
            </label>
            <label>{t!(i18n, invoicing.min_amount)}<input inputmode="decimal" name="min" value=q("min") /></label>
            <label>{t!(i18n, invoicing.max_amount)}<input inputmode="decimal" name="max" value=q("max") /></label>
            <SortFields spec=ARTICLE_SORT />
            <button type="submit" class="button">{t!(i18n, invoicing.filter)}</button>
        </form>
        {loaded(articles, move |page| {
            if page.items.is_empty() {
                return view! { <p class="muted">{t!(i18n, invoicing.empty)}</p> }.into_any();
            }
            view! {
                <p class="muted">{t!(i18n, invoicing.article_count, n = page.total)}</p>
                <div class="table-wrap">
                    <table class="table" role="table">
                        <thead role="rowgroup"><tr role="row">
                            <SortHeader spec=ARTICLE_SORT key="reference" />
                            <SortHeader spec=ARTICLE_SORT key="description" />
                            <SortHeader spec=ARTICLE_SORT key="unit_price" numeric=true />
                            <SortHeader spec=ARTICLE_SORT key="vat_rate" numeric=true />
                            <SortHeader spec=ARTICLE_SORT key="state" />
                        </tr></thead>
                        <tbody role="rowgroup">
                            {page.items.into_iter().map(|a: ArticleView| {
                                let id = a.id;
                                let active = a.active;
                                view! {
                                    <tr role="row" class:row-disabled=!active>
                                        <td role="cell" data-label=move || t_string!(i18n, invoicing.reference).to_string()><a href=format!("/facturation/articles?modifier={id}")>{a.reference.clone()}</a></td>
                                        <td role="cell" data-label=move || t_string!(i18n, invoicing.description).to_string()>{a.description.clone()}</td>
                                        <td role="cell" class="num" data-label=move || t_string!(i18n, invoicing.unit_price).to_string()>{format!("{} / {}", a.unit_price.format(), if a.unit.is_empty() { "u" } else { &a.unit })}</td>
                                        <td role="cell" class="num" data-label=move || t_string!(i18n, invoicing.vat_rate).to_string()>{a.vat_rate.format()}</td>
                                        <td role="cell" data-label=move || t_string!(i18n, invoicing.state).to_string()>
                                            <ActionForm action=toggle attr:class="inline-action">
                                                <input type="hidden" name="article_id" value=id.to_string() />
                                                <input type="hidden" name="active" value=(!active).to_string() />
                                                <button type="submit" class="button small">
                                                    {move || if active { t_string!(i18n, invoicing.deactivate).to_string() } else { t_string!(i18n, invoicing.activate).to_string() }}
                                                </button>
                                            </ActionForm>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager page=page.page total=page.total per_page=page.per_page />
            }.into_any()
        })}
        <FormError problem=Box::new(form_problem(toggle.value(), i18n)) />
        {move || (editing().is_some() || creating()).then(|| view! {
            <Modal title=t_string!(i18n, invoicing.article).to_string() close="/facturation/articles".to_owned()>
                {loaded(existing, move |a: Option<ArticleView>| view! { <ArticleForm save existing=a /> })}
            </Modal>
        })}
    }
}

#[component]
fn ArticleForm(save: ServerAction<SaveArticle>, existing: Option<ArticleView>) -> impl IntoView {
    let i18n = use_i18n();
    let value = save.value();
    let id = existing
        .as_ref()
        .map(|a| a.id.to_string())
        .unwrap_or_default();
    let (reference, description, unit, price, vat) = match &existing {
        Some(a) => (
            a.reference.clone(),
            a.description.clone(),
            a.unit.clone(),
            a.unit_price.format_number().replace('\u{a0}', ""),
            a.vat_rate
                .format()
                .replace('\u{a0}', "")
                .trim_end_matches('%')
                .to_owned(),
        ),
        None => (
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            "20".to_owned(),
        ),
    };
    // Coming back refused (JavaScript off), the form starts from the user's input.
    let field =
        |name: &str, saved: String| posted::<SaveArticle>(&format!("fields[{name}]"), saved);
    let (reference, description, unit, price, vat) = (
        field("reference", reference),
        field("description", description),
        field("unit", unit),
        field("unit_price", price),
        field("vat_rate", vat),
    );
    view! {
        <ActionForm action=save attr:class="form">
            <FormError problem=Box::new(form_problem(value, i18n)) />
            <input type="hidden" name="article_id" value=id />
            <label for="article-reference">{t!(i18n, invoicing.reference)}</label>
            <input id="article-reference" name="fields[reference]" required maxlength="60" value=reference />
            <FieldError problem=Box::new(field_problem(value, i18n, "reference")) id="article-reference-error" />
            <label for="article-description">{t!(i18n, invoicing.description)}</label>
            <input id="article-description" name="fields[description]" required maxlength="1000" value=description />
            <FieldError problem=Box::new(field_problem(value, i18n, "description")) id="article-description-error" />
            <label for="article-unit">{t!(i18n, invoicing.unit)}</label>
            <input id="article-unit" name="fields[unit]" maxlength="20" value=unit />
            <label for="article-price">{t!(i18n, invoicing.unit_price_excl)}</label>
            <input id="article-price" name="fields[unit_price]" inputmode="decimal" required value=price />
            <FieldError problem=Box::new(field_problem(value, i18n, "unit_price")) id="article-price-error" />
            <label for="article-vat">{t!(i18n, invoicing.vat_rate)}</label>
            <select id="article-vat" name="fields[vat_rate]">
                {VAT_RATES.into_iter().map(|r| { let selected = vat == r; view! { <option value=r selected=selected>{format!("{r} %")}</option> } }).collect_view()}
            </select>
            <button type="submit" class="button primary">{t!(i18n, invoicing.save)}</button>
        </ActionForm>
    }
}

#[component]
pub fn CompanyPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveSellerProfile>::new();
    let delete = ServerAction::<DeleteSellerProfile>::new();
    let profile = page_data((), |_| seller_profile());
    view! {
        <PageTitle text=|i| t_string!(i, invoicing.tab_company).to_string() />
        <h1>{t!(i18n, invoicing.company_title)}</h1>
        <p class="muted">{t!(i18n, invoicing.company_intro)}</p>
        {loaded(profile, move |existing: Option<SellerFields>| {
            let f = existing.unwrap_or(SellerFields { payment_terms_days: "30".into(), late_penalty_rate: "12,15".into(), ..Default::default() });
            let value = save.value();
            let field = move |name: &'static str, label: String, current: String, required: bool| {
                let id = format!("seller-{name}");
                let error_id = format!("seller-{name}-error");
                // Coming back refused (JavaScript off), the field starts from the user's input.
                let current = posted::<SaveSellerProfile>(&format!("fields[{name}]"), current);
                view! {
                    <label for=id.clone()>{label}</label>
                    <input id=id name=format!("fields[{name}]") value=current required=required />
                    <FieldError problem=Box::new(field_problem(value, i18n, name)) id=error_id />
                }
            };
            view! {
                <section class="panel">
                    <ActionForm action=save attr:class="form">
                        <FormError problem=Box::new(form_problem(value, i18n)) />
                        {field("legal_name", t_string!(i18n, invoicing.legal_name).to_string(), f.legal_name.clone(), true)}
                        {field("legal_form", t_string!(i18n, invoicing.legal_form).to_string(), f.legal_form.clone(), false)}
                        {field("siren", "SIREN".to_owned(), f.siren.clone(), true)}
                        {field("siret", "SIRET".to_owned(), f.siret.clone(), false)}
                        {field("vat_number", t_string!(i18n, invoicing.vat_number).to_string(), f.vat_number.clone(), false)}
                        {field("address_line1", t_string!(i18n, invoicing.address).to_string(), f.address_line1.clone(), true)}
                        {field("address_line2", t_string!(i18n, invoicing.address2).to_string(), f.address_line2.clone(), false)}
                        {field("postal_code", t_string!(i18n, invoicing.postal_code).to_string(), f.postal_code.clone(), true)}
                        {field("city", t_string!(i18n, invoicing.city).to_string(), f.city.clone(), true)}
                        {field("email", t_string!(i18n, invoicing.email).to_string(), f.email.clone(), false)}
                        {field("phone", t_string!(i18n, invoicing.phone).to_string(), f.phone.clone(), false)}
                        {field("iban", "IBAN".to_owned(), f.iban.clone(), false)}
                        {field("bic", "BIC".to_owned(), f.bic.clone(), false)}
                        {field("payment_terms_days", t_string!(i18n, invoicing.payment_terms).to_string(), f.payment_terms_days.clone(), false)}
                        {field("late_penalty_rate", t_string!(i18n, invoicing.late_penalty).to_string(), f.late_penalty_rate.clone(), false)}
                        <p class="hint">{t!(i18n, invoicing.recovery_fee_hint)}</p>
                        <button type="submit" class="button primary">{t!(i18n, invoicing.save)}</button>
                    </ActionForm>
                </section>
            }
        })}
        <LogoPanel />
        <section class="panel danger-zone">
            <h2>{t!(i18n, invoicing.company_delete_title)}</h2>
            <p>{t!(i18n, invoicing.company_delete_text)}</p>
            <ActionForm action=delete attr:class="form">
                <FormError problem=Box::new(form_problem(delete.value(), i18n)) />
                <ConfirmBox text=t_string!(i18n, invoicing.delete_confirm).to_string() problem=Box::new(field_problem(delete.value(), i18n, "confirm")) id="seller-confirm-error" />
                <FieldError problem=Box::new(field_problem(delete.value(), i18n, "seller")) id="seller-delete-error" />
                <button type="submit" class="button danger">{t!(i18n, invoicing.company_delete)}</button>
            </ActionForm>
        </section>
    }
}

/// The logo: a plain multipart form (the upload works without JavaScript; the server answers
/// with a redirect and a flash, or the problem in the URL), the current image, and its removal.
#[component]
fn LogoPanel() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let remove = ServerAction::<RemoveSellerLogo>::new();
    let logo = page_data((), |_| seller_logo());
    // A refused upload comes back with its problem in the URL; a stored one leaves a flash.
    let refusal = move || {
        query.with(|q| {
            q.get("logo_erreur").map(|code| {
                let problem = super::logo_problem_from_code(&code);
                view! { <p class="notice notice-error" role="alert">{move || crate::ui::messages::problem_text(i18n, problem)}</p> }
            })
        })
    };
    view! {
        <section class="panel">
            <h2>{t!(i18n, invoicing.logo)}</h2>
            {refusal}
            {loaded(logo, move |current: Option<LogoInfo>| current.map(|l| view! {
                <figure class="logo-preview">
                    <img src=format!("/facturation/logos/{}", l.sha256) alt=t_string!(i18n, invoicing.logo).to_string() width=l.width.to_string() height=l.height.to_string() />
                    <figcaption class="muted">{format!("{} × {} px, {} Ko", l.width, l.height, (l.bytes + 1023) / 1024)}</figcaption>
                </figure>
                <ActionForm action=remove attr:class="inline-form">
                    <button type="submit" class="button">{t!(i18n, invoicing.logo_remove)}</button>
                </ActionForm>
            }))}
            <form method="post" action="/facturation/entreprise/logo" enctype="multipart/form-data" class="form">
                <label for="logo-file">{t!(i18n, invoicing.logo_file)}</label>
                <input id="logo-file" type="file" name="logo" accept="image/png,image/jpeg" required />
                <p class="hint">{t!(i18n, invoicing.logo_hint)}</p>
                <button type="submit" class="button primary">{t!(i18n, invoicing.logo_upload)}</button>
            </form>
        </section>
    }
}
