//! Footfall counters against a real PostgreSQL and the real HTTP stack: counter management,
//! API tokens, count ingestion through the API, the CSV upload and the command line, the
//! rollups, and tenant isolation.

use crate::cli::{comptoir, url_of};
use crate::common::{Fixture, TestApp, location};
use crate::invoicing::json as json_of;
use chrono::{Duration, NaiveDate, Utc};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use sqlx::PgPool;

pub(crate) async fn add_site(
    app: &TestApp,
    admin: &Client,
    org: i64,
    code: &str,
    zone: &str,
) -> i64 {
    let org = org.to_string();
    let resp = app
        .call(
            admin,
            "save_site",
            &[
                ("fields[organisation_id]", &org),
                ("fields[shop_code]", code),
                ("fields[name]", &format!("Boutique {code}")),
                ("fields[ip]", "10.0.0.7"),
                ("fields[country]", "FR"),
                ("fields[city]", "Lyon"),
                ("fields[opens_at]", "09:00"),
                ("fields[closes_at]", "19:00"),
                ("fields[time_zone]", zone),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    json_of(resp).await.as_i64().unwrap()
}

pub(crate) async fn create_group(app: &TestApp, admin: &Client, org: i64, name: &str) -> i64 {
    let org = org.to_string();
    let resp = app
        .call(
            admin,
            "create_store_group",
            &[("organisation_id", &org), ("name", name)],
        )
        .await;
    json_of(resp).await.as_i64().unwrap()
}

pub(crate) async fn token_for(app: &TestApp, admin: &Client, org: i64) -> (i64, String) {
    let resp = app
        .call(
            admin,
            "create_api_token",
            &[
                ("organisation_id", &org.to_string()),
                ("name", "Passerelle"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let created = json_of(resp).await;
    (
        created["view"]["id"].as_i64().unwrap(),
        created["token"].as_str().unwrap().to_owned(),
    )
}

pub(crate) async fn push(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    Client::new()
        .post(app.url("/api/v1/counts"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn entries(pool: &PgPool, site: i64, day: NaiveDate) -> Option<(i32, Option<i32>)> {
    sqlx::query_as("SELECT entries, exits FROM counts WHERE site_id = $1 AND day = $2")
        .bind(site)
        .bind(day)
        .fetch_optional(pool)
        .await
        .unwrap()
}

/// Every rollup equals the same figure computed from the counts.
pub(crate) async fn assert_rollups_consistent(pool: &PgPool) {
    let checks = [
        "SELECT organisation_id, day, entries, shops FROM org_daily \
         EXCEPT SELECT s.organisation_id, c.day, sum(c.entries), count(*) FROM counts c JOIN sites s ON s.id = c.site_id GROUP BY 1, 2",
        "SELECT s.organisation_id, c.day, sum(c.entries), count(*)::int FROM counts c JOIN sites s ON s.id = c.site_id GROUP BY 1, 2 \
         EXCEPT SELECT organisation_id, day, entries, shops FROM org_daily",
        "SELECT site_id, month, entries, days FROM site_monthly \
         EXCEPT SELECT site_id, date_trunc('month', day::timestamp)::date, sum(entries), count(*) FROM counts GROUP BY 1, 2",
        "SELECT site_id, date_trunc('month', day::timestamp)::date, sum(entries), count(*)::int FROM counts GROUP BY 1, 2 \
         EXCEPT SELECT site_id, month, entries, days FROM site_monthly",
        "SELECT group_id, day, entries, shops FROM group_daily \
         EXCEPT SELECT m.group_id, c.day, sum(c.entries), count(*) FROM counts c JOIN store_group_members m ON m.site_id = c.site_id GROUP BY 1, 2",
        "SELECT m.group_id, c.day, sum(c.entries), count(*)::int FROM counts c JOIN store_group_members m ON m.site_id = c.site_id GROUP BY 1, 2 \
         EXCEPT SELECT group_id, day, entries, shops FROM group_daily",
        // Stored-day bounds may be wider than the counts, never narrower.
        "SELECT c.site_id FROM counts c LEFT JOIN site_last_data l ON l.site_id = c.site_id \
         WHERE l.site_id IS NULL OR c.day NOT BETWEEN l.first_day AND l.last_day",
    ];
    for sql in checks {
        let extra: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM ({sql}) x"))
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(extra, 0, "rollup differs from the counts: {sql}");
    }
}

struct Setup {
    app: TestApp,
    f: Fixture,
    admin: Client,
    p1: i64,
    p2: i64,
    b1: i64,
    token: String,
    token_id: i64,
}

async fn setup(pool: PgPool) -> Setup {
    let app = TestApp::spawn(pool).await;
    let f = app.fixture().await;
    let admin = app.signed_in("admin@agence.test").await;
    let p1 = add_site(&app, &admin, f.org_a, "P1", "Europe/Paris").await;
    let p2 = add_site(&app, &admin, f.org_a, "P2", "America/Guadeloupe").await;
    let b1 = add_site(&app, &admin, f.org_b, "B1", "Europe/Paris").await;
    let (token_id, token) = token_for(&app, &admin, f.org_a).await;
    Setup {
        app,
        f,
        admin,
        p1,
        p2,
        b1,
        token,
        token_id,
    }
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn the_api_writes_valid_rows_and_reports_each_refused_one(pool: PgPool) {
    let s = setup(pool.clone()).await;
    let d1 = Utc::now().date_naive() - Duration::days(3);
    let d2 = d1 + Duration::days(1);
    let future = Utc::now().date_naive() + Duration::days(2);
    let body = json!([
        {"shop_code": "P1", "date": d1.to_string(), "entries": 10},
        {"shop_code": "P2", "date": d1.to_string(), "entries": 0, "exits": 4},
        {"shop_code": "ZZ", "date": d1.to_string(), "entries": 3},
        {"shop_code": "B1", "date": d1.to_string(), "entries": 3},
        {"shop_code": "P1", "date": future.to_string(), "entries": 3},
        {"shop_code": "P1", "date": d2.to_string(), "entries": -1},
        {"shop_code": "P1", "date": "22/11/2026", "entries": 3},
        {"date": d2.to_string(), "entries": 3},
        "P1;2026-11-20;3",
        {"shop_code": "P1", "date": d2.to_string(), "entries": 1.5},
        {"shop_code": "P1", "date": d2.to_string(), "entries": 3_000_000_000u64},
        {"shop_code": "P1", "date": d2.to_string(), "entries": 7},
        {"shop_code": "P1", "date": d2.to_string(), "entries": 8},
        {"shop_code": "P1", "date": d2.to_string()},
    ]);
    let resp = push(&s.app, &s.token, &body).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let report = json_of(resp).await;
    assert_eq!(report["accepted"], 3, "{report}");
    assert_eq!(report["rejected_total"], 11, "{report}");
    let got: Vec<(i64, String)> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["index"].as_i64().unwrap(),
                r["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        (2, "unknown_shop"),
        (3, "unknown_shop"),
        (4, "future_date"),
        (5, "negative_count"),
        (6, "bad_date"),
        (7, "missing_shop_code"),
        (8, "not_an_object"),
        (9, "bad_count"),
        (10, "count_too_large"),
        (11, "superseded"),
        (13, "missing_entries"),
    ];
    assert_eq!(
        got,
        expected
            .iter()
            .map(|(i, r)| (*i, r.to_string()))
            .collect::<Vec<_>>()
    );
    let superseded = &report["rejected"][9]["message"];
    assert!(
        superseded.as_str().unwrap().contains("l'élément 12"),
        "{superseded}"
    );

    assert_eq!(entries(&pool, s.p1, d1).await, Some((10, None)));
    assert_eq!(
        entries(&pool, s.p2, d1).await,
        Some((0, Some(4))),
        "zero is data"
    );
    assert_eq!(
        entries(&pool, s.p1, d2).await,
        Some((8, None)),
        "the later row wins"
    );
    let b_rows: i64 = sqlx::query_scalar("SELECT count(*) FROM counts WHERE site_id = $1")
        .bind(s.b1)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(b_rows, 0, "another organisation's shop is never written");
    assert_rollups_consistent(&pool).await;

    // Sending the same day again replaces the value; nothing is duplicated.
    let again = json!([
        {"shop_code": "P1", "date": d1.to_string(), "entries": 12, "exits": 11},
        {"shop_code": "P2", "date": d1.to_string(), "entries": 0, "exits": 4},
    ]);
    let report = json_of(push(&s.app, &s.token, &again).await).await;
    assert_eq!(report["accepted"], 2);
    assert_eq!(report["rejected_total"], 0);
    let report = json_of(push(&s.app, &s.token, &again).await).await;
    assert_eq!(report["accepted"], 2, "idempotent");
    assert_eq!(entries(&pool, s.p1, d1).await, Some((12, Some(11))));
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM counts")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 3);
    let (total, shops): (i64, i32) = sqlx::query_as(
        "SELECT entries, shops FROM org_daily WHERE organisation_id = $1 AND day = $2",
    )
    .bind(s.f.org_a)
    .bind(d1)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((total, shops), (12, 2));
    assert_rollups_consistent(&pool).await;

    // A stored day and a new one together, the stored one three times: the last row wins.
    let mixed = json!([
        {"shop_code": "P1", "date": d2.to_string(), "entries": 1},
        {"shop_code": "P2", "date": d2.to_string(), "entries": 5},
        {"shop_code": "P1", "date": d2.to_string(), "entries": 2},
        {"shop_code": "P1", "date": d2.to_string(), "entries": 9},
    ]);
    let report = json_of(push(&s.app, &s.token, &mixed).await).await;
    assert_eq!(report["accepted"], 2, "{report}");
    assert_eq!(report["rejected_total"], 2, "{report}");
    for (i, index) in [0, 2].into_iter().enumerate() {
        assert_eq!(report["rejected"][i]["index"], index, "{report}");
        assert!(
            report["rejected"][i]["message"]
                .as_str()
                .unwrap()
                .contains("l'élément 3"),
            "{report}"
        );
    }
    assert_eq!(entries(&pool, s.p1, d2).await, Some((9, None)));
    assert_eq!(entries(&pool, s.p2, d2).await, Some((5, None)));
    assert_rollups_consistent(&pool).await;

    // A batch over the cap is refused whole.
    let many: Vec<Value> = (0..10_001)
        .map(|_| json!({"shop_code": "P1", "date": d1.to_string(), "entries": 1}))
        .collect();
    let resp = push(&s.app, &s.token, &Value::Array(many)).await;
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(json_of(resp).await["error"], "too_many_rows");
    let resp = Client::new()
        .post(s.app.url("/api/v1/counts"))
        .bearer_auth(&s.token)
        .header("content-type", "application/json")
        .body("{\"shop_code\": \"P1\"}")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json_of(resp).await["error"], "not_an_array");
    assert_eq!(
        entries(&pool, s.p1, d1).await,
        Some((12, Some(11))),
        "refused calls change nothing"
    );
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn values_postgresql_cannot_store_are_refused_row_by_row(pool: PgPool) {
    let s = setup(pool.clone()).await;
    let d1 = Utc::now().date_naive() - Duration::days(3);
    let d2 = d1 + Duration::days(1);
    let body = json!([
        {"shop_code": "P1", "date": "0000-01-01", "entries": 5},
        {"shop_code": "P1", "date": d1.to_string(), "entries": i32::MAX, "exits": i32::MAX},
        {"shop_code": "P1", "date": "1999-12-31", "entries": 5},
        // Two shops at the INTEGER maximum on one day: the rollups sum past it.
        {"shop_code": "P2", "date": d1.to_string(), "entries": i32::MAX},
        {"shop_code": "P1", "date": "2000-01-01", "entries": 0},
        {"shop_code": "P1", "date": d2.to_string(), "entries": i64::from(i32::MAX) + 1},
    ]);
    let resp = push(&s.app, &s.token, &body).await;
    assert_eq!(resp.status(), StatusCode::OK, "the good rows are stored");
    let report = json_of(resp).await;
    assert_eq!(report["accepted"], 3, "{report}");
    let refused: Vec<(i64, &str)> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["index"].as_i64().unwrap(), r["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        refused,
        [
            (0, "date_out_of_range"),
            (2, "date_out_of_range"),
            (5, "count_too_large")
        ]
    );
    let message = report["rejected"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("0000-01-01") && message.contains("01/01/2000"),
        "{message}"
    );
    assert_eq!(
        entries(&pool, s.p1, d1).await,
        Some((i32::MAX, Some(i32::MAX)))
    );
    let first_day = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    assert_eq!(entries(&pool, s.p1, first_day).await, Some((0, None)));
    let total: i64 =
        sqlx::query_scalar("SELECT entries FROM org_daily WHERE organisation_id = $1 AND day = $2")
            .bind(s.f.org_a)
            .bind(d1)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(total, 2 * i64::from(i32::MAX));
    assert_rollups_consistent(&pool).await;

    // The same bound in the CSV import (HTTP and command line), French dates too.
    let csv = format!("code_magasin;jour;entrees\nP2;01/01/0000;3\nP2;{d2};4\n");
    let resp = upload(&s.app, &s.admin, s.f.org_a, "vieux.csv", csv.as_bytes()).await;
    let to = location(&resp);
    let id = to
        .split("rapport=")
        .nth(1)
        .unwrap_or_else(|| panic!("{to}"));
    let import = json_of(
        s.app
            .call(&s.admin, "count_import", &[("import_id", id)])
            .await,
    )
    .await;
    assert_eq!(import["report"]["accepted"], 1, "{import}");
    assert_eq!(import["report"]["rejected"][0]["position"], 2, "{import}");
    assert_eq!(
        import["report"]["rejected"][0]["reason"],
        "date_out_of_range"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vieux.csv");
    std::fs::write(&file, format!("P1,0000-01-01,1\nP1,{d2},6\n")).unwrap();
    let out = comptoir(
        &[
            "counts",
            "import",
            file.to_str().unwrap(),
            "--organisation",
            "org-a",
        ],
        Some(&url_of(&pool)),
        None,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("ligne 1 : date « 0000-01-01 » trop ancienne"),
        "{stdout}"
    );
    assert_eq!(entries(&pool, s.p1, d2).await, Some((6, None)));

    // A body over the limit gets the documented JSON error, not a plain-text one.
    let huge = format!("[{}]", " ".repeat(9 * 1024 * 1024));
    let resp = Client::new()
        .post(s.app.url("/api/v1/counts"))
        .bearer_auth(&s.token)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(json_of(resp).await["error"], "body_too_large");

    // A value PostgreSQL refuses although the checks let it through (here a constraint the
    // checks do not know) is the request's content: 422 naming the problem, never "retry".
    sqlx::query(
        "ALTER TABLE counts ADD CONSTRAINT test_plausible CHECK (entries < 1000000) NOT VALID",
    )
    .execute(&pool)
    .await
    .unwrap();
    let body = json!([
        {"shop_code": "P2", "date": d2.to_string(), "entries": 12},
        {"shop_code": "P2", "date": d1.to_string(), "entries": 5_000_000},
    ]);
    let resp = push(&s.app, &s.token, &body).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = json_of(resp).await;
    assert_eq!(refused["error"], "rejected_by_database", "{refused}");
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.contains("test_plausible")
            && message.contains("5000000")
            && message.contains("rien n'a été écrit"),
        "{message}"
    );
    assert_eq!(
        entries(&pool, s.p2, d2).await,
        Some((4, None)),
        "nothing of the refused batch is written"
    );
}

/// Every day the checks accept is one PostgreSQL's `date` reads back as the same day: a sweep
/// of chrono's whole range (and the days around the bound) through PostgreSQL's own parser.
#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn every_accepted_count_day_is_a_postgresql_date(pool: PgPool) {
    use app::counters::rules::parse_day;
    let floor = app::counters::rules::EARLIEST_COUNT_DAY;
    let span = NaiveDate::MAX
        .signed_duration_since(NaiveDate::MIN)
        .num_days();
    let mut days: Vec<NaiveDate> = (0..4000)
        .map(|i| NaiveDate::MIN + Duration::days(span / 3999 * i))
        .collect();
    days.extend((-400..400).map(|d| floor + Duration::days(d)));
    days.extend((0..400).map(|y| NaiveDate::from_ymd_opt(9800 + y / 2, 12, 31).unwrap()));
    days.push(NaiveDate::MAX);
    let texts: Vec<String> = days.iter().map(|d| d.to_string()).collect();
    let mut conn = pool.acquire().await.unwrap();
    sqlx::query(
        "CREATE FUNCTION pg_temp.as_date(t text) RETURNS date LANGUAGE plpgsql AS \
         $$ BEGIN RETURN t::date; EXCEPTION WHEN others THEN RETURN NULL; END $$",
    )
    .execute(&mut *conn)
    .await
    .unwrap();
    let read: Vec<Option<NaiveDate>> = sqlx::query_scalar(
        "SELECT pg_temp.as_date(t) FROM unnest($1::text[]) WITH ORDINALITY AS x(t, n) ORDER BY n",
    )
    .bind(&texts)
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let mut accepted = 0;
    for ((day, text), in_postgresql) in days.iter().zip(&texts).zip(read) {
        if let Ok(parsed) = parse_day(text, false) {
            accepted += 1;
            assert_eq!(parsed, *day);
            assert_eq!(
                in_postgresql,
                Some(*day),
                "{text} is accepted but PostgreSQL reads {in_postgresql:?}"
            );
        } else {
            assert!(*day < floor || text.len() != 10, "{text} refused");
        }
    }
    assert!(
        accepted > 800,
        "the sweep reaches the accepted range ({accepted})"
    );
}

/// Every time zone a shop may be given is one PostgreSQL knows (the alert job computes shops'
/// days in SQL).
#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn every_shop_time_zone_is_known_to_postgresql(pool: PgPool) {
    let zones: Vec<String> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|z| z.name().to_owned())
        .filter(|z| app::alerts::schedule::parse_time_zone(z).is_ok())
        .collect();
    let mut conn = pool.acquire().await.unwrap();
    sqlx::query(
        "CREATE FUNCTION pg_temp.zone_known(z text) RETURNS boolean LANGUAGE plpgsql AS \
         $$ BEGIN PERFORM now() AT TIME ZONE z; RETURN true; \
         EXCEPTION WHEN others THEN RETURN false; END $$",
    )
    .execute(&mut *conn)
    .await
    .unwrap();
    let unknown: Vec<String> = sqlx::query_scalar(
        "SELECT z FROM unnest($1::text[]) AS z WHERE NOT pg_temp.zone_known(z) ORDER BY 1",
    )
    .bind(&zones)
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    assert!(zones.len() > 400, "{} zones", zones.len());
    assert!(unknown.is_empty(), "PostgreSQL lacks {unknown:?}");
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn tokens_are_hashed_shown_once_and_revocable(pool: PgPool) {
    let s = setup(pool.clone()).await;
    assert!(
        s.token.starts_with("cpt_") && s.token.len() == 47,
        "{}",
        s.token
    );
    let stored: Vec<u8> = sqlx::query_scalar("SELECT token_hash FROM api_tokens WHERE id = $1")
        .bind(s.token_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored.len(), 32);
    let listed = json_of(
        s.app
            .call(
                &s.admin,
                "list_api_tokens",
                &[("organisation_id", &s.f.org_a.to_string())],
            )
            .await,
    )
    .await;
    assert_eq!(listed[0]["display_prefix"].as_str(), Some(&s.token[..12]));
    assert!(
        !listed.to_string().contains(&s.token),
        "the secret is never listed"
    );

    let day = Utc::now().date_naive() - Duration::days(1);
    let row = json!([{"shop_code": "P1", "date": day.to_string(), "entries": 5}]);
    let resp = Client::new()
        .post(s.app.url("/api/v1/counts"))
        .json(&row)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(resp.headers().contains_key("www-authenticate"));
    assert_eq!(json_of(resp).await["error"], "missing_token");
    let resp = push(&s.app, "cpt_not-a-real-token", &row).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json_of(resp).await["error"], "unknown_token");

    assert_eq!(push(&s.app, &s.token, &row).await.status(), StatusCode::OK);
    let used: bool =
        sqlx::query_scalar("SELECT last_used_at IS NOT NULL FROM api_tokens WHERE id = $1")
            .bind(s.token_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(used);

    let resp = s
        .app
        .call(
            &s.admin,
            "revoke_api_token",
            &[("token_id", &s.token_id.to_string()), ("confirm", "oui")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let late = json!([{"shop_code": "P1", "date": day.to_string(), "entries": 99}]);
    let resp = push(&s.app, &s.token, &late).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json_of(resp).await["error"], "revoked_token");
    assert_eq!(entries(&pool, s.p1, day).await, Some((5, None)));
}

/// An unauthenticated client announcing a large body is answered at once, before any byte of
/// it is read: without a valid token the server holds nothing for it.
#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn the_api_checks_the_token_before_reading_the_body(pool: PgPool) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn(pool).await;
    for authorization in ["", "Authorization: Bearer cpt_not-a-real-token\r\n"] {
        let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
        let head = format!(
            "POST /api/v1/counts HTTP/1.1\r\nHost: {}\r\n{authorization}\
             Content-Type: application/json\r\nContent-Length: 8000000\r\n\r\n[",
            app.addr
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        // The body never comes: a server waiting for it would never answer (the test's timeout
        // only turns that hang into a failure).
        let mut answer = vec![0u8; 1024];
        let read =
            tokio::time::timeout(std::time::Duration::from_secs(20), stream.read(&mut answer))
                .await
                .expect("answered before the body was sent")
                .unwrap();
        let answer = String::from_utf8_lossy(&answer[..read]);
        assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    }
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn the_openapi_document_is_served(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let resp = Client::new()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let doc = json_of(resp).await;
    assert!(doc["paths"]["/api/v1/counts"]["post"].is_object());
    assert_eq!(
        doc["components"]["schemas"]["ApiRejection"]["properties"]["index"]["type"],
        "integer"
    );
}

pub(crate) async fn upload(
    app: &TestApp,
    client: &Client,
    org: i64,
    name: &str,
    csv: &[u8],
) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(csv.to_vec())
        .file_name(name.to_owned())
        .mime_str("text/csv")
        .unwrap();
    let form = reqwest::multipart::Form::new()
        .text("organisation_id", org.to_string())
        .part("file", part);
    client
        .post(app.url("/admin/compteurs/importer"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_csv_upload_imports_good_lines_and_reports_bad_ones(pool: PgPool) {
    let s = setup(pool.clone()).await;
    let d1 = Utc::now().date_naive() - Duration::days(5);
    let d2 = d1 + Duration::days(1);
    let fr = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    let csv = format!(
        "\u{feff}code_magasin;jour;entrees;sorties\r\n\
         P1;{};120;118\r\n\
         P2;{};0;\r\n\
         P1;{};-3;\r\n\
         B1;{};4;\r\n\
         P1;{};12\r\n\
         P2;{};9;9;9\r\n\
         P2;{};7;\r\n",
        fr(d1),
        fr(d1),
        fr(d2),
        fr(d2),
        fr(d2 + Duration::days(30)),
        fr(d2),
        fr(d2),
    );
    let resp = upload(&s.app, &s.admin, s.f.org_a, "comptages.csv", csv.as_bytes()).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = location(&resp);
    let id = to
        .split("rapport=")
        .nth(1)
        .unwrap_or_else(|| panic!("report link expected, got {to}"));
    let report = json_of(
        s.app
            .call(&s.admin, "count_import", &[("import_id", id)])
            .await,
    )
    .await;
    assert_eq!(report["file_name"], "comptages.csv");
    assert_eq!(report["report"]["accepted"], 3, "{report}");
    let got: Vec<(i64, String)> = report["report"]["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["position"].as_i64().unwrap(),
                r["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(i64, String)> = [
        (4, "negative_count"),
        (5, "unknown_shop"),
        (6, "future_date"),
        (7, "wrong_field_count"),
    ]
    .iter()
    .map(|(l, r)| (*l, r.to_string()))
    .collect();
    assert_eq!(got, expected);
    assert_eq!(entries(&pool, s.p1, d1).await, Some((120, Some(118))));
    assert_eq!(entries(&pool, s.p2, d1).await, Some((0, None)));
    assert_eq!(entries(&pool, s.p2, d2).await, Some((7, None)));
    assert_rollups_consistent(&pool).await;

    // A header that does not name the columns stops the import before anything is written.
    let resp = upload(
        &s.app,
        &s.admin,
        s.f.org_a,
        "x.csv",
        b"magasin;visites\nP1;3\n",
    )
    .await;
    assert!(
        location(&resp).contains("erreur=entete"),
        "{}",
        location(&resp)
    );
    let resp = upload(&s.app, &s.admin, s.f.org_a, "", b"").await;
    assert!(location(&resp).contains("erreur=fichier"));

    // Only admins import.
    let viewer = s.app.signed_in("lecteur@a.test").await;
    let resp = upload(&s.app, &viewer, s.f.org_a, "c.csv", csv.as_bytes()).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let accountant = s.app.signed_in("compta@a.test").await;
    let resp = upload(&s.app, &accountant, s.f.org_a, "c.csv", csv.as_bytes()).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn the_command_line_imports_a_file_with_a_line_report(pool: PgPool) {
    let s = setup(pool.clone()).await;
    let day = Utc::now().date_naive() - Duration::days(2);
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("bon.csv");
    std::fs::write(&good, format!("P1,{day},40\nP2,{day},41,39\n")).unwrap();
    let bad = dir.path().join("mauvais.csv");
    std::fs::write(&bad, format!("P1,{day},50\nP9,{day},1\nP2,xx,1\n")).unwrap();
    let url = url_of(&pool);

    let out = comptoir(
        &[
            "counts",
            "import",
            good.to_str().unwrap(),
            "--organisation",
            "org-a",
        ],
        Some(&url),
        None,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("2 ligne(s) écrite(s), 0 refusée(s)"),
        "{stdout}"
    );

    let out = comptoir(
        &[
            "counts",
            "import",
            bad.to_str().unwrap(),
            "--organisation",
            &s.f.org_a.to_string(),
        ],
        Some(&url),
        None,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout.contains("ligne 2 : magasin « P9 » inconnu"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ligne 3 : date « xx » invalide"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 ligne(s) refusée(s)"));
    assert_eq!(entries(&pool, s.p1, day).await, Some((50, None)));

    for (args, message) in [
        (
            vec!["counts", "import", "--organisation", "org-a"],
            "FICHIER manquant",
        ),
        (
            vec![
                "counts",
                "import",
                "/nonexistent.csv",
                "--organisation",
                "org-a",
            ],
            "illisible",
        ),
        (
            vec!["counts", "import", good.to_str().unwrap()],
            "--organisation manquant",
        ),
        (
            vec![
                "counts",
                "import",
                good.to_str().unwrap(),
                "--organisation",
                "inconnue",
            ],
            "inconnue",
        ),
        (
            vec![
                "counts",
                "import",
                good.to_str().unwrap(),
                "--organisation",
                "agence",
            ],
            "l'agence",
        ),
    ] {
        let out = comptoir(&args, Some(&url), None);
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }

    let out = comptoir(&["counts", "rebuild-rollups"], Some(&url), None);
    assert!(out.status.success());
    assert_rollups_consistent(&pool).await;
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn counters_are_managed_with_field_errors_groups_and_status(pool: PgPool) {
    let s = setup(pool.clone()).await;
    let org = s.f.org_a.to_string();
    let resp = s
        .app
        .call(
            &s.admin,
            "save_site",
            &[
                ("fields[organisation_id]", &org),
                ("fields[shop_code]", "P1"),
                ("fields[name]", ""),
                ("fields[ip]", "300.1.1.1"),
                ("fields[country]", "XX"),
                ("fields[city]", "Nice"),
                ("fields[opens_at]", "20:00"),
                ("fields[closes_at]", "08:00"),
                ("fields[time_zone]", "Mars/Olympus"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problems = json_of(resp).await.to_string();
    for p in [
        "NameRequired",
        "IpInvalid",
        "CountryInvalid",
        "ClosingBeforeOpening",
        "TimeZoneUnknown",
    ] {
        assert!(problems.contains(p), "{p} in {problems}");
    }
    // The same code twice in one organisation is refused; in another it is fine.
    let dup = s
        .app
        .call(
            &s.admin,
            "save_site",
            &[
                ("fields[organisation_id]", &org),
                ("fields[shop_code]", "P1"),
                ("fields[name]", "Doublon"),
                ("fields[country]", "FR"),
                ("fields[city]", "Nice"),
                ("fields[opens_at]", "09:00"),
                ("fields[closes_at]", "19:00"),
                ("fields[time_zone]", "Europe/Paris"),
            ],
        )
        .await;
    assert!(json_of(dup).await.to_string().contains("ShopCodeTaken"));
    add_site(&s.app, &s.admin, s.f.org_b, "P1", "Europe/Paris").await;

    // Not operational needs a reason; updated_at is the database's.
    let before: chrono::DateTime<Utc> =
        sqlx::query_scalar("SELECT updated_at FROM sites WHERE id = $1")
            .bind(s.p1)
            .fetch_one(&pool)
            .await
            .unwrap();
    let p1 = s.p1.to_string();
    let resp = s
        .app
        .call(
            &s.admin,
            "set_site_operational",
            &[("site_id", &p1), ("operational", "false"), ("reason", " ")],
        )
        .await;
    assert!(json_of(resp).await.to_string().contains("ReasonRequired"));
    let resp = s
        .app
        .call(
            &s.admin,
            "set_site_operational",
            &[
                ("site_id", &p1),
                ("operational", "false"),
                ("reason", "Travaux"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let (operational, reason, after): (bool, Option<String>, chrono::DateTime<Utc>) =
        sqlx::query_as(
            "SELECT operational, not_operational_reason, updated_at FROM sites WHERE id = $1",
        )
        .bind(s.p1)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!((operational, reason.as_deref()), (false, Some("Travaux")));
    assert!(after > before);

    // Search by code, country, city, organisation.
    let page = json_of(
        s.app
            .call(
                &s.admin,
                "list_sites",
                &[("filter[organisation_id]", &org), ("filter[search]", "p2")],
            )
            .await,
    )
    .await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["shop_code"], "P2");
    let page = json_of(
        s.app
            .call(&s.admin, "list_sites", &[("filter[city]", "lyo")])
            .await,
    )
    .await;
    assert_eq!(page["total"], 4);

    // Groups: the rollup follows membership changes.
    let day = Utc::now().date_naive() - Duration::days(1);
    let rows = json!([
        {"shop_code": "P1", "date": day.to_string(), "entries": 30},
        {"shop_code": "P2", "date": day.to_string(), "entries": 12},
    ]);
    assert_eq!(push(&s.app, &s.token, &rows).await.status(), StatusCode::OK);
    let group = create_group(&s.app, &s.admin, s.f.org_a, "Outlets").await;
    let g = group.to_string();
    let resp = s
        .app
        .call(
            &s.admin,
            "set_site_groups",
            &[("site_id", &p1), ("group_ids[0]", &g)],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_rollups_consistent(&pool).await;
    let more = json!([{"shop_code": "P1", "date": day.to_string(), "entries": 31}]);
    assert_eq!(push(&s.app, &s.token, &more).await.status(), StatusCode::OK);
    assert_rollups_consistent(&pool).await;
    let group_total: i64 =
        sqlx::query_scalar("SELECT entries FROM group_daily WHERE group_id = $1")
            .bind(group)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(group_total, 31);
    // Another organisation's group cannot be assigned.
    let other = create_group(&s.app, &s.admin, s.f.org_b, "Outlets").await;
    let resp = s
        .app
        .call(
            &s.admin,
            "set_site_groups",
            &[("site_id", &p1), ("group_ids[0]", &other.to_string())],
        )
        .await;
    assert!(json_of(resp).await.to_string().contains("GroupUnknown"));

    // A counter with counts cannot be deleted; one without can.
    let resp = s
        .app
        .call(
            &s.admin,
            "delete_site",
            &[("site_id", &p1), ("confirm", "oui")],
        )
        .await;
    assert!(json_of(resp).await.to_string().contains("SiteHasCounts"));
    // The deletion asks for its confirmation box.
    let b1 = s.b1.to_string();
    let resp = s
        .app
        .call(&s.admin, "delete_site", &[("site_id", &b1)])
        .await;
    assert!(
        json_of(resp)
            .await
            .to_string()
            .contains("DeletionNotConfirmed")
    );
    let resp = s
        .app
        .call(
            &s.admin,
            "delete_site",
            &[("site_id", &b1), ("confirm", "oui")],
        )
        .await;
    assert!(
        resp.status().is_success() || resp.status().is_redirection(),
        "{}",
        resp.status()
    );
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn only_admins_manage_counters_and_tenants_see_their_own_groups(pool: PgPool) {
    let s = setup(pool.clone()).await;
    let a = s.f.org_a.to_string();
    let b = s.f.org_b.to_string();
    let p1 = s.p1.to_string();
    let b1 = s.b1.to_string();
    let token = s.token_id.to_string();
    let group_b = create_group(&s.app, &s.admin, s.f.org_b, "Sud")
        .await
        .to_string();
    let admin_only: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("list_sites", vec![("filter[organisation_id]", &b)]),
        ("list_sites", vec![]),
        ("get_site", vec![("site_id", &b1)]),
        ("get_site", vec![("site_id", &p1)]),
        ("site_editor", vec![("site_id", &p1)]),
        (
            "save_site",
            vec![("fields[organisation_id]", &a), ("fields[shop_code]", "X")],
        ),
        (
            "set_site_operational",
            vec![("site_id", &b1), ("operational", "true")],
        ),
        ("delete_site", vec![("site_id", &b1), ("confirm", "oui")]),
        (
            "create_store_group",
            vec![("organisation_id", &a), ("name", "X")],
        ),
        (
            "rename_store_group",
            vec![("group_id", &group_b), ("name", "X")],
        ),
        (
            "delete_store_group",
            vec![("group_id", &group_b), ("confirm", "oui")],
        ),
        ("set_site_groups", vec![("site_id", &b1)]),
        ("list_api_tokens", vec![("organisation_id", &a)]),
        (
            "create_api_token",
            vec![("organisation_id", &a), ("name", "X")],
        ),
        (
            "revoke_api_token",
            vec![("token_id", &token), ("confirm", "oui")],
        ),
        ("list_count_imports", vec![]),
        ("count_import", vec![("import_id", "1")]),
    ];
    for email in ["lecteur@a.test", "compta@a.test"] {
        let client = s.app.signed_in(email).await;
        for (endpoint, args) in &admin_only {
            let resp = s.app.call(&client, endpoint, args).await;
            assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{email} {endpoint}");
        }
        // The group list is the caller's own organisation's, whatever is asked.
        let groups = json_of(
            s.app
                .call(&client, "list_store_groups", &[("organisation_id", &b)])
                .await,
        )
        .await;
        assert_eq!(groups, json!([]), "{email}");
    }
    let anonymous = s.app.client();
    let resp = s.app.call(&anonymous, "list_sites", &[]).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    // Nothing changed.
    let revoked: bool =
        sqlx::query_scalar("SELECT revoked_at IS NOT NULL FROM api_tokens WHERE id = $1")
            .bind(s.token_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(!revoked);
    let sites: i64 = sqlx::query_scalar("SELECT count(*) FROM sites")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(sites, 3);
    let _ = s.p2;
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn the_demo_loads_counters_once(pool: PgPool) {
    let url = url_of(&pool);
    for _ in 0..2 {
        let out = comptoir(&["demo"], Some(&url), None);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let sites: i64 = sqlx::query_scalar("SELECT count(*) FROM sites")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(sites, 17);
    let zero: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM counts c JOIN sites s ON s.id = c.site_id \
         WHERE s.shop_code = 'BASH-LIL-01' AND c.entries = 0",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(zero, 1);
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM counts")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(rows > 6_000, "{rows}");
    assert_rollups_consistent(&pool).await;
}
