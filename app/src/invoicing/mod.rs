//! Quotes, invoices, credit notes and payments for French businesses: money rules, identifiers,
//! statuses and numbering, and the records behind them.

#[cfg(feature = "ssr")]
pub mod db;
pub mod directory;
pub mod document;
pub mod editing;
pub mod editor;
pub mod feature;
#[cfg(feature = "ssr")]
pub mod http;
pub mod ids;
pub mod labels;
#[cfg(feature = "ssr")]
pub mod logo;
pub mod money;
pub mod pages;
pub mod server;
pub mod workflow;

use money::{Cents, Discount, LineAmounts, Quantity, VatRate};
use serde::{Deserialize, Serialize};
use workflow::{DocumentKind, Status};

use crate::error::{FieldProblem, Problem};

fn problem(field: impl Into<String>, problem: Problem) -> FieldProblem {
    FieldProblem {
        field: field.into(),
        problem,
    }
}

fn required(field: &str, raw: &str, max: usize, problems: &mut Vec<FieldProblem>) -> String {
    let value = raw.trim();
    if value.is_empty() {
        problems.push(problem(field, Problem::NameRequired));
    } else if value.chars().count() > max {
        problems.push(problem(field, Problem::NameTooLong));
    }
    value.to_owned()
}

fn optional<T>(
    field: &str,
    raw: &str,
    parse: impl Fn(&str) -> Result<T, Problem>,
    problems: &mut Vec<FieldProblem>,
) -> Option<T> {
    if raw.trim().is_empty() {
        return None;
    }
    parse(raw)
        .map_err(|p| problems.push(problem(field, p)))
        .ok()
}

/// The seller identity form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerFields {
    pub legal_name: String,
    pub legal_form: String,
    pub siren: String,
    pub siret: String,
    pub vat_number: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postal_code: String,
    pub city: String,
    pub email: String,
    pub phone: String,
    pub iban: String,
    pub bic: String,
    pub payment_terms_days: String,
    /// Annual late-penalty rate in percent, e.g. `12,15`.
    pub late_penalty_rate: String,
}

/// A checked seller identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seller {
    pub legal_name: String,
    pub legal_form: String,
    pub siren: ids::Siren,
    pub siret: Option<ids::Siret>,
    pub vat_number: Option<ids::VatNumber>,
    pub address_line1: String,
    pub address_line2: String,
    pub postal_code: String,
    pub city: String,
    pub email: String,
    pub phone: String,
    pub iban: Option<ids::Iban>,
    pub bic: Option<ids::Bic>,
    pub payment_terms_days: i32,
    pub late_penalty_bp: i32,
    pub recovery_fee_cents: i64,
}

impl SellerFields {
    pub fn parse(&self) -> Result<Seller, Vec<FieldProblem>> {
        let mut p = Vec::new();
        let legal_name = required("legal_name", &self.legal_name, 200, &mut p);
        let siren = ids::Siren::parse(&self.siren)
            .map_err(|e| p.push(problem("siren", e)))
            .ok();
        let siret = optional("siret", &self.siret, ids::Siret::parse, &mut p);
        if let (Some(siren), Some(siret)) = (&siren, &siret)
            && siret.siren() != siren.as_str()
        {
            p.push(problem("siret", Problem::SiretInvalid));
        }
        let vat_number = optional(
            "vat_number",
            &self.vat_number,
            ids::VatNumber::parse,
            &mut p,
        );
        let address_line1 = required("address_line1", &self.address_line1, 200, &mut p);
        let postal_code = required("postal_code", &self.postal_code, 20, &mut p);
        let city = required("city", &self.city, 120, &mut p);
        let iban = optional("iban", &self.iban, ids::Iban::parse, &mut p);
        let bic = optional("bic", &self.bic, ids::Bic::parse, &mut p);
        let terms = match self.payment_terms_days.trim() {
            "" => Some(30),
            raw => raw
                .parse::<i32>()
                .ok()
                // LME: at most 60 days from the invoice date.
                .filter(|d| (0..=60).contains(d))
                .or_else(|| {
                    p.push(problem("payment_terms_days", Problem::PaymentTermsInvalid));
                    None
                }),
        };
        let penalty = match self.late_penalty_rate.trim() {
            "" => Some(Discount(1215)),
            raw => Discount::parse(raw)
                .map_err(|_| p.push(problem("late_penalty_rate", Problem::PenaltyRateInvalid)))
                .ok(),
        };
        match (siren, terms, penalty) {
            (Some(siren), Some(terms), Some(penalty)) if p.is_empty() => Ok(Seller {
                legal_name,
                legal_form: self.legal_form.trim().to_owned(),
                siren,
                siret,
                vat_number,
                address_line1,
                address_line2: self.address_line2.trim().to_owned(),
                postal_code,
                city,
                email: self.email.trim().to_owned(),
                phone: self.phone.trim().to_owned(),
                iban,
                bic,
                payment_terms_days: terms,
                late_penalty_bp: penalty.0 as i32,
                recovery_fee_cents: 4000,
            }),
            _ => Err(p),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    Company,
    Person,
}

impl ContactKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactKind::Company => "company",
            ContactKind::Person => "person",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactFields {
    pub kind: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub siren: String,
    pub vat_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub kind: ContactKind,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub siren: Option<ids::Siren>,
    pub vat_number: Option<ids::VatNumber>,
}

impl ContactFields {
    pub fn parse(&self) -> Result<Contact, Vec<FieldProblem>> {
        let mut p = Vec::new();
        let kind = match self.kind.trim() {
            "company" | "" => ContactKind::Company,
            "person" => ContactKind::Person,
            _ => {
                p.push(problem("kind", Problem::ContactKindUnknown));
                ContactKind::Company
            }
        };
        let name = required("name", &self.name, 200, &mut p);
        let email = match self.email.trim() {
            "" => String::new(),
            raw => crate::auth::types::Email::parse(raw)
                .map(|e| e.as_str().to_owned())
                .unwrap_or_else(|e| {
                    p.push(problem("email", e));
                    String::new()
                }),
        };
        let country = match self.country.trim().to_uppercase() {
            c if c.is_empty() => "FR".to_owned(),
            c if c.len() == 2 && c.chars().all(|x| x.is_ascii_uppercase()) => c,
            _ => {
                p.push(problem("country", Problem::CountryInvalid));
                String::new()
            }
        };
        let (siren, vat_number) = match kind {
            ContactKind::Company => (
                optional("siren", &self.siren, ids::Siren::parse, &mut p),
                optional(
                    "vat_number",
                    &self.vat_number,
                    ids::VatNumber::parse,
                    &mut p,
                ),
            ),
            ContactKind::Person => (None, None),
        };
        if !p.is_empty() {
            return Err(p);
        }
        Ok(Contact {
            kind,
            name,
            email,
            phone: self.phone.trim().to_owned(),
            address_line1: self.address_line1.trim().to_owned(),
            address_line2: self.address_line2.trim().to_owned(),
            postal_code: self.postal_code.trim().to_owned(),
            city: self.city.trim().to_owned(),
            country,
            siren,
            vat_number,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactView {
    pub id: i64,
    pub kind: ContactKind,
    pub fields: ContactFields,
    pub groups: Vec<GroupView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    pub id: i64,
    pub name: String,
    pub members: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleFields {
    pub reference: String,
    pub description: String,
    pub unit: String,
    pub unit_price: String,
    pub vat_rate: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub reference: String,
    pub description: String,
    pub unit: String,
    pub unit_price: Cents,
    pub vat_rate: VatRate,
}

impl ArticleFields {
    pub fn parse(&self) -> Result<Article, Vec<FieldProblem>> {
        let mut p = Vec::new();
        let reference = required("reference", &self.reference, 60, &mut p);
        let description = required("description", &self.description, 1000, &mut p);
        let unit = self.unit.trim().to_owned();
        if unit.chars().count() > 20 {
            p.push(problem("unit", Problem::NameTooLong));
        }
        let unit_price = Cents::parse(&self.unit_price)
            .and_then(|c| {
                if c.0 < 0 {
                    Err(Problem::AmountInvalid)
                } else {
                    Ok(c)
                }
            })
            .map_err(|e| p.push(problem("unit_price", e)))
            .ok();
        let vat_rate = VatRate::parse(&self.vat_rate)
            .map_err(|e| p.push(problem("vat_rate", e)))
            .ok();
        match (unit_price, vat_rate) {
            (Some(unit_price), Some(vat_rate)) if p.is_empty() => Ok(Article {
                reference,
                description,
                unit,
                unit_price,
                vat_rate,
            }),
            _ => Err(p),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleView {
    pub id: i64,
    pub reference: String,
    pub description: String,
    pub unit: String,
    pub unit_price: Cents,
    pub vat_rate: VatRate,
    pub active: bool,
}

/// One line of the editor, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineFields {
    #[serde(default)]
    pub article_id: String,
    pub description: String,
    pub quantity: String,
    #[serde(default)]
    pub unit: String,
    pub unit_price: String,
    pub vat_rate: String,
    #[serde(default)]
    pub discount: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub article_id: Option<i64>,
    pub description: String,
    pub unit: String,
    pub amounts: LineAmounts,
}

impl LineFields {
    /// Problems are reported as `lines[i].field`.
    pub fn parse(&self, index: usize, p: &mut Vec<FieldProblem>) -> Option<Line> {
        let at = |field: &str| format!("lines[{index}].{field}");
        let before = p.len();
        let description = self.description.trim().to_owned();
        if description.is_empty() {
            p.push(problem(at("description"), Problem::DescriptionRequired));
        }
        let quantity = Quantity::parse(&self.quantity)
            .map_err(|e| p.push(problem(at("quantity"), e)))
            .ok();
        let unit_price = Cents::parse(&self.unit_price)
            .and_then(|c| {
                if c.0 < 0 {
                    Err(Problem::AmountInvalid)
                } else {
                    Ok(c)
                }
            })
            .map_err(|e| p.push(problem(at("unit_price"), e)))
            .ok();
        let vat_rate = VatRate::parse(&self.vat_rate)
            .map_err(|e| p.push(problem(at("vat_rate"), e)))
            .ok();
        let discount = Discount::parse(&self.discount)
            .map_err(|e| p.push(problem(at("discount"), e)))
            .ok();
        let article_id = self.article_id.trim().parse::<i64>().ok();
        match (quantity, unit_price, vat_rate, discount) {
            (Some(quantity), Some(unit_price), Some(vat_rate), Some(discount))
                if p.len() == before =>
            {
                Some(Line {
                    article_id,
                    description,
                    unit: self.unit.trim().chars().take(20).collect(),
                    amounts: LineAmounts {
                        quantity,
                        unit_price,
                        vat_rate,
                        discount,
                    },
                })
            }
            _ => None,
        }
    }
}

/// A quote, invoice or credit note being written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentFields {
    pub contact_id: String,
    #[serde(default)]
    pub validity_date: String,
    #[serde(default)]
    pub due_date: String,
    #[serde(default)]
    pub global_discount: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub lines: Vec<LineFields>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentDraft {
    pub contact_id: i64,
    pub validity_date: Option<chrono::NaiveDate>,
    pub due_date: Option<chrono::NaiveDate>,
    pub global_discount: Discount,
    pub notes: String,
    pub lines: Vec<Line>,
}

fn parse_date(field: &str, raw: &str, p: &mut Vec<FieldProblem>) -> Option<chrono::NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(raw, "%d/%m/%Y"))
        .map_err(|_| p.push(problem(field, Problem::DateInvalid)))
        .ok()
}

impl DocumentFields {
    pub fn parse(&self) -> Result<DocumentDraft, Vec<FieldProblem>> {
        let mut p = Vec::new();
        let contact_id = self
            .contact_id
            .trim()
            .parse::<i64>()
            .map_err(|_| p.push(problem("contact_id", Problem::ContactRequired)))
            .ok();
        let validity_date = parse_date("validity_date", &self.validity_date, &mut p);
        let due_date = parse_date("due_date", &self.due_date, &mut p);
        let global_discount = Discount::parse(&self.global_discount)
            .map_err(|e| p.push(problem("global_discount", e)))
            .ok();
        if self.notes.chars().count() > 4000 {
            p.push(problem("notes", Problem::MessageTooLong));
        }
        if self.lines.is_empty() {
            p.push(problem("lines", Problem::LinesRequired));
        }
        if self.lines.len() > 500 {
            p.push(problem("lines", Problem::TooManyLines));
        }
        let lines: Vec<Line> = self
            .lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| l.parse(i, &mut p))
            .collect();
        match (contact_id, global_discount) {
            (Some(contact_id), Some(global_discount)) if p.is_empty() => {
                let draft = DocumentDraft {
                    contact_id,
                    validity_date,
                    due_date,
                    global_discount,
                    notes: self.notes.trim().to_owned(),
                    lines,
                };
                // Totals must be representable.
                money::totals(&draft.amounts(), draft.global_discount)
                    .map_err(|e| vec![problem("lines", e)])?;
                Ok(draft)
            }
            _ => Err(p),
        }
    }
}

impl DocumentDraft {
    pub fn amounts(&self) -> Vec<LineAmounts> {
        self.lines.iter().map(|l| l.amounts).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSummary {
    pub id: i64,
    pub kind: DocumentKind,
    pub status: Status,
    pub number: Option<String>,
    pub contact_id: i64,
    pub contact_name: String,
    /// `dd/mm/yyyy`.
    pub issue_date: Option<String>,
    pub due_date: Option<String>,
    pub total_excl_tax: Cents,
    pub total_incl_tax: Cents,
    /// What remains to be paid (invoices).
    pub balance_due: Cents,
    /// What is owed back to the client: received beyond what credit notes left due (invoices).
    #[serde(default)]
    pub owed_back: Cents,
    pub overdue: bool,
    pub created: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineView {
    pub article_id: Option<i64>,
    pub description: String,
    pub quantity: Quantity,
    pub unit: String,
    pub unit_price: Cents,
    pub vat_rate: VatRate,
    pub discount: Discount,
    pub total_excl_tax: Cents,
}

impl LineView {
    /// What the money rules need of a stored line.
    pub fn amounts(&self) -> LineAmounts {
        LineAmounts {
            quantity: self.quantity,
            unit_price: self.unit_price,
            vat_rate: self.vat_rate,
            discount: self.discount,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub id: i64,
    pub invoice_id: i64,
    pub invoice_number: String,
    pub contact_name: String,
    /// `dd/mm/yyyy`.
    pub paid_on: String,
    pub amount: Cents,
    pub method: String,
    pub reference: String,
    /// Money paid back (its amount negative).
    #[serde(default)]
    pub refund: bool,
}

/// A document with everything needed to show (and later print) it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    pub summary: DocumentSummary,
    pub validity_date: Option<String>,
    pub global_discount: Discount,
    pub notes: String,
    pub lines: Vec<LineView>,
    pub totals: money::Totals,
    /// Payments less refunds.
    pub paid: Cents,
    pub credited: Cents,
    pub payments: Vec<PaymentView>,
    /// Linked documents: the quote an invoice came from, the invoice a quote became, the credit
    /// notes of an invoice, the invoice a credit note corrects.
    pub links: Vec<DocumentSummary>,
    /// The e-mails it was sent with, oldest first.
    #[serde(default)]
    pub emails: Vec<crate::documents::EmailSent>,
    /// The raw fields, to edit a draft.
    pub fields: DocumentFields,
}

/// List filters; empty strings mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentFilter {
    pub kind: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub contact_id: String,
    #[serde(default)]
    pub group_id: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub min_amount: String,
    #[serde(default)]
    pub max_amount: String,
    #[serde(default)]
    pub search: String,
    /// `number`, `contact`, `issue_date`, `due_date`, `total`, `status`, `created`.
    #[serde(default)]
    pub sort: String,
    /// `asc` or `desc`.
    #[serde(default)]
    pub direction: String,
    #[serde(default)]
    pub page: String,
}

impl DocumentFilter {
    /// Whether the list shows every document of its kind (sorting and paging aside).
    pub fn is_unfiltered(&self) -> bool {
        [
            &self.status,
            &self.contact_id,
            &self.group_id,
            &self.from,
            &self.to,
            &self.min_amount,
            &self.max_amount,
            &self.search,
        ]
        .iter()
        .all(|v| v.trim().is_empty())
    }
}

/// How a refused logo upload is named in the company page's URL, and back.
pub fn logo_problem_code(problem: Problem) -> &'static str {
    match problem {
        Problem::LogoTooLarge => "taille",
        Problem::LogoDimensions => "dimensions",
        Problem::SellerProfileMissing => "identite",
        _ => "format",
    }
}

pub fn logo_problem_from_code(code: &str) -> Problem {
    match code {
        "taille" => Problem::LogoTooLarge,
        "dimensions" => Problem::LogoDimensions,
        "identite" => Problem::SellerProfileMissing,
        _ => Problem::LogoFormat,
    }
}

/// Filters, sort and page of the contacts, articles and payments lists; empty strings mean
/// "any". Each list reads the fields that apply to it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListFilter {
    #[serde(default)]
    pub search: String,
    /// Contacts: a group id.
    #[serde(default)]
    pub group_id: String,
    /// Contacts: `company` or `person`; articles: `active` or `inactive`; payments: a method.
    #[serde(default)]
    pub kind: String,
    /// Articles: a VAT rate such as `5,5`.
    #[serde(default)]
    pub vat_rate: String,
    /// Payments: the invoice's client.
    #[serde(default)]
    pub contact_id: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// Articles: unit price; payments: amount.
    #[serde(default)]
    pub min_amount: String,
    #[serde(default)]
    pub max_amount: String,
    #[serde(default)]
    pub sort: String,
    /// `asc` or `desc`.
    #[serde(default)]
    pub direction: String,
    #[serde(default)]
    pub page: String,
}

/// A contact in a select: the document editor and the list filters need no more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactChoice {
    pub id: i64,
    pub name: String,
}

/// The seller's current logo, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogoInfo {
    pub sha256: String,
    pub width: i32,
    pub height: i32,
    pub bytes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub outstanding: Cents,
    pub overdue: Cents,
    pub overdue_count: i64,
    pub paid_this_month: Cents,
    /// `(YYYY-MM, revenue excluding tax)` for the last 12 months, oldest first.
    pub revenue_by_month: Vec<(String, Cents)>,
    pub latest: Vec<DocumentSummary>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Transfer,
    Card,
    Cheque,
    Cash,
    Other,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 5] = [
        PaymentMethod::Transfer,
        PaymentMethod::Card,
        PaymentMethod::Cheque,
        PaymentMethod::Cash,
        PaymentMethod::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Transfer => "transfer",
            PaymentMethod::Card => "card",
            PaymentMethod::Cheque => "cheque",
            PaymentMethod::Cash => "cash",
            PaymentMethod::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Problem> {
        PaymentMethod::ALL
            .into_iter()
            .find(|m| m.as_str() == raw.trim())
            .ok_or(Problem::PaymentMethodUnknown)
    }
}
