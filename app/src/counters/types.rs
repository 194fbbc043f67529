//! Checked values of a counter: built only through their constructors.

use super::SiteFields;
use crate::alerts::schedule::{parse_local_time, parse_time_zone};
use crate::error::{AppError, FieldProblem, Problem};
use chrono::NaiveTime;
use chrono_tz::Tz;
use std::net::IpAddr;

/// A shop code: 1 to 50 letters, digits, `.`, `_` or `-`, starting with a letter or digit.
/// The alphabet keeps codes safe in URLs, CSV files and PostgreSQL's COPY text format.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShopCode(String);

impl ShopCode {
    pub const MAX_LEN: usize = 50;

    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let code = raw.trim();
        let mut chars = code.chars();
        let valid = code.len() <= Self::MAX_LEN
            && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if valid {
            Ok(ShopCode(code.to_owned()))
        } else {
            Err(Problem::ShopCodeInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An ISO 3166-1 alpha-2 country code that exists (checked against celes' table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryCode(String);

impl CountryCode {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let code = raw.trim().to_ascii_uppercase();
        if code.len() == 2 && celes::Country::from_alpha2(&code).is_ok() {
            Ok(CountryCode(code))
        } else {
            Err(Problem::CountryInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A counter's validated fields, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteInput {
    pub id: Option<i64>,
    pub organisation_id: i64,
    pub shop_code: ShopCode,
    pub name: String,
    pub ip: Option<IpAddr>,
    pub country: CountryCode,
    pub city: String,
    pub opens_at: NaiveTime,
    pub closes_at: NaiveTime,
    pub time_zone: Tz,
}

fn text(raw: &str, max: usize, required: Problem, too_long: Problem) -> Result<String, Problem> {
    let value = raw.trim();
    if value.is_empty() {
        Err(required)
    } else if value.chars().count() > max {
        Err(too_long)
    } else {
        Ok(value.to_owned())
    }
}

impl SiteInput {
    /// Every field's problem at once, so the form can show them all.
    pub fn parse(fields: &SiteFields) -> Result<Self, AppError> {
        let mut problems = Vec::new();
        let mut check = |field: &str, result: Result<(), Problem>| {
            if let Err(problem) = result {
                problems.push(FieldProblem {
                    field: field.to_owned(),
                    problem,
                });
            }
        };
        let id = match fields.id.trim() {
            "" => Ok(None),
            raw => raw.parse().map(Some).map_err(|_| Problem::SiteUnknown),
        };
        let organisation_id = fields
            .organisation_id
            .trim()
            .parse::<i64>()
            .map_err(|_| Problem::OrganisationUnknown);
        let shop_code = ShopCode::parse(&fields.shop_code);
        let name = text(
            &fields.name,
            120,
            Problem::NameRequired,
            Problem::NameTooLong,
        );
        let ip = match fields.ip.trim() {
            "" => Ok(None),
            raw => raw
                .parse::<IpAddr>()
                .map(Some)
                .map_err(|_| Problem::IpInvalid),
        };
        let country = CountryCode::parse(&fields.country);
        let city = text(
            &fields.city,
            120,
            Problem::CityRequired,
            Problem::CityTooLong,
        );
        let opens_at = parse_local_time(&fields.opens_at);
        let closes_at = parse_local_time(&fields.closes_at);
        let time_zone = parse_time_zone(&fields.time_zone);
        check("id", id.as_ref().map(|_| ()).map_err(|p| *p));
        check(
            "organisation_id",
            organisation_id.as_ref().map(|_| ()).map_err(|p| *p),
        );
        check("shop_code", shop_code.as_ref().map(|_| ()).map_err(|p| *p));
        check("name", name.as_ref().map(|_| ()).map_err(|p| *p));
        check("ip", ip.as_ref().map(|_| ()).map_err(|p| *p));
        check("country", country.as_ref().map(|_| ()).map_err(|p| *p));
        check("city", city.as_ref().map(|_| ()).map_err(|p| *p));
        check("opens_at", opens_at.as_ref().map(|_| ()).map_err(|p| *p));
        check("closes_at", closes_at.as_ref().map(|_| ()).map_err(|p| *p));
        check("time_zone", time_zone.as_ref().map(|_| ()).map_err(|p| *p));
        if let (Ok(open), Ok(close)) = (&opens_at, &closes_at)
            && close <= open
        {
            check("closes_at", Err(Problem::ClosingBeforeOpening));
        }
        match (
            id,
            organisation_id,
            shop_code,
            name,
            ip,
            country,
            city,
            opens_at,
            closes_at,
            time_zone,
        ) {
            (
                Ok(id),
                Ok(organisation_id),
                Ok(shop_code),
                Ok(name),
                Ok(ip),
                Ok(country),
                Ok(city),
                Ok(opens_at),
                Ok(closes_at),
                Ok(time_zone),
            ) if problems.is_empty() => Ok(SiteInput {
                id,
                organisation_id,
                shop_code,
                name,
                ip,
                country,
                city,
                opens_at,
                closes_at,
                time_zone,
            }),
            _ => Err(AppError::Invalid(problems)),
        }
    }
}

/// The reason a counter is not operational: required, 1 to 500 characters.
pub fn parse_reason(raw: &str) -> Result<String, Problem> {
    text(raw, 500, Problem::ReasonRequired, Problem::ReasonTooLong)
}

/// A store group's name: 1 to 80 characters.
pub fn parse_group_name(raw: &str) -> Result<String, Problem> {
    text(raw, 80, Problem::NameRequired, Problem::NameTooLong)
}

/// An API token's name: 1 to 80 characters.
pub fn parse_token_name(raw: &str) -> Result<String, Problem> {
    text(raw, 80, Problem::NameRequired, Problem::NameTooLong)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> SiteFields {
        SiteFields {
            id: String::new(),
            organisation_id: "3".into(),
            shop_code: "PAR-001".into(),
            name: "Paris Rivoli".into(),
            ip: "192.168.1.20".into(),
            country: "fr".into(),
            city: "Paris".into(),
            opens_at: "09:30".into(),
            closes_at: "19:30".into(),
            time_zone: "Europe/Paris".into(),
        }
    }

    #[test]
    fn shop_codes() {
        assert!(ShopCode::parse(" PAR-001 ").is_ok());
        assert!(ShopCode::parse("a.b_c-9").is_ok());
        assert!(ShopCode::parse(&"X".repeat(50)).is_ok());
        for bad in ["", "-A", "A B", "A\tB", "A\\B", "é1", &"X".repeat(51)] {
            assert_eq!(
                ShopCode::parse(bad),
                Err(Problem::ShopCodeInvalid),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn countries() {
        assert_eq!(CountryCode::parse("fr").map(|c| c.0), Ok("FR".into()));
        assert!(CountryCode::parse("BE").is_ok());
        assert_eq!(CountryCode::parse("XX"), Err(Problem::CountryInvalid));
        assert_eq!(CountryCode::parse("FRA"), Err(Problem::CountryInvalid));
    }

    #[test]
    fn a_valid_site_parses() {
        let site = SiteInput::parse(&valid()).unwrap();
        assert_eq!(site.country.as_str(), "FR");
        assert_eq!(site.time_zone, chrono_tz::Europe::Paris);
        assert!(site.ip.is_some());
        let no_ip = SiteFields {
            ip: " ".into(),
            ..valid()
        };
        assert_eq!(SiteInput::parse(&no_ip).unwrap().ip, None);
        let v6 = SiteFields {
            ip: "2001:db8::1".into(),
            ..valid()
        };
        assert!(SiteInput::parse(&v6).is_ok());
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let fields = SiteFields {
            id: String::new(),
            organisation_id: "x".into(),
            shop_code: "A B".into(),
            name: " ".into(),
            ip: "999.1.1.1".into(),
            country: "ZZ".into(),
            city: String::new(),
            opens_at: "25:00".into(),
            closes_at: "19:00".into(),
            time_zone: "Europe/Pariss".into(),
        };
        let Err(AppError::Invalid(list)) = SiteInput::parse(&fields) else {
            panic!("expected field problems");
        };
        let got: Vec<(&str, Problem)> =
            list.iter().map(|p| (p.field.as_str(), p.problem)).collect();
        assert_eq!(
            got,
            vec![
                ("organisation_id", Problem::OrganisationUnknown),
                ("shop_code", Problem::ShopCodeInvalid),
                ("name", Problem::NameRequired),
                ("ip", Problem::IpInvalid),
                ("country", Problem::CountryInvalid),
                ("city", Problem::CityRequired),
                ("opens_at", Problem::TimeInvalid),
                ("time_zone", Problem::TimeZoneUnknown),
            ]
        );
    }

    #[test]
    fn closing_must_follow_opening() {
        let fields = SiteFields {
            closes_at: "09:00".into(),
            ..valid()
        };
        assert_eq!(
            SiteInput::parse(&fields)
                .unwrap_err()
                .problem_for("closes_at"),
            Some(Problem::ClosingBeforeOpening)
        );
    }

    #[test]
    fn reasons_and_names() {
        assert_eq!(parse_reason("  "), Err(Problem::ReasonRequired));
        assert_eq!(parse_reason(&"x".repeat(501)), Err(Problem::ReasonTooLong));
        assert_eq!(parse_reason(" Travaux "), Ok("Travaux".into()));
        assert_eq!(parse_group_name(""), Err(Problem::NameRequired));
        assert_eq!(parse_token_name(&"x".repeat(81)), Err(Problem::NameTooLong));
    }
}
