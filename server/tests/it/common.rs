//! Spawns the real HTTP stack on an ephemeral port against the test's own database.

use app::auth::password;
use app::auth::rules::SessionPolicy;
use app::state::ServerState;
use comptoir_server::http::{AppState, HttpOptions, router};
use leptos::config::LeptosOptions;
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use sqlx::PgPool;
use std::net::SocketAddr;

pub const PASSWORD: &str = "mot-de-passe-test";

/// `TEST_LOG=<filter>` (e.g. `TEST_LOG=debug`) shows the server's logs with a failing test's
/// output.
fn log_if_asked() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if let Ok(filter) = std::env::var("TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        }
    });
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub pool: PgPool,
}

pub struct Fixture {
    pub org_a: i64,
    pub org_b: i64,
    pub admin: i64,
    pub accountant_a: i64,
    pub viewer_a: i64,
    pub accountant_b: i64,
    pub viewer_b: i64,
}

/// E-mails written to a file outbox of this test process.
fn outbox_mail() -> app::documents::mail::MailSettings {
    app::documents::mail::MailSettings {
        smtp: None,
        outbox: std::env::temp_dir().join(format!("comptoir-it-outbox-{}", std::process::id())),
        from: "Comptoir <factures@comptoir.test>".to_owned(),
    }
}

impl TestApp {
    pub async fn spawn(pool: PgPool) -> Self {
        Self::spawn_with(pool, SessionPolicy::default()).await
    }

    pub async fn spawn_with(pool: PgPool, sessions: SessionPolicy) -> Self {
        Self::spawn_full(pool, sessions, outbox_mail()).await
    }

    pub async fn spawn_full(
        pool: PgPool,
        sessions: SessionPolicy,
        mail: app::documents::mail::MailSettings,
    ) -> Self {
        // No cache: tests change windows in the database and expect the next request to see them.
        Self::start(pool, sessions, mail, std::time::Duration::ZERO).await
    }

    /// With the maintenance notice cached, as `comptoir serve` does between two lookups, so a
    /// page's layout can find all its data loaded at once (the server then builds the page's
    /// body twice). Cached for the whole test, not the 5 s of `serve`.
    pub async fn spawn_as_served(pool: PgPool) -> Self {
        let ttl = std::time::Duration::from_secs(3600);
        Self::start(pool, SessionPolicy::default(), outbox_mail(), ttl).await
    }

    async fn start(
        pool: PgPool,
        sessions: SessionPolicy,
        mail: app::documents::mail::MailSettings,
        maintenance_ttl: std::time::Duration,
    ) -> Self {
        log_if_asked();
        let mailer = app::documents::mail::Mailer::new(&mail).expect("mailer");
        let leptos = LeptosOptions::builder().output_name("comptoir").build();
        let state = AppState {
            leptos,
            server: ServerState {
                mailer: std::sync::Arc::new(mailer),
                pool: pool.clone(),
                sessions,
                trust_forwarded_for: true,
                secure_cookies: false,
                maintenance: app::maintenance::cache::MaintenanceCache::new(
                    maintenance_ttl,
                    chrono::Duration::hours(24),
                ),
            },
        };
        let app = router(
            state,
            HttpOptions {
                secure_cookies: false,
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .expect("server");
        });
        TestApp { addr, pool }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A browser-like client: keeps cookies, does not follow redirects, sends our Origin.
    pub fn client(&self) -> Client {
        Self::client_from(&self.origin(), None)
    }

    pub fn client_from(origin: &str, forwarded_for: Option<&str>) -> Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::ORIGIN, origin.parse().expect("origin"));
        if let Some(ip) = forwarded_for {
            headers.insert("x-forwarded-for", ip.parse().expect("ip"));
        }
        Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .default_headers(headers)
            .build()
            .expect("client")
    }

    pub async fn login_with(&self, client: &Client, email: &str, password: &str) -> Response {
        client
            .post(self.url("/login"))
            .form(&[("email", email), ("password", password), ("next", "")])
            .send()
            .await
            .expect("login request")
    }

    /// Signs in and returns the client holding the session.
    pub async fn signed_in(&self, email: &str) -> Client {
        let client = self.client();
        let resp = self.login_with(&client, email, PASSWORD).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "login of {email}");
        assert_eq!(location(&resp), "/", "login of {email}");
        client
    }

    /// The HTML of a page, as this client sees it.
    pub async fn page(&self, client: &Client, path: &str) -> String {
        client
            .get(self.url(path))
            .send()
            .await
            .expect("page request")
            .text()
            .await
            .expect("page body")
    }

    /// Calls a server function the way the browser does (form-encoded POST).
    pub async fn call(&self, client: &Client, endpoint: &str, args: &[(&str, &str)]) -> Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("accept", "application/json")
            .form(args)
            .send()
            .await
            .expect("server fn request")
    }

    pub async fn fixture(&self) -> Fixture {
        let hash = password::hash(PASSWORD).expect("hash");
        let org = |slug: &'static str, name: &'static str, agency: bool| {
            let pool = self.pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>(
                    "INSERT INTO organisations (slug, name, is_agency) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(slug)
                .bind(name)
                .bind(agency)
                .fetch_one(&pool)
                .await
                .expect("organisation")
            }
        };
        let agency = org("agence", "Agence", true).await;
        let org_a = org("org-a", "Organisation A", false).await;
        let org_b = org("org-b", "Organisation B", false).await;
        let account = |org: i64, email: &'static str, role: &'static str| {
            let pool = self.pool.clone();
            let hash = hash.clone();
            async move {
                sqlx::query_scalar::<_, i64>(
                    "INSERT INTO accounts (organisation_id, email, display_name, role, password_hash)
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(org)
                .bind(email)
                .bind(format!("Nom {email}"))
                .bind(role)
                .bind(hash)
                .fetch_one(&pool)
                .await
                .expect("account")
            }
        };
        Fixture {
            org_a,
            org_b,
            admin: account(agency, "admin@agence.test", "admin").await,
            accountant_a: account(org_a, "compta@a.test", "accountant").await,
            viewer_a: account(org_a, "lecteur@a.test", "viewer").await,
            accountant_b: account(org_b, "compta@b.test", "accountant").await,
            viewer_b: account(org_b, "lecteur@b.test", "viewer").await,
        }
    }
}

pub fn location(resp: &Response) -> String {
    resp.headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

pub fn set_cookie(resp: &Response) -> String {
    resp.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Posts a form as a browser without JavaScript does (HTML accepted, the page as referer).
pub async fn post_form<F: serde::Serialize + ?Sized>(
    app: &TestApp,
    client: &Client,
    endpoint: &str,
    page: &str,
    form: &F,
) -> Response {
    client
        .post(app.url(&format!("/api/{endpoint}")))
        .header("accept", "text/html,application/xhtml+xml")
        .header("referer", app.url(page))
        .form(form)
        .send()
        .await
        .unwrap()
}

/// The log lines of the test's thread, where `#[sqlx::test]`'s runtime runs the server too: a
/// subscriber set for this thread only (`tracing::subscriber::set_default`), so tests running in
/// parallel do not mix their lines.
#[derive(Clone, Default)]
pub struct CapturedLog(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for CapturedLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl CapturedLog {
    /// Captures this thread's lines at `level` and above until the guard is dropped.
    pub fn capture(&self, level: tracing::Level) -> tracing::subscriber::DefaultGuard {
        let log = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_max_level(level)
            .with_writer(move || log.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    pub fn text(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(|e| e.into_inner());
        String::from_utf8_lossy(&bytes).into_owned()
    }
}
