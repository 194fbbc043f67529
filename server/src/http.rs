//! The HTTP stack: security headers, tracing with request ids, timeouts, compression, the
//! same-origin guard, sessions in PostgreSQL, the caller gate, then Leptos pages and server
//! functions.

use app::alerts::http::confirm_submit;
use app::auth::http::{
    login_submit, logout, require_sign_in, same_origin_guard, session_gate, set_locale,
};
use app::counters;
use app::documents;
use app::invoicing;
use app::maintenance::http::{bypass, maintenance_gate};
use app::state::ServerState;
use app::{App, shell};
use axum::extract::{DefaultBodyLimit, FromRef, State};
use axum::http::{HeaderName, HeaderValue, Request, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router, middleware};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::path::PathBuf;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

#[derive(Clone)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub server: ServerState,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl FromRef<AppState> for ServerState {
    fn from_ref(state: &AppState) -> Self {
        state.server.clone()
    }
}

pub struct HttpOptions {
    pub secure_cookies: bool,
}

pub const SESSION_COOKIE: &str = "comptoir_session";

pub fn session_store(pool: &sqlx::PgPool) -> PostgresStore {
    PostgresStore::new(pool.clone())
}

/// The app's routes, listed once per process. Listing them renders the app with resource
/// loading switched off through a process-wide flag, so a page rendering at that moment on
/// another router of the same process (the integration tests spawn one per test) would wait
/// forever for its resources (leptos issue 4773): that made pages hang 30 s in tests.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState, options: HttpOptions) -> Router {
    let leptos_options = state.leptos.clone();
    let routes = route_list();
    let server_state = state.server.clone();
    let idle = time::Duration::seconds(state.server.sessions.idle.num_seconds());
    let sessions = SessionManagerLayer::new(session_store(&state.server.pool))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(options.secure_cookies)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(idle));

    let pages = Router::new()
        .route("/login", post(login_submit))
        .route("/logout", post(logout))
        .route("/locale", post(set_locale))
        .route("/alertes/confirmer", post(confirm_submit))
        .route("/maintenance/acces/{secret}", get(bypass))
        .route(
            "/facturation/entreprise/logo",
            post(invoicing::http::upload),
        )
        .route("/facturation/logos/{sha256}", get(invoicing::http::serve))
        .route(
            counters::paths::IMPORT_PATH,
            post(counters::http::upload)
                .layer(DefaultBodyLimit::max(counters::http::MAX_UPLOAD_BYTES)),
        )
        .route(counters::paths::EXPORT_PATH, get(counters::http::export))
        .route("/facturation/documents/{id}/pdf", get(documents::http::pdf))
        .route(
            "/facturation/documents/{id}/facturx",
            get(documents::http::facturx),
        )
        .route(
            "/facturation/documents/{id}/factur-x.xml",
            get(documents::http::facturx_xml),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(server_state.clone()),
            {
                let leptos_options = leptos_options.clone();
                move || shell(leptos_options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(server_fn_error_status))
        .layer(middleware::from_fn(require_sign_in))
        .layer(middleware::from_fn_with_state(
            state.server.clone(),
            maintenance_gate,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), session_gate))
        // Inside the session layer: it keeps a refused form's input in the session.
        .layer(middleware::from_fn_with_state(
            app::features::kept_input(),
            app::ui::posted::keep_refused_input,
        ))
        // Outside it: a server function's body is read whole first, and refused when too large
        // or unreadable (400/413 rather than server_fn's 500).
        .layer(middleware::from_fn(
            app::ui::request_body::guard_server_fn_bodies,
        ))
        .layer(sessions)
        .layer(middleware::from_fn(same_origin_guard));

    let site_root = PathBuf::from(leptos_options.site_root.as_ref());
    let pkg_dir = site_root.join(leptos_options.site_pkg_dir.as_ref());
    let assets = Router::new()
        .nest_service(
            &format!("/{}", leptos_options.site_pkg_dir),
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300, must-revalidate"),
        ));

    // Machine access: a bearer token, no session, no cookie, so no CSRF exposure. Maintenance
    // answers it in JSON like any API route.
    let api = Router::new()
        .route(
            "/api/v1/counts",
            // Reads its body itself, after the token, up to `MAX_BODY_BYTES`.
            post(counters::api::post_counts),
        )
        .route("/api/v1/openapi.json", get(counters::api::openapi))
        .layer(middleware::from_fn_with_state(
            state.server.clone(),
            maintenance_gate,
        ));

    let health = Router::new()
        .route("/health/live", get(|| async { "ok" }))
        .route("/health/ready", get(ready));

    let request_id = HeaderName::from_static("x-request-id");
    let mut headers = vec![
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        ),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    ];
    if options.secure_cookies {
        headers.push((
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=63072000; includeSubDomains",
        ));
    }
    let mut app = Router::new()
        .merge(assets)
        .merge(health)
        .merge(api)
        .merge(pages)
        .with_state(state);
    for (name, value) in headers {
        // Pages set their own Content-Security-Policy (with the hydration nonce); keep it.
        app = app.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    // Every 5xx is logged at ERROR, but the maintenance gate's planned 503s (logged by the gate,
    // once per window).
    let trace = TraceLayer::new(crate::http_trace::ServerErrorsButMaintenance::make_classifier());
    app.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
            .layer(
                trace.make_span_with(|req: &Request<_>| {
                    let id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("http", method = %req.method(), path = %app::maintenance::http::path_for_logs(req.uri().path()), request_id = %id)
                }),
            )
            .layer(PropagateRequestIdLayer::new(request_id))
            .layer(middleware::from_fn(request_timeout))
            .layer(CompressionLayer::new()),
    )
}

/// 30 s for every request but the CSV import, which streams files of millions of lines.
async fn request_timeout(
    req: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let limit = if req.uri().path() == counters::paths::IMPORT_PATH {
        Duration::from_secs(15 * 60)
    } else {
        Duration::from_secs(30)
    };
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

/// Server functions answer every error with 500; give each error its proper status (400 for a
/// malformed call, 422 for invalid input, 404, 401, 403) so clients, logs and metrics can tell
/// them apart.
async fn server_fn_error_status(
    req: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let resp = next.run(req).await;
    if resp.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !resp.headers().contains_key("serverfnerror")
    {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "erreur interne").into_response();
    };
    if let Ok(err) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status = match err {
            app::error::AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            app::error::AppError::NotFound => StatusCode::NOT_FOUND,
            app::error::AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            app::error::AppError::Forbidden => StatusCode::FORBIDDEN,
            app::error::AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            app::error::AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            app::error::AppError::Internal | app::error::AppError::Transport(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}

async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    match sqlx::query_scalar::<_, i32>("SELECT 1")
        .fetch_one(&state.server.pool)
        .await
    {
        Ok(_) => (
            StatusCode::OK,
            Json(serde_json::json!({"status": "ok", "database": "ok"})),
        ),
        Err(err) => {
            tracing::error!(error = %err, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({"status": "unavailable", "database": "unreachable"})),
            )
        }
    }
}

/// Removes pre-compressed copies (`.br`, `.gz`) older than the file they compress, so a rebuild
/// without `scripts/build.sh` (e.g. `cargo leptos watch`) never serves a stale bundle.
pub fn discard_stale_precompressed(pkg_dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(pkg_dir) else {
        return;
    };
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        if ext != "br" && ext != "gz" {
            continue;
        }
        let source = path.with_extension("");
        let stale = match (modified(&path), modified(&source)) {
            (Some(copy), Some(original)) => copy < original,
            (_, None) => true,
            _ => false,
        };
        if stale && std::fs::remove_file(&path).is_ok() {
            tracing::info!(file = %path.display(), "removed a stale pre-compressed file");
        }
    }
}
