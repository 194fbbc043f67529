//! One quote, invoice or credit note, open over its list: its facts, lines and totals, its files
//! and e-mails, and what can be done next. Every step is a form that posts to its server function,
//! which leaves a flash message and redirects (to the same document, or to the one it created),
//! so the screen works the same without JavaScript. Issuing and deleting ask to confirm first.

use super::editor::{TotalsBox, TotalsLabels};
use super::labels::{kind_path, method_text, status_text};
use super::money::Cents;
use super::server::*;
use super::workflow::{DocumentKind, Status};
use super::{DocumentView, PaymentMethod};
use crate::documents::EmailForm;
use crate::documents::pages::{DocumentFiles, FilesOf};
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::forms::{ConfirmBox, FieldError, field_problem};
use crate::ui::messages::I18n;
use crate::ui::modal::Modal;
use crate::ui::posted::posted;
use leptos::prelude::*;

/// The open document and, when its e-mail form is open, that form's defaults.
pub type OpenDocument = (DocumentView, Option<Result<EmailForm, AppError>>);

/// The steps a document screen can take, created with the page. Each step posts its form and
/// its redirect loads the page afresh.
#[derive(Clone, Copy)]
pub struct DocumentActions {
    pub step: ServerAction<DocumentAction>,
    pub convert: ServerAction<ConvertQuote>,
    pub pay: ServerAction<RecordPayment>,
    pub refund: ServerAction<RecordRefund>,
    pub credit: ServerAction<DraftCreditNote>,
    pub delete: ServerAction<DeleteDraft>,
}

impl DocumentActions {
    pub fn new() -> Self {
        Self {
            step: ServerAction::new(),
            convert: ServerAction::new(),
            pay: ServerAction::new(),
            refund: ServerAction::new(),
            credit: ServerAction::new(),
            delete: ServerAction::new(),
        }
    }
}

impl Default for DocumentActions {
    fn default() -> Self {
        Self::new()
    }
}

/// Loads document `id` and, when `sending`, the e-mail form's defaults, both at once.
pub async fn open_document(id: i64, sending: bool) -> Result<OpenDocument, AppError> {
    let (doc, draft) = futures::join!(get_document(id), async move {
        match sending {
            true => Some(crate::documents::server::email_draft(id).await),
            false => None,
        }
    });
    Ok((doc?, draft))
}

#[component]
pub fn DocumentModal(
    opened: OpenDocument,
    /// The list the document is open over, e.g. `/facturation/factures`.
    base: String,
    actions: DocumentActions,
    /// Opened from an edit link (or a refused save) of a document that is no longer a draft.
    #[prop(optional)]
    not_editable: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let (d, draft) = opened;
    let s = d.summary.clone();
    let id = s.id;
    let title = match (&s.number, s.kind) {
        (Some(n), DocumentKind::Quote) => format!("{} {n}", t_string!(i18n, invoicing.quote)),
        (Some(n), DocumentKind::Invoice) => format!("{} {n}", t_string!(i18n, invoicing.invoice)),
        (Some(n), DocumentKind::CreditNote) => {
            format!("{} {n}", t_string!(i18n, invoicing.credit_note))
        }
        (None, _) => t_string!(i18n, invoicing.draft_label).to_string(),
    };
    let status = s.status;
    let kind = s.kind;
    let totals = d.totals.clone();
    let balance = s.balance_due;
    // Credit notes took the invoice below what it received: the difference goes back.
    let owed_back = s.owed_back;
    let here = format!("{base}?voir={id}");
    // A refused step or conversion (a stale page: already converted, no longer a draft…).
    let step_error = move || {
        let refused = |err: &AppError| Some(describe_error(i18n, err));
        match (actions.step.value().get(), actions.convert.value().get()) {
            (Some(Err(err)), _) => refused(&err),
            (_, Some(Err(err))) => refused(&err),
            _ => None,
        }
    };
    let edit = move || {
        view! { <a class="button" href=format!("{}?modifier={id}", kind_path(kind))>{t!(i18n, invoicing.edit)}</a> }
    };
    let quote_step = {
        let here = here.clone();
        move |name: &'static str, label: String, primary: bool| {
            let back = here.clone();
            view! {
                <ActionForm action=actions.step attr:class="inline-form">
                    <input type="hidden" name="document_id" value=id.to_string() />
                    <input type="hidden" name="action" value=name />
                    <input type="hidden" name="back" value=back />
                    <button type="submit" class=if primary { "button primary" } else { "button" }>{label}</button>
                </ActionForm>
            }
        }
    };
    let issue_label = if kind == DocumentKind::CreditNote {
        t_string!(i18n, invoicing.issue_credit_note).to_string()
    } else {
        t_string!(i18n, invoicing.issue).to_string()
    };
    // A quote converts once: its invoice is among its links.
    let converted =
        kind == DocumentKind::Quote && d.links.iter().any(|l| l.kind == DocumentKind::Invoice);
    let next_steps = match (kind, status) {
        (DocumentKind::Quote, Status::Draft) => view! {
            {edit()}
            {quote_step("send", t_string!(i18n, invoicing.send).to_string(), true)}
            <DeleteDraftStep id back=base.clone() delete=actions.delete />
        }
        .into_any(),
        (DocumentKind::Quote, Status::Sent) => view! {
            {quote_step("accept", t_string!(i18n, invoicing.accept).to_string(), true)}
            {quote_step("refuse", t_string!(i18n, invoicing.refuse).to_string(), false)}
        }
        .into_any(),
        (DocumentKind::Quote, Status::Accepted) if converted => view! {
            <p class="muted" id="quote-converted">{t!(i18n, invoicing.quote_converted)}</p>
        }
        .into_any(),
        (DocumentKind::Quote, Status::Accepted) => view! {
            <details class="step-form">
                <summary class="button primary">{t!(i18n, invoicing.convert)}</summary>
                <ActionForm action=actions.convert attr:class="form">
                    <input type="hidden" name="quote_id" value=id.to_string() />
                    <p>{t!(i18n, invoicing.convert_text)}</p>
                    <button type="submit" class="button primary">{t!(i18n, invoicing.convert_submit)}</button>
                </ActionForm>
            </details>
        }
        .into_any(),
        (_, Status::Draft) => view! {
            {edit()}
            <details class="step-form">
                <summary class="button primary">{issue_label}</summary>
                <ActionForm action=actions.step attr:class="form">
                    <input type="hidden" name="document_id" value=id.to_string() />
                    <input type="hidden" name="action" value="issue" />
                    <input type="hidden" name="back" value=here.clone() />
                    <p>{t!(i18n, invoicing.issue_warning)}</p>
                    <ConfirmBox text=t_string!(i18n, invoicing.issue_confirm).to_string() problem=Box::new(field_problem(actions.step.value(), i18n, "confirm")) id="issue-confirm-error" />
                    <button type="submit" class="button primary">{t!(i18n, invoicing.issue_submit)}</button>
                </ActionForm>
            </details>
            <DeleteDraftStep id back=base.clone() delete=actions.delete />
        }
        .into_any(),
        // A paid invoice may still be credited (up to its total less earlier credits): what it
        // received beyond what is left due is then refunded.
        (DocumentKind::Invoice, Status::Issued | Status::PartiallyPaid | Status::Paid) => {
            let creditable = d.credited.0 < s.total_incl_tax.0;
            let lines: Vec<String> = d
                .lines
                .iter()
                .map(|l| format!("{} — {}", l.description, l.total_excl_tax.format()))
                .collect();
            view! {
                {(status != Status::Paid).then(|| view! { <PaymentForm id pay=actions.pay balance /> })}
                {(owed_back.0 > 0).then(|| view! { <RefundForm id refund=actions.refund owed_back /> })}
                {creditable.then(|| view! { <CreditForm id credit=actions.credit lines /> })}
            }
            .into_any()
        }
        _ => ().into_any(),
    };
    view! {
        <Modal title close=base.clone()>
            {not_editable.then(|| view! {
                <p class="notice notice-error" role="alert" id="not-editable">
                    {match kind {
                        DocumentKind::Invoice => t_string!(i18n, invoicing.not_editable_invoice).to_string(),
                        DocumentKind::CreditNote => t_string!(i18n, invoicing.not_editable_credit_note).to_string(),
                        DocumentKind::Quote => t_string!(i18n, invoicing.not_editable_quote).to_string(),
                    }}
                </p>
            })}
            <dl class="facts">
                <dt>{t!(i18n, invoicing.client)}</dt><dd>{s.contact_name.clone()}</dd>
                <dt>{t!(i18n, invoicing.status)}</dt><dd><span class=format!("badge status-{}", status.as_str()) data-status=status.as_str()>{move || status_text(i18n, status)}</span></dd>
                {s.issue_date.clone().map(|v| view! { <dt>{t!(i18n, invoicing.date)}</dt><dd>{v}</dd> })}
                {s.due_date.clone().map(|v| view! { <dt>{t!(i18n, invoicing.due_date)}</dt><dd>{v}</dd> })}
                {d.validity_date.clone().map(|v| view! { <dt>{t!(i18n, invoicing.validity_date)}</dt><dd>{v}</dd> })}
            </dl>
            <div class="table-wrap">
                <table class="table" role="table">
                    <thead role="rowgroup"><tr role="row">
                        <th role="columnheader" scope="col">{t!(i18n, invoicing.description)}</th>
                        <th role="columnheader" scope="col" class="num">{t!(i18n, invoicing.quantity)}</th>
                        <th role="columnheader" scope="col" class="num">{t!(i18n, invoicing.unit_price)}</th>
                        <th role="columnheader" scope="col" class="num">{t!(i18n, invoicing.vat_rate)}</th>
                        <th role="columnheader" scope="col" class="num">{t!(i18n, invoicing.line_total)}</th>
                    </tr></thead>
                    <tbody role="rowgroup">
                        {d.lines.iter().map(|l| view! {
                            <tr role="row">
                                <td role="cell" data-label=move || t_string!(i18n, invoicing.description).to_string()>{l.description.clone()}</td>
                                <td role="cell" class="num" data-label=move || t_string!(i18n, invoicing.quantity).to_string()>{l.quantity.with_unit(&l.unit)}</td>
                                <td role="cell" class="num" data-label=move || t_string!(i18n, invoicing.unit_price).to_string()>{l.unit_price.format()}</td>
                                <td role="cell" class="num" data-label=move || t_string!(i18n, invoicing.vat_rate).to_string()>{l.vat_rate.format()}</td>
                                <td role="cell" class="num" data-label=move || t_string!(i18n, invoicing.line_total).to_string()>{l.total_excl_tax.format()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <TotalsBox totals=Some(totals.clone()) labels=TotalsLabels::new(i18n) />
            {(kind == DocumentKind::Invoice && s.number.is_some()).then(|| view! {
                <dl class="totals">
                    <dt>{t!(i18n, invoicing.paid)}</dt><dd data-total="paid">{d.paid.format()}</dd>
                    {(d.credited.0 > 0).then(|| view! { <dt>{t!(i18n, invoicing.credited)}</dt><dd data-total="credited">{d.credited.format()}</dd> })}
                    {if owed_back.0 > 0 {
                        view! { <dt class="grand">{t!(i18n, invoicing.owed_back)}</dt><dd class="grand" data-total="owed-back">{owed_back.format()}</dd> }.into_any()
                    } else {
                        view! { <dt class="grand">{t!(i18n, invoicing.balance)}</dt><dd class="grand" data-total="balance">{balance.format()}</dd> }.into_any()
                    }}
                </dl>
            })}
            {(!d.links.is_empty()).then(|| view! {
                <p class="links">{t!(i18n, invoicing.linked)} " "
                    {d.links.iter().map(|l| view! { <a href=format!("{}?voir={}", kind_path(l.kind), l.id)>{l.number.clone().unwrap_or_else(|| t_string!(i18n, invoicing.draft_label).to_string())}</a> " " }).collect_view()}
                </p>
            })}
            <DocumentFiles
                files=FilesOf {
                    id,
                    kind,
                    status,
                    numbered: s.number.is_some(),
                    settled_some: d.paid.0 > 0 || d.credited.0 > 0,
                    emails: d.emails.clone(),
                }
                draft
                base=base.clone()
            />
            <p class="field-error" role="alert">{step_error}</p>
            <div class="actions-bar">{next_steps}</div>
        </Modal>
    }
}

/// Deleting a draft: behind a disclosure, with a box to tick.
#[component]
fn DeleteDraftStep(id: i64, back: String, delete: ServerAction<DeleteDraft>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <details class="step-form">
            <summary class="button">{t!(i18n, invoicing.delete_draft)}</summary>
            <ActionForm action=delete attr:class="form danger-zone">
                <input type="hidden" name="document_id" value=id.to_string() />
                <input type="hidden" name="back" value=back />
                <ConfirmBox text=t_string!(i18n, invoicing.delete_confirm).to_string() problem=Box::new(field_problem(delete.value(), i18n, "confirm")) id="draft-confirm-error" />
                <FieldError problem=Box::new(field_problem(delete.value(), i18n, "status")) id="draft-delete-error" />
                <button type="submit" class="button danger">{t!(i18n, invoicing.delete_draft_submit)}</button>
            </ActionForm>
        </details>
    }
}

fn describe_error(i18n: I18n, err: &AppError) -> String {
    match err {
        AppError::Invalid(list)
            if list
                .iter()
                .any(|p| p.problem == crate::error::Problem::MentionMissing) =>
        {
            let fields: Vec<String> = list.iter().map(|p| mention_text(i18n, &p.field)).collect();
            format!(
                "{} {}",
                t_string!(i18n, invoicing.missing_mentions),
                fields.join(", ")
            )
        }
        other => crate::ui::messages::error_text(i18n, other),
    }
}

fn mention_text(i18n: I18n, field: &str) -> String {
    match field {
        "seller" => t_string!(i18n, invoicing.mention_seller).to_string(),
        "seller.siren" => t_string!(i18n, invoicing.mention_seller_siren).to_string(),
        "seller.address" => t_string!(i18n, invoicing.mention_seller_address).to_string(),
        "seller.vat_number" => t_string!(i18n, invoicing.mention_seller_vat).to_string(),
        "client.name" => t_string!(i18n, invoicing.mention_client_name).to_string(),
        "client.address" => t_string!(i18n, invoicing.mention_client_address).to_string(),
        _ => t_string!(i18n, invoicing.mention_lines).to_string(),
    }
}

/// A credit note for the whole invoice, chosen lines, or an amount at one VAT rate (a discount
/// granted after the fact). It opens as a draft, to be checked and issued.
#[component]
fn CreditForm(id: i64, credit: ServerAction<DraftCreditNote>, lines: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let value = credit.value();
    view! {
        <details class="credit-form">
            <summary class="button">{t!(i18n, invoicing.credit_note_new)}</summary>
            <ActionForm action=credit attr:class="form">
                <input type="hidden" name="invoice_id" value=id.to_string() />
                <fieldset class="choices">
                    <legend>{t!(i18n, invoicing.credit_scope)}</legend>
                    <label class="choice"><input type="radio" name="scope" value="all" checked=true />{t!(i18n, invoicing.credit_scope_all)}</label>
                    <label class="choice"><input type="radio" name="scope" value="lines" />{t!(i18n, invoicing.credit_scope_lines)}</label>
                    <label class="choice"><input type="radio" name="scope" value="amount" />{t!(i18n, invoicing.credit_scope_amount)}</label>
                </fieldset>
                <fieldset class="choices">
                    <legend>{t!(i18n, invoicing.credit_lines)}</legend>
                    {lines.into_iter().enumerate().map(|(i, text)| view! {
                        <label class="choice"><input type="checkbox" name=format!("positions[{i}]") value=i.to_string() />{text}</label>
                    }).collect_view()}
                </fieldset>
                <label for="credit-amount">{t!(i18n, invoicing.credit_amount)}</label>
                <input id="credit-amount" name="amount" inputmode="decimal" />
                <FieldError problem=Box::new(field_problem(value, i18n, "amount")) id="credit-amount-error" />
                <label for="credit-vat">{t!(i18n, invoicing.vat_rate)}</label>
                <select id="credit-vat" name="vat_rate">
                    {super::labels::VAT_RATES.into_iter().map(|r| view! { <option value=r>{format!("{r} %")}</option> }).collect_view()}
                </select>
                <FieldError problem=Box::new(field_problem(value, i18n, "lines")) id="credit-lines-error" />
                <FieldError problem=Box::new(field_problem(value, i18n, "scope")) id="credit-scope-error" />
                <button type="submit" class="button primary">{t!(i18n, invoicing.credit_create)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn PaymentForm(id: i64, pay: ServerAction<RecordPayment>, balance: Cents) -> impl IntoView {
    let i18n = use_i18n();
    let value = pay.value();
    // The property too: after a partial payment the field shows the new balance, not what was typed.
    let amount = balance.format_number().replace('\u{a0}', "");
    view! {
        <ActionForm action=pay attr:class="form payment-form">
            <input type="hidden" name="invoice_id" value=id.to_string() />
            <label for="pay-amount">{t!(i18n, invoicing.payment_amount)}</label>
            <input id="pay-amount" name="amount" inputmode="decimal" required value=amount.clone() prop:value=amount />
            <FieldError problem=Box::new(field_problem(value, i18n, "amount")) id="pay-amount-error" />
            <label for="pay-date">{t!(i18n, invoicing.payment_date)}</label>
            <input id="pay-date" name="paid_on" type="date" />
            <label for="pay-method">{t!(i18n, invoicing.payment_method)}</label>
            <select id="pay-method" name="method">
                {PaymentMethod::ALL.into_iter().map(|m| view! { <option value=m.as_str()>{move || method_text(i18n, m.as_str())}</option> }).collect_view()}
            </select>
            <label for="pay-ref">{t!(i18n, invoicing.payment_reference)}</label>
            <input id="pay-ref" name="reference" maxlength="200" />
            <button type="submit" class="button primary">{t!(i18n, invoicing.record_payment)}</button>
        </ActionForm>
    }
}

/// Paying back what credit notes left owed to the client: the amount starts from all of it;
/// a refused form comes back with what was typed and the problem under its field.
#[component]
fn RefundForm(id: i64, refund: ServerAction<RecordRefund>, owed_back: Cents) -> impl IntoView {
    let i18n = use_i18n();
    let value = refund.value();
    let owed = owed_back.format_number().replace('\u{a0}', "");
    let amount = posted::<RecordRefund>("amount", owed);
    let date = posted::<RecordRefund>("refunded_on", "");
    let method = posted::<RecordRefund>("method", PaymentMethod::Transfer.as_str());
    let reference = posted::<RecordRefund>("reference", "");
    view! {
        <ActionForm action=refund attr:class="form refund-form">
            <p class="form-title">{t!(i18n, invoicing.refund_title)}</p>
            <p class="muted">{t!(i18n, invoicing.refund_text)}</p>
            <input type="hidden" name="invoice_id" value=id.to_string() />
            <label for="refund-amount">{t!(i18n, invoicing.refund_amount)}</label>
            <input id="refund-amount" name="amount" inputmode="decimal" required aria-describedby="refund-amount-error" value=amount.clone() prop:value=amount />
            <FieldError problem=Box::new(field_problem(value, i18n, "amount")) id="refund-amount-error" />
            <label for="refund-date">{t!(i18n, invoicing.refund_date)}</label>
            <input id="refund-date" name="refunded_on" type="date" aria-describedby="refund-date-error" value=date />
            <FieldError problem=Box::new(field_problem(value, i18n, "refunded_on")) id="refund-date-error" />
            <label for="refund-method">{t!(i18n, invoicing.refund_method)}</label>
            <select id="refund-method" name="method">
                {PaymentMethod::ALL.into_iter().map(|m| {
                    let chosen = method == m.as_str();
                    view! { <option value=m.as_str() selected=chosen>{move || method_text(i18n, m.as_str())}</option> }
                }).collect_view()}
            </select>
            <FieldError problem=Box::new(field_problem(value, i18n, "method")) id="refund-method-error" />
            <label for="refund-ref">{t!(i18n, invoicing.payment_reference)}</label>
            <input id="refund-ref" name="reference" maxlength="200" aria-describedby="refund-ref-error" value=reference />
            <FieldError problem=Box::new(field_problem(value, i18n, "reference")) id="refund-ref-error" />
            <FieldError problem=Box::new(field_problem(value, i18n, "invoice_id")) id="refund-invoice-error" />
            <button type="submit" class="button primary">{t!(i18n, invoicing.record_refund)}</button>
        </ActionForm>
    }
}
