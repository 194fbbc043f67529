//! Account and login-attempt queries.

use super::rules;
use super::types::{Role, SessionUser};
use chrono::{DateTime, Utc};
use sqlx::PgPool;

#[derive(sqlx::FromRow)]
pub struct LoginRecord {
    pub id: i64,
    pub password_hash: String,
    pub disabled: bool,
}

pub async fn find_login(pool: &PgPool, email: &str) -> sqlx::Result<Option<LoginRecord>> {
    sqlx::query_as::<_, LoginRecord>(
        "SELECT id, password_hash, disabled_at IS NOT NULL AS disabled
           FROM accounts WHERE email = $1",
    )
    .bind(email)
    .fetch_optional(pool)
    .await
}

#[derive(sqlx::FromRow)]
struct SessionUserRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    organisation_id: i64,
    organisation_name: String,
}

/// The active account behind a session; `None` when it was disabled or removed since login.
pub async fn session_user(pool: &PgPool, account_id: i64) -> sqlx::Result<Option<SessionUser>> {
    let row = sqlx::query_as::<_, SessionUserRow>(
        "SELECT a.id, a.email, a.display_name, a.role, a.organisation_id,
                o.name AS organisation_name
           FROM accounts a JOIN organisations o ON o.id = a.organisation_id
          WHERE a.id = $1 AND a.disabled_at IS NULL",
    )
    .bind(account_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|r| {
        let role = r.role.parse::<Role>().ok()?;
        Some(SessionUser {
            id: r.id,
            email: r.email,
            display_name: r.display_name,
            role,
            organisation_id: r.organisation_id,
            organisation_name: r.organisation_name,
        })
    }))
}

/// The latest lock still in force for this login or this address.
pub async fn active_lock(
    pool: &PgPool,
    login: &str,
    ip: &str,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    let keys = rules::lock_keys(login, ip);
    sqlx::query_scalar::<_, DateTime<Utc>>(
        "SELECT max(locked_until) FROM login_lockouts
          WHERE key = ANY($1) AND locked_until > now()
         HAVING max(locked_until) IS NOT NULL",
    )
    .bind(&keys[..])
    .fetch_optional(pool)
    .await
}

/// Records a failed attempt and returns the lock it triggers, if any.
pub async fn record_failure(
    pool: &PgPool,
    login: &str,
    ip: &str,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    let login = login.trim().to_lowercase();
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO login_attempts (login, ip, succeeded) VALUES ($1, $2, false)")
        .bind(&login)
        .bind(ip)
        .execute(&mut *tx)
        .await?;
    let window_start = Utc::now() - rules::WINDOW;
    let (for_login, for_ip): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE login = $1), count(*) FILTER (WHERE ip = $2)
           FROM login_attempts
          WHERE NOT succeeded AND attempted_at > $3 AND (login = $1 OR ip = $2)",
    )
    .bind(&login)
    .bind(ip)
    .bind(window_start)
    .fetch_one(&mut *tx)
    .await?;
    let lock = rules::lock_after_failure(for_login, for_ip, Utc::now());
    if let Some(until) = lock {
        let keys = rules::lock_keys(&login, ip);
        let key_login = for_login >= rules::MAX_FAILURES_PER_LOGIN;
        let key_ip = for_ip >= rules::MAX_FAILURES_PER_IP;
        for (key, hit) in keys.iter().zip([key_login, key_ip]) {
            if hit {
                sqlx::query(
                    "INSERT INTO login_lockouts (key, locked_until) VALUES ($1, $2)
                     ON CONFLICT (key) DO UPDATE SET locked_until = EXCLUDED.locked_until",
                )
                .bind(key)
                .bind(until)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(lock)
}

/// A successful login clears that login's failure history.
pub async fn record_success(pool: &PgPool, login: &str, ip: &str) -> sqlx::Result<()> {
    let login = login.trim().to_lowercase();
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM login_attempts WHERE login = $1 AND NOT succeeded")
        .bind(&login)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO login_attempts (login, ip, succeeded) VALUES ($1, $2, true)")
        .bind(&login)
        .bind(ip)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Drops attempts and locks that can no longer matter.
pub async fn purge_login_history(pool: &PgPool) -> sqlx::Result<u64> {
    let a = sqlx::query("DELETE FROM login_attempts WHERE attempted_at < now() - interval '1 day'")
        .execute(pool)
        .await?
        .rows_affected();
    let b = sqlx::query("DELETE FROM login_lockouts WHERE locked_until < now()")
        .execute(pool)
        .await?
        .rows_affected();
    Ok(a + b)
}

pub async fn password_hash(pool: &PgPool, account_id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT password_hash FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(pool)
        .await
}

pub async fn set_password_hash(pool: &PgPool, account_id: i64, hash: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE accounts SET password_hash = $2, updated_at = now() WHERE id = $1")
        .bind(account_id)
        .bind(hash)
        .execute(pool)
        .await
        .map(|_| ())
}
