//! A realistic issued invoice, for the renderer's tests and benchmark.

use super::print::{ClientPrint, PrintDocument, SellerPrint};
use crate::error::Problem;
use crate::invoicing::LineView;
use crate::invoicing::money::{Cents, Discount, LineAmounts, Quantity, VatRate, totals};
use crate::invoicing::workflow::{DocumentKind, Status};
use chrono::NaiveDate;

/// An issued invoice with `count` lines, for tests and the benchmark.
pub fn invoice(count: usize) -> Result<PrintDocument, Problem> {
    let rates = [2000u16, 1000, 550];
    let lines: Vec<LineView> = (0..count)
        .map(|i| -> Result<LineView, Problem> {
            let amounts = LineAmounts {
                quantity: Quantity(1000 + (i as i64 % 7) * 500),
                unit_price: Cents(12_345 + i as i64 * 101),
                vat_rate: VatRate::new(rates[i % 3])?,
                discount: Discount(if i % 5 == 0 { 1000 } else { 0 }),
            };
            Ok(LineView {
                article_id: None,
                description: if i % 4 == 0 {
                    format!("Prestation n° {i} : intervention sur site, déplacement et rapport détaillé remis au client après la visite (élément à long libellé)")
                } else {
                    format!("Prestation n° {i} — conseil")
                },
                quantity: amounts.quantity,
                unit: "h".into(),
                unit_price: amounts.unit_price,
                vat_rate: amounts.vat_rate,
                discount: amounts.discount,
                total_excl_tax: amounts.total_excl_tax()?,
            })
        })
        .collect::<Result<_, _>>()?;
    let amounts: Vec<LineAmounts> = lines.iter().map(LineView::amounts).collect();
    let computed = totals(&amounts, Discount(500))?;
    Ok(PrintDocument {
        id: 7,
        kind: DocumentKind::Invoice,
        status: Status::Issued,
        number: Some("F-2026-000042".into()),
        date: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default(),
        due_date: NaiveDate::from_ymd_opt(2026, 12, 22),
        validity_date: None,
        seller: SellerPrint {
            legal_name: "Bash Études & Conseil".into(),
            legal_form: "SAS au capital de 10 000 €".into(),
            siren: "732829320".into(),
            siret: "73282932000074".into(),
            vat_number: "FR44732829320".into(),
            address_line1: "12 rue de la Paix".into(),
            postal_code: "75002".into(),
            city: "Paris".into(),
            country: "FR".into(),
            email: "compta@bash.test".into(),
            iban: "FR7630006000011234567890189".into(),
            bic: "AGRIFRPP".into(),
            payment_terms_days: 30,
            late_penalty_bp: 1215,
            recovery_fee_cents: 4000,
            ..Default::default()
        },
        client: ClientPrint {
            name: "Lumière Négoce SARL".into(),
            kind: "company".into(),
            address_line1: "3 place Bellecour".into(),
            postal_code: "69002".into(),
            city: "Lyon".into(),
            country: "FR".into(),
            siren: "552100554".into(),
            ..Default::default()
        },
        lines,
        global_discount: Discount(500),
        totals: computed,
        notes: "Merci de rappeler le numéro de facture avec votre règlement.".into(),
        corrected_invoice: None,
        logo: None,
        situation: None,
    })
}
