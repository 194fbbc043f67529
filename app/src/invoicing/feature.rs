//! Quotes and invoices, as the shell sees it.

use super::server::{RecordRefund, SaveArticle, SaveContact, SaveContactGroup, SaveSellerProfile};
use crate::ui::feature::Feature;
use crate::ui::posted::KeptInput;

pub const FEATURE: Feature = Feature {
    name: "invoicing",
    kept_input: &[
        // The seller's IBAN is printed on every invoice: not a secret, and the hardest field
        // to type again.
        KeptInput::of::<SaveSellerProfile>(&[
            "fields[legal_name]",
            "fields[legal_form]",
            "fields[siren]",
            "fields[siret]",
            "fields[vat_number]",
            "fields[address_line1]",
            "fields[address_line2]",
            "fields[postal_code]",
            "fields[city]",
            "fields[email]",
            "fields[phone]",
            "fields[iban]",
            "fields[bic]",
            "fields[payment_terms_days]",
            "fields[late_penalty_rate]",
        ]),
        KeptInput::of::<SaveContactGroup>(&["name"]),
        KeptInput::of::<SaveContact>(&[
            "fields[kind]",
            "fields[name]",
            "fields[email]",
            "fields[phone]",
            "fields[address_line1]",
            "fields[address_line2]",
            "fields[postal_code]",
            "fields[city]",
            "fields[country]",
            "fields[siren]",
            "fields[vat_number]",
            "groups[]",
        ]),
        KeptInput::of::<SaveArticle>(&[
            "fields[reference]",
            "fields[description]",
            "fields[unit]",
            "fields[unit_price]",
            "fields[vat_rate]",
        ]),
        KeptInput::of::<RecordRefund>(&["amount", "refunded_on", "method", "reference"]),
    ],
};
