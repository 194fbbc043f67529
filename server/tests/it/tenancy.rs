//! Role guard and organisation scope over every server function: a user of organisation A gets
//! nothing of organisation B.

use crate::common::{PASSWORD, TestApp};
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

async fn json(resp: reqwest::Response) -> Value {
    let status = resp.status();
    let text = resp.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status}: {text}"))
}

fn org_ids(list: &Value, key: &str) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|o| o[key].as_i64().unwrap())
        .collect()
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_viewer_sees_only_their_organisation_and_changes_nothing(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let f = app.fixture().await;
    let viewer = app.signed_in("lecteur@a.test").await;

    let orgs = json(app.call(&viewer, "list_organisations", &[]).await).await;
    assert_eq!(org_ids(&orgs, "id"), vec![f.org_a]);

    let me = json(app.call(&viewer, "current_user", &[]).await).await;
    assert_eq!(me["organisation_id"].as_i64(), Some(f.org_a));

    let b = f.org_b.to_string();
    let refused: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("list_accounts", vec![("organisation", b.as_str())]),
        ("list_accounts", vec![("organisation", "")]),
        (
            "create_organisation",
            vec![("name", "Intrus"), ("slug", "intrus")],
        ),
        (
            "create_account",
            vec![
                ("email", "x@b.test"),
                ("display_name", "X"),
                ("role", "viewer"),
                ("organisation", b.as_str()),
            ],
        ),
    ];
    for (endpoint, args) in refused {
        let resp = app.call(&viewer, endpoint, &args).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{endpoint} {args:?}");
        assert!(
            resp.text().await.unwrap().contains("Forbidden"),
            "{endpoint}"
        );
    }
    let id_b = f.viewer_b.to_string();
    let resp = app
        .call(
            &viewer,
            "set_account_disabled",
            &[("account_id", &id_b), ("disabled", "true")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);

    let untouched: i64 =
        sqlx::query_scalar("SELECT count(*) FROM accounts WHERE disabled_at IS NULL")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(untouched, 5);
    let orgs: i64 = sqlx::query_scalar("SELECT count(*) FROM organisations")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(orgs, 3);
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn an_accountant_sees_their_team_only(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let f = app.fixture().await;
    let accountant = app.signed_in("compta@a.test").await;

    let team = json(
        app.call(&accountant, "list_accounts", &[("organisation", "")])
            .await,
    )
    .await;
    let mut ids = org_ids(&team, "id");
    ids.sort();
    assert_eq!(ids, vec![f.accountant_a, f.viewer_a]);

    let b = f.org_b.to_string();
    let resp = app
        .call(&accountant, "list_accounts", &[("organisation", &b)])
        .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let resp = app
        .call(
            &accountant,
            "set_account_disabled",
            &[
                ("account_id", &f.viewer_a.to_string()),
                ("disabled", "true"),
            ],
        )
        .await;
    assert_eq!(
        resp.status(),
        StatusCode::FORBIDDEN,
        "only admins manage accounts"
    );
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn an_admin_manages_every_organisation(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let f = app.fixture().await;
    let admin = app.signed_in("admin@agence.test").await;

    let orgs = json(app.call(&admin, "list_organisations", &[]).await).await;
    assert_eq!(orgs.as_array().unwrap().len(), 3);
    let b = f.org_b.to_string();
    let accounts_b = json(
        app.call(&admin, "list_accounts", &[("organisation", &b)])
            .await,
    )
    .await;
    let mut ids = org_ids(&accounts_b, "id");
    ids.sort();
    assert_eq!(ids, vec![f.accountant_b, f.viewer_b]);

    let created = json(
        app.call(
            &admin,
            "create_organisation",
            &[("name", "Pâtisserie Œuvre & Fils"), ("slug", "")],
        )
        .await,
    )
    .await;
    let new_org = created.as_i64().unwrap();
    let slug: String = sqlx::query_scalar("SELECT slug FROM organisations WHERE id = $1")
        .bind(new_org)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(slug, "patisserie-oeuvre-fils");
    let dup = app
        .call(
            &admin,
            "create_organisation",
            &[("name", "Autre"), ("slug", "patisserie-oeuvre-fils")],
        )
        .await;
    assert!(dup.text().await.unwrap().contains("SlugTaken"));

    let account = json(
        app.call(
            &admin,
            "create_account",
            &[
                ("email", "Nouveau@B.test"),
                ("display_name", "Nouveau"),
                ("role", "viewer"),
                ("organisation", &b),
            ],
        )
        .await,
    )
    .await;
    let initial = account["initial_password"].as_str().unwrap().to_owned();
    assert_eq!(account["email"], "nouveau@b.test");
    let fresh = app.client();
    let resp = app.login_with(&fresh, "nouveau@b.test", &initial).await;
    assert_eq!(crate::common::location(&resp), "/");

    let invalid = app
        .call(
            &admin,
            "create_account",
            &[
                ("email", "pas-une-adresse"),
                ("display_name", " "),
                ("role", "root"),
                ("organisation", "999999"),
            ],
        )
        .await;
    let text = invalid.text().await.unwrap();
    for problem in [
        "EmailInvalid",
        "NameRequired",
        "RoleUnknown",
        "OrganisationUnknown",
    ] {
        assert!(text.contains(problem), "{problem} in {text}");
    }
    let admin_outside = app
        .call(
            &admin,
            "create_account",
            &[
                ("email", "chef@b.test"),
                ("display_name", "Chef"),
                ("role", "admin"),
                ("organisation", &b),
            ],
        )
        .await;
    assert!(
        admin_outside
            .text()
            .await
            .unwrap()
            .contains("AdminNeedsAgency")
    );

    let me = f.admin.to_string();
    let self_disable = app
        .call(
            &admin,
            "set_account_disabled",
            &[("account_id", &me), ("disabled", "true")],
        )
        .await;
    assert!(
        self_disable
            .text()
            .await
            .unwrap()
            .contains("CannotDisableSelf")
    );
    let ok = app
        .call(
            &admin,
            "set_account_disabled",
            &[
                ("account_id", &f.viewer_b.to_string()),
                ("disabled", "true"),
            ],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    let blocked = app
        .login_with(&app.client(), "lecteur@b.test", PASSWORD)
        .await;
    assert_eq!(crate::common::location(&blocked), "/login?error=disabled");
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn changing_a_password_needs_the_current_one(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let viewer = app.signed_in("lecteur@a.test").await;
    let wrong = app
        .call(
            &viewer,
            "change_password",
            &[
                ("current", "faux-faux-faux"),
                ("new_password", "nouveau-secret-1"),
                ("confirm", "nouveau-secret-1"),
            ],
        )
        .await;
    assert!(wrong.text().await.unwrap().contains("PasswordWrong"));
    let short = app
        .call(
            &viewer,
            "change_password",
            &[
                ("current", PASSWORD),
                ("new_password", "court"),
                ("confirm", "court"),
            ],
        )
        .await;
    assert!(short.text().await.unwrap().contains("PasswordTooShort"));
    let mismatch = app
        .call(
            &viewer,
            "change_password",
            &[
                ("current", PASSWORD),
                ("new_password", "nouveau-secret-1"),
                ("confirm", "nouveau-secret-2"),
            ],
        )
        .await;
    assert!(mismatch.text().await.unwrap().contains("PasswordMismatch"));
    let ok = app
        .call(
            &viewer,
            "change_password",
            &[
                ("current", PASSWORD),
                ("new_password", "nouveau-secret-1"),
                ("confirm", "nouveau-secret-1"),
            ],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    let fresh = app.client();
    assert_eq!(
        crate::common::location(
            &app.login_with(&fresh, "lecteur@a.test", "nouveau-secret-1")
                .await
        ),
        "/"
    );
    // Nobody else's password changed.
    let other = app.client();
    assert_eq!(
        crate::common::location(&app.login_with(&other, "compta@a.test", PASSWORD).await),
        "/"
    );
}
