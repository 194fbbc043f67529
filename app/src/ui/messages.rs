//! Translated texts for errors and validation problems.

use crate::error::{AppError, Problem};
use crate::i18n::{Locale, t_string, td_string};
use leptos_i18n::I18nContext;

pub type I18n = I18nContext<Locale>;

pub fn error_text(i18n: I18n, err: &AppError) -> String {
    match err {
        AppError::Unauthenticated => t_string!(i18n, errors.unauthenticated).to_string(),
        AppError::Forbidden => t_string!(i18n, errors.forbidden).to_string(),
        AppError::NotFound => t_string!(i18n, errors.not_found).to_string(),
        AppError::Invalid(list) => match list.as_slice() {
            [one] => problem_text(i18n, one.problem),
            _ => t_string!(i18n, errors.invalid).to_string(),
        },
        AppError::Internal => t_string!(i18n, errors.internal).to_string(),
        AppError::Transport(_) => t_string!(i18n, errors.transport).to_string(),
        AppError::BadRequest(_) => t_string!(i18n, errors.bad_request).to_string(),
        AppError::TooLarge(_) => t_string!(i18n, errors.too_large).to_string(),
    }
}

pub fn problem_text(i18n: I18n, problem: Problem) -> String {
    problem_text_in(i18n.get_locale(), problem)
}

/// The problem in a given language, for the command line and logs.
pub fn problem_text_in(locale: Locale, problem: Problem) -> String {
    match problem {
        Problem::EmailInvalid => td_string!(locale, problems.email_invalid).to_string(),
        Problem::EmailTaken => td_string!(locale, problems.email_taken).to_string(),
        Problem::NameRequired => td_string!(locale, problems.name_required).to_string(),
        Problem::NameTooLong => td_string!(locale, problems.name_too_long).to_string(),
        Problem::PasswordTooShort => td_string!(locale, problems.password_too_short).to_string(),
        Problem::PasswordTooLong => td_string!(locale, problems.password_too_long).to_string(),
        Problem::PasswordMismatch => td_string!(locale, problems.password_mismatch).to_string(),
        Problem::PasswordWrong => td_string!(locale, problems.password_wrong).to_string(),
        Problem::SlugInvalid => td_string!(locale, problems.slug_invalid).to_string(),
        Problem::SlugTaken => td_string!(locale, problems.slug_taken).to_string(),
        Problem::OrganisationUnknown => {
            td_string!(locale, problems.organisation_unknown).to_string()
        }
        Problem::RoleUnknown => td_string!(locale, problems.role_unknown).to_string(),
        Problem::AdminNeedsAgency => td_string!(locale, problems.admin_needs_agency).to_string(),
        Problem::CannotDisableSelf => td_string!(locale, problems.cannot_disable_self).to_string(),
        Problem::AlertKindUnknown => td_string!(locale, problems.alert_kind_unknown).to_string(),
        Problem::AudienceUnknown => td_string!(locale, problems.audience_unknown).to_string(),
        Problem::ScopeUnknown => td_string!(locale, problems.scope_unknown).to_string(),
        Problem::DismissalUnknown => td_string!(locale, problems.dismissal_unknown).to_string(),
        Problem::TitleRequired => td_string!(locale, problems.title_required).to_string(),
        Problem::TitleTooLong => td_string!(locale, problems.title_too_long).to_string(),
        Problem::MessageRequired => td_string!(locale, problems.message_required).to_string(),
        Problem::MessageTooLong => td_string!(locale, problems.message_too_long).to_string(),
        Problem::LifetimeInvalid => td_string!(locale, problems.lifetime_invalid).to_string(),
        Problem::IntervalInvalid => td_string!(locale, problems.interval_invalid).to_string(),
        Problem::WeekdayInvalid => td_string!(locale, problems.weekday_invalid).to_string(),
        Problem::TimeInvalid => td_string!(locale, problems.time_invalid).to_string(),
        Problem::TimeZoneUnknown => td_string!(locale, problems.time_zone_unknown).to_string(),
        Problem::DateInvalid => td_string!(locale, problems.date_invalid).to_string(),
        Problem::DateTimeInvalid => td_string!(locale, problems.date_time_invalid).to_string(),
        Problem::DateTimeSkipped => td_string!(locale, problems.date_time_skipped).to_string(),
        Problem::WindowEndBeforeStart => {
            td_string!(locale, problems.window_end_before_start).to_string()
        }
        Problem::WindowEndInPast => td_string!(locale, problems.window_end_in_past).to_string(),
        Problem::MinutesInvalid => td_string!(locale, problems.minutes_invalid).to_string(),
        Problem::AmountInvalid => td_string!(locale, problems.amount_invalid).to_string(),
        Problem::AmountTooLarge => td_string!(locale, problems.amount_too_large).to_string(),
        Problem::QuantityInvalid => td_string!(locale, problems.quantity_invalid).to_string(),
        Problem::VatRateInvalid => td_string!(locale, problems.vat_rate_invalid).to_string(),
        Problem::DiscountInvalid => td_string!(locale, problems.discount_invalid).to_string(),
        Problem::SirenInvalid => td_string!(locale, problems.siren_invalid).to_string(),
        Problem::SiretInvalid => td_string!(locale, problems.siret_invalid).to_string(),
        Problem::VatNumberInvalid => td_string!(locale, problems.vat_number_invalid).to_string(),
        Problem::IbanInvalid => td_string!(locale, problems.iban_invalid).to_string(),
        Problem::BicInvalid => td_string!(locale, problems.bic_invalid).to_string(),
        Problem::DocumentKindUnknown => {
            td_string!(locale, problems.document_kind_unknown).to_string()
        }
        Problem::StatusUnknown => td_string!(locale, problems.status_unknown).to_string(),
        Problem::TransitionRefused => td_string!(locale, problems.transition_refused).to_string(),
        Problem::PaymentTermsInvalid => {
            td_string!(locale, problems.payment_terms_invalid).to_string()
        }
        Problem::PenaltyRateInvalid => {
            td_string!(locale, problems.penalty_rate_invalid).to_string()
        }
        Problem::ContactKindUnknown => {
            td_string!(locale, problems.contact_kind_unknown).to_string()
        }
        Problem::CountryInvalid => td_string!(locale, problems.country_invalid).to_string(),
        Problem::DescriptionRequired => {
            td_string!(locale, problems.description_required).to_string()
        }
        Problem::ContactRequired => td_string!(locale, problems.contact_required).to_string(),
        Problem::LinesRequired => td_string!(locale, problems.lines_required).to_string(),
        Problem::TooManyLines => td_string!(locale, problems.too_many_lines).to_string(),
        Problem::PaymentMethodUnknown => {
            td_string!(locale, problems.payment_method_unknown).to_string()
        }
        Problem::MentionMissing => td_string!(locale, problems.mention_missing).to_string(),
        Problem::Overpayment => td_string!(locale, problems.overpayment).to_string(),
        Problem::CreditExceedsBalance => {
            td_string!(locale, problems.credit_exceeds_balance).to_string()
        }
        Problem::ContactUnknown => td_string!(locale, problems.contact_unknown).to_string(),
        Problem::ReferenceTaken => td_string!(locale, problems.reference_taken).to_string(),
        Problem::GroupNameTaken => td_string!(locale, problems.group_name_taken).to_string(),
        Problem::SellerProfileMissing => {
            td_string!(locale, problems.seller_profile_missing).to_string()
        }
        Problem::ContactInUse => td_string!(locale, problems.contact_in_use).to_string(),
        Problem::DocumentNotDraft => td_string!(locale, problems.document_not_draft).to_string(),
        Problem::QuoteAlreadyConverted => {
            td_string!(locale, problems.quote_already_converted).to_string()
        }
        Problem::GroupUnknown => td_string!(locale, problems.group_unknown).to_string(),
        Problem::OnlyCreatorMayDelete => {
            td_string!(locale, problems.only_creator_may_delete).to_string()
        }
        Problem::CreditLinesRequired => {
            td_string!(locale, problems.credit_lines_required).to_string()
        }
        Problem::ArticleUnknown => td_string!(locale, problems.article_unknown).to_string(),
        Problem::LogoFormat => td_string!(locale, problems.logo_format).to_string(),
        Problem::LogoTooLarge => td_string!(locale, problems.logo_too_large).to_string(),
        Problem::LogoDimensions => td_string!(locale, problems.logo_dimensions).to_string(),
        Problem::LastAdmin => td_string!(locale, problems.last_admin).to_string(),
        Problem::ConfirmEmailMismatch => {
            td_string!(locale, problems.confirm_email_mismatch).to_string()
        }
        Problem::DeletionNotConfirmed => {
            td_string!(locale, problems.deletion_not_confirmed).to_string()
        }
        Problem::IssueNotConfirmed => td_string!(locale, problems.issue_not_confirmed).to_string(),
        Problem::RevocationNotConfirmed => {
            td_string!(locale, problems.revocation_not_confirmed).to_string()
        }
        Problem::FacturXNotIssued => td_string!(locale, problems.facturx_not_issued).to_string(),
        Problem::DocumentSealBroken => {
            td_string!(locale, problems.document_seal_broken).to_string()
        }
        Problem::SendBeforeIssue => td_string!(locale, problems.send_before_issue).to_string(),
        Problem::SubjectRequired => td_string!(locale, problems.subject_required).to_string(),
        Problem::SubjectTooLong => td_string!(locale, problems.subject_too_long).to_string(),
        Problem::MailRefused => td_string!(locale, problems.mail_refused).to_string(),
        Problem::MailUnreachable => td_string!(locale, problems.mail_unreachable).to_string(),
        Problem::ShopCodeInvalid => td_string!(locale, problems.shop_code_invalid).to_string(),
        Problem::ShopCodeTaken => td_string!(locale, problems.shop_code_taken).to_string(),
        Problem::SiteUnknown => td_string!(locale, problems.site_unknown).to_string(),
        Problem::IpInvalid => td_string!(locale, problems.ip_invalid).to_string(),
        Problem::CityRequired => td_string!(locale, problems.city_required).to_string(),
        Problem::CityTooLong => td_string!(locale, problems.city_too_long).to_string(),
        Problem::ClosingBeforeOpening => {
            td_string!(locale, problems.closing_before_opening).to_string()
        }
        Problem::ReasonRequired => td_string!(locale, problems.reason_required).to_string(),
        Problem::ReasonTooLong => td_string!(locale, problems.reason_too_long).to_string(),
        Problem::SiteHasCounts => td_string!(locale, problems.site_has_counts).to_string(),
        Problem::ImportFileRequired => {
            td_string!(locale, problems.import_file_required).to_string()
        }
        Problem::ImportTooLarge => td_string!(locale, problems.import_too_large).to_string(),
        Problem::ImportInterrupted => td_string!(locale, problems.import_interrupted).to_string(),
        Problem::ImportUnknown => td_string!(locale, problems.import_unknown).to_string(),
        Problem::RangeReversed => td_string!(locale, problems.range_reversed).to_string(),
        Problem::RangeTooLong => td_string!(locale, problems.range_too_long).to_string(),
        Problem::CounterAlertUnknown => {
            td_string!(locale, problems.counter_alert_unknown).to_string()
        }
        Problem::DueDateBeforeIssue => {
            td_string!(locale, problems.due_date_before_issue).to_string()
        }
        Problem::OverRefund => td_string!(locale, problems.over_refund).to_string(),
        Problem::ReferenceTooLong => td_string!(locale, problems.reference_too_long).to_string(),
    }
}

pub fn role_text(i18n: I18n, role: crate::auth::types::Role) -> String {
    use crate::auth::types::Role;
    match role {
        Role::Admin => t_string!(i18n, roles.admin).to_string(),
        Role::Accountant => t_string!(i18n, roles.accountant).to_string(),
        Role::Viewer => t_string!(i18n, roles.viewer).to_string(),
    }
}
