//! Invoicing queries. Every function takes the caller's organisation and never reads or writes
//! another's rows. Issuing, payments, refunds and credit notes run in one transaction under a
//! row lock on the document, so numbers stay continuous and balances exact under concurrency.

// `documents` reads lines, dates and balances from these files directly (not through the
// re-exports below, which also lead to `issuing` and `reading`, built on `documents`).
pub(crate) mod common;
mod directory;
pub(crate) mod drafts;
mod issuing;
pub(crate) mod lines;
pub(crate) mod payments;
mod reading;
mod refunds;
mod seller;

pub use self::common::{PER_PAGE, Sorting, paris_today};
pub use self::directory::{
    article_choices, contact_choices, delete_contact, delete_group, get_article, get_contact,
    list_articles, list_contacts, list_groups, save_article, save_contact, save_group,
    set_article_active,
};
pub use self::drafts::{
    delete_draft, expire_quotes, insert_draft, quote_action, quote_action_in, update_draft,
};
pub use self::issuing::{CreditScope, convert_quote, draft_credit_note, issue};
pub use self::payments::{NewPayment, list_payments, record_payment};
pub use self::reading::{dashboard, get_document, list_documents};
pub use self::refunds::{NewRefund, record_refund};
pub use self::seller::{
    delete_seller, logo_bytes, save_seller, seller, seller_logo, set_seller_logo, store_logo,
};
