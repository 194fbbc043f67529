//! Broadcast alerts: a modal every addressed user sees on any page until they confirm it, with
//! lifetimes, audiences, validation scopes and recurring schedules.

#[cfg(feature = "ssr")]
pub mod db;
pub mod feature;
#[cfg(feature = "ssr")]
pub mod http;
pub mod modal;
pub mod pages;
pub mod preview;
#[cfg(feature = "ssr")]
pub mod schedule;
pub mod server;
pub mod text;

use crate::auth::types::Role;
use crate::error::Problem;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    Update,
    Maintenance,
    Info,
}

impl AlertKind {
    pub const ALL: [AlertKind; 3] = [AlertKind::Update, AlertKind::Maintenance, AlertKind::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::Update => "update",
            AlertKind::Maintenance => "maintenance",
            AlertKind::Info => "info",
        }
    }
}

impl FromStr for AlertKind {
    type Err = Problem;
    fn from_str(s: &str) -> Result<Self, Problem> {
        AlertKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or(Problem::AlertKindUnknown)
    }
}

/// Who an alert is addressed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Audience {
    Everyone,
    Organisation(i64),
    Role(Role),
}

impl Audience {
    /// The form value: `everyone`, `organisation:12` or `role:viewer`.
    pub fn form_value(self) -> String {
        match self {
            Audience::Everyone => "everyone".to_owned(),
            Audience::Organisation(id) => format!("organisation:{id}"),
            Audience::Role(role) => format!("role:{role}"),
        }
    }

    /// The two nullable columns that store an audience.
    pub fn columns(self) -> (Option<i64>, Option<&'static str>) {
        match self {
            Audience::Everyone => (None, None),
            Audience::Organisation(id) => (Some(id), None),
            Audience::Role(role) => (None, Some(role.as_str())),
        }
    }

    pub fn from_columns(organisation: Option<i64>, role: Option<&str>) -> Self {
        match (organisation, role.and_then(|r| r.parse::<Role>().ok())) {
            (Some(id), _) => Audience::Organisation(id),
            (None, Some(role)) => Audience::Role(role),
            (None, None) => Audience::Everyone,
        }
    }
}

impl FromStr for Audience {
    type Err = Problem;
    fn from_str(s: &str) -> Result<Self, Problem> {
        match s.trim().split_once(':') {
            None if s.trim() == "everyone" => Ok(Audience::Everyone),
            Some(("organisation", id)) => id
                .parse::<i64>()
                .map(Audience::Organisation)
                .map_err(|_| Problem::AudienceUnknown),
            Some(("role", role)) => role
                .parse::<Role>()
                .map(Audience::Role)
                .map_err(|_| Problem::AudienceUnknown),
            _ => Err(Problem::AudienceUnknown),
        }
    }
}

/// Who must confirm: every user for themselves, or the first user of each organisation for all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValidationScope {
    EachUser,
    OnePerOrganisation,
}

impl ValidationScope {
    pub fn as_str(self) -> &'static str {
        match self {
            ValidationScope::EachUser => "each_user",
            ValidationScope::OnePerOrganisation => "one_per_organisation",
        }
    }
}

impl FromStr for ValidationScope {
    type Err = Problem;
    fn from_str(s: &str) -> Result<Self, Problem> {
        match s.trim() {
            "each_user" => Ok(ValidationScope::EachUser),
            "one_per_organisation" => Ok(ValidationScope::OnePerOrganisation),
            _ => Err(Problem::ScopeUnknown),
        }
    }
}

/// How the user dismissed the modal; both count as read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dismissal {
    Confirm,
    Close,
}

impl Dismissal {
    pub fn as_str(self) -> &'static str {
        match self {
            Dismissal::Confirm => "confirm",
            Dismissal::Close => "close",
        }
    }
}

impl FromStr for Dismissal {
    type Err = Problem;
    fn from_str(s: &str) -> Result<Self, Problem> {
        match s.trim() {
            "close" => Ok(Dismissal::Close),
            // A form submitted with Enter carries no button value: that is a confirmation.
            "confirm" | "" => Ok(Dismissal::Confirm),
            _ => Err(Problem::DismissalUnknown),
        }
    }
}

pub const TITLE_MAX: usize = 200;
pub const MESSAGE_MAX: usize = 5000;
pub const LIFETIME_MAX_DAYS: i32 = 3650;

/// A trimmed, non-empty alert title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertTitle(String);

impl AlertTitle {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let value = raw.trim();
        if value.is_empty() {
            Err(Problem::TitleRequired)
        } else if value.chars().count() > TITLE_MAX {
            Err(Problem::TitleTooLong)
        } else {
            Ok(AlertTitle(value.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Plain text with line breaks (normalised to `\n`); links are recognised when shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertMessage(String);

impl AlertMessage {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let value = raw.replace("\r\n", "\n").replace('\r', "\n");
        let value = value.trim();
        if value.is_empty() {
            Err(Problem::MessageRequired)
        } else if value.chars().count() > MESSAGE_MAX {
            Err(Problem::MessageTooLong)
        } else {
            Ok(AlertMessage(value.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An optional lifetime in days: empty means "until confirmed".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetime(Option<i32>);

impl Lifetime {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(Lifetime(None));
        }
        raw.parse::<i32>()
            .ok()
            .filter(|d| (1..=LIFETIME_MAX_DAYS).contains(d))
            .map(|d| Lifetime(Some(d)))
            .ok_or(Problem::LifetimeInvalid)
    }

    pub fn days(self) -> Option<i32> {
        self.0
    }
}

/// Everything an alert (or a schedule's template) says and to whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertContent {
    pub title: AlertTitle,
    pub message: AlertMessage,
    pub kind: AlertKind,
    pub audience: Audience,
    pub scope: ValidationScope,
    pub lifetime: Lifetime,
}

/// The raw fields of the alert form, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertFields {
    pub title: String,
    pub message: String,
    pub kind: String,
    pub audience: String,
    pub scope: String,
    pub lifetime_days: String,
}

impl AlertFields {
    /// Parses every field, collecting one problem per invalid field.
    pub fn parse(&self) -> Result<AlertContent, Vec<crate::error::FieldProblem>> {
        let mut problems = Vec::new();
        let mut check = |field: &str, r: Result<(), Problem>| {
            if let Err(problem) = r {
                problems.push(crate::error::FieldProblem {
                    field: field.to_owned(),
                    problem,
                });
            }
        };
        let title = AlertTitle::parse(&self.title);
        check("title", title.as_ref().map(|_| ()).map_err(|p| *p));
        let message = AlertMessage::parse(&self.message);
        check("message", message.as_ref().map(|_| ()).map_err(|p| *p));
        let kind = self.kind.parse::<AlertKind>();
        check("kind", kind.map(|_| ()));
        let audience = self.audience.parse::<Audience>();
        check("audience", audience.map(|_| ()));
        let scope = self.scope.parse::<ValidationScope>();
        check("scope", scope.map(|_| ()));
        let lifetime = Lifetime::parse(&self.lifetime_days);
        check("lifetime_days", lifetime.map(|_| ()));
        match (title, message, kind, audience, scope, lifetime) {
            (Ok(title), Ok(message), Ok(kind), Ok(audience), Ok(scope), Ok(lifetime)) => {
                Ok(AlertContent {
                    title,
                    message,
                    kind,
                    audience,
                    scope,
                    lifetime,
                })
            }
            _ => Err(problems),
        }
    }
}

/// An alert waiting for the signed-in user's confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingAlert {
    pub id: i64,
    pub title: String,
    pub message: String,
    pub kind: AlertKind,
}

/// One alert in the admin list, with its confirmation count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertSummary {
    pub id: i64,
    pub title: String,
    pub message: String,
    pub kind: AlertKind,
    pub audience: Audience,
    /// The audience in words (organisation name or role), for the list.
    pub audience_name: Option<String>,
    pub scope: ValidationScope,
    pub lifetime_days: Option<i32>,
    /// `dd/mm/yyyy hh:mm`, Europe/Paris.
    pub published: String,
    pub expires: Option<String>,
    pub expired: bool,
    /// Users (each_user) or organisations (one_per_organisation) addressed, and how many confirmed.
    pub addressed: i64,
    pub confirmed: i64,
    pub schedule_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    pub display_name: String,
    pub email: String,
    pub organisation_name: String,
    pub action: Dismissal,
    /// `dd/mm/yyyy hh:mm`, Europe/Paris.
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertReport {
    pub summary: AlertSummary,
    pub confirmations: Vec<Confirmation>,
}

/// A recurring schedule as shown and edited by admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleView {
    pub id: i64,
    pub name: String,
    pub active: bool,
    pub interval_weeks: i32,
    /// ISO weekday, 1 = Monday.
    pub weekday: i16,
    /// `HH:MM`.
    pub local_time: String,
    pub time_zone: String,
    /// `YYYY-MM-DD`.
    pub first_date: String,
    pub template: AlertFields,
    /// The next five runs, `dd/mm/yyyy hh:mm` in the schedule's time zone.
    pub next_runs: Vec<String>,
}

/// The raw fields of the schedule form's timing part.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleTiming {
    pub interval_weeks: String,
    pub weekday: String,
    pub local_time: String,
    pub time_zone: String,
    pub first_date: String,
}

impl fmt::Display for AlertKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audience_round_trips_through_the_form_value() {
        for audience in [
            Audience::Everyone,
            Audience::Organisation(42),
            Audience::Role(Role::Viewer),
        ] {
            assert_eq!(audience.form_value().parse::<Audience>(), Ok(audience));
            let (org, role) = audience.columns();
            assert_eq!(Audience::from_columns(org, role), audience);
        }
        assert_eq!(
            "role:boss".parse::<Audience>(),
            Err(Problem::AudienceUnknown)
        );
        assert_eq!(
            "organisation:x".parse::<Audience>(),
            Err(Problem::AudienceUnknown)
        );
        assert_eq!("".parse::<Audience>(), Err(Problem::AudienceUnknown));
    }

    #[test]
    fn fields_report_every_problem() {
        let fields = AlertFields {
            title: "  ".into(),
            message: "\r\n".into(),
            kind: "urgent".into(),
            audience: "everyone".into(),
            scope: "each_user".into(),
            lifetime_days: "0".into(),
        };
        let problems = fields.parse().unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["title", "message", "kind", "lifetime_days"]);
    }

    #[test]
    fn message_line_breaks_are_normalised() {
        let m = AlertMessage::parse("  Ligne 1\r\nLigne 2\rLigne 3 ").unwrap();
        assert_eq!(m.as_str(), "Ligne 1\nLigne 2\nLigne 3");
        assert_eq!(
            AlertMessage::parse(&"x".repeat(MESSAGE_MAX + 1)),
            Err(Problem::MessageTooLong)
        );
    }

    #[test]
    fn lifetime_is_optional_and_bounded() {
        assert_eq!(Lifetime::parse(""), Ok(Lifetime(None)));
        assert_eq!(Lifetime::parse(" 7 "), Ok(Lifetime(Some(7))));
        assert_eq!(Lifetime::parse("-1"), Err(Problem::LifetimeInvalid));
        assert_eq!(Lifetime::parse("3651"), Err(Problem::LifetimeInvalid));
        assert_eq!(Lifetime::parse("deux"), Err(Problem::LifetimeInvalid));
    }
}
