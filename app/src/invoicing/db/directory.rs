//! Contact groups, contacts and articles.

use super::common::{Sorting, amount_range, fetch_page, invalid, like_pattern, optional_id};
use crate::error::{AppError, AppResult, Problem, is_foreign_key_violation, is_unique_violation};
use crate::invoicing::money::{Cents, VatRate};
use crate::invoicing::{
    Article, ArticleView, Contact, ContactChoice, ContactFields, ContactKind, ContactView,
    GroupView, ListFilter, Page,
};
use sqlx::{PgPool, Postgres, QueryBuilder, Row};

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
        None,
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
/// unit price including VAT.
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
        // The filter's label says "TTC": compare the price with its VAT, rounded to the cent as
        // the money rules round (numeric: no overflow on the largest prices).
        const INCL_TAX: &str =
            "round(a.unit_price_cents::numeric * (10000 + a.vat_rate_bp) / 10000)";
        if let Some(min) = min {
            q.push(format_args!(" AND {INCL_TAX} >= ")).push_bind(min);
        }
        if let Some(max) = max {
            q.push(format_args!(" AND {INCL_TAX} <= ")).push_bind(max);
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
        None,
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
