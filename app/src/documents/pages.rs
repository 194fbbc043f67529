//! The document screen's files and e-mail panel: download and open the PDF, the Factur-X file
//! and its XML, the copy with payments, and the send-by-e-mail form with the list of sends.

use super::server::SendDocument;
use super::{EmailForm, EmailSent, Variant, file_url};
use crate::error::AppError;
use crate::i18n::{t, use_i18n};
use crate::invoicing::workflow::{DocumentKind, Status};
use crate::ui::forms::{FieldError, FormError, field_problem, form_problem};
use crate::ui::messages::error_text;
use crate::ui::posted::posted;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What the panel needs to know about the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilesOf {
    pub id: i64,
    pub kind: DocumentKind,
    pub status: Status,
    pub numbered: bool,
    /// An invoice with payments or credit notes recorded.
    pub settled_some: bool,
    pub emails: Vec<EmailSent>,
}

#[component]
pub fn DocumentFiles(
    files: FilesOf,
    /// The list page the modal sits on, e.g. `/facturation/factures`.
    base: String,
    /// The e-mail form's defaults, loaded with the document when the form is open.
    draft: Option<Result<EmailForm, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let id = files.id;
    let original = files.kind != DocumentKind::Quote && files.numbered;
    let can_send = files.kind == DocumentKind::Quote || files.numbered;
    let sending = move || query.with(|q| q.get("envoyer").is_some_and(|v| v == "1"));
    let send_href = format!("{base}?voir={id}&envoyer=1");
    let back_href = format!("{base}?voir={id}");
    let emails = files.emails.clone();
    view! {
        <section class="document-files" aria-labelledby=format!("files-{id}")>
            <p id=format!("files-{id}") class="subtitle">{t!(i18n, documents.files)}</p>
            <div class="actions-bar">
                <a class="button" href=file_url(id, Variant::Pdf, false) download data-file="pdf" rel="external">
                    {t!(i18n, documents.download_pdf)}
                </a>
                <a class="button" href=file_url(id, Variant::Pdf, true) target="_blank" rel="noopener external">
                    {t!(i18n, documents.open_pdf)}
                </a>
                {original.then(|| view! {
                    <a class="button" href=file_url(id, Variant::FacturX, false) download data-file="facturx" rel="external">
                        {t!(i18n, documents.facturx)}
                    </a>
                    <a class="button" href=format!("/facturation/documents/{id}/factur-x.xml") download rel="external">
                        {t!(i18n, documents.facturx_xml)}
                    </a>
                })}
                {(files.kind == DocumentKind::Invoice && files.settled_some).then(|| view! {
                    <a class="button" href=file_url(id, Variant::Situation, true) target="_blank" rel="noopener external">
                        {t!(i18n, documents.situation_copy)}
                    </a>
                })}
                {can_send.then(|| view! {
                    <a class="button primary" href=send_href.clone() data-action="send-email">
                        {t!(i18n, documents.send_email)}
                    </a>
                })}
            </div>
            {move || match (can_send && sending(), draft.clone()) {
                (true, Some(Ok(d))) => Some(view! {
                    <SendForm id kind=files.kind status=files.status back=back_href.clone() d />
                }.into_any()),
                (true, Some(Err(err))) => Some(view! {
                    <p class="notice notice-error">{error_text(i18n, &err)}</p>
                }.into_any()),
                _ => None,
            }}
            {(!emails.is_empty()).then(|| view! {
                <p class="subtitle">{t!(i18n, documents.sent_list)}</p>
                <ul class="sent-list">
                    {emails.iter().map(|e| view! {
                        <li>
                            <span class="when">{e.sent_at.clone()}</span>" — "
                            <span class="who">{e.recipient.clone()}</span>" — "
                            <span class="what">{e.subject.clone()}</span>
                            {e.outbox.then(|| view! { " " <span class="badge">{t!(i18n, documents.outbox)}</span> })}
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
fn SendForm(
    id: i64,
    kind: DocumentKind,
    status: Status,
    back: String,
    d: EmailForm,
) -> impl IntoView {
    let i18n = use_i18n();
    let send = ServerAction::<SendDocument>::new();
    let value = send.value();
    // The server leaves the flash and redirects to the document (`back`), which shows its new
    // status and list of sends.
    // Coming back refused (JavaScript off), the form starts from the user's input.
    let to = posted::<SendDocument>("to", d.to.clone());
    let subject = posted::<SendDocument>("subject", d.subject.clone());
    let body = posted::<SendDocument>("body", d.body.clone());
    let quote_draft = kind == DocumentKind::Quote && status == Status::Draft;
    view! {
                <ActionForm action=send attr:class="form send-form">
                    <FormError problem=Box::new(form_problem(value, i18n)) />
                    <input type="hidden" name="document_id" value=id.to_string() />
                    <input type="hidden" name="back" value=back.clone() />
                    <label for="send-to">{t!(i18n, documents.to)}</label>
                    <input id="send-to" name="to" type="email" required autocomplete="email" value=to />
                    <FieldError problem=Box::new(field_problem(value, i18n, "to")) id="send-to-error" />
                    <label for="send-subject">{t!(i18n, documents.subject)}</label>
                    // A draft quote has no number yet: say what `{numero}` becomes, beside it.
                    <input id="send-subject" name="subject" required maxlength="200" value=subject aria-describedby=quote_draft.then_some("send-number-hint") />
                    {quote_draft.then(|| view! { <p class="hint" id="send-number-hint">{t!(i18n, documents.number_placeholder_hint)}</p> })}
                    <FieldError problem=Box::new(field_problem(value, i18n, "subject")) id="send-subject-error" />
                    <label for="send-body">{t!(i18n, documents.message)}</label>
                    <textarea id="send-body" name="body" rows="8" required>{body}</textarea>
                    <FieldError problem=Box::new(field_problem(value, i18n, "body")) id="send-body-error" />
                    <p class="hint">{t!(i18n, documents.attachment)} " : " <strong data-attachment>{d.attachment_name.clone()}</strong></p>
                    {quote_draft.then(|| view! { <p class="hint">{t!(i18n, documents.quote_send_note)}</p> })}
                    <FieldError problem=Box::new(field_problem(value, i18n, "document")) id="send-document-error" />
                    <div class="actions-bar">
                        <button type="submit" class="button primary" disabled=move || send.pending().get()>{t!(i18n, documents.send)}</button>
                        <a class="button" href=back>{t!(i18n, documents.cancel)}</a>
                    </div>
                </ActionForm>
    }
}
