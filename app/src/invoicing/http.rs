//! The seller logo's upload (a plain multipart form, so it works without JavaScript) and its
//! delivery to the signed-in members of its organisation.

use super::{db, logo};
use crate::auth::guard::Caller;
use crate::auth::types::Role;
use crate::error::{AppError, Problem};
use crate::i18n::td_string;
use crate::state::ServerState;
use crate::ui::flash;
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

const COMPANY_PAGE: &str = "/facturation/entreprise";

fn accountant(caller: Option<Extension<Caller>>) -> Option<Caller> {
    caller
        .map(|Extension(c)| c)
        .filter(|c| matches!(c.user.role, Role::Admin | Role::Accountant))
}

/// Back to the company page with the problem in the query (`logo_erreur=<problem>`), rendered
/// next to the form as a server function's refusal is.
fn refused(problem: Problem) -> Response {
    let code = super::logo_problem_code(problem);
    Redirect::to(&format!("{COMPANY_PAGE}?logo_erreur={code}")).into_response()
}

pub async fn upload(
    State(state): State<ServerState>,
    caller: Option<Extension<Caller>>,
    session: Session,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let Some(caller) = accountant(caller) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let mut bytes = Vec::new();
    loop {
        match form.next_field().await {
            Ok(Some(mut field)) if field.name() == Some("logo") => {
                // Read by chunks so an oversized upload is refused without holding it all.
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            bytes.extend_from_slice(&chunk);
                            if bytes.len() > logo::MAX_BYTES {
                                return refused(Problem::LogoTooLarge);
                            }
                        }
                        Ok(None) => break,
                        Err(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                            return refused(Problem::LogoTooLarge);
                        }
                        Err(_) => return refused(Problem::LogoFormat),
                    }
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return refused(Problem::LogoFormat),
        }
    }
    let checked = match logo::check(&bytes) {
        Ok(checked) => checked,
        Err(problem) => return refused(problem),
    };
    // The header looked right; the whole image must also decode and fit a PDF/A document, or
    // every invoice printed with it would fail.
    let probe = crate::documents::print::LogoPrint {
        format: if checked.mime == "image/png" {
            crate::documents::print::ImageFormat::Png
        } else {
            crate::documents::print::ImageFormat::Jpeg
        },
        width: checked.width as u32,
        height: checked.height as u32,
        bytes,
    };
    let renders = tokio::task::spawn_blocking(move || {
        let ok = crate::documents::pdf::logo_renders(&probe);
        (ok, probe.bytes)
    })
    .await;
    let bytes = match renders {
        Ok((true, bytes)) => bytes,
        Ok((false, _)) => return refused(Problem::LogoFormat),
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let org = caller.user.organisation_id;
    match db::store_logo(&state.pool, org, &checked, &bytes).await {
        Ok(()) => {
            tracing::info!(organisation = org, sha256 = %checked.sha256, "seller logo changed");
            flash::success_in(&session, &headers, |locale| {
                td_string!(locale, invoicing.logo_saved_ok)
            })
            .await;
            Redirect::to(COMPANY_PAGE).into_response()
        }
        Err(AppError::Invalid(list)) => {
            refused(list.first().map_or(Problem::LogoFormat, |p| p.problem))
        }
        Err(err) => {
            tracing::error!(error = %err, "logo upload failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// A logo of the caller's organisation by its hash; the URL changes with the image, so it can be
/// cached for good.
pub async fn serve(
    State(state): State<ServerState>,
    caller: Option<Extension<Caller>>,
    Path(sha256): Path<String>,
) -> Response {
    let Some(caller) = accountant(caller) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    match db::logo_bytes(&state.pool, caller.user.organisation_id, &sha256).await {
        Ok(Some((mime, bytes))) => (
            [
                (header::CONTENT_TYPE, mime),
                (
                    header::CACHE_CONTROL,
                    "private, max-age=31536000, immutable".to_owned(),
                ),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(error = %err, "logo read failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
