//! The bodies of server-function calls, read once before anything else reads them. server_fn
//! answers a body over its 2 MiB limit, or one that is not UTF-8, with a 500 "Transport" error;
//! both are the caller's doing, so they are refused here the way server_fn refuses anything
//! else: 413 or 400 with the error in JSON for a script, and back to the form's page with the
//! error for a plain form.

use crate::error::AppError;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::Request;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::server_fn::error::{SERVER_FN_ERROR_HEADER, ServerFnUrlError};

/// What a server function reads of a body: axum's default limit, which server_fn applies too.
/// Larger than any form of the app; file uploads have their own routes and limits.
pub const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

/// Whether reading a body stopped at its size limit (rather than failing).
pub fn is_length_limit(err: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = e.source();
    }
    false
}

/// Why a server function's body is refused before the function runs, or `None` when it can be
/// read: UTF-8 text whose fields hold no NUL character (PostgreSQL stores no NUL in text, and
/// no form of the app sends one).
pub fn body_refusal(bytes: &[u8]) -> Option<AppError> {
    if let Err(err) = std::str::from_utf8(bytes) {
        return Some(AppError::BadRequest(format!(
            "corps illisible : pas de l'UTF-8 (octet {})",
            err.valid_up_to()
        )));
    }
    let nul = url::form_urlencoded::parse(bytes)
        .find(|(name, value)| name.contains('\0') || value.contains('\0'));
    nul.map(|(name, _)| {
        AppError::BadRequest(format!(
            "caractère nul dans le champ « {} »",
            name.replace('\0', "")
        ))
    })
}

/// A query string whose decoded names or values hold a NUL (pages pass their filters to the
/// database while they render).
fn query_holds_nul(query: &str) -> bool {
    url::form_urlencoded::parse(query.as_bytes())
        .any(|(name, value)| name.contains('\0') || value.contains('\0'))
}

/// Middleware around the server functions (`/api/`, but not the machines' `/api/v1/`).
pub async fn guard_server_fn_bodies(req: Request, next: Next) -> Response {
    if req.uri().query().is_some_and(query_holds_nul) {
        let (parts, _) = req.into_parts();
        let err = AppError::BadRequest("caractère nul dans l'adresse".to_owned());
        return refused(&parts, StatusCode::BAD_REQUEST, &err);
    }
    let path = req.uri().path();
    if req.method() != Method::POST || !path.starts_with("/api/") || path.starts_with("/api/v1/") {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let refusal = match to_bytes(body, MAX_FORM_BYTES).await {
        Ok(bytes) => match body_refusal(&bytes) {
            None => {
                return next
                    .run(Request::from_parts(parts, Body::from(bytes)))
                    .await;
            }
            Some(err) => (StatusCode::BAD_REQUEST, err),
        },
        Err(err) if is_length_limit(&err) => (
            StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooLarge(format!("{} Mio au plus", MAX_FORM_BYTES / (1024 * 1024))),
        ),
        Err(err) => (
            StatusCode::BAD_REQUEST,
            AppError::BadRequest(format!("corps illisible ({err})")),
        ),
    };
    tracing::info!(path = %parts.uri.path(), status = %refusal.0, "server function call refused");
    refused(&parts, refusal.0, &refusal.1)
}

/// A refusal in server_fn's own shapes: a plain form (it accepts HTML) goes back to its page
/// with the error in the URL (`__path`, `__err`), where the form shows it; a script gets the
/// status with the error in JSON.
fn refused(parts: &Parts, status: StatusCode, err: &AppError) -> Response {
    let path = parts.uri.path();
    let header_text = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let wants_page = header_text(header::ACCEPT).is_some_and(|a| a.contains("text/html"));
    if let Some(mut back) = header_text(header::REFERER)
        .filter(|_| wants_page)
        .map(str::to_owned)
    {
        ServerFnUrlError::<AppError>::strip_error_info(&mut back);
        if let Ok(url) = ServerFnUrlError::new(path, err.clone()).to_url(&back) {
            return (StatusCode::FOUND, [(header::LOCATION, url.to_string())]).into_response();
        }
    }
    let body = serde_json::to_string(err).unwrap_or_default();
    let mut resp = (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        Bytes::from(body),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(path) {
        resp.headers_mut().insert(SERVER_FN_ERROR_HEADER, value);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_that_are_not_utf8_or_hold_a_nul_are_refused() {
        assert_eq!(body_refusal(b"name=Bash&slug=bash"), None);
        assert_eq!(body_refusal(b"name=%C3%A9t%C3%A9"), None);
        assert!(matches!(
            body_refusal(b"name=\xff"),
            Some(AppError::BadRequest(_))
        ));
        assert!(matches!(
            body_refusal(b"name=a%00b"),
            Some(AppError::BadRequest(_))
        ));
        // Percent-encoded bytes that are not UTF-8 decode lossily: no NUL, so they pass here.
        assert_eq!(body_refusal(b"name=%FF"), None);
    }

    #[test]
    fn a_nul_in_the_query_string_is_found() {
        assert!(query_holds_nul("q=a%00b"));
        assert!(query_holds_nul("q%00=1"));
        assert!(!query_holds_nul("q=%C3%A9t%C3%A9&page=2"));
    }
}
