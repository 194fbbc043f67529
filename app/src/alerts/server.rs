//! Server functions for alerts: everyone reads and confirms their own; admins manage alerts
//! and schedules.

use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::db,
    super::schedule::{self, WeeklyRule},
    crate::auth::ctx::Ctx,
    crate::error::FieldProblem,
    crate::i18n::td_string,
    crate::ui::flash,
};

/// The signed-in user's unread, unexpired alerts, oldest first.
#[server(endpoint = "pending_alerts")]
pub async fn pending_alerts() -> Result<Vec<PendingAlert>, AppError> {
    let ctx = Ctx::signed_in()?;
    Ok(db::pending_for(ctx.pool(), &ctx.caller.user, chrono::Utc::now()).await?)
}

/// Records that the caller read an alert (with "Confirmer" or the close cross).
#[server(endpoint = "confirm_alert")]
pub async fn confirm_alert(alert_id: i64, action: String) -> Result<(), AppError> {
    let ctx = Ctx::signed_in()?;
    let action = action
        .parse::<Dismissal>()
        .map_err(|p| AppError::invalid("action", p))?;
    if db::confirm(ctx.pool(), alert_id, &ctx.caller.user, action).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

#[server(endpoint = "list_alerts")]
pub async fn list_alerts() -> Result<Vec<AlertSummary>, AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    Ok(db::list(ctx.pool()).await?)
}

#[server(endpoint = "alert_detail")]
pub async fn alert_detail(alert_id: i64) -> Result<AlertReport, AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    db::detail(ctx.pool(), alert_id)
        .await?
        .ok_or(AppError::NotFound)
}

#[cfg(feature = "ssr")]
async fn checked_content(ctx: &Ctx, fields: &AlertFields) -> Result<AlertContent, AppError> {
    let content = fields.parse().map_err(AppError::Invalid)?;
    if let Audience::Organisation(id) = content.audience
        && !db::organisation_exists(ctx.pool(), id).await?
    {
        return Err(AppError::invalid(
            "audience",
            crate::error::Problem::AudienceUnknown,
        ));
    }
    Ok(content)
}

/// Creates an alert (`alert_id` empty) or edits one. Returns its id.
#[server(endpoint = "save_alert")]
pub async fn save_alert(alert_id: String, fields: AlertFields) -> Result<i64, AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    let content = checked_content(&ctx, &fields).await?;
    match alert_id.trim() {
        "" => {
            let id = db::insert(ctx.pool(), &content, Some(ctx.user_id()), None, None).await?;
            tracing::info!(alert = id, by = ctx.user_id(), "alert created");
            flash::success(|locale| td_string!(locale, alerts.created_ok)).await;
            Ok(id)
        }
        raw => {
            let id = raw.parse::<i64>().map_err(|_| AppError::NotFound)?;
            if !db::update(ctx.pool(), id, &content).await? {
                return Err(AppError::NotFound);
            }
            tracing::info!(alert = id, by = ctx.user_id(), "alert edited");
            flash::success(|locale| td_string!(locale, alerts.saved_ok)).await;
            Ok(id)
        }
    }
}

#[server(endpoint = "delete_alert")]
pub async fn delete_alert(
    alert_id: i64,
    #[server(default)] confirm: Option<String>,
) -> Result<(), AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    crate::error::require_confirmation(confirm)?;
    if !db::delete(ctx.pool(), alert_id).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(alert = alert_id, by = ctx.user_id(), "alert deleted");
    flash::success(|locale| td_string!(locale, alerts.deleted_ok)).await;
    // Its page is gone: back to the list, with or without JavaScript.
    leptos_axum::redirect("/admin/alertes");
    Ok(())
}

#[server(endpoint = "list_alert_schedules")]
pub async fn list_alert_schedules() -> Result<Vec<ScheduleView>, AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    let now = chrono::Utc::now();
    Ok(db::list_schedules(ctx.pool())
        .await?
        .iter()
        .map(|s| s.view(now))
        .collect())
}

#[server(endpoint = "alert_schedule")]
pub async fn alert_schedule(schedule_id: i64) -> Result<ScheduleView, AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    db::get_schedule(ctx.pool(), schedule_id)
        .await?
        .map(|s| s.view(chrono::Utc::now()))
        .ok_or(AppError::NotFound)
}

#[cfg(feature = "ssr")]
struct CheckedTiming {
    rule: WeeklyRule,
    interval_weeks: i32,
    weekday: i16,
    local_time: chrono::NaiveTime,
}

#[cfg(feature = "ssr")]
fn check_timing(timing: &ScheduleTiming) -> Result<CheckedTiming, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut note = |field: &str, problem| {
        problems.push(FieldProblem {
            field: field.to_owned(),
            problem,
        })
    };
    let interval = timing
        .interval_weeks
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=52).contains(n));
    if interval.is_none() {
        note("interval_weeks", crate::error::Problem::IntervalInvalid);
    }
    let weekday = schedule::parse_weekday(&timing.weekday)
        .map_err(|p| note("weekday", p))
        .ok();
    let time = schedule::parse_local_time(&timing.local_time)
        .map_err(|p| note("local_time", p))
        .ok();
    let tz = schedule::parse_time_zone(&timing.time_zone)
        .map_err(|p| note("time_zone", p))
        .ok();
    let date = schedule::parse_date(&timing.first_date)
        .map_err(|p| note("first_date", p))
        .ok();
    let (Some(interval), Some(weekday), Some(time), Some(tz), Some(date)) =
        (interval, weekday, time, tz, date)
    else {
        return Err(problems);
    };
    let rule = WeeklyRule::new(interval, weekday, time, tz, date).map_err(|p| {
        vec![FieldProblem {
            field: "first_date".into(),
            problem: p,
        }]
    })?;
    Ok(CheckedTiming {
        rule,
        interval_weeks: interval as i32,
        weekday: weekday.number_from_monday() as i16,
        local_time: time,
    })
}

/// The next five runs of a schedule being edited, `dd/mm/yyyy hh:mm` in its time zone.
#[server(endpoint = "preview_alert_schedule")]
pub async fn preview_alert_schedule(timing: ScheduleTiming) -> Result<Vec<String>, AppError> {
    Ctx::require(&[Role::Admin])?;
    let checked = check_timing(&timing).map_err(AppError::Invalid)?;
    let rule = checked.rule;
    Ok(rule
        .next_runs(chrono::Utc::now(), 5)
        .into_iter()
        .map(|r| schedule::format_local(rule.tz(), r))
        .collect())
}

/// Creates (`schedule_id` empty) or edits a recurring schedule. Returns its id.
#[server(endpoint = "save_alert_schedule")]
pub async fn save_alert_schedule(
    schedule_id: String,
    name: String,
    #[server(default)] active: Option<String>,
    timing: ScheduleTiming,
    template: AlertFields,
) -> Result<i64, AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    let mut problems = Vec::new();
    let name_ok = crate::auth::types::DisplayName::parse(&name)
        .map_err(|p| {
            problems.push(FieldProblem {
                field: "name".into(),
                problem: p,
            })
        })
        .is_ok();
    let timing = check_timing(&timing).map_err(|p| problems.extend(p)).ok();
    let content = match checked_content(&ctx, &template).await {
        Ok(c) => Some(c),
        Err(AppError::Invalid(p)) => {
            problems.extend(p);
            None
        }
        Err(other) => return Err(other),
    };
    let (true, Some(timing), Some(content)) = (name_ok, timing, content) else {
        return Err(AppError::Invalid(problems));
    };
    let id = match schedule_id.trim() {
        "" => None,
        raw => Some(raw.parse::<i64>().map_err(|_| AppError::NotFound)?),
    };
    let saved = db::save_schedule(
        ctx.pool(),
        id,
        db::ScheduleInput {
            name: &name,
            active: active.is_some_and(|v| !v.is_empty() && v != "false"),
            rule: &timing.rule,
            weekday: timing.weekday,
            local_time: timing.local_time,
            interval_weeks: timing.interval_weeks,
            content: &content,
        },
    )
    .await?
    .ok_or(AppError::NotFound)?;
    tracing::info!(schedule = saved, by = ctx.user_id(), "alert schedule saved");
    flash::success(|locale| td_string!(locale, alerts.schedule_saved_ok)).await;
    leptos_axum::redirect("/admin/alertes");
    Ok(saved)
}

#[server(endpoint = "delete_alert_schedule")]
pub async fn delete_alert_schedule(
    schedule_id: i64,
    #[server(default)] confirm: Option<String>,
) -> Result<(), AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    crate::error::require_confirmation(confirm)?;
    if !db::delete_schedule(ctx.pool(), schedule_id).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(
        schedule = schedule_id,
        by = ctx.user_id(),
        "alert schedule deleted"
    );
    flash::success(|locale| td_string!(locale, alerts.schedule_deleted_ok)).await;
    leptos_axum::redirect("/admin/alertes");
    Ok(())
}

#[cfg(feature = "ssr")]
use crate::auth::types::Role;
