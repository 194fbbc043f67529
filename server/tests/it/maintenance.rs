//! The maintenance gate: before, inside and after a window; admins, the testers' bypass link,
//! the health endpoints and the API's JSON with `Retry-After`.

use crate::common::{TestApp, location, set_cookie};
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

async fn window(pool: &PgPool, starts_in: Duration, ends_in: Duration) -> (i64, String) {
    let now = Utc::now();
    let w = app::maintenance::db::insert(
        pool,
        now + starts_in,
        now + ends_in,
        "Mise à jour du serveur",
        None,
    )
    .await
    .unwrap();
    (w.id, w.bypass_secret)
}

fn retry_after(resp: &reqwest::Response) -> i64 {
    resp.headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After")
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn before_inside_and_after_a_window(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    app.fixture().await;
    let viewer = app.signed_in("lecteur@a.test").await;
    let admin = app.signed_in("admin@agence.test").await;

    // Before: the page works and announces the window (within 24 hours), not one further away.
    let (id, _) = window(&pool, Duration::hours(2), Duration::hours(3)).await;
    window(&pool, Duration::hours(30), Duration::hours(31)).await;
    let html = app.page(&viewer, "/").await;
    assert!(
        html.contains("Maintenance prévue du"),
        "banner before the window"
    );

    // Inside: 503 everywhere for users, with Retry-After until the end.
    sqlx::query("UPDATE maintenance_windows SET starts_at = now() - interval '1 minute', ends_at = now() + interval '30 minutes' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let page = viewer.get(app.url("/")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    let retry = retry_after(&page);
    assert!((1700..=1800).contains(&retry), "Retry-After {retry}");
    let body = page.text().await.unwrap();
    assert!(body.contains("Maintenance en cours"));
    assert!(body.contains("Retour prévu le"));
    assert!(body.contains("Mise à jour du serveur"));
    let anonymous = app.client().get(app.url("/compte")).send().await.unwrap();
    assert_eq!(
        anonymous.status(),
        StatusCode::SERVICE_UNAVAILABLE,
        "no redirect to login"
    );
    let api = app.call(&viewer, "list_organisations", &[]).await;
    assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(retry_after(&api) > 0);
    let err: Value = api.json().await.unwrap();
    assert_eq!(err["error"], "maintenance");
    assert!(err["retry_after"].as_i64().unwrap() > 1700);
    // Health, sign-in and static files stay reachable; admins keep working, with a banner.
    for path in ["/health/live", "/health/ready", "/login"] {
        let resp = app.client().get(app.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
    }
    let admin_page = admin.get(app.url("/")).send().await.unwrap();
    assert_eq!(admin_page.status(), StatusCode::OK);
    assert!(
        admin_page
            .text()
            .await
            .unwrap()
            .contains("Maintenance en cours jusqu")
    );
    assert_eq!(
        app.call(&admin, "list_organisations", &[]).await.status(),
        StatusCode::OK
    );

    // After: nothing to switch off.
    sqlx::query("UPDATE maintenance_windows SET ends_at = now() WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        viewer.get(app.url("/")).send().await.unwrap().status(),
        StatusCode::OK
    );
}

/// Anonymous guesses at the bypass link read the cached windows: they neither empty the cache
/// (each would cost the next request a database read) nor find a secret the cache does not hold.
#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn bypass_guesses_leave_the_windows_cache_alone(pool: PgPool) {
    let app = TestApp::spawn_as_served(pool.clone()).await;
    app.fixture().await;
    let viewer = app.signed_in("lecteur@a.test").await;
    assert_eq!(
        viewer.get(app.url("/")).send().await.unwrap().status(),
        StatusCode::OK
    );
    // A window this instance has not read yet (written by another one, say).
    window(&pool, -Duration::minutes(1), Duration::minutes(20)).await;
    let guess = app
        .client()
        .get(app.url("/maintenance/acces/pas-le-bon-secret-du-tout"))
        .send()
        .await
        .unwrap();
    assert_eq!(guess.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        viewer.get(app.url("/")).send().await.unwrap().status(),
        StatusCode::OK,
        "the guess must not have reloaded the windows"
    );
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn the_bypass_link_lets_testers_through(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    app.fixture().await;
    let (_, secret) = window(&pool, -Duration::minutes(1), Duration::minutes(20)).await;
    let tester = app.client();
    let wrong = tester
        .get(app.url("/maintenance/acces/pas-le-bon-secret-du-tout"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::SEE_OTHER);
    assert!(!set_cookie(&wrong).contains("comptoir_maintenance"));
    assert_eq!(
        tester.get(app.url("/login")).send().await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        tester.get(app.url("/")).send().await.unwrap().status(),
        StatusCode::SERVICE_UNAVAILABLE
    );

    let link = tester
        .get(app.url(&format!("/maintenance/acces/{secret}")))
        .send()
        .await
        .unwrap();
    assert_eq!(link.status(), StatusCode::SEE_OTHER);
    let cookie = set_cookie(&link);
    assert!(
        cookie.contains("comptoir_maintenance=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    // Through the gate: an anonymous tester is now asked to sign in, like outside maintenance.
    let home = tester.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&home), "/login");
    let resp = app
        .login_with(&tester, "lecteur@a.test", crate::common::PASSWORD)
        .await;
    assert_eq!(location(&resp), "/");
    assert_eq!(
        tester.get(app.url("/")).send().await.unwrap().status(),
        StatusCode::OK
    );
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn admins_schedule_start_and_end_windows(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    app.fixture().await;
    let admin = app.signed_in("admin@agence.test").await;
    let viewer = app.signed_in("lecteur@a.test").await;
    let problem = |v: Value| v["Invalid"][0].clone();

    let reversed = app
        .call(
            &admin,
            "schedule_maintenance",
            &[
                ("starts", "2099-01-02T04:00"),
                ("ends", "2099-01-02T02:00"),
                ("message", ""),
            ],
        )
        .await;
    assert_eq!(reversed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem(reversed.json().await.unwrap())["problem"],
        "WindowEndBeforeStart"
    );
    let garbled = app
        .call(
            &admin,
            "schedule_maintenance",
            &[
                ("starts", "demain"),
                ("ends", "2099-01-02T02:00"),
                ("message", ""),
            ],
        )
        .await;
    let garbled: Value = garbled.json().await.unwrap();
    assert_eq!(problem(garbled.clone())["field"], "starts");
    assert_eq!(problem(garbled)["problem"], "DateTimeInvalid");
    let past = app
        .call(
            &admin,
            "schedule_maintenance",
            &[
                ("starts", "2020-01-02T02:00"),
                ("ends", "2020-01-02T04:00"),
                ("message", ""),
            ],
        )
        .await;
    assert_eq!(
        problem(past.json().await.unwrap())["problem"],
        "WindowEndInPast"
    );
    assert_eq!(
        app.call(
            &viewer,
            "schedule_maintenance",
            &[
                ("starts", "2099-01-02T02:00"),
                ("ends", "2099-01-02T04:00"),
                ("message", "")
            ]
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    // Paris time in, UTC stored: 2 January 02:00 in Paris is 01:00 UTC (winter).
    let id = app
        .call(
            &admin,
            "schedule_maintenance",
            &[
                ("starts", "2099-01-02T02:00"),
                ("ends", "2099-01-02T04:00"),
                ("message", ""),
            ],
        )
        .await
        .json::<Value>()
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    let starts: chrono::DateTime<Utc> =
        sqlx::query_scalar("SELECT starts_at FROM maintenance_windows WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        starts,
        "2099-01-02T01:00:00Z"
            .parse::<chrono::DateTime<Utc>>()
            .unwrap()
    );

    assert_eq!(
        app.call(
            &admin,
            "start_maintenance",
            &[("minutes", "0"), ("message", "")]
        )
        .await
        .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let now_id = app
        .call(
            &admin,
            "start_maintenance",
            &[("minutes", "30"), ("message", "Migration")],
        )
        .await
        .json::<Value>()
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    assert_eq!(
        viewer.get(app.url("/")).send().await.unwrap().status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    let list: Value = app
        .call(&admin, "list_maintenance_windows", &[])
        .await
        .json()
        .await
        .unwrap();
    let active = list
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["id"] == now_id)
        .unwrap();
    assert_eq!(active["state"], "Active");
    assert!(
        active["bypass_path"]
            .as_str()
            .unwrap()
            .starts_with("/maintenance/acces/")
    );
    assert_eq!(
        app.call(
            &admin,
            "end_maintenance",
            &[("window_id", &now_id.to_string())]
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        viewer.get(app.url("/")).send().await.unwrap().status(),
        StatusCode::OK
    );
    // Cancelling the future window removes it; ending it twice is a 404.
    assert_eq!(
        app.call(&admin, "end_maintenance", &[("window_id", &id.to_string())])
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.call(&admin, "end_maintenance", &[("window_id", &id.to_string())])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn instances_read_windows_from_postgres_through_a_short_cache(pool: PgPool) {
    use app::maintenance::cache::MaintenanceCache;
    let ttl = std::time::Duration::from_millis(300);
    let first = MaintenanceCache::new(ttl, Duration::hours(24));
    assert!(first.windows(&pool).await.is_empty());
    window(&pool, -Duration::minutes(1), Duration::minutes(30)).await;
    // Another instance sees the new window at once; this one within its cache lifetime.
    let second = MaintenanceCache::new(ttl, Duration::hours(24));
    assert_eq!(second.windows(&pool).await.len(), 1);
    assert!(first.windows(&pool).await.is_empty(), "still cached");
    tokio::time::sleep(ttl + std::time::Duration::from_millis(50)).await;
    assert_eq!(
        first.windows(&pool).await.len(),
        1,
        "re-read after the cache lifetime"
    );
    // An instance that changes a window drops its cache at once.
    sqlx::query("UPDATE maintenance_windows SET ends_at = now()")
        .execute(&pool)
        .await
        .unwrap();
    first.invalidate();
    assert!(first.windows(&pool).await.is_empty());
}
