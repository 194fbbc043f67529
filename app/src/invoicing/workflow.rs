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

/// An issued invoice's amounts: its total, what it received (payments less refunds) and what
/// issued credit notes took off it. Its status, what is still due and what is owed back to the
/// client all follow from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settlement {
    /// The invoice's total including tax.
    pub total: i64,
    /// Payments less refunds.
    pub paid: i64,
    /// The totals of its issued credit notes.
    pub credited: i64,
}

impl Settlement {
    /// Payments make an invoice partly paid or paid; credit notes only lower what is due (a
    /// credit is not a payment): with nothing paid it stays issued, and is cancelled once credit
    /// notes cover all of it. While money is owed back it stays paid (all it asked for came in).
    pub fn status(self) -> Status {
        let Settlement {
            total,
            paid,
            credited,
        } = self;
        if paid <= 0 && credited >= total {
            Status::Cancelled
        } else if paid > 0 && paid.saturating_add(credited) >= total {
            Status::Paid
        } else if paid > 0 {
            Status::PartiallyPaid
        } else {
            Status::Issued
        }
    }

    /// What the client still owes.
    pub fn balance_due(self) -> i64 {
        self.total
            .saturating_sub(self.paid)
            .saturating_sub(self.credited)
            .max(0)
    }

    /// What is owed back to the client: paid beyond what the credit notes left due.
    pub fn owed_back(self) -> i64 {
        self.paid
            .saturating_add(self.credited)
            .saturating_sub(self.total)
            .max(0)
    }

    /// What further credit notes may still take off: the total less earlier credits.
    pub fn creditable(self) -> i64 {
        self.total.saturating_sub(self.credited).max(0)
    }

    /// After a payment of `amount`, or why it is refused: more than the balance due.
    pub fn pay(self, amount: i64) -> Result<Settlement, Problem> {
        if amount <= 0 {
            Err(Problem::AmountInvalid)
        } else if amount > self.balance_due() {
            Err(Problem::Overpayment)
        } else {
            Ok(Settlement {
                paid: self.paid.saturating_add(amount),
                ..self
            })
        }
    }

    /// After a credit note of `amount`, or why it is refused: more than the total less earlier
    /// credits. It may exceed the balance due: the excess paid is then owed back.
    pub fn credit(self, amount: i64) -> Result<Settlement, Problem> {
        if amount < 0 || amount > self.creditable() {
            Err(Problem::CreditExceedsBalance)
        } else {
            Ok(Settlement {
                credited: self.credited.saturating_add(amount),
                ..self
            })
        }
    }

    /// After a refund of `amount`, or why it is refused: more than what is owed back.
    pub fn refund(self, amount: i64) -> Result<Settlement, Problem> {
        if amount <= 0 {
            Err(Problem::AmountInvalid)
        } else if amount > self.owed_back() {
            Err(Problem::OverRefund)
        } else {
            Ok(Settlement {
                paid: self.paid.saturating_sub(amount),
                ..self
            })
        }
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

    fn settled(total: i64, paid: i64, credited: i64) -> Settlement {
        Settlement {
            total,
            paid,
            credited,
        }
    }

    #[test]
    fn settlement() {
        assert_eq!(settled(1000, 0, 0).status(), Status::Issued);
        assert_eq!(settled(1000, 400, 0).status(), Status::PartiallyPaid);
        assert_eq!(settled(1000, 400, 600).status(), Status::Paid);
        assert_eq!(settled(1000, 0, 1000).status(), Status::Cancelled);
        assert_eq!(settled(1000, 1000, 0).pay(1), Err(Problem::Overpayment));
        // A credit note is not a payment: 1 560 € with 144 € credited and nothing paid.
        assert_eq!(settled(156_000, 0, 14_400).status(), Status::Issued);
        assert_eq!(
            settled(156_000, 100, 14_400).status(),
            Status::PartiallyPaid
        );
        assert_eq!(
            settled(1000, 0, 0).credit(1001),
            Err(Problem::CreditExceedsBalance)
        );
    }

    /// A paid invoice of 120 € takes a credit note of 24 €: 24 € are owed back, the invoice
    /// stays paid; once refunded, 96 € received and 24 € credited settle it. Credited in full,
    /// then refunded in full, it is cancelled.
    #[test]
    fn a_credit_note_on_a_paid_invoice_is_refunded() {
        let paid = settled(12_000, 0, 0).pay(12_000).unwrap();
        assert_eq!(paid.status(), Status::Paid);
        assert_eq!(paid.credit(12_001), Err(Problem::CreditExceedsBalance));
        let credited = paid.credit(2_400).unwrap();
        assert_eq!(
            (
                credited.status(),
                credited.balance_due(),
                credited.owed_back()
            ),
            (Status::Paid, 0, 2_400)
        );
        assert_eq!(credited.refund(2_401), Err(Problem::OverRefund));
        assert_eq!(credited.pay(1), Err(Problem::Overpayment));
        let refunded = credited.refund(2_400).unwrap();
        assert_eq!(refunded, settled(12_000, 9_600, 2_400));
        assert_eq!(
            (
                refunded.status(),
                refunded.balance_due(),
                refunded.owed_back()
            ),
            (Status::Paid, 0, 0)
        );
        assert_eq!(refunded.refund(1), Err(Problem::OverRefund));
        // The rest of the total can still be credited, and is then owed back too.
        assert_eq!(refunded.creditable(), 9_600);
        let whole = refunded.credit(9_600).unwrap();
        assert_eq!((whole.status(), whole.owed_back()), (Status::Paid, 9_600));
        assert_eq!(whole.credit(1), Err(Problem::CreditExceedsBalance));
        let cancelled = whole.refund(9_600).unwrap();
        assert_eq!(cancelled.status(), Status::Cancelled);
        // Partly paid, then credited beyond the balance: paid, with the excess owed back.
        let partly = settled(1000, 300, 0).credit(800).unwrap();
        assert_eq!((partly.status(), partly.owed_back()), (Status::Paid, 100));
        assert_eq!(settled(1000, 0, 0).refund(1), Err(Problem::OverRefund));
        assert_eq!(settled(1000, 0, 0).refund(0), Err(Problem::AmountInvalid));
    }

    proptest::proptest! {
        /// Whatever sequence of payments, credit notes and refunds is accepted: nothing received
        /// goes below zero, credits never exceed the total, the balance due and what is owed back
        /// are never both positive, and the status says what the amounts say.
        #[test]
        fn accepted_steps_keep_the_amounts_consistent(
            total in 0i64..1_000_000,
            steps in proptest::collection::vec((0u8..3, 0i64..1_200_000), 0..12),
        ) {
            let mut s = settled(total, 0, 0);
            for (step, amount) in steps {
                let next = match step {
                    0 => s.pay(amount),
                    1 => s.credit(amount),
                    _ => s.refund(amount),
                };
                if let Ok(next) = next {
                    s = next;
                }
                proptest::prop_assert!(s.paid >= 0);
                proptest::prop_assert!(s.credited >= 0 && s.credited <= s.total);
                proptest::prop_assert!(s.balance_due() == 0 || s.owed_back() == 0);
                proptest::prop_assert_eq!(
                    s.total - s.paid - s.credited,
                    s.balance_due() - s.owed_back()
                );
                let expected = if s.paid == 0 && s.credited == s.total {
                    Status::Cancelled
                } else if s.paid > 0 && s.balance_due() == 0 {
                    Status::Paid
                } else if s.paid > 0 {
                    Status::PartiallyPaid
                } else {
                    Status::Issued
                };
                proptest::prop_assert_eq!(s.status(), expected);
                // A refund never takes more than was paid.
                proptest::prop_assert!(s.owed_back() <= s.paid);
            }
        }
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
