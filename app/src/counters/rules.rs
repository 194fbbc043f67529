//! Pure footfall rules, free of I/O: the shop's local day, "no data" kept apart from zero, period
//! comparisons (this week against last week, this month against the same weekdays 364 days
//! earlier) and the top-N ranking with ties.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

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

    proptest! {
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
