//! Forms posted without JavaScript: the server function's redirect, the flash message shown once
//! on the next page, and errors rendered by the server next to their field.

use crate::common::{TestApp, location, post_form};
use reqwest::StatusCode;
use sqlx::PgPool;

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_plain_form_post_redirects_and_the_next_page_shows_its_flash_once(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let admin = app.signed_in("admin@agence.test").await;
    let page = "/admin/organisations";
    let resp = post_form(
        &app,
        &admin,
        "create_organisation",
        page,
        &[("name", "Boulangerie Flash"), ("slug", "")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    // Back to the page the form was on (leptos strips an earlier error from its query).
    assert_eq!(location(&resp).trim_end_matches('?'), app.url(page));
    let html = app.page(&admin, page).await;
    assert!(html.contains("Boulangerie Flash"), "the list has it");
    let shown = |html: &str| html.contains(r#"<p class="flash flash-success">Organisation créée."#);
    assert!(shown(&html), "the flash is shown: {html}");
    let again = app.page(&admin, page).await;
    assert!(!shown(&again), "and only once");
    assert!(
        !again.contains("Organisation créée."),
        "not even in the hydration data"
    );

    // In English when the user chose English.
    let english = app.signed_in("admin@agence.test").await;
    let resp = english
        .post(app.url("/locale"))
        .form(&[("locale", "en"), ("back", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let resp = post_form(
        &app,
        &english,
        "create_organisation",
        page,
        &[("name", "Flash Bakery"), ("slug", "")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    let html = app.page(&english, page).await;
    assert!(
        html.contains(r#"<p class="flash flash-success">Organisation created."#),
        "{html}"
    );

    // A refused post comes back to the page with the error next to its field.
    let resp = post_form(
        &app,
        &admin,
        "create_organisation",
        page,
        &[("name", "Doublon"), ("slug", "boulangerie-flash")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    let back = location(&resp);
    assert!(back.contains("__err="), "{back}");
    let html = app
        .page(&admin, back.trim_start_matches(&app.url("")))
        .await;
    assert!(html.contains("Cet identifiant est déjà utilisé."), "{html}");
    assert!(!shown(&html));
    // The user's input is back in the form, once.
    assert!(html.contains(r#"value="Doublon""#), "{html}");
    assert!(html.contains(r#"value="boulangerie-flash""#), "{html}");
    let again = app
        .page(&admin, back.trim_start_matches(&app.url("")))
        .await;
    assert!(!again.contains(r#"value="Doublon""#), "{again}");
    // An ordinary visit of the page starts empty.
    let fresh = app.page(&admin, page).await;
    assert!(!fresh.contains(r#"value="Doublon""#));
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_refused_sign_in_keeps_the_address_never_the_password(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let browser = app.client();
    let resp = app
        .login_with(&browser, "admin@agence.test", "mot-de-passe-faux-42")
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let back = location(&resp);
    assert!(back.ends_with("/login?error=credentials"), "{back}");
    let html = app.page(&browser, "/login?error=credentials").await;
    assert!(html.contains(r#"value="admin@agence.test""#), "{html}");
    assert!(!html.contains("mot-de-passe-faux-42"));
    assert!(!stored_sessions(&app).await.contains("mot-de-passe-faux-42"));
}

/// The session rows, as text.
async fn stored_sessions(app: &TestApp) -> String {
    sqlx::query_scalar::<_, String>("SELECT encode(data, 'escape') FROM tower_sessions.session")
        .fetch_all(&app.pool)
        .await
        .unwrap_or_default()
        .join("\n")
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_refused_form_keeps_only_the_fields_it_names(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let admin = app.signed_in("admin@agence.test").await;
    let page = "/admin/organisations";
    // A refused form with fields it does not name (a future key, a second-factor secret,
    // a password): only the named ones are kept, and shown again.
    let resp = post_form(
        &app,
        &admin,
        "create_organisation",
        page,
        &[
            ("name", "Boulangerie Gardee"),
            ("slug", "Pas Un Identifiant"),
            ("api_key", "cle-jamais-gardee"),
            ("totp_secret", "secret-jamais-garde"),
            ("password", "mot-de-passe-jamais-garde"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    let back = location(&resp);
    assert!(back.contains("__err="), "{back}");
    let stored = stored_sessions(&app).await;
    assert!(stored.contains("Boulangerie Gardee"), "{stored}");
    for secret in [
        "cle-jamais-gardee",
        "secret-jamais-garde",
        "mot-de-passe-jamais-garde",
    ] {
        assert!(!stored.contains(secret), "{secret} stored: {stored}");
    }
    let html = app
        .page(&admin, back.trim_start_matches(&app.url("")))
        .await;
    assert!(html.contains(r#"value="Boulangerie Gardee""#), "{html}");

    // A form that names no field keeps nothing: changing one's password, refused.
    let resp = post_form(
        &app,
        &admin,
        "change_password",
        "/compte",
        &[
            ("current", "mot-de-passe-actuel-faux"),
            ("new_password", "nouveau-mot-de-passe-jamais-garde"),
            ("confirm", "nouveau-mot-de-passe-jamais-garde"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FOUND, "{}", location(&resp));
    let stored = stored_sessions(&app).await;
    assert!(!stored.contains("jamais-garde"), "{stored}");
    assert!(!stored.contains("mot-de-passe-actuel-faux"), "{stored}");
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_signed_out_page_may_ask_for_its_flash(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    // A page that has just signed out (logout, account deletion) asks once more on its way.
    let anonymous = app.client();
    let resp = app.call(&anonymous, "take_flash", &[]).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.text().await.unwrap(), "null");
}
