//! The words and addresses the invoicing screens share: status and payment method names, and
//! the list page of each kind of document.

use super::workflow::{DocumentKind, Status};
use crate::i18n::t_string;
use crate::ui::messages::I18n;

pub fn status_text(i18n: I18n, status: Status) -> String {
    match status {
        Status::Draft => t_string!(i18n, invoicing.status_draft),
        Status::Sent => t_string!(i18n, invoicing.status_sent),
        Status::Accepted => t_string!(i18n, invoicing.status_accepted),
        Status::Refused => t_string!(i18n, invoicing.status_refused),
        Status::Expired => t_string!(i18n, invoicing.status_expired),
        Status::Issued => t_string!(i18n, invoicing.status_issued),
        Status::PartiallyPaid => t_string!(i18n, invoicing.status_partially_paid),
        Status::Paid => t_string!(i18n, invoicing.status_paid),
        Status::Cancelled => t_string!(i18n, invoicing.status_cancelled),
    }
    .to_string()
}

pub fn method_text(i18n: I18n, method: &str) -> String {
    match method {
        "transfer" => t_string!(i18n, invoicing.method_transfer),
        "card" => t_string!(i18n, invoicing.method_card),
        "cheque" => t_string!(i18n, invoicing.method_cheque),
        "cash" => t_string!(i18n, invoicing.method_cash),
        _ => t_string!(i18n, invoicing.method_other),
    }
    .to_string()
}

/// The list a document of `kind` opens over (`?voir=<id>`).
pub fn kind_path(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Quote => "/facturation/devis",
        DocumentKind::Invoice => "/facturation/factures",
        DocumentKind::CreditNote => "/facturation/avoirs",
    }
}

/// The VAT rates French invoices use, as typed in forms.
pub const VAT_RATES: [&str; 7] = ["20", "10", "5,5", "2,1", "0", "8,5", "13"];
