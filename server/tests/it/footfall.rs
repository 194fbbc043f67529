//! The client side of the counters against a real PostgreSQL and HTTP: the dashboard's figures
//! (no data kept apart from zero), the group filter, a shop's history and its date range, the
//! CSV exports, the alert job (run by two instances at once) and acknowledgements, and tenant
//! isolation on every dashboard function and route.

use crate::common::TestApp;
use crate::counters::{add_site, assert_rollups_consistent, create_group, push, token_for};
use crate::invoicing::json as json_of;
use chrono::{Duration, NaiveDate, Utc};
use comptoir_server::jobs::{self, Job, Outcome};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use sqlx::PgPool;

fn paris_today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .date_naive()
}

fn fr(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

async fn ok_json(resp: reqwest::Response) -> Value {
    assert_eq!(resp.status(), StatusCode::OK);
    json_of(resp).await
}

struct Board {
    app: TestApp,
    admin: Client,
    viewer_a: Client,
    viewer_b: Client,
    org_a: i64,
    org_b: i64,
    p1: i64,
    p2: i64,
    b1: i64,
    nord: i64,
    yesterday: NaiveDate,
}

/// Organisation A: P1 (group Nord) and P2; organisation B: B1. Ten days of counts for P1
/// (one day missing, one day at zero), three for P2, two for B1.
async fn board(pool: PgPool) -> Board {
    board_on(TestApp::spawn(pool).await).await
}

async fn board_on(app: TestApp) -> Board {
    let f = app.fixture().await;
    let admin = app.signed_in("admin@agence.test").await;
    let p1 = add_site(&app, &admin, f.org_a, "P1", "Europe/Paris").await;
    let p2 = add_site(&app, &admin, f.org_a, "P2", "Europe/Paris").await;
    let b1 = add_site(&app, &admin, f.org_b, "B1", "Europe/Paris").await;
    let nord = create_group(&app, &admin, f.org_a, "Nord").await;
    let resp = app
        .call(
            &admin,
            "set_site_groups",
            &[
                ("site_id", &p1.to_string()),
                ("group_ids[0]", &nord.to_string()),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let yesterday = paris_today() - Duration::days(1);
    let day = |n: i64| (yesterday - Duration::days(n)).to_string();
    let mut rows = Vec::new();
    for n in 0..10 {
        match n {
            4 => {}
            2 => rows.push(json!({"shop_code": "P1", "date": day(n), "entries": 0})),
            _ => rows.push(json!({"shop_code": "P1", "date": day(n), "entries": 100 + n})),
        }
    }
    for n in 0..3 {
        rows.push(json!({"shop_code": "P2", "date": day(n), "entries": 10, "exits": 9}));
    }
    let (_, token_a) = token_for(&app, &admin, f.org_a).await;
    let report = json_of(push(&app, &token_a, &Value::Array(rows)).await).await;
    assert_eq!(report["accepted"], 12, "{report}");
    let (_, token_b) = token_for(&app, &admin, f.org_b).await;
    let rows = json!([
        {"shop_code": "B1", "date": day(0), "entries": 0},
        {"shop_code": "B1", "date": day(1), "entries": 7},
    ]);
    assert_eq!(
        json_of(push(&app, &token_b, &rows).await).await["accepted"],
        2
    );
    Board {
        viewer_a: app.signed_in("lecteur@a.test").await,
        viewer_b: app.signed_in("lecteur@b.test").await,
        app,
        admin,
        org_a: f.org_a,
        org_b: f.org_b,
        p1,
        p2,
        b1,
        nord,
        yesterday,
    }
}

fn trend_value(dashboard: &Value, day: NaiveDate) -> Value {
    dashboard["trend"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["iso"] == day.to_string())
        .map(|d| d["entries"].clone())
        .unwrap_or(Value::String("absent".into()))
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn the_dashboard_shows_the_organisations_figures_and_keeps_no_data_apart(pool: PgPool) {
    let b = board(pool.clone()).await;
    let y = b.yesterday;
    let d = ok_json(b.app.call(&b.viewer_a, "counters_dashboard", &[]).await).await;
    assert_eq!(d["organisation_name"], "Organisation A");
    assert_eq!(
        (d["total"].as_i64(), d["operational"].as_i64()),
        (Some(2), Some(2))
    );
    assert_eq!(d["days"], 30);
    let trend = d["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 30);
    // Today has no data yet: the figures end yesterday.
    assert_eq!(trend.last().unwrap()["iso"], y.to_string());
    assert_eq!(trend_value(&d, y), json!(110));
    assert_eq!(
        trend_value(&d, y - Duration::days(2)),
        json!(10),
        "P1's zero counts"
    );
    assert_eq!(
        trend_value(&d, y - Duration::days(4)),
        json!(null),
        "no data is not 0"
    );
    assert_eq!(trend_value(&d, y - Duration::days(20)), json!(null));
    assert_eq!(d["groups"], json!([{"id": b.nord, "name": "Nord"}]));
    // P1's zero is two days old: the zero-entry alert only looks at the previous day.
    assert_eq!(d["open_alerts"], 0);
    // The top 10 ranks the month's shops; both sides of each card agree with the counts.
    let month_start =
        NaiveDate::from_ymd_opt(chrono::Datelike::year(&y), chrono::Datelike::month(&y), 1)
            .unwrap();
    let p1_month: Option<i64> = sqlx::query_scalar(
        "SELECT sum(entries)::bigint FROM counts WHERE site_id = $1 AND day >= $2",
    )
    .bind(b.p1)
    .bind(month_start)
    .fetch_one(&pool)
    .await
    .unwrap();
    let top = d["top"].as_array().unwrap();
    assert_eq!(top[0]["shop_code"], "P1");
    assert_eq!(top[0]["rank"], 1);
    assert_eq!(top[0]["entries"].as_i64(), p1_month);
    assert!(top.iter().all(|s| s["shop_code"] != "B1"));
    let week_sum: Option<i64> = sqlx::query_scalar(
        "SELECT sum(c.entries)::bigint FROM counts c JOIN sites s ON s.id = c.site_id \
          WHERE s.organisation_id = $1 AND c.day BETWEEN $2 AND $3",
    )
    .bind(b.org_a)
    .bind(y - Duration::days(chrono::Datelike::weekday(&y).num_days_from_monday() as i64))
    .bind(y)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(d["week"]["current"].as_i64(), week_sum);
    // Nothing 52 weeks earlier: no percentage rather than a made-up one.
    assert_eq!(d["month_to_date"]["previous"], json!(null));
    assert_eq!(d["month_to_date"]["permille"], json!(null));

    // The group filter: only P1.
    let g = b.nord.to_string();
    let d = ok_json(
        b.app
            .call(
                &b.viewer_a,
                "counters_dashboard",
                &[("filter[group_id]", &g), ("filter[days]", "90")],
            )
            .await,
    )
    .await;
    assert_eq!(d["group"]["name"], "Nord");
    assert_eq!(d["total"], 1);
    assert_eq!(d["trend"].as_array().unwrap().len(), 90);
    assert_eq!(trend_value(&d, y), json!(100));

    // The counter list with its search.
    let list = ok_json(
        b.app
            .call(&b.viewer_a, "dashboard_sites", &[("filter[search]", "p2")])
            .await,
    )
    .await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["shop_code"], "P2");
    assert_eq!(list["items"][0]["last_day"], fr(y));

    // An admin chooses the organisation.
    let d = ok_json(
        b.app
            .call(
                &b.admin,
                "counters_dashboard",
                &[("filter[organisation_id]", &b.org_b.to_string())],
            )
            .await,
    )
    .await;
    assert_eq!(d["organisation_name"], "Organisation B");
    assert_eq!(trend_value(&d, y), json!(0));

    // The SSR page carries the charts (readable without JavaScript).
    let html = b.app.page(&b.viewer_a, "/compteurs").await;
    assert!(html.contains("Organisation A"), "{html}");
    assert!(html.contains("class=\"line-chart\""), "{html}");
    assert!(html.contains("class=\"bar-chart\""));
    assert!(html.contains("class=\"donut\""));
    assert!(html.contains("data-testid=\"last-refresh\""));
    let kiosk = b.app.page(&b.viewer_a, "/compteurs?kiosque=1").await;
    assert!(html.contains("id=\"main-nav\""));
    assert!(
        !kiosk.contains("id=\"main-nav\""),
        "kiosk mode hides the navigation"
    );
    assert_rollups_consistent(&pool).await;
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_shop_page_shows_its_range_with_best_worst_and_missing_days(pool: PgPool) {
    let b = board(pool.clone()).await;
    let y = b.yesterday;
    let p1 = b.p1.to_string();
    let from = (y - Duration::days(9)).to_string();
    let to = y.to_string();
    let h = ok_json(
        b.app
            .call(
                &b.viewer_a,
                "shop_history",
                &[("site_id", &p1), ("from", &from), ("to", &to)],
            )
            .await,
    )
    .await;
    assert_eq!(h["site"]["shop_code"], "P1");
    assert_eq!(h["days"].as_array().unwrap().len(), 10);
    assert_eq!(h["days_with_data"], 9);
    assert_eq!(
        h["best"],
        json!({"date": fr(y - Duration::days(9)), "entries": 109})
    );
    assert_eq!(
        h["worst"],
        json!({"date": fr(y - Duration::days(2)), "entries": 0})
    );
    let missing = fr(y - Duration::days(4));
    assert_eq!(
        h["gaps"],
        json!([{"first": missing, "last": missing, "days": 1}])
    );
    let expected_total: u64 = (0..10)
        .filter(|n| *n != 4 && *n != 2)
        .map(|n| 100 + n)
        .sum();
    assert_eq!(h["total"].as_u64(), Some(expected_total));
    // Default range: the 30 days up to yesterday.
    let h = ok_json(
        b.app
            .call(&b.viewer_a, "shop_history", &[("site_id", &p1)])
            .await,
    )
    .await;
    assert_eq!(h["to"], y.to_string());
    assert_eq!(h["days"].as_array().unwrap().len(), 30);

    for (from, to, field, problem) in [
        ("2026-02-30", "", "from", "DateInvalid"),
        (to.as_str(), from.as_str(), "from", "RangeReversed"),
        ("2019-01-01", to.as_str(), "from", "RangeTooLong"),
    ] {
        let resp = b
            .app
            .call(
                &b.viewer_a,
                "shop_history",
                &[("site_id", &p1), ("from", from), ("to", to)],
            )
            .await;
        assert_eq!(
            resp.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{from} {to}"
        );
        let body = resp.text().await.unwrap();
        assert!(body.contains(problem) && body.contains(field), "{body}");
    }
    let page = b
        .app
        .page(
            &b.viewer_a,
            &format!("/compteurs/magasins/{p1}?du={to}&au={from}"),
        )
        .await;
    assert!(
        page.contains("La date de début doit précéder la date de fin"),
        "{page}"
    );

    // CSV export of the shown range: a row per day, empty where there is no data.
    let resp = b
        .viewer_a
        .get(b.app.url(&format!(
            "/compteurs/export.csv?site={p1}&du={from}&au={to}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "text/csv; charset=utf-8");
    let body = resp.text().await.unwrap();
    let lines: Vec<&str> = body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "date;code_magasin;magasin;entrees;sorties");
    assert_eq!(lines.len(), 11);
    assert!(lines.contains(&format!("{};P1;Boutique P1;;", y - Duration::days(4)).as_str()));
    assert!(lines.contains(&format!("{};P1;Boutique P1;0;", y - Duration::days(2)).as_str()));
    let resp = b
        .viewer_a
        .get(b.app.url("/compteurs/export.csv?jours=30"))
        .send()
        .await
        .unwrap();
    let body = resp.text().await.unwrap();
    let lines: Vec<&str> = body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "date;entrees;magasins_avec_donnees");
    assert_eq!(lines.len(), 31);
    assert_eq!(*lines.last().unwrap(), format!("{y};110;2"));
    let resp = b
        .viewer_a
        .get(
            b.app
                .url(&format!("/compteurs/export.csv?site={p1}&du=2019-01-01")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.text().await.unwrap().contains("3 ans"));

    // A shop named like a formula comes out as text: spreadsheets must not run it.
    sqlx::query("UPDATE sites SET name = '=HYPERLINK(\"http://evil.test\";\"x\")' WHERE id = $1")
        .bind(b.p1)
        .execute(&b.app.pool)
        .await
        .unwrap();
    let body = b
        .viewer_a
        .get(b.app.url(&format!(
            "/compteurs/export.csv?site={p1}&du={from}&au={to}"
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let first_row = body.lines().nth(1).unwrap();
    assert!(
        first_row.contains(";\"'=HYPERLINK(\"\"http://evil.test\"\";\"\"x\"\")\";"),
        "{first_row}"
    );
    let _ = b.p2;
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn alerts_are_detected_once_and_acknowledged_in_the_organisation(pool: PgPool) {
    let b = board(pool.clone()).await;
    let y = b.yesterday;
    // Ingestion already recorded yesterday's zero for B1 (P1's zero is two days ago: not an
    // alert, the rule looks at the previous local day).
    let zero: Vec<(i64, NaiveDate)> = sqlx::query_as(
        "SELECT site_id, day FROM counter_alerts WHERE kind = 'zero_entries' ORDER BY site_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(zero, vec![(b.b1, y)]);
    // A zero for P1 yesterday, then the job two days later, run by two instances at once.
    let (_, token_a) = token_for(&b.app, &b.admin, b.org_a).await;
    let row = json!([{"shop_code": "P1", "date": y.to_string(), "entries": 0}]);
    assert_eq!(
        json_of(push(&b.app, &token_a, &row).await).await["accepted"],
        1
    );
    let resp = b
        .app
        .call(
            &b.admin,
            "set_site_operational",
            &[
                ("site_id", &b.b1.to_string()),
                ("operational", "false"),
                ("reason", "Travaux"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let later = Utc::now() + Duration::days(2);
    let (one, two) = tokio::join!(jobs::run_due(&pool, later), jobs::run_due(&pool, later));
    let ran = one
        .into_iter()
        .chain(two)
        .filter(|(job, _)| *job == Job::CounterAlerts)
        .map(|(_, r)| r.unwrap())
        .filter(|o| matches!(o, Outcome::Ran(_)))
        .count();
    assert_eq!(ran, 1);
    // Run again anyway (no lock): nothing is recorded twice.
    app::counters::stats::detect_offline(&pool, later)
        .await
        .unwrap();
    app::counters::stats::detect_zero_entries(&pool, None, Utc::now())
        .await
        .unwrap();
    let kinds: Vec<(i64, String)> =
        sqlx::query_as("SELECT site_id, kind FROM counter_alerts ORDER BY site_id, kind")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        kinds,
        vec![
            (b.p1, "offline".to_owned()),
            (b.p1, "zero_entries".to_owned()),
            (b.p2, "offline".to_owned()),
            (b.b1, "zero_entries".to_owned()),
        ],
        "B1 is out of service: no offline alert"
    );

    let page = ok_json(b.app.call(&b.viewer_a, "counter_alerts", &[]).await).await;
    assert_eq!(page["open"], 3);
    let items = page["items"].as_array().unwrap();
    let zero = items.iter().find(|a| a["kind"] == "ZeroEntries").unwrap();
    assert_eq!(zero["organisation_name"], "Organisation A");
    assert_eq!(zero["shop_code"], "P1");
    assert_eq!(zero["day"], fr(y));
    let html = b.app.page(&b.viewer_a, "/compteurs/alertes").await;
    let text = format!(
        "Le compteur de l&#x27;entreprise Organisation A a fait 0 entrée le {}",
        fr(y)
    );
    let plain = text.replace("&#x27;", "'");
    assert!(html.contains(&text) || html.contains(&plain), "{html}");

    // B cannot see or acknowledge A's alerts.
    let id = zero["id"].as_i64().unwrap().to_string();
    let theirs = ok_json(b.app.call(&b.viewer_b, "counter_alerts", &[]).await).await;
    assert_eq!(theirs["open"], 1);
    assert!(
        theirs["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["shop_code"] == "B1")
    );
    let resp = b
        .app
        .call(
            &b.viewer_b,
            "acknowledge_counter_alert",
            &[("alert_id", &id)],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let resp = b
        .app
        .call(
            &b.viewer_b,
            "counter_alerts",
            &[("filter[organisation_id]", &b.org_a.to_string())],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    // A's viewer acknowledges; twice is harmless and keeps the first.
    for _ in 0..2 {
        let resp = b
            .app
            .call(
                &b.viewer_a,
                "acknowledge_counter_alert",
                &[("alert_id", &id)],
            )
            .await;
        assert_eq!(resp.status(), StatusCode::OK);
    }
    let by: Option<String> = sqlx::query_scalar(
        "SELECT a.email FROM counter_alerts c JOIN accounts a ON a.id = c.acknowledged_by WHERE c.id = $1",
    )
    .bind(id.parse::<i64>().unwrap())
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(by.as_deref(), Some("lecteur@a.test"));
    let page = ok_json(b.app.call(&b.viewer_a, "counter_alerts", &[]).await).await;
    assert_eq!(page["open"], 2);
    // Corrected data marks the alert as recovered.
    let row = json!([{"shop_code": "P1", "date": y.to_string(), "entries": 42}]);
    push(&b.app, &token_a, &row).await;
    let all = ok_json(
        b.app
            .call(&b.viewer_a, "counter_alerts", &[("filter[show]", "toutes")])
            .await,
    )
    .await;
    let zero = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"].as_i64() == id.parse().ok())
        .unwrap()
        .clone();
    assert_eq!(zero["recovered"], true);
    assert_eq!(zero["acknowledged_by"], "Nom lecteur@a.test");
}

/// "No data for N days" (default 2): a counter that still calls in but stores no new day is
/// flagged once (the job run by two instances at once, then again), in its own calendar; not
/// out of service, not one day short, not offline (that alert says it); data coming back shows;
/// each organisation sees and acknowledges its own.
#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn counters_calling_in_without_data_are_flagged_once_in_their_organisation(pool: PgPool) {
    use app::counters::stats::{detect_no_data, detect_offline};
    let b = board(pool.clone()).await;
    let (y, a) = (b.yesterday, b.org_a);
    let mut ids = Vec::new();
    for (org, code) in [(a, "M1"), (b.org_b, "M2"), (a, "M3"), (a, "M4"), (a, "K1")] {
        let zone = ["Europe/Paris", "Pacific/Kiritimati"][usize::from(code == "K1")];
        ids.push(add_site(&b.app, &b.admin, org, code, zone).await);
    }
    // Nothing after `last` (a 0 is data); M3 lacks yesterday only; M4 is out of service; K1
    // counts in its own calendar (UTC+14).
    let last = y - Duration::days(2);
    let kiritimati = Utc::now().with_timezone(&chrono_tz::Pacific::Kiritimati);
    let k_last = kiritimati.date_naive() - Duration::days(3);
    let row = |code: &str, day: NaiveDate, n: u32| {
        let date = day.to_string();
        json!({"shop_code": code, "date": date, "entries": n})
    };
    let (_, token_a) = token_for(&b.app, &b.admin, a).await;
    let (_, token_b) = token_for(&b.app, &b.admin, b.org_b).await;
    let rows = json!([
        row("M1", last, 0),
        row("M3", y - Duration::days(1), 5),
        row("M4", last, 5),
        row("K1", k_last, 5)
    ]);
    assert_eq!(
        json_of(push(&b.app, &token_a, &rows).await).await["accepted"],
        4
    );
    push(&b.app, &token_b, &json!([row("M2", last, 5)])).await;
    sqlx::query(
        "UPDATE sites SET operational = false, not_operational_reason = 'Travaux' WHERE id = $1",
    )
    .bind(ids[3])
    .execute(&pool)
    .await
    .unwrap();

    let now = Utc::now();
    let (one, two) = tokio::join!(jobs::run_due(&pool, now), jobs::run_due(&pool, now));
    let ran = one
        .into_iter()
        .chain(two)
        .filter(|(job, r)| *job == Job::CounterAlerts && matches!(r, Ok(Outcome::Ran(_))));
    assert_eq!(ran.count(), 1);
    assert_eq!(detect_no_data(&pool, Utc::now(), 2).await.unwrap(), 0);
    let flagged: Vec<(i64, NaiveDate)> = sqlx::query_as(
        "SELECT site_id, day FROM counter_alerts WHERE kind = 'no_data' ORDER BY site_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(flagged, [(ids[0], last), (ids[1], last), (ids[4], k_last)]);
    // Two days on, every counter is silent: offline alerts only, no "no data" on top.
    let later = now + Duration::days(2);
    assert_eq!(detect_no_data(&pool, later, 2).await.unwrap(), 0);
    assert!(detect_offline(&pool, later).await.unwrap() > 0);

    let find = |page: &Value, code: &str| {
        let items = page["items"].as_array().unwrap().iter();
        items
            .filter(|i| i["kind"] == "NoData" && i["shop_code"] == code)
            .map(|i| {
                (
                    i["id"].clone(),
                    i["day"].clone(),
                    i["days"].clone(),
                    i["recovered"].clone(),
                )
            })
            .next()
    };
    let page = ok_json(b.app.call(&b.viewer_a, "counter_alerts", &[]).await).await;
    let (id, day, days, recovered) = find(&page, "M1").unwrap();
    assert_eq!(
        (day, days, recovered),
        (json!(fr(last)), json!(3), json!(false))
    );
    assert!(find(&page, "K1").is_some() && find(&page, "M2").is_none());
    let html = b.app.page(&b.viewer_a, "/compteurs/alertes").await;
    let text = format!("Aucune donnée depuis le {} (3 jours)", fr(last));
    assert!(
        html.contains(&text) && html.contains("Sans données"),
        "{html}"
    );
    let theirs = ok_json(b.app.call(&b.viewer_b, "counter_alerts", &[]).await).await;
    assert!(find(&theirs, "M2").is_some() && find(&theirs, "M1").is_none());
    let id = id.as_i64().unwrap().to_string();
    for (viewer, status) in [
        (&b.viewer_b, StatusCode::UNPROCESSABLE_ENTITY),
        (&b.viewer_a, StatusCode::OK),
    ] {
        let args = [("alert_id", id.as_str())];
        let resp = b.app.call(viewer, "acknowledge_counter_alert", &args).await;
        assert_eq!(resp.status(), status);
    }

    // M1's data comes back: the alert shows it and the days it lasted; nothing new is raised.
    push(&b.app, &token_a, &json!([row("M1", y, 40)])).await;
    let all = [("filter[show]", "toutes")];
    let page = ok_json(b.app.call(&b.viewer_a, "counter_alerts", &all).await).await;
    let (_, _, days, recovered) = find(&page, "M1").unwrap();
    assert_eq!((days, recovered), (json!(2), json!(true)));
    assert_eq!(detect_no_data(&pool, Utc::now(), 2).await.unwrap(), 0);
    // COMPTOIR_NO_DATA_DAYS=1: a single whole day without data is enough (M3).
    assert_eq!(detect_no_data(&pool, Utc::now(), 1).await.unwrap(), 1);
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_viewer_of_one_organisation_gets_nothing_of_another(pool: PgPool) {
    let b = board(pool.clone()).await;
    let org_b = b.org_b.to_string();
    let b1 = b.b1.to_string();
    type Call<'a> = (&'a str, Vec<(&'a str, &'a str)>, StatusCode);
    let refused: Vec<Call> = vec![
        (
            "counters_dashboard",
            vec![("filter[organisation_id]", &org_b)],
            StatusCode::FORBIDDEN,
        ),
        (
            "dashboard_sites",
            vec![("filter[organisation_id]", &org_b)],
            StatusCode::FORBIDDEN,
        ),
        (
            "counter_alerts",
            vec![("filter[organisation_id]", &org_b)],
            StatusCode::FORBIDDEN,
        ),
        (
            "shop_history",
            vec![("site_id", &b1)],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for email in ["lecteur@a.test", "compta@a.test"] {
        let client = b.app.signed_in(email).await;
        for (endpoint, args, status) in &refused {
            let resp = b.app.call(&client, endpoint, args).await;
            assert_eq!(resp.status(), *status, "{email} {endpoint}");
            let body = resp.text().await.unwrap();
            assert!(
                !body.contains("Organisation B") && !body.contains("\"B1\""),
                "{body}"
            );
        }
        // A group of B is unknown to A.
        let nord_b = create_group(&b.app, &b.admin, b.org_b, "Sud")
            .await
            .to_string();
        let resp = b
            .app
            .call(
                &client,
                "counters_dashboard",
                &[("filter[group_id]", &nord_b)],
            )
            .await;
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{email}");
        sqlx::query("DELETE FROM store_groups WHERE name = 'Sud'")
            .execute(&pool)
            .await
            .unwrap();
        // The list and the alerts are A's whatever the search.
        let list = ok_json(
            b.app
                .call(&client, "dashboard_sites", &[("filter[search]", "B1")])
                .await,
        )
        .await;
        assert_eq!(list["total"], 0);
        for path in [
            format!("/compteurs/export.csv?site={b1}"),
            format!("/compteurs/export.csv?organisation={org_b}"),
            format!("/compteurs/magasins/{b1}"),
        ] {
            let resp = client.get(b.app.url(&path)).send().await.unwrap();
            let status = resp.status();
            let body = resp.text().await.unwrap();
            assert!(!body.contains("Boutique B1"), "{email} {path}");
            if path.contains("export") {
                assert!(
                    matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                    "{path} {status}"
                );
            }
        }
    }
    let anonymous = b.app.client();
    for endpoint in [
        "counters_dashboard",
        "dashboard_sites",
        "counter_alerts",
        "acknowledge_counter_alert",
    ] {
        let resp = b.app.call(&anonymous, endpoint, &[("alert_id", "1")]).await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{endpoint}");
    }
    let resp = anonymous
        .get(b.app.url("/compteurs/export.csv"))
        .send()
        .await
        .unwrap();
    assert!(resp.url().path().starts_with("/login") || resp.status().is_redirection());
    let _ = (b.p2, b.nord, b.viewer_b);
}

/// Page views never lose a pooled connection. A page's fetch dropped half-way makes sqlx close
/// its connection, and the next view waits for a new PostgreSQL backend: with reactive
/// `Resource`s, dropped with a first build of the page, the footfall pages served half as many
/// requests. Counted as connections opened but no longer in the pool (growing the pool under
/// load opens connections and closes none). That first build depends on timing, so this
/// catches such a drop in some runs only (0 to 8 over 60 views in six runs of the old code);
/// `ui::loading`'s test holds the rule itself.
#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn page_views_reuse_the_pools_connections(pool: PgPool) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let opened = Arc::new(AtomicUsize::new(0));
    let counting = sqlx::postgres::PgPoolOptions::new()
        .max_connections(10)
        .after_connect({
            let opened = Arc::clone(&opened);
            move |_, _| {
                let opened = Arc::clone(&opened);
                Box::pin(async move {
                    opened.fetch_add(1, Ordering::Relaxed);
                    Ok(())
                })
            }
        })
        .connect_with((*pool.connect_options()).clone())
        .await
        .expect("counting pool");
    let b = board_on(TestApp::spawn_as_served(counting.clone()).await).await;
    let pages = [
        "/compteurs".to_owned(),
        format!("/compteurs/magasins/{}", b.p1),
        "/compteurs/alertes".to_owned(),
    ];
    let view_all = |times: usize| {
        let (app, viewer, pages) = (&b.app, &b.viewer_a, &pages);
        async move {
            for _ in 0..times {
                for path in pages {
                    let html = app.page(viewer, path).await;
                    assert!(html.contains("</html>"), "{path}: {html}");
                }
            }
        }
    };
    view_all(20).await;
    // No view is in flight, so no connection is being opened.
    let closed = opened.load(Ordering::SeqCst) - counting.size() as usize;
    counting.close().await;
    assert_eq!(closed, 0, "connections closed during 60 page views");
}
