//! Server functions about the signed-in user.

use super::types::SessionUser;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{db, guard, password, types::NewPassword},
    crate::auth::ctx::Ctx,
    crate::error::{FieldProblem, Problem},
};

/// The signed-in user, or `None` on public pages.
#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    Ok(guard::current_caller().map(|c| c.user))
}

#[server(endpoint = "change_password")]
pub async fn change_password(
    current: String,
    new_password: String,
    confirm: String,
) -> Result<(), AppError> {
    let ctx = Ctx::signed_in()?;
    let new =
        NewPassword::parse(&new_password).map_err(|p| AppError::invalid("new_password", p))?;
    if new_password != confirm {
        return Err(AppError::invalid("confirm", Problem::PasswordMismatch));
    }
    let stored = db::password_hash(ctx.pool(), ctx.user_id())
        .await?
        .ok_or(AppError::NotFound)?;
    if !password::verify_blocking(current, stored).await {
        return Err(AppError::Invalid(vec![FieldProblem {
            field: "current".into(),
            problem: Problem::PasswordWrong,
        }]));
    }
    let hash = password::hash_blocking(new.expose().to_owned()).await?;
    db::set_password_hash(ctx.pool(), ctx.user_id(), &hash).await?;
    tracing::info!(account = ctx.user_id(), "password changed");
    crate::ui::flash::success(|locale| crate::i18n::td_string!(locale, profile.changed_ok)).await;
    Ok(())
}
