//! Authorisation proven for every server function: each one's decision (who it lets in, in the
//! walker's table in `server_fns.rs`) is checked against the running server. A function missing
//! from the table fails `every_server_function_is_listed_and_posts_a_form`, so a new function
//! cannot ship without a decision. Object-level isolation between organisations (an
//! accountant of B asking for A's rows) is `tenancy.rs`'s.

use crate::common::TestApp;
use crate::server_fns::{Access, every_server_function};
use reqwest::StatusCode;
use sqlx::PgPool;

const VIEWER: &str = "lecteur@a.test";
const ACCOUNTANT: &str = "compta@a.test";

/// What a caller refused by a function's decision gets: the status and the error's variant.
fn refused_as(status: StatusCode, body: &str, expected: StatusCode, variant: &str) -> bool {
    status == expected && body.to_lowercase().contains(&variant.to_lowercase())
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn every_server_function_refuses_whom_its_decision_leaves_out(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.fixture().await;
    let anonymous = app.client();
    let viewer = app.signed_in(VIEWER).await;
    let accountant = app.signed_in(ACCOUNTANT).await;
    let mut wrong = Vec::new();
    for target in every_server_function() {
        // Plausible values: the arguments deserialize, so the answer is the function's own.
        let body = target.body(|_| None);
        let callers = [
            (
                "anonymous",
                &anonymous,
                target.access != Access::Anyone,
                StatusCode::UNAUTHORIZED,
                "Unauthenticated",
            ),
            (
                "a viewer",
                &viewer,
                matches!(target.access, Access::Bookkeeping | Access::Admin),
                StatusCode::FORBIDDEN,
                "Forbidden",
            ),
            (
                "an accountant",
                &accountant,
                target.access == Access::Admin,
                StatusCode::FORBIDDEN,
                "Forbidden",
            ),
        ];
        // Only the refused are asked: a call let in would run the function (and change data).
        for (who, client, refused, status, variant) in callers {
            if !refused {
                continue;
            }
            let resp = client
                .post(app.url(target.path))
                .header("accept", "application/json")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body.clone())
                .send()
                .await
                .expect("server fn request");
            let got = resp.status();
            let text = resp.text().await.unwrap_or_default();
            if !refused_as(got, &text, status, variant) {
                wrong.push(format!(
                    "{} ({:?}) let {who} in: {got} {}",
                    target.path,
                    target.access,
                    text.chars().take(120).collect::<String>()
                ));
            }
        }
    }
    // Still signed in: no refused call changed anything of theirs.
    for (who, client) in [(VIEWER, &viewer), (ACCOUNTANT, &accountant)] {
        let me = app.call(client, "current_user", &[]).await;
        let text = me.text().await.unwrap_or_default();
        assert!(text.contains(who), "{who}: {text}");
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
