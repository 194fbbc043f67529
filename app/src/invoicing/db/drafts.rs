//! Drafts (creating, replacing, deleting), the document row lock, numbering, and the quotes'
//! workflow (sending, accepting, refusing, expiring).

use super::common::{invalid, paris_today};
use super::lines::write_lines;
use crate::error::{AppError, AppResult, Problem};
use crate::invoicing::DocumentDraft;
use crate::invoicing::money::totals;
use crate::invoicing::workflow::{self, Action, DocumentKind, Status, document_number};
use chrono::{DateTime, Datelike, Utc};
use sqlx::{PgConnection, PgPool, Row};

async fn contact_exists(conn: &mut PgConnection, org: i64, id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM contacts WHERE organisation_id = $1 AND id = $2)",
    )
    .bind(org)
    .bind(id)
    .fetch_one(conn)
    .await
}

/// Creates a draft (quote, invoice or credit note) with its lines and totals.
pub async fn insert_draft(
    pool: &PgPool,
    org: i64,
    kind: DocumentKind,
    draft: &DocumentDraft,
    by: i64,
    source_quote: Option<i64>,
    corrected_invoice: Option<i64>,
) -> AppResult<i64> {
    let t = totals(&draft.amounts(), draft.global_discount).map_err(|p| invalid("lines", p))?;
    let mut tx = pool.begin().await?;
    if !contact_exists(&mut tx, org, draft.contact_id).await? {
        return Err(invalid("contact_id", Problem::ContactUnknown));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO documents (organisation_id, kind, contact_id, validity_date, due_date,
             global_discount_bp, notes, total_excl_tax_cents, total_vat_cents, total_incl_tax_cents,
             source_quote_id, corrected_invoice_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(org)
    .bind(kind.as_str())
    .bind(draft.contact_id)
    .bind(draft.validity_date)
    .bind(draft.due_date)
    .bind(draft.global_discount.0 as i32)
    .bind(&draft.notes)
    .bind(t.total_excl_tax.0)
    .bind(t.total_vat.0)
    .bind(t.total_incl_tax.0)
    .bind(source_quote)
    .bind(corrected_invoice)
    .bind(by)
    .fetch_one(&mut *tx)
    .await?;
    write_lines(&mut tx, id, draft).await?;
    tx.commit().await?;
    Ok(id)
}

/// Locks a document of the organisation for the rest of the transaction.
pub(super) async fn lock(
    conn: &mut PgConnection,
    org: i64,
    id: i64,
) -> AppResult<(DocumentKind, Status, i64)> {
    let row = sqlx::query(
        "SELECT kind, status, total_incl_tax_cents FROM documents WHERE organisation_id = $1 AND id = $2 FOR UPDATE",
    )
    .bind(org)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let kind: String = row.get("kind");
    let status: String = row.get("status");
    Ok((
        kind.parse().map_err(|_| AppError::Internal)?,
        status.parse().map_err(|_| AppError::Internal)?,
        row.get("total_incl_tax_cents"),
    ))
}

/// Replaces a draft's content. Anything but a draft is refused.
pub async fn update_draft(
    pool: &PgPool,
    org: i64,
    id: i64,
    draft: &DocumentDraft,
) -> AppResult<()> {
    let t = totals(&draft.amounts(), draft.global_discount).map_err(|p| invalid("lines", p))?;
    let mut tx = pool.begin().await?;
    let (_, status, _) = lock(&mut tx, org, id).await?;
    if status != Status::Draft {
        return Err(invalid("status", Problem::DocumentNotDraft));
    }
    if !contact_exists(&mut tx, org, draft.contact_id).await? {
        return Err(invalid("contact_id", Problem::ContactUnknown));
    }
    sqlx::query(
        "UPDATE documents SET contact_id = $3, validity_date = $4, due_date = $5,
             global_discount_bp = $6, notes = $7, total_excl_tax_cents = $8, total_vat_cents = $9,
             total_incl_tax_cents = $10, updated_at = now()
         WHERE organisation_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .bind(draft.contact_id)
    .bind(draft.validity_date)
    .bind(draft.due_date)
    .bind(draft.global_discount.0 as i32)
    .bind(&draft.notes)
    .bind(t.total_excl_tax.0)
    .bind(t.total_vat.0)
    .bind(t.total_incl_tax.0)
    .execute(&mut *tx)
    .await?;
    write_lines(&mut tx, id, draft).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_draft(pool: &PgPool, org: i64, id: i64) -> AppResult<()> {
    let mut tx = pool.begin().await?;
    let (_, status, _) = lock(&mut tx, org, id).await?;
    if status != Status::Draft {
        return Err(invalid("status", Problem::DocumentNotDraft));
    }
    sqlx::query("DELETE FROM documents WHERE organisation_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The next number of a series for a year, in the caller's transaction: the counter row stays
/// locked until commit, so concurrent issuers queue and a rolled-back issue gives its number back.
pub(super) async fn next_number(
    conn: &mut PgConnection,
    org: i64,
    kind: DocumentKind,
    year: i32,
) -> sqlx::Result<String> {
    let value: i64 = sqlx::query_scalar(
        "INSERT INTO number_counters (organisation_id, series, year, last_value) VALUES ($1, $2, $3, 1)
         ON CONFLICT (organisation_id, series, year)
         DO UPDATE SET last_value = number_counters.last_value + 1
         RETURNING last_value",
    )
    .bind(org)
    .bind(kind.series())
    .bind(year)
    .fetch_one(conn)
    .await?;
    Ok(document_number(kind, year, value))
}

/// Marks every sent quote whose validity date has passed (in Paris) as expired; returns how many.
pub async fn expire_quotes(pool: &PgPool, now: DateTime<Utc>) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE documents SET status = 'expired', updated_at = now()
          WHERE kind = 'quote' AND status = 'sent' AND validity_date < $1",
    )
    .bind(paris_today(now))
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// Sends a quote (numbering it), or marks a sent quote accepted, refused or expired.
pub async fn quote_action(
    pool: &PgPool,
    org: i64,
    id: i64,
    action: Action,
    now: DateTime<Utc>,
) -> AppResult<Status> {
    let mut tx = pool.begin().await?;
    let next = quote_action_in(&mut tx, org, id, action, now).await?;
    tx.commit().await?;
    Ok(next)
}

/// [`quote_action`] inside the caller's transaction (sending by e-mail numbers the quote and
/// rolls back if the message is refused).
pub async fn quote_action_in(
    tx: &mut PgConnection,
    org: i64,
    id: i64,
    action: Action,
    now: DateTime<Utc>,
) -> AppResult<Status> {
    let (kind, status, _) = lock(&mut *tx, org, id).await?;
    if kind != DocumentKind::Quote {
        return Err(invalid("status", Problem::TransitionRefused));
    }
    let next = workflow::transition(kind, status, action).map_err(|p| invalid("status", p))?;
    if action == Action::Send {
        let today = paris_today(now);
        let number = next_number(&mut *tx, org, kind, today.year()).await?;
        sqlx::query(
            "UPDATE documents SET status = 'sent', number = $3, issue_date = $4,
                 validity_date = coalesce(validity_date, $4 + 30), issued_at = $5, updated_at = now()
             WHERE organisation_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(id)
        .bind(number)
        .bind(today)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    } else {
        sqlx::query("UPDATE documents SET status = $3, updated_at = now() WHERE organisation_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .bind(next.as_str())
            .execute(&mut *tx)
            .await?;
    }
    Ok(next)
}
