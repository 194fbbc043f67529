//! Organisation and account queries. Every list takes the caller's organisation filter.

use super::{AccountSummary, OrganisationSummary};
use crate::auth::types::{DisplayName, Email, Role, Slug};
use crate::format::paris_date;
use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, PgPool};

#[derive(sqlx::FromRow)]
struct OrganisationRow {
    id: i64,
    slug: String,
    name: String,
    is_agency: bool,
    accounts: i64,
    created_at: DateTime<Utc>,
}

pub async fn list_organisations(
    pool: &PgPool,
    only: Option<i64>,
) -> sqlx::Result<Vec<OrganisationSummary>> {
    let rows = sqlx::query_as::<_, OrganisationRow>(
        "SELECT o.id, o.slug, o.name, o.is_agency, o.created_at,
                (SELECT count(*) FROM accounts a WHERE a.organisation_id = o.id) AS accounts
           FROM organisations o
          WHERE $1::bigint IS NULL OR o.id = $1
          ORDER BY o.is_agency DESC, o.name",
    )
    .bind(only)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| OrganisationSummary {
            id: r.id,
            slug: r.slug,
            name: r.name,
            is_agency: r.is_agency,
            accounts: r.accounts,
            created_on: paris_date(r.created_at),
        })
        .collect())
}

/// Inserts an organisation; `None` when the slug is taken.
pub async fn insert_organisation(
    db: impl PgExecutor<'_>,
    slug: &Slug,
    name: &DisplayName,
    is_agency: bool,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "INSERT INTO organisations (slug, name, is_agency) VALUES ($1, $2, $3)
         ON CONFLICT (slug) DO NOTHING RETURNING id",
    )
    .bind(slug.as_str())
    .bind(name.as_str())
    .bind(is_agency)
    .fetch_optional(db)
    .await
}

/// Finds an organisation by numeric id or slug; returns (id, is_agency).
pub async fn find_organisation(
    db: impl PgExecutor<'_>,
    key: &str,
) -> sqlx::Result<Option<(i64, bool)>> {
    let key = key.trim();
    let id = key.parse::<i64>().ok();
    sqlx::query_as("SELECT id, is_agency FROM organisations WHERE id = $1 OR slug = $2")
        .bind(id)
        .bind(key)
        .fetch_optional(db)
        .await
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    organisation_id: i64,
    organisation_name: String,
    disabled: bool,
    created_at: DateTime<Utc>,
}

pub async fn list_accounts(pool: &PgPool, only: Option<i64>) -> sqlx::Result<Vec<AccountSummary>> {
    let rows = sqlx::query_as::<_, AccountRow>(
        "SELECT a.id, a.email, a.display_name, a.role, a.organisation_id,
                o.name AS organisation_name, a.disabled_at IS NOT NULL AS disabled, a.created_at
           FROM accounts a JOIN organisations o ON o.id = a.organisation_id
          WHERE $1::bigint IS NULL OR a.organisation_id = $1
          ORDER BY o.name, a.display_name",
    )
    .bind(only)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(AccountSummary {
                role: r.role.parse::<Role>().ok()?,
                id: r.id,
                email: r.email,
                display_name: r.display_name,
                organisation_id: r.organisation_id,
                organisation_name: r.organisation_name,
                disabled: r.disabled,
                created_on: paris_date(r.created_at),
            })
        })
        .collect())
}

pub struct NewAccount<'a> {
    pub organisation_id: i64,
    pub email: &'a Email,
    pub display_name: &'a DisplayName,
    pub role: Role,
    pub password_hash: &'a str,
}

/// Inserts an account; `None` when the e-mail address is taken.
pub async fn insert_account(
    db: impl PgExecutor<'_>,
    account: NewAccount<'_>,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "INSERT INTO accounts (organisation_id, email, display_name, role, password_hash)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(account.organisation_id)
    .bind(account.email.as_str())
    .bind(account.display_name.as_str())
    .bind(account.role.as_str())
    .bind(account.password_hash)
    .fetch_optional(db)
    .await
}

/// The organisation an account belongs to.
pub async fn account_organisation(pool: &PgPool, account_id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT organisation_id FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(pool)
        .await
}

/// Disables or re-enables an account. Disabling the last active admin is refused (`false`),
/// under the same lock as [`delete_account`], so the two cannot race into an agency without one.
pub async fn set_disabled(pool: &PgPool, account_id: i64, disabled: bool) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    if disabled && !other_active_admin(&mut tx, account_id).await? {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE accounts
            SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, now()) END,
                updated_at = now()
          WHERE id = $1",
    )
    .bind(account_id)
    .bind(disabled)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Whether removing `account_id` from the active admins leaves at least one (true for non-admins).
/// Locks the admins' rows until the transaction ends.
async fn other_active_admin(conn: &mut sqlx::PgConnection, account_id: i64) -> sqlx::Result<bool> {
    let admins: Vec<(i64, bool)> = sqlx::query_as(
        "SELECT id, disabled_at IS NULL FROM accounts WHERE role = 'admin' ORDER BY id FOR UPDATE",
    )
    .fetch_all(conn)
    .await?;
    let is_admin = admins.iter().any(|(id, _)| *id == account_id);
    Ok(!is_admin
        || admins
            .iter()
            .any(|(id, active)| *id != account_id && *active))
}

/// Deletes an account unless it is the last active admin (checked under a lock on the admins, so
/// two admins leaving at once cannot both succeed). `false` when refused.
pub async fn delete_account(pool: &PgPool, account_id: i64) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    if !other_active_admin(&mut tx, account_id).await? {
        return Ok(false);
    }
    sqlx::query("DELETE FROM accounts WHERE id = $1")
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}
