//! Issuing invoices and credit notes, converting accepted quotes, and drafting credit notes.

use super::common::{invalid, paris_today};
use super::drafts::{insert_draft, lock, next_number};
use super::lines::lines_of;
use super::payments::{set_status, settlement};
use crate::error::{AppError, AppResult, FieldProblem, Problem};
use crate::invoicing::money::{Cents, Discount, LineAmounts, Quantity, VatRate};
use crate::invoicing::workflow::{self, Action, DocumentKind, Status};
use crate::invoicing::{DocumentDraft, Line, LineView};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sqlx::{PgPool, Row};

/// Issues an invoice or a credit note: checks the mandatory mentions (refusing with the list of
/// what is missing), gives the next number of the series, freezes seller and client, and for a
/// credit note reduces the corrected invoice's balance: up to the invoice's total less earlier
/// credit notes, so on an invoice already paid what was paid beyond it is owed back.
pub async fn issue(pool: &PgPool, org: i64, id: i64, now: DateTime<Utc>) -> AppResult<String> {
    let mut tx = pool.begin().await?;
    let (kind, status, total) = lock(&mut tx, org, id).await?;
    workflow::transition(kind, status, Action::Issue).map_err(|p| invalid("status", p))?;
    let seller = crate::documents::db::seller_print(&mut tx, org).await?;
    let doc = sqlx::query(
        "SELECT d.due_date, d.corrected_invoice_id, d.contact_id,
                (SELECT count(*) FROM document_lines l WHERE l.document_id = d.id) AS lines,
                coalesce((SELECT bool_or(l.vat_rate_bp > 0) FROM document_lines l
                           WHERE l.document_id = d.id), false) AS charges_vat
           FROM documents d
          WHERE d.organisation_id = $1 AND d.id = $2",
    )
    .bind(org)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let client = crate::documents::db::current_client(&mut tx, org, doc.get("contact_id")).await?;
    let mut missing = Vec::new();
    let mut need = |ok: bool, field: &str| {
        if !ok {
            missing.push(FieldProblem {
                field: field.to_owned(),
                problem: Problem::MentionMissing,
            });
        }
    };
    need(seller.is_some(), "seller");
    if let Some(s) = &seller {
        need(!s.siren.is_empty(), "seller.siren");
        need(
            !s.address_line1.is_empty() && !s.postal_code.is_empty() && !s.city.is_empty(),
            "seller.address",
        );
        // Charging VAT requires printing the seller's VAT number (CGI, art. 242 nonies A).
        need(
            !doc.get::<bool, _>("charges_vat") || !s.vat_number.is_empty(),
            "seller.vat_number",
        );
    }
    need(!client.name.trim().is_empty(), "client.name");
    need(
        !client.address_line1.trim().is_empty()
            && !client.postal_code.trim().is_empty()
            && !client.city.trim().is_empty(),
        "client.address",
    );
    need(doc.get::<i64, _>("lines") > 0, "lines");
    if !missing.is_empty() {
        return Err(AppError::Invalid(missing));
    }
    let Some(seller) = seller else {
        return Err(invalid("seller", Problem::SellerProfileMissing));
    };
    let today = paris_today(now);
    let terms = seller.payment_terms_days;
    let due: NaiveDate = doc
        .get::<Option<NaiveDate>, _>("due_date")
        .unwrap_or(today + chrono::Duration::days(terms as i64));
    // Due before it exists would make the invoice overdue the moment it is issued.
    if due < today {
        return Err(invalid("due_date", Problem::DueDateBeforeIssue));
    }
    if kind == DocumentKind::CreditNote {
        let invoice: i64 = doc
            .get::<Option<i64>, _>("corrected_invoice_id")
            .ok_or(AppError::Internal)?;
        let (_, invoice_status, invoice_total) = lock(&mut tx, org, invoice).await?;
        if !matches!(
            invoice_status,
            Status::Issued | Status::PartiallyPaid | Status::Paid
        ) {
            return Err(invalid(
                "corrected_invoice_id",
                Problem::CreditExceedsBalance,
            ));
        }
        let status = settlement(&mut tx, invoice, invoice_total)
            .await?
            .credit(total)
            .map_err(|p| invalid("lines", p))?
            .status();
        set_status(&mut tx, invoice, status).await?;
    }
    let number = next_number(&mut tx, org, kind, today.year()).await?;
    // Frozen as they print: the snapshots are the print structs themselves.
    let seller_snapshot = serde_json::to_value(&seller).map_err(|_| AppError::Internal)?;
    let client_snapshot = serde_json::to_value(&client).map_err(|_| AppError::Internal)?;
    sqlx::query(
        "UPDATE documents SET status = 'issued', number = $3, issue_date = $4, due_date = $5,
             seller_snapshot = $6, client_snapshot = $7, issued_at = $8, updated_at = now()
         WHERE organisation_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .bind(&number)
    .bind(today)
    .bind(due)
    .bind(seller_snapshot)
    .bind(client_snapshot)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    crate::documents::db::check_totals(&mut tx, org, id).await?;
    tx.commit().await?;
    // The original is rendered now and its SHA-256 kept, so every later copy can be checked.
    if let Err(err) = crate::documents::db::seal(pool, org, id).await {
        tracing::error!(document = id, %number, error = %err, "issued but not sealed yet");
    }
    Ok(number)
}

/// Converts an accepted quote into a draft invoice with the same lines, once.
pub async fn convert_quote(pool: &PgPool, org: i64, quote: i64, by: i64) -> AppResult<i64> {
    let mut tx = pool.begin().await?;
    let (kind, status, _) = lock(&mut tx, org, quote).await?;
    if kind != DocumentKind::Quote || status != Status::Accepted {
        return Err(invalid("status", Problem::TransitionRefused));
    }
    let already: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM documents WHERE source_quote_id = $1)")
            .bind(quote)
            .fetch_one(&mut *tx)
            .await?;
    if already {
        return Err(invalid("status", Problem::QuoteAlreadyConverted));
    }
    let head =
        sqlx::query("SELECT contact_id, global_discount_bp, notes FROM documents WHERE id = $1")
            .bind(quote)
            .fetch_one(&mut *tx)
            .await?;
    let lines = lines_of(&mut tx, quote).await?;
    tx.commit().await?;
    let draft = DocumentDraft {
        contact_id: head.get("contact_id"),
        validity_date: None,
        due_date: None,
        global_discount: Discount(head.get::<i32, _>("global_discount_bp") as u16),
        notes: head.get("notes"),
        lines: lines
            .into_iter()
            .map(|l| Line {
                amounts: l.amounts(),
                article_id: l.article_id,
                description: l.description,
                unit: l.unit,
            })
            .collect(),
    };
    insert_draft(
        pool,
        org,
        DocumentKind::Invoice,
        &draft,
        by,
        Some(quote),
        None,
    )
    .await
}

/// What a credit note takes off an invoice: chosen lines (by position), or an amount excluding
/// tax at one VAT rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditScope {
    All,
    Lines(Vec<usize>),
    Amount {
        excl_tax: Cents,
        vat_rate: VatRate,
        description: String,
    },
}

/// Drafts a credit note for an issued invoice, paid or not, that credit notes do not cover yet.
pub async fn draft_credit_note(
    pool: &PgPool,
    org: i64,
    invoice: i64,
    scope: CreditScope,
    by: i64,
) -> AppResult<i64> {
    let mut conn = pool.acquire().await?;
    let (kind, status, total) = lock(&mut conn, org, invoice).await?;
    if kind != DocumentKind::Invoice
        || !matches!(
            status,
            Status::Issued | Status::PartiallyPaid | Status::Paid
        )
    {
        return Err(invalid("invoice_id", Problem::TransitionRefused));
    }
    if settlement(&mut conn, invoice, total).await?.creditable() == 0 {
        return Err(invalid("invoice_id", Problem::CreditExceedsBalance));
    }
    let head =
        sqlx::query("SELECT contact_id, global_discount_bp, number FROM documents WHERE id = $1")
            .bind(invoice)
            .fetch_one(&mut *conn)
            .await?;
    let number: String = head.get("number");
    let all = lines_of(&mut conn, invoice).await?;
    drop(conn);
    let to_line = |l: &LineView| Line {
        article_id: l.article_id,
        description: l.description.clone(),
        unit: l.unit.clone(),
        amounts: LineAmounts {
            quantity: l.quantity,
            unit_price: l.unit_price,
            vat_rate: l.vat_rate,
            discount: l.discount,
        },
    };
    let (lines, discount) = match scope {
        CreditScope::All => (
            all.iter().map(to_line).collect(),
            Discount(head.get::<i32, _>("global_discount_bp") as u16),
        ),
        CreditScope::Lines(positions) => (
            all.iter()
                .enumerate()
                .filter(|(i, _)| positions.contains(i))
                .map(|(_, l)| to_line(l))
                .collect::<Vec<_>>(),
            Discount(head.get::<i32, _>("global_discount_bp") as u16),
        ),
        CreditScope::Amount {
            excl_tax,
            vat_rate,
            description,
        } => (
            vec![Line {
                article_id: None,
                description,
                unit: String::new(),
                amounts: LineAmounts {
                    quantity: Quantity(1000),
                    unit_price: excl_tax,
                    vat_rate,
                    discount: Discount(0),
                },
            }],
            Discount(0),
        ),
    };
    if lines.is_empty() {
        return Err(invalid("lines", Problem::CreditLinesRequired));
    }
    let draft = DocumentDraft {
        contact_id: head.get("contact_id"),
        validity_date: None,
        due_date: None,
        global_discount: discount,
        notes: format!("Avoir sur la facture {number}"),
        lines,
    };
    insert_draft(
        pool,
        org,
        DocumentKind::CreditNote,
        &draft,
        by,
        None,
        Some(invoice),
    )
    .await
}
