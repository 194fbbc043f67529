//! Everything a printed quote, invoice or credit note shows, gathered from stored data only, and
//! the French wording shared by the PDF, the Factur-X XML and the e-mail.

use crate::invoicing::LineView;
use crate::invoicing::money::{Cents, Discount, Totals};
use crate::invoicing::workflow::{DocumentKind, Status};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The seller as frozen at issue (the `seller_snapshot` column) or, for a quote or a draft, as
/// currently filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SellerPrint {
    pub legal_name: String,
    pub legal_form: String,
    pub siren: String,
    pub siret: String,
    pub vat_number: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub email: String,
    pub phone: String,
    pub iban: String,
    pub bic: String,
    pub payment_terms_days: i32,
    pub late_penalty_bp: i32,
    pub recovery_fee_cents: i64,
    pub logo_sha256: Option<String>,
}

/// The client as frozen at issue (`client_snapshot`) or as currently filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientPrint {
    pub name: String,
    pub kind: String,
    pub email: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub siren: String,
    pub vat_number: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Jpeg,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogoPrint {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// Payments and credit notes recorded since issue, printed on request on a dated copy. The
/// original (whose SHA-256 is kept) never carries them, so it stays identical forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Situation {
    pub on: NaiveDate,
    /// Payments less refunds.
    pub paid: Cents,
    pub credited: Cents,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintDocument {
    pub id: i64,
    pub kind: DocumentKind,
    pub status: Status,
    pub number: Option<String>,
    /// The issue date, or for a draft the day it was created.
    pub date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub validity_date: Option<NaiveDate>,
    pub seller: SellerPrint,
    pub client: ClientPrint,
    pub lines: Vec<LineView>,
    pub global_discount: Discount,
    pub totals: Totals,
    pub notes: String,
    /// For a credit note: the invoice it corrects, with its date.
    pub corrected_invoice: Option<(String, Option<NaiveDate>)>,
    pub logo: Option<LogoPrint>,
    pub situation: Option<Situation>,
}

/// `22/11/2026`.
pub fn fr_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

impl PrintDocument {
    /// Issued invoices and credit notes are legal originals: numbered and immutable.
    pub fn is_original(&self) -> bool {
        self.kind != DocumentKind::Quote && self.number.is_some()
    }

    pub fn title(&self) -> &'static str {
        match self.kind {
            DocumentKind::Quote => "Devis",
            DocumentKind::Invoice => "Facture",
            DocumentKind::CreditNote => "Avoir",
        }
    }

    /// `Facture F-2026-000001`, or `Facture (brouillon)` before a number is given.
    pub fn label(&self) -> String {
        match &self.number {
            Some(n) => format!("{} {n}", self.title()),
            None => format!("{} (brouillon)", self.title()),
        }
    }

    /// The attachment's and download's file name: `Facture-F-2026-000001.pdf`.
    pub fn file_name(&self, facturx: bool) -> String {
        let stem = match &self.number {
            Some(n) => format!("{}-{n}", self.title()),
            None => format!("{}-brouillon-{}", self.title(), self.id),
        };
        if facturx {
            format!("{stem}-facturx.pdf")
        } else {
            format!("{stem}.pdf")
        }
    }

    /// What the client still owes on the printed copy; below zero, what is owed back to them.
    pub fn balance(&self) -> Cents {
        let settled = self
            .situation
            .map_or(0, |s| s.paid.0.saturating_add(s.credited.0));
        Cents(self.totals.total_incl_tax.0.saturating_sub(settled))
    }

    pub fn seller_address(&self) -> Vec<String> {
        let s = &self.seller;
        address(
            &s.address_line1,
            &s.address_line2,
            &s.postal_code,
            &s.city,
            &s.country,
        )
    }

    pub fn client_address(&self) -> Vec<String> {
        let c = &self.client;
        address(
            &c.address_line1,
            &c.address_line2,
            &c.postal_code,
            &c.city,
            &c.country,
        )
    }

    /// The legal footer: name, form, SIREN/SIRET, VAT number.
    pub fn seller_identity(&self) -> String {
        let s = &self.seller;
        let mut parts = vec![s.legal_name.clone()];
        if !s.legal_form.is_empty() {
            parts.push(s.legal_form.clone());
        }
        if !s.siret.is_empty() {
            parts.push(format!("SIRET {}", s.siret));
        } else if !s.siren.is_empty() {
            parts.push(format!("SIREN {}", s.siren));
        }
        if !s.vat_number.is_empty() {
            parts.push(format!("TVA intracommunautaire {}", s.vat_number));
        }
        parts.join(" · ")
    }

    /// The payment and legal mentions printed under the totals (articles L441-9 and L441-10 of
    /// the Code de commerce; 293 B of the CGI when no VAT is charged).
    pub fn mentions(&self) -> Vec<String> {
        let s = &self.seller;
        let mut out = Vec::new();
        // A seller without a VAT number charging no VAT is under the small-business franchise.
        if self.totals.total_vat.0 == 0 && s.vat_number.is_empty() {
            out.push("TVA non applicable, art. 293 B du CGI.".to_owned());
        }
        match self.kind {
            DocumentKind::Quote => {
                if let Some(v) = self.validity_date {
                    out.push(format!("Devis valable jusqu'au {}.", fr_date(v)));
                }
                out.push(format!(
                    "Conditions de paiement : à {} jours à compter de la date de facture.",
                    s.payment_terms_days
                ));
                out.push("Bon pour accord — date et signature du client :".to_owned());
            }
            DocumentKind::Invoice => {
                let due = self
                    .due_date
                    .map(|d| format!(", soit au plus tard le {}", fr_date(d)))
                    .unwrap_or_default();
                out.push(format!(
                    "Conditions de paiement : à {} jours{due}. Pas d'escompte pour paiement anticipé.",
                    s.payment_terms_days
                ));
                if !s.iban.is_empty() {
                    let bic = if s.bic.is_empty() {
                        String::new()
                    } else {
                        format!(" — BIC {}", s.bic)
                    };
                    out.push(format!(
                        "Règlement par virement : IBAN {}{bic}.",
                        group_iban(&s.iban)
                    ));
                }
                out.push(format!(
                    "En cas de retard de paiement, une pénalité au taux annuel de {} est exigible, \
                     ainsi qu'une indemnité forfaitaire pour frais de recouvrement de {} \
                     (articles L441-10 et D441-5 du Code de commerce).",
                    Discount(s.late_penalty_bp.clamp(0, 10_000) as u16).format_percent()
                        + "\u{a0}%",
                    euros_whole(Cents(s.recovery_fee_cents)),
                ));
            }
            DocumentKind::CreditNote => {
                if let Some((number, date)) = &self.corrected_invoice {
                    let date = date
                        .map(|d| format!(" du {}", fr_date(d)))
                        .unwrap_or_default();
                    out.push(format!(
                        "Avoir sur la facture n° {number}{date}, à déduire de son règlement ou à rembourser."
                    ));
                }
            }
        }
        out
    }
}

fn address(line1: &str, line2: &str, postal: &str, city: &str, country: &str) -> Vec<String> {
    let mut out: Vec<String> = [line1, line2]
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let town = format!("{} {}", postal.trim(), city.trim())
        .trim()
        .to_owned();
    if !town.is_empty() {
        out.push(town);
    }
    if !country.trim().is_empty() && !country.trim().eq_ignore_ascii_case("FR") {
        out.push(country.trim().to_owned());
    }
    out
}

/// `FR76 3000 6000 0112 3456 7890 189`: the printed IBAN in groups of four.
pub fn group_iban(iban: &str) -> String {
    let compact: Vec<char> = iban.chars().filter(|c| !c.is_whitespace()).collect();
    compact
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `40 €` for whole euros, `40,50 €` otherwise.
pub fn euros_whole(amount: Cents) -> String {
    let full = amount.format();
    if amount.0 % 100 == 0 {
        full.replacen(",00", "", 1)
    } else {
        full
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_amounts_are_french() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(fr_date(d), "22/11/2026");
        assert_eq!(Cents(123_456).format(), "1\u{a0}234,56\u{a0}€");
        assert_eq!(euros_whole(Cents(4000)), "40\u{a0}€");
        assert_eq!(euros_whole(Cents(4050)), "40,50\u{a0}€");
        assert_eq!(
            group_iban("FR7630006000011234567890189"),
            "FR76 3000 6000 0112 3456 7890 189"
        );
    }

    #[test]
    fn addresses_skip_empty_parts_and_the_home_country() {
        assert_eq!(
            address("12 rue de la Paix", " ", "75002", "Paris", "FR"),
            vec!["12 rue de la Paix", "75002 Paris"]
        );
        assert_eq!(
            address("Rue Neuve 1", "", "1000", "Bruxelles", "BE"),
            vec!["Rue Neuve 1", "1000 Bruxelles", "BE"]
        );
    }
}
