//! Pure rules of maintenance windows: is the site closed now, until when, what to announce,
//! and how admins' Europe/Paris input becomes UTC.

use crate::error::Problem;
use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Paris;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub message: String,
    pub bypass_secret: String,
}

impl Window {
    pub fn contains(&self, now: DateTime<Utc>) -> bool {
        self.starts_at <= now && now < self.ends_at
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate<'a> {
    Open,
    /// A window starts within the notice period.
    Upcoming(&'a Window),
    /// Closed until `until` (windows that overlap or touch are one closure).
    Closed {
        window: &'a Window,
        until: DateTime<Utc>,
    },
}

/// The site's state at `now`, given the windows that have not ended.
pub fn gate_at(windows: &[Window], now: DateTime<Utc>, notice: Duration) -> Gate<'_> {
    if let Some(window) = windows
        .iter()
        .filter(|w| w.contains(now))
        .max_by_key(|w| w.ends_at)
    {
        let mut until = window.ends_at;
        // Follow windows that start before the current closure ends.
        loop {
            let extended = windows
                .iter()
                .filter(|w| w.starts_at <= until && w.ends_at > until)
                .map(|w| w.ends_at)
                .max();
            match extended {
                Some(end) => until = end,
                None => break,
            }
        }
        return Gate::Closed { window, until };
    }
    windows
        .iter()
        .filter(|w| w.starts_at > now && w.starts_at - now <= notice)
        .min_by_key(|w| w.starts_at)
        .map_or(Gate::Open, Gate::Upcoming)
}

/// Whole seconds until `until`, rounded up, at least 1 (for `Retry-After`).
pub fn retry_after_secs(until: DateTime<Utc>, now: DateTime<Utc>) -> u64 {
    let millis = (until - now).num_milliseconds().max(1);
    (millis as u64).div_ceil(1000)
}

/// A date and time typed in Europe/Paris (`2026-11-24T02:00` from a form, `24/11/2026 02:00`
/// or `2026-11-24 02:00` from the command line). A time skipped by the spring change is refused;
/// a repeated autumn time means its first occurrence.
pub fn parse_paris(raw: &str) -> Result<DateTime<Utc>, Problem> {
    let raw = raw.trim();
    const FORMATS: [&str; 6] = [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y %H:%M:%S",
    ];
    let local = FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
        .ok_or(Problem::DateTimeInvalid)?;
    match Paris.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err(Problem::DateTimeSkipped),
    }
}

/// A window must end after it starts, and in the future.
pub fn check_window(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), Problem> {
    if ends_at <= starts_at {
        Err(Problem::WindowEndBeforeStart)
    } else if ends_at <= now {
        Err(Problem::WindowEndInPast)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn window(id: i64, start: &str, end: &str) -> Window {
        Window {
            id,
            starts_at: at(start),
            ends_at: at(end),
            message: String::new(),
            bypass_secret: "x".repeat(32),
        }
    }

    #[test]
    fn before_inside_and_after_a_window() {
        let w = [window(1, "2026-11-24T01:00:00Z", "2026-11-24T03:00:00Z")];
        let day = Duration::hours(24);
        assert_eq!(gate_at(&w, at("2026-11-22T12:00:00Z"), day), Gate::Open);
        assert_eq!(
            gate_at(&w, at("2026-11-23T02:00:00Z"), day),
            Gate::Upcoming(&w[0])
        );
        assert_eq!(
            gate_at(&w, at("2026-11-24T01:00:00Z"), day),
            Gate::Closed {
                window: &w[0],
                until: w[0].ends_at
            },
            "the start is inside"
        );
        assert_eq!(
            gate_at(&w, at("2026-11-24T03:00:00Z"), day),
            Gate::Open,
            "the end is outside"
        );
    }

    #[test]
    fn touching_windows_close_until_the_last_end() {
        let w = [
            window(1, "2026-11-24T01:00:00Z", "2026-11-24T02:00:00Z"),
            window(2, "2026-11-24T02:00:00Z", "2026-11-24T04:00:00Z"),
        ];
        match gate_at(&w, at("2026-11-24T01:30:00Z"), Duration::hours(24)) {
            Gate::Closed { until, .. } => assert_eq!(until, at("2026-11-24T04:00:00Z")),
            other => panic!("expected closed, got {other:?}"),
        }
    }

    #[test]
    fn retry_after_rounds_up() {
        let now = at("2026-11-24T01:00:00Z");
        assert_eq!(retry_after_secs(now + Duration::milliseconds(1500), now), 2);
        assert_eq!(retry_after_secs(now + Duration::hours(1), now), 3600);
        assert_eq!(retry_after_secs(now, now), 1);
    }

    #[test]
    fn paris_input() {
        assert_eq!(
            parse_paris("2026-11-24T02:00"),
            Ok(at("2026-11-24T01:00:00Z"))
        );
        assert_eq!(
            parse_paris("24/07/2026 02:00"),
            Ok(at("2026-07-24T00:00:00Z"))
        );
        assert_eq!(
            parse_paris("2026-03-29 02:30"),
            Err(Problem::DateTimeSkipped)
        );
        assert_eq!(
            parse_paris("2026-10-25 02:30"),
            Ok(at("2026-10-25T00:30:00Z"))
        );
        assert_eq!(parse_paris("demain"), Err(Problem::DateTimeInvalid));
        assert_eq!(
            parse_paris("2026-13-01 10:00"),
            Err(Problem::DateTimeInvalid)
        );
    }

    #[test]
    fn windows_must_end_after_they_start_and_in_the_future() {
        let now = at("2026-11-22T12:00:00Z");
        let later = now + Duration::hours(1);
        assert_eq!(
            check_window(later, now, now),
            Err(Problem::WindowEndBeforeStart)
        );
        assert_eq!(
            check_window(later, later, now),
            Err(Problem::WindowEndBeforeStart)
        );
        assert_eq!(
            check_window(now - Duration::hours(2), now - Duration::hours(1), now),
            Err(Problem::WindowEndInPast)
        );
        assert_eq!(check_window(now, later, now), Ok(()));
    }

    proptest! {
        /// Closed exactly inside some window; then `until` is the end of a window, after now.
        #[test]
        fn closed_iff_inside_a_window(
            spans in proptest::collection::vec((0i64..1000, 1i64..300), 0..6),
            t in 0i64..1400,
        ) {
            let base = at("2026-11-22T00:00:00Z");
            let windows: Vec<Window> = spans
                .iter()
                .enumerate()
                .map(|(i, (s, len))| Window {
                    id: i as i64,
                    starts_at: base + Duration::minutes(*s),
                    ends_at: base + Duration::minutes(s + len),
                    message: String::new(),
                    bypass_secret: String::new(),
                })
                .collect();
            let now = base + Duration::minutes(t);
            let inside = windows.iter().any(|w| w.contains(now));
            match gate_at(&windows, now, Duration::hours(24)) {
                Gate::Closed { until, .. } => {
                    prop_assert!(inside);
                    prop_assert!(until > now);
                    prop_assert!(windows.iter().any(|w| w.ends_at == until));
                    // Just before `until` it is still closed.
                    let before = until - Duration::seconds(1);
                    prop_assert!(windows.iter().any(|w| w.contains(before)));
                }
                _ => prop_assert!(!inside),
            }
        }
    }
}
