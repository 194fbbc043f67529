//! Server functions of maintenance windows: the banner for everyone, the schedule for admins.

use super::{Announcement, WindowView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::WindowState,
    super::db,
    super::rules::{self, Gate, Window},
    crate::auth::ctx::Ctx,
    crate::auth::types::Role,
    crate::error::{FieldProblem, Problem},
    crate::format::paris_time,
    crate::i18n::td_string,
    crate::ui::flash,
    chrono::Utc,
};

pub const MESSAGE_MAX: usize = 2000;
pub const MINUTES_MAX: i64 = 7 * 24 * 60;

/// The banner: a window in progress (for admins and testers, who still see pages) or one
/// starting within the notice period.
#[server(endpoint = "maintenance_notice")]
pub async fn maintenance_notice() -> Result<Option<Announcement>, AppError> {
    let ctx = Ctx::signed_in()?;
    let windows = ctx.state.maintenance.windows(ctx.pool()).await;
    let now = Utc::now();
    let notice = |window: &Window, active: bool, ends| Announcement {
        active,
        starts: paris_time(window.starts_at),
        ends: paris_time(ends),
        message: window.message.clone(),
    };
    Ok(
        match rules::gate_at(&windows, now, ctx.state.maintenance.notice) {
            Gate::Open => None,
            Gate::Upcoming(window) => Some(notice(window, false, window.ends_at)),
            Gate::Closed { window, until } => Some(notice(window, true, until)),
        },
    )
}

#[cfg(feature = "ssr")]
fn view_of(window: &Window, now: chrono::DateTime<Utc>) -> WindowView {
    WindowView {
        id: window.id,
        starts: paris_time(window.starts_at),
        ends: paris_time(window.ends_at),
        message: window.message.clone(),
        state: if window.contains(now) {
            WindowState::Active
        } else if window.starts_at > now {
            WindowState::Upcoming
        } else {
            WindowState::Over
        },
        bypass_path: format!("{}{}", super::http::BYPASS_PREFIX, window.bypass_secret),
    }
}

#[server(endpoint = "list_maintenance_windows")]
pub async fn list_maintenance_windows() -> Result<Vec<WindowView>, AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    let now = Utc::now();
    Ok(db::recent(ctx.pool())
        .await?
        .iter()
        .map(|w| view_of(w, now))
        .collect())
}

#[cfg(feature = "ssr")]
fn check_message(message: &str) -> Result<(), AppError> {
    if message.trim().chars().count() > MESSAGE_MAX {
        Err(AppError::invalid("message", Problem::MessageTooLong))
    } else {
        Ok(())
    }
}

#[cfg(feature = "ssr")]
async fn store(
    ctx: &Ctx,
    starts_at: chrono::DateTime<Utc>,
    ends_at: chrono::DateTime<Utc>,
    message: &str,
) -> Result<i64, AppError> {
    let by = ctx.user_id();
    let window = db::insert(ctx.pool(), starts_at, ends_at, message, Some(by)).await?;
    ctx.state.maintenance.invalidate();
    tracing::info!(window = window.id, by, %starts_at, %ends_at, "maintenance window scheduled");
    Ok(window.id)
}

/// Schedules a window; `starts` and `ends` are Europe/Paris (`2026-11-24T02:00`).
#[server(endpoint = "schedule_maintenance")]
pub async fn schedule_maintenance(
    starts: String,
    ends: String,
    message: String,
) -> Result<i64, AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    let mut problems = Vec::new();
    let mut parse = |field: &str, raw: &str| {
        rules::parse_paris(raw)
            .map_err(|problem| {
                problems.push(FieldProblem {
                    field: field.to_owned(),
                    problem,
                })
            })
            .ok()
    };
    let starts_at = parse("starts", &starts);
    let ends_at = parse("ends", &ends);
    let (Some(starts_at), Some(ends_at)) = (starts_at, ends_at) else {
        return Err(AppError::Invalid(problems));
    };
    rules::check_window(starts_at, ends_at, Utc::now())
        .map_err(|p| AppError::invalid("ends", p))?;
    check_message(&message)?;
    let id = store(&ctx, starts_at, ends_at, &message).await?;
    flash::success(|locale| td_string!(locale, maintenance.scheduled_ok)).await;
    Ok(id)
}

/// Starts maintenance now for `minutes` minutes.
#[server(endpoint = "start_maintenance")]
pub async fn start_maintenance(minutes: String, message: String) -> Result<i64, AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    let minutes = minutes
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|m| (1..=MINUTES_MAX).contains(m))
        .ok_or_else(|| AppError::invalid("minutes", Problem::MinutesInvalid))?;
    check_message(&message)?;
    let now = Utc::now();
    let id = store(
        &ctx,
        now,
        now + chrono::Duration::minutes(minutes),
        &message,
    )
    .await?;
    flash::success(|locale| td_string!(locale, maintenance.started_ok)).await;
    Ok(id)
}

/// Ends a window in progress now, or cancels one that has not started.
#[server(endpoint = "end_maintenance")]
pub async fn end_maintenance(window_id: i64) -> Result<(), AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    if !db::end_or_cancel(ctx.pool(), window_id).await? {
        return Err(AppError::NotFound);
    }
    ctx.state.maintenance.invalidate();
    tracing::info!(
        window = window_id,
        by = ctx.user_id(),
        "maintenance window ended"
    );
    flash::success(|locale| td_string!(locale, maintenance.ended_ok)).await;
    Ok(())
}
