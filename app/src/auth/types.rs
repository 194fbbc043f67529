//! Identity types shared by the server and the browser. Constructors check their input, so a
//! value of these types is always valid.

use crate::error::Problem;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Accountant,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Accountant, Role::Viewer];
    /// Who keeps the books: quotes, invoices, payments and their documents.
    pub const BOOKKEEPING: [Role; 2] = [Role::Admin, Role::Accountant];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Accountant => "accountant",
            Role::Viewer => "viewer",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Problem;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "admin" => Ok(Role::Admin),
            "accountant" => Ok(Role::Accountant),
            "viewer" => Ok(Role::Viewer),
            _ => Err(Problem::RoleUnknown),
        }
    }
}

/// A syntactically plausible e-mail address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let value = raw.trim().to_lowercase();
        let valid = value.len() <= 254
            && value.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && local.len() <= 64
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
                    && domain
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
                    && !local.chars().any(|c| c.is_whitespace() || c == '@')
            });
        if valid {
            Ok(Email(value))
        } else {
            Err(Problem::EmailInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's or organisation's display name: non-empty after trimming, at most 120 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_CHARS: usize = 120;

    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if value.is_empty() {
            Err(Problem::NameRequired)
        } else if value.chars().count() > Self::MAX_CHARS {
            Err(Problem::NameTooLong)
        } else {
            Ok(DisplayName(value))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password chosen by a user. Length is the rule that matters (NIST SP 800-63B); the upper
/// bound keeps hashing cost bounded.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 256;

    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let n = raw.chars().count();
        if n < Self::MIN_CHARS {
            Err(Problem::PasswordTooShort)
        } else if n > Self::MAX_CHARS {
            Err(Problem::PasswordTooLong)
        } else {
            Ok(NewPassword(raw.to_owned()))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// URL-safe organisation identifier: lower-case letters, digits and dashes, 2 to 63 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let value = raw.trim();
        let ok = (2..=63).contains(&value.len())
            && value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !value.starts_with('-')
            && !value.ends_with('-');
        if ok {
            Ok(Slug(value.to_owned()))
        } else {
            Err(Problem::SlugInvalid)
        }
    }

    /// Derives a slug from a free-form name ("Boutiques Bash & Co" → "boutiques-bash-co").
    pub fn from_name(name: &str) -> Result<Self, Problem> {
        let mut out = String::new();
        for c in name.chars().flat_map(fold_accent) {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        let trimmed: String = out.trim_end_matches('-').chars().take(63).collect();
        Slug::parse(trimmed.trim_end_matches('-'))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn fold_accent(c: char) -> Vec<char> {
    let folded = match c {
        'à' | 'â' | 'ä' | 'á' | 'À' | 'Â' | 'Ä' => 'a',
        'ç' | 'Ç' => 'c',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'î' | 'ï' | 'Î' | 'Ï' => 'i',
        'ô' | 'ö' | 'Ô' | 'Ö' => 'o',
        'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ÿ' => 'y',
        'œ' | 'Œ' => return vec!['o', 'e'],
        'æ' | 'Æ' => return vec!['a', 'e'],
        other => other,
    };
    vec![folded]
}

/// The signed-in user as the pages see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organisation_id: i64,
    pub organisation_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse("  Alice@Example.FR ").map(|e| e.0),
            Ok("alice@example.fr".into())
        );
        for bad in [
            "",
            "alice",
            "@example.fr",
            "alice@",
            "alice@fr",
            "a b@x.fr",
            "a@x..fr",
            "a@.x.fr",
        ] {
            assert_eq!(Email::parse(bad), Err(Problem::EmailInvalid), "{bad}");
        }
    }

    #[test]
    fn names_collapse_whitespace() {
        assert_eq!(
            DisplayName::parse("  Jean   Dupont ").map(|n| n.0),
            Ok("Jean Dupont".into())
        );
        assert_eq!(DisplayName::parse("   "), Err(Problem::NameRequired));
        assert_eq!(
            DisplayName::parse(&"x".repeat(121)),
            Err(Problem::NameTooLong)
        );
    }

    #[test]
    fn passwords() {
        assert_eq!(NewPassword::parse("court"), Err(Problem::PasswordTooShort));
        assert!(NewPassword::parse("assez-long-mot").is_ok());
        assert!(format!("{:?}", NewPassword::parse("assez-long-mot")).contains("***"));
    }

    #[test]
    fn slugs() {
        assert_eq!(
            Slug::from_name("Boutiques Bash & Co").map(|s| s.0),
            Ok("boutiques-bash-co".into())
        );
        assert_eq!(
            Slug::from_name("Pâtisserie Œuvre").map(|s| s.0),
            Ok("patisserie-oeuvre".into())
        );
        assert_eq!(Slug::parse("-x"), Err(Problem::SlugInvalid));
        assert_eq!(Slug::parse("A"), Err(Problem::SlugInvalid));
    }

    #[test]
    fn roles_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert_eq!("root".parse::<Role>(), Err(Problem::RoleUnknown));
    }

    proptest! {
        #[test]
        fn slug_from_any_name_is_valid_or_refused(name in "\\PC{0,80}") {
            if let Ok(slug) = Slug::from_name(&name) {
                prop_assert_eq!(Slug::parse(slug.as_str()), Ok(slug.clone()));
            }
        }

        #[test]
        fn parsed_email_is_stable(local in "[a-z0-9._%+-]{1,20}", domain in "[a-z0-9-]{1,20}\\.[a-z]{2,6}") {
            let email = Email::parse(&format!("{local}@{domain}")).expect("valid by construction");
            prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
        }
    }
}
