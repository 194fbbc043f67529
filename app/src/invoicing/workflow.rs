//! Document statuses and the transitions allowed between them. Every other transition is refused
//! with a specific problem.

use crate::error::Problem;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Quote,
    Invoice,
    CreditNote,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Quote => "quote",
            DocumentKind::Invoice => "invoice",
            DocumentKind::CreditNote => "credit_note",
        }
    }

    /// The numbering series: `D-2026-000001`, `F-2026-000001`, `A-2026-000001`.
    pub fn series(self) -> &'static str {
        match self {
            DocumentKind::Quote => "D",
            DocumentKind::Invoice => "F",
            DocumentKind::CreditNote => "A",
        }
    }
}

impl FromStr for DocumentKind {
    type Err = Problem;
    fn from_str(s: &str) -> Result<Self, Problem> {
        match s {
            "quote" => Ok(DocumentKind::Quote),
            "invoice" => Ok(DocumentKind::Invoice),
            "credit_note" => Ok(DocumentKind::CreditNote),
            _ => Err(Problem::DocumentKindUnknown),
        }
    }
}

/// `F-2026-000123`: series, year of issue, six-digit sequence.
pub fn document_number(kind: DocumentKind, year: i32, sequence: i64) -> String {
    format!("{}-{year}-{sequence:06}", kind.series())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    // Quotes
    Sent,
    Accepted,
    Refused,
    Expired,
    // Invoices and credit notes
    Issued,
    PartiallyPaid,
    Paid,
    /// Fully offset by credit notes.
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::Draft,
        Status::Sent,
        Status::Accepted,
        Status::Refused,
        Status::Expired,
        Status::Issued,
        Status::PartiallyPaid,
        Status::Paid,
        Status::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Sent => "sent",
            Status::Accepted => "accepted",
            Status::Refused => "refused",
            Status::Expired => "expired",
            Status::Issued => "issued",
            Status::PartiallyPaid => "partially_paid",
            Status::Paid => "paid",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn applies_to(self, kind: DocumentKind) -> bool {
        match kind {
            DocumentKind::Quote => matches!(
                self,
                Status::Draft | Status::Sent | Status::Accepted | Status::Refused | Status::Expired
            ),
            DocumentKind::Invoice => matches!(
                self,
                Status::Draft
                    | Status::Issued
                    | Status::PartiallyPaid
                    | Status::Paid
                    | Status::Cancelled
            ),
            DocumentKind::CreditNote => matches!(self, Status::Draft | Status::Issued),
        }
    }
}

impl FromStr for Status {
    type Err = Problem;
    fn from_str(s: &str) -> Result<Self, Problem> {
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or(Problem::StatusUnknown)
    }
}

/// What a user asks to do with a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Send,
    Accept,
    Refuse,
    Expire,
    Issue,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Action::Send,
        Action::Accept,
        Action::Refuse,
        Action::Expire,
        Action::Issue,
    ];
}

/// The status after `action`, or why it is refused.
pub fn transition(kind: DocumentKind, from: Status, action: Action) -> Result<Status, Problem> {
    use Action::*;
    use DocumentKind::*;
    use Status::*;
    match (kind, from, action) {
        (Quote, Draft, Send) => Ok(Sent),
        (Quote, Sent, Accept) => Ok(Accepted),
        (Quote, Sent, Refuse) => Ok(Refused),
        (Quote, Sent, Expire) => Ok(Expired),
        (Invoice | CreditNote, Draft, Issue) => Ok(Issued),
        _ => Err(Problem::TransitionRefused),
    }
}

/// An invoice's status from its amounts once issued. Payments make it partly paid or paid;
/// credit notes only lower what is due (a credit is not a payment): an invoice with a credit
/// note and nothing paid is still issued, and cancelled once credit notes cover all of it.
/// `None` when more was settled than is due (refused before it happens).
pub fn settled_status(total: i64, paid: i64, credited: i64) -> Option<Status> {
    let settled = paid + credited;
    if settled > total {
        None
    } else if credited == total {
        Some(Status::Cancelled)
    } else if settled == total {
        Some(Status::Paid)
    } else if paid > 0 {
        Some(Status::PartiallyPaid)
    } else {
        Some(Status::Issued)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_documented_transitions_are_allowed() {
        let allowed = [
            (
                DocumentKind::Quote,
                Status::Draft,
                Action::Send,
                Status::Sent,
            ),
            (
                DocumentKind::Quote,
                Status::Sent,
                Action::Accept,
                Status::Accepted,
            ),
            (
                DocumentKind::Quote,
                Status::Sent,
                Action::Refuse,
                Status::Refused,
            ),
            (
                DocumentKind::Quote,
                Status::Sent,
                Action::Expire,
                Status::Expired,
            ),
            (
                DocumentKind::Invoice,
                Status::Draft,
                Action::Issue,
                Status::Issued,
            ),
            (
                DocumentKind::CreditNote,
                Status::Draft,
                Action::Issue,
                Status::Issued,
            ),
        ];
        for kind in [
            DocumentKind::Quote,
            DocumentKind::Invoice,
            DocumentKind::CreditNote,
        ] {
            for from in Status::ALL {
                for action in Action::ALL {
                    let expected = allowed
                        .iter()
                        .find(|(k, f, a, _)| *k == kind && *f == from && *a == action)
                        .map(|(_, _, _, to)| *to);
                    match expected {
                        Some(to) => assert_eq!(transition(kind, from, action), Ok(to)),
                        None => assert_eq!(
                            transition(kind, from, action),
                            Err(Problem::TransitionRefused),
                            "{kind:?} {from:?} {action:?}"
                        ),
                    }
                }
            }
        }
    }

    #[test]
    fn settlement() {
        assert_eq!(settled_status(1000, 0, 0), Some(Status::Issued));
        assert_eq!(settled_status(1000, 400, 0), Some(Status::PartiallyPaid));
        assert_eq!(settled_status(1000, 400, 600), Some(Status::Paid));
        assert_eq!(settled_status(1000, 0, 1000), Some(Status::Cancelled));
        assert_eq!(settled_status(1000, 1001, 0), None);
        // A credit note is not a payment: 1 560 € with 144 € credited and nothing paid.
        assert_eq!(settled_status(156_000, 0, 14_400), Some(Status::Issued));
        assert_eq!(
            settled_status(156_000, 100, 14_400),
            Some(Status::PartiallyPaid)
        );
        assert_eq!(settled_status(1000, 0, 1001), None);
    }

    #[test]
    fn numbers() {
        assert_eq!(
            document_number(DocumentKind::Invoice, 2026, 123),
            "F-2026-000123"
        );
        assert_eq!(
            document_number(DocumentKind::CreditNote, 2027, 1),
            "A-2027-000001"
        );
        for s in Status::ALL {
            assert_eq!(s.as_str().parse::<Status>(), Ok(s));
        }
    }
}
