//! The dashboards' reads and the alert detection. Figures come from the rollups (`org_daily`,
//! `group_daily`, `site_monthly`) kept up to date by every ingestion, so a dashboard reads a few
//! hundred rows whatever the number of counts; a shop's history reads its own days through the
//! counts' primary key, whose index carries the figures.

use super::GroupRef;
use super::rules::{self, DayCount, Period, RangeProblem};
use super::views::{
    AlertFilter, AlertKind, AlertPage, ChartDay, Comparison, CounterAlertView, Dashboard,
    DashboardFilter, DayFigure, Gap, ShopReport, ShopSummary, TopShop,
};
use crate::error::{AppError, Problem};
use crate::format::paris_time;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use sqlx::{PgPool, Row};

const ALERTS_PER_PAGE: i64 = 50;

fn fr(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

fn span(period: Period) -> String {
    format!("{} → {}", fr(period.first), fr(period.last))
}

fn clock(now: DateTime<Utc>) -> String {
    now.with_timezone(&chrono_tz::Europe::Paris)
        .format("%H:%M:%S")
        .to_string()
}

fn optional_id(raw: &str) -> Result<Option<i64>, AppError> {
    match raw.trim() {
        "" => Ok(None),
        raw => raw.parse().map(Some).map_err(|_| AppError::NotFound),
    }
}

/// A client organisation an admin may look at: the one named, or by default the first (by
/// name) that has counters.
pub async fn client_organisation(pool: &PgPool, named: Option<i64>) -> Result<i64, AppError> {
    let found: Option<i64> = match named {
        Some(id) => {
            sqlx::query_scalar("SELECT id FROM organisations WHERE id = $1 AND NOT is_agency")
                .bind(id)
                .fetch_optional(pool)
                .await?
        }
        None => {
            sqlx::query_scalar(
                "SELECT o.id FROM organisations o WHERE NOT o.is_agency \
                 ORDER BY EXISTS (SELECT 1 FROM sites s WHERE s.organisation_id = o.id) DESC, \
                          o.name LIMIT 1",
            )
            .fetch_optional(pool)
            .await?
        }
    };
    found.ok_or(AppError::NotFound)
}

/// The daily rollup a dashboard reads: the organisation's, or one store group's.
#[derive(Clone, Copy)]
enum Scope {
    Organisation(i64),
    Group(i64),
}

impl Scope {
    fn table(self) -> (&'static str, i64) {
        match self {
            Scope::Organisation(id) => ("org_daily WHERE organisation_id = $1", id),
            Scope::Group(id) => ("group_daily WHERE group_id = $1", id),
        }
    }
}

pub async fn dashboard(
    pool: &PgPool,
    organisation_id: i64,
    filter: &DashboardFilter,
    now: DateTime<Utc>,
) -> Result<Dashboard, AppError> {
    let days: i64 = if filter.days.trim() == "90" { 90 } else { 30 };
    let group_id = optional_id(&filter.group_id)?;
    let today = rules::local_day(now, chrono_tz::Europe::Paris);
    let head = sqlx::query(
        "SELECT o.name, \
           COALESCE((SELECT json_agg(json_build_object('id', g.id, 'name', g.name) ORDER BY g.name) \
                     FROM store_groups g WHERE g.organisation_id = o.id), '[]'::json) AS groups, \
           c.total, c.operational, \
           (SELECT count(*) FROM counter_alerts a JOIN sites s ON s.id = a.site_id \
             WHERE s.organisation_id = o.id AND a.acknowledged_at IS NULL) AS open_alerts, \
           CASE WHEN $2::bigint IS NULL \
             THEN (SELECT max(day) FROM org_daily d WHERE d.organisation_id = o.id AND d.day <= $3) \
             ELSE (SELECT max(day) FROM group_daily d WHERE d.group_id = $2 AND d.day <= $3) \
           END AS last_day \
         FROM organisations o, LATERAL ( \
           SELECT count(*) AS total, count(*) FILTER (WHERE s.operational) AS operational \
             FROM sites s WHERE s.organisation_id = o.id AND ($2::bigint IS NULL OR EXISTS ( \
               SELECT 1 FROM store_group_members m WHERE m.group_id = $2 AND m.site_id = s.id))) c \
         WHERE o.id = $1",
    )
    .bind(organisation_id)
    .bind(group_id)
    .bind(today)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let groups: Vec<GroupRef> =
        serde_json::from_value(head.try_get("groups")?).map_err(|_| AppError::Internal)?;
    let group = match group_id {
        None => None,
        Some(id) => Some(
            groups
                .iter()
                .find(|g| g.id == id)
                .cloned()
                .ok_or(AppError::NotFound)?,
        ),
    };
    let scope = match group_id {
        Some(id) => Scope::Group(id),
        None => Scope::Organisation(organisation_id),
    };
    let last_day: Option<NaiveDate> = head.try_get("last_day")?;
    let end = rules::figures_end(today, last_day == Some(today));
    let trend_period = Period {
        first: end - Duration::days(days - 1),
        last: end,
    };
    let (week, week_before) = rules::week_to_date(end);
    let (month, month_before) = rules::month_to_date(end);
    let month_start = month.first;
    let (trend_rows, sums, top) = futures::try_join!(
        daily(pool, scope, trend_period),
        period_sums(pool, scope, [week, week_before, month, month_before]),
        top_shops(pool, organisation_id, group_id, month_start),
    )?;
    let trend = rules::series(trend_period, &trend_rows)
        .into_iter()
        .map(|(day, count)| chart_day(day, count))
        .collect();
    let compare = |current: Period, previous: Period, c: Option<u64>, p: Option<u64>| {
        let change = rules::change(c, p);
        Comparison {
            current: change.current,
            previous: change.previous,
            permille: change.permille,
            current_span: span(current),
            previous_span: span(previous),
        }
    };
    Ok(Dashboard {
        organisation_id,
        organisation_name: head.try_get("name")?,
        groups,
        group,
        days,
        operational: head.try_get("operational")?,
        total: head.try_get("total")?,
        month: month_start.format("%m/%Y").to_string(),
        top,
        trend,
        week: compare(week, week_before, sums[0], sums[1]),
        month_to_date: compare(month, month_before, sums[2], sums[3]),
        open_alerts: head.try_get("open_alerts")?,
        refreshed_at: clock(now),
    })
}

fn chart_day(day: NaiveDate, count: DayCount) -> ChartDay {
    ChartDay {
        iso: day.to_string(),
        date: fr(day),
        entries: count.entries(),
    }
}

fn as_count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

async fn daily(
    pool: &PgPool,
    scope: Scope,
    period: Period,
) -> Result<Vec<(NaiveDate, u64)>, AppError> {
    let (table, id) = scope.table();
    let rows: Vec<(NaiveDate, i64)> = sqlx::query_as(&format!(
        "SELECT day, entries FROM {table} AND day BETWEEN $2 AND $3 ORDER BY day"
    ))
    .bind(id)
    .bind(period.first)
    .bind(period.last)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(d, n)| (d, as_count(n))).collect())
}

/// The entries of each period; `None` for a period without any data.
async fn period_sums(
    pool: &PgPool,
    scope: Scope,
    periods: [Period; 4],
) -> Result<[Option<u64>; 4], AppError> {
    let (table, id) = scope.table();
    let mut sql = String::from("SELECT ");
    for i in 0..4 {
        let (a, b) = (2 + 2 * i, 3 + 2 * i);
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!(
            "sum(entries) FILTER (WHERE day BETWEEN ${a} AND ${b})::bigint"
        ));
    }
    sql.push_str(&format!(" FROM {table} AND ("));
    for i in 0..4 {
        let (a, b) = (2 + 2 * i, 3 + 2 * i);
        if i > 0 {
            sql.push_str(" OR ");
        }
        sql.push_str(&format!("day BETWEEN ${a} AND ${b}"));
    }
    sql.push(')');
    let mut query = sqlx::query(&sql).bind(id);
    for p in periods {
        query = query.bind(p.first).bind(p.last);
    }
    let row = query.fetch_one(pool).await?;
    let mut out = [None; 4];
    for (i, slot) in out.iter_mut().enumerate() {
        let sum: Option<i64> = row.try_get(i)?;
        *slot = sum.map(as_count);
    }
    Ok(out)
}

async fn top_shops(
    pool: &PgPool,
    organisation_id: i64,
    group_id: Option<i64>,
    month: NaiveDate,
) -> Result<Vec<TopShop>, AppError> {
    // The database keeps the candidates (rank ≤ 10, ties included, read in ranking order from
    // `site_monthly_ranking`; at most 100 shared places); the ranking rule itself is
    // `rules::top`. The shops are joined to those few rows only.
    let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT t.site_id, s.shop_code, s.name, t.entries FROM ( \
           SELECT site_id, entries FROM ( \
             SELECT m.site_id, m.entries, rank() OVER (ORDER BY m.entries DESC) AS r \
               FROM site_monthly m \
              WHERE m.organisation_id = $1 AND m.month = $2 \
                AND ($3::bigint IS NULL OR EXISTS (SELECT 1 FROM store_group_members g \
                     WHERE g.group_id = $3 AND g.site_id = m.site_id))) ranked \
            WHERE r <= 10 LIMIT 100) t \
         JOIN sites s ON s.id = t.site_id",
    )
    .bind(organisation_id)
    .bind(month)
    .bind(group_id)
    .fetch_all(pool)
    .await?;
    let shops = rows
        .into_iter()
        .map(|(id, code, name, n)| ((id, code, name), DayCount::Entries(as_count(n))))
        .collect();
    Ok(rules::top(shops, 10, |(_, code, _)| code.clone())
        .into_iter()
        .map(|r| TopShop {
            rank: r.rank,
            site_id: r.item.0,
            shop_code: r.item.1,
            name: r.item.2,
            entries: r.entries,
        })
        .collect())
}

fn range_problem(problem: RangeProblem) -> AppError {
    match problem {
        RangeProblem::FromInvalid => AppError::invalid("from", Problem::DateInvalid),
        RangeProblem::ToInvalid => AppError::invalid("to", Problem::DateInvalid),
        RangeProblem::Reversed => AppError::invalid("from", Problem::RangeReversed),
        RangeProblem::TooLong => AppError::invalid("from", Problem::RangeTooLong),
    }
}

/// One shop, if the caller's organisation (`None`: any) owns it.
pub async fn shop(
    pool: &PgPool,
    tenant: Option<i64>,
    site_id: i64,
) -> Result<ShopSummary, AppError> {
    let row = sqlx::query(
        "SELECT s.id, s.organisation_id, o.name AS organisation_name, s.shop_code, s.name, s.city, \
                s.country, s.time_zone, s.opens_at, s.closes_at, s.operational, \
                s.not_operational_reason \
           FROM sites s JOIN organisations o ON o.id = s.organisation_id \
          WHERE s.id = $1 AND ($2::bigint IS NULL OR s.organisation_id = $2)",
    )
    .bind(site_id)
    .bind(tenant)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::invalid("site", Problem::SiteUnknown))?;
    let opens: NaiveTime = row.try_get("opens_at")?;
    let closes: NaiveTime = row.try_get("closes_at")?;
    Ok(ShopSummary {
        id: row.try_get("id")?,
        organisation_id: row.try_get("organisation_id")?,
        organisation_name: row.try_get("organisation_name")?,
        shop_code: row.try_get("shop_code")?,
        name: row.try_get("name")?,
        city: row.try_get("city")?,
        country: row.try_get("country")?,
        time_zone: row.try_get("time_zone")?,
        opens_at: opens.format("%H:%M").to_string(),
        closes_at: closes.format("%H:%M").to_string(),
        operational: row.try_get("operational")?,
        not_operational_reason: row.try_get("not_operational_reason")?,
    })
}

/// A shop's days over a range (its own local days), with entries and exits.
pub async fn shop_days(
    pool: &PgPool,
    site_id: i64,
    period: Period,
) -> Result<Vec<(NaiveDate, u64, Option<u64>)>, AppError> {
    let rows: Vec<(NaiveDate, i32, Option<i32>)> = sqlx::query_as(
        "SELECT day, entries, exits FROM counts WHERE site_id = $1 AND day BETWEEN $2 AND $3 \
         ORDER BY day",
    )
    .bind(site_id)
    .bind(period.first)
    .bind(period.last)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(d, e, x)| (d, as_count(i64::from(e)), x.map(|x| as_count(i64::from(x)))))
        .collect())
}

/// The range asked for a shop, in the shop's own calendar.
pub fn shop_period(
    shop: &ShopSummary,
    from: &str,
    to: &str,
    now: DateTime<Utc>,
) -> Result<Period, AppError> {
    let zone: Tz = shop.time_zone.parse().unwrap_or(chrono_tz::Europe::Paris);
    rules::history_range(from, to, rules::local_day(now, zone)).map_err(range_problem)
}

pub async fn shop_history(
    pool: &PgPool,
    tenant: Option<i64>,
    site_id: i64,
    from: &str,
    to: &str,
    now: DateTime<Utc>,
) -> Result<ShopReport, AppError> {
    let site = shop(pool, tenant, site_id).await?;
    let period = shop_period(&site, from, to, now)?;
    let rows = shop_days(pool, site_id, period).await?;
    let entries: Vec<(NaiveDate, u64)> = rows.iter().map(|(d, e, _)| (*d, *e)).collect();
    let days = rules::series(period, &entries);
    let exits_by_day: std::collections::HashMap<NaiveDate, u64> = rows
        .iter()
        .filter_map(|(d, _, x)| x.map(|x| (*d, x)))
        .collect();
    let total = rules::total(days.iter().map(|(_, c)| *c));
    let days_with_data = days.iter().filter(|(_, c)| c.entries().is_some()).count() as i64;
    let average = total
        .zip(u64::try_from(days_with_data).ok().filter(|n| *n > 0))
        .map(|(t, n)| (t + n / 2) / n);
    let (best, worst) = rules::extremes(&days);
    let figure = |(day, entries): (NaiveDate, u64)| DayFigure {
        date: fr(day),
        entries,
    };
    Ok(ShopReport {
        site,
        from: period.first.to_string(),
        to: period.last.to_string(),
        exits: days
            .iter()
            .map(|(d, _)| exits_by_day.get(d).copied())
            .collect(),
        gaps: rules::gaps(&days)
            .into_iter()
            .map(|(first, last)| Gap {
                first: fr(first),
                last: fr(last),
                days: (last - first).num_days() + 1,
            })
            .collect(),
        days: days.into_iter().map(|(d, c)| chart_day(d, c)).collect(),
        total,
        average,
        days_with_data,
        best: best.map(figure),
        worst: worst.map(figure),
        refreshed_at: clock(now),
    })
}

/// The days an export covers, with their counts (for the CSV download).
pub struct ExportRow {
    pub day: NaiveDate,
    pub shop_code: Option<String>,
    pub entries: Option<u64>,
    pub exits: Option<u64>,
    pub shops: Option<i64>,
}

/// The dashboard trend as rows: one per day, empty where there is no data.
pub async fn trend_rows(
    pool: &PgPool,
    organisation_id: i64,
    group_id: Option<i64>,
    period: Period,
) -> Result<Vec<ExportRow>, AppError> {
    if let Some(group) = group_id {
        let owner: Option<i64> =
            sqlx::query_scalar("SELECT organisation_id FROM store_groups WHERE id = $1")
                .bind(group)
                .fetch_optional(pool)
                .await?;
        if owner != Some(organisation_id) {
            return Err(AppError::NotFound);
        }
    }
    let (table, id) = match group_id {
        Some(g) => Scope::Group(g),
        None => Scope::Organisation(organisation_id),
    }
    .table();
    let rows: Vec<(NaiveDate, i64, i32)> = sqlx::query_as(&format!(
        "SELECT day, entries, shops FROM {table} AND day BETWEEN $2 AND $3 ORDER BY day"
    ))
    .bind(id)
    .bind(period.first)
    .bind(period.last)
    .fetch_all(pool)
    .await?;
    let mut rows = rows.into_iter().peekable();
    Ok(period
        .first
        .iter_days()
        .take_while(|d| *d <= period.last)
        .map(|day| {
            let found = rows.next_if(|(d, _, _)| *d == day);
            ExportRow {
                day,
                shop_code: None,
                entries: found.map(|(_, n, _)| as_count(n)),
                exits: None,
                shops: found.map(|(_, _, s)| i64::from(s)),
            }
        })
        .collect())
}

/// The trend's period for `days` days (30 or 90) ending yesterday in Paris, or today once it
/// has data — the same rule as the dashboard.
pub async fn trend_period(
    pool: &PgPool,
    organisation_id: i64,
    days: i64,
    now: DateTime<Utc>,
) -> Result<Period, AppError> {
    let today = rules::local_day(now, chrono_tz::Europe::Paris);
    let has_today: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM org_daily WHERE organisation_id = $1 AND day = $2)",
    )
    .bind(organisation_id)
    .bind(today)
    .fetch_one(pool)
    .await?;
    let end = rules::figures_end(today, has_today);
    Ok(Period {
        first: end - Duration::days(days - 1),
        last: end,
    })
}

pub async fn alerts(
    pool: &PgPool,
    organisation_id: Option<i64>,
    filter: &AlertFilter,
    now: DateTime<Utc>,
) -> Result<AlertPage, AppError> {
    let all = filter.show.trim() == "toutes";
    let page = filter
        .page
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let counts: (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE a.acknowledged_at IS NULL) \
           FROM counter_alerts a JOIN sites s ON s.id = a.site_id \
          WHERE ($1::bigint IS NULL OR s.organisation_id = $1)",
    )
    .bind(organisation_id)
    .fetch_one(pool)
    .await?;
    let rows = sqlx::query(
        "SELECT a.id, a.kind, o.name AS organisation_name, s.id AS site_id, s.shop_code, \
                s.name AS shop_name, a.day, a.created_at, a.acknowledged_at, \
                acc.display_name AS acknowledged_by, \
                s.time_zone, \
                CASE a.kind WHEN 'no_data' THEN (SELECT min(c.day) FROM counts c \
                       WHERE c.site_id = a.site_id AND c.day > a.day) END AS next_day, \
                CASE a.kind \
                  WHEN 'zero_entries' THEN COALESCE((SELECT c.entries > 0 FROM counts c \
                       WHERE c.site_id = a.site_id AND c.day = a.day), false) \
                  WHEN 'no_data' THEN EXISTS (SELECT 1 FROM counts c \
                       WHERE c.site_id = a.site_id AND c.day > a.day) \
                  ELSE COALESCE((SELECT l.last_received_at > a.created_at FROM site_last_data l \
                       WHERE l.site_id = a.site_id), false) \
                END AS recovered \
           FROM counter_alerts a \
           JOIN sites s ON s.id = a.site_id \
           JOIN organisations o ON o.id = s.organisation_id \
           LEFT JOIN accounts acc ON acc.id = a.acknowledged_by \
          WHERE ($1::bigint IS NULL OR s.organisation_id = $1) \
            AND ($2 OR a.acknowledged_at IS NULL) \
          ORDER BY (a.acknowledged_at IS NULL) DESC, a.day DESC, o.name, s.shop_code, a.kind \
          LIMIT $3 OFFSET $4",
    )
    .bind(organisation_id)
    .bind(all)
    .bind(ALERTS_PER_PAGE)
    .bind(page.saturating_sub(1).saturating_mul(ALERTS_PER_PAGE))
    .fetch_all(pool)
    .await?;
    let items = rows
        .iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            let day: NaiveDate = row.try_get("day")?;
            let created: DateTime<Utc> = row.try_get("created_at")?;
            let acknowledged: Option<DateTime<Utc>> = row.try_get("acknowledged_at")?;
            let kind = match kind.as_str() {
                "offline" => AlertKind::Offline,
                "no_data" => AlertKind::NoData,
                _ => AlertKind::ZeroEntries,
            };
            let days = match kind {
                AlertKind::NoData => {
                    let zone: String = row.try_get("time_zone")?;
                    let zone: Tz = zone.parse().unwrap_or(chrono_tz::Europe::Paris);
                    let next: Option<NaiveDate> = row.try_get("next_day")?;
                    Some(rules::no_data_span(day, next, rules::local_day(now, zone)))
                }
                AlertKind::ZeroEntries | AlertKind::Offline => None,
            };
            Ok(CounterAlertView {
                id: row.try_get("id")?,
                kind,
                organisation_name: row.try_get("organisation_name")?,
                site_id: row.try_get("site_id")?,
                shop_code: row.try_get("shop_code")?,
                shop_name: row.try_get("shop_name")?,
                day: fr(day),
                days,
                detected_at: paris_time(created),
                recovered: row.try_get("recovered")?,
                acknowledged_at: acknowledged.map(paris_time),
                acknowledged_by: row.try_get("acknowledged_by")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(AlertPage {
        organisation_id,
        items,
        total: if all { counts.0 } else { counts.1 },
        open: counts.1,
        page,
        per_page: ALERTS_PER_PAGE,
        refreshed_at: clock(now),
    })
}

/// Acknowledges an alert of the caller's organisation (`None`: any). Acknowledging twice is
/// not an error; the first acknowledgement is kept.
pub async fn acknowledge(
    pool: &PgPool,
    tenant: Option<i64>,
    alert_id: i64,
    by: i64,
) -> Result<(), AppError> {
    let found: Option<bool> = sqlx::query_scalar(
        "WITH target AS ( \
           SELECT a.id, a.acknowledged_at IS NOT NULL AS done FROM counter_alerts a \
             JOIN sites s ON s.id = a.site_id \
            WHERE a.id = $1 AND ($2::bigint IS NULL OR s.organisation_id = $2) FOR UPDATE OF a), \
         updated AS ( \
           UPDATE counter_alerts SET acknowledged_at = now(), acknowledged_by = $3 \
            WHERE id IN (SELECT id FROM target WHERE NOT done) RETURNING id) \
         SELECT true FROM target",
    )
    .bind(alert_id)
    .bind(tenant)
    .bind(by)
    .fetch_optional(pool)
    .await?;
    found
        .map(|_| ())
        .ok_or_else(|| AppError::invalid("alert", Problem::CounterAlertUnknown))
}

/// Records every zero-entry day: an operational shop whose previous local day (in its own
/// time zone) was counted 0. Called after each ingestion and by the hourly job; a day is
/// recorded once.
pub async fn detect_zero_entries(
    pool: &PgPool,
    organisation_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO counter_alerts (site_id, kind, day) \
         SELECT s.id, 'zero_entries', c.day FROM sites s \
           JOIN counts c ON c.site_id = s.id \
                        AND c.day = (($1::timestamptz AT TIME ZONE s.time_zone)::date - 1) \
          WHERE s.operational AND c.entries = 0 \
            AND ($2::bigint IS NULL OR s.organisation_id = $2) \
         ON CONFLICT (site_id, kind, day) DO NOTHING",
    )
    .bind(now)
    .bind(organisation_id)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// Records every operational shop that has sent nothing for more than 24 hours
/// ([`rules::is_offline`]; counted from its creation when it never sent anything). One alert
/// per silence: its day is the local day of the last data received.
pub async fn detect_offline(pool: &PgPool, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO counter_alerts (site_id, kind, day) \
         SELECT s.id, 'offline', \
                (COALESCE(l.last_received_at, s.created_at) AT TIME ZONE s.time_zone)::date \
           FROM sites s LEFT JOIN site_last_data l ON l.site_id = s.id \
          WHERE s.operational AND COALESCE(l.last_received_at, s.created_at) < $1 \
         ON CONFLICT (site_id, kind, day) DO NOTHING",
    )
    .bind(rules::offline_cutoff(now))
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// Records every operational shop that still calls in but has stored no day for `threshold`
/// whole local days or more before its yesterday ([`rules::no_data_days`]): a counter that
/// sends nothing new, or only old days again. One alert per silence: its day is the last day
/// with data, so a shop whose data came back and stopped again gets a new one. An offline shop
/// gets the offline alert instead. Safe to run twice at once: the unique key keeps one.
pub async fn detect_no_data(
    pool: &PgPool,
    now: DateTime<Utc>,
    threshold: i64,
) -> Result<u64, sqlx::Error> {
    // The database keeps the candidates: whatever the shop's time zone its yesterday is at most
    // the UTC date, so a due shop's last day is at most the UTC date minus the threshold (one
    // row per silent shop is read). The rule itself runs in each shop's own calendar.
    let threshold = threshold.clamp(1, rules::NO_DATA_DAYS_MAX);
    let latest = now.date_naive() - Duration::days(threshold);
    let candidates: Vec<(i64, String, DateTime<Utc>, NaiveDate)> = sqlx::query_as(
        "SELECT s.id, s.time_zone, l.last_received_at, l.last_day \
           FROM sites s JOIN site_last_data l ON l.site_id = s.id \
          WHERE s.operational AND l.last_received_at >= $1 AND l.last_day <= $2",
    )
    .bind(rules::offline_cutoff(now))
    .bind(latest)
    .fetch_all(pool)
    .await?;
    let (sites, days): (Vec<i64>, Vec<NaiveDate>) = candidates
        .into_iter()
        .filter(|(_, zone, received, last_day)| {
            let zone: Tz = zone.parse().unwrap_or(chrono_tz::Europe::Paris);
            rules::no_data_days(true, *received, *last_day, now, zone, threshold).is_some()
        })
        .map(|(site, _, _, last_day)| (site, last_day))
        .unzip();
    if sites.is_empty() {
        return Ok(0);
    }
    // Only while nothing changed since the read: no later day stored, still in service.
    let done = sqlx::query(
        "INSERT INTO counter_alerts (site_id, kind, day) \
         SELECT t.site_id, 'no_data', t.day \
           FROM unnest($1::bigint[], $2::date[]) AS t (site_id, day) \
           JOIN site_last_data l ON l.site_id = t.site_id AND l.last_day = t.day \
           JOIN sites s ON s.id = t.site_id AND s.operational \
          ORDER BY t.site_id \
         ON CONFLICT (site_id, kind, day) DO NOTHING",
    )
    .bind(&sites)
    .bind(&days)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}
