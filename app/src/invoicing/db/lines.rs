//! The lines of a document: writing a draft's lines with their totals, and reading them back.

use super::common::invalid;
use crate::error::{AppResult, Problem, is_foreign_key_violation};
use crate::invoicing::money::{Cents, Discount, Quantity, VatRate, totals};
use crate::invoicing::{DocumentDraft, LineView};
use sqlx::{PgConnection, Postgres, QueryBuilder, Row};

pub(super) async fn write_lines(
    conn: &mut PgConnection,
    document: i64,
    draft: &DocumentDraft,
) -> AppResult<()> {
    let line_totals = totals(&draft.amounts(), draft.global_discount)
        .map_err(|p| invalid("lines", p))?
        .lines;
    sqlx::query("DELETE FROM document_lines WHERE document_id = $1")
        .bind(document)
        .execute(&mut *conn)
        .await?;
    if draft.lines.is_empty() {
        return Ok(());
    }
    let mut insert: QueryBuilder<Postgres> = QueryBuilder::new(
        "INSERT INTO document_lines (document_id, position, article_id, description, quantity_milli,
             unit, unit_price_cents, vat_rate_bp, discount_bp, total_excl_tax_cents) ",
    );
    insert.push_values(
        draft.lines.iter().zip(line_totals).enumerate(),
        |mut b, (i, (l, total))| {
            b.push_bind(document)
                .push_bind(i as i32)
                .push_bind(l.article_id)
                .push_bind(&l.description)
                .push_bind(l.amounts.quantity.0)
                .push_bind(&l.unit)
                .push_bind(l.amounts.unit_price.0)
                .push_bind(l.amounts.vat_rate.basis_points() as i32)
                .push_bind(l.amounts.discount.0 as i32)
                .push_bind(total.0);
        },
    );
    match insert.build().execute(&mut *conn).await {
        Ok(_) => Ok(()),
        // An article of another organisation (or a deleted one).
        Err(e) if is_foreign_key_violation(&e) => Err(invalid("lines", Problem::ArticleUnknown)),
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn lines_of(
    conn: &mut PgConnection,
    document: i64,
) -> sqlx::Result<Vec<LineView>> {
    let rows = sqlx::query(
        "SELECT article_id, description, quantity_milli, unit, unit_price_cents, vat_rate_bp,
                discount_bp, total_excl_tax_cents
           FROM document_lines WHERE document_id = $1 ORDER BY position",
    )
    .bind(document)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(LineView {
                article_id: r.get("article_id"),
                description: r.get("description"),
                quantity: Quantity(r.get("quantity_milli")),
                unit: r.get("unit"),
                unit_price: Cents(r.get("unit_price_cents")),
                vat_rate: VatRate::new(r.get::<i32, _>("vat_rate_bp") as u16).ok()?,
                discount: Discount(r.get::<i32, _>("discount_bp") as u16),
                total_excl_tax: Cents(r.get("total_excl_tax_cents")),
            })
        })
        .collect())
}
