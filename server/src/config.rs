//! Settings read from the environment (secrets never come from files or arguments).

use app::auth::rules::SessionPolicy;
use app::documents::mail::{MailSettings, SmtpSettings, SmtpTls};
use std::path::PathBuf;

/// The role the migrations grant the application's privileges to (rows only). The embedded
/// cluster logs in as it; with another PostgreSQL, DATABASE_URL is it or a member of it.
pub const APP_ROLE: &str = "comptoir_app";

#[derive(Debug, Clone)]
pub struct Settings {
    /// External PostgreSQL; when `None`, the embedded cluster under `data_dir` is used.
    pub database_url: Option<String>,
    /// The tables' owner, for migrations, with an external PostgreSQL only
    /// (`COMPTOIR_MIGRATION_DATABASE_URL`). Unset: `comptoir migrate` uses `database_url`, and the
    /// other commands migrate only when that role owns the database (deployments made before the
    /// roles were separated).
    pub migration_database_url: Option<String>,
    pub data_dir: PathBuf,
    pub max_connections: u32,
    pub secure_cookies: bool,
    pub sessions: SessionPolicy,
    pub trust_forwarded_for: bool,
    pub json_logs: bool,
    /// How long before a maintenance window users see the announcement banner.
    pub maintenance_notice_hours: i64,
    /// Whole local days without data before a counter that still calls in is flagged.
    pub no_data_days: i64,
    /// SMTP when `COMPTOIR_SMTP_HOST` is set, otherwise `.eml` files in the outbox folder.
    pub mail: MailSettings,
}

#[derive(Debug, thiserror::Error)]
#[error("variable d'environnement {name} invalide ({value:?}) : {expected}")]
pub struct SettingsError {
    name: &'static str,
    value: String,
    expected: &'static str,
}

fn var(name: &'static str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse_bool(name: &'static str, default: bool) -> Result<bool, SettingsError> {
    match var(name).as_deref().map(str::to_ascii_lowercase).as_deref() {
        None => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(SettingsError {
            name,
            value: other.to_owned(),
            expected: "true ou false",
        }),
    }
}

fn parse_number(
    name: &'static str,
    default: i64,
    min: i64,
    max: i64,
) -> Result<i64, SettingsError> {
    match var(name) {
        None => Ok(default),
        Some(raw) => raw
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or(SettingsError {
                name,
                value: raw,
                expected: "un entier dans la plage autorisée",
            }),
    }
}

fn mail_settings(data_dir: &std::path::Path) -> Result<MailSettings, SettingsError> {
    let smtp = match var("COMPTOIR_SMTP_HOST") {
        None => None,
        Some(host) => {
            let tls = match var("COMPTOIR_SMTP_TLS") {
                None => SmtpTls::StartTls,
                Some(raw) => SmtpTls::parse(&raw).ok_or(SettingsError {
                    name: "COMPTOIR_SMTP_TLS",
                    value: raw,
                    expected: "none, starttls ou tls",
                })?,
            };
            let default_port = match tls {
                SmtpTls::None => 25,
                SmtpTls::StartTls => 587,
                SmtpTls::Wrapper => 465,
            };
            Some(SmtpSettings {
                host: host.trim().to_owned(),
                port: parse_number("COMPTOIR_SMTP_PORT", default_port, 1, 65_535)? as u16,
                tls,
                user: var("COMPTOIR_SMTP_USER"),
                password: var("COMPTOIR_SMTP_PASSWORD"),
                // At most 25 s: a send must end within the HTTP layer's 30 s timeout.
                timeout: std::time::Duration::from_secs(parse_number(
                    "COMPTOIR_SMTP_TIMEOUT_SECONDS",
                    15,
                    1,
                    25,
                )? as u64),
            })
        }
    };
    Ok(MailSettings {
        smtp,
        outbox: var("COMPTOIR_OUTBOX_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join("outbox")),
        from: var("COMPTOIR_MAIL_FROM")
            .unwrap_or_else(|| "Comptoir <no-reply@comptoir.localhost>".to_owned()),
    })
}

impl Settings {
    pub fn from_env() -> Result<Self, SettingsError> {
        let data_dir = var("COMPTOIR_DATA_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("data"));
        let idle = parse_number("COMPTOIR_SESSION_IDLE_MINUTES", 120, 1, 7 * 24 * 60)?;
        let absolute = parse_number("COMPTOIR_SESSION_ABSOLUTE_HOURS", 12, 1, 30 * 24)?;
        let database_url = var("DATABASE_URL");
        let migration_database_url = var("COMPTOIR_MIGRATION_DATABASE_URL");
        if migration_database_url.is_some() && database_url.is_none() {
            return Err(SettingsError {
                name: "COMPTOIR_MIGRATION_DATABASE_URL",
                // Never echo a URL: it may hold a password.
                value: "…".to_owned(),
                expected: "seulement avec DATABASE_URL (la base embarquée a son propriétaire)",
            });
        }
        Ok(Settings {
            database_url,
            migration_database_url,
            mail: mail_settings(&data_dir)?,
            data_dir,
            max_connections: parse_number("COMPTOIR_DB_MAX_CONNECTIONS", 20, 1, 500)? as u32,
            secure_cookies: parse_bool("COMPTOIR_SECURE_COOKIES", false)?,
            sessions: SessionPolicy {
                idle: chrono::Duration::minutes(idle),
                absolute: chrono::Duration::hours(absolute),
            },
            trust_forwarded_for: parse_bool("COMPTOIR_TRUST_FORWARDED_FOR", false)?,
            maintenance_notice_hours: parse_number(
                "COMPTOIR_MAINTENANCE_NOTICE_HOURS",
                24,
                0,
                24 * 30,
            )?,
            no_data_days: parse_number(
                "COMPTOIR_NO_DATA_DAYS",
                app::counters::rules::NO_DATA_DAYS_DEFAULT,
                1,
                app::counters::rules::NO_DATA_DAYS_MAX,
            )?,
            json_logs: var("COMPTOIR_LOG_FORMAT").is_some_and(|f| f.eq_ignore_ascii_case("json")),
        })
    }
}
