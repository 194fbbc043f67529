//! Weekly recurrence arithmetic: "every N weeks on a weekday at a local time in a time zone".
//! Pure functions; the job and the preview both use them, so what the UI announces is what
//! the job publishes.

use crate::error::Problem;
use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
    Weekday,
};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklyRule {
    interval_weeks: u32,
    weekday: Weekday,
    local_time: NaiveTime,
    tz: Tz,
    /// The first run's local date (on `weekday`).
    first_date: NaiveDate,
}

pub fn parse_weekday(raw: &str) -> Result<Weekday, Problem> {
    raw.trim()
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=7).contains(d))
        .and_then(|d| Weekday::try_from((d - 1) as u8).ok())
        .ok_or(Problem::WeekdayInvalid)
}

pub fn parse_time_zone(raw: &str) -> Result<Tz, Problem> {
    raw.trim()
        .parse::<Tz>()
        .map_err(|_| Problem::TimeZoneUnknown)
}

pub fn parse_local_time(raw: &str) -> Result<NaiveTime, Problem> {
    let raw = raw.trim();
    NaiveTime::parse_from_str(raw, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(raw, "%H:%M:%S"))
        .map_err(|_| Problem::TimeInvalid)
}

pub fn parse_date(raw: &str) -> Result<NaiveDate, Problem> {
    let raw = raw.trim();
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%d/%m/%Y"))
        .map_err(|_| Problem::DateInvalid)
}

impl WeeklyRule {
    /// `starting` is moved forward to the first day that falls on `weekday`.
    pub fn new(
        interval_weeks: u32,
        weekday: Weekday,
        local_time: NaiveTime,
        tz: Tz,
        starting: NaiveDate,
    ) -> Result<Self, Problem> {
        if !(1..=52).contains(&interval_weeks) {
            return Err(Problem::IntervalInvalid);
        }
        let shift = (7 + weekday.num_days_from_monday() as i64
            - starting.weekday().num_days_from_monday() as i64)
            % 7;
        let first_date = starting
            .checked_add_signed(Duration::days(shift))
            .ok_or(Problem::DateInvalid)?;
        Ok(WeeklyRule {
            interval_weeks,
            weekday,
            local_time,
            tz,
            first_date,
        })
    }

    pub fn first_date(&self) -> NaiveDate {
        self.first_date
    }

    pub fn tz(&self) -> Tz {
        self.tz
    }

    fn period_days(&self) -> i64 {
        7 * self.interval_weeks as i64
    }

    /// The local date of run number `k` (0 = the first run).
    pub fn date_of(&self, k: i64) -> Option<NaiveDate> {
        self.first_date
            .checked_add_signed(Duration::days(k.checked_mul(self.period_days())?))
    }

    /// The instant of run number `k`.
    pub fn slot(&self, k: i64) -> Option<DateTime<Utc>> {
        let date = self.date_of(k)?;
        Some(resolve_local(self.tz, date.and_time(self.local_time)))
    }

    /// Runs strictly after `after`, in order.
    pub fn slots_after(&self, after: DateTime<Utc>) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        let local_day = after.with_timezone(&self.tz).date_naive();
        let elapsed = (local_day - self.first_date).num_days();
        // Start one period early: a run on the same local day may still be ahead.
        let k0 = (elapsed.div_euclid(self.period_days()) - 1).max(0);
        (k0..)
            .map_while(move |k| self.slot(k))
            .filter(move |slot| *slot > after)
    }

    pub fn next_runs(&self, after: DateTime<Utc>, count: usize) -> Vec<DateTime<Utc>> {
        self.slots_after(after).take(count).collect()
    }

    /// The slots a run of the job at `now` publishes: those in `(since, now]` whose alert is
    /// still alive at `now` (a lifetime of `d` days ends `d × 24 h` after the slot). Without a
    /// lifetime, only the latest slot is published: a missed run is not worth several copies.
    pub fn due_slots(
        &self,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
        lifetime_days: Option<i32>,
    ) -> Vec<DateTime<Utc>> {
        let past: Vec<_> = self.slots_after(since).take_while(|s| *s <= now).collect();
        match lifetime_days {
            Some(days) => past
                .into_iter()
                .filter(|slot| *slot + Duration::days(days as i64) > now)
                .collect(),
            None => past.last().copied().into_iter().collect(),
        }
    }
}

/// The instant of a local wall-clock time. A time skipped by a daylight-saving change runs at
/// the first instant after the gap; a repeated time runs at its first occurrence.
pub fn resolve_local(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        LocalResult::None => {
            // Gaps last at most a few hours: step minute by minute to the first valid time.
            let mut probe = local;
            for _ in 0..(24 * 60) {
                probe += Duration::minutes(1);
                if let Some(t) = tz.from_local_datetime(&probe).earliest() {
                    return t.with_timezone(&Utc);
                }
            }
            Utc.from_utc_datetime(&local)
        }
    }
}

/// `dd/mm/yyyy hh:mm` in the rule's time zone.
pub fn format_local(tz: Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(&tz).format("%d/%m/%Y %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Paris;
    use proptest::prelude::*;

    fn every_other_thursday() -> WeeklyRule {
        WeeklyRule::new(
            2,
            Weekday::Thu,
            NaiveTime::from_hms_opt(2, 0, 0).unwrap(),
            Paris,
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        )
        .unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn reference_case_every_other_thursday_at_two() {
        let rule = every_other_thursday();
        let runs = rule.next_runs(utc("2026-11-22T12:00:00Z"), 5);
        let local: Vec<_> = runs.iter().map(|r| format_local(Paris, *r)).collect();
        // 1 Jan 2026 is a run; 26 Nov is 47 weeks later (odd) → no; 3 Dec is 48 weeks → yes.
        assert_eq!(
            local,
            [
                "03/12/2026 02:00",
                "17/12/2026 02:00",
                "31/12/2026 02:00",
                "14/01/2027 02:00",
                "28/01/2027 02:00"
            ]
        );
        // Winter: 02:00 Paris is 01:00 UTC.
        assert_eq!(runs[0], utc("2026-12-03T01:00:00Z"));
    }

    #[test]
    fn summer_time_keeps_the_local_hour() {
        let rule = every_other_thursday();
        let runs = rule.next_runs(utc("2026-03-20T00:00:00Z"), 2);
        assert_eq!(
            runs[0],
            utc("2026-03-26T01:00:00Z"),
            "before the change: UTC+1"
        );
        assert_eq!(
            runs[1],
            utc("2026-04-09T00:00:00Z"),
            "after the change: UTC+2"
        );
    }

    #[test]
    fn skipped_and_repeated_local_times() {
        // 29 March 2026, 02:30 does not exist in Paris: the run happens at 03:00 local.
        let gap = NaiveDate::from_ymd_opt(2026, 3, 29)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(resolve_local(Paris, gap), utc("2026-03-29T01:00:00Z"));
        // 25 October 2026, 02:30 happens twice: the first one (summer time) is used.
        let twice = NaiveDate::from_ymd_opt(2026, 10, 25)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(resolve_local(Paris, twice), utc("2026-10-25T00:30:00Z"));
    }

    #[test]
    fn starting_date_moves_to_the_weekday() {
        let rule = WeeklyRule::new(
            1,
            Weekday::Thu,
            NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            Paris,
            NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        )
        .unwrap();
        assert_eq!(
            rule.first_date(),
            NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
        );
        assert!(
            WeeklyRule::new(0, Weekday::Thu, NaiveTime::MIN, Paris, rule.first_date()).is_err()
        );
    }

    #[test]
    fn missed_slots_within_their_lifetime() {
        let rule = every_other_thursday();
        let since = utc("2026-11-01T00:00:00Z");
        // Down from before the 19 Nov run until that evening: still within its day.
        let now = utc("2026-11-19T20:00:00Z");
        assert_eq!(
            rule.due_slots(since, now, Some(1)),
            [utc("2026-11-19T01:00:00Z")]
        );
        // Two days later the one-day alert has expired: nothing to publish.
        assert!(
            rule.due_slots(since, utc("2026-11-21T09:00:00Z"), Some(1))
                .is_empty()
        );
        // Without a lifetime only the latest missed run is published.
        assert_eq!(
            rule.due_slots(utc("2026-10-01T00:00:00Z"), now, None),
            [utc("2026-11-19T01:00:00Z")]
        );
    }

    #[test]
    fn input_parsing() {
        assert_eq!(parse_weekday("4"), Ok(Weekday::Thu));
        assert_eq!(parse_weekday("8"), Err(Problem::WeekdayInvalid));
        assert_eq!(
            parse_time_zone("Mars/Olympus"),
            Err(Problem::TimeZoneUnknown)
        );
        assert_eq!(parse_local_time("25:00"), Err(Problem::TimeInvalid));
        assert_eq!(
            parse_local_time("02:00"),
            Ok(NaiveTime::from_hms_opt(2, 0, 0).unwrap())
        );
        assert_eq!(parse_date("2026-02-30"), Err(Problem::DateInvalid));
        assert_eq!(
            parse_date("26/11/2026"),
            Ok(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap())
        );
    }

    const ZONES: [Tz; 5] = [
        Paris,
        chrono_tz::America::New_York,
        chrono_tz::Australia::Sydney,
        chrono_tz::Asia::Kolkata,
        chrono_tz::UTC,
    ];

    fn rule_strategy() -> impl Strategy<Value = WeeklyRule> {
        (
            1u32..=4,
            0u8..7,
            0u32..24,
            0u32..4,
            0usize..ZONES.len(),
            0i64..3000,
        )
            .prop_map(|(interval, day, hour, quarter, zone, offset)| {
                WeeklyRule::new(
                    interval,
                    Weekday::try_from(day).unwrap(),
                    NaiveTime::from_hms_opt(hour, quarter * 15, 0).unwrap(),
                    ZONES[zone],
                    NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + Duration::days(offset),
                )
                .unwrap()
            })
    }

    fn instant() -> impl Strategy<Value = DateTime<Utc>> {
        // 2020 → 2035, across many DST changes and year ends.
        (1_577_836_800i64..2_082_758_400).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Every run is on the weekday, at the local time (or just after a DST gap), an exact
        /// number of periods after the first date, and runs are increasing.
        #[test]
        fn runs_respect_interval_weekday_and_time(rule in rule_strategy(), after in instant()) {
            let runs = rule.next_runs(after, 5);
            prop_assert_eq!(runs.len(), 5);
            let mut previous = after;
            for run in &runs {
                prop_assert!(*run > previous);
                previous = *run;
                let local = run.with_timezone(&rule.tz);
                prop_assert_eq!(local.weekday(), rule.weekday);
                let days = (local.date_naive() - rule.first_date).num_days();
                prop_assert_eq!(days % rule.period_days(), 0);
                let exists = rule.tz.from_local_datetime(&local.date_naive().and_time(rule.local_time)).earliest().is_some();
                if exists {
                    prop_assert_eq!(local.time(), rule.local_time);
                } else {
                    prop_assert!(local.time() > rule.local_time);
                }
            }
            // No run was skipped between two consecutive ones.
            for pair in runs.windows(2) {
                let a = pair[0].with_timezone(&rule.tz).date_naive();
                let b = pair[1].with_timezone(&rule.tz).date_naive();
                prop_assert_eq!((b - a).num_days(), rule.period_days());
            }
        }

        /// The preview of the next five runs is exactly what the job publishes when it runs
        /// every minute from now on (one-day lifetime).
        #[test]
        fn preview_equals_what_the_job_publishes(rule in rule_strategy(), start in instant()) {
            let preview = rule.next_runs(start, 5);
            let mut published = Vec::new();
            let mut since = start;
            for run in &preview {
                // The job ticks shortly after each run, and once in between.
                for now in [*run - Duration::minutes(1), *run + Duration::seconds(30)] {
                    let due = rule.due_slots(since, now, Some(1));
                    if let Some(last) = due.last() { since = *last; }
                    published.extend(due);
                }
            }
            prop_assert_eq!(published, preview);
        }
    }
}
