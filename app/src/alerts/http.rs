//! The alert modal's plain form post, so confirming works before hydration and without
//! JavaScript: record the confirmation, then go back to the page.

use super::Dismissal;
use super::db;
use crate::auth::guard::Caller;
use crate::auth::http::local_target;
use crate::state::ServerState;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    pub alert_id: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub back: String,
}

pub async fn confirm_submit(
    State(state): State<ServerState>,
    caller: Option<Extension<Caller>>,
    Form(form): Form<ConfirmForm>,
) -> Response {
    let back = local_target(&form.back).unwrap_or_else(|| "/".to_owned());
    let Some(Extension(caller)) = caller else {
        return Redirect::to("/login").into_response();
    };
    let (Ok(alert_id), Ok(action)) = (
        form.alert_id.trim().parse::<i64>(),
        form.action.parse::<Dismissal>(),
    ) else {
        return (
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "Confirmation invalide.",
        )
            .into_response();
    };
    match db::confirm(&state.pool, alert_id, &caller.user, action).await {
        Ok(_) => Redirect::to(&back).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "alert confirmation failed");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "Confirmation impossible pour le moment. Réessayez dans un instant.",
            )
                .into_response()
        }
    }
}
