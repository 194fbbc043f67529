//! Contacts, articles and payments lists (filters, sort on every column, pages), the seller logo
//! (checked, stored by hash, kept by issued invoices), and account self-deletion.

use crate::common::{TestApp, location};
use crate::invoicing::{contact, draft_invoice, json, seller};
use app::invoicing::db::{self, NewPayment};
use app::invoicing::money::Cents;
use app::invoicing::{ListFilter, PaymentMethod};
use chrono::{NaiveDate, Utc};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use sqlx::PgPool;

fn names(page: &app::invoicing::Page<app::invoicing::ContactView>) -> Vec<String> {
    page.items.iter().map(|c| c.fields.name.clone()).collect()
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn contact_and_article_lists_filter_sort_and_page(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    for i in 0..30 {
        sqlx::query(
            "INSERT INTO contacts (organisation_id, kind, name, email, city)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(f.org_a)
        .bind(if i % 2 == 0 { "company" } else { "person" })
        .bind(format!("Contact {i:02}"))
        .bind(format!("c{i:02}@exemple.fr"))
        .bind(if i < 10 { "Lyon" } else { "Paris" })
        .execute(&pool)
        .await
        .unwrap();
    }
    contact(&pool, f.org_b, true).await;
    let filter_with = |search: &str| ListFilter {
        search: search.to_owned(),
        ..Default::default()
    };
    let filter = |edit: fn(&mut ListFilter)| {
        let mut f = ListFilter::default();
        edit(&mut f);
        f
    };

    let first = db::list_contacts(&pool, f.org_a, &ListFilter::default())
        .await
        .unwrap();
    assert_eq!((first.total, first.items.len()), (30, 25));
    assert_eq!(names(&first)[0], "Contact 00");
    let last = db::list_contacts(
        &pool,
        f.org_a,
        &filter(|f| {
            f.sort = "name".into();
            f.direction = "desc".into();
            f.page = "2".into();
        }),
    )
    .await
    .unwrap();
    assert_eq!(
        names(&last),
        [
            "Contact 04",
            "Contact 03",
            "Contact 02",
            "Contact 01",
            "Contact 00"
        ]
    );
    let people = db::list_contacts(&pool, f.org_a, &filter(|f| f.kind = "person".into()))
        .await
        .unwrap();
    assert_eq!(people.total, 15);
    let lyon = db::list_contacts(
        &pool,
        f.org_a,
        &filter(|f| {
            f.search = "lyon".into();
            f.sort = "email".into();
            f.direction = "desc".into();
        }),
    )
    .await
    .unwrap();
    assert_eq!(lyon.total, 10);
    assert_eq!(names(&lyon)[0], "Contact 09");
    // Wildcards typed by the user are characters to find, not patterns.
    sqlx::query("INSERT INTO contacts (organisation_id, kind, name, email) VALUES ($1, 'person', 'Jean Dupont', 'jean_dupont@exemple.fr')")
        .bind(f.org_b)
        .execute(&pool)
        .await
        .unwrap();
    for (search, found) in [
        ("%", 0),
        ("_", 1),
        ("jean_dupont", 1),
        ("jean%dupont", 0),
        ("\\", 0),
    ] {
        let page = db::list_contacts(&pool, f.org_b, &filter_with(search))
            .await
            .unwrap();
        assert_eq!(page.total, found, "{search}");
    }
    let refused = db::list_contacts(&pool, f.org_a, &filter(|f| f.kind = "robot".into())).await;
    assert!(refused.is_err());
    // Unknown sort keys fall back to the default instead of reaching SQL.
    let injected = db::list_contacts(
        &pool,
        f.org_a,
        &filter(|f| f.sort = "name; DROP TABLE contacts".into()),
    )
    .await
    .unwrap();
    assert_eq!(names(&injected)[0], "Contact 00");

    for (reference, price, vat, active) in [
        ("B-LIVRE", 1990, 550, true),
        ("A-AUDIT", 30000, 2000, true),
        ("C-ANCIEN", 500, 2000, false),
    ] {
        sqlx::query(
            "INSERT INTO articles (organisation_id, reference, description, unit_price_cents, vat_rate_bp, active)
             VALUES ($1, $2, 'Article', $3, $4, $5)",
        )
        .bind(f.org_a)
        .bind(reference)
        .bind(price as i64)
        .bind(vat)
        .bind(active)
        .execute(&pool)
        .await
        .unwrap();
    }
    let references = |page: app::invoicing::Page<app::invoicing::ArticleView>| -> Vec<String> {
        page.items.into_iter().map(|a| a.reference).collect()
    };
    let by_price = db::list_articles(
        &pool,
        f.org_a,
        &filter(|f| {
            f.sort = "unit_price".into();
            f.direction = "asc".into();
        }),
    )
    .await
    .unwrap();
    assert_eq!(references(by_price), ["C-ANCIEN", "B-LIVRE", "A-AUDIT"]);
    let reduced = db::list_articles(&pool, f.org_a, &filter(|f| f.vat_rate = "5,5".into()))
        .await
        .unwrap();
    assert_eq!(references(reduced), ["B-LIVRE"]);
    let range = db::list_articles(
        &pool,
        f.org_a,
        &filter(|f| {
            f.min_amount = "10".into();
            f.max_amount = "300,00".into();
            f.kind = "active".into();
        }),
    )
    .await
    .unwrap();
    // The range is "TTC", as its label says: A-AUDIT, 300,00 € excl. tax, costs 360,00 € TTC.
    assert_eq!(references(range), ["B-LIVRE"]);
    let range = db::list_articles(
        &pool,
        f.org_a,
        &filter(|f| {
            f.min_amount = "20,99".into(); // B-LIVRE: 19,90 € + 5,5 % = 20,99 € TTC
            f.max_amount = "360".into();
            f.kind = "active".into();
        }),
    )
    .await
    .unwrap();
    assert_eq!(references(range), ["A-AUDIT", "B-LIVRE"]);
    let inactive = db::list_articles(&pool, f.org_a, &filter(|f| f.kind = "inactive".into()))
        .await
        .unwrap();
    assert_eq!(references(inactive), ["C-ANCIEN"]);
    let choices = db::article_choices(&pool, f.org_a).await.unwrap();
    assert_eq!(choices.len(), 2, "inactive articles are not offered");
    assert!(
        db::list_articles(&pool, f.org_a, &filter(|f| f.min_amount = "dix".into()))
            .await
            .is_err()
    );

    // Over HTTP: the same filters, and B sees only its own contact.
    let accountant_b = app.signed_in("compta@b.test").await;
    let listed = json(
        app.call(
            &accountant_b,
            "list_contacts",
            &[("filter[search]", "Contact")],
        )
        .await,
    )
    .await;
    assert_eq!(listed["total"], 0);
    let accountant_a = app.signed_in("compta@a.test").await;
    let bad = app
        .call(&accountant_a, "list_articles", &[("filter[vat_rate]", "7")])
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json(bad).await["Invalid"][0]["field"], "vat_rate");
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn payment_list_filters_and_sorts(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    seller(&pool, f.org_a).await;
    let client = contact(&pool, f.org_a, true).await;
    let now = Utc::now();
    let invoice = draft_invoice(&pool, f.org_a, client, f.accountant_a).await;
    db::issue(&pool, f.org_a, invoice, now).await.unwrap();
    for (day, cents, method, reference) in [
        (3, 2_000, PaymentMethod::Cheque, "CHQ-1"),
        (5, 5_000, PaymentMethod::Transfer, "VIR-9"),
        (9, 1_000, PaymentMethod::Cash, ""),
    ] {
        db::record_payment(
            &pool,
            f.org_a,
            NewPayment {
                invoice,
                paid_on: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
                amount: Cents(cents),
                method,
                reference,
                by: f.accountant_a,
            },
        )
        .await
        .unwrap();
    }
    let list = |edit: fn(&mut ListFilter)| {
        let pool = pool.clone();
        let org = f.org_a;
        async move {
            let mut filter = ListFilter::default();
            edit(&mut filter);
            db::list_payments(&pool, org, &filter)
                .await
                .map(|p| p.items.into_iter().map(|p| p.amount.0).collect::<Vec<_>>())
        }
    };
    assert_eq!(list(|_| {}).await.unwrap(), [1_000, 5_000, 2_000]);
    assert_eq!(
        list(|f| {
            f.sort = "amount".into();
            f.direction = "asc".into();
        })
        .await
        .unwrap(),
        [1_000, 2_000, 5_000]
    );
    assert_eq!(list(|f| f.kind = "cheque".into()).await.unwrap(), [2_000]);
    assert_eq!(list(|f| f.search = "vir".into()).await.unwrap(), [5_000]);
    assert_eq!(
        list(|f| {
            f.from = "2026-11-04".into();
            f.to = "09/11/2026".into();
        })
        .await
        .unwrap(),
        [1_000, 5_000]
    );
    assert_eq!(
        list(|f| f.min_amount = "15".into()).await.unwrap(),
        [5_000, 2_000]
    );
    assert!(list(|f| f.from = "31/02/2026".into()).await.is_err());
    assert!(list(|f| f.kind = "bitcoin".into()).await.is_err());
    let other = db::list_payments(&pool, f.org_b, &ListFilter::default())
        .await
        .unwrap();
    assert_eq!(other.total, 0);
}

/// A real PNG of that size (the upload decodes it); `salt` changes its bytes.
fn png(width: u32, height: u32, salt: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    let pixels: Vec<u8> = (0..width * height)
        .flat_map(|i| [(i % 251) as u8, salt, 120, 255])
        .collect();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    out
}

/// Only the start of a PNG (signature and IHDR): the size checks pass, the image does not decode.
fn png_header_only(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    bytes.extend_from_slice(&13u32.to_be_bytes());
    bytes.extend_from_slice(b"IHDR");
    bytes.extend_from_slice(&width.to_be_bytes());
    bytes.extend_from_slice(&height.to_be_bytes());
    bytes.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    bytes
}

async fn upload(app: &TestApp, client: &reqwest::Client, bytes: Vec<u8>, name: &str) -> String {
    let form = Form::new().part("logo", Part::bytes(bytes).file_name(name.to_owned()));
    let resp = client
        .post(app.url("/facturation/entreprise/logo"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    location(&resp)
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn the_logo_is_checked_stored_by_hash_and_kept_by_issued_invoices(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    let accountant = app.signed_in("compta@a.test").await;
    assert_eq!(
        upload(&app, &accountant, png(300, 100, 1), "logo.png").await,
        "/facturation/entreprise?logo_erreur=identite",
        "a logo needs the seller identity first"
    );
    seller(&pool, f.org_a).await;
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec();
    assert_eq!(
        upload(&app, &accountant, svg, "logo.png").await,
        "/facturation/entreprise?logo_erreur=format"
    );
    let mut big = png(300, 100, 1);
    big.resize(600 * 1024, 0);
    assert_eq!(
        upload(&app, &accountant, big, "logo.png").await,
        "/facturation/entreprise?logo_erreur=taille"
    );
    assert_eq!(
        upload(&app, &accountant, png(5000, 10, 1), "logo.png").await,
        "/facturation/entreprise?logo_erreur=dimensions"
    );
    assert_eq!(
        upload(&app, &accountant, png_header_only(300, 100), "logo.png").await,
        "/facturation/entreprise?logo_erreur=format",
        "a PNG that does not decode would break every PDF"
    );
    assert_eq!(
        json(app.call(&accountant, "seller_logo", &[]).await).await,
        serde_json::Value::Null
    );

    assert_eq!(
        upload(&app, &accountant, png(300, 100, 1), "logo.svg").await,
        "/facturation/entreprise"
    );
    assert!(
        app.page(&accountant, "/facturation/entreprise")
            .await
            .contains("Logo enregistré."),
        "a stored logo leaves a flash"
    );
    let logo = json(app.call(&accountant, "seller_logo", &[]).await).await;
    assert_eq!(
        (logo["width"].as_i64(), logo["height"].as_i64()),
        (Some(300), Some(100))
    );
    let first = logo["sha256"].as_str().unwrap().to_owned();
    let served = accountant
        .get(app.url(&format!("/facturation/logos/{first}")))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.bytes().await.unwrap().to_vec(), png(300, 100, 1));
    let other = app.signed_in("compta@b.test").await;
    let status = |client: reqwest::Client, sha: String| {
        let url = app.url(&format!("/facturation/logos/{sha}"));
        async move { client.get(url).send().await.unwrap().status() }
    };
    assert_eq!(
        status(other.clone(), first.clone()).await,
        StatusCode::NOT_FOUND
    );
    let viewer = app.signed_in("lecteur@a.test").await;
    assert_eq!(status(viewer, first.clone()).await, StatusCode::FORBIDDEN);

    // An issued invoice names the logo it was issued with, whatever happens to the logo later.
    let client = contact(&pool, f.org_a, true).await;
    let invoice = draft_invoice(&pool, f.org_a, client, f.accountant_a).await;
    db::issue(&pool, f.org_a, invoice, Utc::now())
        .await
        .unwrap();
    upload(&app, &accountant, png(200, 200, 2), "nouveau.png").await;
    let second = json(app.call(&accountant, "seller_logo", &[]).await).await["sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(first, second);
    assert_eq!(
        app.call(&accountant, "remove_seller_logo", &[])
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        json(app.call(&accountant, "seller_logo", &[]).await).await,
        serde_json::Value::Null
    );
    let snapshot: String =
        sqlx::query_scalar("SELECT seller_snapshot ->> 'logo_sha256' FROM documents WHERE id = $1")
            .bind(invoice)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(snapshot, first);
    assert_eq!(
        status(accountant.clone(), first.clone()).await,
        StatusCode::OK
    );
    // Its PDF still prints the first logo, identical to the one sealed at issue.
    let pdf = accountant
        .get(app.url(&format!("/facturation/documents/{invoice}/pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    let pdf = pdf.bytes().await.unwrap();
    let sealed: String = sqlx::query_scalar("SELECT pdf_sha256 FROM documents WHERE id = $1")
        .bind(invoice)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(app::documents::db::sha256_hex(&pdf), sealed);
    assert!(
        String::from_utf8_lossy(&pdf).contains("/Subtype /Image")
            || String::from_utf8_lossy(&pdf).contains("/Subtype/Image")
    );
    let rewrite = sqlx::query("UPDATE seller_logos SET bytes = '\\x00' WHERE sha256 = $1")
        .bind(&second)
        .execute(&pool)
        .await;
    assert!(rewrite.is_err(), "stored logos never change");
    let removal = sqlx::query("DELETE FROM seller_logos WHERE sha256 = $1")
        .bind(&first)
        .execute(&pool)
        .await;
    assert!(removal.is_err(), "issued documents may still name it");
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn an_account_can_be_deleted_only_by_itself(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    let accountant = app.signed_in("compta@a.test").await;
    // The accountant created the seller identity and recorded a payment.
    let seller_form = [
        ("fields[legal_name]", "Vendeur SAS"),
        ("fields[legal_form]", "SAS"),
        ("fields[siren]", "732829320"),
        ("fields[siret]", ""),
        ("fields[vat_number]", "FR44732829320"),
        ("fields[address_line1]", "1 rue de la Paix"),
        ("fields[address_line2]", ""),
        ("fields[postal_code]", "75002"),
        ("fields[city]", "Paris"),
        ("fields[email]", ""),
        ("fields[phone]", ""),
        ("fields[iban]", ""),
        ("fields[bic]", ""),
        ("fields[payment_terms_days]", "30"),
        ("fields[late_penalty_rate]", "12,15"),
    ];
    assert_eq!(
        app.call(&accountant, "save_seller_profile", &seller_form)
            .await
            .status(),
        StatusCode::OK
    );
    let client = contact(&pool, f.org_a, true).await;
    let invoice = draft_invoice(&pool, f.org_a, client, f.accountant_a).await;
    db::issue(&pool, f.org_a, invoice, Utc::now())
        .await
        .unwrap();
    db::record_payment(
        &pool,
        f.org_a,
        NewPayment {
            invoice,
            paid_on: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            amount: Cents(5_000),
            method: PaymentMethod::Transfer,
            reference: "VIR",
            by: f.accountant_a,
        },
    )
    .await
    .unwrap();

    let problem = |resp: serde_json::Value| resp["Invalid"][0]["problem"].clone();
    let wrong_password = app
        .call(
            &accountant,
            "delete_own_account",
            &[
                ("password", "pas le bon"),
                ("confirm_email", "compta@a.test"),
            ],
        )
        .await;
    assert_eq!(wrong_password.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem(json(wrong_password).await), "PasswordWrong");
    let wrong_email = json(
        app.call(
            &accountant,
            "delete_own_account",
            &[
                ("password", crate::common::PASSWORD),
                ("confirm_email", "autre@a.test"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(problem(wrong_email), "ConfirmEmailMismatch");

    // The only admin cannot leave the agency without administrators.
    let admin = app.signed_in("admin@agence.test").await;
    let last = json(
        app.call(
            &admin,
            "delete_own_account",
            &[
                ("password", crate::common::PASSWORD),
                ("confirm_email", "admin@agence.test"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(problem(last), "LastAdmin");
    assert!(
        !app::accounts::db::set_disabled(&pool, f.admin, true)
            .await
            .unwrap(),
        "nor be disabled"
    );
    // Admins disable accounts; there is no way to delete someone else's.
    let foreign = app
        .call(
            &admin,
            "delete_own_account",
            &[
                ("password", crate::common::PASSWORD),
                ("confirm_email", "compta@a.test"),
            ],
        )
        .await;
    assert_eq!(foreign.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let deleted = app
        .call(
            &accountant,
            "delete_own_account",
            &[
                ("password", crate::common::PASSWORD),
                ("confirm_email", " Compta@A.test "),
            ],
        )
        .await;
    assert!(
        deleted.status().is_success() || deleted.status().is_redirection(),
        "{}",
        deleted.status()
    );
    let remaining: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts WHERE id = $1")
        .bind(f.accountant_a)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(remaining, 0);
    let (amount, author): (i64, Option<i64>) =
        sqlx::query_as("SELECT amount_cents, created_by FROM payments WHERE invoice_id = $1")
            .bind(invoice)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (amount, author),
        (5_000, None),
        "the payment stays, without its author"
    );
    let still_append_only =
        sqlx::query("UPDATE payments SET amount_cents = 1 WHERE invoice_id = $1")
            .bind(invoice)
            .execute(&pool)
            .await;
    assert!(still_append_only.is_err());
    assert_eq!(
        app.call(&accountant, "seller_profile", &[]).await.status(),
        StatusCode::UNAUTHORIZED,
        "the deleted account's session is over"
    );
    let login = app
        .login_with(&app.client(), "compta@a.test", crate::common::PASSWORD)
        .await;
    assert_ne!(location(&login), "/");

    // With its creator gone, the organisation's other accountant may delete the identity.
    sqlx::query(
        "INSERT INTO accounts (organisation_id, email, display_name, role, password_hash)
         SELECT $1, 'compta2@a.test', 'Second', 'accountant', password_hash FROM accounts
          WHERE email = 'lecteur@a.test'",
    )
    .bind(f.org_a)
    .execute(&pool)
    .await
    .unwrap();
    let second = app.signed_in("compta2@a.test").await;
    // The deletion asks for its confirmation box.
    assert_eq!(
        app.call(&second, "delete_seller_profile", &[])
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.call(&second, "delete_seller_profile", &[("confirm", "oui")])
            .await
            .status(),
        StatusCode::OK
    );
}
