//! Invoicing queries. Every function takes the caller's organisation and never reads or writes
//! another's rows. Issuing, payments and credit notes run in one transaction under a row lock on
//! the document, so numbers stay continuous and balances exact under concurrency.

use super::money::{Cents, Discount, LineAmounts, Quantity, VatRate, totals};
use super::workflow::{self, Action, DocumentKind, Status, document_number, settled_status};
use super::*;
use crate::error::{
    AppError, AppResult, FieldProblem, Problem, is_foreign_key_violation, is_unique_violation,
};
use crate::format::paris_date;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder, Row};

fn invalid(field: &str, p: Problem) -> AppError {
    AppError::invalid(field, p)
}

/// A unique-constraint violation, to turn into a field problem.
fn fr_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

// ---------------------------------------------------------------- seller identity

pub async fn seller(pool: &PgPool, org: i64) -> sqlx::Result<Option<SellerFields>> {
    let row = sqlx::query(
        "SELECT legal_name, legal_form, siren, coalesce(siret, '') AS siret,
                coalesce(vat_number, '') AS vat_number, address_line1, address_line2, postal_code,
                city, email, phone, coalesce(iban, '') AS iban, coalesce(bic, '') AS bic,
                payment_terms_days, late_penalty_bp
           FROM seller_profiles WHERE organisation_id = $1",
    )
    .bind(org)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| SellerFields {
        legal_name: r.get("legal_name"),
        legal_form: r.get("legal_form"),
        siren: r.get("siren"),
        siret: r.get("siret"),
        vat_number: r.get("vat_number"),
        address_line1: r.get("address_line1"),
        address_line2: r.get("address_line2"),
        postal_code: r.get("postal_code"),
        city: r.get("city"),
        email: r.get("email"),
        phone: r.get("phone"),
        iban: r.get("iban"),
        bic: r.get("bic"),
        payment_terms_days: r.get::<i32, _>("payment_terms_days").to_string(),
        late_penalty_rate: Discount(r.get::<i32, _>("late_penalty_bp") as u16).format_percent(),
    }))
}

pub async fn save_seller(pool: &PgPool, org: i64, s: &Seller, by: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO seller_profiles (organisation_id, legal_name, legal_form, siren, siret,
             vat_number, address_line1, address_line2, postal_code, city, email, phone, iban, bic,
             payment_terms_days, late_penalty_bp, recovery_fee_cents, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         ON CONFLICT (organisation_id) DO UPDATE SET legal_name = $2, legal_form = $3, siren = $4,
             siret = $5, vat_number = $6, address_line1 = $7, address_line2 = $8,
             postal_code = $9, city = $10, email = $11, phone = $12, iban = $13, bic = $14,
             payment_terms_days = $15, late_penalty_bp = $16, recovery_fee_cents = $17,
             updated_at = now()",
    )
    .bind(org)
    .bind(&s.legal_name)
    .bind(&s.legal_form)
    .bind(s.siren.as_str())
    .bind(s.siret.as_ref().map(|v| v.as_str()))
    .bind(s.vat_number.as_ref().map(|v| v.as_str()))
    .bind(&s.address_line1)
    .bind(&s.address_line2)
    .bind(&s.postal_code)
    .bind(&s.city)
    .bind(&s.email)
    .bind(&s.phone)
    .bind(s.iban.as_ref().map(|v| v.as_str()))
    .bind(s.bic.as_ref().map(|v| v.as_str()))
    .bind(s.payment_terms_days)
    .bind(s.late_penalty_bp)
    .bind(s.recovery_fee_cents)
    .bind(by)
    .execute(pool)
    .await?;
    Ok(())
}

/// Stores a checked logo (once per content) and makes it the seller's current one.
pub async fn store_logo(pool: &PgPool, org: i64, logo: &logo::Logo, bytes: &[u8]) -> AppResult<()> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO seller_logos (organisation_id, sha256, mime, width, height, bytes)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
    )
    .bind(org)
    .bind(&logo.sha256)
    .bind(logo.mime)
    .bind(logo.width)
    .bind(logo.height)
    .bind(bytes)
    .execute(&mut *tx)
    .await?;
    set_logo(&mut tx, org, Some(&logo.sha256)).await?;
    tx.commit().await?;
    Ok(())
}

async fn set_logo(conn: &mut PgConnection, org: i64, sha256: Option<&str>) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE seller_profiles SET logo_sha256 = $2, updated_at = now() WHERE organisation_id = $1",
    )
    .bind(org)
    .bind(sha256)
    .execute(conn)
    .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(invalid("logo", Problem::SellerProfileMissing))
    }
}

/// Sets (or, with `None`, removes) the seller's current logo. Stored logos stay: issued
/// documents name the one they were issued with.
pub async fn set_seller_logo(pool: &PgPool, org: i64, sha256: Option<&str>) -> AppResult<()> {
    let mut conn = pool.acquire().await?;
    set_logo(&mut conn, org, sha256).await
}

pub async fn seller_logo(pool: &PgPool, org: i64) -> sqlx::Result<Option<LogoInfo>> {
    let row = sqlx::query(
        "SELECT l.sha256, l.width, l.height, length(l.bytes)::bigint AS size
           FROM seller_profiles s JOIN seller_logos l
             ON l.organisation_id = s.organisation_id AND l.sha256 = s.logo_sha256
          WHERE s.organisation_id = $1",
    )
    .bind(org)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| LogoInfo {
        sha256: r.get("sha256"),
        width: r.get("width"),
        height: r.get("height"),
        bytes: r.get("size"),
    }))
}

/// A stored logo of the organisation: its content type and bytes.
pub async fn logo_bytes(
    pool: &PgPool,
    org: i64,
    sha256: &str,
) -> sqlx::Result<Option<(String, Vec<u8>)>> {
    let row = sqlx::query(
        "SELECT mime, bytes FROM seller_logos WHERE organisation_id = $1 AND sha256 = $2",
    )
    .bind(org)
    .bind(sha256)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.get("mime"), r.get("bytes"))))
}

/// Deletes the seller identity; only its creator may (rule from the old tool).
pub async fn delete_seller(pool: &PgPool, org: i64, by: i64) -> AppResult<()> {
    let creator: Option<Option<i64>> =
        sqlx::query_scalar("SELECT created_by FROM seller_profiles WHERE organisation_id = $1")
            .bind(org)
            .fetch_optional(pool)
            .await?;
    match creator {
        None => Err(AppError::NotFound),
        // A creator who has since deleted their account leaves the decision to the organisation.
        Some(Some(creator)) if creator != by => {
            Err(invalid("seller", Problem::OnlyCreatorMayDelete))
        }
        Some(_) => {
            sqlx::query("DELETE FROM seller_profiles WHERE organisation_id = $1")
                .bind(org)
                .execute(pool)
                .await?;
            Ok(())
        }
    }
}

// ---------------------------------------------------------------- groups and contacts

pub async fn list_groups(pool: &PgPool, org: i64) -> sqlx::Result<Vec<GroupView>> {
    let rows = sqlx::query(
        "SELECT g.id, g.name, (SELECT count(*) FROM contact_group_members m WHERE m.group_id = g.id) AS members
           FROM contact_groups g WHERE g.organisation_id = $1 ORDER BY lower(g.name)",
    )
    .bind(org)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| GroupView {
            id: r.get("id"),
            name: r.get("name"),
            members: r.get("members"),
        })
        .collect())
}

pub async fn save_group(pool: &PgPool, org: i64, id: Option<i64>, name: &str) -> AppResult<i64> {
    let result = match id {
        None => {
            sqlx::query_scalar("INSERT INTO contact_groups (organisation_id, name) VALUES ($1, $2) RETURNING id")
                .bind(org)
                .bind(name)
                .fetch_optional(pool)
                .await
        }
        Some(id) => {
            sqlx::query_scalar("UPDATE contact_groups SET name = $3 WHERE organisation_id = $1 AND id = $2 RETURNING id")
                .bind(org)
                .bind(id)
                .bind(name)
                .fetch_optional(pool)
                .await
        }
    };
    match result {
        Ok(Some(id)) => Ok(id),
        Ok(None) => Err(AppError::NotFound),
        Err(e) if is_unique_violation(&e) => Err(invalid("name", Problem::GroupNameTaken)),
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_group(pool: &PgPool, org: i64, id: i64) -> AppResult<()> {
    let done = sqlx::query("DELETE FROM contact_groups WHERE organisation_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .execute(pool)
        .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

const CONTACT_COLUMNS: &str = "c.id, c.kind, c.name, c.email, c.phone, c.address_line1,
    c.address_line2, c.postal_code, c.city, c.country, coalesce(c.siren, '') AS siren,
    coalesce(c.vat_number, '') AS vat_number,
    coalesce((SELECT json_agg(json_build_object('id', g.id, 'name', g.name, 'members', 0) ORDER BY g.name)
                FROM contact_group_members m JOIN contact_groups g ON g.id = m.group_id
               WHERE m.contact_id = c.id), '[]'::json) AS groups";

fn contact_from_row(r: &sqlx::postgres::PgRow) -> ContactView {
    let kind: String = r.get("kind");
    let kind = if kind == "person" {
        ContactKind::Person
    } else {
        ContactKind::Company
    };
    let groups: serde_json::Value = r.get("groups");
    ContactView {
        id: r.get("id"),
        kind,
        fields: ContactFields {
            kind: kind.as_str().to_owned(),
            name: r.get("name"),
            email: r.get("email"),
            phone: r.get("phone"),
            address_line1: r.get("address_line1"),
            address_line2: r.get("address_line2"),
            postal_code: r.get("postal_code"),
            city: r.get("city"),
            country: r.get("country"),
            siren: r.get("siren"),
            vat_number: r.get("vat_number"),
        },
        groups: serde_json::from_value(groups).unwrap_or_default(),
    }
}

/// A page of contacts: search in name, e-mail and city; filters by group and kind.
pub async fn list_contacts(
    pool: &PgPool,
    org: i64,
    f: &ListFilter,
) -> AppResult<Page<ContactView>> {
    let group = optional_id("group_id", &f.group_id, Problem::GroupUnknown)?;
    let kind = match f.kind.trim() {
        "" => None,
        "company" => Some(ContactKind::Company),
        "person" => Some(ContactKind::Person),
        _ => return Err(invalid("kind", Problem::ContactKindUnknown)),
    };
    let search = like_pattern(&f.search);
    let filters = |q: &mut QueryBuilder<'_, Postgres>, _: bool| {
        q.push(" FROM contacts c WHERE c.organisation_id = ")
            .push_bind(org);
        if let Some(pattern) = &search {
            q.push(" AND (c.name ILIKE ")
                .push_bind(pattern.clone())
                .push(" OR c.email ILIKE ")
                .push_bind(pattern.clone())
                .push(" OR c.city ILIKE ")
                .push_bind(pattern.clone())
                .push(")");
        }
        if let Some(group) = group {
            q.push(" AND EXISTS (SELECT 1 FROM contact_group_members m WHERE m.contact_id = c.id AND m.group_id = ")
                .push_bind(group)
                .push(")");
        }
        if let Some(kind) = kind {
            q.push(" AND c.kind = ").push_bind(kind.as_str());
        }
        Ok(())
    };
    let sorts = [
        ("name", "lower(c.name)", false),
        ("kind", "c.kind", false),
        ("email", "lower(c.email)", false),
        ("city", "lower(c.city)", false),
        ("groups", GROUP_SORT, true),
    ];
    fetch_page(
        pool,
        CONTACT_COLUMNS,
        filters,
        Sorting::of(f, &sorts, "c.id", false),
        &f.page,
        |r| Some(contact_from_row(r)),
    )
    .await
}

/// Contacts by name, for selects.
pub async fn contact_choices(pool: &PgPool, org: i64) -> sqlx::Result<Vec<ContactChoice>> {
    let rows = sqlx::query(
        "SELECT id, name FROM contacts WHERE organisation_id = $1 ORDER BY lower(name), id LIMIT 5000",
    )
    .bind(org)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| ContactChoice {
            id: r.get("id"),
            name: r.get("name"),
        })
        .collect())
}

const GROUP_SORT: &str = "(SELECT min(lower(g.name)) FROM contact_group_members m
    JOIN contact_groups g ON g.id = m.group_id WHERE m.contact_id = c.id)";

pub async fn get_contact(pool: &PgPool, org: i64, id: i64) -> sqlx::Result<Option<ContactView>> {
    let row = sqlx::query(&format!(
        "SELECT {CONTACT_COLUMNS} FROM contacts c WHERE c.organisation_id = $1 AND c.id = $2"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.as_ref().map(contact_from_row))
}

/// Inserts or updates a contact and sets its groups. A group of another organisation is refused
/// by the database's composite foreign key.
pub async fn save_contact(
    pool: &PgPool,
    org: i64,
    id: Option<i64>,
    c: &Contact,
    groups: &[i64],
) -> AppResult<i64> {
    let mut tx = pool.begin().await?;
    let saved: Option<i64> = match id {
        None => sqlx::query_scalar(
            "INSERT INTO contacts (organisation_id, kind, name, email, phone, address_line1,
                 address_line2, postal_code, city, country, siren, vat_number)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        ),
        Some(_) => sqlx::query_scalar(
            "UPDATE contacts SET kind = $2, name = $3, email = $4, phone = $5, address_line1 = $6,
                 address_line2 = $7, postal_code = $8, city = $9, country = $10, siren = $11,
                 vat_number = $12, updated_at = now()
             WHERE organisation_id = $1 AND id = $13 RETURNING id",
        ),
    }
    .bind(org)
    .bind(c.kind.as_str())
    .bind(&c.name)
    .bind(&c.email)
    .bind(&c.phone)
    .bind(&c.address_line1)
    .bind(&c.address_line2)
    .bind(&c.postal_code)
    .bind(&c.city)
    .bind(&c.country)
    .bind(c.siren.as_ref().map(|s| s.as_str()))
    .bind(c.vat_number.as_ref().map(|s| s.as_str()))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let contact = saved.ok_or(AppError::NotFound)?;
    sqlx::query("DELETE FROM contact_group_members WHERE organisation_id = $1 AND contact_id = $2")
        .bind(org)
        .bind(contact)
        .execute(&mut *tx)
        .await?;
    for group in groups {
        let added = sqlx::query(
            "INSERT INTO contact_group_members (organisation_id, contact_id, group_id) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(org)
        .bind(contact)
        .bind(group)
        .execute(&mut *tx)
        .await;
        match added {
            Ok(_) => {}
            Err(e) if is_foreign_key_violation(&e) => {
                return Err(invalid("groups", Problem::GroupUnknown));
            }
            Err(e) => return Err(e.into()),
        }
    }
    tx.commit().await?;
    Ok(contact)
}

pub async fn delete_contact(pool: &PgPool, org: i64, id: i64) -> AppResult<()> {
    match sqlx::query("DELETE FROM contacts WHERE organisation_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .execute(pool)
        .await
    {
        Ok(done) if done.rows_affected() == 1 => Ok(()),
        Ok(_) => Err(AppError::NotFound),
        Err(e) if is_foreign_key_violation(&e) => Err(invalid("contact", Problem::ContactInUse)),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- articles

const ARTICLE_COLUMNS: &str =
    "a.id, a.reference, a.description, a.unit, a.unit_price_cents, a.vat_rate_bp, a.active";

fn article_from_row(r: &sqlx::postgres::PgRow) -> Option<ArticleView> {
    Some(ArticleView {
        id: r.get("id"),
        reference: r.get("reference"),
        description: r.get("description"),
        unit: r.get("unit"),
        unit_price: Cents(r.get("unit_price_cents")),
        vat_rate: VatRate::new(r.get::<i32, _>("vat_rate_bp") as u16).ok()?,
        active: r.get("active"),
    })
}

/// A page of articles: search in reference and description; filters by state, VAT rate and
/// unit price.
pub async fn list_articles(
    pool: &PgPool,
    org: i64,
    f: &ListFilter,
) -> AppResult<Page<ArticleView>> {
    let active = match f.kind.trim() {
        "" => None,
        "active" => Some(true),
        "inactive" => Some(false),
        _ => return Err(invalid("kind", Problem::StatusUnknown)),
    };
    let vat = match f.vat_rate.trim() {
        "" => None,
        raw => Some(VatRate::parse(raw).map_err(|p| invalid("vat_rate", p))?),
    };
    let (min, max) = amount_range(f)?;
    let search = like_pattern(&f.search);
    let filters = |q: &mut QueryBuilder<'_, Postgres>, _: bool| {
        q.push(" FROM articles a WHERE a.organisation_id = ")
            .push_bind(org);
        if let Some(pattern) = &search {
            q.push(" AND (a.reference ILIKE ")
                .push_bind(pattern.clone())
                .push(" OR a.description ILIKE ")
                .push_bind(pattern.clone())
                .push(")");
        }
        if let Some(active) = active {
            q.push(" AND a.active = ").push_bind(active);
        }
        if let Some(vat) = vat {
            q.push(" AND a.vat_rate_bp = ")
                .push_bind(vat.basis_points() as i32);
        }
        if let Some(min) = min {
            q.push(" AND a.unit_price_cents >= ").push_bind(min);
        }
        if let Some(max) = max {
            q.push(" AND a.unit_price_cents <= ").push_bind(max);
        }
        Ok(())
    };
    let sorts = [
        ("reference", "lower(a.reference)", false),
        ("description", "lower(a.description)", false),
        ("unit_price", "a.unit_price_cents", false),
        ("vat_rate", "a.vat_rate_bp", false),
        ("state", "a.active", false),
    ];
    fetch_page(
        pool,
        ARTICLE_COLUMNS,
        filters,
        Sorting::of(f, &sorts, "a.id", false),
        &f.page,
        article_from_row,
    )
    .await
}

/// Active articles by reference, for the line editor.
pub async fn article_choices(pool: &PgPool, org: i64) -> sqlx::Result<Vec<ArticleView>> {
    let rows = sqlx::query(&format!(
        "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.organisation_id = $1 AND a.active
          ORDER BY lower(a.reference), a.id LIMIT 5000"
    ))
    .bind(org)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().filter_map(article_from_row).collect())
}

pub async fn get_article(pool: &PgPool, org: i64, id: i64) -> sqlx::Result<Option<ArticleView>> {
    let row = sqlx::query(&format!(
        "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.organisation_id = $1 AND a.id = $2"
    ))
    .bind(org)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.as_ref().and_then(article_from_row))
}

pub async fn save_article(pool: &PgPool, org: i64, id: Option<i64>, a: &Article) -> AppResult<i64> {
    let query = match id {
        None => {
            "INSERT INTO articles (organisation_id, reference, description, unit, unit_price_cents, vat_rate_bp)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
        }
        Some(_) => {
            "UPDATE articles SET reference = $2, description = $3, unit = $4, unit_price_cents = $5,
                 vat_rate_bp = $6, updated_at = now()
             WHERE organisation_id = $1 AND id = $7 RETURNING id"
        }
    };
    let result = sqlx::query_scalar(query)
        .bind(org)
        .bind(&a.reference)
        .bind(&a.description)
        .bind(&a.unit)
        .bind(a.unit_price.0)
        .bind(a.vat_rate.basis_points() as i32)
        .bind(id)
        .fetch_optional(pool)
        .await;
    match result {
        Ok(Some(id)) => Ok(id),
        Ok(None) => Err(AppError::NotFound),
        Err(e) if is_unique_violation(&e) => Err(invalid("reference", Problem::ReferenceTaken)),
        Err(e) => Err(e.into()),
    }
}

pub async fn set_article_active(pool: &PgPool, org: i64, id: i64, active: bool) -> AppResult<()> {
    let done = sqlx::query("UPDATE articles SET active = $3, updated_at = now() WHERE organisation_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .bind(active)
        .execute(pool)
        .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

// ---------------------------------------------------------------- documents

async fn contact_exists(conn: &mut PgConnection, org: i64, id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM contacts WHERE organisation_id = $1 AND id = $2)",
    )
    .bind(org)
    .bind(id)
    .fetch_one(conn)
    .await
}

async fn write_lines(
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
async fn lock(
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
async fn next_number(
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

/// Today in Paris.
pub fn paris_today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&chrono_tz::Europe::Paris).date_naive()
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

/// Issues an invoice or a credit note: checks the mandatory mentions (refusing with the list of
/// what is missing), gives the next number of the series, freezes seller and client, and for a
/// credit note reduces the corrected invoice's balance.
pub async fn issue(pool: &PgPool, org: i64, id: i64, now: DateTime<Utc>) -> AppResult<String> {
    let mut tx = pool.begin().await?;
    let (kind, status, total) = lock(&mut tx, org, id).await?;
    workflow::transition(kind, status, Action::Issue).map_err(|p| invalid("status", p))?;
    let seller = sqlx::query(
        "SELECT legal_name, legal_form, siren, siret, vat_number, address_line1, address_line2,
                postal_code, city, country, email, phone, iban, bic, payment_terms_days,
                late_penalty_bp, recovery_fee_cents, logo_sha256
           FROM seller_profiles WHERE organisation_id = $1",
    )
    .bind(org)
    .fetch_optional(&mut *tx)
    .await?;
    let doc = sqlx::query(
        "SELECT d.due_date, d.corrected_invoice_id, c.name, c.kind AS contact_kind, c.email,
                c.address_line1, c.address_line2, c.postal_code, c.city, c.country, c.siren,
                c.vat_number, (SELECT count(*) FROM document_lines l WHERE l.document_id = d.id) AS lines,
                coalesce((SELECT bool_or(l.vat_rate_bp > 0) FROM document_lines l
                           WHERE l.document_id = d.id), false) AS charges_vat
           FROM documents d JOIN contacts c ON c.id = d.contact_id
          WHERE d.organisation_id = $1 AND d.id = $2",
    )
    .bind(org)
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
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
    let text = |row: &sqlx::postgres::PgRow, col: &str| -> String {
        row.try_get::<Option<String>, _>(col)
            .ok()
            .flatten()
            .unwrap_or_default()
    };
    if let Some(s) = &seller {
        need(!text(s, "siren").is_empty(), "seller.siren");
        need(
            !text(s, "address_line1").is_empty()
                && !text(s, "postal_code").is_empty()
                && !text(s, "city").is_empty(),
            "seller.address",
        );
        // Charging VAT requires printing the seller's VAT number (CGI, art. 242 nonies A).
        need(
            !doc.get::<bool, _>("charges_vat") || !text(s, "vat_number").is_empty(),
            "seller.vat_number",
        );
    }
    need(!text(&doc, "name").trim().is_empty(), "client.name");
    need(
        !text(&doc, "address_line1").trim().is_empty()
            && !text(&doc, "postal_code").trim().is_empty()
            && !text(&doc, "city").trim().is_empty(),
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
    let terms: i32 = seller.get("payment_terms_days");
    let due: NaiveDate = doc
        .get::<Option<NaiveDate>, _>("due_date")
        .unwrap_or(today + chrono::Duration::days(terms as i64));
    if kind == DocumentKind::CreditNote {
        let invoice: i64 = doc
            .get::<Option<i64>, _>("corrected_invoice_id")
            .ok_or(AppError::Internal)?;
        let (_, invoice_status, invoice_total) = lock(&mut tx, org, invoice).await?;
        if !matches!(invoice_status, Status::Issued | Status::PartiallyPaid) {
            return Err(invalid(
                "corrected_invoice_id",
                Problem::CreditExceedsBalance,
            ));
        }
        let (paid, credited) = settled(&mut tx, invoice).await?;
        let status = settled_status(invoice_total, paid, credited + total)
            .ok_or_else(|| invalid("lines", Problem::CreditExceedsBalance))?;
        sqlx::query("UPDATE documents SET status = $2, updated_at = now() WHERE id = $1")
            .bind(invoice)
            .bind(status.as_str())
            .execute(&mut *tx)
            .await?;
    }
    let number = next_number(&mut tx, org, kind, today.year()).await?;
    let seller_snapshot = serde_json::json!({
        "legal_name": text(&seller, "legal_name"),
        "legal_form": text(&seller, "legal_form"),
        "siren": text(&seller, "siren"),
        "siret": text(&seller, "siret"),
        "vat_number": text(&seller, "vat_number"),
        "address_line1": text(&seller, "address_line1"),
        "address_line2": text(&seller, "address_line2"),
        "postal_code": text(&seller, "postal_code"),
        "city": text(&seller, "city"),
        "country": text(&seller, "country"),
        "email": text(&seller, "email"),
        "phone": text(&seller, "phone"),
        "iban": text(&seller, "iban"),
        "bic": text(&seller, "bic"),
        "payment_terms_days": terms,
        "late_penalty_bp": seller.get::<i32, _>("late_penalty_bp"),
        "recovery_fee_cents": seller.get::<i64, _>("recovery_fee_cents"),
        "logo_sha256": seller.get::<Option<String>, _>("logo_sha256"),
    });
    let client_snapshot = serde_json::json!({
        "name": text(&doc, "name"),
        "kind": text(&doc, "contact_kind"),
        "email": text(&doc, "email"),
        "address_line1": text(&doc, "address_line1"),
        "address_line2": text(&doc, "address_line2"),
        "postal_code": text(&doc, "postal_code"),
        "city": text(&doc, "city"),
        "country": text(&doc, "country"),
        "siren": text(&doc, "siren"),
        "vat_number": text(&doc, "vat_number"),
    });
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

/// What was paid on an invoice and what issued credit notes took off it.
pub(crate) async fn settled(conn: &mut PgConnection, invoice: i64) -> sqlx::Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT coalesce((SELECT sum(amount_cents) FROM payments WHERE invoice_id = $1), 0)::bigint AS paid,
                coalesce((SELECT sum(total_incl_tax_cents) FROM documents
                           WHERE corrected_invoice_id = $1 AND number IS NOT NULL), 0)::bigint AS credited",
    )
    .bind(invoice)
    .fetch_one(conn)
    .await?;
    Ok((row.get("paid"), row.get("credited")))
}

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
    if amount.0 <= 0 {
        return Err(invalid("amount", Problem::AmountInvalid));
    }
    let mut tx = pool.begin().await?;
    let (kind, status, total) = lock(&mut tx, org, invoice).await?;
    if kind != DocumentKind::Invoice || !matches!(status, Status::Issued | Status::PartiallyPaid) {
        return Err(invalid("invoice_id", Problem::TransitionRefused));
    }
    let (paid, credited) = settled(&mut tx, invoice).await?;
    let next = settled_status(total, paid + amount.0, credited)
        .ok_or_else(|| invalid("amount", Problem::Overpayment))?;
    sqlx::query(
        "INSERT INTO payments (organisation_id, invoice_id, paid_on, amount_cents, method, reference, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(org)
    .bind(invoice)
    .bind(paid_on)
    .bind(amount.0)
    .bind(method.as_str())
    .bind(reference.trim())
    .bind(by)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE documents SET status = $2, updated_at = now() WHERE id = $1")
        .bind(invoice)
        .bind(next.as_str())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(next)
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

/// Drafts a credit note for an issued invoice.
pub async fn draft_credit_note(
    pool: &PgPool,
    org: i64,
    invoice: i64,
    scope: CreditScope,
    by: i64,
) -> AppResult<i64> {
    let mut conn = pool.acquire().await?;
    let (kind, status, _) = lock(&mut conn, org, invoice).await?;
    if kind != DocumentKind::Invoice || !matches!(status, Status::Issued | Status::PartiallyPaid) {
        return Err(invalid("invoice_id", Problem::TransitionRefused));
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

// ---------------------------------------------------------------- reading

const SUMMARY_COLUMNS: &str =
    "d.id, d.kind, d.status, d.number, d.contact_id, c.name AS contact_name,
    d.issue_date, d.due_date, d.total_excl_tax_cents, d.total_incl_tax_cents, d.created_at,
    CASE WHEN d.kind = 'invoice' AND d.number IS NOT NULL THEN d.total_incl_tax_cents
         - coalesce((SELECT sum(p.amount_cents) FROM payments p WHERE p.invoice_id = d.id), 0)
         - coalesce((SELECT sum(a.total_incl_tax_cents) FROM documents a
                      WHERE a.corrected_invoice_id = d.id AND a.number IS NOT NULL), 0)
         ELSE 0 END::bigint AS balance_due";

fn summary_from_row(r: &sqlx::postgres::PgRow, today: NaiveDate) -> Option<DocumentSummary> {
    let kind: DocumentKind = r.get::<String, _>("kind").parse().ok()?;
    let status: Status = r.get::<String, _>("status").parse().ok()?;
    let due: Option<NaiveDate> = r.get("due_date");
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
        balance_due: Cents(balance),
        overdue: balance > 0 && due.is_some_and(|d| d < today),
        created: paris_date(r.get("created_at")),
    })
}

pub const PER_PAGE: i64 = 25;

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
    let from = super::parse_date("from", &f.from, &mut problems);
    let to = super::parse_date("to", &f.to, &mut problems);
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
    fetch_page(
        pool,
        SUMMARY_COLUMNS,
        |q, counting| push_filters(q, org, f, !counting),
        sorting,
        &f.page,
        |r| summary_from_row(r, today),
    )
    .await
}

/// An ORDER BY built from a fixed list of columns, never from the input.
pub struct Sorting {
    column: &'static str,
    nullable: bool,
    descending: bool,
    tie: &'static str,
}

/// A sortable column: its `tri` key, its SQL expression, and whether it can be NULL (NULLs go
/// last; saying so for NOT NULL columns would stop PostgreSQL from using their index).
type SortColumn = (&'static str, &'static str, bool);

impl Sorting {
    /// `sort` names one of `columns` (the first is the default); `direction` is `asc` or `desc`.
    fn pick(
        sort: &str,
        direction: &str,
        columns: &[SortColumn],
        tie: &'static str,
        descending_by_default: bool,
    ) -> Sorting {
        let (column, nullable) = columns
            .iter()
            .find(|(key, _, _)| *key == sort.trim())
            .or(columns.first())
            .map_or((tie, false), |(_, column, nullable)| (*column, *nullable));
        let descending = match direction.trim() {
            "asc" => false,
            "desc" => true,
            _ => descending_by_default,
        };
        Sorting {
            column,
            nullable,
            descending,
            tie,
        }
    }

    fn of(
        f: &ListFilter,
        columns: &[SortColumn],
        tie: &'static str,
        descending_by_default: bool,
    ) -> Sorting {
        Sorting::pick(&f.sort, &f.direction, columns, tie, descending_by_default)
    }

    fn sql(&self) -> String {
        let direction = if self.descending { "DESC" } else { "ASC" };
        let nulls = if self.nullable { " NULLS LAST" } else { "" };
        format!(
            " ORDER BY {} {direction}{nulls}, {} {direction}",
            self.column, self.tie
        )
    }
}

/// Counts the filtered rows, then fetches one page of them. `filters` pushes the FROM and WHERE
/// clauses; its flag says whether it is building the count (which can skip joins).
async fn fetch_page<T>(
    pool: &PgPool,
    columns: &str,
    filters: impl Fn(&mut QueryBuilder<'_, Postgres>, bool) -> AppResult<()>,
    sorting: Sorting,
    page: &str,
    row: impl Fn(&sqlx::postgres::PgRow) -> Option<T>,
) -> AppResult<Page<T>> {
    let page = page.trim().parse::<i64>().unwrap_or(1).clamp(1, 1_000_000);
    let mut count: QueryBuilder<Postgres> = QueryBuilder::new("SELECT count(*)");
    filters(&mut count, true)?;
    let total: i64 = count.build_query_scalar().fetch_one(pool).await?;
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(format!("SELECT {columns}"));
    filters(&mut q, false)?;
    q.push(sorting.sql())
        .push(" LIMIT ")
        .push_bind(PER_PAGE)
        .push(" OFFSET ")
        .push_bind((page - 1) * PER_PAGE);
    let rows = q.build().fetch_all(pool).await?;
    Ok(Page {
        items: rows.iter().filter_map(row).collect(),
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// `%text%` for ILIKE, the user's `%`, `_` and `\` escaped (they are characters to find, not
/// wildcards); `None` when there is nothing to search.
fn like_pattern(search: &str) -> Option<String> {
    let search = search.trim();
    (!search.is_empty()).then(|| {
        let escaped = search
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    })
}

fn optional_id(field: &str, raw: &str, unknown: Problem) -> AppResult<Option<i64>> {
    match raw.trim() {
        "" => Ok(None),
        raw => raw
            .parse::<i64>()
            .map(Some)
            .map_err(|_| invalid(field, unknown)),
    }
}

/// The list's amount range in cents, either bound optional.
fn amount_range(f: &ListFilter) -> AppResult<(Option<i64>, Option<i64>)> {
    let mut problems = Vec::new();
    let mut parse = |field: &str, raw: &str| match raw.trim() {
        "" => None,
        raw => Cents::parse(raw)
            .map_err(|p| {
                problems.push(FieldProblem {
                    field: field.to_owned(),
                    problem: p,
                })
            })
            .ok()
            .map(|c| c.0),
    };
    let range = (
        parse("min_amount", &f.min_amount),
        parse("max_amount", &f.max_amount),
    );
    if problems.is_empty() {
        Ok(range)
    } else {
        Err(AppError::Invalid(problems))
    }
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

const PAYMENT_COLUMNS: &str = "p.id, p.invoice_id, d.number, c.name, p.paid_on, p.amount_cents,
    p.method, p.reference";

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
    })
}

async fn payments_of(conn: &mut PgConnection, invoice: i64) -> sqlx::Result<Vec<PaymentView>> {
    let rows = sqlx::query(&format!(
        "SELECT {PAYMENT_COLUMNS}
           FROM payments p JOIN documents d ON d.id = p.invoice_id JOIN contacts c ON c.id = d.contact_id
          WHERE p.invoice_id = $1 ORDER BY p.paid_on, p.id"
    ))
    .bind(invoice)
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().filter_map(payment_from_row).collect())
}

/// A page of payments: search in invoice number, client and reference; filters by method,
/// client, date range and amount.
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
    let from = super::parse_date("from", &f.from, &mut problems);
    let to = super::parse_date("to", &f.to, &mut problems);
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let (min, max) = amount_range(f)?;
    let search = like_pattern(&f.search);
    let filters = |q: &mut QueryBuilder<'_, Postgres>, _: bool| {
        q.push(
            " FROM payments p JOIN documents d ON d.id = p.invoice_id
              JOIN contacts c ON c.id = d.contact_id WHERE p.organisation_id = ",
        )
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
        Sorting::of(f, &sorts, "p.id", true),
        &f.page,
        payment_from_row,
    )
    .await
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
                (SELECT coalesce(sum(amount_cents), 0) FROM payments
                  WHERE organisation_id = $1 AND paid_on >= $3)::bigint AS paid_this_month
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
