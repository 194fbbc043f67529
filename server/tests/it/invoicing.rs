//! Invoicing against PostgreSQL: gap-free numbering under concurrency, immutability enforced by
//! the database, contact groups kept inside their organisation, credit notes and payments, the
//! quote → invoice → paid workflow over HTTP, and tenant isolation.

use crate::common::TestApp;
use app::invoicing::db;
use app::invoicing::money::{Cents, Discount, LineAmounts, Quantity, VatRate};
use app::invoicing::workflow::{DocumentKind, Status};
use app::invoicing::{DocumentDraft, Line, PaymentMethod};
use chrono::Utc;
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

pub(crate) async fn json(resp: reqwest::Response) -> Value {
    let status = resp.status();
    let text = resp.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status}: {text}"))
}

pub(crate) async fn seller(pool: &PgPool, org: i64) {
    sqlx::query(
        "INSERT INTO seller_profiles (organisation_id, legal_name, siren, vat_number, address_line1,
                                      postal_code, city)
         VALUES ($1, 'Vendeur SAS', '732829320', 'FR44732829320', '1 rue de la Paix', '75002', 'Paris')",
    )
    .bind(org)
    .execute(pool)
    .await
    .unwrap();
}

pub(crate) async fn contact(pool: &PgPool, org: i64, with_address: bool) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO contacts (organisation_id, kind, name, address_line1, postal_code, city)
         VALUES ($1, 'company', 'Client SARL', $2, $3, $4) RETURNING id",
    )
    .bind(org)
    .bind(if with_address { "2 avenue Foch" } else { "" })
    .bind(if with_address { "69001" } else { "" })
    .bind(if with_address { "Lyon" } else { "" })
    .fetch_one(pool)
    .await
    .unwrap()
}

/// One line: 1 × 100,00 € at 20 % → 120,00 € TTC.
pub(crate) fn hundred_euros(contact_id: i64) -> DocumentDraft {
    DocumentDraft {
        contact_id,
        validity_date: None,
        due_date: None,
        global_discount: Discount(0),
        notes: String::new(),
        lines: vec![Line {
            article_id: None,
            description: "Prestation".into(),
            unit: "h".into(),
            amounts: LineAmounts {
                quantity: Quantity(1000),
                unit_price: Cents(10_000),
                vat_rate: VatRate::new(2000).unwrap(),
                discount: Discount(0),
            },
        }],
    }
}

/// A draft invoice of 120,00 € TTC for `contact`, written by `by`.
pub(crate) async fn draft_invoice(pool: &PgPool, org: i64, contact: i64, by: i64) -> i64 {
    db::insert_draft(
        pool,
        org,
        DocumentKind::Invoice,
        &hundred_euros(contact),
        by,
        None,
        None,
    )
    .await
    .unwrap()
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn two_hundred_concurrent_issues_are_numbered_1_to_200(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    seller(&pool, f.org_a).await;
    let client = contact(&pool, f.org_a, true).await;
    let mut drafts = Vec::new();
    for _ in 0..200 {
        drafts.push(draft_invoice(&pool, f.org_a, client, f.accountant_a).await);
    }
    let now = Utc::now();
    let tasks: Vec<_> = drafts
        .into_iter()
        .map(|id| {
            let pool = pool.clone();
            tokio::spawn(async move { db::issue(&pool, f.org_a, id, now).await })
        })
        .collect();
    let mut numbers = Vec::new();
    for task in tasks {
        numbers.push(task.await.unwrap().unwrap());
    }
    numbers.sort();
    let year = db::paris_today(now).format("%Y").to_string();
    let expected: Vec<String> = (1..=200).map(|n| format!("F-{year}-{n:06}")).collect();
    assert_eq!(numbers, expected, "continuous, no gap, no duplicate");
    // Another organisation has its own series.
    seller(&pool, f.org_b).await;
    let other = contact(&pool, f.org_b, true).await;
    let id = db::insert_draft(
        &pool,
        f.org_b,
        DocumentKind::Invoice,
        &hundred_euros(other),
        f.accountant_b,
        None,
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        db::issue(&pool, f.org_b, id, now).await.unwrap(),
        format!("F-{year}-000001")
    );
}

/// A line may name an article of the document's organisation only; another organisation's
/// article gets the same answer as an id that does not exist, so ids elsewhere stay unknown.
#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_line_names_only_an_article_of_its_organisation(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    let client = contact(&pool, f.org_a, true).await;
    let article = |org: i64| {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO articles (organisation_id, reference, description, unit_price_cents,
                                   vat_rate_bp)
             VALUES ($1, 'REF-1', 'Audit', 10000, 2000) RETURNING id",
        )
        .bind(org)
        .fetch_one(&pool)
    };
    let own = article(f.org_a).await.unwrap();
    let foreign = article(f.org_b).await.unwrap();
    let with_article = |article_id: i64| {
        let mut draft = hundred_euros(client);
        draft.lines[0].article_id = Some(article_id);
        draft
    };
    let insert = |draft: DocumentDraft| {
        let pool = pool.clone();
        async move {
            db::insert_draft(
                &pool,
                f.org_a,
                DocumentKind::Invoice,
                &draft,
                f.accountant_a,
                None,
                None,
            )
            .await
        }
    };
    assert!(insert(with_article(own)).await.is_ok());
    for article_id in [foreign, foreign + 1000] {
        let refused = insert(with_article(article_id)).await.unwrap_err();
        assert!(
            matches!(&refused, app::error::AppError::Invalid(list)
                if list.iter().any(|p| p.problem == app::error::Problem::ArticleUnknown)),
            "{article_id}: {refused:?}"
        );
    }
    let lines_naming_foreign: i64 =
        sqlx::query_scalar("SELECT count(*) FROM document_lines WHERE article_id = $1")
            .bind(foreign)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(lines_naming_foreign, 0);
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn the_database_refuses_changes_to_an_issued_invoice(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    seller(&pool, f.org_a).await;
    let client = contact(&pool, f.org_a, true).await;
    let id = draft_invoice(&pool, f.org_a, client, f.accountant_a).await;
    // A draft may change freely.
    sqlx::query("UPDATE documents SET notes = 'brouillon' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    db::issue(&pool, f.org_a, id, Utc::now()).await.unwrap();
    for sql in [
        "UPDATE documents SET total_incl_tax_cents = 1 WHERE id = $1",
        "UPDATE documents SET notes = 'modifiée' WHERE id = $1",
        "UPDATE documents SET number = 'F-0000-000000' WHERE id = $1",
        "UPDATE documents SET status = 'draft', number = NULL WHERE id = $1",
        "UPDATE document_lines SET unit_price_cents = 1 WHERE document_id = $1",
        "DELETE FROM document_lines WHERE document_id = $1",
        "INSERT INTO document_lines (document_id, position, description, quantity_milli, unit_price_cents, vat_rate_bp, total_excl_tax_cents) VALUES ($1, 9, 'x', 1000, 1, 2000, 1)",
        "DELETE FROM documents WHERE id = $1",
    ] {
        let result = sqlx::query(sql).bind(id).execute(&pool).await;
        assert!(result.is_err(), "{sql} should be refused");
    }
    // Only the settlement status moves on.
    sqlx::query("UPDATE documents SET status = 'partially_paid' WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    // Through the API too: a draft-only edit is refused with a clear problem.
    let accountant = app.signed_in("compta@a.test").await;
    let resp = app
        .call(
            &accountant,
            "delete_draft",
            &[("document_id", &id.to_string()), ("confirm", "oui")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        json(resp).await["Invalid"][0]["problem"],
        "DocumentNotDraft"
    );
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn contact_groups_never_cross_organisations(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    let contact_a = contact(&pool, f.org_a, true).await;
    let group_b: i64 = sqlx::query_scalar(
        "INSERT INTO contact_groups (organisation_id, name) VALUES ($1, 'Groupe B') RETURNING id",
    )
    .bind(f.org_b)
    .fetch_one(&pool)
    .await
    .unwrap();
    // Even hand-written SQL cannot attach A's contact to B's group, whatever organisation it claims.
    for org in [f.org_a, f.org_b] {
        let refused = sqlx::query("INSERT INTO contact_group_members (organisation_id, contact_id, group_id) VALUES ($1, $2, $3)")
            .bind(org)
            .bind(contact_a)
            .bind(group_b)
            .execute(&pool)
            .await;
        assert!(refused.is_err(), "claimed organisation {org}");
    }
    let accountant = app.signed_in("compta@a.test").await;
    let group_a = json(
        app.call(
            &accountant,
            "save_contact_group",
            &[("group_id", ""), ("name", "Paris")],
        )
        .await,
    )
    .await;
    let group_a = group_a.as_i64().unwrap();
    let form = |group: i64| {
        vec![
            ("contact_id".to_owned(), contact_a.to_string()),
            ("fields[kind]".to_owned(), "company".to_owned()),
            ("fields[name]".to_owned(), "Client SARL".to_owned()),
            ("fields[email]".to_owned(), String::new()),
            ("fields[phone]".to_owned(), String::new()),
            (
                "fields[address_line1]".to_owned(),
                "2 avenue Foch".to_owned(),
            ),
            ("fields[address_line2]".to_owned(), String::new()),
            ("fields[postal_code]".to_owned(), "69001".to_owned()),
            ("fields[city]".to_owned(), "Lyon".to_owned()),
            ("fields[country]".to_owned(), "FR".to_owned()),
            ("fields[siren]".to_owned(), "732829320".to_owned()),
            ("fields[vat_number]".to_owned(), String::new()),
            ("groups[0]".to_owned(), group.to_string()),
        ]
    };
    let refused = call_owned(&app, &accountant, "save_contact", &form(group_b)).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json(refused).await["Invalid"][0]["problem"], "GroupUnknown");
    assert_eq!(
        call_owned(&app, &accountant, "save_contact", &form(group_a))
            .await
            .status(),
        StatusCode::OK
    );
    let listed = json(
        app.call(
            &accountant,
            "list_contacts",
            &[("filter[group_id]", &group_a.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["groups"][0]["name"], "Paris");
}

/// A credit note is not a payment: an invoice with a credit note and nothing paid stays
/// "issued" (not "partially paid"), its balance lowered, its paid amount still zero.
#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_credit_note_lowers_the_balance_without_paying(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    seller(&pool, f.org_a).await;
    let client = contact(&pool, f.org_a, true).await;
    let now = Utc::now();
    let invoice = draft_invoice(&pool, f.org_a, client, f.accountant_a).await;
    db::issue(&pool, f.org_a, invoice, now).await.unwrap();
    let credit = db::draft_credit_note(
        &pool,
        f.org_a,
        invoice,
        db::CreditScope::Amount {
            excl_tax: Cents(2000),
            vat_rate: VatRate::new(2000).unwrap(),
            description: "Geste".into(),
        },
        f.accountant_a,
    )
    .await
    .unwrap();
    db::issue(&pool, f.org_a, credit, now).await.unwrap();
    let view = db::get_document(&pool, f.org_a, invoice, now)
        .await
        .unwrap();
    assert_eq!(view.summary.status, Status::Issued);
    assert_eq!(
        (view.paid, view.credited, view.summary.balance_due),
        (Cents(0), Cents(2400), Cents(9600))
    );
}

/// An invoice cannot be issued already overdue: a due date before the issue date is refused on
/// its field, and the draft stays a draft.
#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn an_invoice_due_before_its_issue_is_refused(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    seller(&pool, f.org_a).await;
    let client = contact(&pool, f.org_a, true).await;
    let now = Utc::now();
    let mut draft = hundred_euros(client);
    draft.due_date = Some(db::paris_today(now) - chrono::Duration::days(53));
    let id = db::insert_draft(
        &pool,
        f.org_a,
        DocumentKind::Invoice,
        &draft,
        f.accountant_a,
        None,
        None,
    )
    .await
    .unwrap();
    let refused = db::issue(&pool, f.org_a, id, now).await.unwrap_err();
    assert_eq!(
        refused.problem_for("due_date"),
        Some(app::error::Problem::DueDateBeforeIssue)
    );
    let view = db::get_document(&pool, f.org_a, id, now).await.unwrap();
    assert_eq!(view.summary.status, Status::Draft);
    // Due today is fine.
    sqlx::query("UPDATE documents SET due_date = $2 WHERE id = $1")
        .bind(id)
        .bind(db::paris_today(now))
        .execute(&pool)
        .await
        .unwrap();
    assert!(db::issue(&pool, f.org_a, id, now).await.is_ok());
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn credit_notes_and_payments_settle_the_balance(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    seller(&pool, f.org_a).await;
    let client = contact(&pool, f.org_a, true).await;
    let now = Utc::now();
    let today = db::paris_today(now);
    let invoice = draft_invoice(&pool, f.org_a, client, f.accountant_a).await;
    let pay = |amount: i64| db::NewPayment {
        invoice,
        paid_on: today,
        amount: Cents(amount),
        method: PaymentMethod::Transfer,
        reference: "VIR-1",
        by: f.accountant_a,
    };
    // Not before it is issued.
    assert!(db::record_payment(&pool, f.org_a, pay(1000)).await.is_err());
    db::issue(&pool, f.org_a, invoice, now).await.unwrap();
    assert_eq!(
        db::record_payment(&pool, f.org_a, pay(5000)).await.unwrap(),
        Status::PartiallyPaid
    );
    let over = db::record_payment(&pool, f.org_a, pay(7001))
        .await
        .unwrap_err();
    assert_eq!(
        over.problem_for("amount"),
        Some(app::error::Problem::Overpayment)
    );

    // A partial credit note of 20,00 € excl. tax at 20 % takes 24,00 € off the balance.
    let credit = db::draft_credit_note(
        &pool,
        f.org_a,
        invoice,
        db::CreditScope::Amount {
            excl_tax: Cents(2000),
            vat_rate: VatRate::new(2000).unwrap(),
            description: "Geste".into(),
        },
        f.accountant_a,
    )
    .await
    .unwrap();
    let number = db::issue(&pool, f.org_a, credit, now).await.unwrap();
    assert!(number.starts_with("A-"), "own series: {number}");
    let view = db::get_document(&pool, f.org_a, invoice, now)
        .await
        .unwrap();
    assert_eq!(
        (view.paid, view.credited, view.summary.balance_due),
        (Cents(5000), Cents(2400), Cents(4600))
    );
    assert!(
        view.links.iter().any(|l| l.id == credit),
        "the invoice lists its credit note"
    );
    // A second credit note larger than what is left is refused at issue.
    let too_much = db::draft_credit_note(
        &pool,
        f.org_a,
        invoice,
        db::CreditScope::All,
        f.accountant_a,
    )
    .await
    .unwrap();
    let refused = db::issue(&pool, f.org_a, too_much, now).await.unwrap_err();
    assert_eq!(
        refused.problem_for("lines"),
        Some(app::error::Problem::CreditExceedsBalance)
    );
    assert_eq!(
        db::record_payment(&pool, f.org_a, pay(4600)).await.unwrap(),
        Status::Paid
    );
    // Payments are append-only.
    assert!(
        sqlx::query("DELETE FROM payments")
            .execute(&pool)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("UPDATE payments SET amount_cents = 1")
            .execute(&pool)
            .await
            .is_err()
    );
}

fn document_form(contact: i64, lines: &[(&str, &str, &str, &str, &str)]) -> Vec<(String, String)> {
    let mut form = vec![
        ("document_id".to_owned(), String::new()),
        ("kind".to_owned(), "quote".to_owned()),
        ("fields[contact_id]".to_owned(), contact.to_string()),
        ("fields[validity_date]".to_owned(), String::new()),
        ("fields[due_date]".to_owned(), String::new()),
        ("fields[global_discount]".to_owned(), "5".to_owned()),
        ("fields[notes]".to_owned(), String::new()),
    ];
    for (i, (description, quantity, price, vat, discount)) in lines.iter().enumerate() {
        for (key, value) in [
            ("article_id", ""),
            ("description", description),
            ("quantity", quantity),
            ("unit", "u"),
            ("unit_price", price),
            ("vat_rate", vat),
            ("discount", discount),
        ] {
            form.push((format!("fields[lines][{i}][{key}]"), value.to_string()));
        }
    }
    form
}

async fn call_owned(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    form: &[(String, String)],
) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call(client, endpoint, &pairs).await
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn quote_to_paid_invoice_over_http(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    let accountant = app.signed_in("compta@a.test").await;
    let with_address = contact(&pool, f.org_a, true).await;
    let without_address = contact(&pool, f.org_a, false).await;

    // Seller identity: keys are checked.
    let mut seller_form = vec![
        ("fields[legal_name]", "Boutiques Bash SAS"),
        ("fields[legal_form]", "SAS"),
        ("fields[siren]", "732829321"),
        ("fields[siret]", ""),
        ("fields[vat_number]", "FR45732829320"),
        ("fields[address_line1]", "1 rue de la Paix"),
        ("fields[address_line2]", ""),
        ("fields[postal_code]", "75002"),
        ("fields[city]", "Paris"),
        ("fields[email]", ""),
        ("fields[phone]", ""),
        ("fields[iban]", "FR76 3000 6000 0112 3456 7890 189"),
        ("fields[bic]", "BNPAFRPP"),
        ("fields[payment_terms_days]", "30"),
        ("fields[late_penalty_rate]", "12,15"),
    ];
    let refused = json(
        app.call(&accountant, "save_seller_profile", &seller_form)
            .await,
    )
    .await;
    let fields: Vec<&str> = refused["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["siren", "vat_number"]);
    seller_form[2].1 = "732829320";
    seller_form[4].1 = "FR44732829320";
    assert_eq!(
        app.call(&accountant, "save_seller_profile", &seller_form)
            .await
            .status(),
        StatusCode::OK
    );

    // A quote with three lines: totals computed by the shared money module.
    let form = document_form(
        with_address,
        &[
            ("Conseil", "2", "450", "20", ""),
            ("Formation", "1,5", "800,00", "20", "10"),
            ("Livre", "3", "19,90", "5,5", ""),
        ],
    );
    let quote = json(call_owned(&app, &accountant, "save_document", &form).await)
        .await
        .as_i64()
        .unwrap();
    let view = json(
        app.call(
            &accountant,
            "get_document",
            &[("document_id", &quote.to_string())],
        )
        .await,
    )
    .await;
    // 900 + 1080 = 1980 at 20 % → −5 % = 1881 → VAT 376,20 ; 59,70 at 5,5 % − 2,985 (→ 2,99) = 56,71 → VAT 3,12.
    assert_eq!(view["totals"]["total_excl_tax"], 193_771);
    assert_eq!(view["totals"]["total_vat"], 37_620 + 312);
    let sent = json(
        app.call(
            &accountant,
            "document_action",
            &[("document_id", &quote.to_string()), ("action", "send")],
        )
        .await,
    )
    .await;
    assert_eq!(sent, "sent");
    let view = json(
        app.call(
            &accountant,
            "get_document",
            &[("document_id", &quote.to_string())],
        )
        .await,
    )
    .await;
    assert!(
        view["summary"]["number"]
            .as_str()
            .unwrap()
            .starts_with("D-")
    );
    // Illegal transitions are refused.
    let again = app
        .call(
            &accountant,
            "document_action",
            &[("document_id", &quote.to_string()), ("action", "send")],
        )
        .await;
    assert_eq!(
        json(again).await["Invalid"][0]["problem"],
        "TransitionRefused"
    );
    app.call(
        &accountant,
        "document_action",
        &[("document_id", &quote.to_string()), ("action", "accept")],
    )
    .await;
    let invoice = json(
        app.call(
            &accountant,
            "convert_quote",
            &[("quote_id", &quote.to_string())],
        )
        .await,
    )
    .await
    .as_i64()
    .unwrap();
    let twice = app
        .call(
            &accountant,
            "convert_quote",
            &[("quote_id", &quote.to_string())],
        )
        .await;
    assert_eq!(
        json(twice).await["Invalid"][0]["problem"],
        "QuoteAlreadyConverted"
    );
    // The same refusal from the page's plain form is shown on the page it comes back to.
    let page = format!("/facturation/devis?voir={quote}");
    let resp = crate::common::post_form(
        &app,
        &accountant,
        "convert_quote",
        &page,
        &[("quote_id", quote.to_string())],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    let back = crate::common::location(&resp);
    let back = back.trim_start_matches(&app.url(""));
    assert!(back.contains("__err="), "{back}");
    let html = app.page(&accountant, back).await;
    assert!(
        html.contains("Ce devis a déjà été transformé en facture."),
        "the refusal is shown"
    );
    let issued = json(
        app.call(
            &accountant,
            "document_action",
            &[
                ("document_id", &invoice.to_string()),
                ("action", "issue"),
                ("confirm", "oui"),
            ],
        )
        .await,
    )
    .await;
    let issued = issued.as_str().unwrap().to_owned();
    assert!(
        issued.starts_with("F-") && issued.ends_with("-000001"),
        "{issued}"
    );

    // Missing mentions are listed before issuing.
    let mut form = document_form(without_address, &[("Conseil", "1", "100", "20", "")]);
    form[1].1 = "invoice".into();
    let draft = json(call_owned(&app, &accountant, "save_document", &form).await)
        .await
        .as_i64()
        .unwrap();
    // Issuing is final: without its box ticked, nothing happens.
    let unconfirmed = json(
        app.call(
            &accountant,
            "document_action",
            &[("document_id", &draft.to_string()), ("action", "issue")],
        )
        .await,
    )
    .await;
    assert_eq!(unconfirmed["Invalid"][0]["field"], "confirm");
    assert_eq!(unconfirmed["Invalid"][0]["problem"], "IssueNotConfirmed");
    let unconfirmed = json(
        app.call(
            &accountant,
            "delete_draft",
            &[("document_id", &draft.to_string())],
        )
        .await,
    )
    .await;
    assert_eq!(unconfirmed["Invalid"][0]["problem"], "DeletionNotConfirmed");
    let refused = json(
        app.call(
            &accountant,
            "document_action",
            &[
                ("document_id", &draft.to_string()),
                ("action", "issue"),
                ("confirm", "oui"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(refused["Invalid"][0]["field"], "client.address");
    assert_eq!(refused["Invalid"][0]["problem"], "MentionMissing");

    // Partial then full payment.
    let view = json(
        app.call(
            &accountant,
            "get_document",
            &[("document_id", &invoice.to_string())],
        )
        .await,
    )
    .await;
    let total = view["totals"]["total_incl_tax"].as_i64().unwrap();
    let pay = |amount: String| {
        let accountant = accountant.clone();
        let app = &app;
        async move {
            json(
                app.call(
                    &accountant,
                    "record_payment",
                    &[
                        ("invoice_id", &invoice.to_string()),
                        ("paid_on", ""),
                        ("amount", &amount),
                        ("method", "transfer"),
                        ("reference", ""),
                    ],
                )
                .await,
            )
            .await
        }
    };
    assert_eq!(pay("1000".into()).await, "partially_paid");
    assert_eq!(pay(Cents(total - 100_000).format_number()).await, "paid");
    let dashboard = json(app.call(&accountant, "invoicing_dashboard", &[]).await).await;
    assert_eq!(dashboard["paid_this_month"], total);
    assert_eq!(dashboard["outstanding"], 0);
    let list = json(
        call_owned(
            &app,
            &accountant,
            "list_documents",
            &[
                ("filter[kind]".into(), "invoice".into()),
                ("filter[status]".into(), "paid".into()),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(list["total"], 1);

    // Tenant isolation: B's accountant sees none of it; viewers get no invoicing at all.
    let other = app.signed_in("compta@b.test").await;
    let id = invoice.to_string();
    let article: i64 = sqlx::query_scalar(
        "INSERT INTO articles (organisation_id, reference, description, unit_price_cents, vat_rate_bp)
         VALUES ($1, 'A-1', 'Article de A', 1000, 2000) RETURNING id",
    )
    .bind(f.org_a)
    .fetch_one(&pool)
    .await
    .unwrap();
    let group: i64 = sqlx::query_scalar(
        "INSERT INTO contact_groups (organisation_id, name) VALUES ($1, 'Groupe de A') RETURNING id",
    )
    .bind(f.org_a)
    .fetch_one(&pool)
    .await
    .unwrap();
    let (article, group, contact_a) = (
        article.to_string(),
        group.to_string(),
        with_address.to_string(),
    );
    for (endpoint, args) in [
        ("get_article", vec![("article_id", article.as_str())]),
        (
            "set_article_active",
            vec![("article_id", article.as_str()), ("active", "false")],
        ),
        ("get_contact", vec![("contact_id", contact_a.as_str())]),
        (
            "delete_contact",
            vec![("contact_id", contact_a.as_str()), ("confirm", "oui")],
        ),
        ("delete_contact_group", vec![("group_id", group.as_str())]),
        (
            "save_contact_group",
            vec![("group_id", group.as_str()), ("name", "Repris")],
        ),
        (
            "save_article",
            vec![
                ("article_id", article.as_str()),
                ("fields[reference]", "A-1"),
                ("fields[description]", "Repris"),
                ("fields[unit]", ""),
                ("fields[unit_price]", "1"),
                ("fields[vat_rate]", "20"),
            ],
        ),
        ("get_document", vec![("document_id", id.as_str())]),
        (
            "document_action",
            vec![
                ("document_id", id.as_str()),
                ("action", "issue"),
                ("confirm", "oui"),
            ],
        ),
        (
            "record_payment",
            vec![
                ("invoice_id", id.as_str()),
                ("paid_on", ""),
                ("amount", "1"),
                ("method", "cash"),
            ],
        ),
        (
            "record_refund",
            vec![
                ("invoice_id", id.as_str()),
                ("refunded_on", ""),
                ("amount", "1"),
                ("method", "cash"),
            ],
        ),
        ("convert_quote", vec![("quote_id", id.as_str())]),
        (
            "draft_credit_note",
            vec![("invoice_id", id.as_str()), ("scope", "all")],
        ),
        (
            "delete_draft",
            vec![("document_id", id.as_str()), ("confirm", "oui")],
        ),
    ] {
        assert_eq!(
            app.call(&other, endpoint, &args).await.status(),
            StatusCode::NOT_FOUND,
            "{endpoint}"
        );
    }
    let listed = json(
        call_owned(
            &app,
            &other,
            "list_documents",
            &[("filter[kind]".into(), "invoice".into())],
        )
        .await,
    )
    .await;
    assert_eq!(listed["total"], 0);
    for endpoint in ["list_contacts", "list_articles", "list_payments"] {
        let listed = json(app.call(&other, endpoint, &[]).await).await;
        assert_eq!(listed["total"], 0, "{endpoint}");
    }
    for endpoint in ["contact_choices", "article_choices"] {
        let listed = json(app.call(&other, endpoint, &[]).await).await;
        assert_eq!(listed.as_array().map(Vec::len), Some(0), "{endpoint}");
    }
    let viewer = app.signed_in("lecteur@a.test").await;
    for endpoint in [
        "seller_profile",
        "list_contacts",
        "list_articles",
        "list_payments",
        "invoicing_dashboard",
        "list_contact_groups",
        "contact_choices",
        "article_choices",
        "seller_logo",
        "remove_seller_logo",
    ] {
        assert_eq!(
            app.call(&viewer, endpoint, &[("search", ""), ("group_id", "")])
                .await
                .status(),
            StatusCode::FORBIDDEN,
            "{endpoint}"
        );
    }
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn sent_quotes_expire_after_their_validity_date(pool: PgPool) {
    use app::invoicing::workflow::Action;
    use comptoir_server::jobs::{self, Job, Outcome};
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    let client = contact(&pool, f.org_a, true).await;
    let now = Utc::now();
    let today = db::paris_today(now);
    let quote = |valid_until: chrono::NaiveDate, send: bool| {
        let pool = pool.clone();
        async move {
            let mut draft = hundred_euros(client);
            draft.validity_date = Some(valid_until);
            let id = db::insert_draft(
                &pool,
                f.org_a,
                DocumentKind::Quote,
                &draft,
                f.accountant_a,
                None,
                None,
            )
            .await
            .unwrap();
            if send {
                db::quote_action(&pool, f.org_a, id, Action::Send, now)
                    .await
                    .unwrap();
            }
            id
        }
    };
    let yesterday = today - chrono::Duration::days(1);
    let lapsed = quote(yesterday, true).await;
    let valid_today = quote(today, true).await;
    let lapsed_draft = quote(yesterday, false).await;
    let accepted = quote(yesterday, true).await;
    db::quote_action(&pool, f.org_a, accepted, Action::Accept, now)
        .await
        .unwrap();

    let outcome = jobs::run_if_due(Job::QuoteExpiry, &pool, now)
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Ran("1 devis expiré(s)".into()));
    let status = |id: i64| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT status FROM documents WHERE id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(status(lapsed).await, "expired");
    assert_eq!(
        status(valid_today).await,
        "sent",
        "valid through its last day"
    );
    assert_eq!(status(lapsed_draft).await, "draft");
    assert_eq!(status(accepted).await, "accepted");
    assert_eq!(
        jobs::run_if_due(Job::QuoteExpiry, &pool, now)
            .await
            .unwrap(),
        Outcome::NotDue
    );
}

/// The editor without JavaScript: each button posts the draft with its step; the server applies
/// it, keeps the draft in the session and shows the editor again, until the draft is saved.
#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn the_editor_works_with_plain_forms(pool: PgPool) {
    use crate::common::{location, post_form};
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    let accountant = app.signed_in("compta@a.test").await;
    let client = contact(&pool, f.org_a, true).await;
    let article = |org: i64, reference: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO articles (organisation_id, reference, description, unit, unit_price_cents, vat_rate_bp)
                 VALUES ($1, $2, 'Audit de vitrine', 'h', 12345, 550) RETURNING id",
            )
            .bind(org)
            .bind(reference)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let ours = article(f.org_a, "AUD").await.to_string();
    let theirs = article(f.org_b, "SECRET").await.to_string();
    let page = "/facturation/devis?nouveau=1";
    let mut form = document_form(client, &[("", "2", "", "20", "")]);
    form.push(("back".into(), "/facturation/devis".into()));
    form[5].1 = String::new(); // no global discount
    form[7].1 = ours.clone(); // line 0's article, newly picked (no `picked[0]`)
    let step = |form: &[(String, String)], step: &str| {
        let mut form = form.to_vec();
        form.push(("step".into(), step.into()));
        form
    };

    // Recalculate: the picked article fills its line; the editor shows the draft again.
    let resp = post_form(
        &app,
        &accountant,
        "save_document",
        page,
        &step(&form, "recalculer"),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    assert_eq!(location(&resp), "/facturation/devis?nouveau=1&brouillon=1");
    let html = app
        .page(&accountant, "/facturation/devis?nouveau=1&brouillon=1")
        .await;
    assert!(html.contains(r#"value="Audit de vitrine""#), "{html}");
    // 2 × 123,45 at 5,5 % → 246,90 + 13,58 = 260,48.
    assert!(html.contains("260,48"), "the server's totals");
    let none: i64 = sqlx::query_scalar("SELECT count(*) FROM documents WHERE organisation_id = $1")
        .bind(f.org_a)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(none, 0, "nothing saved yet");

    // Add a line, then remove it; another organisation's article fills nothing.
    form[8].1 = "Audit de vitrine".into();
    form[11].1 = "123,45".into();
    form.push(("picked[0]".into(), ours.clone()));
    post_form(
        &app,
        &accountant,
        "save_document",
        page,
        &step(&form, "ajouter"),
    )
    .await;
    let html = app
        .page(&accountant, "/facturation/devis?nouveau=1&brouillon=1")
        .await;
    assert!(html.contains(r#"name="fields[lines][1][description]""#));
    let mut two = form.clone();
    for (key, value) in [
        ("article_id", theirs.as_str()),
        ("description", ""),
        ("quantity", "1"),
        ("unit_price", ""),
        ("vat_rate", "20"),
    ] {
        two.push((format!("fields[lines][1][{key}]"), value.into()));
    }
    post_form(
        &app,
        &accountant,
        "save_document",
        page,
        &step(&two, "recalculer"),
    )
    .await;
    let html = app
        .page(&accountant, "/facturation/devis?nouveau=1&brouillon=1")
        .await;
    assert_eq!(
        html.matches(r#"value="Audit de vitrine""#).count(),
        1,
        "theirs fills nothing"
    );
    post_form(
        &app,
        &accountant,
        "save_document",
        page,
        &step(&two, "retirer-1"),
    )
    .await;
    let html = app
        .page(&accountant, "/facturation/devis?nouveau=1&brouillon=1")
        .await;
    assert!(!html.contains(r#"name="fields[lines][1][description]""#));

    // Save: to the new document, with its flash; the kept draft is gone.
    let resp = post_form(
        &app,
        &accountant,
        "save_document",
        page,
        &step(&form, "enregistrer"),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::FOUND);
    let to = location(&resp);
    assert!(to.starts_with("/facturation/devis?voir="), "{to}");
    let html = app.page(&accountant, &to).await;
    assert!(html.contains("Brouillon enregistré."));
    let html = app
        .page(&accountant, "/facturation/devis?nouveau=1&brouillon=1")
        .await;
    assert!(
        !html.contains(r#"value="Audit de vitrine""#),
        "a new editor starts empty"
    );
}
