//! Errors crossing the server/browser boundary. Each variant maps to a translated message
//! (see `ui::messages`) so the UI never shows raw internals.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

/// A specific, user-facing reason why input was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    EmailInvalid,
    EmailTaken,
    NameRequired,
    NameTooLong,
    PasswordTooShort,
    PasswordTooLong,
    PasswordMismatch,
    PasswordWrong,
    SlugInvalid,
    SlugTaken,
    OrganisationUnknown,
    RoleUnknown,
    AdminNeedsAgency,
    CannotDisableSelf,
    AlertKindUnknown,
    AudienceUnknown,
    ScopeUnknown,
    DismissalUnknown,
    TitleRequired,
    TitleTooLong,
    MessageRequired,
    MessageTooLong,
    LifetimeInvalid,
    IntervalInvalid,
    WeekdayInvalid,
    TimeInvalid,
    TimeZoneUnknown,
    DateInvalid,
    DateTimeInvalid,
    DateTimeSkipped,
    WindowEndBeforeStart,
    WindowEndInPast,
    MinutesInvalid,
    AmountInvalid,
    AmountTooLarge,
    QuantityInvalid,
    VatRateInvalid,
    DiscountInvalid,
    SirenInvalid,
    SiretInvalid,
    VatNumberInvalid,
    IbanInvalid,
    BicInvalid,
    DocumentKindUnknown,
    StatusUnknown,
    TransitionRefused,
    PaymentTermsInvalid,
    PenaltyRateInvalid,
    ContactKindUnknown,
    CountryInvalid,
    DescriptionRequired,
    ContactRequired,
    LinesRequired,
    TooManyLines,
    PaymentMethodUnknown,
    MentionMissing,
    Overpayment,
    CreditExceedsBalance,
    ContactUnknown,
    ReferenceTaken,
    GroupNameTaken,
    SellerProfileMissing,
    ContactInUse,
    DocumentNotDraft,
    QuoteAlreadyConverted,
    GroupUnknown,
    OnlyCreatorMayDelete,
    CreditLinesRequired,
    ArticleUnknown,
    LogoFormat,
    LogoTooLarge,
    LogoDimensions,
    LastAdmin,
    ConfirmEmailMismatch,
    /// A deletion posted without its confirmation box ticked.
    DeletionNotConfirmed,
    /// An issue (final numbering) posted without its confirmation box ticked.
    IssueNotConfirmed,
    /// An API token's revocation posted without its confirmation box ticked.
    RevocationNotConfirmed,
    FacturXNotIssued,
    DocumentSealBroken,
    SendBeforeIssue,
    SubjectRequired,
    SubjectTooLong,
    MailRefused,
    MailUnreachable,
    ShopCodeInvalid,
    ShopCodeTaken,
    SiteUnknown,
    IpInvalid,
    CityRequired,
    CityTooLong,
    ClosingBeforeOpening,
    ReasonRequired,
    ReasonTooLong,
    SiteHasCounts,
    ImportFileRequired,
    ImportTooLarge,
    ImportInterrupted,
    ImportUnknown,
    RangeReversed,
    RangeTooLong,
    CounterAlertUnknown,
    DueDateBeforeIssue,
    /// A refund of more than is owed back to the client.
    OverRefund,
    /// A payment's or a refund's reference longer than 200 characters.
    ReferenceTooLong,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("authentification requise")]
    Unauthenticated,
    #[error("accès refusé")]
    Forbidden,
    #[error("introuvable")]
    NotFound,
    #[error("données invalides: {0:?}")]
    Invalid(Vec<FieldProblem>),
    #[error("erreur interne")]
    Internal,
    #[error("erreur de communication: {0}")]
    Transport(String),
    /// The request could not be read as the server function's arguments (a missing or
    /// malformed field): the caller's mistake, answered 400.
    #[error("requête mal formée : {0}")]
    BadRequest(String),
    /// The request's body is larger than a server function reads: answered 413.
    #[error("requête trop volumineuse : {0}")]
    TooLarge(String),
}

impl AppError {
    pub fn invalid(field: &str, problem: Problem) -> Self {
        AppError::Invalid(vec![FieldProblem {
            field: field.to_owned(),
            problem,
        }])
    }

    /// The problem attached to `field`, for showing it next to that input.
    pub fn problem_for(&self, field: &str) -> Option<Problem> {
        match self {
            AppError::Invalid(list) => list.iter().find(|p| p.field == field).map(|p| p.problem),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(detail) => {
                AppError::BadRequest(format!("arguments illisibles ({detail})"))
            }
            ServerFnErrorErr::MissingArg(name) => {
                AppError::BadRequest(format!("argument « {name} » manquant"))
            }
            // On the server this comes only from reading a request (the body guard refuses the
            // known cases first); in the browser it is an answer that could not be read.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(detail) => {
                AppError::BadRequest(format!("corps illisible ({detail})"))
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

/// PostgreSQL refused a duplicate key (SQLSTATE 23505).
#[cfg(feature = "ssr")]
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.code().as_deref() == Some("23505"))
}

/// PostgreSQL refused a value itself (a data exception, SQLSTATE class 22, or a NOT NULL or
/// CHECK violation, 23502 / 23514): sending it again would fail the same way.
#[cfg(feature = "ssr")]
pub fn is_refused_value(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.code().is_some_and(|c| {
        c.starts_with("22") || c == "23502" || c == "23514"
    }))
}

/// PostgreSQL refused a change that would break a foreign key (SQLSTATE 23503).
#[cfg(feature = "ssr")]
pub fn is_foreign_key_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.code().as_deref() == Some("23503"))
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// A deletion is posted with its confirmation box ticked (a form step that needs no script);
/// the server checks it too.
pub fn require_confirmation(confirm: Option<String>) -> Result<(), AppError> {
    require_ticked(confirm, Problem::DeletionNotConfirmed)
}

/// Another irreversible step posted with its box (`confirm`) ticked, else `unticked`.
pub fn require_ticked(confirm: Option<String>, unticked: Problem) -> Result<(), AppError> {
    if confirm.is_some_and(|v| !v.trim().is_empty()) {
        Ok(())
    } else {
        Err(AppError::invalid("confirm", unticked))
    }
}
