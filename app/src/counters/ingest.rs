//! Writing daily counts: the API and the CSV import share this path. Rows are checked in Rust
//! (syntax, then the organisation's shops: unknown code, future day), streamed with COPY into a
//! temporary table with their shop ids, deduplicated (the last row wins) and written: plain
//! inserts for new days, one upsert for days already stored. The dashboards' rollups are
//! updated by deltas in the same transaction, under a per-organisation advisory lock.

use super::rules::{parse_count_text, parse_day};
use super::{IngestReport, MAX_REPORTED, RejectReason, Rejection};
use chrono::NaiveDate;
use futures::{Stream, StreamExt};
use serde_json::Value;
use sqlx::{PgPool, Postgres, Row, Transaction};
use std::collections::{HashMap, HashSet};
use std::io::Write as _;

/// The most rows one API call may carry.
pub const MAX_API_ROWS: usize = 10_000;

/// COPY buffers are sent in pieces of about this size.
const FLUSH_BYTES: usize = 256 * 1024;

/// Advisory lock namespace (two-key form) for "ingestion into organisation N".
const INGEST_LOCK: i32 = 0x636e_7473; // "cnts"

/// How positions are named in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// JSON array index, from 0.
    Index,
    /// CSV line, from 1.
    Line,
}

impl Unit {
    fn name(self) -> &'static str {
        match self {
            Unit::Index => "l'élément",
            Unit::Line => "la ligne",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The database could not be used (unreachable, overloaded, a conflict): nothing was
    /// written, and the same batch may be sent again.
    #[error("base de données indisponible : {0}")]
    Database(#[from] sqlx::Error),
    /// PostgreSQL refused a value the checks let through (in French, naming the row when the
    /// database says which): nothing was written, and sending the same batch again would fail
    /// the same way. A bug to fix in the checks, never a reason to retry.
    #[error("refusé par la base de données : {0}")]
    Refused(String),
    #[error("envoi interrompu : {0}")]
    Interrupted(String),
    #[error("en-tête CSV inutilisable : {0}")]
    Header(String),
}

impl IngestError {
    /// Tells a value PostgreSQL refused (data exceptions, check and not-null violations) from
    /// the database being unavailable. `copied` holds the positions of the rows in COPY order,
    /// so a COPY error's line names the row it came from.
    fn sorted(self, copied: &[u64], unit: Unit) -> Self {
        let IngestError::Database(err) = &self else {
            return self;
        };
        if !crate::error::is_refused_value(err) {
            return self;
        }
        let sqlx::Error::Database(db) = err else {
            return self;
        };
        let pg = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>();
        let row = pg
            .and_then(|pg| pg.r#where())
            .and_then(copy_line)
            .and_then(|line| copied.get(line.checked_sub(1)?).copied());
        let what = match row {
            Some(position) => format!("{} {position}", unit.name()),
            None => "une des données".to_owned(),
        };
        // PostgreSQL's detail names the failing row's values when no COPY line does.
        let detail = pg
            .and_then(|pg| pg.detail())
            .map(|d| format!(" ; {d}"))
            .unwrap_or_default();
        // PostgreSQL's own words stay quoted as they are (they name the constraint).
        IngestError::Refused(format!(
            "la base de données a refusé {what} (message de PostgreSQL : « {}{detail} ») : rien \
             n'a été écrit ; corrigez ou retirez cette donnée avant de renvoyer",
            db.message()
        ))
    }
}

/// The line of a COPY error's context (`COPY count_batch, line 3, column day: "…"`), from 1.
fn copy_line(context: &str) -> Option<usize> {
    let after = context.split_once(", line ")?.1;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// One checked row, ready for COPY.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountRow {
    pub shop_code: String,
    pub day: NaiveDate,
    pub entries: i32,
    pub exits: Option<i32>,
}

pub type RowResult = Result<CountRow, (RejectReason, String)>;

/// One of the organisation's shops, as ingestion needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shop {
    pub id: i64,
    /// Its local today: later days are refused.
    pub today: NaiveDate,
    /// First and last stored day (`None` without data): rows outside replace nothing.
    pub stored: Option<(NaiveDate, NaiveDate)>,
}

/// Past this many distinct (shop, day) pairs a batch stops tracking them and lets the database
/// look for repeats (about 20 MB of set at the limit, whatever the file's size).
const MAX_TRACKED_PAIRS: usize = 1_000_000;

/// Rows and refusals gathered before the database sees them. Shop codes are resolved here
/// against the organisation's shops (read once under the ingestion lock), so the database
/// receives shop ids and no row needs a lookup or a check there. Built only by [`Batch::new`],
/// which starts tracking (shop, day) pairs: a batch that did not could miss a repeat.
#[derive(Debug)]
pub struct Batch {
    shops: HashMap<String, Shop>,
    copy: Vec<u8>,
    pub rows: u64,
    rejected: Vec<Rejection>,
    rejected_total: u64,
    /// A row counts 0 entries on its shop's previous local day (or today, which becomes it at
    /// midnight): only then can the batch raise a zero-entry alert.
    recent_zero: bool,
    /// For each shop with a row among its stored days, the first and last such row: the
    /// values being replaced are read by these ranges only.
    spans: HashMap<i64, (NaiveDate, NaiveDate)>,
    /// The (shop, day) pairs seen so far; `None` once there are too many to track.
    pairs: Option<HashSet<(i64, NaiveDate)>>,
    /// A (shop, day) pair may appear twice: the database must keep the last one.
    repeats: bool,
    /// The positions of the rows sent to COPY, in order (the first [`MAX_TRACKED_PAIRS`]), so
    /// an error on a COPY line names its row.
    copied: Vec<u64>,
}

impl Batch {
    pub fn new(shops: HashMap<String, Shop>) -> Self {
        Batch {
            shops,
            copy: Vec::new(),
            rows: 0,
            rejected: Vec::new(),
            rejected_total: 0,
            recent_zero: false,
            spans: HashMap::new(),
            pairs: Some(HashSet::new()),
            repeats: false,
            copied: Vec::new(),
        }
    }

    pub fn push(&mut self, position: u64, row: RowResult) {
        let row = match row {
            Ok(row) => row,
            Err((reason, message)) => return self.reject(position, reason, message),
        };
        // Another organisation's code is as unknown as a code that does not exist.
        let Some(shop) = self.shops.get(&row.shop_code).copied() else {
            return self.reject(
                position,
                RejectReason::UnknownShop,
                format!("magasin « {} » inconnu", row.shop_code),
            );
        };
        if row.day > shop.today {
            return self.reject(
                position,
                RejectReason::FutureDate,
                format!(
                    "le {} est dans le futur pour le magasin « {} » (aujourd'hui : {})",
                    row.day.format("%d/%m/%Y"),
                    row.shop_code,
                    shop.today.format("%d/%m/%Y")
                ),
            );
        }
        let _ = write!(
            self.copy,
            "{position}\t{}\t{}\t{}\t",
            shop.id, row.day, row.entries
        );
        match row.exits {
            Some(exits) => {
                let _ = writeln!(self.copy, "{exits}");
            }
            None => self.copy.extend_from_slice(b"\\N\n"),
        }
        self.rows += 1;
        if self.copied.len() < MAX_TRACKED_PAIRS {
            self.copied.push(position);
        }
        self.recent_zero |= row.entries == 0
            && shop
                .today
                .pred_opt()
                .is_none_or(|yesterday| row.day >= yesterday);
        if shop
            .stored
            .is_some_and(|(first, last)| (first..=last).contains(&row.day))
        {
            self.spans
                .entry(shop.id)
                .and_modify(|(first, last)| {
                    *first = (*first).min(row.day);
                    *last = (*last).max(row.day);
                })
                .or_insert((row.day, row.day));
        }
        if let Some(pairs) = &mut self.pairs {
            self.repeats |= !pairs.insert((shop.id, row.day));
            if pairs.len() > MAX_TRACKED_PAIRS {
                self.pairs = None;
                self.repeats = true;
            }
        }
    }

    pub fn reject(&mut self, position: u64, reason: RejectReason, message: String) {
        self.rejected_total += 1;
        if self.rejected.len() < MAX_REPORTED {
            self.rejected.push(Rejection {
                position,
                reason,
                message,
            });
        }
    }

    #[cfg(test)]
    pub fn copy_text(&self) -> &str {
        std::str::from_utf8(&self.copy).unwrap_or_default()
    }

    #[cfg(test)]
    pub fn rejections(&self) -> &[Rejection] {
        &self.rejected
    }

    /// A batch for the parsers' tests: shops `P1`…`P9` (ids 1…9), no day in the future.
    #[cfg(test)]
    pub fn for_tests() -> Self {
        let today = NaiveDate::MAX;
        Batch::new(
            (1..=9)
                .map(|id| {
                    let stored = None;
                    (format!("P{id}"), Shop { id, today, stored })
                })
                .collect(),
        )
    }
}

/// Turns raw bytes into rows as they arrive.
pub trait Parser {
    fn push(&mut self, chunk: &[u8], batch: &mut Batch) -> Result<(), IngestError>;
    fn finish(&mut self, batch: &mut Batch) -> Result<(), IngestError>;
}

/// For the API's rows, already decoded from JSON: they are checked when the batch is ready.
struct JsonRows<'a>(&'a [Value]);

impl Parser for JsonRows<'_> {
    fn push(&mut self, _: &[u8], _: &mut Batch) -> Result<(), IngestError> {
        Ok(())
    }
    fn finish(&mut self, batch: &mut Batch) -> Result<(), IngestError> {
        for (index, value) in self.0.iter().enumerate() {
            batch.push(index as u64, json_row(value));
        }
        Ok(())
    }
}

// How messages name the counts: a CSV's columns in French, the API's JSON keys as they are
// written (quoted, so the sentence stays French).
const CSV_ENTRIES: &str = "nombre d'entrées";
const CSV_EXITS: &str = "nombre de sorties";
const JSON_ENTRIES: &str = "champ « entries »";
const JSON_EXITS: &str = "champ « exits »";

/// A CSV count: a whole number, French digit grouping accepted (`1 234`, see
/// [`parse_count_text`]).
fn count(label: &str, raw: &str) -> Result<i32, (RejectReason, String)> {
    let raw = raw.trim();
    let value = parse_count_text(raw).ok_or_else(|| {
        (
            RejectReason::BadCount,
            format!(
                "{label} « {raw} » invalide : un nombre entier est attendu (par exemple 1234 ou \
                 1 234)"
            ),
        )
    })?;
    check_count(label, value, raw)
}

/// `written` is the value as the row gave it (a saturated huge number is shown as written).
fn check_count(label: &str, value: i64, written: &str) -> Result<i32, (RejectReason, String)> {
    if value < 0 {
        return Err((
            RejectReason::NegativeCount,
            format!("{label} négatif (« {written} »)"),
        ));
    }
    i32::try_from(value).map_err(|_| {
        (
            RejectReason::CountTooLarge,
            format!("{label} trop grand (« {written} » ; au plus 2 147 483 647)"),
        )
    })
}

pub fn parse_shop_code(raw: &str) -> Result<String, (RejectReason, String)> {
    if raw.trim().is_empty() {
        return Err((
            RejectReason::MissingShopCode,
            "code magasin manquant".to_owned(),
        ));
    }
    super::types::ShopCode::parse(raw)
        .map(|code| code.as_str().to_owned())
        .map_err(|_| {
            (
                RejectReason::UnknownShop,
                format!("code magasin « {} » inconnu (format invalide)", raw.trim()),
            )
        })
}

/// Checks one element of the API's JSON array.
pub fn json_row(value: &Value) -> RowResult {
    let Some(object) = value.as_object() else {
        return Err((
            RejectReason::NotAnObject,
            "l'élément n'est pas un objet JSON".to_owned(),
        ));
    };
    let shop_code = match object.get("shop_code") {
        None | Some(Value::Null) => {
            return Err((
                RejectReason::MissingShopCode,
                "champ « shop_code » manquant".to_owned(),
            ));
        }
        Some(Value::String(code)) => parse_shop_code(code)?,
        Some(other) => {
            return Err((
                RejectReason::UnknownShop,
                format!("le champ « shop_code » doit être une chaîne de caractères, pas {other}"),
            ));
        }
    };
    let day = match object.get("date") {
        None | Some(Value::Null) => {
            return Err((
                RejectReason::MissingDate,
                "champ « date » manquant".to_owned(),
            ));
        }
        Some(Value::String(raw)) => parse_day(raw, false)?,
        Some(other) => {
            return Err((
                RejectReason::BadDate,
                format!("le champ « date » doit être une chaîne AAAA-MM-JJ, pas {other}"),
            ));
        }
    };
    let number = |label: &str, value: &Value| match value {
        Value::Number(n) => match n.as_i64() {
            Some(v) => check_count(label, v, &n.to_string()),
            None if n.as_u64().is_some() => Err((
                RejectReason::CountTooLarge,
                format!("{label} trop grand (« {n} » ; au plus 2 147 483 647)"),
            )),
            None => Err((
                RejectReason::BadCount,
                format!("le {label} doit être un nombre entier, pas {n}"),
            )),
        },
        other => Err((
            RejectReason::BadCount,
            format!("le {label} doit être un nombre entier, pas {other}"),
        )),
    };
    let entries = match object.get("entries") {
        None | Some(Value::Null) => {
            return Err((
                RejectReason::MissingEntries,
                "champ « entries » manquant".to_owned(),
            ));
        }
        Some(value) => number(JSON_ENTRIES, value)?,
    };
    let exits = match object.get("exits") {
        None | Some(Value::Null) => None,
        Some(value) => Some(number(JSON_EXITS, value)?),
    };
    Ok(CountRow {
        shop_code,
        day,
        entries,
        exits,
    })
}

/// One CSV record's fields, in the file's column order already mapped by the caller.
pub fn text_row(shop_code: &str, date: &str, entries: &str, exits: Option<&str>) -> RowResult {
    let shop_code = parse_shop_code(shop_code)?;
    if date.trim().is_empty() {
        return Err((RejectReason::MissingDate, "date manquante".to_owned()));
    }
    let day = parse_day(date, true)?;
    if entries.trim().is_empty() {
        return Err((
            RejectReason::MissingEntries,
            "nombre d'entrées manquant".to_owned(),
        ));
    }
    let entries = count(CSV_ENTRIES, entries)?;
    let exits = match exits.map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(count(CSV_EXITS, raw)?),
    };
    Ok(CountRow {
        shop_code,
        day,
        entries,
        exits,
    })
}

/// The API: already-decoded JSON rows, at most [`MAX_API_ROWS`].
pub async fn ingest_json(
    pool: &PgPool,
    organisation_id: i64,
    rows: &[Value],
) -> Result<IngestReport, IngestError> {
    let none = futures::stream::empty::<Result<Vec<u8>, std::io::Error>>();
    ingest(pool, organisation_id, none, JsonRows(rows), Unit::Index).await
}

/// Streams `chunks` through `parser` into the organisation's counts, in one transaction.
pub async fn ingest<S, B, E, P>(
    pool: &PgPool,
    organisation_id: i64,
    chunks: S,
    parser: P,
    unit: Unit,
) -> Result<IngestReport, IngestError>
where
    S: Stream<Item = Result<B, E>>,
    B: AsRef<[u8]>,
    E: std::fmt::Display,
    P: Parser,
{
    let mut copied = Vec::new();
    let (report, recent_zero) =
        write_batch(pool, organisation_id, chunks, parser, unit, &mut copied)
            .await
            .map_err(|err| err.sorted(&copied, unit))?;
    // A zero day shows on the alerts page as soon as it arrives, not at the next hourly run.
    if recent_zero
        && report.accepted > 0
        && let Err(err) =
            super::stats::detect_zero_entries(pool, Some(organisation_id), chrono::Utc::now()).await
    {
        tracing::warn!(error = %err, organisation = organisation_id, "zero-entry detection failed");
    }
    Ok(report)
}

/// [`ingest`]'s transaction; also says whether a row may raise a zero-entry alert. Leaves the
/// positions of the rows sent to COPY in `copied` (to name the row of a COPY error).
async fn write_batch<S, B, E, P>(
    pool: &PgPool,
    organisation_id: i64,
    chunks: S,
    mut parser: P,
    unit: Unit,
    copied: &mut Vec<u64>,
) -> Result<(IngestReport, bool), IngestError>
where
    S: Stream<Item = Result<B, E>>,
    B: AsRef<[u8]>,
    E: std::fmt::Display,
    P: Parser,
{
    let mut chunks = std::pin::pin!(chunks);
    let mut tx = pool.begin().await?;
    // The temporary tables are never analysed: JIT compilation, chosen on blind estimates,
    // would only cost time on statements this small.
    sqlx::query("SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true)")
        .execute(&mut *tx)
        .await?;
    lock_organisation(&mut tx, organisation_id).await?;
    // Each shop's today comes from chrono-tz, which validated its zone when it was saved:
    // PostgreSQL's own zone list may lack a recent zone, and must not fail the batch.
    let now = chrono::Utc::now();
    let shops = sqlx::query(
        "SELECT s.id, s.shop_code, s.time_zone, l.first_day, l.last_day \
         FROM sites s LEFT JOIN site_last_data l ON l.site_id = s.id \
         WHERE s.organisation_id = $1",
    )
    .bind(organisation_id)
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|row| {
        Ok((
            row.try_get::<String, _>("shop_code")?,
            Shop {
                id: row.try_get("id")?,
                today: shop_today(&row.try_get::<String, _>("time_zone")?, now),
                stored: row
                    .try_get::<Option<NaiveDate>, _>("first_day")?
                    .zip(row.try_get::<Option<NaiveDate>, _>("last_day")?),
            },
        ))
    })
    .collect::<Result<HashMap<_, _>, sqlx::Error>>()?;
    let mut batch = Batch::new(shops);
    let copy_result = copy_batch(&mut tx, &mut chunks, &mut parser, &mut batch).await;
    *copied = std::mem::take(&mut batch.copied);
    copy_result?;
    let recent_zero = batch.recent_zero;
    let report = apply(&mut tx, organisation_id, batch, unit).await?;
    tx.commit().await?;
    Ok((report, recent_zero))
}

/// The shop's local today. A zone chrono-tz does not know (only a row edited by hand) counts
/// as Paris, where the agency's shops are, rather than refusing the whole batch.
fn shop_today(zone: &str, now: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    let zone = zone.parse().unwrap_or_else(|_| {
        tracing::warn!(zone, "a shop has a time zone chrono-tz does not know");
        chrono_tz::Europe::Paris
    });
    super::rules::local_day(now, zone)
}

/// Sends the parsed rows into the temporary `count_batch` with COPY, as they come.
async fn copy_batch<S, B, E, P>(
    tx: &mut Transaction<'_, Postgres>,
    chunks: &mut std::pin::Pin<&mut S>,
    parser: &mut P,
    batch: &mut Batch,
) -> Result<(), IngestError>
where
    S: Stream<Item = Result<B, E>>,
    B: AsRef<[u8]>,
    E: std::fmt::Display,
    P: Parser,
{
    sqlx::query(
        "CREATE TEMP TABLE count_batch (line BIGINT NOT NULL, site_id BIGINT NOT NULL, \
         day DATE NOT NULL, entries INTEGER NOT NULL, exits INTEGER, old_entries INTEGER, \
         existed BOOLEAN NOT NULL DEFAULT false) ON COMMIT DROP",
    )
    .execute(&mut **tx)
    .await?;
    let mut copy = tx
        .copy_in_raw("COPY count_batch (line, site_id, day, entries, exits) FROM STDIN")
        .await?;
    loop {
        if batch.copy.len() >= FLUSH_BYTES {
            copy.send(batch.copy.as_slice()).await?;
            batch.copy.clear();
        }
        let Some(chunk) = chunks.next().await else {
            break;
        };
        let pushed = match chunk {
            Ok(bytes) => parser.push(bytes.as_ref(), batch),
            Err(err) => Err(IngestError::Interrupted(err.to_string())),
        };
        if let Err(err) = pushed {
            copy.abort("input refused").await?;
            return Err(err);
        }
    }
    if let Err(err) = parser.finish(batch) {
        copy.abort("input refused").await?;
        return Err(err);
    }
    if !batch.copy.is_empty() {
        copy.send(batch.copy.as_slice()).await?;
        batch.copy.clear();
    }
    copy.finish().await?;
    Ok(())
}

/// Every writer of an organisation's counts and rollups holds this lock until it commits.
async fn lock_organisation(
    tx: &mut Transaction<'_, Postgres>,
    organisation_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock($1, $2::int)")
        .bind(INGEST_LOCK)
        .bind(organisation_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Writes `count_batch` (checked rows, shop ids resolved) into the counts and the rollups.
async fn apply(
    tx: &mut Transaction<'_, Postgres>,
    organisation_id: i64,
    mut batch: Batch,
    unit: Unit,
) -> Result<IngestReport, IngestError> {
    // The last row of each shop and day wins; the others are reported and dropped.
    let mut superseded_total = 0;
    if batch.repeats {
        let superseded = sqlx::query(
            "SELECT b.line, w.line AS by_line FROM count_batch b \
             JOIN (SELECT DISTINCT ON (site_id, day) site_id, day, line FROM count_batch \
                   ORDER BY site_id, day, line DESC) w USING (site_id, day) \
             WHERE b.line <> w.line ORDER BY b.line LIMIT $1",
        )
        .bind(MAX_REPORTED as i64)
        .fetch_all(&mut **tx)
        .await?;
        for row in &superseded {
            let line: i64 = row.try_get("line")?;
            let by: i64 = row.try_get("by_line")?;
            batch.rejected.push(Rejection {
                position: line as u64,
                reason: RejectReason::Superseded,
                message: format!(
                    "remplacé par {} {by} (même magasin, même jour)",
                    unit.name()
                ),
            });
        }
        superseded_total = sqlx::query(
            "DELETE FROM count_batch b USING count_batch later \
             WHERE later.site_id = b.site_id AND later.day = b.day AND later.line > b.line",
        )
        .execute(&mut **tx)
        .await?
        .rows_affected();
    }
    let kept = batch.rows - superseded_total;

    if kept > 0 {
        // The stored values, for the rollups' deltas: one index range per shop that may have
        // some (its first to last such day in the batch) instead of a lookup per row.
        let (mut ids, mut firsts, mut lasts) = (Vec::new(), Vec::new(), Vec::new());
        for (id, (first, last)) in &batch.spans {
            ids.push(*id);
            firsts.push(*first);
            lasts.push(*last);
        }
        let stored = if ids.is_empty() {
            0
        } else {
            sqlx::query(
                "CREATE TEMP TABLE count_old ON COMMIT DROP AS \
                 SELECT c.site_id, c.day, c.entries \
                 FROM unnest($1::bigint[], $2::date[], $3::date[]) AS r (site_id, first_day, last_day) \
                 JOIN counts c ON c.site_id = r.site_id AND c.day BETWEEN r.first_day AND r.last_day",
            )
            .bind(&ids)
            .bind(&firsts)
            .bind(&lasts)
            .execute(&mut **tx)
            .await?
            .rows_affected()
        };
        if stored > 0 {
            sqlx::query(
                "UPDATE count_batch b SET old_entries = o.entries, existed = true \
                 FROM count_old o WHERE o.site_id = b.site_id AND o.day = b.day",
            )
            .execute(&mut **tx)
            .await?;
        }

        // New days are plain inserts (no conflict handling per row); only days already stored
        // go through the upsert. Every writer of counts holds the organisation's lock, so no
        // other transaction can add one of these days meanwhile (it would be a unique
        // violation and a rollback, never a wrong value).
        let inserted = sqlx::query(
            "INSERT INTO counts (site_id, day, entries, exits, received_at) \
             SELECT site_id, day, entries, exits, now() FROM count_batch WHERE NOT existed \
             ORDER BY site_id, day",
        )
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if inserted < kept {
            sqlx::query(
                "INSERT INTO counts (site_id, day, entries, exits, received_at) \
                 SELECT site_id, day, entries, exits, now() FROM count_batch WHERE existed \
                 ORDER BY site_id, day \
                 ON CONFLICT (site_id, day) DO UPDATE \
                 SET entries = EXCLUDED.entries, exits = EXCLUDED.exits, received_at = EXCLUDED.received_at \
                 WHERE (counts.entries, counts.exits) IS DISTINCT FROM (EXCLUDED.entries, EXCLUDED.exits)",
            )
            .execute(&mut **tx)
            .await?;
        }
        update_rollups(tx, organisation_id).await?;
    }

    batch.rejected_total += superseded_total;
    batch.rejected.sort_by_key(|r| r.position);
    batch.rejected.truncate(MAX_REPORTED);
    Ok(IngestReport {
        accepted: kept,
        rejected_total: batch.rejected_total,
        rejected: batch.rejected,
    })
}

/// Adds `count_batch`'s differences to the rollups: the new value minus the stored one, and one
/// more shop with data for each day that had none.
async fn update_rollups(
    tx: &mut Transaction<'_, Postgres>,
    organisation_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO org_daily (organisation_id, day, entries, shops) \
         SELECT $1, day, sum(entries - coalesce(old_entries, 0)), count(*) FILTER (WHERE NOT existed) \
         FROM count_batch GROUP BY day ORDER BY day \
         ON CONFLICT (organisation_id, day) DO UPDATE \
         SET entries = org_daily.entries + EXCLUDED.entries, shops = org_daily.shops + EXCLUDED.shops \
         WHERE EXCLUDED.entries <> 0 OR EXCLUDED.shops <> 0",
    )
    .bind(organisation_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO site_monthly (site_id, month, organisation_id, entries, days) \
         SELECT site_id, date_trunc('month', day::timestamp)::date, $1, \
                sum(entries - coalesce(old_entries, 0)), count(*) FILTER (WHERE NOT existed) \
         FROM count_batch GROUP BY 1, 2 ORDER BY 1, 2 \
         ON CONFLICT (site_id, month) DO UPDATE \
         SET entries = site_monthly.entries + EXCLUDED.entries, days = site_monthly.days + EXCLUDED.days \
         WHERE EXCLUDED.entries <> 0 OR EXCLUDED.days <> 0",
    )
    .bind(organisation_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO group_daily (group_id, day, entries, shops) \
         SELECT m.group_id, b.day, sum(b.entries - coalesce(b.old_entries, 0)), \
                count(*) FILTER (WHERE NOT b.existed) \
         FROM count_batch b JOIN store_group_members m ON m.site_id = b.site_id \
         GROUP BY 1, 2 ORDER BY 1, 2 \
         ON CONFLICT (group_id, day) DO UPDATE \
         SET entries = group_daily.entries + EXCLUDED.entries, shops = group_daily.shops + EXCLUDED.shops \
         WHERE EXCLUDED.entries <> 0 OR EXCLUDED.shops <> 0",
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO site_last_data (site_id, last_received_at, first_day, last_day) \
         SELECT site_id, now(), min(day), max(day) FROM count_batch GROUP BY site_id ORDER BY site_id \
         ON CONFLICT (site_id) DO UPDATE \
         SET last_received_at = EXCLUDED.last_received_at, \
             first_day = least(site_last_data.first_day, EXCLUDED.first_day), \
             last_day = greatest(site_last_data.last_day, EXCLUDED.last_day)",
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Rebuilds one group's daily rollup from the counts (after its members changed). Takes the
/// ingestion lock so no batch applies deltas meanwhile.
pub async fn rebuild_group(
    tx: &mut Transaction<'_, Postgres>,
    organisation_id: i64,
    group_id: i64,
) -> Result<(), sqlx::Error> {
    lock_organisation(tx, organisation_id).await?;
    sqlx::query("DELETE FROM group_daily WHERE group_id = $1")
        .bind(group_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO group_daily (group_id, day, entries, shops) \
         SELECT $1, c.day, sum(c.entries), count(*) FROM counts c \
         JOIN store_group_members m ON m.site_id = c.site_id AND m.group_id = $1 \
         GROUP BY c.day",
    )
    .bind(group_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Recomputes every rollup of every organisation from the counts (`comptoir counts
/// rebuild-rollups`, and the tests' reference).
pub async fn rebuild_all(pool: &PgPool) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("LOCK TABLE counts IN SHARE MODE")
        .execute(&mut *tx)
        .await?;
    for statement in [
        "DELETE FROM org_daily",
        "DELETE FROM group_daily",
        "DELETE FROM site_monthly",
        "DELETE FROM site_last_data",
        "INSERT INTO org_daily (organisation_id, day, entries, shops) \
         SELECT s.organisation_id, c.day, sum(c.entries), count(*) FROM counts c \
         JOIN sites s ON s.id = c.site_id GROUP BY 1, 2",
        "INSERT INTO group_daily (group_id, day, entries, shops) \
         SELECT m.group_id, c.day, sum(c.entries), count(*) FROM counts c \
         JOIN store_group_members m ON m.site_id = c.site_id GROUP BY 1, 2",
        "INSERT INTO site_monthly (site_id, month, organisation_id, entries, days) \
         SELECT c.site_id, date_trunc('month', c.day::timestamp)::date, s.organisation_id, \
                sum(c.entries), count(*) FROM counts c JOIN sites s ON s.id = c.site_id \
         GROUP BY 1, 2, 3",
        "INSERT INTO site_last_data (site_id, last_received_at, first_day, last_day) \
         SELECT site_id, max(received_at), min(day), max(day) FROM counts GROUP BY site_id",
    ] {
        sqlx::query(statement).execute(&mut *tx).await?;
    }
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reason(value: Value) -> RejectReason {
        json_row(&value).unwrap_err().0
    }

    #[test]
    fn json_rows() {
        let row = json_row(&json!({"shop_code": "P1", "date": "2026-11-20", "entries": 12}));
        assert_eq!(
            row,
            Ok(CountRow {
                shop_code: "P1".into(),
                day: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
                entries: 12,
                exits: None
            })
        );
        let with_exits =
            json_row(&json!({"shop_code": "P1", "date": "2026-11-20", "entries": 0, "exits": 3}));
        assert_eq!(with_exits.map(|r| r.exits), Ok(Some(3)));
    }

    #[test]
    fn every_json_rejection() {
        assert_eq!(reason(json!([1])), RejectReason::NotAnObject);
        assert_eq!(
            reason(json!({"date": "2026-11-20", "entries": 1})),
            RejectReason::MissingShopCode
        );
        assert_eq!(
            reason(json!({"shop_code": "", "date": "2026-11-20", "entries": 1})),
            RejectReason::MissingShopCode
        );
        assert_eq!(
            reason(json!({"shop_code": "A B", "date": "2026-11-20", "entries": 1})),
            RejectReason::UnknownShop
        );
        assert_eq!(
            reason(json!({"shop_code": 7, "date": "2026-11-20", "entries": 1})),
            RejectReason::UnknownShop
        );
        assert_eq!(
            reason(json!({"shop_code": "P1", "entries": 1})),
            RejectReason::MissingDate
        );
        assert_eq!(
            reason(json!({"shop_code": "P1", "date": "20/11/2026", "entries": 1})),
            RejectReason::BadDate
        );
        assert_eq!(
            reason(json!({"shop_code": "P1", "date": "2026-02-30", "entries": 1})),
            RejectReason::BadDate
        );
        assert_eq!(
            reason(json!({"shop_code": "P1", "date": "2026-1-2", "entries": 1})),
            RejectReason::BadDate
        );
        assert_eq!(
            reason(json!({"shop_code": "P1", "date": 20261120, "entries": 1})),
            RejectReason::BadDate
        );
        assert_eq!(
            reason(json!({"shop_code": "P1", "date": "2026-11-20"})),
            RejectReason::MissingEntries
        );
        assert_eq!(
            reason(json!({"shop_code": "P1", "date": "2026-11-20", "entries": -1})),
            RejectReason::NegativeCount
        );
        assert_eq!(
            reason(json!({"shop_code": "P1", "date": "2026-11-20", "entries": 1.5})),
            RejectReason::BadCount
        );
        assert_eq!(
            reason(json!({"shop_code": "P1", "date": "2026-11-20", "entries": "12"})),
            RejectReason::BadCount
        );
        assert_eq!(
            reason(json!({"shop_code": "P1", "date": "2026-11-20", "entries": 3_000_000_000u64})),
            RejectReason::CountTooLarge
        );
        assert_eq!(
            reason(json!({"shop_code": "P1", "date": "2026-11-20", "entries": 1, "exits": -2})),
            RejectReason::NegativeCount
        );
    }

    #[test]
    fn days_before_the_first_counters_are_refused_on_their_own() {
        for old in ["0000-01-01", "1999-12-31", "0001-01-01"] {
            let (why, message) = parse_day(old, false).unwrap_err();
            assert_eq!(why, RejectReason::DateOutOfRange, "{old}");
            assert!(message.contains("01/01/2000"), "{message}");
        }
        assert_eq!(
            parse_day("31/12/1999", true).unwrap_err().0,
            RejectReason::DateOutOfRange
        );
        assert_eq!(
            reason(json!({"shop_code": "P1", "date": "0000-01-01", "entries": 1})),
            RejectReason::DateOutOfRange
        );
        assert_eq!(
            text_row("P1", "01/01/0000", "1", None).unwrap_err().0,
            RejectReason::DateOutOfRange
        );
        assert_eq!(
            parse_day("2000-01-01", false),
            Ok(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap())
        );
        // Negative and five-digit years are not `YYYY-MM-DD` at all.
        assert_eq!(
            parse_day("-0001-01-01", false).unwrap_err().0,
            RejectReason::BadDate
        );
        assert_eq!(
            parse_day("+10000-01-01", false).unwrap_err().0,
            RejectReason::BadDate
        );
    }

    #[test]
    fn a_copy_error_names_its_line() {
        assert_eq!(
            copy_line("COPY count_batch, line 3, column day: \"0000-01-01\""),
            Some(3)
        );
        assert_eq!(copy_line("COPY count_batch, line 12: \"1\t2\""), Some(12));
        assert_eq!(copy_line("SQL statement \"INSERT INTO counts …\""), None);
    }

    #[test]
    fn text_rows_take_french_dates() {
        let row = text_row("P1", "20/11/2026", " 12 ", Some("")).unwrap();
        assert_eq!(row.day, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
        assert_eq!((row.entries, row.exits), (12, None));
        assert_eq!(
            text_row("P1", "", "1", None).unwrap_err().0,
            RejectReason::MissingDate
        );
        assert_eq!(
            text_row("P1", "2026-11-20", "", None).unwrap_err().0,
            RejectReason::MissingEntries
        );
        assert_eq!(
            text_row("P1", "2026-11-20", "douze", None).unwrap_err().0,
            RejectReason::BadCount
        );
    }

    #[test]
    fn text_rows_take_french_numbers_and_speak_french() {
        let row = text_row("P1", "20/11/2026", "1 234", Some("1\u{a0}230")).unwrap();
        assert_eq!((row.entries, row.exits), (1234, Some(1230)));
        let row = text_row("P1", "20/11/2026", "\u{a0}12\u{202f}345\u{a0}", None).unwrap();
        assert_eq!(row.entries, 12_345);
        let refused = |entries: &str, exits: Option<&str>| {
            text_row("P1", "2026-11-20", entries, exits).unwrap_err()
        };
        assert_eq!(
            refused("abc", None),
            (
                RejectReason::BadCount,
                "nombre d'entrées « abc » invalide : un nombre entier est attendu (par exemple \
                 1234 ou 1 234)"
                    .to_owned()
            )
        );
        assert_eq!(
            refused("12", Some("-4")),
            (
                RejectReason::NegativeCount,
                "nombre de sorties négatif (« -4 »)".to_owned()
            )
        );
        assert_eq!(
            refused("3 000 000 000", None),
            (
                RejectReason::CountTooLarge,
                "nombre d'entrées trop grand (« 3 000 000 000 » ; au plus 2 147 483 647)"
                    .to_owned()
            )
        );
        assert_eq!(refused("12,5", None).0, RejectReason::BadCount);
        assert_eq!(refused("1 23", None).0, RejectReason::BadCount);
        // No English field name is left in a message of the import.
        let huge = "9".repeat(30);
        for (entries, exits) in [
            ("x", None),
            ("-1", None),
            ("1", Some("y")),
            (huge.as_str(), None),
        ] {
            let (_, message) = refused(entries, exits);
            for english in ["entries", "exits", "shop_code"] {
                assert!(!message.contains(english), "{message}");
            }
        }
    }

    #[test]
    fn copy_text_and_rejections() {
        let mut batch = Batch::for_tests();
        batch.push(0, text_row("P1", "2026-11-20", "12", Some("10")));
        batch.push(1, text_row("P2", "2026-11-21", "0", None));
        batch.push(2, text_row("P3", "x", "0", None));
        assert_eq!(
            batch.copy_text(),
            "0\t1\t2026-11-20\t12\t10\n1\t2\t2026-11-21\t0\t\\N\n"
        );
        assert_eq!(batch.rows, 2);
        assert_eq!(batch.rejections().len(), 1);
        for i in 0..(MAX_REPORTED as u64 + 5) {
            batch.reject(10 + i, RejectReason::BadDate, String::new());
        }
        assert_eq!(batch.rejections().len(), MAX_REPORTED);
        assert_eq!(batch.rejected_total, MAX_REPORTED as u64 + 6);
    }

    #[test]
    fn shops_are_resolved_before_the_database() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let stored = Some((day(1), day(10)));
        let shops = HashMap::from([
            (
                "BASH-01".to_owned(),
                Shop {
                    id: 41,
                    today,
                    stored,
                },
            ),
            (
                "BASH-02".to_owned(),
                Shop {
                    id: 42,
                    today,
                    stored: None,
                },
            ),
        ]);
        let mut batch = Batch::new(shops);
        batch.push(0, text_row("BASH-01", "2026-11-20", "12", None));
        batch.push(1, text_row("AUTRE-01", "2026-11-20", "3", None));
        batch.push(2, text_row("BASH-02", "23/11/2026", "3", None));
        batch.push(3, text_row("BASH-01", "2026-11-02", "0", None));
        assert!(!batch.recent_zero, "an old zero cannot raise an alert");
        batch.push(4, text_row("BASH-02", "2026-11-22", "0", None));
        assert_eq!(
            batch.copy_text(),
            "0\t41\t2026-11-20\t12\t\\N\n3\t41\t2026-11-02\t0\t\\N\n4\t42\t2026-11-22\t0\t\\N\n"
        );
        let refused: Vec<_> = batch
            .rejections()
            .iter()
            .map(|r| (r.position, r.reason, r.message.as_str()))
            .collect();
        assert_eq!(
            refused,
            vec![
                (1, RejectReason::UnknownShop, "magasin « AUTRE-01 » inconnu"),
                (
                    2,
                    RejectReason::FutureDate,
                    "le 23/11/2026 est dans le futur pour le magasin « BASH-02 » (aujourd'hui : 22/11/2026)"
                ),
            ]
        );
        // Only rows among a shop's stored days may replace a value.
        assert_eq!(batch.spans, HashMap::from([(41, (day(2), day(2)))]));
        assert!(batch.recent_zero, "a zero today");
        assert!(!batch.repeats);
        batch.push(5, text_row("BASH-01", "02/11/2026", "6", None));
        assert!(batch.repeats, "the same shop and day twice");
        batch.push(6, text_row("BASH-01", "2026-11-07", "6", None));
        assert_eq!(batch.spans, HashMap::from([(41, (day(2), day(7)))]));
    }
}
