//! Money rules, shared by the server and the browser's live line editor: integer cents, VAT
//! rates and discounts in basis points, quantities in thousandths. Line totals excluding tax are
//! rounded per line; discounts come before VAT; VAT is computed per rate on the discounted base
//! and rounded once per rate; totals are exact sums. Rounding is half away from zero.

use crate::error::Problem;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Rounds `numerator / denominator` half away from zero (`denominator` > 0).
fn div_round(numerator: i128, denominator: i128) -> i128 {
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    if remainder.abs() * 2 >= denominator {
        quotient + numerator.signum()
    } else {
        quotient
    }
}

/// `units,decimals` as an integer count of 10^-`places` (ASCII digits only, at most `places`
/// decimals; empty units read as zero): the one decimal reader of amounts, quantities and
/// percentages, with integers so that no f64 parser reaches the browser's WebAssembly.
fn fixed_point(units: &str, decimals: &str, places: usize) -> Option<i64> {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(units) || !digits(decimals) || decimals.len() > places {
        return None;
    }
    let whole: i64 = if units.is_empty() {
        0
    } else {
        units.parse().ok()?
    };
    let fraction: i64 = format!("{decimals:0<places$}").parse().ok()?;
    whole
        .checked_mul(10_i64.pow(places as u32))?
        .checked_add(fraction)
}

/// An amount in euro cents.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Cents(pub i64);

impl Cents {
    /// Parses `1234,56`, `1 234.5`, `12` (euros) into cents; at most two decimals.
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let cleaned: String = raw
            .trim()
            .trim_end_matches('€')
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        let (negative, digits) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, cleaned.as_str()),
        };
        let (units, decimals) = match digits.split_once([',', '.']) {
            Some((u, d)) => (u, d),
            None => (digits, ""),
        };
        let cents = (!units.is_empty() && units.len() <= 13)
            .then(|| fixed_point(units, decimals, 2))
            .flatten()
            .ok_or(Problem::AmountInvalid)?;
        Ok(Cents(if negative { -cents } else { cents }))
    }

    /// French format: `1 234,56 €` (no-break spaces).
    pub fn format(self) -> String {
        format!("{}\u{a0}€", self.format_number())
    }

    /// `1 234,56`, for tables and inputs.
    pub fn format_number(self) -> String {
        let abs = self.0.unsigned_abs();
        let grouped = crate::format::group_digits(&(abs / 100).to_string());
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{sign}{grouped},{:02}", abs % 100)
    }
}

/// A quantity with up to three decimals, in thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Quantity(pub i64);

pub const QUANTITY_MAX: i64 = 1_000_000_000 * 1000;

impl Quantity {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let raw = raw.trim().replace([' ', '\u{a0}'], "");
        let (units, decimals) = match raw.split_once([',', '.']) {
            Some((u, d)) => (u.to_owned(), d.to_owned()),
            None => (raw.clone(), String::new()),
        };
        let q = (!units.is_empty() && units.len() <= 10)
            .then(|| fixed_point(&units, &decimals, 3))
            .flatten()
            .ok_or(Problem::QuantityInvalid)?;
        if q == 0 || q > QUANTITY_MAX {
            return Err(Problem::QuantityInvalid);
        }
        Ok(Quantity(q))
    }

    /// `1,5` — trailing zeros dropped.
    pub fn format(self) -> String {
        let units = self.0 / 1000;
        let decimals = self.0 % 1000;
        if decimals == 0 {
            units.to_string()
        } else {
            format!("{units},{}", format!("{decimals:03}").trim_end_matches('0'))
        }
    }
}

impl Quantity {
    /// `2 jours`, `1,5 jour`, `3 h`: the unit as typed, in the plural when French wants it (two
    /// or more: CLDR's "one" covers 0 to 1,999) and it is a word. Abbreviations (`h`, `kg`, `m²`)
    /// and words already plural stay as they are.
    pub fn with_unit(self, unit: &str) -> String {
        let unit = unit.trim();
        let quantity = self.format();
        if unit.is_empty() {
            return quantity;
        }
        let word = unit.chars().count() >= 3 && unit.chars().all(char::is_alphabetic);
        let plural = self.0 >= 2000 && word && !unit.ends_with(['s', 'x', 'z']);
        if plural {
            format!("{quantity} {unit}s")
        } else {
            format!("{quantity} {unit}")
        }
    }
}

/// A percentage written `20`, `5,5`, `12.25 %` in basis points, or `None`. Exact: a third
/// decimal other than zero is refused rather than rounded.
fn percent_basis_points(raw: &str) -> Option<u16> {
    let raw = raw.trim().trim_end_matches('%').trim_end();
    let (units, decimals) = raw.split_once([',', '.']).unwrap_or((raw, ""));
    if !decimals.is_ascii() {
        return None; // and `split_at` below stays on a character boundary
    }
    let (kept, zeros) = decimals.split_at(decimals.len().min(2));
    let valid = !(units.is_empty() && decimals.is_empty())
        && units.len() <= 3
        && zeros.bytes().all(|b| b == b'0');
    let bp = valid.then(|| fixed_point(units, kept, 2)).flatten()?;
    u16::try_from(bp).ok().filter(|bp| *bp <= 10_000)
}

/// A French VAT rate, in basis points (2000 = 20 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct VatRate(u16);

impl VatRate {
    /// The rates in force in France (mainland, Corsica, overseas departments).
    pub const ALLOWED: [u16; 7] = [0, 210, 550, 850, 1000, 1300, 2000];

    pub fn new(basis_points: u16) -> Result<Self, Problem> {
        if Self::ALLOWED.contains(&basis_points) {
            Ok(VatRate(basis_points))
        } else {
            Err(Problem::VatRateInvalid)
        }
    }

    /// `20`, `5,5`, `20 %`.
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        Self::new(percent_basis_points(raw).ok_or(Problem::VatRateInvalid)?)
    }

    pub fn basis_points(self) -> u16 {
        self.0
    }

    /// `20 %`, `5,5 %`.
    pub fn format(self) -> String {
        let whole = self.0 / 100;
        let frac = self.0 % 100;
        if frac == 0 {
            format!("{whole}\u{a0}%")
        } else {
            format!(
                "{whole},{}\u{a0}%",
                format!("{frac:02}").trim_end_matches('0')
            )
        }
    }
}

/// A discount in basis points, 0 to 100 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Discount(pub u16);

impl Discount {
    /// `12,15` (percent, for inputs).
    pub fn format_percent(self) -> String {
        let whole = self.0 / 100;
        let frac = self.0 % 100;
        if frac == 0 {
            whole.to_string()
        } else {
            format!("{whole},{}", format!("{frac:02}").trim_end_matches('0'))
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Problem> {
        if raw.trim().trim_end_matches('%').trim().is_empty() {
            return Ok(Discount(0));
        }
        percent_basis_points(raw)
            .map(Discount)
            .ok_or(Problem::DiscountInvalid)
    }
}

/// One line as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineAmounts {
    pub quantity: Quantity,
    pub unit_price: Cents,
    pub vat_rate: VatRate,
    pub discount: Discount,
}

impl LineAmounts {
    /// Quantity × unit price, less the line discount, rounded to the cent once.
    pub fn total_excl_tax(&self) -> Result<Cents, Problem> {
        let gross = self.quantity.0 as i128 * self.unit_price.0 as i128;
        let net = gross * (10_000 - self.discount.0 as i128);
        let cents = div_round(net, 1000 * 10_000);
        i64::try_from(cents)
            .map(Cents)
            .map_err(|_| Problem::AmountTooLarge)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatLine {
    pub rate: VatRate,
    /// Sum of the line totals at this rate, before the global discount.
    pub lines_total: Cents,
    /// The taxable base after the global discount.
    pub base: Cents,
    pub vat: Cents,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub lines: Vec<Cents>,
    /// Sum of the line totals excluding tax.
    pub lines_total: Cents,
    pub global_discount: Cents,
    /// The global discount's rate, shown beside its amount.
    #[serde(default)]
    pub global_discount_rate: Discount,
    pub total_excl_tax: Cents,
    pub vat: Vec<VatLine>,
    pub total_vat: Cents,
    pub total_incl_tax: Cents,
}

/// A document's totals. The global discount applies to each rate's base (so VAT is computed on
/// what is actually charged); VAT is rounded once per rate.
pub fn totals(lines: &[LineAmounts], global_discount: Discount) -> Result<Totals, Problem> {
    let line_totals = lines
        .iter()
        .map(LineAmounts::total_excl_tax)
        .collect::<Result<Vec<_>, _>>()?;
    let mut per_rate: BTreeMap<VatRate, i128> = BTreeMap::new();
    for (line, total) in lines.iter().zip(&line_totals) {
        *per_rate.entry(line.vat_rate).or_default() += total.0 as i128;
    }
    let to_cents = |v: i128| {
        i64::try_from(v)
            .map(Cents)
            .map_err(|_| Problem::AmountTooLarge)
    };
    let mut vat = Vec::new();
    let (mut lines_sum, mut base_sum, mut vat_sum) = (0i128, 0i128, 0i128);
    for (rate, lines_total) in per_rate {
        let discount = div_round(lines_total * global_discount.0 as i128, 10_000);
        let base = lines_total - discount;
        let tax = div_round(base * rate.0 as i128, 10_000);
        lines_sum += lines_total;
        base_sum += base;
        vat_sum += tax;
        vat.push(VatLine {
            rate,
            lines_total: to_cents(lines_total)?,
            base: to_cents(base)?,
            vat: to_cents(tax)?,
        });
    }
    Ok(Totals {
        lines: line_totals,
        lines_total: to_cents(lines_sum)?,
        global_discount: to_cents(lines_sum - base_sum)?,
        global_discount_rate: global_discount,
        total_excl_tax: to_cents(base_sum)?,
        vat,
        total_vat: to_cents(vat_sum)?,
        total_incl_tax: to_cents(base_sum + vat_sum)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn units_take_the_plural_from_two() {
        assert_eq!(Quantity(2000).with_unit("jour"), "2 jours");
        assert_eq!(Quantity(1500).with_unit("jour"), "1,5 jour");
        assert_eq!(Quantity(1000).with_unit("heure"), "1 heure");
        assert_eq!(Quantity(3000).with_unit("h"), "3 h");
        assert_eq!(Quantity(3000).with_unit("kg"), "3 kg");
        assert_eq!(Quantity(3000).with_unit("m²"), "3 m²");
        assert_eq!(Quantity(2000).with_unit("mois"), "2 mois");
        assert_eq!(Quantity(2000).with_unit(""), "2");
    }

    fn line(qty: &str, price: i64, rate: u16, discount: u16) -> LineAmounts {
        LineAmounts {
            quantity: Quantity::parse(qty).unwrap(),
            unit_price: Cents(price),
            vat_rate: VatRate::new(rate).unwrap(),
            discount: Discount(discount),
        }
    }

    #[test]
    fn french_formats() {
        assert_eq!(Cents(123_456).format(), "1\u{a0}234,56\u{a0}€");
        assert_eq!(Cents(-5).format_number(), "-0,05");
        assert_eq!(Cents(100_000_000).format_number(), "1\u{a0}000\u{a0}000,00");
        assert_eq!(Quantity(1500).format(), "1,5");
        assert_eq!(Quantity(2000).format(), "2");
        assert_eq!(VatRate::new(550).unwrap().format(), "5,5\u{a0}%");
        assert_eq!(VatRate::new(2000).unwrap().format(), "20\u{a0}%");
    }

    #[test]
    fn parsing() {
        assert_eq!(Cents::parse("1 234,56 €"), Ok(Cents(123_456)));
        assert_eq!(Cents::parse("12.5"), Ok(Cents(1250)));
        assert_eq!(Cents::parse("12,345"), Err(Problem::AmountInvalid));
        assert_eq!(Cents::parse("douze"), Err(Problem::AmountInvalid));
        assert_eq!(Quantity::parse("1,25"), Ok(Quantity(1250)));
        assert_eq!(Quantity::parse("0"), Err(Problem::QuantityInvalid));
        assert_eq!(Quantity::parse("1,2345"), Err(Problem::QuantityInvalid));
        assert_eq!(VatRate::parse("5,5 %").map(VatRate::basis_points), Ok(550));
        assert_eq!(VatRate::parse("19,6"), Err(Problem::VatRateInvalid));
        assert_eq!(Discount::parse(""), Ok(Discount(0)));
        assert_eq!(Discount::parse("101"), Err(Problem::DiscountInvalid));
    }

    #[test]
    fn percentages_are_read_exactly() {
        let bp = |raw: &str| Discount::parse(raw).map(|d| d.0);
        assert_eq!(bp("12,25 %"), Ok(1225));
        assert_eq!(bp("12.5"), Ok(1250));
        assert_eq!(bp(",5"), Ok(50));
        assert_eq!(bp("7,"), Ok(700));
        assert_eq!(bp("100,00"), Ok(10_000));
        assert_eq!(bp("5,500"), Ok(550));
        assert_eq!(bp("%"), Ok(0));
        for refused in [
            "12,345", "100,01", "1e1", "-5", "+5", "inf", "NaN", ",", "1 0", "٣", "5,aé", "5,é",
        ] {
            assert_eq!(bp(refused), Err(Problem::DiscountInvalid), "{refused}");
        }
        assert_eq!(VatRate::parse("20,0").map(VatRate::basis_points), Ok(2000));
        assert_eq!(VatRate::parse("2.1").map(VatRate::basis_points), Ok(210));
        assert_eq!(VatRate::parse("20,001"), Err(Problem::VatRateInvalid));
        assert_eq!(VatRate::parse(""), Err(Problem::VatRateInvalid));
    }

    proptest! {
        /// Every percentage with up to two decimals, written the French or the English way,
        /// reads back as its basis points.
        #[test]
        fn written_percentages_read_back(bp in 0u16..=10_000, comma: bool, suffix: bool) {
            let separator = if comma { ',' } else { '.' };
            let written = format!(
                "{}{separator}{:02}{}",
                bp / 100,
                bp % 100,
                if suffix { " %" } else { "" }
            );
            prop_assert_eq!(Discount::parse(&written), Ok(Discount(bp)));
        }
    }

    #[test]
    fn a_worked_example() {
        // 3 × 19,99 € at 20 %, 1,5 × 40,00 € at 5,5 % with 10 % off, 5 % off everything.
        let t = totals(
            &[line("3", 1999, 2000, 0), line("1,5", 4000, 550, 1000)],
            Discount(500),
        )
        .unwrap();
        assert_eq!(t.lines, [Cents(5997), Cents(5400)]);
        assert_eq!(t.lines_total, Cents(11_397));
        // 5,5 %: 5400 − 270 = 5130 → VAT 282,15 → 282; 20 %: 5997 − 299,85 → 300 → 5697 → 1139,4 → 1139.
        assert_eq!(t.vat[0].base, Cents(5130));
        assert_eq!(t.vat[0].vat, Cents(282));
        assert_eq!(t.vat[1].base, Cents(5697));
        assert_eq!(t.vat[1].vat, Cents(1139));
        assert_eq!(t.global_discount, Cents(570));
        assert_eq!(t.total_excl_tax, Cents(10_827));
        assert_eq!(t.total_incl_tax, Cents(10_827 + 1421));
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(div_round(5, 10), 1);
        assert_eq!(div_round(-5, 10), -1);
        assert_eq!(div_round(4, 10), 0);
        assert_eq!(line("1", 1, 550, 0).total_excl_tax(), Ok(Cents(1)));
        // 0,333 × 0,10 € = 0,0333 € → 0,03 €.
        assert_eq!(line("0,333", 10, 2000, 0).total_excl_tax(), Ok(Cents(3)));
    }

    fn any_line() -> impl Strategy<Value = LineAmounts> {
        (
            1i64..=1_000_000_000, // up to a million units, in thousandths
            0i64..=1_000_000_000, // up to 10 million euros a unit
            0usize..VatRate::ALLOWED.len(),
            0u16..=10_000,
        )
            .prop_map(|(q, p, r, d)| LineAmounts {
                quantity: Quantity(q),
                unit_price: Cents(p),
                vat_rate: VatRate(VatRate::ALLOWED[r]),
                discount: Discount(d),
            })
    }

    /// Half-up division for non-negative numbers, written differently from `div_round`.
    fn reference_round(n: u128, d: u128) -> u128 {
        (2 * n + d) / (2 * d)
    }

    proptest! {
        #[test]
        fn totals_are_the_sum_of_their_parts(
            lines in proptest::collection::vec(any_line(), 0..40),
            global in 0u16..=10_000,
        ) {
            let t = totals(&lines, Discount(global)).unwrap();
            prop_assert_eq!(t.lines_total.0, t.lines.iter().map(|c| c.0).sum::<i64>());
            prop_assert_eq!(t.total_vat.0, t.vat.iter().map(|v| v.vat.0).sum::<i64>());
            prop_assert_eq!(t.total_excl_tax.0, t.vat.iter().map(|v| v.base.0).sum::<i64>());
            prop_assert_eq!(t.total_incl_tax.0, t.total_excl_tax.0 + t.total_vat.0);
            prop_assert_eq!(t.lines_total.0 - t.global_discount.0, t.total_excl_tax.0);
            prop_assert!(t.global_discount.0 >= 0 && t.total_excl_tax.0 >= 0);
        }

        #[test]
        fn vat_per_rate_matches_a_reference_computation(
            lines in proptest::collection::vec(any_line(), 1..20),
            global in 0u16..=10_000,
        ) {
            let t = totals(&lines, Discount(global)).unwrap();
            for vat in &t.vat {
                let lines_total: u128 = lines
                    .iter()
                    .filter(|l| l.vat_rate == vat.rate)
                    .map(|l| reference_round(
                        l.quantity.0 as u128 * l.unit_price.0 as u128 * (10_000 - l.discount.0 as u128),
                        10_000_000,
                    ))
                    .sum();
                let base = lines_total - reference_round(lines_total * global as u128, 10_000);
                prop_assert_eq!(vat.base.0 as u128, base);
                prop_assert_eq!(vat.vat.0 as u128, reference_round(base * vat.rate.0 as u128, 10_000));
            }
        }

        #[test]
        fn amounts_round_trip_through_their_format(cents in -10_000_000_000i64..10_000_000_000) {
            let shown = Cents(cents).format();
            prop_assert_eq!(Cents::parse(&shown), Ok(Cents(cents)));
        }
    }
}
