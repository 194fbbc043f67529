//! Server functions for sending documents by e-mail. Downloads are plain GET routes (see
//! `http.rs`) so they work as links, without JavaScript.

use super::EmailForm;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{Variant, db, mail, print::PrintDocument},
    crate::auth::ctx::Ctx,
    crate::auth::types::{Email, Role},
    crate::error::{FieldProblem, Problem},
    crate::i18n::td_string,
    crate::invoicing::workflow::{Action, DocumentKind, Status},
    crate::ui::flash,
    chrono::Utc,
};

#[cfg(feature = "ssr")]
const SUBJECT_MAX: usize = 200;
#[cfg(feature = "ssr")]
const BODY_MAX: usize = 10_000;
#[cfg(feature = "ssr")]
const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(25);

/// The French defaults of the e-mail form.
#[cfg(feature = "ssr")]
pub fn default_email(doc: &PrintDocument) -> EmailForm {
    let seller = doc.seller.legal_name.trim();
    // A draft quote gets its number when it is sent: `{numero}` is filled in then.
    let number = doc.number.clone().unwrap_or_else(|| NUMBER.to_owned());
    let what = match (&doc.kind, &doc.number) {
        (DocumentKind::Quote, _) => format!("notre devis n° {number}"),
        (DocumentKind::Invoice, Some(n)) => format!("notre facture n° {n}"),
        (DocumentKind::Invoice, None) => "notre facture".to_owned(),
        (DocumentKind::CreditNote, Some(n)) => format!("notre avoir n° {n}"),
        (DocumentKind::CreditNote, None) => "notre avoir".to_owned(),
    };
    let total = doc.totals.total_incl_tax.format();
    let detail = match doc.kind {
        DocumentKind::Quote => match doc.validity_date {
            Some(v) => format!(
                " d'un montant de {total} TTC, valable jusqu'au {}",
                super::print::fr_date(v)
            ),
            None => format!(" d'un montant de {total} TTC"),
        },
        DocumentKind::Invoice => match doc.due_date {
            Some(d) => format!(
                " d'un montant de {total} TTC, à régler au plus tard le {}",
                super::print::fr_date(d)
            ),
            None => format!(" d'un montant de {total} TTC"),
        },
        DocumentKind::CreditNote => format!(" d'un montant de {total} TTC"),
    };
    let label = match doc.kind {
        DocumentKind::Quote => format!("Devis {number}"),
        _ => doc.label(),
    };
    let subject = if seller.is_empty() {
        label
    } else {
        format!("{label} — {seller}")
    };
    let body = format!(
        "Bonjour,\n\nVeuillez trouver ci-joint {what}{detail}.\n\nNous restons à votre disposition pour toute question.\n\nCordialement,\n{seller}\n"
    );
    let attachment_name = match doc.kind {
        DocumentKind::Quote => format!("Devis-{number}.pdf"),
        _ => doc.file_name(doc.is_original()),
    };
    EmailForm {
        to: doc.client.email.clone(),
        subject,
        body,
        attachment_name,
    }
}

/// Stands for a draft quote's number in the e-mail form until sending gives it one.
#[cfg(feature = "ssr")]
pub const NUMBER: &str = "{numero}";

/// The e-mail form's defaults for a document.
#[server(endpoint = "email_draft")]
pub async fn email_draft(document_id: i64) -> Result<EmailForm, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    let org = ctx.organisation_id();
    let mut conn = ctx.pool().acquire().await?;
    let doc = db::load(&mut conn, org, document_id, None).await?;
    let mut form = default_email(&doc);
    // Whom to write to today, even if the invoice froze an older address.
    let current: Option<String> = sqlx::query_scalar(
        "SELECT c.email FROM documents d JOIN contacts c ON c.id = d.contact_id
          WHERE d.organisation_id = $1 AND d.id = $2",
    )
    .bind(org)
    .bind(document_id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(email) = current.filter(|e| !e.trim().is_empty()) {
        form.to = email;
    }
    Ok(form)
}

#[cfg(feature = "ssr")]
fn check_message(to: &str, subject: &str, body: &str) -> Result<Email, AppError> {
    let mut problems = Vec::new();
    let mut push = |field: &str, problem: Problem| {
        problems.push(FieldProblem {
            field: field.to_owned(),
            problem,
        })
    };
    let email = Email::parse(to).map_err(|p| push("to", p)).ok();
    match subject.chars().count() {
        0 => push("subject", Problem::SubjectRequired),
        n if n > SUBJECT_MAX => push("subject", Problem::SubjectTooLong),
        _ => {}
    }
    match body.trim().chars().count() {
        0 => push("body", Problem::MessageRequired),
        n if n > BODY_MAX => push("body", Problem::MessageTooLong),
        _ => {}
    }
    match email {
        Some(email) if problems.is_empty() => Ok(email),
        _ => Err(AppError::Invalid(problems)),
    }
}

/// Sends a document to its contact with the PDF attached (Factur-X for an issued invoice or
/// credit note). A draft quote becomes `sent` (and gets its number) in the same transaction, so
/// a refused or unreachable mail server leaves it unchanged.
#[server(endpoint = "send_document")]
pub async fn send_document(
    document_id: i64,
    to: String,
    subject: String,
    body: String,
    /// The document's page to come back to once sent (a local path; ignored otherwise).
    #[server(default)]
    back: String,
) -> Result<(), AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    let org = ctx.organisation_id();
    // A subject is one line: pasted line breaks and runs of spaces become single spaces.
    let subject = subject.split_whitespace().collect::<Vec<_>>().join(" ");
    let to = check_message(&to, &subject, &body)?;
    let now = Utc::now();
    let mut tx = ctx.pool().begin().await?;
    sqlx::query("SET LOCAL lock_timeout = '5s'")
        .execute(&mut *tx)
        .await?;
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT kind, status FROM documents WHERE organisation_id = $1 AND id = $2 FOR UPDATE",
    )
    .bind(org)
    .bind(document_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (kind, status) = row.ok_or(AppError::NotFound)?;
    let kind: DocumentKind = kind.parse().map_err(|_| AppError::Internal)?;
    let status: Status = status.parse().map_err(|_| AppError::Internal)?;
    let variant = match (kind, status) {
        (DocumentKind::Quote, Status::Draft) => {
            crate::invoicing::db::drafts::quote_action_in(
                &mut tx,
                org,
                document_id,
                Action::Send,
                now,
            )
            .await?;
            Variant::Pdf
        }
        (DocumentKind::Quote, _) => Variant::Pdf,
        (_, Status::Draft) => return Err(AppError::invalid("document", Problem::SendBeforeIssue)),
        _ => Variant::FacturX,
    };
    let rendered = db::render(&mut tx, org, document_id, variant, now).await?;
    let number = rendered.document.number.clone().unwrap_or_default();
    let subject = subject.replace(NUMBER, &number);
    let body = body.replace(NUMBER, &number);
    let reply_to = rendered.document.seller.email.clone();
    let outgoing = mail::Outgoing {
        to: to.as_str(),
        reply_to: Some(reply_to.as_str()).filter(|r| !r.is_empty()),
        subject: &subject,
        body: &body,
        attachment_name: &rendered.file_name,
        attachment: rendered.bytes.clone(),
    };
    let refusal = |e: mail::MailError| {
        tracing::warn!(document = document_id, error = %e, "e-mail not sent");
        match e {
            mail::MailError::Refused(_) => AppError::invalid("to", Problem::MailRefused),
            mail::MailError::Recipient => AppError::invalid("to", Problem::EmailInvalid),
            mail::MailError::Unreachable(_) | mail::MailError::Outbox(..) => {
                AppError::invalid("to", Problem::MailUnreachable)
            }
            _ => AppError::Internal,
        }
    };
    let (message, message_id) = ctx.state.mailer.compose(&outgoing).map_err(refusal)?;
    // Every write happens before the message leaves, so only the commit can fail after it.
    db::record_email(
        &mut tx,
        db::NewEmail {
            org,
            document: document_id,
            recipient: to.as_str(),
            subject: &subject,
            attachment_name: &rendered.file_name,
            attachment_sha256: &rendered.sha256,
            transport: ctx.state.mailer.transport_name(),
            detail: &message_id,
            by: ctx.user_id(),
            at: now,
        },
    )
    .await?;
    // Well inside the HTTP layer's 30 s timeout, so the outcome is always known.
    let delivery = tokio::time::timeout(SEND_TIMEOUT, ctx.state.mailer.deliver(message))
        .await
        .map_err(|_| mail::MailError::Unreachable("no answer in time".to_owned()))
        .and_then(|sent| sent)
        .map_err(refusal)?;
    if let Err(err) = tx.commit().await {
        tracing::error!(
            document = document_id,
            %number,
            %message_id,
            error = %err,
            "the e-mail left but its record (and a quote's new status) could not be saved"
        );
        return Err(err.into());
    }
    tracing::info!(
        document = document_id,
        transport = delivery.transport,
        detail = %delivery.detail,
        attachment = %rendered.file_name,
        "document sent by e-mail"
    );
    flash::success(|locale| td_string!(locale, documents.sent_ok)).await;
    if let Some(target) = crate::auth::http::local_target(&back) {
        leptos_axum::redirect(&target);
    }
    Ok(())
}
