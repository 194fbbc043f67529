//! The count of documents the database keeps per organisation and kind (`document_counts`):
//! an unfiltered list reads it instead of counting every row, so it must always equal the rows.

use crate::common::TestApp;
use crate::invoicing::{contact, draft_invoice, json};
use sqlx::PgPool;

/// Every kept count against a count of the rows.
async fn assert_counts_match(pool: &PgPool) {
    let drift: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT coalesce(r.organisation_id, k.organisation_id), coalesce(r.kind, k.kind),
                coalesce(r.n, 0), coalesce(k.n, 0)
           FROM (SELECT organisation_id, kind, count(*) AS n FROM documents GROUP BY 1, 2) r
           FULL JOIN document_counts k USING (organisation_id, kind)
          WHERE coalesce(r.n, 0) <> coalesce(k.n, 0)",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert!(
        drift.is_empty(),
        "(organisation, kind, rows, kept): {drift:?}"
    );
}

async fn listed_total(app: &TestApp, client: &reqwest::Client, filter: &[(&str, &str)]) -> i64 {
    let mut args = vec![("filter[kind]", "invoice")];
    args.extend_from_slice(filter);
    json(app.call(client, "list_documents", &args).await).await["total"]
        .as_i64()
        .expect("a total")
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn the_kept_count_follows_every_insert_and_delete(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let f = app.fixture().await;
    let client_a = contact(&app.pool, f.org_a, true).await;
    let client_b = contact(&app.pool, f.org_b, true).await;
    let mut drafts = Vec::new();
    for _ in 0..3 {
        drafts.push(draft_invoice(&app.pool, f.org_a, client_a, f.accountant_a).await);
    }
    draft_invoice(&app.pool, f.org_b, client_b, f.accountant_b).await;
    assert_counts_match(&app.pool).await;

    let accountant = app.signed_in("compta@a.test").await;
    assert_eq!(listed_total(&app, &accountant, &[]).await, 3);
    // Deleted through the app (its role cannot write the counts: the trigger does).
    let id = drafts[0].to_string();
    let resp = app
        .call(
            &accountant,
            "delete_draft",
            &[("document_id", id.as_str()), ("confirm", "oui")],
        )
        .await;
    assert!(resp.status().is_success(), "{}", resp.status());
    assert_counts_match(&app.pool).await;
    assert_eq!(listed_total(&app, &accountant, &[]).await, 2);
    // A filtered list counts its rows.
    assert_eq!(
        listed_total(&app, &accountant, &[("filter[status]", "draft")]).await,
        2
    );
    assert_eq!(
        listed_total(&app, &accountant, &[("filter[status]", "paid")]).await,
        0
    );
    // A row moved to another kind or organisation (never done by the app) moves its count.
    sqlx::query("UPDATE documents SET kind = 'quote' WHERE id = $1")
        .bind(drafts[1])
        .execute(&app.pool)
        .await
        .unwrap();
    assert_counts_match(&app.pool).await;
    assert_eq!(listed_total(&app, &accountant, &[]).await, 1);
    // The other organisation's accountant sees only theirs.
    let other = app.signed_in("compta@b.test").await;
    assert_eq!(listed_total(&app, &other, &[]).await, 1);
}
