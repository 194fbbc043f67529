//! The client dashboards' server functions (the organisation's overview, one shop's history,
//! the counter alerts). Members of an organisation see their own; admins choose the
//! organisation.

use super::views::{AlertFilter, AlertPage, Dashboard, DashboardFilter, ShopReport};
use super::{SiteFilter, SitePage};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{db, stats},
    crate::auth::ctx::Ctx,
    crate::auth::guard::{Caller, Scope},
    crate::i18n::td_string,
    crate::ui::flash,
    sqlx::PgPool,
};

/// The organisation a dashboard call is about: the member's own, or the one an admin named
/// (by default the first client organisation that has counters).
#[cfg(feature = "ssr")]
pub(crate) async fn organisation(
    caller: &Caller,
    pool: &PgPool,
    raw: &str,
) -> Result<i64, AppError> {
    let named = match raw.trim() {
        "" => None,
        raw => Some(raw.parse::<i64>().map_err(|_| AppError::NotFound)?),
    };
    match (caller.scope(), named) {
        (Scope::Organisation(own), None) => Ok(own),
        (Scope::Organisation(own), Some(id)) => {
            caller.check_organisation(id)?;
            Ok(own)
        }
        (Scope::All, named) => stats::client_organisation(pool, named).await,
    }
}

#[server(endpoint = "counters_dashboard")]
pub async fn counters_dashboard(
    #[server(default)] filter: DashboardFilter,
) -> Result<Dashboard, AppError> {
    let ctx = Ctx::signed_in()?;
    let org = organisation(&ctx.caller, ctx.pool(), &filter.organisation_id).await?;
    stats::dashboard(ctx.pool(), org, &filter, chrono::Utc::now()).await
}

/// The counter list under the dashboard (search and group filter).
#[server(endpoint = "dashboard_sites")]
pub async fn dashboard_sites(#[server(default)] filter: SiteFilter) -> Result<SitePage, AppError> {
    let ctx = Ctx::signed_in()?;
    let org = organisation(&ctx.caller, ctx.pool(), &filter.organisation_id).await?;
    let filter = SiteFilter {
        country: String::new(),
        city: String::new(),
        ..filter
    };
    db::list_sites(ctx.pool(), Some(org), &filter).await
}

#[server(endpoint = "shop_history")]
pub async fn shop_history(
    site_id: i64,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<ShopReport, AppError> {
    let ctx = Ctx::signed_in()?;
    stats::shop_history(
        ctx.pool(),
        ctx.scope().organisation_filter(),
        site_id,
        &from,
        &to,
        chrono::Utc::now(),
    )
    .await
}

#[server(endpoint = "counter_alerts")]
pub async fn counter_alerts(#[server(default)] filter: AlertFilter) -> Result<AlertPage, AppError> {
    let ctx = Ctx::signed_in()?;
    let org = match (ctx.scope(), filter.organisation_id.trim()) {
        // An admin without a choice sees every organisation's alerts.
        (Scope::All, "") => None,
        _ => Some(organisation(&ctx.caller, ctx.pool(), &filter.organisation_id).await?),
    };
    stats::alerts(ctx.pool(), org, &filter, chrono::Utc::now()).await
}

#[server(endpoint = "acknowledge_counter_alert")]
pub async fn acknowledge_counter_alert(alert_id: i64) -> Result<(), AppError> {
    let ctx = Ctx::signed_in()?;
    stats::acknowledge(
        ctx.pool(),
        ctx.scope().organisation_filter(),
        alert_id,
        ctx.user_id(),
    )
    .await?;
    flash::success(|locale| td_string!(locale, dashboard.acknowledged_ok)).await;
    Ok(())
}
