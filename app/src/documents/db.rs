//! Loading a document for print from stored data only, the SHA-256 seals of issued documents,
//! and the record of sent e-mails.

use super::print::{ClientPrint, ImageFormat, LogoPrint, PrintDocument, SellerPrint, Situation};
use super::{EmailSent, Variant, facturx, pdf};
use crate::error::{AppError, AppResult, Problem};
use crate::invoicing::LineView;
use crate::invoicing::db::common::paris_today;
use crate::invoicing::db::lines::lines_of;
use crate::invoicing::db::payments::settled;
use crate::invoicing::money::{Cents, Discount, LineAmounts, totals};
use crate::invoicing::workflow::{DocumentKind, Status};
use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, Row};

fn invalid(field: &str, problem: Problem) -> AppError {
    AppError::Invalid(vec![crate::error::FieldProblem {
        field: field.to_owned(),
        problem,
    }])
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The document as it prints: issued documents from their snapshots, others from the current
/// seller identity and contact. `situation` adds what was paid and credited up to `now`.
pub async fn load(
    conn: &mut PgConnection,
    org: i64,
    id: i64,
    situation: Option<DateTime<Utc>>,
) -> AppResult<PrintDocument> {
    let row = sqlx::query(
        "SELECT d.kind, d.status, d.number, d.issue_date, d.due_date, d.validity_date,
                d.created_at, d.global_discount_bp, d.notes, d.seller_snapshot, d.client_snapshot,
                d.contact_id, i.number AS corrected_number, i.issue_date AS corrected_date
           FROM documents d
           LEFT JOIN documents i ON i.id = d.corrected_invoice_id
          WHERE d.organisation_id = $1 AND d.id = $2",
    )
    .bind(org)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let kind: DocumentKind = row
        .get::<String, _>("kind")
        .parse()
        .map_err(|_| AppError::Internal)?;
    let status: Status = row
        .get::<String, _>("status")
        .parse()
        .map_err(|_| AppError::Internal)?;
    let seller = match row.get::<Option<serde_json::Value>, _>("seller_snapshot") {
        Some(snapshot) => serde_json::from_value(snapshot).map_err(|_| AppError::Internal)?,
        None => current_seller(conn, org).await?,
    };
    let client = match row.get::<Option<serde_json::Value>, _>("client_snapshot") {
        Some(snapshot) => serde_json::from_value(snapshot).map_err(|_| AppError::Internal)?,
        None => current_client(conn, org, row.get("contact_id")).await?,
    };
    let logo = match &seller.logo_sha256 {
        Some(sha) => logo(conn, org, sha).await?,
        None => None,
    };
    let lines = lines_of(conn, id).await?;
    let discount = Discount(row.get::<i32, _>("global_discount_bp") as u16);
    let amounts: Vec<LineAmounts> = lines.iter().map(LineView::amounts).collect();
    let computed = totals(&amounts, discount).map_err(|_| AppError::Internal)?;
    let created: DateTime<Utc> = row.get("created_at");
    let situation = match situation {
        Some(now) if kind == DocumentKind::Invoice => {
            let (paid, credited) = settled(conn, id).await?;
            Some(Situation {
                on: paris_today(now),
                paid: Cents(paid),
                credited: Cents(credited),
            })
        }
        _ => None,
    };
    Ok(PrintDocument {
        id,
        kind,
        status,
        number: row.get("number"),
        date: row
            .get::<Option<NaiveDate>, _>("issue_date")
            .unwrap_or_else(|| paris_today(created)),
        due_date: row.get("due_date"),
        validity_date: row.get("validity_date"),
        seller,
        client,
        lines,
        global_discount: discount,
        totals: computed,
        notes: row.get("notes"),
        corrected_invoice: row
            .get::<Option<String>, _>("corrected_number")
            .map(|n| (n, row.get("corrected_date"))),
        logo,
        situation,
    })
}

/// The seller identity as it prints now; the defaults of the law when none is filled in yet.
async fn current_seller(conn: &mut PgConnection, org: i64) -> sqlx::Result<SellerPrint> {
    Ok(seller_print(conn, org)
        .await?
        .unwrap_or_else(|| SellerPrint {
            payment_terms_days: 30,
            late_penalty_bp: 1215,
            recovery_fee_cents: 4000,
            ..Default::default()
        }))
}

/// The seller identity filled in, as it prints (and as issuing freezes it), if any.
pub async fn seller_print(conn: &mut PgConnection, org: i64) -> sqlx::Result<Option<SellerPrint>> {
    let row = sqlx::query(
        "SELECT legal_name, legal_form, siren, coalesce(siret, '') AS siret,
                coalesce(vat_number, '') AS vat_number, address_line1, address_line2, postal_code,
                city, country, email, phone, coalesce(iban, '') AS iban, coalesce(bic, '') AS bic,
                payment_terms_days, late_penalty_bp, recovery_fee_cents, logo_sha256
           FROM seller_profiles WHERE organisation_id = $1",
    )
    .bind(org)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| SellerPrint {
        legal_name: r.get("legal_name"),
        legal_form: r.get("legal_form"),
        siren: r.get("siren"),
        siret: r.get("siret"),
        vat_number: r.get("vat_number"),
        address_line1: r.get("address_line1"),
        address_line2: r.get("address_line2"),
        postal_code: r.get("postal_code"),
        city: r.get("city"),
        country: r.get("country"),
        email: r.get("email"),
        phone: r.get("phone"),
        iban: r.get("iban"),
        bic: r.get("bic"),
        payment_terms_days: r.get("payment_terms_days"),
        late_penalty_bp: r.get("late_penalty_bp"),
        recovery_fee_cents: r.get("recovery_fee_cents"),
        logo_sha256: r.get("logo_sha256"),
    }))
}

/// A contact as it prints (and as issuing freezes it).
pub async fn current_client(
    conn: &mut PgConnection,
    org: i64,
    contact: i64,
) -> AppResult<ClientPrint> {
    let r = sqlx::query(
        "SELECT name, kind, email, address_line1, address_line2, postal_code, city, country,
                coalesce(siren, '') AS siren, coalesce(vat_number, '') AS vat_number
           FROM contacts WHERE organisation_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(contact)
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(ClientPrint {
        name: r.get("name"),
        kind: r.get("kind"),
        email: r.get("email"),
        address_line1: r.get("address_line1"),
        address_line2: r.get("address_line2"),
        postal_code: r.get("postal_code"),
        city: r.get("city"),
        country: r.get("country"),
        siren: r.get("siren"),
        vat_number: r.get("vat_number"),
    })
}

async fn logo(conn: &mut PgConnection, org: i64, sha: &str) -> sqlx::Result<Option<LogoPrint>> {
    let row = sqlx::query(
        "SELECT mime, width, height, bytes FROM seller_logos WHERE organisation_id = $1 AND sha256 = $2",
    )
    .bind(org)
    .bind(sha)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| LogoPrint {
        format: if r.get::<String, _>("mime") == "image/png" {
            ImageFormat::Png
        } else {
            ImageFormat::Jpeg
        },
        width: r.get::<i32, _>("width").max(1) as u32,
        height: r.get::<i32, _>("height").max(1) as u32,
        bytes: r.get("bytes"),
    }))
}

/// A rendered file, ready to download or attach.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub file_name: String,
    pub sha256: String,
    /// The CII XML embedded in a Factur-X file.
    pub xml: Option<String>,
    pub document: PrintDocument,
}

/// Renders off the async threads (a long invoice takes a few milliseconds of CPU).
pub async fn render_blocking(doc: PrintDocument, variant: Variant) -> AppResult<Rendered> {
    tokio::task::spawn_blocking(move || {
        let (bytes, xml) = match variant {
            Variant::FacturX => {
                let (bytes, xml) = facturx::render(&doc)?;
                (bytes, Some(xml))
            }
            Variant::Pdf | Variant::Situation => (pdf::render(&doc, None)?, None),
        };
        Ok::<_, pdf::RenderError>(Rendered {
            sha256: sha256_hex(&bytes),
            file_name: doc.file_name(variant == Variant::FacturX),
            bytes,
            xml,
            document: doc,
        })
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|e| {
        tracing::error!(error = %e, "document rendering failed");
        AppError::Internal
    })
}

/// Whether this rendering is a legal original, checked against its seal.
fn sealed_column(doc: &PrintDocument, variant: Variant) -> Option<&'static str> {
    match variant {
        _ if !doc.is_original() => None,
        Variant::Situation => None,
        Variant::Pdf => Some("pdf_sha256"),
        Variant::FacturX => Some("facturx_sha256"),
    }
}

/// Loads what a rendering needs; Factur-X exists only for issued invoices and credit notes.
pub async fn prepare(
    conn: &mut PgConnection,
    org: i64,
    id: i64,
    variant: Variant,
    now: DateTime<Utc>,
) -> AppResult<PrintDocument> {
    let situation = (variant == Variant::Situation).then_some(now);
    let doc = load(conn, org, id, situation).await?;
    if variant == Variant::FacturX && !doc.is_original() {
        return Err(invalid("document", Problem::FacturXNotIssued));
    }
    Ok(doc)
}

/// The original of an issued invoice or credit note must match the SHA-256 recorded at issue
/// (recorded on first rendering for documents issued before seals existed).
pub async fn check_seal(
    conn: &mut PgConnection,
    org: i64,
    variant: Variant,
    rendered: &Rendered,
) -> AppResult<()> {
    let Some(column) = sealed_column(&rendered.document, variant) else {
        return Ok(());
    };
    let id = rendered.document.id;
    let stored: Option<String> = sqlx::query_scalar(&format!(
        "SELECT {column} FROM documents WHERE organisation_id = $1 AND id = $2"
    ))
    .bind(org)
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    match stored {
        Some(seal) if seal == rendered.sha256 => Ok(()),
        Some(seal) => {
            tracing::error!(
                document = id,
                stored = %seal,
                rendered = %rendered.sha256,
                "a regenerated original differs from the one sealed at issue"
            );
            Err(invalid("document", Problem::DocumentSealBroken))
        }
        None => {
            sqlx::query(&format!(
                "UPDATE documents SET {column} = $3 WHERE organisation_id = $1 AND id = $2 AND {column} IS NULL"
            ))
            .bind(org)
            .bind(id)
            .bind(&rendered.sha256)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
    }
}

/// Loads, renders and checks a document on one connection (inside the caller's transaction).
pub async fn render(
    conn: &mut PgConnection,
    org: i64,
    id: i64,
    variant: Variant,
    now: DateTime<Utc>,
) -> AppResult<Rendered> {
    let doc = prepare(conn, org, id, variant, now).await?;
    let rendered = render_blocking(doc, variant).await?;
    check_seal(conn, org, variant, &rendered).await?;
    Ok(rendered)
}

/// Refuses to issue a document whose stored totals differ from its lines (what prints must be
/// what was stored); runs in the issuing transaction.
pub async fn check_totals(conn: &mut PgConnection, org: i64, id: i64) -> AppResult<()> {
    let doc = load(conn, org, id, None).await?;
    let (excl, vat, incl): (i64, i64, i64) = sqlx::query_as(
        "SELECT total_excl_tax_cents, total_vat_cents, total_incl_tax_cents
           FROM documents WHERE organisation_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let lines_agree = doc
        .lines
        .iter()
        .zip(&doc.totals.lines)
        .all(|(line, computed)| line.total_excl_tax == *computed);
    let t = &doc.totals;
    if lines_agree && (t.total_excl_tax.0, t.total_vat.0, t.total_incl_tax.0) == (excl, vat, incl) {
        Ok(())
    } else {
        tracing::error!(
            document = id,
            "stored totals differ from the lines; not issued"
        );
        Err(AppError::Internal)
    }
}

/// Seals a freshly issued invoice or credit note: renders the PDF and the Factur-X file and
/// stores both SHA-256. It runs right after the issuing transaction (rendering inside it would
/// hold the numbering lock); should it not complete, the first download seals the original,
/// which the immutable data renders identically.
pub async fn seal(pool: &sqlx::PgPool, org: i64, id: i64) -> AppResult<()> {
    let doc = {
        let mut conn = pool.acquire().await?;
        load(&mut conn, org, id, None).await?
    };
    let pdf = render_blocking(doc.clone(), Variant::Pdf).await?;
    let fx = render_blocking(doc, Variant::FacturX).await?;
    sqlx::query(
        "UPDATE documents SET pdf_sha256 = coalesce(pdf_sha256, $3),
                              facturx_sha256 = coalesce(facturx_sha256, $4)
          WHERE organisation_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(id)
    .bind(&pdf.sha256)
    .bind(&fx.sha256)
    .execute(pool)
    .await?;
    Ok(())
}

pub struct NewEmail<'a> {
    pub org: i64,
    pub document: i64,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub attachment_name: &'a str,
    pub attachment_sha256: &'a str,
    pub transport: &'a str,
    pub detail: &'a str,
    pub by: i64,
    pub at: DateTime<Utc>,
}

pub async fn record_email(conn: &mut PgConnection, e: NewEmail<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO document_emails (organisation_id, document_id, recipient, subject,
             attachment_name, attachment_sha256, transport, detail, sent_by, sent_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(e.org)
    .bind(e.document)
    .bind(e.recipient)
    .bind(e.subject)
    .bind(e.attachment_name)
    .bind(e.attachment_sha256)
    .bind(e.transport)
    .bind(e.detail)
    .bind(e.by)
    .bind(e.at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn emails_of(conn: &mut PgConnection, document: i64) -> sqlx::Result<Vec<EmailSent>> {
    let rows = sqlx::query(
        "SELECT recipient, subject, attachment_name, sent_at, transport FROM document_emails
          WHERE document_id = $1 ORDER BY sent_at, id",
    )
    .bind(document)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let at: DateTime<Utc> = r.get("sent_at");
            EmailSent {
                recipient: r.get("recipient"),
                subject: r.get("subject"),
                attachment_name: r.get("attachment_name"),
                sent_at: at
                    .with_timezone(&chrono_tz::Europe::Paris)
                    .format("%d/%m/%Y %H:%M")
                    .to_string(),
                outbox: r.get::<String, _>("transport") == "outbox",
            }
        })
        .collect())
}
