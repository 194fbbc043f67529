//! Printed documents: native PDF (PDF/A-3b) of quotes, invoices and credit notes, Factur-X for
//! issued invoices and credit notes, and sending them by e-mail.

pub mod feature;
pub mod pages;
pub mod server;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod facturx;
#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod print;
#[cfg(feature = "ssr")]
pub mod sample;

use serde::{Deserialize, Serialize};

/// Which file of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Variant {
    /// The document itself (for an issued invoice or credit note: the sealed original).
    Pdf,
    /// An invoice copy with the payments and credit notes recorded so far.
    Situation,
    /// PDF/A-3b with the embedded `factur-x.xml`.
    FacturX,
}

/// An e-mail a document was sent with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailSent {
    pub recipient: String,
    pub subject: String,
    pub attachment_name: String,
    /// `dd/mm/yyyy hh:mm`, Paris time.
    pub sent_at: String,
    /// Written to the local outbox (no SMTP server configured) rather than sent.
    #[serde(default)]
    pub outbox: bool,
}

/// The e-mail form, filled with French defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailForm {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attachment_name: String,
}

/// Where a document's files are downloaded.
pub fn file_url(id: i64, variant: Variant, inline: bool) -> String {
    let base = match variant {
        Variant::Pdf => format!("/facturation/documents/{id}/pdf"),
        Variant::Situation => format!("/facturation/documents/{id}/pdf?reglements=1"),
        Variant::FacturX => format!("/facturation/documents/{id}/facturx"),
    };
    match (inline, base.contains('?')) {
        (false, _) => base,
        (true, true) => format!("{base}&inline=1"),
        (true, false) => format!("{base}?inline=1"),
    }
}
