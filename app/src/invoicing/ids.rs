//! French business identifiers, checked by their keys: SIREN and SIRET (Luhn), intra-community VAT
//! number (FR key from the SIREN), IBAN (ISO 13616 mod 97) and BIC (ISO 9362 shape).

use crate::error::Problem;
use serde::{Deserialize, Serialize};

fn digits_only(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
        .collect()
}

/// The Luhn check used by INSEE for SIREN and SIRET.
fn luhn_ok(digits: &str) -> bool {
    let sum: u32 = digits
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap_or(0);
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Siren(String);

impl Siren {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let d = digits_only(raw);
        if d.len() == 9 && d.chars().all(|c| c.is_ascii_digit()) && luhn_ok(&d) {
            Ok(Siren(d))
        } else {
            Err(Problem::SirenInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `123 456 789`.
    pub fn format(&self) -> String {
        format!("{} {} {}", &self.0[..3], &self.0[3..6], &self.0[6..])
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Siret(String);

/// La Poste's establishments do not follow Luhn; their SIRET digits sum to a multiple of 5.
const LA_POSTE_SIREN: &str = "356000000";

impl Siret {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let d = digits_only(raw);
        let shaped = d.len() == 14 && d.chars().all(|c| c.is_ascii_digit());
        let keyed = shaped
            && if d.starts_with(LA_POSTE_SIREN) {
                d.chars()
                    .filter_map(|c| c.to_digit(10))
                    .sum::<u32>()
                    .is_multiple_of(5)
            } else {
                luhn_ok(&d) && luhn_ok(&d[..9])
            };
        if keyed {
            Ok(Siret(d))
        } else {
            Err(Problem::SiretInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn siren(&self) -> &str {
        &self.0[..9]
    }
}

/// An intra-community VAT number. French ones (`FR` + 2-digit key + SIREN) have their key
/// checked; other EU numbers are checked for shape only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatNumber(String);

pub fn french_vat_key(siren: &Siren) -> u32 {
    let n: u64 = siren.as_str().parse().unwrap_or(0);
    ((12 + 3 * (n % 97)) % 97) as u32
}

impl VatNumber {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let v: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
            .collect::<String>()
            .to_uppercase();
        // Every accepted number is ASCII; checking it first keeps the slices below on character
        // boundaries (`A€BC` must be refused, not panic).
        if !v.is_ascii() {
            return Err(Problem::VatNumberInvalid);
        }
        if let Some(rest) = v.strip_prefix("FR") {
            let ok = rest.len() == 11
                && rest[..2].chars().all(|c| c.is_ascii_digit())
                && Siren::parse(&rest[2..])
                    .is_ok_and(|siren| rest[..2].parse::<u32>() == Ok(french_vat_key(&siren)));
            return if ok {
                Ok(VatNumber(v))
            } else {
                Err(Problem::VatNumberInvalid)
            };
        }
        let shaped = v.len() >= 4
            && v.len() <= 14
            && v[..2].chars().all(|c| c.is_ascii_uppercase())
            && v[2..].chars().all(|c| c.is_ascii_alphanumeric());
        if shaped {
            Ok(VatNumber(v))
        } else {
            Err(Problem::VatNumberInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The French VAT number of a SIREN.
    pub fn french(siren: &Siren) -> Self {
        VatNumber(format!("FR{:02}{}", french_vat_key(siren), siren.as_str()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Iban(String);

impl Iban {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let v: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        // ASCII first, so that the byte slices below stay on character boundaries.
        let shaped = v.is_ascii()
            && (15..=34).contains(&v.len())
            && v[..2].chars().all(|c| c.is_ascii_uppercase())
            && v[2..4].chars().all(|c| c.is_ascii_digit())
            && v.chars().all(|c| c.is_ascii_alphanumeric())
            && (!v.starts_with("FR") || v.len() == 27);
        if !shaped {
            return Err(Problem::IbanInvalid);
        }
        let rearranged = format!("{}{}", &v[4..], &v[..4]);
        let remainder = rearranged.chars().fold(0u32, |acc, c| {
            let value = c.to_digit(36).unwrap_or(0);
            if value < 10 {
                (acc * 10 + value) % 97
            } else {
                (acc * 100 + value) % 97
            }
        });
        if remainder == 1 {
            Ok(Iban(v))
        } else {
            Err(Problem::IbanInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Groups of four: `FR76 3000 6000 0112 3456 7890 189`.
    pub fn format(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bic(String);

impl Bic {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let v = raw.trim().to_uppercase();
        // ASCII first, so that the byte slices below stay on character boundaries.
        let ok = v.is_ascii()
            && (v.len() == 8 || v.len() == 11)
            && v[..6].chars().all(|c| c.is_ascii_uppercase())
            && v[6..].chars().all(|c| c.is_ascii_alphanumeric());
        if ok {
            Ok(Bic(v))
        } else {
            Err(Problem::BicInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_identifiers() {
        // Real published identifiers (INSEE, La Poste).
        assert!(Siren::parse("732 829 320").is_ok());
        assert_eq!(Siren::parse("732829321"), Err(Problem::SirenInvalid));
        assert_eq!(Siren::parse("73282932"), Err(Problem::SirenInvalid));
        assert!(Siret::parse("732 829 320 00074").is_ok());
        assert_eq!(Siret::parse("73282932000075"), Err(Problem::SiretInvalid));
        assert!(
            Siret::parse("35600000000001").is_ok(),
            "La Poste: digit sum multiple of 5"
        );
        assert!(Siret::parse("35600000000002").is_err());
        let siren = Siren::parse("732829320").unwrap();
        assert_eq!(VatNumber::french(&siren).as_str(), "FR44732829320");
        assert!(VatNumber::parse("FR 44 732 829 320").is_ok());
        assert_eq!(
            VatNumber::parse("FR45732829320"),
            Err(Problem::VatNumberInvalid)
        );
        assert!(VatNumber::parse("DE123456789").is_ok());
        assert!(Iban::parse("FR76 3000 6000 0112 3456 7890 189").is_ok());
        assert_eq!(
            Iban::parse("FR76 3000 6000 0112 3456 7890 188"),
            Err(Problem::IbanInvalid)
        );
        assert_eq!(
            Iban::parse("FR7630006000011234567890189").unwrap().format(),
            "FR76 3000 6000 0112 3456 7890 189"
        );
        assert!(Bic::parse("BNPAFRPPXXX").is_ok());
        assert_eq!(Bic::parse("BNP"), Err(Problem::BicInvalid));
    }

    /// Completes 8 digits with the Luhn key.
    fn with_key(base: u32) -> String {
        let digits = format!("{base:08}");
        (0..10)
            .map(|k| format!("{digits}{k}"))
            .find(|candidate| luhn_ok(candidate))
            .unwrap()
    }

    proptest! {
        #[test]
        fn every_keyed_siren_passes_and_any_single_digit_change_fails(
            base in 0u32..100_000_000,
            position in 0usize..9,
            delta in 1u32..10,
        ) {
            let valid = with_key(base);
            prop_assert!(Siren::parse(&valid).is_ok());
            let mut digits: Vec<u32> = valid.chars().map(|c| c.to_digit(10).unwrap()).collect();
            digits[position] = (digits[position] + delta) % 10;
            let changed: String = digits.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect();
            prop_assert!(Siren::parse(&changed).is_err());
            // The French VAT number of a valid SIREN is itself valid.
            let siren = Siren::parse(&valid).unwrap();
            prop_assert!(VatNumber::parse(VatNumber::french(&siren).as_str()).is_ok());
        }
    }
}
