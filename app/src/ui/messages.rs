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
