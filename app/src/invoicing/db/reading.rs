//! Reading documents: the filtered lists, one document with its lines, payments and links, and
//! the dashboard.

use super::common::{Sorting, fetch_page, fr_date, invalid, like_pattern, paris_today};
use super::lines::lines_of;
use super::payments::{payments_of, settled};
use crate::error::{AppError, AppResult};
use crate::format::paris_date;
use crate::invoicing::money::{Cents, Discount, LineAmounts, totals};
use crate::invoicing::workflow::{DocumentKind, Status};
use crate::invoicing::{
    Dashboard, DocumentFields, DocumentFilter, DocumentSummary, DocumentView, LineFields, LineView,
    Page, parse_date,
};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sqlx::{PgPool, Postgres, QueryBuilder, Row};

const SUMMARY_COLUMNS: &str =
    "d.id, d.kind, d.status, d.number, d.contact_id, c.name AS contact_name,
    d.issue_date, d.due_date, d.total_excl_tax_cents, d.total_incl_tax_cents, d.created_at,
    CASE WHEN d.kind = 'invoice' AND d.number IS NOT NULL THEN d.total_incl_tax_cents
         - coalesce((SELECT sum(p.amount_cents) FROM payments p WHERE p.invoice_id = d.id), 0)
         + coalesce((SELECT sum(r.amount_cents) FROM refunds r WHERE r.invoice_id = d.id), 0)
         - coalesce((SELECT sum(a.total_incl_tax_cents) FROM documents a
                      WHERE a.corrected_invoice_id = d.id AND a.number IS NOT NULL), 0)
         ELSE 0 END::bigint AS balance_due";

fn summary_from_row(r: &sqlx::postgres::PgRow, today: NaiveDate) -> Option<DocumentSummary> {
    let kind: DocumentKind = r.get::<String, _>("kind").parse().ok()?;
    let status: Status = r.get::<String, _>("status").parse().ok()?;
    let due: Option<NaiveDate> = r.get("due_date");
    // Below zero when credit notes took the invoice below what it received: owed back.
    let balance: i64 = r.get("balance_due");
    Some(DocumentSummary {
        id: r.get("id"),
        kind,
        status,
        number: r.get("number"),
        contact_id: r.get("contact_id"),
        contact_name: r.get("contact_name"),
        issue_date: r.get::<Option<NaiveDate>, _>("issue_date").map(fr_date),
        due_date: due.map(fr_date),
        total_excl_tax: Cents(r.get("total_excl_tax_cents")),
        total_incl_tax: Cents(r.get("total_incl_tax_cents")),
        balance_due: Cents(balance.max(0)),
        owed_back: Cents(balance.saturating_neg().max(0)),
        overdue: balance > 0 && due.is_some_and(|d| d < today),
        created: paris_date(r.get("created_at")),
    })
}

/// The filters' FROM and WHERE. The count needs no join (the client name is only searched, in a
/// subquery), which keeps counting 10,000 invoices to an index scan.
fn push_filters(
    q: &mut QueryBuilder<'_, Postgres>,
    org: i64,
    f: &DocumentFilter,
    join: bool,
) -> AppResult<()> {
    let kind: DocumentKind = f.kind.parse().map_err(|p| invalid("kind", p))?;
    q.push(if join {
        " FROM documents d JOIN contacts c ON c.id = d.contact_id WHERE d.organisation_id = "
    } else {
        " FROM documents d WHERE d.organisation_id = "
    })
    .push_bind(org)
    .push(" AND d.kind = ")
    .push_bind(kind.as_str());
    if !f.status.trim().is_empty() {
        let status: Status = f.status.trim().parse().map_err(|p| invalid("status", p))?;
        q.push(" AND d.status = ").push_bind(status.as_str());
    }
    if let Ok(contact) = f.contact_id.trim().parse::<i64>() {
        q.push(" AND d.contact_id = ").push_bind(contact);
    }
    if let Ok(group) = f.group_id.trim().parse::<i64>() {
        q.push(" AND EXISTS (SELECT 1 FROM contact_group_members m WHERE m.contact_id = d.contact_id AND m.group_id = ")
            .push_bind(group)
            .push(")");
    }
    let mut problems = Vec::new();
    let from = parse_date("from", &f.from, &mut problems);
    let to = parse_date("to", &f.to, &mut problems);
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    if let Some(from) = from {
        q.push(" AND coalesce(d.issue_date, d.created_at::date) >= ")
            .push_bind(from);
    }
    if let Some(to) = to {
        q.push(" AND coalesce(d.issue_date, d.created_at::date) <= ")
            .push_bind(to);
    }
    for (raw, op, field) in [
        (&f.min_amount, " >= ", "min_amount"),
        (&f.max_amount, " <= ", "max_amount"),
    ] {
        if !raw.trim().is_empty() {
            let cents = Cents::parse(raw).map_err(|p| invalid(field, p))?;
            q.push(" AND d.total_incl_tax_cents")
                .push(op)
                .push_bind(cents.0);
        }
    }
    if let Some(pattern) = like_pattern(&f.search) {
        q.push(" AND (d.number ILIKE ")
            .push_bind(pattern.clone())
            .push(
                " OR EXISTS (SELECT 1 FROM contacts s WHERE s.id = d.contact_id AND s.name ILIKE ",
            )
            .push_bind(pattern)
            .push("))");
    }
    Ok(())
}

/// How many documents of `kind` the organisation has, as `document_counts` keeps it.
async fn kept_count(pool: &PgPool, org: i64, kind: &str) -> AppResult<i64> {
    let kind: DocumentKind = kind.parse().map_err(|p| invalid("kind", p))?;
    let n: Option<i64> = sqlx::query_scalar(
        "SELECT n FROM document_counts WHERE organisation_id = $1 AND kind = $2",
    )
    .bind(org)
    .bind(kind.as_str())
    .fetch_optional(pool)
    .await?;
    Ok(n.unwrap_or(0))
}

/// One page of documents of a kind, filtered and sorted.
pub async fn list_documents(
    pool: &PgPool,
    org: i64,
    f: &DocumentFilter,
    now: DateTime<Utc>,
) -> AppResult<Page<DocumentSummary>> {
    let sorts = [
        ("created", "d.created_at", false),
        ("number", "d.number", true),
        ("contact", "lower(c.name)", false),
        ("issue_date", "d.issue_date", true),
        ("due_date", "d.due_date", true),
        ("total", "d.total_incl_tax_cents", false),
        ("status", "d.status", false),
    ];
    let sorting = Sorting::pick(&f.sort, &f.direction, &sorts, "d.id", true);
    let today = paris_today(now);
    // Unfiltered, the total is the count the database keeps (one row), not a scan of them all.
    let known = if f.is_unfiltered() {
        Some(kept_count(pool, org, &f.kind).await?)
    } else {
        None
    };
    fetch_page(
        pool,
        SUMMARY_COLUMNS,
        |q, counting| push_filters(q, org, f, !counting),
        known,
        sorting,
        &f.page,
        |r| summary_from_row(r, today),
    )
    .await
}

pub async fn get_document(
    pool: &PgPool,
    org: i64,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<DocumentView> {
    let today = paris_today(now);
    let mut conn = pool.acquire().await?;
    let row = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS}, d.validity_date, d.global_discount_bp, d.notes, d.source_quote_id,
                d.corrected_invoice_id
           FROM documents d JOIN contacts c ON c.id = d.contact_id
          WHERE d.organisation_id = $1 AND d.id = $2"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let summary = summary_from_row(&row, today).ok_or(AppError::Internal)?;
    let lines = lines_of(&mut conn, id).await?;
    let discount = Discount(row.get::<i32, _>("global_discount_bp") as u16);
    let amounts: Vec<LineAmounts> = lines.iter().map(LineView::amounts).collect();
    let computed = totals(&amounts, discount).map_err(|_| AppError::Internal)?;
    let (paid, credited) = settled(&mut conn, id).await?;
    let payments = payments_of(&mut conn, id).await?;
    let link_rows = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM documents d JOIN contacts c ON c.id = d.contact_id
          WHERE d.organisation_id = $1
            AND (d.id = $2 OR d.id = $3 OR d.source_quote_id = $4 OR d.corrected_invoice_id = $4)
          ORDER BY d.created_at"
    ))
    .bind(org)
    .bind(row.get::<Option<i64>, _>("source_quote_id"))
    .bind(row.get::<Option<i64>, _>("corrected_invoice_id"))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let validity: Option<NaiveDate> = row.get("validity_date");
    let due: Option<NaiveDate> = row.get("due_date");
    let notes: String = row.get("notes");
    let fields = DocumentFields {
        contact_id: summary.contact_id.to_string(),
        validity_date: validity.map(|d| d.to_string()).unwrap_or_default(),
        due_date: due.map(|d| d.to_string()).unwrap_or_default(),
        global_discount: discount.format_percent(),
        notes: notes.clone(),
        lines: lines
            .iter()
            .map(|l| LineFields {
                article_id: l.article_id.map(|a| a.to_string()).unwrap_or_default(),
                description: l.description.clone(),
                quantity: l.quantity.format(),
                unit: l.unit.clone(),
                unit_price: l.unit_price.format_number().replace('\u{a0}', ""),
                vat_rate: l
                    .vat_rate
                    .format()
                    .replace('\u{a0}', "")
                    .trim_end_matches('%')
                    .to_owned(),
                discount: l.discount.format_percent(),
            })
            .collect(),
    };
    Ok(DocumentView {
        summary,
        validity_date: validity.map(fr_date),
        global_discount: discount,
        notes,
        lines,
        totals: computed,
        paid: Cents(paid),
        credited: Cents(credited),
        payments,
        links: link_rows
            .iter()
            .filter_map(|r| summary_from_row(r, today))
            .collect(),
        emails: crate::documents::db::emails_of(&mut conn, id).await?,
        fields,
    })
}

pub async fn dashboard(pool: &PgPool, org: i64, now: DateTime<Utc>) -> AppResult<Dashboard> {
    let today = paris_today(now);
    let month_start = today.with_day(1).unwrap_or(today);
    let row = sqlx::query(
        "WITH open AS (
             SELECT d.due_date, d.total_incl_tax_cents
                    - coalesce((SELECT sum(p.amount_cents) FROM payments p WHERE p.invoice_id = d.id), 0)
                    - coalesce((SELECT sum(a.total_incl_tax_cents) FROM documents a
                                 WHERE a.corrected_invoice_id = d.id AND a.number IS NOT NULL), 0) AS due
               FROM documents d
              WHERE d.organisation_id = $1 AND d.kind = 'invoice' AND d.status IN ('issued', 'partially_paid'))
         SELECT coalesce(sum(due), 0)::bigint AS outstanding,
                coalesce(sum(due) FILTER (WHERE due_date < $2), 0)::bigint AS overdue,
                count(*) FILTER (WHERE due_date < $2 AND due > 0) AS overdue_count,
                ((SELECT coalesce(sum(amount_cents), 0) FROM payments
                   WHERE organisation_id = $1 AND paid_on >= $3)
                 - (SELECT coalesce(sum(amount_cents), 0) FROM refunds
                     WHERE organisation_id = $1 AND refunded_on >= $3))::bigint AS paid_this_month
           FROM open",
    )
    .bind(org)
    .bind(today)
    .bind(month_start)
    .fetch_one(pool)
    .await?;
    let first_month = (0..11).fold(month_start, |m, _| {
        (m - chrono::Duration::days(1)).with_day(1).unwrap_or(m)
    });
    let months = sqlx::query(
        "SELECT to_char(date_trunc('month', issue_date), 'YYYY-MM') AS month,
                sum(CASE WHEN kind = 'credit_note' THEN -total_excl_tax_cents ELSE total_excl_tax_cents END)::bigint AS revenue
           FROM documents
          WHERE organisation_id = $1 AND kind IN ('invoice', 'credit_note') AND number IS NOT NULL
            AND issue_date >= $2
          GROUP BY 1",
    )
    .bind(org)
    .bind(first_month)
    .fetch_all(pool)
    .await?;
    let revenue: std::collections::HashMap<String, i64> = months
        .into_iter()
        .map(|r| (r.get("month"), r.get("revenue")))
        .collect();
    let mut revenue_by_month = Vec::new();
    let mut m = first_month;
    for _ in 0..12 {
        let key = m.format("%Y-%m").to_string();
        revenue_by_month.push((key.clone(), Cents(revenue.get(&key).copied().unwrap_or(0))));
        m = (m + chrono::Duration::days(32)).with_day(1).unwrap_or(m);
    }
    let latest_rows = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM documents d JOIN contacts c ON c.id = d.contact_id
          WHERE d.organisation_id = $1 ORDER BY d.updated_at DESC, d.id DESC LIMIT 8"
    ))
    .bind(org)
    .fetch_all(pool)
    .await?;
    Ok(Dashboard {
        outstanding: Cents(row.get("outstanding")),
        overdue: Cents(row.get("overdue")),
        overdue_count: row.get("overdue_count"),
        paid_this_month: Cents(row.get("paid_this_month")),
        revenue_by_month,
        latest: latest_rows
            .iter()
            .filter_map(|r| summary_from_row(r, today))
            .collect(),
    })
}
