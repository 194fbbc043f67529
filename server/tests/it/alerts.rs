//! Alerts: audiences and validation scopes, the modal and its no-JavaScript form, lifetimes and
//! the purge, admin management, and recurring schedules run by two instances at once.

use crate::common::TestApp;
use app::alerts::{AlertFields, Audience, ValidationScope};
use chrono::{Duration, Utc};
use comptoir_server::jobs::{self, Job, Outcome};
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

async fn json(resp: reqwest::Response) -> Value {
    let status = resp.status();
    let text = resp.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status}: {text}"))
}

fn fields(title: &str, audience: Audience, scope: ValidationScope, lifetime: &str) -> AlertFields {
    AlertFields {
        title: title.into(),
        message: format!("Message de {title}\nDétails : https://comptoir.example/notes"),
        kind: "update".into(),
        audience: audience.form_value(),
        scope: scope.as_str().into(),
        lifetime_days: lifetime.into(),
    }
}

/// Creates an alert through the admin's server function, as the form does.
async fn create(app: &TestApp, admin: &reqwest::Client, f: &AlertFields) -> i64 {
    let resp = app
        .call(
            admin,
            "save_alert",
            &[
                ("alert_id", ""),
                ("fields[title]", &f.title),
                ("fields[message]", &f.message),
                ("fields[kind]", &f.kind),
                ("fields[audience]", &f.audience),
                ("fields[scope]", &f.scope),
                ("fields[lifetime_days]", &f.lifetime_days),
            ],
        )
        .await;
    json(resp).await.as_i64().expect("alert id")
}

async fn pending_titles(app: &TestApp, client: &reqwest::Client) -> Vec<String> {
    let list = json(app.call(client, "pending_alerts", &[]).await).await;
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_owned())
        .collect()
}

async fn confirm(app: &TestApp, client: &reqwest::Client, id: i64, action: &str) -> StatusCode {
    app.call(
        client,
        "confirm_alert",
        &[("alert_id", &id.to_string()), ("action", action)],
    )
    .await
    .status()
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn audiences_and_validation_scopes(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let f = app.fixture().await;
    let admin = app.signed_in("admin@agence.test").await;
    let everyone = create(
        &app,
        &admin,
        &fields("Tous", Audience::Everyone, ValidationScope::EachUser, ""),
    )
    .await;
    let org_a = create(
        &app,
        &admin,
        &fields(
            "Org A",
            Audience::Organisation(f.org_a),
            ValidationScope::OnePerOrganisation,
            "7",
        ),
    )
    .await;
    create(
        &app,
        &admin,
        &fields(
            "Lecteurs",
            Audience::Role(app::auth::types::Role::Viewer),
            ValidationScope::EachUser,
            "",
        ),
    )
    .await;

    let viewer_a = app.signed_in("lecteur@a.test").await;
    let accountant_a = app.signed_in("compta@a.test").await;
    let viewer_b = app.signed_in("lecteur@b.test").await;
    let accountant_b = app.signed_in("compta@b.test").await;
    assert_eq!(
        pending_titles(&app, &viewer_a).await,
        ["Tous", "Org A", "Lecteurs"]
    );
    assert_eq!(pending_titles(&app, &accountant_a).await, ["Tous", "Org A"]);
    assert_eq!(pending_titles(&app, &viewer_b).await, ["Tous", "Lecteurs"]);
    assert_eq!(pending_titles(&app, &accountant_b).await, ["Tous"]);
    assert_eq!(pending_titles(&app, &admin).await, ["Tous"]);

    // one_per_organisation: the accountant's confirmation closes it for the whole of A.
    assert_eq!(
        confirm(&app, &accountant_a, org_a, "confirm").await,
        StatusCode::OK
    );
    assert_eq!(pending_titles(&app, &viewer_a).await, ["Tous", "Lecteurs"]);
    // each_user: the viewer's close (✕) counts for the viewer only.
    assert_eq!(
        confirm(&app, &viewer_a, everyone, "close").await,
        StatusCode::OK
    );
    assert_eq!(pending_titles(&app, &viewer_a).await, ["Lecteurs"]);
    assert_eq!(pending_titles(&app, &accountant_a).await, ["Tous"]);
    // Confirming twice is harmless; an alert not addressed to you does not exist for you.
    assert_eq!(
        confirm(&app, &viewer_a, everyone, "confirm").await,
        StatusCode::OK
    );
    assert_eq!(
        confirm(&app, &viewer_b, org_a, "confirm").await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        confirm(&app, &viewer_b, everyone, "maybe").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Admins see who read what; nobody else may.
    let list = json(app.call(&admin, "list_alerts", &[]).await).await;
    let row = |title: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == title)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        (
            row("Tous")["confirmed"].as_i64(),
            row("Tous")["addressed"].as_i64()
        ),
        (Some(1), Some(5))
    );
    assert_eq!(
        (
            row("Org A")["confirmed"].as_i64(),
            row("Org A")["addressed"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(row("Lecteurs")["addressed"].as_i64(), Some(2));
    let detail = json(
        app.call(
            &admin,
            "alert_detail",
            &[("alert_id", &everyone.to_string())],
        )
        .await,
    )
    .await;
    let reads = detail["confirmations"].as_array().unwrap();
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0]["email"], "lecteur@a.test");
    assert_eq!(reads[0]["action"], "close");
    assert!(
        reads[0]["at"].as_str().unwrap().contains(" à "),
        "Paris time"
    );
    for (client, endpoint) in [(&viewer_a, "list_alerts"), (&accountant_a, "list_alerts")] {
        assert_eq!(
            app.call(client, endpoint, &[]).await.status(),
            StatusCode::FORBIDDEN
        );
    }
    let forged = app
        .call(
            &accountant_a,
            "delete_alert",
            &[("alert_id", &everyone.to_string())],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn the_modal_is_server_rendered_and_the_form_post_confirms(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let admin = app.signed_in("admin@agence.test").await;
    create(
        &app,
        &admin,
        &fields(
            "Nouvelle version",
            Audience::Everyone,
            ValidationScope::EachUser,
            "",
        ),
    )
    .await;
    let viewer = app.signed_in("lecteur@a.test").await;
    let html = app.page(&viewer, "/compte").await;
    assert!(
        html.contains(r#"role="alertdialog""#),
        "modal in the first HTML"
    );
    assert!(html.contains("Nouvelle version"));
    assert!(
        html.contains(r#"href="https://comptoir.example/notes""#),
        "links are clickable"
    );
    assert!(html.contains("inert"), "the page behind is inert");
    let id = json(app.call(&viewer, "pending_alerts", &[]).await).await[0]["id"]
        .as_i64()
        .unwrap();

    let resp = viewer
        .post(app.url("/alertes/confirmer"))
        .form(&[
            ("alert_id", id.to_string().as_str()),
            ("action", "confirm"),
            ("back", "/compte"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(crate::common::location(&resp), "/compte");
    let html = app.page(&viewer, "/compte").await;
    assert!(
        !html.contains(r#"role="alertdialog""#),
        "confirmed: no modal"
    );

    // The form refuses cross-site posts and never redirects off-site.
    let foreign = TestApp::client_from("http://evil.example", None);
    let refused = foreign
        .post(app.url("/alertes/confirmer"))
        .form(&[("alert_id", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let admin_resp = admin
        .post(app.url("/alertes/confirmer"))
        .form(&[
            ("alert_id", id.to_string().as_str()),
            ("action", "close"),
            ("back", "//evil.example"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(crate::common::location(&admin_resp), "/");
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn lifetime_boundary_and_purge(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    let content = |title: &str| {
        fields(title, Audience::Everyone, ValidationScope::EachUser, "1")
            .parse()
            .unwrap()
    };
    let now = Utc::now();
    let day = Duration::hours(24);
    // Published a day minus a minute ago: still shown. A day plus a minute ago: never shown.
    let alive = app::alerts::db::insert(
        &pool,
        &content("Encore valable"),
        None,
        None,
        Some(now - day + Duration::minutes(1)),
    )
    .await
    .unwrap();
    let expired = app::alerts::db::insert(
        &pool,
        &content("Expirée"),
        None,
        None,
        Some(now - day - Duration::minutes(1)),
    )
    .await
    .unwrap();
    let viewer = app.signed_in("lecteur@a.test").await;
    assert_eq!(pending_titles(&app, &viewer).await, ["Encore valable"]);
    // Confirmations of an expired alert go with it.
    sqlx::query("INSERT INTO alert_confirmations (alert_id, account_id, organisation_id, action) VALUES ($1, $2, $3, 'confirm')")
        .bind(expired)
        .bind(f.viewer_a)
        .bind(f.org_a)
        .execute(&pool)
        .await
        .unwrap();

    assert_eq!(app::alerts::db::purge_expired(&pool, now).await.unwrap(), 1);
    let left: Vec<i64> = sqlx::query_scalar("SELECT id FROM alerts")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(left, [alive]);
    let confirmations: i64 = sqlx::query_scalar("SELECT count(*) FROM alert_confirmations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(confirmations, 0);
    // Two minutes later the other one has expired too.
    assert_eq!(
        app::alerts::db::purge_expired(&pool, now + Duration::minutes(2))
            .await
            .unwrap(),
        1
    );
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn admin_input_is_checked_field_by_field(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let admin = app.signed_in("admin@agence.test").await;
    let resp = app
        .call(
            &admin,
            "save_alert",
            &[
                ("alert_id", ""),
                ("fields[title]", " "),
                ("fields[message]", "ok"),
                ("fields[kind]", "urgent"),
                ("fields[audience]", "organisation:999999"),
                ("fields[scope]", "each_user"),
                ("fields[lifetime_days]", "-3"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problems = json(resp).await["Invalid"].clone();
    let fields: Vec<&str> = problems
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["title", "kind", "lifetime_days"]);
    // An unknown organisation is refused once the rest is valid.
    let unknown = fields_call(&app, &admin, "organisation:999999").await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        json(unknown).await["Invalid"][0]["problem"],
        "AudienceUnknown"
    );
    // Editing a missing alert is a 404.
    let missing = app
        .call(
            &admin,
            "delete_alert",
            &[("alert_id", "424242"), ("confirm", "oui")],
        )
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    // A deletion needs its confirmation box.
    let unconfirmed = app
        .call(&admin, "delete_alert", &[("alert_id", "424242")])
        .await;
    assert_eq!(unconfirmed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        json(unconfirmed).await["Invalid"][0]["problem"],
        "DeletionNotConfirmed"
    );
}

async fn fields_call(app: &TestApp, admin: &reqwest::Client, audience: &str) -> reqwest::Response {
    app.call(
        admin,
        "save_alert",
        &[
            ("alert_id", ""),
            ("fields[title]", "Titre"),
            ("fields[message]", "Message"),
            ("fields[kind]", "info"),
            ("fields[audience]", audience),
            ("fields[scope]", "one_per_organisation"),
            ("fields[lifetime_days]", ""),
        ],
    )
    .await
}

/// The seeded schedule (every other Thursday at 02:00 Paris, one-day lifetime) as if it had
/// existed all year.
async fn seeded_schedule_since_january(pool: &PgPool) -> i64 {
    sqlx::query_scalar(
        "UPDATE alert_schedules SET active_since = '2026-01-01T00:00:00Z' RETURNING id",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn two_instances_publish_each_slot_once(pool: PgPool) {
    let schedule = seeded_schedule_since_january(&pool).await;
    // The server was down at 02:00 on Thursday 19 Nov and starts at 11:00: the slot is still
    // within its one-day lifetime, so both instances try to publish it at once.
    let start = "2026-11-19T10:00:00Z".parse().unwrap();
    let (a, b) = tokio::join!(jobs::run_due(&pool, start), jobs::run_due(&pool, start));
    let outcomes: Vec<_> = a
        .into_iter()
        .chain(b)
        .filter(|(job, _)| *job == Job::AlertSchedules)
        .map(|(_, r)| r.unwrap())
        .collect();
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Ran(_)))
            .count(),
        1,
        "{outcomes:?}"
    );
    // Even without the lock (two schedulers racing), the slot claim keeps one alert per slot.
    let (x, y) = tokio::join!(
        app::alerts::db::publish_due(&pool, start),
        app::alerts::db::publish_due(&pool, start)
    );
    assert!(x.unwrap().is_empty() && y.unwrap().is_empty());
    let rows: Vec<(chrono::DateTime<Utc>, String)> =
        sqlx::query_as("SELECT created_at, title FROM alerts WHERE schedule_id = $1")
            .bind(schedule)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].0,
        "2026-11-19T01:00:00Z"
            .parse::<chrono::DateTime<Utc>>()
            .unwrap(),
        "published at its slot"
    );
    assert_eq!(rows[0].1, "Coupure de service cette nuit");

    // Purging the expired alert does not let the slot be published again.
    app::alerts::db::purge_expired(&pool, "2026-11-21T00:00:00Z".parse().unwrap())
        .await
        .unwrap();
    let again = app::alerts::db::publish_due(&pool, start).await.unwrap();
    assert!(again.is_empty());
    // A slot missed by more than its lifetime is not published: restart on 5 Dec, after the
    // 3 Dec run expired.
    let late = app::alerts::db::publish_due(&pool, "2026-12-05T09:00:00Z".parse().unwrap())
        .await
        .unwrap();
    assert!(late.is_empty());
    // A job that ran less than a period ago is not due on the other instance.
    assert_eq!(
        jobs::run_if_due(Job::AlertPurge, &pool, start)
            .await
            .unwrap(),
        Outcome::NotDue
    );
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn schedules_are_edited_with_a_preview(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    app.fixture().await;
    let admin = app.signed_in("admin@agence.test").await;
    let list = json(app.call(&admin, "list_alert_schedules", &[]).await).await;
    let seeded = &list.as_array().unwrap()[0];
    assert_eq!(seeded["interval_weeks"], 2);
    assert_eq!(seeded["weekday"], 4);
    let runs = seeded["next_runs"].as_array().unwrap();
    assert_eq!(runs.len(), 5);
    assert!(runs.iter().all(|r| r.as_str().unwrap().ends_with(" 02:00")));

    let timing = |tz: &'static str| {
        vec![
            ("timing[interval_weeks]", "1"),
            ("timing[weekday]", "1"),
            ("timing[local_time]", "09:30"),
            ("timing[time_zone]", tz),
            ("timing[first_date]", "2030-01-01"),
        ]
    };
    let preview = json(
        app.call(&admin, "preview_alert_schedule", &timing("Europe/Paris"))
            .await,
    )
    .await;
    assert_eq!(preview[0], "07/01/2030 09:30", "moved to the first Monday");
    assert_eq!(preview[4], "04/02/2030 09:30");
    let bad = app
        .call(
            &admin,
            "preview_alert_schedule",
            &timing("Europe/Atlantide"),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let mut form = vec![("schedule_id", ""), ("name", "Hebdo"), ("active", "true")];
    form.extend(timing("Europe/Paris"));
    form.extend([
        ("template[title]", "Point du lundi"),
        ("template[message]", "Bonne semaine"),
        ("template[kind]", "info"),
        ("template[audience]", "role:viewer"),
        ("template[scope]", "each_user"),
        ("template[lifetime_days]", "2"),
    ]);
    let id = json(app.call(&admin, "save_alert_schedule", &form).await)
        .await
        .as_i64()
        .unwrap();
    let saved = json(
        app.call(
            &admin,
            "alert_schedule",
            &[("schedule_id", &id.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(saved["template"]["audience"], "role:viewer");
    assert_eq!(saved["first_date"], "2030-01-07");
    let viewer = app.signed_in("lecteur@a.test").await;
    assert_eq!(
        app.call(&viewer, "save_alert_schedule", &form)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn admins_edit_and_delete_alerts_and_schedules(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    app.fixture().await;
    let admin = app.signed_in("admin@agence.test").await;
    let id = create(
        &app,
        &admin,
        &fields("Avant", Audience::Everyone, ValidationScope::EachUser, ""),
    )
    .await;
    let viewer = app.signed_in("lecteur@a.test").await;
    confirm(&app, &viewer, id, "confirm").await;
    // Editing keeps the publication time and the confirmations.
    let published: chrono::DateTime<Utc> =
        sqlx::query_scalar("SELECT created_at FROM alerts WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    let edited = app
        .call(
            &admin,
            "save_alert",
            &[
                ("alert_id", &id.to_string()),
                ("fields[title]", "Après"),
                ("fields[message]", "Nouveau texte"),
                ("fields[kind]", "info"),
                ("fields[audience]", "role:viewer"),
                ("fields[scope]", "each_user"),
                ("fields[lifetime_days]", "3"),
            ],
        )
        .await;
    assert_eq!(json(edited).await.as_i64(), Some(id));
    let detail = json(
        app.call(&admin, "alert_detail", &[("alert_id", &id.to_string())])
            .await,
    )
    .await;
    assert_eq!(detail["summary"]["title"], "Après");
    assert_eq!(detail["summary"]["kind"], "info");
    assert_eq!(detail["summary"]["lifetime_days"], 3);
    assert_eq!(detail["confirmations"].as_array().unwrap().len(), 1);
    let still: chrono::DateTime<Utc> =
        sqlx::query_scalar("SELECT created_at FROM alerts WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(still, published);
    // Deleting removes the alert and its confirmations.
    assert_eq!(
        app.call(
            &admin,
            "delete_alert",
            &[("alert_id", &id.to_string()), ("confirm", "oui")]
        )
        .await
        .status(),
        StatusCode::OK
    );
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM alert_confirmations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
    assert_eq!(
        app.call(&admin, "alert_detail", &[("alert_id", &id.to_string())])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // The seeded schedule is edited (new time, paused) and then deleted.
    let seeded: i64 = sqlx::query_scalar("SELECT id FROM alert_schedules")
        .fetch_one(&pool)
        .await
        .unwrap();
    let seeded_id = seeded.to_string();
    let form = [
        ("schedule_id", seeded_id.as_str()),
        ("name", "Coupure du jeudi"),
        ("timing[interval_weeks]", "2"),
        ("timing[weekday]", "4"),
        ("timing[local_time]", "03:30"),
        ("timing[time_zone]", "Europe/Paris"),
        ("timing[first_date]", "2026-01-01"),
        ("template[title]", "Coupure"),
        ("template[message]", "Service coupé de 03:30 à 05:00."),
        ("template[kind]", "maintenance"),
        ("template[audience]", "everyone"),
        ("template[scope]", "each_user"),
        ("template[lifetime_days]", "1"),
    ];
    assert_eq!(
        json(app.call(&admin, "save_alert_schedule", &form).await)
            .await
            .as_i64(),
        Some(seeded)
    );
    let saved = json(
        app.call(&admin, "alert_schedule", &[("schedule_id", &seeded_id)])
            .await,
    )
    .await;
    assert_eq!(saved["local_time"], "03:30");
    assert_eq!(saved["active"], false, "no `active` box ticked: paused");
    assert!(saved["next_runs"][0].as_str().unwrap().ends_with(" 03:30"));
    // A paused schedule publishes nothing.
    let published = app::alerts::db::publish_due(&pool, Utc::now() + chrono::Duration::days(30))
        .await
        .unwrap();
    assert!(published.is_empty());
    assert_eq!(
        app.call(
            &admin,
            "delete_alert_schedule",
            &[("schedule_id", &seeded_id), ("confirm", "oui")]
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.call(&admin, "alert_schedule", &[("schedule_id", &seeded_id)])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}
