//! French formatting of dates and numbers, done on the server so the browser bundle carries no
//! time-zone database.

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
}
