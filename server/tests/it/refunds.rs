//! A credit note on a paid invoice, and the refund it calls for (issue 35, item 3): the credit
//! may go past the balance due, up to the invoice's total less earlier credits; what the invoice
//! received beyond what is left due is owed back, shown, and paid back as a refund of at most
//! that, inside the caller's organisation.

use crate::common::{TestApp, location, post_form};
use crate::invoicing::{contact, draft_invoice, json, seller};
use app::error::Problem;
use app::invoicing::db;
use app::invoicing::money::{Cents, VatRate};
use app::invoicing::workflow::Status;
use app::invoicing::{DocumentView, ListFilter, PaymentMethod};
use chrono::Utc;
use reqwest::StatusCode;
use sqlx::PgPool;

/// An issued invoice of 120,00 € TTC of organisation A, paid `paid` cents.
async fn paid_invoice(pool: &PgPool, org: i64, by: i64, paid: i64) -> i64 {
    let client = contact(pool, org, true).await;
    let invoice = draft_invoice(pool, org, client, by).await;
    db::issue(pool, org, invoice, Utc::now()).await.unwrap();
    if paid > 0 {
        let payment = db::NewPayment {
            invoice,
            paid_on: db::paris_today(Utc::now()),
            amount: Cents(paid),
            method: PaymentMethod::Transfer,
            reference: "VIR-1",
            by,
        };
        db::record_payment(pool, org, payment).await.unwrap();
    }
    invoice
}

/// A credit note of `excl_tax` cents excluding tax at 20 % on `invoice`, drafted and issued.
async fn credit(
    pool: &PgPool,
    org: i64,
    by: i64,
    invoice: i64,
    excl_tax: i64,
) -> Result<String, app::error::AppError> {
    let scope = db::CreditScope::Amount {
        excl_tax: Cents(excl_tax),
        vat_rate: VatRate::new(2000).unwrap(),
        description: "Geste".into(),
    };
    let draft = db::draft_credit_note(pool, org, invoice, scope, by).await?;
    db::issue(pool, org, draft, Utc::now()).await
}

fn refund(invoice: i64, amount: i64, by: i64) -> db::NewRefund<'static> {
    db::NewRefund {
        invoice,
        refunded_on: db::paris_today(Utc::now()),
        amount: Cents(amount),
        method: PaymentMethod::Transfer,
        reference: "REMB-1",
        by,
    }
}

async fn view(pool: &PgPool, org: i64, invoice: i64) -> DocumentView {
    db::get_document(pool, org, invoice, Utc::now())
        .await
        .unwrap()
}

/// (status, paid less refunded, credited, balance due, owed back).
fn amounts(v: &DocumentView) -> (Status, Cents, Cents, Cents, Cents) {
    (
        v.summary.status,
        v.paid,
        v.credited,
        v.summary.balance_due,
        v.summary.owed_back,
    )
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_paid_invoice_is_credited_and_the_client_refunded(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    seller(&pool, f.org_a).await;
    let invoice = paid_invoice(&pool, f.org_a, f.accountant_a, 12_000).await;
    assert_eq!(
        view(&pool, f.org_a, invoice).await.summary.status,
        Status::Paid
    );

    // 20,00 € excl. tax at 20 %: 24,00 € credited, all of it owed back, the invoice still paid.
    let number = credit(&pool, f.org_a, f.accountant_a, invoice, 2_000)
        .await
        .unwrap();
    assert!(number.starts_with("A-"), "{number}");
    let shown = view(&pool, f.org_a, invoice).await;
    assert_eq!(
        amounts(&shown),
        (
            Status::Paid,
            Cents(12_000),
            Cents(2_400),
            Cents(0),
            Cents(2_400)
        )
    );

    // The page shows it and offers the refund, starting from all that is owed back.
    let accountant = app.signed_in("compta@a.test").await;
    let page = format!("/facturation/factures?voir={invoice}");
    let html = app.page(&accountant, &page).await;
    assert!(html.contains("À rembourser"), "{html}");
    assert!(html.contains(r#"data-total="owed-back""#), "{html}");
    assert!(
        html.contains("/api/record_refund"),
        "the refund form: {html}"
    );
    assert!(html.contains(r#"value="24,00""#), "{html}");
    assert!(
        !html.contains("/api/record_payment"),
        "nothing left to pay: {html}"
    );

    // More than is owed back: refused on the amount, with what was typed kept.
    let id = invoice.to_string();
    let over = app
        .call(
            &accountant,
            "record_refund",
            &[
                ("invoice_id", id.as_str()),
                ("refunded_on", ""),
                ("amount", "24,01"),
                ("method", "transfer"),
            ],
        )
        .await;
    assert_eq!(over.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let over = json(over).await;
    assert_eq!(over["Invalid"][0]["field"], "amount");
    assert_eq!(over["Invalid"][0]["problem"], "OverRefund");
    let resp = post_form(
        &app,
        &accountant,
        "record_refund",
        &page,
        &[
            ("invoice_id", id.as_str()),
            ("refunded_on", ""),
            ("amount", "30"),
            ("method", "cheque"),
            ("reference", "CHQ-9"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    let back = location(&resp);
    let back = back.trim_start_matches(&app.url(""));
    assert!(back.contains("__err="), "{back}");
    let html = app.page(&accountant, back).await;
    assert!(
        html.contains("Le montant dépasse ce qui est à rembourser au client."),
        "{html}"
    );
    assert!(
        html.contains(r#"value="30""#),
        "the typed amount is kept: {html}"
    );
    assert!(html.contains(r#"value="CHQ-9""#), "{html}");

    // The refund: the invoice received 96,00 €, credited 24,00 €, nothing due or owed.
    let resp = post_form(
        &app,
        &accountant,
        "record_refund",
        &page,
        &[
            ("invoice_id", id.as_str()),
            ("refunded_on", ""),
            ("amount", "24,00"),
            ("method", "transfer"),
            ("reference", "REMB-1"),
        ],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    assert_eq!(location(&resp), page);
    let html = app.page(&accountant, &page).await;
    assert!(html.contains("Remboursement enregistré."), "{html}");
    assert!(!html.contains("/api/record_refund"), "{html}");
    let shown = view(&pool, f.org_a, invoice).await;
    assert_eq!(
        amounts(&shown),
        (Status::Paid, Cents(9_600), Cents(2_400), Cents(0), Cents(0))
    );
    let again = db::record_refund(&pool, f.org_a, refund(invoice, 1, f.accountant_a))
        .await
        .unwrap_err();
    assert_eq!(again.problem_for("amount"), Some(Problem::OverRefund));

    // The payments list shows the refund as a negative line; the month's takings are net.
    let listed = db::list_payments(&pool, f.org_a, &ListFilter::default())
        .await
        .unwrap();
    let lines: Vec<(i64, bool)> = listed
        .items
        .iter()
        .map(|p| (p.amount.0, p.refund))
        .collect();
    assert_eq!(listed.total, 2);
    assert!(
        lines.contains(&(12_000, false)) && lines.contains(&(-2_400, true)),
        "{lines:?}"
    );
    let refunds_only = db::list_payments(
        &pool,
        f.org_a,
        &ListFilter {
            search: "REMB".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(refunds_only.total, 1);
    let dashboard = db::dashboard(&pool, f.org_a, Utc::now()).await.unwrap();
    assert_eq!(dashboard.paid_this_month, Cents(9_600));

    // Refunds are records: never changed nor deleted.
    assert!(
        sqlx::query("DELETE FROM refunds")
            .execute(&pool)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("UPDATE refunds SET amount_cents = 1")
            .execute(&pool)
            .await
            .is_err()
    );
    // Nor more than is owed back, even written by hand.
    let by_hand = sqlx::query(
        "INSERT INTO refunds (organisation_id, invoice_id, refunded_on, amount_cents, method)
         VALUES ($1, $2, CURRENT_DATE, 1, 'cash')",
    )
    .bind(f.org_a)
    .bind(invoice)
    .execute(&pool)
    .await;
    assert!(by_hand.is_err());
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn credits_stop_at_the_total_less_earlier_credits(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    seller(&pool, f.org_a).await;
    let (org, by) = (f.org_a, f.accountant_a);

    // Partly paid, then credited past its balance: paid, the excess owed back.
    let partly = paid_invoice(&pool, org, by, 5_000).await;
    credit(&pool, org, by, partly, 8_000).await.unwrap();
    assert_eq!(
        amounts(&view(&pool, org, partly).await),
        (
            Status::Paid,
            Cents(5_000),
            Cents(9_600),
            Cents(0),
            Cents(2_600)
        )
    );

    // Paid in full: 24,00 € credited, then the whole invoice is refused (24 + 120 > 120) at
    // issue, the rest (96,00 €) accepted.
    let invoice = paid_invoice(&pool, org, by, 12_000).await;
    credit(&pool, org, by, invoice, 2_000).await.unwrap();
    let whole = db::draft_credit_note(&pool, org, invoice, db::CreditScope::All, by)
        .await
        .unwrap();
    let refused = db::issue(&pool, org, whole, Utc::now()).await.unwrap_err();
    assert_eq!(
        refused.problem_for("lines"),
        Some(Problem::CreditExceedsBalance)
    );
    credit(&pool, org, by, invoice, 8_000).await.unwrap();
    assert_eq!(
        amounts(&view(&pool, org, invoice).await),
        (
            Status::Paid,
            Cents(12_000),
            Cents(12_000),
            Cents(0),
            Cents(12_000)
        )
    );
    // Credited in full: no further credit note, even drafted; no payment either.
    let more = db::draft_credit_note(&pool, org, invoice, db::CreditScope::All, by)
        .await
        .unwrap_err();
    assert_eq!(
        more.problem_for("invoice_id"),
        Some(Problem::CreditExceedsBalance)
    );
    let payment = db::NewPayment {
        invoice,
        paid_on: db::paris_today(Utc::now()),
        amount: Cents(1),
        method: PaymentMethod::Cash,
        reference: "",
        by,
    };
    assert!(db::record_payment(&pool, org, payment).await.is_err());

    // Refunded in two goes: cancelled once nothing is kept.
    assert_eq!(
        db::record_refund(&pool, org, refund(invoice, 2_000, by))
            .await
            .unwrap(),
        Status::Paid
    );
    assert_eq!(
        db::record_refund(&pool, org, refund(invoice, 10_000, by))
            .await
            .unwrap(),
        Status::Cancelled
    );
    assert_eq!(
        amounts(&view(&pool, org, invoice).await),
        (
            Status::Cancelled,
            Cents(0),
            Cents(12_000),
            Cents(0),
            Cents(0)
        )
    );

    // Nothing is refunded on an invoice that owes nothing back, a draft or a credit note.
    let unpaid = paid_invoice(&pool, org, by, 0).await;
    let nothing = db::record_refund(&pool, org, refund(unpaid, 100, by))
        .await
        .unwrap_err();
    assert_eq!(nothing.problem_for("amount"), Some(Problem::OverRefund));
    let client = contact(&pool, org, true).await;
    let draft = draft_invoice(&pool, org, client, by).await;
    let refused = db::record_refund(&pool, org, refund(draft, 100, by))
        .await
        .unwrap_err();
    assert_eq!(
        refused.problem_for("invoice_id"),
        Some(Problem::TransitionRefused)
    );
    let credit_note: i64 = sqlx::query_scalar(
        "SELECT id FROM documents WHERE corrected_invoice_id = $1 AND number IS NOT NULL LIMIT 1",
    )
    .bind(invoice)
    .fetch_one(&pool)
    .await
    .unwrap();
    let refused = db::record_refund(&pool, org, refund(credit_note, 100, by))
        .await
        .unwrap_err();
    assert_eq!(
        refused.problem_for("invoice_id"),
        Some(Problem::TransitionRefused)
    );
    // A reference longer than the table keeps is refused on its field, not as a server error.
    let long = "R".repeat(201);
    let refused = db::record_refund(
        &pool,
        org,
        db::NewRefund {
            reference: &long,
            ..refund(partly, 100, by)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        refused.problem_for("reference"),
        Some(Problem::ReferenceTooLong)
    );
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn refunds_stay_inside_their_organisation(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    seller(&pool, f.org_a).await;
    let invoice = paid_invoice(&pool, f.org_a, f.accountant_a, 12_000).await;
    credit(&pool, f.org_a, f.accountant_a, invoice, 2_000)
        .await
        .unwrap();
    let id = invoice.to_string();
    let args = [
        ("invoice_id", id.as_str()),
        ("refunded_on", ""),
        ("amount", "1"),
        ("method", "cash"),
    ];
    // Another organisation's accountant finds no such invoice; a viewer may not refund.
    let other = app.signed_in("compta@b.test").await;
    let resp = app.call(&other, "record_refund", &args).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        db::record_refund(&pool, f.org_b, refund(invoice, 1, f.accountant_b))
            .await
            .unwrap_err(),
        app::error::AppError::NotFound
    );
    let viewer = app.signed_in("lecteur@a.test").await;
    let resp = app.call(&viewer, "record_refund", &args).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let refunded: i64 = sqlx::query_scalar("SELECT count(*) FROM refunds")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(refunded, 0);
    assert_eq!(
        view(&pool, f.org_a, invoice).await.summary.owed_back,
        Cents(2_400)
    );
    // Its own accountant may.
    let accountant = app.signed_in("compta@a.test").await;
    let resp = app.call(&accountant, "record_refund", &args).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(json(resp).await, "paid");
    assert_eq!(
        view(&pool, f.org_a, invoice).await.summary.owed_back,
        Cents(2_300)
    );
}
