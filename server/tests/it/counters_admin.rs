//! The counters' administration as a browser without JavaScript uses it (issue 35): store
//! groups renamed and deleted from a counter's editor, API tokens revoked through a
//! confirmation step that the server checks too.

use crate::common::{TestApp, location, post_form};
use crate::counters::{add_site, assert_rollups_consistent, create_group, push, token_for};
use crate::invoicing::json as json_of;
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::json;
use sqlx::PgPool;

/// The path (and query) a redirect leads to on this server.
fn path_of(app: &TestApp, location: &str) -> String {
    location.trim_start_matches(&app.url("")).to_owned()
}

/// The markup of group `id`'s item in the editor's list of groups.
fn group_item(html: &str, id: i64) -> &str {
    let start = html
        .find(&format!(r#"data-group-id="{id}""#))
        .unwrap_or_else(|| panic!("group {id} is listed: {html}"));
    let rest = &html[start..];
    &rest[..rest.find("</li>").unwrap_or(rest.len())]
}

async fn group_name(pool: &PgPool, id: i64) -> Option<String> {
    sqlx::query_scalar("SELECT name FROM store_groups WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn store_groups_are_renamed_in_the_editor_with_their_refusals_kept(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    let admin = app.signed_in("admin@agence.test").await;
    let site = add_site(&app, &admin, f.org_a, "P1", "Europe/Paris").await;
    let north = create_group(&app, &admin, f.org_a, "Nord").await;
    let south = create_group(&app, &admin, f.org_a, "Sud").await;
    let editor = format!("/admin/compteurs?modifier={site}");

    // Each group of the organisation has its rename form and a link to its deletion step.
    let html = app.page(&admin, &editor).await;
    for (id, name) in [(north, "Nord"), (south, "Sud")] {
        let item = group_item(&html, id);
        assert!(
            item.contains(r#"action="/api/rename_store_group""#),
            "{item}"
        );
        assert!(item.contains(&format!(r#"id="group-{id}-name""#)), "{item}");
        assert!(item.contains(&format!(r#"value="{name}""#)), "{item}");
        assert!(item.contains(&format!("supprimer-groupe={id}")), "{item}");
    }

    // A name another group has: refused, shown next to that group's field with what was typed;
    // the other group's form is left alone.
    let n = north.to_string();
    let resp = post_form(
        &app,
        &admin,
        "rename_store_group",
        &editor,
        &[("group_id", n.as_str()), ("name", "Sud")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    let back = location(&resp);
    assert!(back.contains("__err="), "{back}");
    let html = app.page(&admin, &path_of(&app, &back)).await;
    let item = group_item(&html, north);
    assert!(item.contains("Ce groupe existe déjà."), "{item}");
    assert!(
        item.contains(r#"value="Sud""#),
        "the typed name is kept: {item}"
    );
    let other = group_item(&html, south);
    assert!(!other.contains("Ce groupe existe déjà."), "{other}");
    assert_eq!(group_name(&pool, north).await.as_deref(), Some("Nord"));

    // An empty name: refused the same way.
    let s = south.to_string();
    let resp = post_form(
        &app,
        &admin,
        "rename_store_group",
        &editor,
        &[("group_id", s.as_str()), ("name", "   ")],
    )
    .await;
    let back = location(&resp);
    assert!(back.contains("__err="), "{back}");
    let html = app.page(&admin, &path_of(&app, &back)).await;
    assert!(
        group_item(&html, south).contains("Le nom est obligatoire."),
        "{html}"
    );
    assert_eq!(group_name(&pool, south).await.as_deref(), Some("Sud"));

    // A good name: renamed, back to the editor with its flash message.
    let resp = post_form(
        &app,
        &admin,
        "rename_store_group",
        &editor,
        &[("group_id", n.as_str()), ("name", "  Nord-Est ")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    let back = location(&resp);
    assert!(!back.contains("__err"), "{back}");
    assert_eq!(path_of(&app, &back), editor);
    assert_eq!(group_name(&pool, north).await.as_deref(), Some("Nord-Est"));
    let html = app.page(&admin, &editor).await;
    assert!(html.contains("Groupe renommé."), "{html}");
    assert!(
        group_item(&html, north).contains(r#"value="Nord-Est""#),
        "{html}"
    );
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_store_group_is_deleted_only_once_its_dialog_is_confirmed(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    let admin = app.signed_in("admin@agence.test").await;
    let site = add_site(&app, &admin, f.org_a, "P1", "Europe/Paris").await;
    let (_, token) = token_for(&app, &admin, f.org_a).await;
    let group = create_group(&app, &admin, f.org_a, "Outlets").await;
    let g = group.to_string();
    let resp = app
        .call(
            &admin,
            "set_site_groups",
            &[("site_id", &site.to_string()), ("group_ids[0]", &g)],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let day = Utc::now().date_naive() - Duration::days(1);
    let row = json!([{"shop_code": "P1", "date": day.to_string(), "entries": 12}]);
    assert_eq!(push(&app, &token, &row).await.status(), StatusCode::OK);
    let editor = format!("/admin/compteurs?modifier={site}");
    let dialog = format!("{editor}&supprimer-groupe={group}");

    // The link opens the group's own dialog (not the editor), with a box to tick.
    let html = app.page(&admin, &dialog).await;
    assert!(html.contains(r#"role="dialog""#), "{html}");
    assert!(html.contains("Supprimer le groupe « Outlets »"), "{html}");
    assert!(
        html.contains(r#"action="/api/delete_store_group""#),
        "{html}"
    );
    assert!(html.contains(r#"name="confirm""#), "{html}");
    assert!(!html.contains(r#"id="site-form""#), "one dialog at a time");

    // Not ticked: refused, back to the dialog with the reason; nothing deleted.
    let resp = post_form(
        &app,
        &admin,
        "delete_store_group",
        &dialog,
        &[("group_id", g.as_str()), ("back", editor.as_str())],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    let refused = location(&resp);
    assert!(
        refused.contains("supprimer-groupe=") && refused.contains("__err="),
        "{refused}"
    );
    let html = app.page(&admin, &path_of(&app, &refused)).await;
    assert!(
        html.contains("Cochez la case pour confirmer la suppression."),
        "{html}"
    );
    // A script calling the function is refused the same way.
    let resp = app
        .call(&admin, "delete_store_group", &[("group_id", &g)])
        .await;
    assert_eq!(
        json_of(resp).await["Invalid"][0]["problem"],
        "DeletionNotConfirmed"
    );
    assert!(group_name(&pool, group).await.is_some());

    // Ticked: deleted with its memberships and figures, back to the counter's editor.
    let resp = post_form(
        &app,
        &admin,
        "delete_store_group",
        &dialog,
        &[
            ("group_id", g.as_str()),
            ("confirm", "oui"),
            ("back", editor.as_str()),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    assert_eq!(location(&resp), editor);
    assert!(group_name(&pool, group).await.is_none());
    let left: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM store_group_members WHERE group_id = $1) \
         + (SELECT count(*) FROM group_daily WHERE group_id = $1)",
    )
    .bind(group)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(left, 0);
    assert_rollups_consistent(&pool).await;
    let html = app.page(&admin, &editor).await;
    assert!(html.contains("Groupe supprimé."), "{html}");
    assert!(!html.contains(&format!(r#"data-group-id="{group}""#)));
    // An old link to the dialog says the group is gone.
    let html = app.page(&admin, &dialog).await;
    assert!(html.contains("Élément introuvable."), "{html}");

    // `back` is followed only when it is an address of this site.
    let other = create_group(&app, &admin, f.org_a, "Temporaire")
        .await
        .to_string();
    let resp = post_form(
        &app,
        &admin,
        "delete_store_group",
        &editor,
        &[
            ("group_id", other.as_str()),
            ("confirm", "oui"),
            ("back", "//evil.example/piege"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    let target = location(&resp);
    assert!(target.starts_with(&app.url("/admin/compteurs")), "{target}");
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn an_api_token_is_revoked_only_once_its_dialog_is_confirmed(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let f = app.fixture().await;
    let admin = app.signed_in("admin@agence.test").await;
    add_site(&app, &admin, f.org_a, "P1", "Europe/Paris").await;
    let (token_id, token) = token_for(&app, &admin, f.org_a).await;
    let list = format!("/admin/compteurs/jetons?organisation={}", f.org_a);

    // The list links to the revocation step; no one-tap form revokes from it.
    let html = app.page(&admin, &list).await;
    assert!(html.contains(&format!("revoquer={token_id}")), "{html}");
    assert!(
        !html.contains(r#"action="/api/revoke_api_token""#),
        "{html}"
    );
    let dialog = format!("{list}&revoquer={token_id}");
    let html = app.page(&admin, &dialog).await;
    assert!(html.contains(r#"role="dialog""#), "{html}");
    assert!(html.contains("Révoquer le jeton « Passerelle »"), "{html}");
    assert!(html.contains(r#"action="/api/revoke_api_token""#), "{html}");
    assert!(html.contains(r#"name="confirm""#), "{html}");

    // Not ticked, from the page or from a script: refused, and the token still works.
    let t = token_id.to_string();
    let resp = post_form(
        &app,
        &admin,
        "revoke_api_token",
        &dialog,
        &[("token_id", t.as_str()), ("back", list.as_str())],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    let refused = location(&resp);
    assert!(
        refused.contains("revoquer=") && refused.contains("__err="),
        "{refused}"
    );
    let html = app.page(&admin, &path_of(&app, &refused)).await;
    assert!(
        html.contains("Cochez la case pour confirmer la révocation."),
        "{html}"
    );
    let resp = app
        .call(&admin, "revoke_api_token", &[("token_id", &t)])
        .await;
    assert_eq!(
        json_of(resp).await["Invalid"][0]["problem"],
        "RevocationNotConfirmed"
    );
    let day = Utc::now().date_naive() - Duration::days(1);
    let row = json!([{"shop_code": "P1", "date": day.to_string(), "entries": 5}]);
    assert_eq!(push(&app, &token, &row).await.status(), StatusCode::OK);

    // Ticked: revoked, back to the list with its flash message; the gateway is refused.
    let resp = post_form(
        &app,
        &admin,
        "revoke_api_token",
        &dialog,
        &[
            ("token_id", t.as_str()),
            ("confirm", "oui"),
            ("back", list.as_str()),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    assert_eq!(location(&resp), list);
    let html = app.page(&admin, &list).await;
    assert!(html.contains("Jeton révoqué."), "{html}");
    assert!(!html.contains(&format!("revoquer={token_id}")), "{html}");
    let resp = push(&app, &token, &row).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json_of(resp).await["error"], "revoked_token");
}
