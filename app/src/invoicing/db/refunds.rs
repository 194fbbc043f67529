//! Refunds: money paid back to a client when credit notes took an invoice below what it had
//! received. Like payments they are records, only ever added (the database refuses a change,
//! and a refund of more than is owed back); the payments list shows them as negative lines.

use super::common::invalid;
use super::drafts::lock;
use super::payments::{REFERENCE_MAX, set_status, settlement};
use crate::error::{AppResult, Problem};
use crate::invoicing::PaymentMethod;
use crate::invoicing::money::Cents;
use crate::invoicing::workflow::{DocumentKind, Status};
use chrono::NaiveDate;
use sqlx::PgPool;

/// A refund to record.
pub struct NewRefund<'a> {
    pub invoice: i64,
    pub refunded_on: NaiveDate,
    pub amount: Cents,
    pub method: PaymentMethod,
    pub reference: &'a str,
    pub by: i64,
}

/// Records a refund on an issued invoice of `org`; more than what is owed back is refused.
/// Returns the invoice's status afterwards.
pub async fn record_refund(pool: &PgPool, org: i64, refund: NewRefund<'_>) -> AppResult<Status> {
    let NewRefund {
        invoice,
        refunded_on,
        amount,
        method,
        reference,
        by,
    } = refund;
    if amount.0 <= 0 {
        return Err(invalid("amount", Problem::AmountInvalid));
    }
    if reference.trim().chars().count() > REFERENCE_MAX {
        return Err(invalid("reference", Problem::ReferenceTooLong));
    }
    let mut tx = pool.begin().await?;
    let (kind, status, total) = lock(&mut tx, org, invoice).await?;
    if kind != DocumentKind::Invoice
        || !matches!(
            status,
            Status::Issued | Status::PartiallyPaid | Status::Paid
        )
    {
        return Err(invalid("invoice_id", Problem::TransitionRefused));
    }
    let next = settlement(&mut tx, invoice, total)
        .await?
        .refund(amount.0)
        .map_err(|p| invalid("amount", p))?
        .status();
    sqlx::query(
        "INSERT INTO refunds (organisation_id, invoice_id, refunded_on, amount_cents, method, reference, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(org)
    .bind(invoice)
    .bind(refunded_on)
    .bind(amount.0)
    .bind(method.as_str())
    .bind(reference.trim())
    .bind(by)
    .execute(&mut *tx)
    .await?;
    set_status(&mut tx, invoice, next).await?;
    tx.commit().await?;
    Ok(next)
}
