//! Maintenance window queries.

use super::rules::Window;
use chrono::{DateTime, Utc};
use rand::Rng;
use sqlx::PgPool;

#[derive(sqlx::FromRow)]
struct WindowRow {
    id: i64,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    message: String,
    bypass_secret: String,
}

impl From<WindowRow> for Window {
    fn from(r: WindowRow) -> Self {
        Window {
            id: r.id,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            message: r.message,
            bypass_secret: r.bypass_secret,
        }
    }
}

const COLUMNS: &str = "id, starts_at, ends_at, message, bypass_secret";

/// Windows in progress or to come.
pub async fn not_ended(pool: &PgPool) -> sqlx::Result<Vec<Window>> {
    let rows = sqlx::query_as::<_, WindowRow>(&format!(
        "SELECT {COLUMNS} FROM maintenance_windows WHERE ends_at > now() ORDER BY starts_at LIMIT 100"
    ))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Window::from).collect())
}

/// Windows to come, in progress, and those that ended in the last 30 days, newest first.
pub async fn recent(pool: &PgPool) -> sqlx::Result<Vec<Window>> {
    let rows = sqlx::query_as::<_, WindowRow>(&format!(
        "SELECT {COLUMNS} FROM maintenance_windows
          WHERE ends_at > now() - interval '30 days'
          ORDER BY starts_at DESC LIMIT 100"
    ))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Window::from).collect())
}

fn new_secret() -> String {
    rand::thread_rng()
        .sample_iter(&rand::distributions::Alphanumeric)
        .take(32)
        .map(char::from)
        .collect()
}

/// Stores a checked window (see `rules::check_window`).
pub async fn insert(
    pool: &PgPool,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    message: &str,
    created_by: Option<i64>,
) -> sqlx::Result<Window> {
    let row = sqlx::query_as::<_, WindowRow>(&format!(
        "INSERT INTO maintenance_windows (starts_at, ends_at, message, bypass_secret, created_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING {COLUMNS}"
    ))
    .bind(starts_at)
    .bind(ends_at)
    .bind(message.trim())
    .bind(new_secret())
    .bind(created_by)
    .fetch_one(pool)
    .await?;
    Ok(row.into())
}

/// Ends a window now if it is in progress, or cancels it if it has not started.
/// `false` when there is no such window still to end.
pub async fn end_or_cancel(pool: &PgPool, id: i64) -> sqlx::Result<bool> {
    let count: i64 = sqlx::query_scalar(
        "WITH ended AS (
             UPDATE maintenance_windows SET ends_at = greatest(now(), starts_at + interval '1 millisecond')
              WHERE id = $1 AND starts_at <= now() AND ends_at > now() RETURNING id),
         cancelled AS (
             DELETE FROM maintenance_windows WHERE id = $1 AND starts_at > now() RETURNING id)
         SELECT (SELECT count(*) FROM ended) + (SELECT count(*) FROM cancelled)",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    Ok(count > 0)
}

/// Ends every window in progress (`comptoir maintenance off`); windows to come stay.
pub async fn end_active(pool: &PgPool) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE maintenance_windows SET ends_at = greatest(now(), starts_at + interval '1 millisecond')
          WHERE starts_at <= now() AND ends_at > now()",
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}
