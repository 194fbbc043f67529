//! Invoicing screens: dashboard, document lists with filters, sort and pagination, documents
//! shown and edited in modals over their list, payments, and the seller identity.

use super::document::{DocumentActions, DocumentModal, OpenDocument, open_document};
use super::editing::EditorStart;
use super::editor::DocumentEditor;
use super::labels::{kind_path, method_text, status_text};
use super::server::*;
use super::workflow::{DocumentKind, Status};
use super::{DocumentFilter, DocumentSummary, ListFilter, PaymentMethod};
use crate::error::Problem;
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::forms::LoadedSelect;
use crate::ui::loading::loaded;
use crate::ui::messages::I18n;
use crate::ui::modal::Modal;
use crate::ui::page_data::page_data;
use crate::ui::table::{Pager, SortFields, SortHeader, SortSpec};
use crate::ui::title::PageTitle;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// A tab: its path and its translated label.
type Tab = (&'static str, fn(I18n) -> String);

/// The documents' sortable columns; newest first by default.
const DOCUMENT_SORT: SortSpec = SortSpec {
    columns: &[
        ("created", |i| t_string!(i, invoicing.created).to_string()),
        ("number", |i| t_string!(i, invoicing.number).to_string()),
        ("contact", |i| t_string!(i, invoicing.client).to_string()),
        ("issue_date", |i| t_string!(i, invoicing.date).to_string()),
        ("due_date", |i| t_string!(i, invoicing.due_date).to_string()),
        ("total", |i| {
            t_string!(i, invoicing.total_incl_tax).to_string()
        }),
        ("status", |i| t_string!(i, invoicing.status).to_string()),
    ],
    descending_by_default: true,
};

/// The invoicing section: its own tabs, then the page.
#[component]
pub fn InvoicingSection() -> impl IntoView {
    let i18n = use_i18n();
    let tabs: [Tab; 8] = [
        ("/facturation", |i| {
            t_string!(i, invoicing.tab_dashboard).to_string()
        }),
        ("/facturation/devis", |i| {
            t_string!(i, invoicing.tab_quotes).to_string()
        }),
        ("/facturation/factures", |i| {
            t_string!(i, invoicing.tab_invoices).to_string()
        }),
        ("/facturation/avoirs", |i| {
            t_string!(i, invoicing.tab_credit_notes).to_string()
        }),
        ("/facturation/reglements", |i| {
            t_string!(i, invoicing.tab_payments).to_string()
        }),
        ("/facturation/contacts", |i| {
            t_string!(i, invoicing.tab_contacts).to_string()
        }),
        ("/facturation/articles", |i| {
            t_string!(i, invoicing.tab_articles).to_string()
        }),
        ("/facturation/entreprise", |i| {
            t_string!(i, invoicing.tab_company).to_string()
        }),
    ];
    view! {
        <nav class="tabs" aria-label=move || t_string!(i18n, invoicing.section).to_string()>
            {tabs.into_iter().map(|(href, label)| view! { <A href=href exact=true>{move || label(i18n)}</A> }).collect_view()}
        </nav>
        <Outlet />
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = page_data((), |_| invoicing_dashboard());
    view! {
        <PageTitle text=|i| t_string!(i, invoicing.tab_dashboard).to_string() />
        <h1>{t!(i18n, invoicing.dashboard_title)}</h1>
        {loaded(data, move |d| {
            let max = d.revenue_by_month.iter().map(|(_, c)| c.0).max().unwrap_or(0).max(1);
            let bars = d.revenue_by_month.clone();
            view! {
                <section class="cards">
                    <div class="card"><span class="card-value" data-kpi="outstanding">{d.outstanding.format()}</span><span class="card-label">{t!(i18n, invoicing.outstanding)}</span></div>
                    <div class="card"><span class="card-value" data-kpi="overdue">{d.overdue.format()}</span><span class="card-label">{t!(i18n, invoicing.overdue, n = d.overdue_count)}</span></div>
                    <div class="card"><span class="card-value" data-kpi="paid">{d.paid_this_month.format()}</span><span class="card-label">{t!(i18n, invoicing.paid_this_month)}</span></div>
                </section>
                <section class="panel">
                    <h2 id="revenue-title">{t!(i18n, invoicing.revenue)}</h2>
                    <svg class="chart" viewBox="0 0 360 160" role="img" aria-labelledby="revenue-title">
                        {bars.iter().enumerate().map(|(i, (month, cents))| {
                            let h = (cents.0.max(0) as f64 / max as f64 * 120.0).round();
                            let x = 8.0 + i as f64 * 29.0;
                            view! {
                                <g>
                                    <title>{format!("{month} : {}", cents.format())}</title>
                                    <rect x=x y=130.0 - h width="22" height=h class="bar"></rect>
                                    <text x=x + 11.0 y="148" text-anchor="middle" class="axis">{month[5..].to_string()}</text>
                                </g>
                            }
                        }).collect_view()}
                    </svg>
                    <details>
                        <summary>{t!(i18n, invoicing.as_table)}</summary>
                        <table class="table plain">
                            <tbody>
                                {bars.into_iter().map(|(m, c)| view! { <tr><th scope="row">{m}</th><td class="num">{c.format()}</td></tr> }).collect_view()}
                            </tbody>
                        </table>
                    </details>
                </section>
                <section class="panel">
                    <h2>{t!(i18n, invoicing.latest)}</h2>
                    <DocumentTable list=d.latest sortable=false />
                </section>
            }
        })}
    }
}

#[component]
fn DocumentTable(list: Vec<DocumentSummary>, sortable: bool) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return view! { <p class="muted">{t!(i18n, invoicing.empty)}</p> }.into_any();
    }
    let header = move |key: &'static str, numeric: bool| {
        if sortable {
            view! { <SortHeader spec=DOCUMENT_SORT key numeric /> }.into_any()
        } else {
            let label = DOCUMENT_SORT
                .columns
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(String::new(), |(_, label)| label(i18n));
            view! { <th role="columnheader" scope="col" class:num=numeric>{label}</th> }.into_any()
        }
    };
    view! {
        <div class="table-wrap">
            <table class="table" role="table">
                <thead role="rowgroup">
                    <tr role="row">
                        {header("number", false)}
                        {header("contact", false)}
                        {header("issue_date", false)}
                        {header("due_date", false)}
                        {header("status", false)}
                        {header("total", true)}
                        <th role="columnheader" scope="col" class="num">{t!(i18n, invoicing.balance)}</th>
                    </tr>
                </thead>
                <tbody role="rowgroup">
                    {list.into_iter().map(|d| {
                        let status = d.status;
                        let href = format!("{}?voir={}", kind_path(d.kind), d.id);
                        let number = d.number.clone().unwrap_or_else(|| t_string!(i18n, invoicing.draft_label).to_string());
                        view! {
                            <tr role="row" class:overdue=d.overdue>
                                <td role="cell" data-label=move || t_string!(i18n, invoicing.number).to_string()><a href=href>{number}</a></td>
                                <td role="cell" data-label=move || t_string!(i18n, invoicing.client).to_string()>{d.contact_name}</td>
                                <td role="cell" data-label=move || t_string!(i18n, invoicing.date).to_string()>{d.issue_date.unwrap_or_else(|| d.created.clone())}</td>
                                <td role="cell" data-label=move || t_string!(i18n, invoicing.due_date).to_string()>{d.due_date.unwrap_or_default()}</td>
                                <td role="cell" data-label=move || t_string!(i18n, invoicing.status).to_string()>
                                    <span class=format!("badge status-{}", status.as_str())>{move || status_text(i18n, status)}</span>
                                </td>
                                <td role="cell" class="num" data-label=move || t_string!(i18n, invoicing.total_incl_tax).to_string()>{d.total_incl_tax.format()}</td>
                                <td role="cell" class="num" data-label=move || t_string!(i18n, invoicing.balance).to_string()>{(d.kind == DocumentKind::Invoice && d.number.is_some()).then(|| super::money::Cents(d.balance_due.0 - d.owed_back.0).format())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The client select of a list's GET filter form (`client`).
#[component]
fn ClientFilter() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let contacts = page_data((), |_| async {
        contact_choices().await.unwrap_or_default()
    });
    view! {
        <label>{t!(i18n, invoicing.client)}
            // The whole list waits for the contacts (see `LoadedSelect`).
            <Suspense>{move || Suspend::new(async move {
                let current = query.with_untracked(|q| q.get("client").unwrap_or_default());
                let options = contacts.await.into_iter().map(|c| (c.id.to_string(), c.name)).collect();
                view! { <LoadedSelect name="client" options current id=None empty=Some(t_string!(i18n, invoicing.any).to_string()) /> }
            })}</Suspense>
        </label>
    }
}

/// Date range (`du`, `au`) and amount range (`min`, `max`) fields of a list's filter form.
#[component]
fn RangeFilters() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move |k: &str| query.with_untracked(|q| q.get(k).unwrap_or_default());
    view! {
        <label>{t!(i18n, invoicing.from)}<input type="date" name="du" value=q("du") /></label>
        <label>{t!(i18n, invoicing.to)}<input type="date" name="au" value=q("au") /></label>
        <label>{t!(i18n, invoicing.min_amount)}<input inputmode="decimal" name="min" value=q("min") /></label>
        <label>{t!(i18n, invoicing.max_amount)}<input inputmode="decimal" name="max" value=q("max") /></label>
    }
}

/// What the address asks to open over a list.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Opening {
    Nothing,
    Document { id: i64, sending: bool },
    Editor { id: Option<i64>, resume: bool },
}

/// What opens over a list, loaded.
#[derive(Debug, Clone, Serialize, Deserialize)]
enum Overlay {
    Nothing,
    Document(Box<OpenDocument>),
    Editor(Option<i64>, Box<EditorStart>),
    /// Asked to edit a document that is no longer a draft: it shows read-only, saying why.
    NotEditable(Box<OpenDocument>),
}

/// Quotes, invoices or credit notes: filters (a GET form, so the URL can be shared), sortable
/// columns, pages of 25, and the open document in a modal.
#[component]
pub fn DocumentsPage(kind: DocumentKind) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let actions = DocumentActions::new();
    let filter = move || {
        let q = query.get();
        let get = |k: &str| q.get(k).unwrap_or_default();
        DocumentFilter {
            kind: kind.as_str().to_owned(),
            status: get("statut"),
            contact_id: get("client"),
            group_id: get("groupe"),
            from: get("du"),
            to: get("au"),
            min_amount: get("min"),
            max_amount: get("max"),
            search: get("q"),
            sort: get("tri"),
            direction: get("ordre"),
            page: get("page"),
        }
    };
    let list = page_data(untrack(filter), list_documents);
    // What opens over the list, in one resource (a page view loads one or none): the document
    // (`?voir=<id>`, with its e-mail form's defaults when that form is open) or the editor
    // (`?nouveau=1`, `?modifier=<id>`), back on the draft kept between two steps without
    // JavaScript (`brouillon`, or a refused save).
    let save = ServerAction::<SaveDocument>::new();
    let opening = move || {
        query.with(|q| {
            if let Some(id) = q.get("voir").and_then(|v| v.parse::<i64>().ok()) {
                let sending = q.get("envoyer").is_some_and(|v| v == "1");
                return Opening::Document { id, sending };
            }
            let id = match (q.get("nouveau"), q.get("modifier")) {
                (Some(_), _) => None,
                (None, Some(id)) => match id.parse::<i64>() {
                    Ok(id) => Some(id),
                    Err(_) => return Opening::Nothing,
                },
                (None, None) => return Opening::Nothing,
            };
            let resume = q.get("brouillon").is_some()
                || q.get("__path").is_some_and(|p| p == SaveDocument::PATH);
            Opening::Editor { id, resume }
        })
    };
    let overlay = page_data(
        (untrack(opening), kind),
        move |(opening, kind)| async move {
            match opening {
                Opening::Nothing => Ok(Overlay::Nothing),
                Opening::Document { id, sending } => open_document(id, sending)
                    .await
                    .map(|opened| Overlay::Document(Box::new(opened))),
                Opening::Editor { id, resume, .. } => {
                    match (editor_start(kind.as_str().to_owned(), id, resume).await, id) {
                        (Ok(start), _) => Ok(Overlay::Editor(id, Box::new(start))),
                        (Err(err), Some(id))
                            if err.problem_for("status") == Some(Problem::DocumentNotDraft) =>
                        {
                            open_document(id, false)
                                .await
                                .map(|opened| Overlay::NotEditable(Box::new(opened)))
                        }
                        (Err(err), _) => Err(err),
                    }
                }
            }
        },
    );
    let groups = page_data((), |_| async {
        list_contact_groups().await.unwrap_or_default()
    });
    let title = move |i: I18n| match kind {
        DocumentKind::Quote => t_string!(i, invoicing.tab_quotes).to_string(),
        DocumentKind::Invoice => t_string!(i, invoicing.tab_invoices).to_string(),
        DocumentKind::CreditNote => t_string!(i, invoicing.tab_credit_notes).to_string(),
    };
    let base = kind_path(kind);
    let q = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let statuses: Vec<Status> = Status::ALL
        .into_iter()
        .filter(|s| s.applies_to(kind))
        .collect();
    view! {
        <PageTitle text=title />
        <div class="section-head">
            <h1>{move || title(i18n)}</h1>
            {(kind != DocumentKind::CreditNote).then(|| view! {
                <a class="button primary" href=format!("{base}?nouveau=1")>
                    {move || if kind == DocumentKind::Quote { t_string!(i18n, invoicing.new_quote).to_string() } else { t_string!(i18n, invoicing.new_invoice).to_string() }}
                </a>
            })}
        </div>
        <form method="get" action=base class="filters">
            <label>{t!(i18n, invoicing.search)}<input type="search" name="q" value=q("q") /></label>
            <label>{t!(i18n, invoicing.status)}
                <select name="statut">
                    <option value="">{t!(i18n, invoicing.any)}</option>
                    {statuses.into_iter().map(|s| { let selected = q("statut") == s.as_str(); view! { <option value=s.as_str() selected=selected>{move || status_text(i18n, s)}</option> } }).collect_view()}
                </select>
            </label>
            <ClientFilter />
            <label>{t!(i18n, invoicing.group)}
                // The whole list waits for the groups (see `LoadedSelect`).
                <Suspense>{move || Suspend::new(async move {
                    let current = q("groupe");
                    let options = groups.await.into_iter().map(|g| (g.id.to_string(), g.name)).collect();
                    view! { <LoadedSelect name="groupe" options current id=None empty=Some(t_string!(i18n, invoicing.any).to_string()) /> }
                })}</Suspense>
            </label>
            <RangeFilters />
            <SortFields spec=DOCUMENT_SORT />
            <button type="submit" class="button">{t!(i18n, invoicing.filter)}</button>
        </form>
        {loaded(list, move |page| view! {
            <p class="muted">{t!(i18n, invoicing.count, n = page.total)}</p>
            <DocumentTable list=page.items sortable=true />
            <Pager page=page.page total=page.total per_page=page.per_page />
        })}
        {loaded(overlay, move |overlay| match overlay {
            Overlay::Nothing => ().into_any(),
            Overlay::Document(opened) => view! { <DocumentModal opened=*opened base=base.to_owned() actions /> }.into_any(),
            Overlay::NotEditable(opened) => view! { <DocumentModal opened=*opened base=base.to_owned() actions not_editable=true /> }.into_any(),
            Overlay::Editor(id, start) => {
                let (title, close) = match id {
                    Some(id) => (t_string!(i18n, invoicing.edit_draft).to_string(), format!("{base}?voir={id}")),
                    None if kind == DocumentKind::Quote => (t_string!(i18n, invoicing.new_quote).to_string(), base.to_owned()),
                    None => (t_string!(i18n, invoicing.new_invoice).to_string(), base.to_owned()),
                };
                view! {
                    <Modal title close>
                        <DocumentEditor kind document_id=id start=*start back=base.to_owned() save />
                    </Modal>
                }.into_any()
            }
        })}
    }
}

#[component]
pub fn QuotesPage() -> impl IntoView {
    view! { <DocumentsPage kind=DocumentKind::Quote /> }
}

#[component]
pub fn InvoicesPage() -> impl IntoView {
    view! { <DocumentsPage kind=DocumentKind::Invoice /> }
}

#[component]
pub fn CreditNotesPage() -> impl IntoView {
    view! { <DocumentsPage kind=DocumentKind::CreditNote /> }
}

const PAYMENT_SORT: SortSpec = SortSpec {
    columns: &[
        ("paid_on", |i| {
            t_string!(i, invoicing.payment_date).to_string()
        }),
        ("invoice", |i| t_string!(i, invoicing.invoice).to_string()),
        ("contact", |i| t_string!(i, invoicing.client).to_string()),
        ("method", |i| {
            t_string!(i, invoicing.payment_method).to_string()
        }),
        ("reference", |i| {
            t_string!(i, invoicing.payment_reference).to_string()
        }),
        ("amount", |i| {
            t_string!(i, invoicing.payment_amount).to_string()
        }),
    ],
    descending_by_default: true,
};

#[component]
pub fn PaymentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let filter = move || ListFilter {
        search: q("q"),
        kind: q("mode"),
        contact_id: q("client"),
        from: q("du"),
        to: q("au"),
        min_amount: q("min"),
        max_amount: q("max"),
        sort: q("tri"),
        direction: q("ordre"),
        page: q("page"),
        ..Default::default()
    };
    let list = page_data(untrack(filter), list_payments);
    view! {
        <PageTitle text=|i| t_string!(i, invoicing.tab_payments).to_string() />
        <h1>{t!(i18n, invoicing.tab_payments)}</h1>
        <form method="get" action="/facturation/reglements" class="filters">
            <label>{t!(i18n, invoicing.search)}<input type="search" name="q" value=q("q") /></label>
            <label>{t!(i18n, invoicing.payment_method)}
                <select name="mode">
                    <option value="">{t!(i18n, invoicing.any)}</option>
                    {PaymentMethod::ALL.into_iter().map(|m| view! { <option value=m.as_str() selected=q("mode") == m.as_str()>{move || method_text(i18n, m.as_str())}</option> }).collect_view()}
                </select>
            </label>
            <ClientFilter />
            <RangeFilters />
            <SortFields spec=PAYMENT_SORT />
            <button type="submit" class="button">{t!(i18n, invoicing.filter)}</button>
        </form>
        {loaded(list, move |page| {
            if page.items.is_empty() {
                return view! { <p class="muted">{t!(i18n, invoicing.empty)}</p> }.into_any();
            }
            view! {
                <p class="muted">{t!(i18n, invoicing.payment_count, n = page.total)}</p>
                <div class="table-wrap">
                    <table class="table" role="table">
                        <thead role="rowgroup"><tr role="row">
                            <SortHeader spec=PAYMENT_SORT key="paid_on" />
                            <SortHeader spec=PAYMENT_SORT key="invoice" />
                            <SortHeader spec=PAYMENT_SORT key="contact" />
                            <SortHeader spec=PAYMENT_SORT key="method" />
                            <SortHeader spec=PAYMENT_SORT key="reference" />
                            <SortHeader spec=PAYMENT_SORT key="amount" numeric=true />
                        </tr></thead>
                        <tbody role="rowgroup">
                            {page.items.into_iter().map(|p| {
                                let method = p.method.clone();
                                view! {
                                    <tr role="row">
                                        <td role="cell" data-label=move || t_string!(i18n, invoicing.payment_date).to_string()>{p.paid_on}</td>
                                        <td role="cell" data-label=move || t_string!(i18n, invoicing.invoice).to_string()><a href=format!("/facturation/factures?voir={}", p.invoice_id)>{p.invoice_number}</a></td>
                                        <td role="cell" data-label=move || t_string!(i18n, invoicing.client).to_string()>{p.contact_name}</td>
                                        <td role="cell" data-label=move || t_string!(i18n, invoicing.payment_method).to_string()>{move || method_text(i18n, &method)}{p.refund.then(|| view! { " " <span class="badge" data-refund="">{t!(i18n, invoicing.refund)}</span> })}</td>
                                        <td role="cell" data-label=move || t_string!(i18n, invoicing.payment_reference).to_string()>{p.reference}</td>
                                        <td role="cell" class="num" data-label=move || t_string!(i18n, invoicing.payment_amount).to_string()>{p.amount.format()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager page=page.page total=page.total per_page=page.per_page />
            }.into_any()
        })}
    }
}
