//! Server functions for organisations and accounts. Each one starts with the role guard and
//! scopes its queries to the caller's organisation unless the caller is an admin.

use super::{AccountSummary, CreatedAccount, OrganisationSummary};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::db,
    crate::auth::ctx::Ctx,
    crate::auth::{db as auth_db, password, types::*},
    crate::error::Problem,
    crate::i18n::td_string,
    crate::ui::flash,
};

#[server(endpoint = "list_organisations")]
pub async fn list_organisations() -> Result<Vec<OrganisationSummary>, AppError> {
    let ctx = Ctx::signed_in()?;
    Ok(db::list_organisations(ctx.pool(), ctx.scope().organisation_filter()).await?)
}

#[server(endpoint = "create_organisation")]
pub async fn create_organisation(name: String, slug: String) -> Result<i64, AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    let name = DisplayName::parse(&name).map_err(|p| AppError::invalid("name", p))?;
    let slug = if slug.trim().is_empty() {
        Slug::from_name(name.as_str())
    } else {
        Slug::parse(&slug)
    }
    .map_err(|p| AppError::invalid("slug", p))?;
    let id = db::insert_organisation(ctx.pool(), &slug, &name, false)
        .await?
        .ok_or_else(|| AppError::invalid("slug", Problem::SlugTaken))?;
    flash::success(|locale| td_string!(locale, orgs.created_ok)).await;
    Ok(id)
}

/// Accounts visible to the caller. `organisation` narrows the list (empty = all visible).
#[server(endpoint = "list_accounts")]
pub async fn list_accounts(organisation: String) -> Result<Vec<AccountSummary>, AppError> {
    let ctx = Ctx::require(&Role::BOOKKEEPING)?;
    let wanted = match organisation.trim() {
        "" => None,
        raw => Some(
            raw.parse::<i64>()
                .map_err(|_| AppError::invalid("organisation", Problem::OrganisationUnknown))?,
        ),
    };
    let filter = match (ctx.scope().organisation_filter(), wanted) {
        (None, wanted) => wanted,
        (Some(own), None) => Some(own),
        (Some(own), Some(wanted)) => {
            ctx.check_organisation(wanted)?;
            Some(own)
        }
    };
    Ok(db::list_accounts(ctx.pool(), filter).await?)
}

#[server(endpoint = "create_account")]
pub async fn create_account(
    email: String,
    display_name: String,
    role: String,
    organisation: String,
) -> Result<CreatedAccount, AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    let mut problems = Vec::new();
    let mut note = |field: &str, problem: Problem| {
        problems.push(crate::error::FieldProblem {
            field: field.into(),
            problem,
        })
    };
    let email = Email::parse(&email).map_err(|p| note("email", p)).ok();
    let name = DisplayName::parse(&display_name)
        .map_err(|p| note("display_name", p))
        .ok();
    let role = role.parse::<Role>().map_err(|p| note("role", p)).ok();
    let org = db::find_organisation(ctx.pool(), &organisation).await?;
    if org.is_none() {
        note("organisation", Problem::OrganisationUnknown);
    }
    let (Some(email), Some(name), Some(role), Some((organisation_id, is_agency))) =
        (email, name, role, org)
    else {
        return Err(AppError::Invalid(problems));
    };
    if role == Role::Admin && !is_agency {
        return Err(AppError::invalid("role", Problem::AdminNeedsAgency));
    }
    let initial_password = password::generate(16);
    let hash = password::hash_blocking(initial_password.clone()).await?;
    let id = db::insert_account(
        ctx.pool(),
        db::NewAccount {
            organisation_id,
            email: &email,
            display_name: &name,
            role,
            password_hash: &hash,
        },
    )
    .await?
    .ok_or_else(|| AppError::invalid("email", Problem::EmailTaken))?;
    tracing::info!(account = id, %role, organisation = organisation_id, "account created");
    let locale = ctx.locale();
    flash::set_with_secret(
        format!(
            "{} {} {} —",
            td_string!(locale, accounts.created_ok),
            td_string!(locale, accounts.initial_password),
            email.as_str()
        ),
        initial_password.clone(),
    )
    .await;
    Ok(CreatedAccount {
        id,
        email: email.as_str().to_owned(),
        initial_password,
    })
}

/// Disables or re-enables an account. A disabled account is signed out at its next request.
#[server(endpoint = "set_account_disabled")]
pub async fn set_account_disabled(account_id: i64, disabled: bool) -> Result<(), AppError> {
    let ctx = Ctx::require(&[Role::Admin])?;
    if ctx.user_id() == account_id && disabled {
        return Err(AppError::invalid("account", Problem::CannotDisableSelf));
    }
    let organisation = db::account_organisation(ctx.pool(), account_id)
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.check_organisation(organisation)?;
    if !db::set_disabled(ctx.pool(), account_id, disabled).await? {
        return Err(AppError::invalid("account", Problem::LastAdmin));
    }
    tracing::info!(
        account = account_id,
        disabled,
        by = ctx.user_id(),
        "account state changed"
    );
    flash::success(|locale| td_string!(locale, accounts.updated_ok)).await;
    Ok(())
}

/// Deletes the caller's own account, after the password and the typed e-mail address confirm it.
/// Nobody else can delete an account (admins disable them). The last active admin cannot leave.
/// What the account recorded stays, without its author.
#[server(endpoint = "delete_own_account")]
pub async fn delete_own_account(password: String, confirm_email: String) -> Result<(), AppError> {
    let ctx = Ctx::signed_in()?;
    if confirm_email.trim().to_lowercase() != ctx.caller.user.email {
        return Err(AppError::invalid(
            "confirm_email",
            Problem::ConfirmEmailMismatch,
        ));
    }
    let stored = auth_db::password_hash(ctx.pool(), ctx.user_id())
        .await?
        .ok_or(AppError::NotFound)?;
    if !password::verify_blocking(password, stored).await {
        return Err(AppError::invalid("password", Problem::PasswordWrong));
    }
    if !db::delete_account(ctx.pool(), ctx.user_id()).await? {
        return Err(AppError::invalid("account", Problem::LastAdmin));
    }
    let session = leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|_| AppError::Internal)?;
    if let Err(err) = session.flush().await {
        tracing::error!(error = %err, "session flush after account deletion failed");
    }
    tracing::info!(account = ctx.user_id(), "account deleted by itself");
    leptos_axum::redirect("/login?supprime=1");
    Ok(())
}
