//! Payments: what is settled on an invoice, recording a payment, and reading payments back,
//! with the refunds (`refunds.rs`) among them as negative lines.

use super::common::{
    Sorting, amount_range, fetch_page, fr_date, invalid, like_pattern, optional_id,
};
use super::drafts::lock;
use crate::error::{AppError, AppResult, Problem};
use crate::invoicing::money::Cents;
use crate::invoicing::workflow::{DocumentKind, Settlement, Status};
use crate::invoicing::{ListFilter, Page, PaymentMethod, PaymentView, parse_date};
use chrono::NaiveDate;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder, Row};

/// What an invoice received (its payments less its refunds) and what issued credit notes took
/// off it.
pub(crate) async fn settled(conn: &mut PgConnection, invoice: i64) -> sqlx::Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT (coalesce((SELECT sum(amount_cents) FROM payments WHERE invoice_id = $1), 0)
                 - coalesce((SELECT sum(amount_cents) FROM refunds WHERE invoice_id = $1), 0))::bigint AS paid,
                coalesce((SELECT sum(total_incl_tax_cents) FROM documents
                           WHERE corrected_invoice_id = $1 AND number IS NOT NULL), 0)::bigint AS credited",
    )
    .bind(invoice)
    .fetch_one(conn)
    .await?;
    Ok((row.get("paid"), row.get("credited")))
}

/// An issued invoice's settlement, read under the lock its caller holds.
pub(super) async fn settlement(
    conn: &mut PgConnection,
    invoice: i64,
    total: i64,
) -> sqlx::Result<Settlement> {
    let (paid, credited) = settled(conn, invoice).await?;
    Ok(Settlement {
        total,
        paid,
        credited,
    })
}

/// Sets an issued invoice's status from its settlement.
pub(super) async fn set_status(
    conn: &mut PgConnection,
    invoice: i64,
    status: Status,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE documents SET status = $2, updated_at = now() WHERE id = $1")
        .bind(invoice)
        .bind(status.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// The longest reference of a payment or a refund, in characters (the tables' CHECK).
pub(super) const REFERENCE_MAX: usize = 200;

/// A payment to record.
pub struct NewPayment<'a> {
    pub invoice: i64,
    pub paid_on: NaiveDate,
    pub amount: Cents,
    pub method: PaymentMethod,
    pub reference: &'a str,
    pub by: i64,
}

/// Records a payment; more than the balance due is refused.
pub async fn record_payment(pool: &PgPool, org: i64, payment: NewPayment<'_>) -> AppResult<Status> {
    let NewPayment {
        invoice,
        paid_on,
        amount,
        method,
        reference,
        by,
    } = payment;
    let movement = Movement {
        invoice,
        on: paid_on,
        amount,
        method,
        reference,
        by,
    };
    record_movement(pool, org, Direction::In, movement).await
}

/// Which way money moved on an invoice: paid by the client, or paid back to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    In,
    Back,
}

/// A payment or a refund, as recorded.
pub(super) struct Movement<'a> {
    pub invoice: i64,
    pub on: NaiveDate,
    pub amount: Cents,
    pub method: PaymentMethod,
    pub reference: &'a str,
    pub by: i64,
}

/// Records money moved on an issued invoice of `org`, checked against its settlement (no more
/// than is due, or owed back), and returns the invoice's status afterwards.
pub(super) async fn record_movement(
    pool: &PgPool,
    org: i64,
    direction: Direction,
    m: Movement<'_>,
) -> AppResult<Status> {
    if m.amount.0 <= 0 {
        return Err(invalid("amount", Problem::AmountInvalid));
    }
    if m.reference.trim().chars().count() > REFERENCE_MAX {
        return Err(invalid("reference", Problem::ReferenceTooLong));
    }
    let mut tx = pool.begin().await?;
    let (kind, status, total) = lock(&mut tx, org, m.invoice).await?;
    // Money comes in until the invoice is paid; it goes back once paid too.
    let open = match direction {
        Direction::In => matches!(status, Status::Issued | Status::PartiallyPaid),
        Direction::Back => matches!(
            status,
            Status::Issued | Status::PartiallyPaid | Status::Paid
        ),
    };
    if kind != DocumentKind::Invoice || !open {
        return Err(invalid("invoice_id", Problem::TransitionRefused));
    }
    let settlement = settlement(&mut tx, m.invoice, total).await?;
    let next = match direction {
        Direction::In => settlement.pay(m.amount.0),
        Direction::Back => settlement.refund(m.amount.0),
    }
    .map_err(|p| invalid("amount", p))?
    .status();
    let insert = match direction {
        Direction::In => {
            "INSERT INTO payments (organisation_id, invoice_id, paid_on, amount_cents, method, reference, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        }
        Direction::Back => {
            "INSERT INTO refunds (organisation_id, invoice_id, refunded_on, amount_cents, method, reference, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        }
    };
    sqlx::query(insert)
        .bind(org)
        .bind(m.invoice)
        .bind(m.on)
        .bind(m.amount.0)
        .bind(m.method.as_str())
        .bind(m.reference.trim())
        .bind(m.by)
        .execute(&mut *tx)
        .await?;
    set_status(&mut tx, m.invoice, next).await?;
    tx.commit().await?;
    Ok(next)
}

/// Payments and refunds as one list of money moved, a refund as a negative line. Each side
/// numbers its rows on its own, so a line is named by its id and whether it is a refund.
const MOVEMENTS: &str = "(SELECT id, organisation_id, invoice_id, paid_on, amount_cents, method,
        reference, false AS refund FROM payments
     UNION ALL
     SELECT id, organisation_id, invoice_id, refunded_on, -amount_cents, method, reference, true
       FROM refunds)";

const PAYMENT_COLUMNS: &str = "p.id, p.invoice_id, d.number, c.name, p.paid_on, p.amount_cents,
    p.method, p.reference, p.refund";

fn payment_from_row(r: &sqlx::postgres::PgRow) -> Option<PaymentView> {
    Some(PaymentView {
        id: r.get("id"),
        invoice_id: r.get("invoice_id"),
        invoice_number: r.get::<Option<String>, _>("number").unwrap_or_default(),
        contact_name: r.get("name"),
        paid_on: fr_date(r.get("paid_on")),
        amount: Cents(r.get("amount_cents")),
        method: r.get("method"),
        reference: r.get("reference"),
        refund: r.get("refund"),
    })
}

pub(super) async fn payments_of(
    conn: &mut PgConnection,
    invoice: i64,
) -> sqlx::Result<Vec<PaymentView>> {
    let rows = sqlx::query(&format!(
        "SELECT {PAYMENT_COLUMNS}
           FROM {MOVEMENTS} p JOIN documents d ON d.id = p.invoice_id JOIN contacts c ON c.id = d.contact_id
          WHERE p.invoice_id = $1 ORDER BY p.paid_on, p.refund, p.id"
    ))
    .bind(invoice)
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().filter_map(payment_from_row).collect())
}

/// A page of payments and refunds (negative): search in invoice number, client and reference;
/// filters by method, client, date range and amount.
pub async fn list_payments(
    pool: &PgPool,
    org: i64,
    f: &ListFilter,
) -> AppResult<Page<PaymentView>> {
    let method = match f.kind.trim() {
        "" => None,
        raw => Some(PaymentMethod::parse(raw).map_err(|p| invalid("kind", p))?),
    };
    let contact = optional_id("contact_id", &f.contact_id, Problem::ContactUnknown)?;
    let mut problems = Vec::new();
    let from = parse_date("from", &f.from, &mut problems);
    let to = parse_date("to", &f.to, &mut problems);
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let (min, max) = amount_range(f)?;
    let search = like_pattern(&f.search);
    let filters = |q: &mut QueryBuilder<'_, Postgres>, _: bool| {
        q.push(format!(
            " FROM {MOVEMENTS} p JOIN documents d ON d.id = p.invoice_id
              JOIN contacts c ON c.id = d.contact_id WHERE p.organisation_id = "
        ))
        .push_bind(org);
        if let Some(pattern) = &search {
            q.push(" AND (d.number ILIKE ")
                .push_bind(pattern.clone())
                .push(" OR c.name ILIKE ")
                .push_bind(pattern.clone())
                .push(" OR p.reference ILIKE ")
                .push_bind(pattern.clone())
                .push(")");
        }
        if let Some(method) = method {
            q.push(" AND p.method = ").push_bind(method.as_str());
        }
        if let Some(contact) = contact {
            q.push(" AND d.contact_id = ").push_bind(contact);
        }
        if let Some(from) = from {
            q.push(" AND p.paid_on >= ").push_bind(from);
        }
        if let Some(to) = to {
            q.push(" AND p.paid_on <= ").push_bind(to);
        }
        if let Some(min) = min {
            q.push(" AND p.amount_cents >= ").push_bind(min);
        }
        if let Some(max) = max {
            q.push(" AND p.amount_cents <= ").push_bind(max);
        }
        Ok(())
    };
    let sorts = [
        ("paid_on", "p.paid_on", false),
        ("invoice", "d.number", true),
        ("contact", "lower(c.name)", false),
        ("method", "p.method", false),
        ("reference", "lower(p.reference)", false),
        ("amount", "p.amount_cents", false),
    ];
    fetch_page(
        pool,
        PAYMENT_COLUMNS,
        filters,
        None,
        Sorting::of(f, &sorts, "(p.id, p.refund)", true),
        &f.page,
        payment_from_row,
    )
    .await
}
