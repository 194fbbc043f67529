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
    conn: &mut sqlx::PgConnection,
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
    .fetch_optional(conn)
    .await
}

/// Whether a sign-in may check its password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// Counted as a failure until it succeeds (the attempt's row id).
    Granted(i64),
    Locked(DateTime<Utc>),
    /// Too many sign-ins for this login or address at once: try again shortly.
    Busy,
}

/// Takes one attempt for this login and address before the password is checked: attempts of
/// one login (and of one address) are counted one at a time, each counted as failed until it
/// succeeds, so a burst of 40 checks at most the allowed number of passwords.
pub async fn reserve_attempt(pool: &PgPool, login: &str, ip: &str) -> sqlx::Result<Reservation> {
    let login = rules::attempt_login(login);
    // A lock in force is answered at once, without queueing for the attempt locks below (a
    // flood from one address must not hold the pool's connections).
    if let Some(until) = active_lock(&mut *pool.acquire().await?, &login, ip).await? {
        return Ok(Reservation::Locked(until));
    }
    let mut tx = pool.begin().await?;
    sqlx::query("SET LOCAL lock_timeout = '2s'")
        .execute(&mut *tx)
        .await?;
    // Logins then addresses, always in that order (so two sign-ins never wait on each other in
    // a cycle); the two-key form keeps these locks apart from the jobs' one-key locks.
    for (class, key) in [(1, login.as_str()), (2, ip)] {
        let locked = sqlx::query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
            .bind(class)
            .bind(key)
            .execute(&mut *tx)
            .await;
        match locked {
            Ok(_) => {}
            // lock_not_available: the queue for this login or address is too long.
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("55P03") => {
                return Ok(Reservation::Busy);
            }
            Err(e) => return Err(e),
        }
    }
    if let Some(until) = active_lock(&mut tx, &login, ip).await? {
        tx.commit().await?;
        return Ok(Reservation::Locked(until));
    }
    if let Some(until) = lock_if_over(&mut tx, &login, ip).await? {
        tx.commit().await?;
        return Ok(Reservation::Locked(until));
    }
    let id = sqlx::query_scalar(
        "INSERT INTO login_attempts (login, ip, succeeded) VALUES ($1, $2, false) RETURNING id",
    )
    .bind(&login)
    .bind(ip)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Reservation::Granted(id))
}

/// A reserved attempt whose password was wrong: it stays a failure, and the lock it completes
/// (if any) is set.
pub async fn conclude_failure(
    pool: &PgPool,
    login: &str,
    ip: &str,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    let mut tx = pool.begin().await?;
    let lock = lock_if_over(&mut tx, &rules::attempt_login(login), ip).await?;
    tx.commit().await?;
    Ok(lock)
}

/// A reserved attempt that checked nothing (the server was too busy): it does not count.
pub async fn release_attempt(pool: &PgPool, attempt: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_attempts WHERE id = $1")
        .bind(attempt)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Locks the login and/or the address whose failures in the window reached their limit.
async fn lock_if_over(
    conn: &mut sqlx::PgConnection,
    login: &str,
    ip: &str,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    let window_start = Utc::now() - rules::WINDOW;
    let (for_login, for_ip): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE login = $1), count(*) FILTER (WHERE ip = $2)
           FROM login_attempts
          WHERE NOT succeeded AND attempted_at > $3 AND (login = $1 OR ip = $2)",
    )
    .bind(login)
    .bind(ip)
    .bind(window_start)
    .fetch_one(&mut *conn)
    .await?;
    let lock = rules::lock_after_failure(for_login, for_ip, Utc::now());
    if let Some(until) = lock {
        let keys = rules::lock_keys(login, ip);
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
                .execute(&mut *conn)
                .await?;
            }
        }
    }
    Ok(lock)
}

/// A successful login clears that login's failure history.
pub async fn record_success(pool: &PgPool, login: &str, ip: &str) -> sqlx::Result<()> {
    let login = rules::attempt_login(login);
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
