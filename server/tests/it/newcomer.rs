//! What a newcomer found (issue 35): the counters search and the city, an unknown shop's page,
//! French numbers and French messages in the counts import, and the maintenance window's 503s
//! in the logs.

use crate::cli::{comptoir, url_of};
use crate::common::{CapturedLog, TestApp, location};
use crate::counters::upload;
use crate::invoicing::json as json_of;
use chrono::{Duration, NaiveDate, Utc};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use sqlx::PgPool;

/// A shop of `org` in `city`; its name does not say the city.
async fn shop(app: &TestApp, admin: &Client, org: i64, code: &str, city: &str) -> i64 {
    let org = org.to_string();
    let resp = app
        .call(
            admin,
            "save_site",
            &[
                ("fields[organisation_id]", &org),
                ("fields[shop_code]", code),
                ("fields[name]", &format!("Boutique {code}")),
                ("fields[country]", "FR"),
                ("fields[city]", city),
                ("fields[opens_at]", "09:00"),
                ("fields[closes_at]", "19:00"),
                ("fields[time_zone]", "Europe/Paris"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    json_of(resp).await.as_i64().unwrap()
}

fn codes(page: &Value) -> Vec<String> {
    let mut codes: Vec<String> = page["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["shop_code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    codes.sort();
    codes
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn the_counters_search_finds_a_city(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let f = app.fixture().await;
    let admin = app.signed_in("admin@agence.test").await;
    shop(&app, &admin, f.org_a, "A-01", "Paris").await;
    shop(&app, &admin, f.org_a, "A-02", "Paris").await;
    shop(&app, &admin, f.org_a, "A-03", "Lyon").await;
    shop(&app, &admin, f.org_b, "B-01", "Paris").await;

    // The admin list, whatever the case of the search.
    for search in ["paris", "PARIS", "Par"] {
        let page = json_of(
            app.call(&admin, "list_sites", &[("filter[search]", search)])
                .await,
        )
        .await;
        assert_eq!(codes(&page), ["A-01", "A-02", "B-01"], "{search}");
    }
    // The last page number there is: an empty page, not an overflow (a 500 in release).
    let far = json_of(
        app.call(
            &admin,
            "list_sites",
            &[("filter[page]", "9223372036854775807")],
        )
        .await,
    )
    .await;
    assert_eq!(codes(&far), Vec::<String>::new());
    let alerts = app
        .call(
            &admin,
            "counter_alerts",
            &[("filter[page]", "9223372036854775807")],
        )
        .await;
    assert_eq!(alerts.status(), StatusCode::OK);
    let org_a = f.org_a.to_string();
    let page = json_of(
        app.call(
            &admin,
            "list_sites",
            &[
                ("filter[organisation_id]", &org_a),
                ("filter[search]", "lyon"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(codes(&page), ["A-03"]);
    // The dashboard's list: the viewer's own organisation only.
    let viewer = app.signed_in("lecteur@a.test").await;
    let page = json_of(
        app.call(&viewer, "dashboard_sites", &[("filter[search]", "paris")])
            .await,
    )
    .await;
    assert_eq!(codes(&page), ["A-01", "A-02"]);
    // The code and the name still match.
    let page = json_of(
        app.call(&viewer, "dashboard_sites", &[("filter[search]", "a-03")])
            .await,
    )
    .await;
    assert_eq!(codes(&page), ["A-03"]);
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn an_unknown_or_foreign_shop_page_is_a_404(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let f = app.fixture().await;
    let admin = app.signed_in("admin@agence.test").await;
    let own = shop(&app, &admin, f.org_a, "A-01", "Paris").await;
    let foreign = shop(&app, &admin, f.org_b, "B-01", "Lyon").await;
    let viewer = app.signed_in("lecteur@a.test").await;
    let status = |client: &Client, path: String| {
        let client = client.clone();
        let url = app.url(&path);
        async move {
            let resp = client.get(url).send().await.unwrap();
            (resp.status(), resp.text().await.unwrap())
        }
    };

    let (code, html) = status(&viewer, format!("/compteurs/magasins/{own}")).await;
    assert_eq!(code, StatusCode::OK);
    assert!(html.contains("A-01"));
    for path in [
        format!("/compteurs/magasins/{foreign}"),
        "/compteurs/magasins/999999999".to_owned(),
        "/compteurs/magasins/abc".to_owned(),
    ] {
        let (code, html) = status(&viewer, path.clone()).await;
        assert_eq!(code, StatusCode::NOT_FOUND, "{path}");
        // The site's not-found page, inside the layout; nothing of the other shop.
        assert!(html.contains("Page introuvable"), "{path}: {html}");
        assert!(html.contains("id=\"contenu\""), "{path}");
        assert!(!html.contains("B-01"), "{path}");
    }
    // An admin sees every organisation's shops.
    let (code, _) = status(&admin, format!("/compteurs/magasins/{foreign}")).await;
    assert_eq!(code, StatusCode::OK);
    // A refused date range stays the shop's page, with its message.
    let (code, _) = status(
        &viewer,
        format!("/compteurs/magasins/{own}?du=2026-11-10&au=2026-11-01"),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
}

async fn entries(pool: &PgPool, site: i64, day: NaiveDate) -> Option<(i32, Option<i32>)> {
    sqlx::query_as("SELECT entries, exits FROM counts WHERE site_id = $1 AND day = $2")
        .bind(site)
        .bind(day)
        .fetch_optional(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn the_counts_import_reads_french_numbers_and_speaks_french(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    let admin = app.signed_in("admin@agence.test").await;
    let p1 = shop(&app, &admin, f.org_a, "P1", "Paris").await;
    let p2 = shop(&app, &admin, f.org_a, "P2", "Paris").await;
    let day = Utc::now().date_naive() - Duration::days(2);
    let fr = day.format("%d/%m/%Y").to_string();

    // A French spreadsheet's export: thousands grouped by a no-break or a narrow no-break
    // space, or a plain space.
    let csv = format!(
        "code_magasin;jour;entrees;sorties\r\n\
         P1;{fr};1\u{a0}234;1\u{202f}230\r\n\
         P2;{fr};12 345;\r\n\
         P1;{day};abc;\r\n\
         P2;{day};7;-2\r\n"
    );
    let resp = upload(&app, &admin, f.org_a, "comptages.csv", csv.as_bytes()).await;
    let to = location(&resp);
    let id = to
        .split("rapport=")
        .nth(1)
        .unwrap_or_else(|| panic!("report link expected, got {to}"));
    let import = json_of(app.call(&admin, "count_import", &[("import_id", id)]).await).await;
    assert_eq!(import["report"]["accepted"], 2, "{import}");
    let refused: Vec<(i64, String)> = import["report"]["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["position"].as_i64().unwrap(),
                r["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        refused,
        [
            (
                4,
                "nombre d'entrées « abc » invalide : un nombre entier est attendu (par exemple \
                 1234 ou 1 234)"
                    .to_owned()
            ),
            (5, "nombre de sorties négatif (« -2 »)".to_owned()),
        ]
    );
    assert_eq!(entries(&pool, p1, day).await, Some((1234, Some(1230))));
    assert_eq!(entries(&pool, p2, day).await, Some((12345, None)));

    // A header without the needed columns: the reason, in French, names them in French.
    let resp = upload(
        &app,
        &admin,
        f.org_a,
        "entete.csv",
        b"shop_code;entries\nP1;3\n",
    )
    .await;
    let to = reqwest::Url::parse(&format!("http://x{}", location(&resp))).unwrap();
    let detail: String = to
        .query_pairs()
        .find(|(k, _)| k == "detail")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    assert!(
        detail.contains("doit nommer les colonnes code magasin, date et entrées (sorties"),
        "{to}"
    );

    // The command line reads the same numbers and prints the same French report.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("comptages.csv");
    let earlier = day - Duration::days(1);
    std::fs::write(&file, format!("P1;{earlier};2 345\nP2;{earlier};douze\n")).unwrap();
    let file = file.to_str().unwrap();
    let out = comptoir(
        &["counts", "import", file, "--organisation", "org-a"],
        Some(&url_of(&pool)),
        None,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("ligne 2 : nombre d'entrées « douze » invalide"),
        "{stdout}"
    );
    assert_eq!(entries(&pool, p1, earlier).await, Some((2345, None)));
}

/// A planned window's 503s are not errors: one INFO line when the gate starts refusing, one
/// with the count when the window is over, no ERROR line per request; another 5xx is still
/// logged at ERROR.
#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn maintenance_503s_are_logged_once_per_window_not_as_errors(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    app.fixture().await;
    let log = CapturedLog::default();
    let _log = log.capture(tracing::Level::INFO);

    let now = Utc::now();
    let window = app::maintenance::db::insert(
        &pool,
        now - Duration::minutes(1),
        now + Duration::minutes(30),
        "Mise à jour",
        None,
    )
    .await
    .unwrap();
    let anonymous = app.client();
    for path in ["/", "/compteurs", "/facturation"] {
        let resp = anonymous.get(app.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
    }
    let api = Client::new()
        .post(app.url("/api/v1/counts"))
        .bearer_auth("cpt_inconnu")
        .json(&serde_json::json!([]))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE);
    let during = log.text();
    assert!(!during.contains("ERROR"), "{during}");
    assert_eq!(
        during.matches("maintenance window: answering 503").count(),
        1,
        "{during}"
    );

    // Over: the first request let through closes the window's count.
    sqlx::query(
        "UPDATE maintenance_windows SET starts_at = now() - interval '2 minutes', \
         ends_at = now() - interval '1 second' WHERE id = $1",
    )
    .bind(window.id)
    .execute(&pool)
    .await
    .unwrap();
    let resp = anonymous.get(app.url("/")).send().await.unwrap();
    assert_ne!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    anonymous.get(app.url("/")).send().await.unwrap();
    let after = log.text();
    assert_eq!(
        after.matches("maintenance window over").count(),
        1,
        "{after}"
    );
    assert!(after.contains("refused=4"), "{after}");
    assert!(!after.contains("ERROR"), "{after}");

    // Any other 5xx is still an error: readiness without the database.
    pool.close().await;
    let ready = app
        .client()
        .get(app.url("/health/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    let last = log.text();
    assert!(
        last.lines()
            .any(|l| l.contains("ERROR") && l.contains("response failed")),
        "{last}"
    );
}
