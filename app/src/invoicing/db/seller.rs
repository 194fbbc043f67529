//! The seller identity of an organisation and its logos.

use super::common::invalid;
use crate::error::{AppError, AppResult, Problem};
use crate::invoicing::money::Discount;
use crate::invoicing::{LogoInfo, Seller, SellerFields, logo};
use sqlx::{PgConnection, PgPool, Row};

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
