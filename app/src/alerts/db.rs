//! Alert, confirmation and schedule queries.

use super::schedule::{WeeklyRule, format_local, parse_time_zone};
use super::*;
use crate::auth::types::SessionUser;
use crate::format::paris_time;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use sqlx::{PgExecutor, PgPool};

/// An alert is alive until `created_at + lifetime_days × 24 h`.
const ALIVE: &str = "(a.lifetime_days IS NULL
     OR a.created_at + make_interval(hours => a.lifetime_days * 24) > $now)";

/// The alert is addressed to the account `u`.
const ADDRESSED_TO_U: &str =
    "(a.audience_organisation_id IS NULL OR a.audience_organisation_id = u.organisation_id)
     AND (a.audience_role IS NULL OR a.audience_role = u.role)";

fn sql(template: &str, now_param: &str) -> String {
    template
        .replace("{ALIVE}", ALIVE)
        .replace("{ADDRESSED}", ADDRESSED_TO_U)
        .replace("$now", now_param)
}

#[derive(sqlx::FromRow)]
struct PendingRow {
    id: i64,
    title: String,
    message: String,
    kind: String,
}

/// Unread, unexpired alerts addressed to `user`, oldest first.
pub async fn pending_for(
    pool: &PgPool,
    user: &SessionUser,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<PendingAlert>> {
    let query = sql(
        "SELECT a.id, a.title, a.message, a.kind
           FROM alerts a, (SELECT $1::bigint AS id, $2::bigint AS organisation_id, $3::text AS role) u
          WHERE a.created_at <= $4 AND {ALIVE} AND {ADDRESSED}
            AND NOT EXISTS (
                SELECT 1 FROM alert_confirmations c
                 WHERE c.alert_id = a.id
                   AND (c.account_id = u.id
                        OR (a.scope = 'one_per_organisation' AND c.organisation_id = u.organisation_id)))
          ORDER BY a.created_at, a.id
          LIMIT 20",
        "$4",
    );
    let rows = sqlx::query_as::<_, PendingRow>(&query)
        .bind(user.id)
        .bind(user.organisation_id)
        .bind(user.role.as_str())
        .bind(now)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(PendingAlert {
                id: r.id,
                title: r.title,
                message: r.message,
                kind: r.kind.parse().ok()?,
            })
        })
        .collect())
}

/// Records that `user` read the alert. `false` when the alert does not exist or is not
/// addressed to them. Confirming twice keeps the first record.
pub async fn confirm(
    pool: &PgPool,
    alert_id: i64,
    user: &SessionUser,
    action: Dismissal,
) -> sqlx::Result<bool> {
    let query = sql(
        "WITH target AS (
             SELECT a.id FROM alerts a,
                    (SELECT $2::bigint AS organisation_id, $3::text AS role) u
              WHERE a.id = $1 AND {ADDRESSED}),
         recorded AS (
             INSERT INTO alert_confirmations (alert_id, account_id, organisation_id, action)
             SELECT id, $4, $2, $5 FROM target
             ON CONFLICT (alert_id, account_id) DO NOTHING)
         SELECT count(*) FROM target",
        "now()",
    );
    let found: i64 = sqlx::query_scalar(&query)
        .bind(alert_id)
        .bind(user.organisation_id)
        .bind(user.role.as_str())
        .bind(user.id)
        .bind(action.as_str())
        .fetch_one(pool)
        .await?;
    Ok(found > 0)
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    title: String,
    message: String,
    kind: String,
    audience_organisation_id: Option<i64>,
    audience_role: Option<String>,
    organisation_name: Option<String>,
    scope: String,
    lifetime_days: Option<i32>,
    created_at: DateTime<Utc>,
    expired: bool,
    addressed: i64,
    confirmed: i64,
    schedule_name: Option<String>,
}

impl SummaryRow {
    fn into_summary(self) -> Option<AlertSummary> {
        let expires = self
            .lifetime_days
            .map(|d| paris_time(self.created_at + Duration::hours(d as i64 * 24)));
        Some(AlertSummary {
            id: self.id,
            title: self.title,
            message: self.message,
            kind: self.kind.parse().ok()?,
            audience: Audience::from_columns(
                self.audience_organisation_id,
                self.audience_role.as_deref(),
            ),
            audience_name: self.organisation_name,
            scope: self.scope.parse().ok()?,
            lifetime_days: self.lifetime_days,
            published: paris_time(self.created_at),
            expires,
            expired: self.expired,
            addressed: self.addressed,
            confirmed: self.confirmed,
            schedule_name: self.schedule_name,
        })
    }
}

const SUMMARY: &str = "SELECT a.id, a.title, a.message, a.kind, a.audience_organisation_id, a.audience_role,
            o.name AS organisation_name, a.scope, a.lifetime_days, a.created_at,
            NOT {ALIVE} AS expired,
            CASE WHEN a.scope = 'each_user'
                 THEN (SELECT count(*) FROM accounts u WHERE u.disabled_at IS NULL AND {ADDRESSED})
                 ELSE (SELECT count(DISTINCT u.organisation_id) FROM accounts u
                        WHERE u.disabled_at IS NULL AND {ADDRESSED}) END AS addressed,
            CASE WHEN a.scope = 'each_user'
                 THEN (SELECT count(*) FROM alert_confirmations c JOIN accounts u ON u.id = c.account_id
                        WHERE c.alert_id = a.id AND u.disabled_at IS NULL)
                 ELSE (SELECT count(DISTINCT c.organisation_id) FROM alert_confirmations c
                        WHERE c.alert_id = a.id) END AS confirmed,
            s.name AS schedule_name
       FROM alerts a
       LEFT JOIN organisations o ON o.id = a.audience_organisation_id
       LEFT JOIN alert_schedules s ON s.id = a.schedule_id";

/// Every alert, newest first, with how many addressees confirmed.
pub async fn list(pool: &PgPool) -> sqlx::Result<Vec<AlertSummary>> {
    let query = sql(
        &format!("{SUMMARY} ORDER BY a.created_at DESC, a.id DESC LIMIT 500"),
        "now()",
    );
    let rows = sqlx::query_as::<_, SummaryRow>(&query)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(SummaryRow::into_summary)
        .collect())
}

#[derive(sqlx::FromRow)]
struct ConfirmationRow {
    display_name: String,
    email: String,
    organisation_name: String,
    action: String,
    confirmed_at: DateTime<Utc>,
}

pub async fn detail(pool: &PgPool, id: i64) -> sqlx::Result<Option<AlertReport>> {
    let query = sql(&format!("{SUMMARY} WHERE a.id = $1"), "now()");
    let Some(summary) = sqlx::query_as::<_, SummaryRow>(&query)
        .bind(id)
        .fetch_optional(pool)
        .await?
        .and_then(SummaryRow::into_summary)
    else {
        return Ok(None);
    };
    let rows = sqlx::query_as::<_, ConfirmationRow>(
        "SELECT u.display_name, u.email, o.name AS organisation_name, c.action, c.confirmed_at
           FROM alert_confirmations c
           JOIN accounts u ON u.id = c.account_id
           JOIN organisations o ON o.id = c.organisation_id
          WHERE c.alert_id = $1
          ORDER BY c.confirmed_at, u.display_name",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let confirmations = rows
        .into_iter()
        .map(|r| Confirmation {
            display_name: r.display_name,
            email: r.email,
            organisation_name: r.organisation_name,
            action: r.action.parse().unwrap_or(Dismissal::Confirm),
            at: paris_time(r.confirmed_at),
        })
        .collect();
    Ok(Some(AlertReport {
        summary,
        confirmations,
    }))
}

pub async fn organisation_exists(pool: &PgPool, id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM organisations WHERE id = $1)")
        .bind(id)
        .fetch_one(pool)
        .await
}

/// Publishes an alert; `published_at` defaults to now.
pub async fn insert(
    db: impl PgExecutor<'_>,
    content: &AlertContent,
    created_by: Option<i64>,
    schedule_id: Option<i64>,
    published_at: Option<DateTime<Utc>>,
) -> sqlx::Result<i64> {
    let (org, role) = content.audience.columns();
    sqlx::query_scalar(
        "INSERT INTO alerts (title, message, kind, audience_organisation_id, audience_role, scope,
                             lifetime_days, created_by, schedule_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10, now()))
         RETURNING id",
    )
    .bind(content.title.as_str())
    .bind(content.message.as_str())
    .bind(content.kind.as_str())
    .bind(org)
    .bind(role)
    .bind(content.scope.as_str())
    .bind(content.lifetime.days())
    .bind(created_by)
    .bind(schedule_id)
    .bind(published_at)
    .fetch_one(db)
    .await
}

/// Edits an alert; the publication time (and so the lifetime's start) and confirmations stay.
pub async fn update(pool: &PgPool, id: i64, content: &AlertContent) -> sqlx::Result<bool> {
    let (org, role) = content.audience.columns();
    let done = sqlx::query(
        "UPDATE alerts SET title = $2, message = $3, kind = $4, audience_organisation_id = $5,
                audience_role = $6, scope = $7, lifetime_days = $8, updated_at = now()
          WHERE id = $1",
    )
    .bind(id)
    .bind(content.title.as_str())
    .bind(content.message.as_str())
    .bind(content.kind.as_str())
    .bind(org)
    .bind(role)
    .bind(content.scope.as_str())
    .bind(content.lifetime.days())
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete(pool: &PgPool, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM alerts WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes alerts past their lifetime, with their confirmations (the reference's
/// `app:verify-lifetime-alert`). Returns how many were removed.
pub async fn purge_expired(pool: &PgPool, now: DateTime<Utc>) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "DELETE FROM alerts
          WHERE lifetime_days IS NOT NULL
            AND created_at + make_interval(hours => lifetime_days * 24) <= $1",
    )
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

#[derive(sqlx::FromRow, Clone)]
pub struct ScheduleRow {
    pub id: i64,
    pub name: String,
    pub active: bool,
    pub interval_weeks: i32,
    pub weekday: i16,
    pub local_time: NaiveTime,
    pub time_zone: String,
    pub first_date: NaiveDate,
    pub title: String,
    pub message: String,
    pub kind: String,
    pub audience_organisation_id: Option<i64>,
    pub audience_role: Option<String>,
    pub scope: String,
    pub lifetime_days: Option<i32>,
    pub active_since: DateTime<Utc>,
}

impl ScheduleRow {
    pub fn rule(&self) -> Result<WeeklyRule, crate::error::Problem> {
        let weekday = schedule::parse_weekday(&self.weekday.to_string())?;
        let tz = parse_time_zone(&self.time_zone)?;
        WeeklyRule::new(
            self.interval_weeks as u32,
            weekday,
            self.local_time,
            tz,
            self.first_date,
        )
    }

    pub fn content(&self) -> Result<AlertContent, Vec<crate::error::FieldProblem>> {
        self.template().parse()
    }

    fn template(&self) -> AlertFields {
        AlertFields {
            title: self.title.clone(),
            message: self.message.clone(),
            kind: self.kind.clone(),
            audience: Audience::from_columns(
                self.audience_organisation_id,
                self.audience_role.as_deref(),
            )
            .form_value(),
            scope: self.scope.clone(),
            lifetime_days: self
                .lifetime_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
        }
    }

    pub fn view(&self, now: DateTime<Utc>) -> ScheduleView {
        let next_runs = self
            .rule()
            .map(|rule| {
                rule.next_runs(now, 5)
                    .into_iter()
                    .map(|r| format_local(rule.tz(), r))
                    .collect()
            })
            .unwrap_or_default();
        ScheduleView {
            id: self.id,
            name: self.name.clone(),
            active: self.active,
            interval_weeks: self.interval_weeks,
            weekday: self.weekday,
            local_time: self.local_time.format("%H:%M").to_string(),
            time_zone: self.time_zone.clone(),
            first_date: self.first_date.format("%Y-%m-%d").to_string(),
            template: self.template(),
            next_runs,
        }
    }
}

const SCHEDULE_COLUMNS: &str = "id, name, active, interval_weeks, weekday, local_time, time_zone,
    first_date, title, message, kind, audience_organisation_id, audience_role, scope,
    lifetime_days, active_since";

pub async fn list_schedules(pool: &PgPool) -> sqlx::Result<Vec<ScheduleRow>> {
    sqlx::query_as::<_, ScheduleRow>(&format!(
        "SELECT {SCHEDULE_COLUMNS} FROM alert_schedules ORDER BY name, id"
    ))
    .fetch_all(pool)
    .await
}

pub async fn get_schedule(pool: &PgPool, id: i64) -> sqlx::Result<Option<ScheduleRow>> {
    sqlx::query_as::<_, ScheduleRow>(&format!(
        "SELECT {SCHEDULE_COLUMNS} FROM alert_schedules WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// A checked schedule, ready to store.
pub struct ScheduleInput<'a> {
    pub name: &'a str,
    pub active: bool,
    pub rule: &'a WeeklyRule,
    pub weekday: i16,
    pub local_time: NaiveTime,
    pub interval_weeks: i32,
    pub content: &'a AlertContent,
}

/// Inserts (`id = None`) or updates a schedule. Saving restarts it from now: slots before the
/// change are never published retroactively. `None` when the schedule to update is gone.
pub async fn save_schedule(
    pool: &PgPool,
    id: Option<i64>,
    input: ScheduleInput<'_>,
) -> sqlx::Result<Option<i64>> {
    let (org, role) = input.content.audience.columns();
    let query = match id {
        None => {
            "INSERT INTO alert_schedules (name, active, interval_weeks, weekday, local_time,
                 time_zone, first_date, title, message, kind, audience_organisation_id,
                 audience_role, scope, lifetime_days)
             VALUES ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
             RETURNING id"
        }
        Some(_) => {
            "UPDATE alert_schedules SET name = $2, active = $3, interval_weeks = $4, weekday = $5,
                 local_time = $6, time_zone = $7, first_date = $8, title = $9, message = $10,
                 kind = $11, audience_organisation_id = $12, audience_role = $13, scope = $14,
                 lifetime_days = $15, active_since = now(), updated_at = now()
             WHERE id = $1 RETURNING id"
        }
    };
    sqlx::query_scalar(query)
        .bind(id)
        .bind(input.name.trim())
        .bind(input.active)
        .bind(input.interval_weeks)
        .bind(input.weekday)
        .bind(input.local_time)
        .bind(input.rule.tz().name())
        .bind(input.rule.first_date())
        .bind(input.content.title.as_str())
        .bind(input.content.message.as_str())
        .bind(input.content.kind.as_str())
        .bind(org)
        .bind(role)
        .bind(input.content.scope.as_str())
        .bind(input.content.lifetime.days())
        .fetch_optional(pool)
        .await
}

pub async fn delete_schedule(pool: &PgPool, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM alert_schedules WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Publishes the alerts of every active schedule whose slots are due at `now`. Each slot is
/// claimed in `alert_schedule_runs` first, in the same transaction as its alert, so two
/// instances (or a restart) never publish a slot twice. Returns the new alert ids.
pub async fn publish_due(pool: &PgPool, now: DateTime<Utc>) -> sqlx::Result<Vec<i64>> {
    let schedules = list_schedules(pool).await?;
    let mut published = Vec::new();
    for schedule in schedules.iter().filter(|s| s.active) {
        let (rule, content) = match (schedule.rule(), schedule.content()) {
            (Ok(rule), Ok(content)) => (rule, content),
            _ => {
                tracing::warn!(schedule = schedule.id, "invalid alert schedule skipped");
                continue;
            }
        };
        // Look back no further than the lifetime (or one period without one).
        let horizon = match schedule.lifetime_days {
            Some(days) => now - Duration::days(days as i64),
            None => now - Duration::weeks(schedule.interval_weeks as i64),
        };
        let since = schedule.active_since.max(horizon);
        for slot in rule.due_slots(since, now, schedule.lifetime_days) {
            let mut tx = pool.begin().await?;
            let claimed: Option<i64> = sqlx::query_scalar(
                "INSERT INTO alert_schedule_runs (schedule_id, slot_at) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING RETURNING schedule_id",
            )
            .bind(schedule.id)
            .bind(slot)
            .fetch_optional(&mut *tx)
            .await?;
            if claimed.is_none() {
                continue;
            }
            let id = insert(&mut *tx, &content, None, Some(schedule.id), Some(slot)).await?;
            sqlx::query(
                "UPDATE alert_schedule_runs SET alert_id = $3 WHERE schedule_id = $1 AND slot_at = $2",
            )
            .bind(schedule.id)
            .bind(slot)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            tracing::info!(schedule = schedule.id, alert = id, %slot, "scheduled alert published");
            published.push(id);
        }
    }
    Ok(published)
}
