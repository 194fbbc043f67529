//! Refunds: money paid back to a client when credit notes took an invoice below what it had
//! received. Like payments they are records, only ever added (the database refuses a change,
//! and a refund of more than is owed back); the payments list shows them as negative lines.

use super::payments::{Direction, Movement, record_movement};
use crate::error::AppResult;
use crate::invoicing::PaymentMethod;
use crate::invoicing::money::Cents;
use crate::invoicing::workflow::Status;
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
    let movement = Movement {
        invoice,
        on: refunded_on,
        amount,
        method,
        reference,
        by,
    };
    record_movement(pool, org, Direction::Back, movement).await
}
