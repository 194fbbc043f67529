//! Server functions of the counters' management: shops, store groups, API tokens and CSV
//! imports (admins), each scoped to the organisation it names.

use super::{
    CreatedToken, ImportView, SiteFields, SiteFilter, SitePage, SiteView, StoreGroup, TokenView,
};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::paths::LIST_PATH,
    super::{db, types},
    crate::auth::ctx::Ctx,
    crate::auth::types::Role,
    crate::i18n::td_string,
    crate::ui::flash,
};

#[cfg(feature = "ssr")]
fn id(raw: &str) -> Result<i64, AppError> {
    raw.trim().parse().map_err(|_| AppError::NotFound)
}

/// Back to `back` (a local address the form names) once done; anything else leaves leptos'
/// own redirect, to the page the form was on.
#[cfg(feature = "ssr")]
fn redirect_back(back: &str) {
    if let Some(target) = crate::auth::http::local_target(back) {
        leptos_axum::redirect(&target);
    }
}

#[server(endpoint = "list_sites")]
pub async fn list_sites(#[server(default)] filter: SiteFilter) -> Result<SitePage, AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    db::list_sites(ctx.pool(), None, &filter).await
}

#[server(endpoint = "get_site")]
pub async fn get_site(site_id: i64) -> Result<SiteView, AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    db::site(ctx.pool(), None, site_id).await
}

/// A counter and its organisation's store groups, for the editor.
#[server(endpoint = "site_editor")]
pub async fn site_editor(site_id: i64) -> Result<(SiteView, Vec<StoreGroup>), AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    let site = db::site(ctx.pool(), None, site_id).await?;
    let groups = db::groups(ctx.pool(), site.organisation_id).await?;
    Ok((site, groups))
}

#[server(endpoint = "save_site")]
pub async fn save_site(#[server(default)] fields: SiteFields) -> Result<i64, AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    let input = types::SiteInput::parse(&fields)?;
    let id = db::save_site(ctx.pool(), &input).await?;
    tracing::info!(
        site = id,
        organisation = input.organisation_id,
        by = ctx.user_id(),
        "counter saved"
    );
    flash::success(|locale| td_string!(locale, counters.saved_ok)).await;
    // On to the saved counter's editor (its groups and status), with or without JavaScript.
    leptos_axum::redirect(&format!("{LIST_PATH}?modifier={id}"));
    Ok(id)
}

#[server(endpoint = "set_site_operational")]
pub async fn set_site_operational(
    site_id: i64,
    operational: bool,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    let reason = match operational {
        true => None,
        false => Some(types::parse_reason(&reason).map_err(|p| AppError::invalid("reason", p))?),
    };
    db::set_operational(ctx.pool(), site_id, operational, reason.as_deref()).await?;
    tracing::info!(
        site = site_id,
        operational,
        by = ctx.user_id(),
        "counter status changed"
    );
    flash::success(|locale| td_string!(locale, counters.status_ok)).await;
    Ok(())
}

#[server(endpoint = "delete_site")]
pub async fn delete_site(
    site_id: i64,
    #[server(default)] confirm: Option<String>,
) -> Result<(), AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    crate::error::require_confirmation(confirm)?;
    db::delete_site(ctx.pool(), site_id).await?;
    tracing::info!(site = site_id, by = ctx.user_id(), "counter deleted");
    flash::success(|locale| td_string!(locale, counters.deleted_ok)).await;
    // Its editor is gone: back to the list.
    leptos_axum::redirect(LIST_PATH);
    Ok(())
}

#[server(endpoint = "list_store_groups")]
pub async fn list_store_groups(organisation_id: String) -> Result<Vec<StoreGroup>, AppError> {
    let ctx = Ctx::signed_in()?;
    let org = match ctx.role() {
        Role::Admin => id(&organisation_id)?,
        // Other roles see their own organisation's groups (the dashboard's filter).
        _ => ctx.organisation_id(),
    };
    db::groups(ctx.pool(), org).await
}

#[server(endpoint = "create_store_group")]
pub async fn create_store_group(organisation_id: String, name: String) -> Result<i64, AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    let name = types::parse_group_name(&name).map_err(|p| AppError::invalid("name", p))?;
    let created = db::create_group(ctx.pool(), id(&organisation_id)?, &name).await?;
    flash::success(|locale| td_string!(locale, counters.group_created_ok)).await;
    Ok(created)
}

#[server(endpoint = "rename_store_group")]
pub async fn rename_store_group(group_id: i64, name: String) -> Result<(), AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    let name = types::parse_group_name(&name).map_err(|p| AppError::invalid("name", p))?;
    db::rename_group(ctx.pool(), group_id, &name).await?;
    tracing::info!(group = group_id, by = ctx.user_id(), "store group renamed");
    flash::success(|locale| td_string!(locale, counters.group_renamed_ok)).await;
    Ok(())
}

/// Deletes a store group (asked to confirm: its counters leave it and its dashboard figures
/// go), then back to `back`, the counter editor its dialog was opened from.
#[server(endpoint = "delete_store_group")]
pub async fn delete_store_group(
    group_id: i64,
    #[server(default)] confirm: Option<String>,
    #[server(default)] back: String,
) -> Result<(), AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    crate::error::require_confirmation(confirm)?;
    db::delete_group(ctx.pool(), group_id).await?;
    tracing::info!(group = group_id, by = ctx.user_id(), "store group deleted");
    flash::success(|locale| td_string!(locale, counters.group_deleted_ok)).await;
    redirect_back(&back);
    Ok(())
}

#[server(endpoint = "set_site_groups")]
pub async fn set_site_groups(
    site_id: i64,
    #[server(default)] group_ids: Vec<i64>,
) -> Result<(), AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    db::set_site_groups(ctx.pool(), site_id, &group_ids).await?;
    flash::success(|locale| td_string!(locale, counters.groups_ok)).await;
    Ok(())
}

#[server(endpoint = "list_api_tokens")]
pub async fn list_api_tokens(organisation_id: String) -> Result<Vec<TokenView>, AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    db::tokens(ctx.pool(), id(&organisation_id)?).await
}

#[server(endpoint = "create_api_token")]
pub async fn create_api_token(
    organisation_id: String,
    name: String,
) -> Result<CreatedToken, AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    let name = types::parse_token_name(&name).map_err(|p| AppError::invalid("name", p))?;
    let org = id(&organisation_id)?;
    let created = db::create_token(ctx.pool(), org, &name, ctx.user_id()).await?;
    tracing::info!(
        organisation = org,
        token = created.view.id,
        by = ctx.user_id(),
        "API token created"
    );
    // Shown once, by the next page (never in a URL); the session row holds it until then.
    let locale = ctx.locale();
    flash::set_with_secret(
        td_string!(locale, counters.token_once),
        created.token.clone(),
    )
    .await;
    Ok(created)
}

/// Revokes a token (asked to confirm: the gateways using it are refused from now on and it
/// cannot be restored), then back to `back`, the token list its dialog was opened from.
#[server(endpoint = "revoke_api_token")]
pub async fn revoke_api_token(
    token_id: i64,
    #[server(default)] confirm: Option<String>,
    #[server(default)] back: String,
) -> Result<(), AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    crate::error::require_ticked(confirm, crate::error::Problem::RevocationNotConfirmed)?;
    db::revoke_token(ctx.pool(), token_id, ctx.user_id()).await?;
    tracing::info!(token = token_id, by = ctx.user_id(), "API token revoked");
    flash::success(|locale| td_string!(locale, counters.token_revoked_ok)).await;
    redirect_back(&back);
    Ok(())
}

#[server(endpoint = "list_count_imports")]
pub async fn list_count_imports() -> Result<Vec<ImportView>, AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    db::imports(ctx.pool(), 20).await
}

#[server(endpoint = "count_import")]
pub async fn count_import(import_id: i64) -> Result<ImportView, AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    db::import(ctx.pool(), import_id).await
}
