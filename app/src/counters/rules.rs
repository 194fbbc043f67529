//! Pure footfall rules, free of I/O: the shop's local day, "no data" kept apart from zero, period
//! comparisons (this week against last week, this month against the same weekdays 364 days
//! earlier), the top-N ranking with ties, and when a counter is offline or without data.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::RejectReason;

/// One shop's day: a missing row is "no data", which must never be shown or summed as 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DayCount {
    NoData,
    Entries(u64),
}

impl DayCount {
    pub fn entries(self) -> Option<u64> {
        match self {
            DayCount::NoData => None,
            DayCount::Entries(n) => Some(n),
        }
    }
}

/// The calendar day at the shop when `at` happens (counts are stored by local day).
pub fn local_day(at: DateTime<Utc>, zone: Tz) -> NaiveDate {
    at.with_timezone(&zone).date_naive()
}

/// The shop's previous local day: what the zero-entry alert looks at.
pub fn previous_local_day(now: DateTime<Utc>, zone: Tz) -> NaiveDate {
    let today = local_day(now, zone);
    today.pred_opt().unwrap_or(today)
}

/// A counter that has sent nothing for this long is offline.
pub const OFFLINE_AFTER_HOURS: i64 = 24;

/// `COMPTOIR_NO_DATA_DAYS`: its default and the range it is read within.
pub const NO_DATA_DAYS_DEFAULT: i64 = 2;
pub const NO_DATA_DAYS_MAX: i64 = 366;

/// The instant a counter's last reception must be older than for it to be offline.
pub fn offline_cutoff(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::hours(OFFLINE_AFTER_HOURS)
}

pub fn is_offline(last_received_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    last_received_at < offline_cutoff(now)
}

/// "No data for N days": an operational counter that still calls in, but whose last stored day
/// is `threshold` days or more before its local yesterday (that many whole local days without a
/// row; today is still being counted). An offline counter is left to the offline alert, which
/// already says since when nothing came. `threshold` is taken within 1 to
/// [`NO_DATA_DAYS_MAX`]. Returns what the alert shows: the days from the last day with data to
/// today; `None` when no alert is due.
pub fn no_data_days(
    operational: bool,
    last_received_at: DateTime<Utc>,
    last_day: NaiveDate,
    now: DateTime<Utc>,
    zone: Tz,
    threshold: i64,
) -> Option<i64> {
    if !operational || is_offline(last_received_at, now) {
        return None;
    }
    // Days from the last day to today: one more than the whole days without a row between them.
    let since = (local_day(now, zone) - last_day).num_days();
    (since > threshold.clamp(1, NO_DATA_DAYS_MAX)).then_some(since)
}

/// The days a "no data" alert shows: from its last day with data to the next day that has data,
/// or to the shop's today while none has come.
pub fn no_data_span(last_day: NaiveDate, next_day: Option<NaiveDate>, today: NaiveDate) -> i64 {
    (next_day.unwrap_or(today) - last_day).num_days().max(0)
}

/// The sum of the days that have data; `None` when none has (no data is not zero).
pub fn total(days: impl IntoIterator<Item = DayCount>) -> Option<u64> {
    days.into_iter()
        .filter_map(DayCount::entries)
        .fold(None, |sum, n| Some(sum.unwrap_or(0).saturating_add(n)))
}

/// An inclusive range of local days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Period {
    pub fn days(self) -> i64 {
        (self.last - self.first).num_days() + 1
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        self.first <= day && day <= self.last
    }

    pub fn shifted(self, days: i64) -> Period {
        Period {
            first: self.first - Duration::days(days),
            last: self.last - Duration::days(days),
        }
    }
}

/// Monday of `today`'s week up to `today`, and the same weekdays one week earlier.
pub fn week_to_date(today: NaiveDate) -> (Period, Period) {
    let monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
    let current = Period {
        first: monday,
        last: today,
    };
    (current, current.shifted(7))
}

/// The month up to `today`, and the same weekdays 52 weeks (364 days) earlier, so a Saturday
/// is compared with a Saturday.
pub fn month_to_date(today: NaiveDate) -> (Period, Period) {
    let first = today.with_day(1).unwrap_or(today);
    let current = Period { first, last: today };
    (current, current.shifted(364))
}

/// A comparison card: the change in tenths of a percent, when both sides have data and the
/// reference is not zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub current: Option<u64>,
    pub previous: Option<u64>,
    /// `125` = +12.5 %; `None` when it cannot be computed.
    pub permille: Option<i64>,
}

pub fn change(current: Option<u64>, previous: Option<u64>) -> Change {
    let permille = match (current, previous) {
        (Some(c), Some(p)) if p > 0 => {
            let diff = c as i128 - p as i128;
            // Rounded half away from zero, on integers.
            let scaled = diff * 1000;
            let p = p as i128;
            let rounded = if scaled >= 0 {
                (scaled + p / 2) / p
            } else {
                (scaled - p / 2) / p
            };
            i64::try_from(rounded).ok()
        }
        _ => None,
    };
    Change {
        current,
        previous,
        permille,
    }
}

/// A place in a ranking; tied shops share their rank (1, 2, 2, 4…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked<T> {
    pub rank: usize,
    pub entries: u64,
    pub item: T,
}

/// The `n` shops with the most entries, ties at the cut included, ties ordered by `label`.
/// Shops without data are not ranked (no data is not zero).
pub fn top<T, K: Ord>(
    shops: Vec<(T, DayCount)>,
    n: usize,
    label: impl Fn(&T) -> K,
) -> Vec<Ranked<T>> {
    let mut counted: Vec<(T, u64)> = shops
        .into_iter()
        .filter_map(|(item, count)| count.entries().map(|e| (item, e)))
        .collect();
    counted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| label(&a.0).cmp(&label(&b.0))));
    let mut out: Vec<Ranked<T>> = Vec::new();
    for (position, (item, entries)) in counted.into_iter().enumerate() {
        let rank = match out.last() {
            Some(last) if last.entries == entries => last.rank,
            _ => position + 1,
        };
        if rank > n {
            break;
        }
        out.push(Ranked {
            rank,
            entries,
            item,
        });
    }
    out
}

/// The last day a dashboard's figures cover: today once it has data, otherwise yesterday (a
/// day still being counted would drag every comparison down).
pub fn figures_end(today: NaiveDate, today_has_data: bool) -> NaiveDate {
    if today_has_data {
        today
    } else {
        today - Duration::days(1)
    }
}

/// The earliest day a count may be for. Counters did not exist before it, and it keeps every
/// accepted day inside what PostgreSQL's `date` stores (chrono parses year 0 and negative years,
/// which PostgreSQL refuses): an older row is refused on its own instead of failing the batch.
/// The latest day is the shop's local today, checked against the shop.
pub const EARLIEST_COUNT_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(day) => day,
    None => panic!("2000-01-01 is a date"),
};

/// A count may be stored for `day` (the shop's today is checked apart).
pub fn count_day_in_range(day: NaiveDate) -> bool {
    day >= EARLIEST_COUNT_DAY
}

/// `YYYY-MM-DD`; French files may also write `DD/MM/YYYY`. Not before
/// [`EARLIEST_COUNT_DAY`].
pub fn parse_day(raw: &str, french_too: bool) -> Result<NaiveDate, (RejectReason, String)> {
    let day = parse_calendar_day(raw, french_too)?;
    if !count_day_in_range(day) {
        return Err((
            RejectReason::DateOutOfRange,
            format!(
                "date « {} » trop ancienne : les comptages commencent le {}",
                raw.trim(),
                EARLIEST_COUNT_DAY.format("%d/%m/%Y")
            ),
        ));
    }
    Ok(day)
}

fn parse_calendar_day(raw: &str, french_too: bool) -> Result<NaiveDate, (RejectReason, String)> {
    let raw = raw.trim();
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .filter(|_| raw.len() == 10)
        .or_else(|| {
            french_too
                .then(|| NaiveDate::parse_from_str(raw, "%d/%m/%Y").ok())
                .flatten()
        })
        .ok_or_else(|| {
            let expected = if french_too {
                "AAAA-MM-JJ ou JJ/MM/AAAA"
            } else {
                "AAAA-MM-JJ"
            };
            (
                RejectReason::BadDate,
                format!("date « {raw} » invalide : format attendu {expected}"),
            )
        })
}

/// What French writing puts between groups of three digits (`1 234`): a space, a no-break
/// space (U+00A0, what spreadsheets export) or a narrow no-break space (U+202F, typography's).
const DIGIT_GROUP_SEPARATORS: [char; 3] = [' ', '\u{a0}', '\u{202f}'];

/// A count as a file writes it: a whole number, with an optional sign, its digits either plain
/// or grouped by three as French writes them (`1 234`, `12 345 678`). `None` when it is not a
/// whole number (`12,5`, `1 23`, `12 3456`, `douze`): a group of another size is more likely
/// two values run together than a separator. Beyond `i64` it saturates (then refused as too
/// large, not as "not a number").
pub fn parse_count_text(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    let (negative, digits) = match raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, raw.strip_prefix('+').unwrap_or(raw)),
    };
    let grouped = digits.contains(DIGIT_GROUP_SEPARATORS);
    let mut magnitude: i64 = 0;
    for (i, group) in digits.split(DIGIT_GROUP_SEPARATORS).enumerate() {
        let size_ok = match (grouped, i) {
            (false, _) => !group.is_empty(),
            (true, 0) => (1..=3).contains(&group.len()),
            (true, _) => group.len() == 3,
        };
        if !size_ok || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        for b in group.bytes() {
            magnitude = magnitude
                .saturating_mul(10)
                .saturating_add(i64::from(b - b'0'));
        }
    }
    Some(if negative { -magnitude } else { magnitude })
}

/// The longest range a shop page shows or exports (three years and a day).
pub const MAX_RANGE_DAYS: i64 = 1096;

/// Why a date range was refused, with the field it concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeProblem {
    FromInvalid,
    ToInvalid,
    Reversed,
    TooLong,
}

/// A shop page's range from its two (possibly empty) inputs: by default the 30 days up to
/// yesterday at the shop; an end after today is brought back to today.
pub fn history_range(from: &str, to: &str, today: NaiveDate) -> Result<Period, RangeProblem> {
    let parse = |raw: &str, problem| match raw.trim() {
        "" => Ok(None),
        raw => parse_day(raw, true).map(Some).map_err(|_| problem),
    };
    let to = parse(to, RangeProblem::ToInvalid)?;
    let from = parse(from, RangeProblem::FromInvalid)?;
    let last = to.unwrap_or_else(|| today - Duration::days(1)).min(today);
    let first = from.unwrap_or(last - Duration::days(29));
    if first > last {
        return Err(RangeProblem::Reversed);
    }
    let period = Period { first, last };
    if period.days() > MAX_RANGE_DAYS {
        return Err(RangeProblem::TooLong);
    }
    Ok(period)
}

/// Every day of `period` in order, from rows sorted by day (days without a row are no data).
pub fn series(period: Period, rows: &[(NaiveDate, u64)]) -> Vec<(NaiveDate, DayCount)> {
    let mut rows = rows.iter().peekable();
    period
        .first
        .iter_days()
        .take_while(|d| *d <= period.last)
        .map(|d| {
            while rows.next_if(|(day, _)| *day < d).is_some() {}
            let count = match rows.next_if(|(day, _)| *day == d) {
                Some((_, n)) => DayCount::Entries(*n),
                None => DayCount::NoData,
            };
            (d, count)
        })
        .collect()
}

/// The runs of consecutive days without data, as (first, last).
pub fn gaps(days: &[(NaiveDate, DayCount)]) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    let mut previous: Option<NaiveDate> = None;
    for (day, count) in days {
        if *count == DayCount::NoData {
            match out.last_mut() {
                Some(run) if previous == Some(run.1) => run.1 = *day,
                _ => out.push((*day, *day)),
            }
            previous = Some(*day);
        } else {
            previous = None;
        }
    }
    out
}

/// A day and its entries.
pub type DayEntries = (NaiveDate, u64);

/// The best and the worst day among days with data (a zero is data); the earliest on ties.
pub fn extremes(days: &[(NaiveDate, DayCount)]) -> (Option<DayEntries>, Option<DayEntries>) {
    let counted = days
        .iter()
        .filter_map(|(d, c)| c.entries().map(|n| (*d, n)));
    let mut best: Option<DayEntries> = None;
    let mut worst: Option<DayEntries> = None;
    for (day, n) in counted {
        if best.is_none_or(|(_, b)| n > b) {
            best = Some((day, n));
        }
        if worst.is_none_or(|(_, w)| n < w) {
            worst = Some((day, n));
        }
    }
    (best, worst)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};
    use chrono_tz::Europe::Paris;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_local_day_follows_the_shop_across_dst_changes() {
        // Winter time (UTC+1) until 31 March 2024 at 02:00: 23:30 UTC on the 30th is the 31st.
        let at = Utc.with_ymd_and_hms(2024, 3, 30, 23, 30, 0).unwrap();
        assert_eq!(local_day(at, Paris), day(2024, 3, 31));
        // Summer time (UTC+2) from then on: 22:30 UTC on the 31st is already 1 April.
        let at = Utc.with_ymd_and_hms(2024, 3, 31, 22, 30, 0).unwrap();
        assert_eq!(local_day(at, Paris), day(2024, 4, 1));
        // 22:30 UTC on 26 October 2024 is 00:30 on the 27th; the clock goes back at 03:00.
        let at = Utc.with_ymd_and_hms(2024, 10, 26, 22, 30, 0).unwrap();
        assert_eq!(local_day(at, Paris), day(2024, 10, 27));
        // 23:30 UTC on 27 October 2024 is 00:30 on the 28th (winter time, UTC+1).
        let at = Utc.with_ymd_and_hms(2024, 10, 27, 23, 30, 0).unwrap();
        assert_eq!(local_day(at, Paris), day(2024, 10, 28));
        let sydney: Tz = "Australia/Sydney".parse().unwrap();
        let at = Utc.with_ymd_and_hms(2024, 7, 22, 15, 0, 0).unwrap();
        assert_eq!(local_day(at, sydney), day(2024, 7, 23));
        assert_eq!(previous_local_day(at, sydney), day(2024, 7, 22));
    }

    #[test]
    fn no_data_for_n_days_is_counted_in_the_shops_calendar() {
        // The counter called in an hour before `at`.
        let flag = |at: DateTime<Utc>, zone: Tz, last: NaiveDate, threshold: i64| {
            no_data_days(true, at - Duration::hours(1), last, at, zone, threshold)
        };
        // 7 December 2026 at 10:00 in Paris.
        let now = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
        let due = |last, threshold| flag(now, Paris, last, threshold);
        // Last day 4 December: the 5th and the 6th have no row (today is still being counted).
        assert_eq!(due(day(2026, 12, 4), 2), Some(3));
        assert_eq!(due(day(2026, 12, 4), 3), None);
        assert_eq!(due(day(2026, 12, 5), 2), None);
        assert_eq!(due(day(2026, 12, 5), 1), Some(2));
        // Data for yesterday or today, or a day ahead of the server's clock: nothing is missing.
        for last in [day(2026, 12, 6), day(2026, 12, 7), day(2026, 12, 8)] {
            assert_eq!(due(last, 1), None);
        }
        // The threshold is at least one whole day, and capped.
        assert_eq!(due(day(2026, 12, 6), 0), None);
        assert_eq!(due(day(2026, 12, 6), -5), None);
        assert_eq!(due(day(2024, 12, 5), i64::MAX), Some(732));
        assert_eq!(due(day(2025, 12, 7), i64::MAX), None);
        // Not for a counter out of service, nor for one that no longer calls in (offline).
        let old = day(2026, 12, 1);
        assert_eq!(no_data_days(false, now, old, now, Paris, 2), None);
        let calling = now - Duration::hours(OFFLINE_AFTER_HOURS);
        let gone = calling - Duration::seconds(1);
        assert!(!is_offline(calling, now) && is_offline(gone, now));
        assert_eq!(no_data_days(true, calling, old, now, Paris, 2), Some(6));
        assert_eq!(no_data_days(true, gone, old, now, Paris, 2), None);
        // The shop's own today: at 23:30 UTC on the 6th it is already the 7th in Paris, still the
        // 6th in Honolulu (UTC−10); at 10:00 UTC it is the 7th in Kiritimati (UTC+14) only.
        let honolulu: Tz = "Pacific/Honolulu".parse().unwrap();
        let kiritimati: Tz = "Pacific/Kiritimati".parse().unwrap();
        let last = day(2026, 12, 4);
        let late = Utc.with_ymd_and_hms(2026, 12, 6, 23, 30, 0).unwrap();
        assert_eq!(flag(late, Paris, last, 2), Some(3));
        assert_eq!(flag(late, honolulu, last, 2), None);
        let morning = Utc.with_ymd_and_hms(2026, 12, 6, 10, 0, 0).unwrap();
        assert_eq!(flag(morning, kiritimati, last, 2), Some(3));
        assert_eq!(flag(morning, Paris, last, 2), None);
    }

    #[test]
    fn a_no_data_alert_spans_to_the_next_day_with_data_or_today() {
        let span = |next, today| no_data_span(day(2026, 12, 4), next, today);
        assert_eq!(span(None, day(2026, 12, 7)), 3);
        assert_eq!(span(Some(day(2026, 12, 6)), day(2026, 12, 9)), 2);
        assert_eq!(span(None, day(2026, 12, 1)), 0);
    }

    #[test]
    fn no_data_is_not_zero() {
        assert_eq!(total([DayCount::NoData, DayCount::NoData]), None);
        assert_eq!(total([DayCount::NoData, DayCount::Entries(0)]), Some(0));
        assert_eq!(
            total([DayCount::Entries(3), DayCount::NoData, DayCount::Entries(4)]),
            Some(7)
        );
        assert_eq!(change(Some(10), None).permille, None);
        assert_eq!(change(Some(10), Some(0)).permille, None);
        assert_eq!(change(Some(0), Some(8)).permille, Some(-1000));
        assert_eq!(change(Some(9), Some(8)).permille, Some(125));
        assert_eq!(change(Some(2), Some(3)).permille, Some(-333));
    }

    #[test]
    fn periods_compare_the_same_weekdays() {
        // Friday 22 November 2024.
        let (week, last_week) = week_to_date(day(2024, 11, 22));
        assert_eq!(
            (week.first, week.last),
            (day(2024, 11, 18), day(2024, 11, 22))
        );
        assert_eq!(
            (last_week.first, last_week.last),
            (day(2024, 11, 11), day(2024, 11, 15))
        );
        let (month, last_year) = month_to_date(day(2024, 11, 22));
        assert_eq!(month.first, day(2024, 11, 1));
        assert_eq!(last_year.first, day(2023, 11, 3));
        assert_eq!(last_year.first.weekday(), month.first.weekday());
    }

    #[test]
    fn ties_share_a_rank_and_the_cut_keeps_them() {
        let shops = vec![
            ("Lyon", DayCount::Entries(50)),
            ("Paris", DayCount::Entries(90)),
            ("Nice", DayCount::Entries(50)),
            ("Lille", DayCount::NoData),
            ("Brest", DayCount::Entries(10)),
        ];
        let ranked = top(shops, 2, |s| *s);
        let got: Vec<(usize, &str)> = ranked.iter().map(|r| (r.rank, r.item)).collect();
        assert_eq!(got, vec![(1, "Paris"), (2, "Lyon"), (2, "Nice")]);
    }

    #[test]
    fn counts_are_read_as_french_writes_them() {
        for (raw, value) in [
            ("0", 0),
            ("1234", 1234),
            (" 12 ", 12),
            ("+7", 7),
            ("-4", -4),
            ("1 234", 1234),
            ("1\u{a0}234", 1234),
            ("1\u{202f}234", 1234),
            ("12 345 678", 12_345_678),
            ("1\u{202f}234\u{a0}567", 1_234_567),
            ("-1 234", -1234),
            ("\u{a0}987 654\u{a0}", 987_654),
            ("007", 7),
            ("99999999999999999999999", i64::MAX),
        ] {
            assert_eq!(parse_count_text(raw), Some(value), "{raw:?}");
        }
        for raw in [
            "", " ", "-", "+", "douze", "12,5", "12.0", "1 23", "1234 567", "12 3456", "1  234",
            " 1 234 5", "- 4", "+-3", "1\t234", "1_234", "١٢", "1 234,00", "12e3",
        ] {
            assert_eq!(parse_count_text(raw), None, "{raw:?}");
        }
    }

    #[test]
    fn history_ranges_default_clamp_and_refuse() {
        let today = day(2026, 11, 22);
        let default = history_range("", "", today).unwrap();
        assert_eq!(
            (default.first, default.last),
            (day(2026, 10, 23), day(2026, 11, 21))
        );
        assert_eq!(default.days(), 30);
        let french = history_range("01/11/2026", "2026-11-10", today).unwrap();
        assert_eq!(
            (french.first, french.last),
            (day(2026, 11, 1), day(2026, 11, 10))
        );
        let clamped = history_range("2026-11-01", "2027-01-01", today).unwrap();
        assert_eq!(clamped.last, today);
        assert_eq!(
            history_range("2026-13-01", "", today),
            Err(RangeProblem::FromInvalid)
        );
        assert_eq!(
            history_range("", "hier", today),
            Err(RangeProblem::ToInvalid)
        );
        assert_eq!(
            history_range("2026-11-10", "2026-11-01", today),
            Err(RangeProblem::Reversed)
        );
        assert_eq!(
            history_range("2023-11-21", "2026-11-21", today),
            Err(RangeProblem::TooLong)
        );
        assert!(history_range("2023-11-22", "2026-11-21", today).is_ok());
    }

    #[test]
    fn series_gaps_and_extremes_keep_no_data_apart() {
        let period = Period {
            first: day(2026, 11, 1),
            last: day(2026, 11, 7),
        };
        let rows = [
            (day(2026, 10, 31), 9),
            (day(2026, 11, 2), 5),
            (day(2026, 11, 3), 0),
            (day(2026, 11, 6), 5),
        ];
        let days = series(period, &rows);
        let counts: Vec<DayCount> = days.iter().map(|(_, c)| *c).collect();
        use DayCount::*;
        assert_eq!(
            counts,
            [
                NoData,
                Entries(5),
                Entries(0),
                NoData,
                NoData,
                Entries(5),
                NoData
            ]
        );
        assert_eq!(
            gaps(&days),
            [
                (day(2026, 11, 1), day(2026, 11, 1)),
                (day(2026, 11, 4), day(2026, 11, 5)),
                (day(2026, 11, 7), day(2026, 11, 7)),
            ]
        );
        let (best, worst) = extremes(&days);
        assert_eq!(best, Some((day(2026, 11, 2), 5)));
        assert_eq!(worst, Some((day(2026, 11, 3), 0)));
        assert_eq!(extremes(&series(period, &[])), (None, None));
    }

    proptest! {
        #[test]
        fn series_cover_the_period_and_gaps_cover_no_data(
            present in proptest::collection::btree_map(0i64..60, 0u64..1000, 0..60),
            length in 1i64..60,
        ) {
            let start = day(2026, 1, 1);
            let period = Period { first: start, last: start + Duration::days(length - 1) };
            let rows: Vec<(NaiveDate, u64)> =
                present.iter().map(|(o, n)| (start + Duration::days(*o), *n)).collect();
            let days = series(period, &rows);
            prop_assert_eq!(days.len() as i64, period.days());
            for (d, c) in &days {
                prop_assert_eq!(c.entries(), present.get(&(*d - start).num_days()).copied());
            }
            let in_gaps: i64 = gaps(&days).iter().map(|(a, b)| (*b - *a).num_days() + 1).sum();
            let no_data = days.iter().filter(|(_, c)| *c == DayCount::NoData).count() as i64;
            prop_assert_eq!(in_gaps, no_data);
            let (best, worst) = extremes(&days);
            for n in days.iter().filter_map(|(_, c)| c.entries()) {
                prop_assert!(best.is_some_and(|(_, b)| b >= n));
                prop_assert!(worst.is_some_and(|(_, w)| w <= n));
            }
        }

        #[test]
        fn rankings_are_ordered_complete_and_fair(
            counts in proptest::collection::vec(proptest::option::of(0u64..20), 0..40),
            n in 1usize..12,
        ) {
            let shops: Vec<(usize, DayCount)> = counts
                .iter()
                .enumerate()
                .map(|(i, c)| (i, c.map_or(DayCount::NoData, DayCount::Entries)))
                .collect();
            let ranked = top(shops, n, |i| *i);
            let with_data = counts.iter().filter(|c| c.is_some()).count();
            prop_assert!(ranked.len() >= n.min(with_data));
            for pair in ranked.windows(2) {
                prop_assert!(pair[0].entries >= pair[1].entries);
                prop_assert!(pair[0].rank <= pair[1].rank);
                prop_assert_eq!(pair[0].entries == pair[1].entries, pair[0].rank == pair[1].rank);
            }
            for r in &ranked {
                prop_assert!(r.rank <= n);
                let better = counts.iter().flatten().filter(|&&c| c > r.entries).count();
                prop_assert_eq!(r.rank, better + 1);
            }
            // Nobody left out beats someone ranked.
            if let Some(last) = ranked.last() {
                let kept: std::collections::HashSet<usize> = ranked.iter().map(|r| r.item).collect();
                for (i, c) in counts.iter().enumerate() {
                    if let Some(c) = c
                        && !kept.contains(&i)
                    {
                        prop_assert!(*c < last.entries);
                    }
                }
            }
        }

        #[test]
        fn a_no_data_alert_needs_threshold_whole_days_without_a_row(
            secs in 1_577_836_800i64..2_082_758_400i64,
            back in 0i64..40,
            threshold in 1i64..30,
            zone in 0usize..4,
        ) {
            let now = Utc.timestamp_opt(secs, 0).unwrap();
            let zones = ["Europe/Paris", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata"];
            let zone: Tz = zones[zone].parse().unwrap();
            let yesterday = previous_local_day(now, zone);
            let last_day = yesterday - Duration::days(back);
            let shown = no_data_days(true, now, last_day, now, zone, threshold);
            // The days strictly between the last day and today are the days without a row.
            prop_assert_eq!(shown.is_some(), back >= threshold);
            if let Some(days) = shown {
                prop_assert_eq!(days, back + 1);
                prop_assert_eq!(no_data_span(last_day, None, local_day(now, zone)), days);
            }
            // The database's shortlist never leaves a due counter out (`stats::detect_no_data`).
            if shown.is_some() {
                prop_assert!(last_day <= now.date_naive() - Duration::days(threshold));
            }
        }

        #[test]
        fn the_local_day_is_within_a_day_of_utc(secs in 1_577_836_800i64..2_082_758_400i64) {
            let at = Utc.timestamp_opt(secs, 0).unwrap();
            for zone in ["Europe/Paris", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Pacific/Kiritimati"] {
                let zone: Tz = zone.parse().unwrap();
                let local = local_day(at, zone);
                prop_assert!((local - at.date_naive()).num_days().abs() <= 1);
                prop_assert_eq!(previous_local_day(at, zone) + Duration::days(1), local);
            }
        }

        #[test]
        fn accepted_count_days_are_written_as_postgresql_reads_them(
            days in proptest::num::i32::ANY,
        ) {
            // Every chrono date, from its first to its last: those accepted (up to a far today)
            // print as a plain `YYYY-MM-DD` of years 2000 to 9999, which PostgreSQL's `date`
            // reads back exactly (checked against PostgreSQL in the integration tests).
            let span = NaiveDate::MAX.signed_duration_since(NaiveDate::MIN).num_days();
            let offset = i64::from(days).rem_euclid(span + 1);
            let day = NaiveDate::MIN + Duration::days(offset);
            let far_today = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
            if count_day_in_range(day) && day <= far_today {
                let text = day.to_string();
                prop_assert_eq!(text.len(), 10, "{}", text);
                prop_assert!(text.as_bytes()[..4].iter().all(u8::is_ascii_digit), "{}", text);
                prop_assert!(day.year() >= 2000);
            } else {
                prop_assert!(day < EARLIEST_COUNT_DAY || day > far_today);
            }
        }

        #[test]
        fn counts_read_back_as_the_app_and_spreadsheets_write_them(
            n in 0u64..=(i64::MAX as u64),
            sep in 0usize..3,
        ) {
            let value = i64::try_from(n).unwrap();
            prop_assert_eq!(parse_count_text(&n.to_string()), Some(value));
            // The app's own display (`format::count`), then each separator French files use.
            let shown = crate::format::count(n);
            prop_assert_eq!(parse_count_text(&shown), Some(value));
            let separator = DIGIT_GROUP_SEPARATORS[sep].to_string();
            let grouped = shown.replace(DIGIT_GROUP_SEPARATORS, &separator);
            prop_assert_eq!(parse_count_text(&grouped), Some(value));
            prop_assert_eq!(parse_count_text(&format!("-{grouped}")), Some(-value));
        }

        #[test]
        fn comparison_periods_line_up(y in 2020i32..2035, ordinal in 1u32..365) {
            let today = NaiveDate::from_yo_opt(y, ordinal).unwrap();
            let (week, last_week) = week_to_date(today);
            prop_assert_eq!(week.days(), last_week.days());
            prop_assert_eq!(week.first.weekday(), chrono::Weekday::Mon);
            prop_assert!(week.contains(today));
            let (month, last_year) = month_to_date(today);
            prop_assert_eq!(month.days(), last_year.days());
            prop_assert_eq!(month.first.weekday(), last_year.first.weekday());
            prop_assert_eq!(month.first.day(), 1);
        }
    }
}
