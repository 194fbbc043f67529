//! Helpers shared by the invoicing queries: field errors, dates in Paris, and the filtered,
//! sorted and paged lists (search patterns, sorting, page fetching).

use crate::error::{AppError, AppResult, FieldProblem, Problem};
use crate::invoicing::money::Cents;
use crate::invoicing::{ListFilter, Page};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgPool, Postgres, QueryBuilder};

pub(super) fn invalid(field: &str, p: Problem) -> AppError {
    AppError::invalid(field, p)
}

/// A date as French readers write it, `22/11/2026`.
pub(super) fn fr_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Today in Paris.
pub fn paris_today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&chrono_tz::Europe::Paris).date_naive()
}

pub const PER_PAGE: i64 = 25;

/// An ORDER BY built from a fixed list of columns, never from the input.
pub struct Sorting {
    column: &'static str,
    nullable: bool,
    descending: bool,
    tie: &'static str,
}

/// A sortable column: its `tri` key, its SQL expression, and whether it can be NULL (NULLs go
/// last; saying so for NOT NULL columns would stop PostgreSQL from using their index).
type SortColumn = (&'static str, &'static str, bool);

impl Sorting {
    /// `sort` names one of `columns` (the first is the default); `direction` is `asc` or `desc`.
    pub(super) fn pick(
        sort: &str,
        direction: &str,
        columns: &[SortColumn],
        tie: &'static str,
        descending_by_default: bool,
    ) -> Sorting {
        let (column, nullable) = columns
            .iter()
            .find(|(key, _, _)| *key == sort.trim())
            .or(columns.first())
            .map_or((tie, false), |(_, column, nullable)| (*column, *nullable));
        let descending = match direction.trim() {
            "asc" => false,
            "desc" => true,
            _ => descending_by_default,
        };
        Sorting {
            column,
            nullable,
            descending,
            tie,
        }
    }

    pub(super) fn of(
        f: &ListFilter,
        columns: &[SortColumn],
        tie: &'static str,
        descending_by_default: bool,
    ) -> Sorting {
        Sorting::pick(&f.sort, &f.direction, columns, tie, descending_by_default)
    }

    fn sql(&self) -> String {
        let direction = if self.descending { "DESC" } else { "ASC" };
        let nulls = if self.nullable { " NULLS LAST" } else { "" };
        format!(
            " ORDER BY {} {direction}{nulls}, {} {direction}",
            self.column, self.tie
        )
    }
}

/// Counts the filtered rows (unless the total is `known`), then fetches one page of them.
/// `filters` pushes the FROM and WHERE clauses; its flag says whether it is building the count
/// (which can skip joins).
pub(super) async fn fetch_page<T>(
    pool: &PgPool,
    columns: &str,
    filters: impl Fn(&mut QueryBuilder<'_, Postgres>, bool) -> AppResult<()>,
    known: Option<i64>,
    sorting: Sorting,
    page: &str,
    row: impl Fn(&sqlx::postgres::PgRow) -> Option<T>,
) -> AppResult<Page<T>> {
    let page = page.trim().parse::<i64>().unwrap_or(1).clamp(1, 1_000_000);
    let total = match known {
        Some(total) => total,
        None => {
            let mut count: QueryBuilder<Postgres> = QueryBuilder::new("SELECT count(*)");
            filters(&mut count, true)?;
            count.build_query_scalar().fetch_one(pool).await?
        }
    };
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(format!("SELECT {columns}"));
    filters(&mut q, false)?;
    // LIMIT and OFFSET written as numbers (ours, computed: never the user's text), not bound:
    // with them as parameters PostgreSQL plans the page afresh on every view (a custom plan,
    // ≈ 0.2 ms); as constants it settles on the prepared statement's generic plan.
    q.push(sorting.sql())
        .push(" LIMIT ")
        .push(PER_PAGE)
        .push(" OFFSET ")
        .push(page.saturating_sub(1).saturating_mul(PER_PAGE));
    let rows = q.build().fetch_all(pool).await?;
    Ok(Page {
        items: rows.iter().filter_map(row).collect(),
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// `%text%` for ILIKE, the user's `%`, `_` and `\` escaped (they are characters to find, not
/// wildcards); `None` when there is nothing to search.
pub(super) fn like_pattern(search: &str) -> Option<String> {
    let search = search.trim();
    (!search.is_empty()).then(|| {
        let escaped = search
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    })
}

pub(super) fn optional_id(field: &str, raw: &str, unknown: Problem) -> AppResult<Option<i64>> {
    match raw.trim() {
        "" => Ok(None),
        raw => raw
            .parse::<i64>()
            .map(Some)
            .map_err(|_| invalid(field, unknown)),
    }
}

/// The list's amount range in cents, either bound optional.
pub(super) fn amount_range(f: &ListFilter) -> AppResult<(Option<i64>, Option<i64>)> {
    let mut problems = Vec::new();
    let mut parse = |field: &str, raw: &str| match raw.trim() {
        "" => None,
        raw => Cents::parse(raw)
            .map_err(|p| {
                problems.push(FieldProblem {
                    field: field.to_owned(),
                    problem: p,
                })
            })
            .ok()
            .map(|c| c.0),
    };
    let range = (
        parse("min_amount", &f.min_amount),
        parse("max_amount", &f.max_amount),
    );
    if problems.is_empty() {
        Ok(range)
    } else {
        Err(AppError::Invalid(problems))
    }
}
