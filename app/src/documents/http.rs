//! Document downloads as plain GET links (they work without JavaScript and open in the
//! browser's PDF viewer): the PDF, the copy with payments, the Factur-X file and its XML.

use super::{Variant, db};
use crate::auth::guard::Caller;
use crate::auth::types::Role;
use crate::error::{AppError, Problem};
use crate::i18n::Locale;
use crate::state::ServerState;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct FileQuery {
    #[serde(default)]
    inline: Option<String>,
    #[serde(default)]
    reglements: Option<String>,
}

fn flag(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|v| v == "1" || v == "true")
}

fn accountant(caller: Option<Extension<Caller>>) -> Option<Caller> {
    caller
        .map(|Extension(c)| c)
        .filter(|c| matches!(c.user.role, Role::Admin | Role::Accountant))
}

fn refusal(err: AppError) -> Response {
    let status = match &err {
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Invalid(list)
            if list
                .iter()
                .any(|p| p.problem == Problem::DocumentSealBroken) =>
        {
            StatusCode::INTERNAL_SERVER_ERROR
        }
        AppError::Invalid(_) => StatusCode::CONFLICT,
        AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
        AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::Internal | AppError::Transport(_) => StatusCode::SERVICE_UNAVAILABLE,
    };
    let text = match &err {
        AppError::Invalid(list) => list
            .iter()
            .map(|p| crate::ui::messages::problem_text_in(Locale::fr, p.problem))
            .collect::<Vec<_>>()
            .join(" "),
        AppError::NotFound => "Document introuvable.".to_owned(),
        AppError::Forbidden => "Accès refusé.".to_owned(),
        _ => "Le document n'a pas pu être produit ; réessayez dans un instant.".to_owned(),
    };
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

fn disposition(inline: bool, name: &str) -> HeaderValue {
    // Our file names are ASCII (titles, numbers, digits), so no RFC 5987 encoding is needed.
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let kind = if inline { "inline" } else { "attachment" };
    HeaderValue::from_str(&format!("{kind}; filename=\"{safe}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

async fn file(
    state: &ServerState,
    caller: Option<Extension<Caller>>,
    id: i64,
    variant: Variant,
) -> Result<db::Rendered, AppError> {
    let caller = accountant(caller).ok_or(AppError::Forbidden)?;
    let org = caller.user.organisation_id;
    // The connection goes back to the pool while the PDF is drawn.
    let doc = {
        let mut conn = state.pool.acquire().await?;
        db::prepare(&mut conn, org, id, variant, chrono::Utc::now()).await?
    };
    let rendered = db::render_blocking(doc, variant).await?;
    let mut conn = state.pool.acquire().await?;
    db::check_seal(&mut conn, org, variant, &rendered).await?;
    Ok(rendered)
}

pub async fn pdf(
    State(state): State<ServerState>,
    caller: Option<Extension<Caller>>,
    Path(id): Path<i64>,
    Query(q): Query<FileQuery>,
) -> Response {
    let variant = if flag(&q.reglements) {
        Variant::Situation
    } else {
        Variant::Pdf
    };
    deliver(file(&state, caller, id, variant).await, flag(&q.inline))
}

pub async fn facturx(
    State(state): State<ServerState>,
    caller: Option<Extension<Caller>>,
    Path(id): Path<i64>,
    Query(q): Query<FileQuery>,
) -> Response {
    deliver(
        file(&state, caller, id, Variant::FacturX).await,
        flag(&q.inline),
    )
}

/// The CII XML alone, as embedded in the Factur-X file.
pub async fn facturx_xml(
    State(state): State<ServerState>,
    caller: Option<Extension<Caller>>,
    Path(id): Path<i64>,
) -> Response {
    match file(&state, caller, id, Variant::FacturX).await {
        Ok(rendered) => {
            let name = rendered.file_name.replace("-facturx.pdf", "-factur-x.xml");
            (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/xml; charset=utf-8"),
                    ),
                    (header::CONTENT_DISPOSITION, disposition(false, &name)),
                ],
                rendered.xml.unwrap_or_default(),
            )
                .into_response()
        }
        Err(err) => refusal(err),
    }
}

fn deliver(result: Result<db::Rendered, AppError>, inline: bool) -> Response {
    match result {
        Ok(rendered) => {
            let etag = HeaderValue::from_str(&format!("\"{}\"", rendered.sha256))
                .unwrap_or_else(|_| HeaderValue::from_static("\"\""));
            (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/pdf"),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        disposition(inline, &rendered.file_name),
                    ),
                    (
                        header::CACHE_CONTROL,
                        HeaderValue::from_static("private, no-cache"),
                    ),
                    (header::ETAG, etag),
                ],
                rendered.bytes,
            )
                .into_response()
        }
        Err(err) => refusal(err),
    }
}
