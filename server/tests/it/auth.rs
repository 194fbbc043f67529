//! Login, throttling, sessions, logout, the same-origin guard and security headers, against a
//! real PostgreSQL (each test gets its own database from `sqlx::test`).

use crate::common::{PASSWORD, TestApp, location, set_cookie};
use app::auth::rules::SessionPolicy;
use reqwest::StatusCode;
use sqlx::PgPool;

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn login_succeeds_and_the_session_cookie_is_safe(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let client = app.client();
    let resp = app.login_with(&client, "Lecteur@A.test ", PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&resp), "/");
    let cookie = set_cookie(&resp);
    assert!(cookie.contains("comptoir_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP in tests: {cookie}");

    let home = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    let body = home.text().await.unwrap();
    assert!(body.contains("Nom lecteur@a.test"), "home shows the user");
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn wrong_credentials_get_one_message_whatever_was_wrong(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let client = app.client();
    for (email, password) in [
        ("lecteur@a.test", "mauvais-mot-de-passe"),
        ("inconnu@a.test", PASSWORD),
        ("pas-une-adresse", PASSWORD),
    ] {
        let resp = app.login_with(&client, email, password).await;
        assert_eq!(location(&resp), "/login?error=credentials", "{email}");
    }
    let page = app.page(&client, "/login?error=credentials").await;
    assert!(page.contains("Adresse e-mail ou mot de passe incorrect."));
    let empty = app.login_with(&client, "", "").await;
    assert_eq!(location(&empty), "/login?error=missing");
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_disabled_account_is_told_so_only_with_the_right_password(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let f = app.fixture().await;
    sqlx::query("UPDATE accounts SET disabled_at = now() WHERE id = $1")
        .bind(f.viewer_a)
        .execute(&app.pool)
        .await
        .unwrap();
    let client = app.client();
    let wrong = app
        .login_with(&client, "lecteur@a.test", "mauvais-mot-de-passe")
        .await;
    assert_eq!(location(&wrong), "/login?error=credentials");
    let right = app.login_with(&client, "lecteur@a.test", PASSWORD).await;
    assert_eq!(location(&right), "/login?error=disabled");
    let page = app.page(&client, "/login?error=disabled").await;
    assert!(page.contains("Ce compte est désactivé."));
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn five_failures_lock_the_login_for_ten_minutes_then_it_works_again(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let client = app.client();
    for attempt in 1..=4 {
        let resp = app
            .login_with(&client, "compta@a.test", "mauvais-mot-de-passe")
            .await;
        assert_eq!(
            location(&resp),
            "/login?error=credentials",
            "attempt {attempt}"
        );
    }
    let fifth = app
        .login_with(&client, "compta@a.test", "mauvais-mot-de-passe")
        .await;
    assert!(
        location(&fifth).starts_with("/login?error=throttled&retry="),
        "{}",
        location(&fifth)
    );
    // Even the right password is refused while locked.
    let locked = app.login_with(&client, "compta@a.test", PASSWORD).await;
    assert!(location(&locked).starts_with("/login?error=throttled"));
    let until: chrono::DateTime<chrono::Utc> = sqlx::query_scalar(
        "SELECT locked_until FROM login_lockouts WHERE key = 'login:compta@a.test'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let remaining = until - chrono::Utc::now();
    assert!(
        remaining > chrono::Duration::seconds(590) && remaining <= chrono::Duration::seconds(600)
    );
    let page = app.page(&client, &location(&locked)).await;
    assert!(page.contains("Trop de tentatives de connexion. Réessayez après"));
    // Another login is not affected by this one's lock.
    let other = app.login_with(&client, "lecteur@a.test", PASSWORD).await;
    assert_eq!(location(&other), "/");

    // Once the lock and the window have passed, the right password works again.
    sqlx::query("UPDATE login_lockouts SET locked_until = now() - interval '1 second'")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE login_attempts SET attempted_at = attempted_at - interval '11 minutes'")
        .execute(&app.pool)
        .await
        .unwrap();
    let client = app.client();
    let after = app.login_with(&client, "compta@a.test", PASSWORD).await;
    assert_eq!(location(&after), "/");
}

/// 40 wrong passwords at once for one login: each attempt is taken before its password is
/// checked, so at most the allowed five are checked (and recorded); the rest are refused
/// unchecked. Before, all 40 were hashed (19 MiB each) and recorded.
#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_burst_of_sign_ins_checks_no_more_passwords_than_the_limit(pool: PgPool) {
    let app = std::sync::Arc::new(TestApp::spawn(pool).await);
    app.fixture().await;
    let burst: Vec<_> = (0..40)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                let client = app.client();
                let resp = app
                    .login_with(&client, "compta@a.test", "mauvais-mot-de-passe")
                    .await;
                location(&resp)
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in burst {
        answers.push(task.await.unwrap());
    }
    for answer in &answers {
        assert!(
            answer == "/login?error=credentials"
                || answer == "/login?error=busy"
                || answer.starts_with("/login?error=throttled"),
            "{answer}"
        );
    }
    let checked: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM login_attempts WHERE login = 'compta@a.test' AND NOT succeeded",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!((1..=5).contains(&checked), "{checked} passwords checked");
    let told_credentials = answers
        .iter()
        .filter(|a| *a == "/login?error=credentials")
        .count();
    assert!(told_credentials <= 5, "{answers:?}");
}

/// A login no account can have (4 000 characters) is refused without hashing, and still
/// counted: an attempt that cannot be recorded is not checked at all.
#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn an_oversized_sign_in_is_refused_and_counted(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let client = app.client();
    let login = format!("{}@a.test", "é".repeat(4000));
    let resp = app
        .login_with(&client, &login, "mauvais-mot-de-passe")
        .await;
    assert_eq!(location(&resp), "/login?error=credentials");
    let long_password = "x".repeat(100_000);
    let resp = app
        .login_with(&client, "compta@a.test", &long_password)
        .await;
    assert_eq!(location(&resp), "/login?error=credentials");
    let recorded: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM login_attempts
          WHERE NOT succeeded AND (login LIKE 'éé%' OR login = 'compta@a.test')",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(recorded, 2);
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn twenty_failures_from_one_address_lock_that_address(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let attacker = TestApp::client_from(&app.origin(), Some("203.0.113.7"));
    for n in 0..19 {
        let resp = app
            .login_with(&attacker, &format!("personne{n}@a.test"), "x-mauvais-x")
            .await;
        assert_eq!(location(&resp), "/login?error=credentials", "attempt {n}");
    }
    let twentieth = app
        .login_with(&attacker, "personne19@a.test", "x-mauvais-x")
        .await;
    assert!(location(&twentieth).starts_with("/login?error=throttled"));
    let blocked = app.login_with(&attacker, "lecteur@a.test", PASSWORD).await;
    assert!(location(&blocked).starts_with("/login?error=throttled"));
    // Someone else, elsewhere, signs in normally.
    let other = TestApp::client_from(&app.origin(), Some("198.51.100.4"));
    assert_eq!(
        location(&app.login_with(&other, "lecteur@a.test", PASSWORD).await),
        "/"
    );
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn the_session_id_changes_at_login_and_logout_ends_it(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let first = app
        .login_with(&app.client(), "lecteur@a.test", PASSWORD)
        .await;
    let client = app.client();
    let second = app.login_with(&client, "lecteur@a.test", PASSWORD).await;
    let id = |c: &str| c.split(';').next().unwrap_or_default().to_owned();
    assert_ne!(id(&set_cookie(&first)), id(&set_cookie(&second)));

    let bye = client.post(app.url("/logout")).send().await.unwrap();
    assert_eq!(location(&bye), "/login?bye=1");
    let after = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&after), "/login");
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM tower_sessions.session")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(sessions, 1, "only the other client's session remains");
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn an_idle_session_expires(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let client = app.signed_in("lecteur@a.test").await;
    assert_eq!(
        client.get(app.url("/")).send().await.unwrap().status(),
        StatusCode::OK
    );
    sqlx::query("UPDATE tower_sessions.session SET expiry_date = now() - interval '1 second'")
        .execute(&app.pool)
        .await
        .unwrap();
    let resp = client.get(app.url("/compte")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&resp), "/login?next=/compte");
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_session_ends_at_its_absolute_limit_even_when_active(pool: PgPool) {
    let policy = SessionPolicy {
        idle: chrono::Duration::hours(1),
        absolute: chrono::Duration::seconds(2),
    };
    let app = TestApp::spawn_with(pool, policy).await;
    app.fixture().await;
    let client = app.signed_in("lecteur@a.test").await;
    assert_eq!(
        client.get(app.url("/")).send().await.unwrap().status(),
        StatusCode::OK
    );
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let resp = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(location(&resp), "/login");
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn disabling_an_account_ends_its_sessions(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let f = app.fixture().await;
    let client = app.signed_in("lecteur@a.test").await;
    sqlx::query("UPDATE accounts SET disabled_at = now() WHERE id = $1")
        .bind(f.viewer_a)
        .execute(&app.pool)
        .await
        .unwrap();
    let resp = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(location(&resp), "/login");
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn anonymous_requests_go_to_login_or_get_401(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let client = app.client();
    let page = client
        .get(app.url("/admin/comptes?x=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&page), "/login?next=/admin/comptes%3Fx%3D1");
    let api = app.call(&client, "list_organisations", &[]).await;
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED);
    let login = client.get(app.url("/login")).send().await.unwrap();
    assert_eq!(login.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn state_changing_requests_must_come_from_this_site(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let evil = TestApp::client_from("https://evil.example", None);
    let resp = app.login_with(&evil, "lecteur@a.test", PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);

    let bare = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = bare
        .post(app.url("/login"))
        .form(&[("email", "lecteur@a.test"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::FORBIDDEN,
        "no Origin and no Referer"
    );

    // A signed-in admin's cookie is useless to another site.
    let admin = app.signed_in("admin@agence.test").await;
    let forged = admin
        .post(app.url("/api/create_organisation"))
        .header("origin", "https://evil.example")
        .form(&[("name", "Piège"), ("slug", "piege")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    // Server functions answer POST only.
    let get = admin
        .get(app.url("/api/list_organisations"))
        .send()
        .await
        .unwrap();
    assert_ne!(get.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn pages_carry_strict_security_headers(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let resp = app.client().get(app.url("/login")).send().await.unwrap();
    let h = resp.headers().clone();
    let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(csp.contains("script-src 'self' 'nonce-"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(h.get("x-frame-options").unwrap(), "DENY");
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    assert!(h.get("x-request-id").is_some());
    let body = resp.text().await.unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        body.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the nonce"
    );
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn unknown_pages_are_404_and_health_answers(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let client = app.signed_in("lecteur@a.test").await;
    let resp = client.get(app.url("/nulle-part")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert!(resp.text().await.unwrap().contains("Page introuvable"));
    let live = app
        .client()
        .get(app.url("/health/live"))
        .send()
        .await
        .unwrap();
    assert_eq!(live.status(), StatusCode::OK);
    let ready = app
        .client()
        .get(app.url("/health/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn the_login_goes_on_only_to_a_rebuilt_local_path(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let login = |next: &'static str, password: &'static str| {
        let client = app.client();
        let url = app.url("/login");
        async move {
            client
                .post(url)
                .form(&[
                    ("email", "lecteur@a.test"),
                    ("password", password),
                    ("next", next),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let resp = login("/compte?onglet=1", PASSWORD).await;
    assert_eq!(location(&resp), "/compte?onglet=1");
    // Browsers drop tabs and line breaks in URLs: `/\t/evil.example` is `//evil.example`.
    for evil in [
        "/\t/evil.example",
        "/\n/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/a/..//evil.example",
        "/login?next=/compte",
    ] {
        let resp = login(evil, PASSWORD).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&resp), "/", "{evil:?}");
        // A refused login keeps only a safe `next`.
        let refused = location(&login(evil, "mauvais").await);
        assert!(!refused.contains("evil"), "{evil:?} → {refused}");
    }
    let refused = location(&login("/compte", "mauvais").await);
    assert_eq!(refused, "/login?error=credentials&next=/compte");
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_malformed_server_function_call_is_a_readable_400(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let admin = app.signed_in("admin@agence.test").await;
    // `create_organisation` takes `name` and `slug`; here `name` is missing.
    let resp = app
        .call(&admin, "create_organisation", &[("slug", "x")])
        .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body = resp.text().await.unwrap();
    assert!(body.contains("BadRequest"), "{body}");
    assert!(body.contains("name"), "names the field: {body}");
    assert!(!body.contains("Transport"), "{body}");
}

/// PostgreSQL stores no NUL in text: a NUL in a sign-in or in a page's address is refused
/// before it reaches the database (it was an error logged and "unavailable", or a 500).
#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_nul_in_a_sign_in_or_an_address_is_refused_early(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let client = app.client();
    let resp = app.login_with(&client, "compta\0@a.test", "x").await;
    assert_eq!(location(&resp), "/login?error=credentials");
    let resp = app
        .login_with(&client, "compta@a.test", "mot\0de-passe")
        .await;
    assert_eq!(location(&resp), "/login?error=credentials");
    let accountant = app.signed_in("compta@a.test").await;
    let resp = accountant
        .get(app.url("/facturation/reglements?q=a%00b"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
}

/// A body that is not UTF-8, holds a NUL or is over 2 MiB is the caller's mistake: 400 or 413
/// with a readable error for a script, and back to the form's page with the error for a plain
/// form (server_fn answered 500 "Transport" for all three).
#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn unreadable_and_oversized_server_function_bodies_are_client_errors(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let admin = app.signed_in("admin@agence.test").await;
    let post = |body: Vec<u8>, accept: &'static str| {
        admin
            .post(app.url("/api/create_organisation"))
            .header("accept", accept)
            .header("referer", app.url("/admin/organisations"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let mut oversized = b"name=".to_vec();
    oversized.resize(3 * 1024 * 1024, b'a');
    for (body, status, variant) in [
        (
            b"name=\xff&slug=x".to_vec(),
            StatusCode::BAD_REQUEST,
            "BadRequest",
        ),
        (
            b"name=a%00b&slug=x".to_vec(),
            StatusCode::BAD_REQUEST,
            "BadRequest",
        ),
        (oversized, StatusCode::PAYLOAD_TOO_LARGE, "TooLarge"),
    ] {
        let script = post(body.clone(), "application/json").await.unwrap();
        assert_eq!(script.status(), status, "{variant}");
        let text = script.text().await.unwrap();
        let err: app::error::AppError = serde_json::from_str(&text).unwrap();
        assert!(text.contains(variant), "{text}");
        assert!(!matches!(err, app::error::AppError::Transport(_)));

        let form = post(body, "text/html,application/xhtml+xml").await.unwrap();
        assert_eq!(form.status(), StatusCode::FOUND, "{variant}");
        let back = location(&form);
        assert!(
            back.starts_with(&app.url("/admin/organisations?"))
                && back.contains("__path=%2Fapi%2Fcreate_organisation")
                && back.contains("__err="),
            "{back}"
        );
    }
}
