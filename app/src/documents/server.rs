//! Server functions for sending documents by e-mail. Downloads are plain GET routes (see
//! `http.rs`) so they work as links, without JavaScript.

use super::EmailForm;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{Variant, db, mail, print::PrintDocument},
    crate::auth::types::Email,
    crate::error::{FieldProblem, Problem},
    crate::invoicing::server::organisation,
    crate::invoicing::workflow::{Action, DocumentKind, Status},
    crate::state::server_state,
    chrono::Utc,
};

#[cfg(feature = "ssr")]
const SUBJECT_MAX: usize = 200;
#[cfg(feature = "ssr")]
const BODY_MAX: usize = 10_000;

/// The French defaults of the e-mail form.
#[cfg(feature = "ssr")]
pub fn default_email(doc: &PrintDocument) -> EmailForm {
    let seller = doc.seller.legal_name.trim();
    let what = match (&doc.kind, &doc.number) {
        (DocumentKind::Quote, Some(n)) => format!("notre devis n° {n}"),
        (DocumentKind::Quote, None) => "notre devis".to_owned(),
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
    let subject = if seller.is_empty() {
        doc.label()
    } else {
        format!("{} — {seller}", doc.label())
    };
    let body = format!(
        "Bonjour,\n\nVeuillez trouver ci-joint {what}{detail}.\n\nNous restons à votre disposition pour toute question.\n\nCordialement,\n{seller}\n"
    );
    EmailForm {
        to: doc.client.email.clone(),
        subject,
        body,
        attachment_name: doc.file_name(doc.is_original()),
    }
}

/// The e-mail form's defaults for a document.
#[server(endpoint = "email_draft")]
pub async fn email_draft(document_id: i64) -> Result<EmailForm, AppError> {
    let (org, _) = organisation()?;
    let pool = server_state()?.pool;
    let mut conn = pool.acquire().await?;
    let doc = db::load(&mut conn, org, document_id, None).await?;
    Ok(default_email(&doc))
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
    match subject.trim().chars().count() {
        0 => push("subject", Problem::SubjectRequired),
        n if n > SUBJECT_MAX => push("subject", Problem::SubjectTooLong),
        _ => {}
    }
    if subject.contains(['\r', '\n']) {
        push("subject", Problem::SubjectTooLong);
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
) -> Result<(), AppError> {
    let (org, me) = organisation()?;
    let to = check_message(&to, &subject, &body)?;
    let state = server_state()?;
    let now = Utc::now();
    let mut tx = state.pool.begin().await?;
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
            crate::invoicing::db::quote_action_in(&mut tx, org, document_id, Action::Send, now)
                .await?;
            Variant::Pdf
        }
        (DocumentKind::Quote, _) => Variant::Pdf,
        (_, Status::Draft) => return Err(AppError::invalid("document", Problem::SendBeforeIssue)),
        _ => Variant::FacturX,
    };
    let rendered = db::render(&mut tx, org, document_id, variant, now).await?;
    let reply_to = rendered.document.seller.email.clone();
    let outgoing = mail::Outgoing {
        to: to.as_str(),
        reply_to: Some(reply_to.as_str()).filter(|r| !r.is_empty()),
        subject: subject.trim(),
        body: &body,
        attachment_name: &rendered.file_name,
        attachment: rendered.bytes.clone(),
    };
    let delivery = state.mailer.send(&outgoing).await.map_err(|e| {
        tracing::warn!(document = document_id, error = %e, "e-mail not sent");
        match e {
            mail::MailError::Refused(_) => AppError::invalid("to", Problem::MailRefused),
            mail::MailError::Recipient => AppError::invalid("to", Problem::EmailInvalid),
            mail::MailError::Unreachable(_) | mail::MailError::Outbox(..) => {
                AppError::invalid("to", Problem::MailUnreachable)
            }
            _ => AppError::Internal,
        }
    })?;
    db::record_email(
        &mut tx,
        db::NewEmail {
            org,
            document: document_id,
            recipient: to.as_str(),
            subject: subject.trim(),
            attachment_name: &rendered.file_name,
            attachment_sha256: &rendered.sha256,
            transport: delivery.transport,
            detail: &delivery.detail,
            by: me,
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        document = document_id,
        transport = delivery.transport,
        attachment = %rendered.file_name,
        "document sent by e-mail"
    );
    Ok(())
}
