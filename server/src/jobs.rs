//! Background jobs inside the server process. Each job takes a PostgreSQL advisory lock and
//! records its last start in `job_runs`, so with several instances side by side each job runs
//! once per period.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// Publishes the alerts of recurring schedules (and slots missed while down).
    AlertSchedules,
    /// Deletes alerts past their lifetime with their confirmations.
    AlertPurge,
    /// Deletes expired sessions and old login attempts.
    SessionCleanup,
    /// Marks sent quotes past their validity date as expired.
    QuoteExpiry,
    /// Records the counters' zero-entry days, silences over 24 hours and counters that call in
    /// without data.
    CounterAlerts,
}

/// What the jobs read from the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobSettings {
    /// Whole days without data before a counter that still calls in is flagged
    /// (`COMPTOIR_NO_DATA_DAYS`).
    pub no_data_days: i64,
}

impl Default for JobSettings {
    fn default() -> Self {
        JobSettings {
            no_data_days: app::counters::rules::NO_DATA_DAYS_DEFAULT,
        }
    }
}

impl Job {
    pub const ALL: [Job; 5] = [
        Job::AlertSchedules,
        Job::AlertPurge,
        Job::SessionCleanup,
        Job::QuoteExpiry,
        Job::CounterAlerts,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Job::AlertSchedules => "alert_schedules",
            Job::AlertPurge => "alert_purge",
            Job::SessionCleanup => "session_cleanup",
            Job::QuoteExpiry => "quote_expiry",
            Job::CounterAlerts => "counter_alerts",
        }
    }

    /// Advisory lock keys: fixed, distinct numbers in one namespace of our own.
    fn lock_key(self) -> i64 {
        0x434f_4d50_0000 + self as i64
    }

    pub fn period(self) -> Duration {
        match self {
            Job::AlertSchedules => Duration::seconds(30),
            Job::AlertPurge => Duration::hours(24),
            Job::SessionCleanup => Duration::minutes(10),
            // Hourly: a quote expires within the hour after its last valid day ends in Paris.
            Job::QuoteExpiry => Duration::hours(1),
            // Hourly: every shop's previous day is checked within the hour after its midnight
            // (ingestion also checks right away).
            Job::CounterAlerts => Duration::hours(1),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Ran(String),
    /// Another instance holds the lock.
    Busy,
    /// Ran less than a period ago.
    NotDue,
}

async fn execute(
    job: Job,
    pool: &PgPool,
    now: DateTime<Utc>,
    settings: JobSettings,
) -> anyhow::Result<String> {
    Ok(match job {
        Job::AlertSchedules => {
            let ids = app::alerts::db::publish_due(pool, now).await?;
            format!("{} alerte(s) publiée(s)", ids.len())
        }
        Job::AlertPurge => {
            let n = app::alerts::db::purge_expired(pool, now).await?;
            format!("{n} alerte(s) expirée(s) supprimée(s)")
        }
        Job::SessionCleanup => {
            use tower_sessions::session_store::ExpiredDeletion;
            crate::http::session_store(pool).delete_expired().await?;
            app::auth::db::purge_login_history(pool).await?;
            "sessions expirées supprimées".to_owned()
        }
        Job::QuoteExpiry => {
            let n = app::invoicing::db::expire_quotes(pool, now).await?;
            format!("{n} devis expiré(s)")
        }
        Job::CounterAlerts => {
            let zero = app::counters::stats::detect_zero_entries(pool, None, now).await?;
            let offline = app::counters::stats::detect_offline(pool, now).await?;
            let no_data =
                app::counters::stats::detect_no_data(pool, now, settings.no_data_days).await?;
            format!(
                "{zero} journée(s) à 0 entrée, {offline} compteur(s) hors ligne, \
                 {no_data} compteur(s) sans données"
            )
        }
    })
}

/// Runs `job` if it is due and no other instance is running it, with the default settings.
pub async fn run_if_due(job: Job, pool: &PgPool, now: DateTime<Utc>) -> anyhow::Result<Outcome> {
    run_if_due_with(job, pool, now, JobSettings::default()).await
}

/// Runs `job` if it is due and no other instance is running it.
pub async fn run_if_due_with(
    job: Job,
    pool: &PgPool,
    now: DateTime<Utc>,
    settings: JobSettings,
) -> anyhow::Result<Outcome> {
    let mut conn = pool.acquire().await?;
    let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
        .bind(job.lock_key())
        .fetch_one(&mut *conn)
        .await?;
    if !locked {
        return Ok(Outcome::Busy);
    }
    let outcome = async {
        let last: Option<DateTime<Utc>> =
            sqlx::query_scalar("SELECT started_at FROM job_runs WHERE name = $1")
                .bind(job.name())
                .fetch_optional(&mut *conn)
                .await?;
        if last.is_some_and(|at| at > now - job.period() && at <= now) {
            return Ok(Outcome::NotDue);
        }
        sqlx::query(
            "INSERT INTO job_runs (name, started_at) VALUES ($1, $2)
             ON CONFLICT (name) DO UPDATE SET started_at = $2, finished_at = NULL, outcome = NULL",
        )
        .bind(job.name())
        .bind(now)
        .execute(&mut *conn)
        .await?;
        let result = execute(job, pool, now, settings).await;
        let summary = match &result {
            Ok(s) => s.clone(),
            Err(err) => format!("échec : {err:#}"),
        };
        sqlx::query("UPDATE job_runs SET finished_at = now(), outcome = $2 WHERE name = $1")
            .bind(job.name())
            .bind(&summary)
            .execute(&mut *conn)
            .await?;
        result.map(Outcome::Ran)
    }
    .await;
    // Always release the lock on this same connection, whatever happened.
    let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(job.lock_key())
        .execute(&mut *conn)
        .await;
    if unlocked.is_err() {
        // A connection we cannot use any more would keep the lock: close it instead.
        conn.detach();
    }
    outcome
}

/// Runs every due job once with the default settings (tests).
pub async fn run_due(pool: &PgPool, now: DateTime<Utc>) -> Vec<(Job, anyhow::Result<Outcome>)> {
    run_due_with(pool, now, JobSettings::default()).await
}

/// Runs every due job once (the scheduler's tick).
pub async fn run_due_with(
    pool: &PgPool,
    now: DateTime<Utc>,
    settings: JobSettings,
) -> Vec<(Job, anyhow::Result<Outcome>)> {
    let mut results = Vec::new();
    for job in Job::ALL {
        results.push((job, run_if_due_with(job, pool, now, settings).await));
    }
    results
}

/// The scheduler: a tick every 15 seconds, the first one at start (so a slot missed while the
/// server was down is published right away).
pub fn spawn(pool: PgPool, settings: JobSettings) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(15));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            for (job, result) in run_due_with(&pool, Utc::now(), settings).await {
                match result {
                    Ok(Outcome::Ran(summary)) => {
                        tracing::debug!(job = job.name(), %summary, "job ran")
                    }
                    Ok(_) => {}
                    Err(err) => tracing::warn!(job = job.name(), error = %err, "job failed"),
                }
            }
        }
    })
}
