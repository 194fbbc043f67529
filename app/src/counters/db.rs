//! Counters' storage: shops, store groups, API tokens and CSV imports. Every query takes the
//! organisation it is allowed to touch, so a caller can never reach another tenant's rows.

use super::types::SiteInput;
use super::{
    CreatedToken, GroupRef, ImportView, IngestReport, SiteFilter, SitePage, SiteView, StoreGroup,
    TokenView,
};
use crate::error::{AppError, Problem, is_foreign_key_violation, is_unique_violation};
use crate::format::paris_time;
use base64::Engine as _;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::{PgExecutor, PgPool, Row};

pub const PER_PAGE: i64 = 25;

/// `Some(org)` for a tenant's caller, `None` for an admin (every organisation).
pub type Tenant = Option<i64>;

const SITE_COLUMNS: &str = "s.id, s.organisation_id, o.name AS organisation_name, s.shop_code, \
     s.name, host(s.ip) AS ip, s.country, s.city, s.opens_at, s.closes_at, s.time_zone, \
     s.operational, s.not_operational_reason, s.updated_at, l.last_day, \
     COALESCE((SELECT json_agg(json_build_object('id', g.id, 'name', g.name) ORDER BY g.name) \
               FROM store_group_members m JOIN store_groups g ON g.id = m.group_id \
               WHERE m.site_id = s.id), '[]'::json) AS groups";

fn site_view(row: &sqlx::postgres::PgRow) -> Result<SiteView, sqlx::Error> {
    let opens: NaiveTime = row.try_get("opens_at")?;
    let closes: NaiveTime = row.try_get("closes_at")?;
    let updated: DateTime<Utc> = row.try_get("updated_at")?;
    let last_day: Option<NaiveDate> = row.try_get("last_day")?;
    let groups: serde_json::Value = row.try_get("groups")?;
    let groups = groups
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|g| {
                    Some(GroupRef {
                        id: g.get("id")?.as_i64()?,
                        name: g.get("name")?.as_str()?.to_owned(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(SiteView {
        id: row.try_get("id")?,
        organisation_id: row.try_get("organisation_id")?,
        organisation_name: row.try_get("organisation_name")?,
        shop_code: row.try_get("shop_code")?,
        name: row.try_get("name")?,
        ip: row.try_get("ip")?,
        country: row.try_get("country")?,
        city: row.try_get("city")?,
        opens_at: opens.format("%H:%M").to_string(),
        closes_at: closes.format("%H:%M").to_string(),
        time_zone: row.try_get("time_zone")?,
        operational: row.try_get("operational")?,
        not_operational_reason: row.try_get("not_operational_reason")?,
        updated_at: paris_time(updated),
        last_day: last_day.map(|d| d.format("%d/%m/%Y").to_string()),
        groups,
    })
}

fn page_number(raw: &str) -> i64 {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|p| *p >= 1)
        .unwrap_or(1)
}

fn optional_id(raw: &str) -> Result<Option<i64>, AppError> {
    match raw.trim() {
        "" => Ok(None),
        raw => raw.parse().map(Some).map_err(|_| AppError::NotFound),
    }
}

/// Search by organisation, shop code, name or city (the search box: `paris` finds the Paris
/// shops), country and city, and group; 25 per page.
pub async fn list_sites(
    pool: &PgPool,
    tenant: Tenant,
    filter: &SiteFilter,
) -> Result<SitePage, AppError> {
    let organisation = match tenant {
        Some(org) => Some(org),
        None => optional_id(&filter.organisation_id)?,
    };
    let group = optional_id(&filter.group_id)?;
    let search = filter.search.trim();
    let pattern = (!search.is_empty()).then(|| format!("%{}%", escape_like(search)));
    let country = filter.country.trim().to_ascii_uppercase();
    let city = filter.city.trim();
    let city_pattern = (!city.is_empty()).then(|| format!("%{}%", escape_like(city)));
    let page = page_number(&filter.page);
    let conditions = "($1::bigint IS NULL OR s.organisation_id = $1) \
         AND ($2::text IS NULL OR s.shop_code ILIKE $2 OR s.name ILIKE $2 OR s.city ILIKE $2) \
         AND ($3 = '' OR s.country = $3) \
         AND ($4::text IS NULL OR s.city ILIKE $4) \
         AND ($5::bigint IS NULL OR EXISTS (SELECT 1 FROM store_group_members gm \
              WHERE gm.site_id = s.id AND gm.group_id = $5))";
    let total: i64 =
        sqlx::query_scalar(&format!("SELECT count(*) FROM sites s WHERE {conditions}"))
            .bind(organisation)
            .bind(&pattern)
            .bind(&country)
            .bind(&city_pattern)
            .bind(group)
            .fetch_one(pool)
            .await?;
    // Within one organisation the shop code alone orders the list, along its unique index.
    let order = if organisation.is_some() {
        "s.shop_code"
    } else {
        "o.name, s.shop_code"
    };
    let rows = sqlx::query(&format!(
        "SELECT {SITE_COLUMNS} FROM sites s JOIN organisations o ON o.id = s.organisation_id \
         LEFT JOIN site_last_data l ON l.site_id = s.id WHERE {conditions} \
         ORDER BY {order} LIMIT $6 OFFSET $7"
    ))
    .bind(organisation)
    .bind(&pattern)
    .bind(&country)
    .bind(&city_pattern)
    .bind(group)
    .bind(PER_PAGE)
    // Saturating: any page number typed in the address is an offset PostgreSQL can take.
    .bind(page.saturating_sub(1).saturating_mul(PER_PAGE))
    .fetch_all(pool)
    .await?;
    let items = rows.iter().map(site_view).collect::<Result<_, _>>()?;
    Ok(SitePage {
        items,
        total,
        page,
        per_page: PER_PAGE,
    })
}

fn escape_like(raw: &str) -> String {
    raw.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub async fn site(pool: &PgPool, tenant: Tenant, id: i64) -> Result<SiteView, AppError> {
    let row = sqlx::query(&format!(
        "SELECT {SITE_COLUMNS} FROM sites s JOIN organisations o ON o.id = s.organisation_id \
         LEFT JOIN site_last_data l ON l.site_id = s.id \
         WHERE s.id = $1 AND ($2::bigint IS NULL OR s.organisation_id = $2)"
    ))
    .bind(id)
    .bind(tenant)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(site_view(&row)?)
}

/// Creates or updates a counter (admins only, so any organisation but the agency's own).
pub async fn save_site(pool: &PgPool, input: &SiteInput) -> Result<i64, AppError> {
    let client: Option<bool> =
        sqlx::query_scalar("SELECT NOT is_agency FROM organisations WHERE id = $1")
            .bind(input.organisation_id)
            .fetch_optional(pool)
            .await?;
    if client != Some(true) {
        return Err(AppError::invalid(
            "organisation_id",
            Problem::OrganisationUnknown,
        ));
    }
    let ip = input.ip.map(|ip| ip.to_string());
    let result = match input.id {
        None => {
            sqlx::query_scalar(
                "INSERT INTO sites (organisation_id, shop_code, name, ip, country, city, opens_at, \
                 closes_at, time_zone) VALUES ($1, $2, $3, $4::inet, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(input.organisation_id)
            .bind(input.shop_code.as_str())
            .bind(&input.name)
            .bind(&ip)
            .bind(input.country.as_str())
            .bind(&input.city)
            .bind(input.opens_at)
            .bind(input.closes_at)
            .bind(input.time_zone.name())
            .fetch_one(pool)
            .await
        }
        // A counter keeps its organisation: its counts belong to it.
        Some(id) => sqlx::query_scalar(
            "UPDATE sites SET shop_code = $3, name = $4, ip = $5::inet, country = $6, city = $7, \
             opens_at = $8, closes_at = $9, time_zone = $10 \
             WHERE id = $1 AND organisation_id = $2 RETURNING id",
        )
        .bind(id)
        .bind(input.organisation_id)
        .bind(input.shop_code.as_str())
        .bind(&input.name)
        .bind(&ip)
        .bind(input.country.as_str())
        .bind(&input.city)
        .bind(input.opens_at)
        .bind(input.closes_at)
        .bind(input.time_zone.name())
        .fetch_optional(pool)
        .await
        .and_then(|id| id.ok_or(sqlx::Error::RowNotFound)),
    };
    match result {
        Ok(id) => Ok(id),
        Err(sqlx::Error::RowNotFound) => Err(AppError::NotFound),
        Err(e) if is_unique_violation(&e) => {
            Err(AppError::invalid("shop_code", Problem::ShopCodeTaken))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn set_operational(
    pool: &PgPool,
    id: i64,
    operational: bool,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let done =
        sqlx::query("UPDATE sites SET operational = $2, not_operational_reason = $3 WHERE id = $1")
            .bind(id)
            .bind(operational)
            .bind(reason)
            .execute(pool)
            .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Deletes a counter that never received counts (the counts' foreign key refuses the others,
/// and rollup rows only exist for counters with counts).
pub async fn delete_site(pool: &PgPool, id: i64) -> Result<(), AppError> {
    match sqlx::query("DELETE FROM sites WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await
    {
        Ok(done) if done.rows_affected() == 0 => Err(AppError::NotFound),
        Ok(_) => Ok(()),
        Err(e) if is_foreign_key_violation(&e) => {
            Err(AppError::invalid("site", Problem::SiteHasCounts))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn groups(
    db: impl PgExecutor<'_>,
    organisation_id: i64,
) -> Result<Vec<StoreGroup>, AppError> {
    let rows = sqlx::query(
        "SELECT g.id, g.organisation_id, g.name, \
         (SELECT count(*) FROM store_group_members m WHERE m.group_id = g.id) AS members \
         FROM store_groups g WHERE g.organisation_id = $1 ORDER BY g.name",
    )
    .bind(organisation_id)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StoreGroup {
                id: r.try_get("id")?,
                organisation_id: r.try_get("organisation_id")?,
                name: r.try_get("name")?,
                members: r.try_get("members")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
}

pub async fn create_group(
    pool: &PgPool,
    organisation_id: i64,
    name: &str,
) -> Result<i64, AppError> {
    match sqlx::query_scalar(
        "INSERT INTO store_groups (organisation_id, name) \
         SELECT id, $2 FROM organisations WHERE id = $1 AND NOT is_agency RETURNING id",
    )
    .bind(organisation_id)
    .bind(name)
    .fetch_optional(pool)
    .await
    {
        Ok(Some(id)) => Ok(id),
        Ok(None) => Err(AppError::invalid(
            "organisation_id",
            Problem::OrganisationUnknown,
        )),
        Err(e) if is_unique_violation(&e) => {
            Err(AppError::invalid("name", Problem::GroupNameTaken))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn rename_group(pool: &PgPool, id: i64, name: &str) -> Result<(), AppError> {
    match sqlx::query("UPDATE store_groups SET name = $2 WHERE id = $1")
        .bind(id)
        .bind(name)
        .execute(pool)
        .await
    {
        Ok(done) if done.rows_affected() == 0 => Err(AppError::NotFound),
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => {
            Err(AppError::invalid("name", Problem::GroupNameTaken))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_group(pool: &PgPool, id: i64) -> Result<(), AppError> {
    let done = sqlx::query("DELETE FROM store_groups WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Replaces a counter's groups, then rebuilds the rollup of every group that changed.
pub async fn set_site_groups(
    pool: &PgPool,
    site_id: i64,
    group_ids: &[i64],
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let organisation_id: i64 =
        sqlx::query_scalar("SELECT organisation_id FROM sites WHERE id = $1 FOR UPDATE")
            .bind(site_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
    let known: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM store_groups WHERE organisation_id = $1 AND id = ANY($2)",
    )
    .bind(organisation_id)
    .bind(group_ids)
    .fetch_one(&mut *tx)
    .await?;
    let mut wanted = group_ids.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    if known != wanted.len() as i64 {
        return Err(AppError::invalid("groups", Problem::GroupUnknown));
    }
    let before: Vec<i64> = sqlx::query_scalar(
        "SELECT group_id FROM store_group_members WHERE site_id = $1 ORDER BY group_id",
    )
    .bind(site_id)
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM store_group_members WHERE site_id = $1 AND NOT (group_id = ANY($2))")
        .bind(site_id)
        .bind(&wanted)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO store_group_members (organisation_id, group_id, site_id) \
         SELECT $1, g, $2 FROM unnest($3::bigint[]) g ON CONFLICT DO NOTHING",
    )
    .bind(organisation_id)
    .bind(site_id)
    .bind(&wanted)
    .execute(&mut *tx)
    .await?;
    let changed: Vec<i64> = before
        .iter()
        .filter(|g| !wanted.contains(g))
        .chain(wanted.iter().filter(|g| !before.contains(g)))
        .copied()
        .collect();
    for group in changed {
        super::ingest::rebuild_group(&mut tx, organisation_id, group).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The organisation a group or site belongs to (for the admin's checks and the rebuilds).
pub async fn group_organisation(pool: &PgPool, group_id: i64) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT organisation_id FROM store_groups WHERE id = $1")
        .bind(group_id)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)
}

// ----- API tokens -----

pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// `cpt_` and 32 random bytes in URL-safe base64: 256 bits, so a plain hash is enough.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!(
        "cpt_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

fn token_view(row: &sqlx::postgres::PgRow) -> Result<TokenView, sqlx::Error> {
    let created: DateTime<Utc> = row.try_get("created_at")?;
    let used: Option<DateTime<Utc>> = row.try_get("last_used_at")?;
    let revoked: Option<DateTime<Utc>> = row.try_get("revoked_at")?;
    Ok(TokenView {
        id: row.try_get("id")?,
        organisation_id: row.try_get("organisation_id")?,
        name: row.try_get("name")?,
        display_prefix: row.try_get("display_prefix")?,
        created_at: paris_time(created),
        created_by: row.try_get("created_by")?,
        last_used_at: used.map(paris_time),
        revoked_at: revoked.map(paris_time),
    })
}

const TOKEN_COLUMNS: &str = "t.id, t.organisation_id, t.name, t.display_prefix, t.created_at, \
     a.display_name AS created_by, t.last_used_at, t.revoked_at";

pub async fn tokens(pool: &PgPool, organisation_id: i64) -> Result<Vec<TokenView>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens t LEFT JOIN accounts a ON a.id = t.created_by \
         WHERE t.organisation_id = $1 ORDER BY t.revoked_at IS NOT NULL, t.created_at DESC"
    ))
    .bind(organisation_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(token_view).collect::<Result<_, _>>()?)
}

pub async fn create_token(
    pool: &PgPool,
    organisation_id: i64,
    name: &str,
    created_by: i64,
) -> Result<CreatedToken, AppError> {
    let token = new_token();
    let prefix: String = token.chars().take(12).collect();
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO api_tokens (organisation_id, name, token_hash, display_prefix, created_by) \
         SELECT id, $2, $3, $4, $5 FROM organisations WHERE id = $1 AND NOT is_agency RETURNING id",
    )
    .bind(organisation_id)
    .bind(name)
    .bind(token_hash(&token))
    .bind(&prefix)
    .bind(created_by)
    .fetch_optional(pool)
    .await?;
    let id =
        id.ok_or_else(|| AppError::invalid("organisation_id", Problem::OrganisationUnknown))?;
    let row = sqlx::query(&format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens t LEFT JOIN accounts a ON a.id = t.created_by \
         WHERE t.id = $1"
    ))
    .bind(id)
    .fetch_one(pool)
    .await?;
    Ok(CreatedToken {
        token,
        view: token_view(&row)?,
    })
}

pub async fn revoke_token(pool: &PgPool, id: i64, by: i64) -> Result<(), AppError> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(by)
    .execute(pool)
    .await?;
    if done.rows_affected() == 0 {
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM api_tokens WHERE id = $1)")
                .bind(id)
                .fetch_one(pool)
                .await?;
        if !exists {
            return Err(AppError::NotFound);
        }
    }
    Ok(())
}

/// What a bearer token opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenCheck {
    Valid { organisation_id: i64 },
    Revoked,
    Unknown,
}

pub async fn check_token(pool: &PgPool, token: &str) -> Result<TokenCheck, sqlx::Error> {
    let row: Option<(i64, i64, bool)> = sqlx::query_as(
        "SELECT id, organisation_id, revoked_at IS NOT NULL FROM api_tokens WHERE token_hash = $1",
    )
    .bind(token_hash(token))
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        None => TokenCheck::Unknown,
        Some((_, _, true)) => TokenCheck::Revoked,
        Some((id, organisation_id, false)) => {
            // Written at most once a minute, so a busy pusher does not rewrite the row each call.
            sqlx::query(
                "UPDATE api_tokens SET last_used_at = now() WHERE id = $1 \
                 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
            )
            .bind(id)
            .execute(pool)
            .await?;
            TokenCheck::Valid { organisation_id }
        }
    })
}

// ----- CSV imports -----

pub async fn record_import(
    pool: &PgPool,
    organisation_id: i64,
    file_name: &str,
    created_by: Option<i64>,
    report: &IngestReport,
) -> Result<i64, AppError> {
    let rejections = serde_json::to_value(&report.rejected).map_err(|_| AppError::Internal)?;
    let name: String = file_name.chars().take(200).collect();
    Ok(sqlx::query_scalar(
        "INSERT INTO count_imports (organisation_id, file_name, created_by, accepted, rejected_total, rejections) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(organisation_id)
    .bind(name)
    .bind(created_by)
    .bind(report.accepted as i64)
    .bind(report.rejected_total as i64)
    .bind(rejections)
    .fetch_one(pool)
    .await?)
}

fn import_view(row: &sqlx::postgres::PgRow) -> Result<ImportView, AppError> {
    let created: DateTime<Utc> = row.try_get("created_at")?;
    let rejections: serde_json::Value = row.try_get("rejections")?;
    let accepted: i64 = row.try_get("accepted")?;
    let rejected_total: i64 = row.try_get("rejected_total")?;
    Ok(ImportView {
        id: row.try_get("id")?,
        organisation_id: row.try_get("organisation_id")?,
        organisation_name: row.try_get("organisation_name")?,
        file_name: row.try_get("file_name")?,
        created_at: paris_time(created),
        created_by: row.try_get("created_by")?,
        report: IngestReport {
            accepted: accepted as u64,
            rejected_total: rejected_total as u64,
            rejected: serde_json::from_value(rejections).map_err(|_| AppError::Internal)?,
        },
    })
}

const IMPORT_COLUMNS: &str = "i.id, i.organisation_id, o.name AS organisation_name, i.file_name, \
     i.created_at, a.display_name AS created_by, i.accepted, i.rejected_total";

pub async fn import(pool: &PgPool, id: i64) -> Result<ImportView, AppError> {
    let row = sqlx::query(&format!(
        "SELECT {IMPORT_COLUMNS}, i.rejections FROM count_imports i \
         JOIN organisations o ON o.id = i.organisation_id \
         LEFT JOIN accounts a ON a.id = i.created_by WHERE i.id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    import_view(&row)
}

/// The latest imports, without their line reports.
pub async fn imports(pool: &PgPool, limit: i64) -> Result<Vec<ImportView>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT {IMPORT_COLUMNS}, '[]'::jsonb AS rejections FROM count_imports i \
         JOIN organisations o ON o.id = i.organisation_id \
         LEFT JOIN accounts a ON a.id = i.created_by ORDER BY i.created_at DESC, i.id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter().map(import_view).collect()
}
