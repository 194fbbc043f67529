//! HTTP plumbing of authentication: the login and logout form handlers (plain form posts, so they
//! work before hydration and without JavaScript), the session middleware that resolves the caller,
//! and the same-origin check that protects every state-changing request.

use super::db;
use super::guard::Caller;
use super::password;
use super::rules;
use super::types::Email;
use crate::state::ServerState;
use crate::ui::posted::PostedForm;
use crate::ui::url::encode_query_value;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use chrono::Utc;
use serde::Deserialize;
use std::net::SocketAddr;
use tower_sessions::Session;

const USER_ID: &str = "auth.account_id";
const LOGGED_IN_AT: &str = "auth.logged_in_at";
const SEEN_AT: &str = "auth.seen_at";
/// Idle expiry only moves when the session is written; refresh it at most once a minute.
const SEEN_REFRESH_SECS: i64 = 60;

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub next: String,
}

/// Why a login was refused; the login page renders it from the query string.
enum Refusal {
    Missing,
    Credentials,
    Disabled,
    Throttled(chrono::DateTime<Utc>),
    Unavailable,
    /// Too many sign-ins being checked at once: try again in a few seconds.
    Busy,
}

impl Refusal {
    /// Back to the login page with the reason (and the retry time, Europe/Paris) and `next`;
    /// the e-mail address typed is kept for the form (never the password).
    async fn redirect(self, session: &Session, form: &LoginForm) -> Response {
        // Nothing typed, nothing kept (and no session written for it).
        if !form.email.trim().is_empty() {
            let typed = PostedForm {
                path: "/login".into(),
                fields: vec![("email".into(), form.email.clone())],
            };
            crate::ui::posted::keep(session, &super::feature::SIGN_IN_KEPT, typed).await;
        }
        let next = form.next.as_str();
        let mut url = match self {
            Refusal::Missing => "/login?error=missing".to_owned(),
            Refusal::Credentials => "/login?error=credentials".to_owned(),
            Refusal::Disabled => "/login?error=disabled".to_owned(),
            Refusal::Unavailable => "/login?error=unavailable".to_owned(),
            Refusal::Busy => "/login?error=busy".to_owned(),
            Refusal::Throttled(until) => format!(
                "/login?error=throttled&retry={}",
                until
                    .with_timezone(&chrono_tz::Europe::Paris)
                    .format("%H:%M")
            ),
        };
        if let Some(next) = local_target(next) {
            url.push_str("&next=");
            url.push_str(&encode_query_value(&next));
        }
        Redirect::to(&url).into_response()
    }
}

pub async fn login_submit(
    State(state): State<ServerState>,
    session: Session,
    request_headers: HeaderMap,
    connect: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    Form(mut form): Form<LoginForm>,
) -> Response {
    let ip = client_ip(
        &request_headers,
        connect.map(|c| c.0.0),
        state.trust_forwarded_for,
    );
    let login = form.email.trim().to_lowercase();
    if login.is_empty() || form.password.is_empty() {
        return Refusal::Missing.redirect(&session, &form).await;
    }
    // PostgreSQL stores no NUL in text, and no account has one: refused before any recording.
    if login.contains('\0') || form.password.contains('\0') {
        form.email.retain(|c| c != '\0');
        return Refusal::Credentials.redirect(&session, &form).await;
    }
    // The attempt is taken before any password is checked, and a sign-in that cannot be
    // counted is refused: a burst is checked one by one up to the limit, never past it.
    let attempt = match db::reserve_attempt(&state.pool, &login, &ip).await {
        Ok(db::Reservation::Granted(attempt)) => attempt,
        Ok(db::Reservation::Locked(until)) => {
            return Refusal::Throttled(until).redirect(&session, &form).await;
        }
        Ok(db::Reservation::Busy) => return Refusal::Busy.redirect(&session, &form).await,
        Err(err) => {
            tracing::error!(error = %err, "recording a sign-in attempt failed");
            return Refusal::Unavailable.redirect(&session, &form).await;
        }
    };
    let typed_password = std::mem::take(&mut form.password);
    // No account has a longer login or password: refused without the cost of a hash.
    let plausible = login.chars().count() <= rules::MAX_LOGIN_CHARS
        && typed_password.chars().count() <= rules::MAX_PASSWORD_CHARS;
    let record = match Email::parse(&login) {
        Ok(email) if plausible => db::find_login(&state.pool, email.as_str()).await,
        _ => Ok(None),
    };
    let record = match record {
        Ok(r) => r,
        Err(err) => {
            tracing::error!(error = %err, "account lookup failed");
            return Refusal::Unavailable.redirect(&session, &form).await;
        }
    };
    let verdict = if plausible {
        let stored = record
            .as_ref()
            .map(|r| r.password_hash.clone())
            .unwrap_or_else(|| password::decoy_hash().to_owned());
        password::verify_sign_in(typed_password, stored).await
    } else {
        password::Verdict::Differs
    };
    if verdict == password::Verdict::Busy {
        if let Err(err) = db::release_attempt(&state.pool, attempt).await {
            tracing::error!(error = %err, "releasing an unchecked sign-in attempt failed");
        }
        tracing::warn!(%ip, "sign-in refused: every password-hashing slot busy");
        return Refusal::Busy.redirect(&session, &form).await;
    }
    let Some(account) = record.filter(|_| verdict == password::Verdict::Matches) else {
        tracing::info!(%ip, "login failed");
        return match db::conclude_failure(&state.pool, &login, &ip).await {
            Ok(Some(until)) => Refusal::Throttled(until).redirect(&session, &form).await,
            Ok(None) => Refusal::Credentials.redirect(&session, &form).await,
            Err(err) => {
                tracing::error!(error = %err, "recording a failed login failed");
                Refusal::Credentials.redirect(&session, &form).await
            }
        };
    };
    if account.disabled {
        return Refusal::Disabled.redirect(&session, &form).await;
    }
    if let Err(err) = db::record_success(&state.pool, &login, &ip).await {
        tracing::error!(error = %err, "recording a login failed");
    }
    let now = Utc::now().timestamp();
    let stored = async {
        session.cycle_id().await?;
        session.insert(USER_ID, account.id).await?;
        session.insert(LOGGED_IN_AT, now).await?;
        session.insert(SEEN_AT, now).await
    };
    if let Err(err) = stored.await {
        tracing::error!(error = %err, "session write failed");
        return Refusal::Unavailable.redirect(&session, &form).await;
    }
    tracing::info!(account = account.id, "login");
    let target = local_target(&form.next)
        .filter(|t| !t.starts_with("/login"))
        .unwrap_or_else(|| "/".to_owned());
    Redirect::to(&target).into_response()
}

pub async fn logout(session: Session) -> Response {
    if let Err(err) = session.flush().await {
        tracing::error!(error = %err, "session flush failed");
    }
    Redirect::to("/login?bye=1").into_response()
}

#[derive(Deserialize)]
pub struct LocaleForm {
    #[serde(default)]
    pub locale: String,
    #[serde(default)]
    pub back: String,
}

/// The cookie leptos_i18n reads to pick the language of server-rendered pages.
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

/// Language switch without JavaScript: remembers the choice for a year and goes back.
pub async fn set_locale(Form(form): Form<LocaleForm>) -> Response {
    let locale = match form.locale.as_str() {
        "fr" | "en" => form.locale.as_str(),
        _ => "fr",
    };
    let back = local_target(&form.back).unwrap_or_else(|| "/".to_owned());
    let cookie = format!("{LOCALE_COOKIE}={locale}; Path=/; Max-Age=31536000; SameSite=Lax");
    let mut resp = Redirect::to(&back).into_response();
    if let Ok(value) = header::HeaderValue::from_str(&cookie) {
        resp.headers_mut().insert(header::SET_COOKIE, value);
    }
    resp
}

/// Paths anyone may request without a session.
fn is_public(path: &str) -> bool {
    path == "/login"
        || path == "/locale"
        // The flash is the caller's own session's; a page that has just signed out (account
        // deletion, logout) may still ask for it on its way to the login page.
        || path == "/api/take_flash"
        || path.starts_with("/pkg/")
        || path.starts_with("/maintenance/acces/")
        || path.starts_with("/health")
        || path.starts_with("/api/v1/")
        || path == "/favicon.ico"
        || path == "/favicon.svg"
        || path == "/robots.txt"
}

/// Resolves the caller from the session (enforcing the absolute lifetime and account state) and
/// puts it into the request extensions. Signed-in users asking for the login page go home.
pub async fn session_gate(
    State(state): State<ServerState>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if path.starts_with("/pkg/") {
        return next.run(req).await;
    }
    match resolve_caller(&state, &session).await {
        Ok(Some(caller)) => {
            if path == "/login" && req.method() == Method::GET {
                return Redirect::to("/").into_response();
            }
            req.extensions_mut().insert(caller);
        }
        Ok(None) => {}
        Err(err) => {
            tracing::error!(error = %err, "session resolution failed");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "Service momentanément indisponible",
            )
                .into_response();
        }
    }
    next.run(req).await
}

/// Sends anonymous requests for private paths to the login page (401 for the API). Runs after
/// the maintenance gate, so during maintenance anonymous visitors get the maintenance page.
pub async fn require_sign_in(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if req.extensions().get::<Caller>().is_some() || is_public(path) {
        return next.run(req).await;
    }
    if path.starts_with("/api/") {
        return unauthorized();
    }
    let target = req
        .uri()
        .path_and_query()
        .map(|pq| pq.as_str())
        .unwrap_or("/");
    let url = if target == "/" {
        "/login".to_owned()
    } else {
        format!("/login?next={}", encode_query_value(target))
    };
    Redirect::to(&url).into_response()
}

async fn resolve_caller(
    state: &ServerState,
    session: &Session,
) -> Result<Option<Caller>, Box<dyn std::error::Error + Send + Sync>> {
    let Some(account_id) = session.get::<i64>(USER_ID).await? else {
        return Ok(None);
    };
    let now = Utc::now();
    let logged_in_at = session
        .get::<i64>(LOGGED_IN_AT)
        .await?
        .and_then(|ts| chrono::DateTime::from_timestamp(ts, 0));
    let expired = logged_in_at.is_none_or(|at| state.sessions.is_expired(at, now));
    let user = if expired {
        None
    } else {
        db::session_user(&state.pool, account_id).await?
    };
    let Some(user) = user else {
        session.flush().await?;
        return Ok(None);
    };
    let seen = session.get::<i64>(SEEN_AT).await?.unwrap_or(0);
    if now.timestamp() - seen >= SEEN_REFRESH_SECS {
        session.insert(SEEN_AT, now.timestamp()).await?;
    }
    Ok(Some(Caller { user }))
}

fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(serde_json::json!({
            "error": "unauthenticated",
            "message": "Authentification requise."
        })),
    )
        .into_response()
}

/// Refuses state-changing requests whose `Origin` (or, failing that, `Referer`) is not this
/// site. Token-authenticated machine routes (`/api/v1/`) carry no cookies and are exempt.
pub async fn same_origin_guard(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || req.uri().path().starts_with("/api/v1/") || is_same_origin(req.headers()) {
        next.run(req).await
    } else {
        tracing::warn!(path = %req.uri().path(), "cross-origin request refused");
        (
            StatusCode::FORBIDDEN,
            Json(serde_json::json!({
                "error": "cross_origin",
                "message": "Requête refusée : origine non autorisée."
            })),
        )
            .into_response()
    }
}

fn is_same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|h| h.to_str().ok());
    source
        .and_then(authority_of)
        .is_some_and(|authority| authority.eq_ignore_ascii_case(host))
}

/// `https://host:port/path` → `host:port`.
fn authority_of(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest))
}

pub fn client_ip(
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    trust_forwarded_for: bool,
) -> String {
    let forwarded = trust_forwarded_for
        .then(|| headers.get("x-forwarded-for").and_then(|h| h.to_str().ok()))
        .flatten()
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_owned())
        .filter(|v| v.parse::<std::net::IpAddr>().is_ok());
    forwarded
        .or_else(|| peer.map(|p| p.ip().to_string()))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// A redirect target given by the request (`next`, `back`), as a path of this site rebuilt from
/// its parsed form, or `None`. Browsers drop tabs and line breaks inside URLs and read `\\` as
/// `/`, so `/%09/evil.example` would lead to `//evil.example`: any control or space character
/// refuses the target, and the rest must parse, the way a browser does, to this origin.
pub fn local_target(raw: &str) -> Option<String> {
    if !raw.starts_with('/')
        || raw.starts_with("//")
        || raw
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return None;
    }
    let base = url::Url::parse("http://comptoir.invalid/").ok()?;
    let parsed = base.join(raw).ok()?;
    // `/a/..//evil.example` resolves to the path `//evil.example`, which a browser would
    // read as another host.
    if parsed.origin() != base.origin() || parsed.path().starts_with("//") {
        return None;
    }
    Some(match parsed.query() {
        Some(query) => format!("{}?{query}", parsed.path()),
        None => parsed.path().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_origin_needs_matching_origin_or_referer() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "127.0.0.1:3000".parse().unwrap());
        assert!(!is_same_origin(&h), "no origin, no referer");
        h.insert(
            header::REFERER,
            "http://127.0.0.1:3000/login".parse().unwrap(),
        );
        assert!(is_same_origin(&h));
        h.insert(header::ORIGIN, "http://evil.example".parse().unwrap());
        assert!(!is_same_origin(&h), "origin wins over referer");
    }

    #[test]
    fn only_local_redirects() {
        assert_eq!(
            local_target("/admin/comptes?x=1").as_deref(),
            Some("/admin/comptes?x=1")
        );
        assert_eq!(local_target("/compte").as_deref(), Some("/compte"));
        // Rebuilt: dot segments resolved, the fragment dropped, odd characters encoded.
        assert_eq!(local_target("/a/../compte#x").as_deref(), Some("/compte"));
        assert_eq!(local_target("/é?q=é").as_deref(), Some("/%C3%A9?q=%C3%A9"));
        for evil in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r//evil.example",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "/\u{a0}/evil.example",
            "",
            "compte",
            "javascript:alert(1)",
            "/a/..//evil.example",
            "/./\u{2f}/evil.example",
        ] {
            assert_eq!(local_target(evil), None, "{evil:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn a_target_never_leaves_the_site(raw in "/[ -~\\t\\n\\r\\\\/%.:@]{0,24}") {
            if let Some(target) = local_target(&raw) {
                proptest::prop_assert!(target.starts_with('/') && !target.starts_with("//"));
                let base = url::Url::parse("http://comptoir.invalid/").unwrap();
                let again = base.join(&target).unwrap();
                proptest::prop_assert_eq!(again.origin(), base.origin());
            }
        }
    }

    #[test]
    fn forwarded_for_only_when_trusted() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "203.0.113.9, 10.0.0.1".parse().unwrap());
        let peer: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        assert_eq!(client_ip(&h, Some(peer), false), "127.0.0.1");
        assert_eq!(client_ip(&h, Some(peer), true), "203.0.113.9");
    }
}
