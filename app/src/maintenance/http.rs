//! The maintenance gate (between the session lookup and the sign-in check, so it knows whether
//! the caller is an admin) and the testers' bypass link.

use super::rules::{Gate, Window, gate_at, retry_after_secs};
use crate::auth::guard::Caller;
use crate::auth::types::Role;
use crate::format::paris_time;
use crate::state::ServerState;
use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;

/// Marks a response as the maintenance gate's planned 503 (a response extension, never sent),
/// so the HTTP trace layer does not log it as a server error: the gate logs the window once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaintenanceAnswer;

pub const BYPASS_COOKIE: &str = "comptoir_maintenance";
pub const BYPASS_PREFIX: &str = "/maintenance/acces/";

/// Paths that stay reachable during maintenance: signing in (admins keep working), the
/// language switch, the bypass link and static files.
fn always_open(path: &str) -> bool {
    matches!(
        path,
        "/login" | "/logout" | "/locale" | "/favicon.svg" | "/favicon.ico" | "/robots.txt"
    ) || path.starts_with(BYPASS_PREFIX)
        || path.starts_with("/pkg/")
}

/// Equal secrets, compared in constant time (a plain `==` would leak the matching prefix
/// length through timing; the secret is short, so a hand-written fold is enough).
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn bypass_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == BYPASS_COOKIE)
        .map(|(_, value)| value.to_owned())
}

pub async fn maintenance_gate(
    State(state): State<ServerState>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if always_open(path) {
        return next.run(req).await;
    }
    let windows = state.maintenance.windows(&state.pool).await;
    let now = Utc::now();
    let Gate::Closed { window, until } = gate_at(&windows, now, state.maintenance.notice) else {
        state.maintenance.refusals.open();
        return next.run(req).await;
    };
    let is_admin = req
        .extensions()
        .get::<Caller>()
        .is_some_and(|c| c.user.role == Role::Admin);
    let has_bypass = bypass_cookie(req.headers()).is_some_and(|secret| {
        windows
            .iter()
            .any(|w| w.contains(now) && same_secret(&w.bypass_secret, &secret))
    });
    if is_admin || has_bypass {
        return next.run(req).await;
    }
    let retry = retry_after_secs(until, now);
    let mut resp = if path.starts_with("/api/") {
        Json(serde_json::json!({
            "error": "maintenance",
            "message": format!("Service en maintenance. Retour prévu le {}.", paris_time(until)),
            "retry_after": retry,
            "ends_at": until.to_rfc3339(),
        }))
        .into_response()
    } else {
        maintenance_page(window, until).into_response()
    };
    *resp.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    resp.extensions_mut().insert(MaintenanceAnswer);
    state.maintenance.refusals.refused(window.id, until);
    let headers = resp.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&retry.to_string()) {
        headers.insert(header::RETRY_AFTER, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// A static French page: no script, the site's stylesheet only.
fn maintenance_page(window: &Window, until: chrono::DateTime<Utc>) -> Response {
    let message = if window.message.trim().is_empty() {
        "Nous améliorons Comptoir. Merci de votre patience.".to_owned()
    } else {
        html_escape::encode_text(window.message.trim()).replace('\n', "<br>")
    };
    let when = paris_time(until);
    let body = format!(
        r#"<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Maintenance en cours · Comptoir</title>
<link rel="stylesheet" href="/pkg/comptoir.css">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
</head>
<body>
<main class="maintenance-page">
<section class="panel maintenance-panel" aria-labelledby="maintenance-title">
<p class="login-brand brand"><span class="brand-mark" aria-hidden="true">C</span><span>Comptoir</span></p>
<h1 id="maintenance-title">Maintenance en cours</h1>
<p>{message}</p>
<p class="maintenance-return">Retour prévu le <strong><time datetime="{iso}">{when}</time></strong> (heure de Paris).</p>
<p class="muted">Cette page ne se met pas à jour toute seule : rechargez-la après cette heure.</p>
<p><a href="/login">Connexion administrateur</a></p>
</section>
</main>
</body>
</html>"#,
        iso = until.to_rfc3339(),
    );
    let mut resp = Html(body).into_response();
    resp.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; \
             form-action 'self'; frame-ancestors 'none'",
        ),
    );
    resp
}

/// The path as it may be logged: a bypass link's secret is replaced, since anyone reading the
/// logs could otherwise get through a maintenance window.
pub fn path_for_logs(path: &str) -> std::borrow::Cow<'_, str> {
    if path.starts_with(BYPASS_PREFIX) {
        std::borrow::Cow::Owned(format!("{BYPASS_PREFIX}…"))
    } else {
        std::borrow::Cow::Borrowed(path)
    }
}

/// The bypass cookie, `Secure` when the site is served over HTTPS.
fn bypass_cookie_header(secret: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{BYPASS_COOKIE}={secret}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}")
}

/// `GET /maintenance/acces/<secret>`: testers get a cookie that lets them through while that
/// window lasts. An unknown or ended secret just leads home. The windows come from the cache
/// (a few seconds old at most), so anonymous guesses cost no database work.
pub async fn bypass(State(state): State<ServerState>, Path(secret): Path<String>) -> Response {
    let windows = state.maintenance.windows(&state.pool).await;
    let now = Utc::now();
    let Some(window) = windows
        .iter()
        .find(|w| w.ends_at > now && same_secret(&w.bypass_secret, &secret))
    else {
        return Redirect::to("/").into_response();
    };
    let max_age = (window.ends_at - now).num_seconds().max(1);
    let cookie = bypass_cookie_header(&window.bypass_secret, max_age, state.secure_cookies);
    let mut resp = Redirect::to("/").into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().insert(header::SET_COOKIE, value);
    }
    tracing::info!(window = window.id, "maintenance bypass cookie issued");
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
    }

    #[test]
    fn bypass_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "comptoir_session=x; comptoir_maintenance=s3cret; i18n_pref_locale=fr"
                .parse()
                .unwrap(),
        );
        assert_eq!(bypass_cookie(&h).as_deref(), Some("s3cret"));
    }

    #[test]
    fn the_secret_stays_out_of_logs_and_the_cookie_is_secure_over_https() {
        assert_eq!(
            path_for_logs("/maintenance/acces/s3cret"),
            "/maintenance/acces/…"
        );
        assert_eq!(path_for_logs("/facturation"), "/facturation");
        assert!(bypass_cookie_header("s3cret", 60, true).ends_with("; Secure"));
        assert!(!bypass_cookie_header("s3cret", 60, false).contains("Secure"));
    }

    #[test]
    fn sign_in_stays_open() {
        assert!(always_open("/login"));
        assert!(always_open("/maintenance/acces/abc"));
        assert!(!always_open("/"));
        assert!(!always_open("/api/list_accounts"));
    }
}
