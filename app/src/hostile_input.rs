//! Every parser of the app's domain types, fed arbitrary Unicode: none panics (a panic in a server
//! function drops the connection and logs a backtrace), and what one accepts reads back the same
//! from its own written form. One list for all features, so that a new parser has an obvious home.

use crate::alerts::schedule::{parse_date, parse_local_time, parse_time_zone, parse_weekday};
use crate::alerts::{
    AlertFields, AlertKind, AlertMessage, AlertTitle, Audience, Dismissal, Lifetime,
    ValidationScope,
};
use crate::auth::types::{DisplayName, Email, NewPassword, Role, Slug};
use crate::counters::SiteFields;
use crate::counters::csv_input::CsvCounts;
use crate::counters::ingest::{Batch, Parser, parse_shop_code, text_row};
use crate::counters::rules::parse_day;
use crate::counters::types::{
    CountryCode, ShopCode, SiteInput, parse_group_name, parse_reason, parse_token_name,
};
use crate::documents::mail::SmtpTls;
use crate::invoicing::editing::EditorStep;
use crate::invoicing::ids::{Bic, Iban, Siren, Siret, VatNumber};
use crate::invoicing::money::{Cents, Discount, Quantity, VatRate};
use crate::invoicing::workflow::{DocumentKind, Status};
use crate::invoicing::{
    ArticleFields, ContactFields, DocumentFields, LineFields, PaymentMethod, SellerFields,
};
use crate::maintenance::rules::parse_paris;
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt::Debug;
use std::str::FromStr;

/// Arbitrary text: any Unicode, and short texts close to the accepted shapes with multi-byte
/// characters where a byte position would cut one (`A€BC`, `AAAAA€AAA`, `FR€1…`).
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[A-Za-z0-9 ,.:/%@+-]{0,36}",
        "(FR|DE|BE)?[A-Z0-9€éßİ ]{0,32}",
        "[0-9 ,.€ßé\u{a0}\u{202f}%-]{0,20}",
        "[a-z0-9.@éß€-]{0,30}",
    ]
}

/// Parsing what was written from an accepted value gives that value again.
fn reads_back<T: PartialEq + Debug, E: Debug>(
    parse: impl Fn(&str) -> Result<T, E>,
    write: impl Fn(&T) -> String,
    raw: &str,
) -> Result<(), TestCaseError> {
    if let Ok(value) = parse(raw) {
        let written = write(&value);
        let again = parse(&written);
        prop_assert!(
            again.as_ref().is_ok_and(|v| *v == value),
            "{raw:?} read as {value:?}, written {written:?}, read back as {again:?}"
        );
    }
    Ok(())
}

fn from_str_reads_back<T: FromStr + PartialEq + Debug + ToString>(
    raw: &str,
) -> Result<(), TestCaseError>
where
    T::Err: Debug,
{
    reads_back(T::from_str, T::to_string, raw)
}

/// A form's fields with every text replaced by one of `texts` (in turn): the forms are read by
/// serde from whatever a client posts, so any text can reach every field.
fn form<T: Default + Serialize + DeserializeOwned>(texts: &[String]) -> T {
    fn fill(value: &mut Value, texts: &[String], next: &mut usize) {
        match value {
            Value::String(s) if !texts.is_empty() => {
                *s = texts[*next % texts.len()].clone();
                *next += 1;
            }
            Value::Array(items) => items.iter_mut().for_each(|v| fill(v, texts, next)),
            Value::Object(fields) => fields.values_mut().for_each(|v| fill(v, texts, next)),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(T::default()).unwrap_or(Value::Null);
    fill(&mut value, texts, &mut 0);
    serde_json::from_value(value).unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn identifiers_never_panic_and_read_back(raw in hostile()) {
        reads_back(Siren::parse, |v| v.format(), &raw)?;
        reads_back(Siret::parse, |v| v.as_str().to_owned(), &raw)?;
        reads_back(VatNumber::parse, |v| v.as_str().to_owned(), &raw)?;
        reads_back(Iban::parse, |v| v.format(), &raw)?;
        reads_back(Bic::parse, |v| v.as_str().to_owned(), &raw)?;
    }

    #[test]
    fn amounts_and_rates_never_panic_and_read_back(raw in hostile()) {
        reads_back(Cents::parse, |v| v.format(), &raw)?;
        reads_back(Quantity::parse, |v| v.format(), &raw)?;
        reads_back(VatRate::parse, |v| v.format(), &raw)?;
        reads_back(Discount::parse, |v| v.format_percent(), &raw)?;
        reads_back(PaymentMethod::parse, |v| v.as_str().to_owned(), &raw)?;
        reads_back(DocumentKind::from_str, |v| v.as_str().to_owned(), &raw)?;
        reads_back(Status::from_str, |v| v.as_str().to_owned(), &raw)?;
        let step = EditorStep::parse(&raw);
        if let EditorStep::RemoveLine(n) = step {
            prop_assert_eq!(EditorStep::parse(&EditorStep::remove_value(n)), step);
        }
    }

    #[test]
    fn identity_types_never_panic_and_read_back(raw in hostile()) {
        from_str_reads_back::<Role>(&raw)?;
        reads_back(Email::parse, |v| v.as_str().to_owned(), &raw)?;
        reads_back(DisplayName::parse, |v| v.as_str().to_owned(), &raw)?;
        reads_back(NewPassword::parse, |v| v.expose().to_owned(), &raw)?;
        reads_back(Slug::parse, |v| v.as_str().to_owned(), &raw)?;
        let _ = Slug::from_name(&raw);
    }

    #[test]
    fn counter_values_never_panic_and_read_back(raw in hostile()) {
        reads_back(ShopCode::parse, |v| v.as_str().to_owned(), &raw)?;
        reads_back(CountryCode::parse, |v| v.as_str().to_owned(), &raw)?;
        reads_back(parse_reason, String::clone, &raw)?;
        reads_back(parse_group_name, String::clone, &raw)?;
        reads_back(parse_token_name, String::clone, &raw)?;
        reads_back(parse_shop_code, String::clone, &raw)?;
        reads_back(|r| parse_day(r, true), |d| d.format("%Y-%m-%d").to_string(), &raw)?;
        reads_back(|r| parse_day(r, false), |d| d.format("%Y-%m-%d").to_string(), &raw)?;
        let _ = text_row(&raw, &raw, &raw, Some(&raw));
    }

    #[test]
    fn alert_and_schedule_values_never_panic_and_read_back(raw in hostile()) {
        reads_back(AlertKind::from_str, |v| v.as_str().to_owned(), &raw)?;
        reads_back(Audience::from_str, |v| v.form_value(), &raw)?;
        reads_back(ValidationScope::from_str, |v| v.as_str().to_owned(), &raw)?;
        reads_back(Dismissal::from_str, |v| v.as_str().to_owned(), &raw)?;
        reads_back(AlertTitle::parse, |v| v.as_str().to_owned(), &raw)?;
        reads_back(AlertMessage::parse, |v| v.as_str().to_owned(), &raw)?;
        reads_back(Lifetime::parse, |v| v.days().map_or(String::new(), |d| d.to_string()), &raw)?;
        reads_back(parse_weekday, |d| d.number_from_monday().to_string(), &raw)?;
        reads_back(parse_time_zone, |tz| tz.name().to_owned(), &raw)?;
        reads_back(parse_local_time, |t| t.format("%H:%M:%S").to_string(), &raw)?;
        reads_back(parse_date, |d| d.format("%Y-%m-%d").to_string(), &raw)?;
        reads_back(
            parse_paris,
            |t| t.with_timezone(&chrono_tz::Europe::Paris).format("%Y-%m-%d %H:%M:%S").to_string(),
            &raw,
        )?;
        let _ = SmtpTls::parse(&raw);
    }

    /// The forms, every field hostile at once: they collect problems, never panic.
    #[test]
    fn forms_never_panic(texts in prop::collection::vec(hostile(), 1..6)) {
        let _ = form::<SellerFields>(&texts).parse();
        let _ = form::<ContactFields>(&texts).parse();
        let _ = form::<ArticleFields>(&texts).parse();
        let _ = form::<LineFields>(&texts).parse(0, &mut Vec::new());
        let mut document = form::<DocumentFields>(&texts);
        document.lines = vec![form::<LineFields>(&texts); 2];
        let _ = document.parse();
        let _ = SiteInput::parse(&form::<SiteFields>(&texts));
        let _ = form::<AlertFields>(&texts).parse();
    }

    /// The counts import reads any bytes, cut anywhere, without panicking.
    #[test]
    fn csv_import_never_panics(bytes in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400),
        "[A-Za-z0-9;,\"\n\r\t €é/-]{0,300}".prop_map(String::into_bytes),
    ], cut in 0usize..400) {
        let mut batch = Batch::for_tests();
        let mut parser = CsvCounts::default();
        let (first, second) = bytes.split_at(cut.min(bytes.len()));
        if parser.push(first, &mut batch).is_ok() && parser.push(second, &mut batch).is_ok() {
            let _ = parser.finish(&mut batch);
        }
    }
}
