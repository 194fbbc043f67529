//! The `alert` and `maintenance` commands: arguments are checked before the database is opened,
//! each problem named after its option.

use crate::cli::{AlertCommand, BroadcastArgs, MaintenanceCommand, OnArgs, ScheduleArgs};
use anyhow::{Context, bail};
use app::alerts::{
    AlertContent, AlertKind, AlertMessage, AlertTitle, Audience, Lifetime, ValidationScope,
};
use app::format::paris_time;
use app::i18n::Locale;
use app::maintenance::rules::{check_window, parse_paris};
use app::ui::messages::problem_text_in;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

fn problem(option: &str, p: app::error::Problem) -> anyhow::Error {
    anyhow::anyhow!("{option} : {}", problem_text_in(Locale::fr, p))
}

/// A refused value, with what was typed: `--minutes : La durée doit être … ; « -5 » reçu.`
fn received(option: &str, p: app::error::Problem, raw: &str) -> anyhow::Error {
    let text = problem_text_in(Locale::fr, p);
    anyhow::anyhow!(
        "{option} : {} ; « {} » reçu.",
        text.trim_end_matches('.'),
        raw.trim()
    )
}

fn required<'a>(option: &str, value: &'a Option<String>, what: &str) -> anyhow::Result<&'a str> {
    match value.as_deref().map(str::trim) {
        None => bail!("{option} manquant : indiquez {what}"),
        Some("") => bail!("{option} est vide : indiquez {what}"),
        Some(v) => Ok(v),
    }
}

/// A checked command, ready to run against the database.
#[derive(Debug)]
pub enum Checked {
    Broadcast(AlertContent),
    Purge,
    Schedule {
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        message: String,
    },
    On {
        minutes: i64,
        message: String,
    },
    Off,
    Status,
}

pub fn check_alert(command: &AlertCommand) -> anyhow::Result<Checked> {
    match command {
        AlertCommand::Purge => Ok(Checked::Purge),
        AlertCommand::Broadcast(args) => check_broadcast(args).map(Checked::Broadcast),
    }
}

fn check_broadcast(args: &BroadcastArgs) -> anyhow::Result<AlertContent> {
    let title = AlertTitle::parse(required("--title", &args.title, "le titre de l'alerte")?)
        .map_err(|p| problem("--title", p))?;
    let message = AlertMessage::parse(required(
        "--message",
        &args.message,
        "le message de l'alerte",
    )?)
    .map_err(|p| problem("--message", p))?;
    let lifetime = match &args.lifetime_days {
        None => Lifetime::parse("").map_err(|p| problem("--lifetime-days", p))?,
        Some(raw) if raw.trim().is_empty() => {
            bail!("--lifetime-days est vide : indiquez un nombre de jours ou retirez l'option")
        }
        Some(raw) => Lifetime::parse(raw).map_err(|p| received("--lifetime-days", p, raw))?,
    };
    let kind = match &args.kind {
        None => AlertKind::Update,
        Some(raw) => raw.parse().map_err(|p| problem("--kind", p))?,
    };
    Ok(AlertContent {
        title,
        message,
        kind,
        audience: Audience::Everyone,
        scope: ValidationScope::EachUser,
        lifetime,
    })
}

pub fn check_maintenance(
    command: &MaintenanceCommand,
    now: DateTime<Utc>,
) -> anyhow::Result<Checked> {
    let message = |m: &Option<String>| -> anyhow::Result<String> {
        let m = m.as_deref().unwrap_or("").trim().to_owned();
        if m.chars().count() > app::maintenance::server::MESSAGE_MAX {
            return Err(problem("--message", app::error::Problem::MessageTooLong));
        }
        Ok(m)
    };
    match command {
        MaintenanceCommand::Off => Ok(Checked::Off),
        MaintenanceCommand::Status => Ok(Checked::Status),
        MaintenanceCommand::Schedule(ScheduleArgs {
            start,
            end,
            message: m,
        }) => {
            let what = "une date et heure de Paris, par exemple \"24/11/2026 02:00\"";
            let starts_at = parse_paris(required("--start", start, what)?)
                .map_err(|p| problem("--start", p))?;
            let ends_at =
                parse_paris(required("--end", end, what)?).map_err(|p| problem("--end", p))?;
            check_window(starts_at, ends_at, now).map_err(|p| problem("--end", p))?;
            Ok(Checked::Schedule {
                starts_at,
                ends_at,
                message: message(m)?,
            })
        }
        MaintenanceCommand::On(OnArgs {
            minutes,
            message: m,
        }) => {
            let minutes = match minutes {
                None => 60,
                Some(raw) => raw
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (1..=app::maintenance::server::MINUTES_MAX).contains(n))
                    .ok_or_else(|| {
                        received("--minutes", app::error::Problem::MinutesInvalid, raw)
                    })?,
            };
            Ok(Checked::On {
                minutes,
                message: message(m)?,
            })
        }
    }
}

fn print_window(w: &app::maintenance::rules::Window) {
    println!(
        "  n° {} : du {} au {} (heure de Paris){}",
        w.id,
        paris_time(w.starts_at),
        paris_time(w.ends_at),
        if w.message.is_empty() {
            String::new()
        } else {
            format!(" — {}", w.message)
        }
    );
    println!(
        "    lien d'accès pour les testeurs : {}{}",
        app::maintenance::http::BYPASS_PREFIX,
        w.bypass_secret
    );
}

pub async fn run(pool: &PgPool, checked: Checked) -> anyhow::Result<()> {
    use app::maintenance::db as windows;
    match checked {
        Checked::Broadcast(content) => {
            let id = app::alerts::db::insert(pool, &content, None, None, None).await?;
            let lifetime = content
                .lifetime
                .days()
                .map(|d| format!(", visible {d} jour(s)"))
                .unwrap_or_default();
            println!("Alerte n° {id} créée pour tous les utilisateurs{lifetime}.");
        }
        Checked::Purge => {
            let n = app::alerts::db::purge_expired(pool, Utc::now()).await?;
            println!("{n} alerte(s) expirée(s) supprimée(s).");
        }
        Checked::Schedule {
            starts_at,
            ends_at,
            message,
        } => {
            let w = windows::insert(pool, starts_at, ends_at, &message, None).await?;
            println!("Maintenance programmée :");
            print_window(&w);
        }
        Checked::On { minutes, message } => {
            let now = Utc::now();
            let w = windows::insert(pool, now, now + Duration::minutes(minutes), &message, None)
                .await
                .context("activation de la maintenance")?;
            println!("Maintenance activée :");
            print_window(&w);
        }
        Checked::Off => {
            let n = windows::end_active(pool).await?;
            if n == 0 {
                println!("Aucune maintenance en cours.");
            } else {
                println!("Maintenance terminée : le service est de nouveau ouvert.");
            }
            print_upcoming(pool).await?;
        }
        Checked::Status => {
            let list = windows::not_ended(pool).await?;
            let now = Utc::now();
            match list.iter().find(|w| w.contains(now)) {
                Some(w) => println!("Maintenance en cours jusqu'au {}.", paris_time(w.ends_at)),
                None => println!("Service ouvert."),
            }
            print_upcoming(pool).await?;
        }
    }
    Ok(())
}

async fn print_upcoming(pool: &PgPool) -> anyhow::Result<()> {
    let now = Utc::now();
    let upcoming: Vec<_> = app::maintenance::db::not_ended(pool)
        .await?
        .into_iter()
        .filter(|w| w.starts_at > now)
        .collect();
    if !upcoming.is_empty() {
        println!("Maintenances programmées :");
        upcoming.iter().for_each(print_window);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn broadcast(title: Option<&str>, message: Option<&str>, lifetime: Option<&str>) -> String {
        check_broadcast(&BroadcastArgs {
            title: title.map(Into::into),
            message: message.map(Into::into),
            lifetime_days: lifetime.map(Into::into),
            kind: None,
        })
        .map(|_| "ok".to_owned())
        .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn broadcast_arguments_are_named_in_errors() {
        assert_eq!(broadcast(Some("T"), Some("M"), None), "ok");
        assert!(broadcast(None, Some("M"), None).starts_with("--title manquant"));
        assert!(broadcast(Some(" "), Some("M"), None).starts_with("--title est vide"));
        assert!(broadcast(Some("T"), None, None).starts_with("--message manquant"));
        assert!(broadcast(Some("T"), Some("M"), Some("0")).starts_with("--lifetime-days :"));
        assert!(broadcast(Some("T"), Some("M"), Some("")).starts_with("--lifetime-days est vide"));
    }

    #[test]
    fn maintenance_dates_are_checked() {
        let now: DateTime<Utc> = "2026-11-22T12:00:00Z".parse().unwrap();
        let schedule = |start: &str, end: &str| {
            check_maintenance(
                &MaintenanceCommand::Schedule(ScheduleArgs {
                    start: Some(start.into()),
                    end: Some(end.into()),
                    message: None,
                }),
                now,
            )
            .map(|_| "ok".to_owned())
            .unwrap_or_else(|e| e.to_string())
        };
        assert_eq!(schedule("24/11/2026 02:00", "24/11/2026 04:00"), "ok");
        assert!(schedule("24/11/2026 04:00", "24/11/2026 02:00").starts_with("--end :"));
        assert!(schedule("hier", "24/11/2026 02:00").starts_with("--start :"));
        assert!(schedule("01/11/2026 02:00", "01/11/2026 04:00").starts_with("--end :"));
    }
}
