//! French formatting of dates and numbers, done on the server so the browser bundle carries no
//! time-zone database.

/// `1234567` → `1 234 567`, grouped by thousands with no-break spaces (French style).
pub fn group_digits(digits: &str) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    grouped
}

/// A count of people: `12 345`.
pub fn count(n: u64) -> String {
    group_digits(&n.to_string())
}

/// A change in tenths of a percent: `125` → `+12,5 %`, `-30` → `−3,0 %`.
pub fn permille_change(permille: i64) -> String {
    let sign = match permille.signum() {
        1 => "+",
        -1 => "\u{2212}",
        _ => "",
    };
    let abs = permille.unsigned_abs();
    format!(
        "{sign}{},{}\u{a0}%",
        group_digits(&(abs / 10).to_string()),
        abs % 10
    )
}

#[cfg(feature = "ssr")]
pub fn paris_date(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Paris)
        .format("%d/%m/%Y")
        .to_string()
}

#[cfg(feature = "ssr")]
pub fn paris_time(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Paris)
        .format("%d/%m/%Y à %H:%M")
        .to_string()
}

/// A CSV cell that spreadsheet software shows as text and never runs as a formula (OWASP "CSV
/// injection"): a text starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
/// leading apostrophe, which Excel and LibreOffice hide. Plain numbers (`-12`) stay numbers.
#[cfg(feature = "ssr")]
pub fn csv_cell(text: &str) -> std::borrow::Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let plain_number = text.strip_prefix('-').is_some_and(|digits| {
        !digits.is_empty()
            && digits
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    });
    if risky && !plain_number {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod shared_tests {
    use super::*;

    #[test]
    fn counts_and_changes_are_french() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(permille_change(125), "+12,5\u{a0}%");
        assert_eq!(permille_change(-30), "\u{2212}3,0\u{a0}%");
        assert_eq!(permille_change(0), "0,0\u{a0}%");
        assert_eq!(permille_change(12_345), "+1\u{a0}234,5\u{a0}%");
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_are_french_and_local_to_paris() {
        let late_evening_utc = chrono::Utc
            .with_ymd_and_hms(2026, 11, 21, 23, 30, 0)
            .unwrap();
        assert_eq!(paris_date(late_evening_utc), "22/11/2026");
        let summer = chrono::Utc.with_ymd_and_hms(2026, 7, 14, 8, 5, 0).unwrap();
        assert_eq!(paris_time(summer), "14/07/2026 à 10:05");
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        for formula in [
            "=HYPERLINK(\"http://x\")",
            "+1+1",
            "-1+cmd|' /C calc'!A0",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(csv_cell(formula), format!("'{formula}"));
        }
        for plain in ["Paris Rivoli", "-12", "3,5", "2026-11-22", "", "a=b"] {
            assert_eq!(csv_cell(plain), plain);
        }
    }
}
