//! Sections some roles may not use (issue 35): their 403 page comes without the section's
//! tabs, which would list pages the caller cannot open.

use crate::common::TestApp;
use reqwest::{Client, StatusCode};
use sqlx::PgPool;

async fn get(app: &TestApp, client: &Client, path: &str) -> (StatusCode, String) {
    let resp = client.get(app.url(path)).send().await.unwrap();
    let status = resp.status();
    (status, resp.text().await.unwrap())
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_refused_section_is_a_403_page_without_its_tabs(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let viewer = app.signed_in("lecteur@a.test").await;
    let accountant = app.signed_in("compta@a.test").await;
    let admin = app.signed_in("admin@agence.test").await;

    // A viewer opening invoicing pages: 403 and the reason, none of the invoicing tabs.
    for path in [
        "/facturation",
        "/facturation/factures",
        "/facturation/contacts?nouveau=1",
    ] {
        let (status, html) = get(&app, &viewer, path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(
            html.replace("&#x27;", "'")
                .contains("Vous n'avez pas accès à cette page"),
            "{path}: {html}"
        );
        assert!(
            !html.contains(r#"href="/facturation/devis""#),
            "{path}: no invoicing tabs: {html}"
        );
        assert!(!html.contains(r#"aria-label="Facturation""#), "{path}");
    }
    // Those who invoice have them.
    let (status, html) = get(&app, &accountant, "/facturation/factures").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"href="/facturation/devis""#), "{html}");

    // The counters' administration is the admins': the others get no tabs either.
    for (who, client) in [("viewer", &viewer), ("accountant", &accountant)] {
        let (status, html) = get(&app, client, "/admin/compteurs/jetons").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
        assert!(
            !html.contains(r#"href="/admin/compteurs/import""#),
            "{who}: {html}"
        );
    }
    let (status, html) = get(&app, &admin, "/admin/compteurs/jetons").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"href="/admin/compteurs/import""#), "{html}");
}
