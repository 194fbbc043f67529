//! CSV files of daily counts, parsed as they stream in (csv-core's push parser: nothing is
//! held whole, whatever the file's size).
//!
//! Accepted: `,`, `;` or tab separators (chosen from the first line: French spreadsheets write
//! `;`), a UTF-8 byte-order mark, CRLF line ends, quoted fields, an optional header naming the
//! columns (`shop_code`/`code`/`code_magasin`, `date`/`jour`, `entries`/`entrees`,
//! `exits`/`sorties`, in any order), dates as `2026-11-22` or `22/11/2026`, counts as `1234` or
//! grouped by three as French writes them (`1 234`, with a space, a no-break or a narrow
//! no-break space). Every message is in French, columns named as a French file names them.

use super::RejectReason;
use super::ingest::{Batch, IngestError, Parser, text_row};
use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// The first line is read whole to choose the separator; it cannot be longer than this.
const MAX_FIRST_LINE: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Columns {
    shop_code: usize,
    date: usize,
    entries: usize,
    exits: Option<usize>,
    width: usize,
}

const DEFAULT_COLUMNS: Columns = Columns {
    shop_code: 0,
    date: 1,
    entries: 2,
    exits: Some(3),
    width: 4,
};

pub struct CsvCounts {
    /// Bytes kept until the first line is complete.
    head: Vec<u8>,
    reader: Option<Reader>,
    out: Vec<u8>,
    out_len: usize,
    ends: Vec<usize>,
    ends_len: usize,
    in_record: bool,
    record_line: u64,
    newlines: u64,
    finishing: bool,
    /// `None` until the first record decides whether it is a header.
    columns: Option<Columns>,
}

impl Default for CsvCounts {
    fn default() -> Self {
        CsvCounts {
            head: Vec::new(),
            reader: None,
            out: vec![0; 1024],
            out_len: 0,
            ends: vec![0; 16],
            ends_len: 0,
            in_record: false,
            record_line: 1,
            newlines: 0,
            finishing: false,
            columns: None,
        }
    }
}

fn separator(first_line: &[u8]) -> u8 {
    let count = |b: u8| first_line.iter().filter(|&&c| c == b).count();
    [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|&b| (count(b), b == b','))
        .unwrap_or(b',')
}

fn normalise(name: &[u8]) -> String {
    String::from_utf8_lossy(name)
        .trim()
        .trim_matches('"')
        .to_lowercase()
        .replace(['é', 'è'], "e")
        .replace([' ', '-'], "_")
}

/// Reads a header line into columns; `Ok(None)` when the line is data.
fn header(fields: &[&[u8]]) -> Result<Option<Columns>, IngestError> {
    let names: Vec<String> = fields.iter().map(|f| normalise(f)).collect();
    let find = |aliases: &[&str]| names.iter().position(|n| aliases.contains(&n.as_str()));
    let shop_code = find(&[
        "shop_code",
        "code",
        "code_magasin",
        "magasin",
        "shop",
        "boutique",
    ]);
    let date = find(&["date", "jour", "day", "day_date"]);
    let entries = find(&["entries", "entrees", "count", "passages", "entree"]);
    let exits = find(&["exits", "sorties", "sortie"]);
    // A data line starts with a shop code and has a date second; anything with a known column
    // name is a header.
    if shop_code.is_none() && date.is_none() && entries.is_none() && exits.is_none() {
        return Ok(None);
    }
    match (shop_code, date, entries) {
        (Some(shop_code), Some(date), Some(entries)) => Ok(Some(Columns {
            shop_code,
            date,
            entries,
            exits,
            width: fields.len(),
        })),
        _ => Err(IngestError::Header(format!(
            "l'en-tête « {} » doit nommer les colonnes code magasin, date et entrées (sorties \
             facultative), par exemple « code_magasin;date;entrees;sorties »",
            names.join(", ")
        ))),
    }
}

impl CsvCounts {
    fn start(&mut self, batch: &mut Batch) -> Result<(), IngestError> {
        let mut head = std::mem::take(&mut self.head);
        if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            head.drain(..3);
        }
        let first_line = head.split(|&b| b == b'\n').next().unwrap_or_default();
        self.reader = Some(
            ReaderBuilder::new()
                .delimiter(separator(first_line))
                .build(),
        );
        self.feed(&head, batch)
    }

    fn feed(&mut self, mut input: &[u8], batch: &mut Batch) -> Result<(), IngestError> {
        loop {
            let Some(reader) = self.reader.as_mut() else {
                return Ok(());
            };
            if !self.in_record {
                // Line ends between records are counted here: with CRLF, csv-core ends a record
                // at the CR and would count its LF as part of the next one.
                let skip = input
                    .iter()
                    .take_while(|&&b| b == b'\n' || b == b'\r')
                    .count();
                self.newlines += input[..skip].iter().filter(|&&b| b == b'\n').count() as u64;
                input = &input[skip..];
                if input.is_empty() && !self.finishing {
                    return Ok(());
                }
                self.record_line = self.newlines + 1;
                self.in_record = true;
            }
            let (result, nin, nout, nend) = reader.read_record(
                input,
                &mut self.out[self.out_len..],
                &mut self.ends[self.ends_len..],
            );
            self.newlines += input[..nin].iter().filter(|&&b| b == b'\n').count() as u64;
            input = &input[nin..];
            self.out_len += nout;
            self.ends_len += nend;
            match result {
                ReadRecordResult::InputEmpty => return Ok(()),
                ReadRecordResult::OutputFull => {
                    let len = self.out.len();
                    self.out.resize(len * 2, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let len = self.ends.len();
                    self.ends.resize(len * 2, 0);
                }
                ReadRecordResult::Record => {
                    self.record(batch)?;
                    self.out_len = 0;
                    self.ends_len = 0;
                    self.in_record = false;
                }
                ReadRecordResult::End => return Ok(()),
            }
        }
    }

    fn record(&mut self, batch: &mut Batch) -> Result<(), IngestError> {
        let line = self.record_line;
        let mut fields: Vec<&[u8]> = Vec::with_capacity(self.ends_len);
        let mut start = 0;
        for &end in &self.ends[..self.ends_len] {
            fields.push(&self.out[start..end]);
            start = end;
        }
        let columns = match self.columns {
            Some(columns) => columns,
            None => {
                let found = header(&fields)?;
                self.columns = Some(found.unwrap_or(DEFAULT_COLUMNS));
                if found.is_some() {
                    return Ok(());
                }
                DEFAULT_COLUMNS
            }
        };
        // A line of only separators or spaces (spreadsheets add them) is skipped silently.
        if fields.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            return Ok(());
        }
        let needed = [
            Some(columns.shop_code),
            Some(columns.date),
            Some(columns.entries),
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(0);
        // Trailing optional columns may be left out; a line is never wider than the header.
        let widest = if columns == DEFAULT_COLUMNS {
            4
        } else {
            columns.width
        };
        if fields.len() > widest || fields.len() <= needed {
            batch.reject(
                line,
                RejectReason::WrongFieldCount,
                format!(
                    "{} champs au lieu de {}",
                    fields.len(),
                    if needed + 1 == widest {
                        widest.to_string()
                    } else {
                        format!("{} à {widest}", needed + 1)
                    }
                ),
            );
            return Ok(());
        }
        let mut text = Vec::with_capacity(fields.len());
        for field in &fields {
            match std::str::from_utf8(field) {
                Ok(value) => text.push(value),
                Err(_) => {
                    batch.reject(
                        line,
                        RejectReason::NotUtf8,
                        "la ligne n'est pas en UTF-8 (enregistrez le fichier en « CSV UTF-8 »)"
                            .to_owned(),
                    );
                    return Ok(());
                }
            }
        }
        let exits = columns.exits.and_then(|i| text.get(i).copied());
        batch.push(
            line,
            text_row(
                text[columns.shop_code],
                text[columns.date],
                text[columns.entries],
                exits,
            ),
        );
        Ok(())
    }
}

impl Parser for CsvCounts {
    fn push(&mut self, chunk: &[u8], batch: &mut Batch) -> Result<(), IngestError> {
        if self.reader.is_some() {
            return self.feed(chunk, batch);
        }
        self.head.extend_from_slice(chunk);
        if self.head.contains(&b'\n') || self.head.len() >= MAX_FIRST_LINE {
            self.start(batch)?;
        }
        Ok(())
    }

    fn finish(&mut self, batch: &mut Batch) -> Result<(), IngestError> {
        if self.reader.is_none() {
            self.start(batch)?;
        }
        // An empty input ends the last record (if the file lacks a final newline).
        self.finishing = true;
        self.feed(&[], batch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(input: &[u8], piece: usize) -> Result<Batch, IngestError> {
        let mut parser = CsvCounts::default();
        let mut batch = Batch::for_tests();
        for chunk in input.chunks(piece.max(1)) {
            parser.push(chunk, &mut batch)?;
        }
        parser.finish(&mut batch)?;
        Ok(batch)
    }

    #[test]
    fn plain_file_without_header() {
        let batch = parse(b"P1,2026-11-20,12,10\nP2,2026-11-20,0\n", 4096).unwrap();
        assert_eq!(
            batch.copy_text(),
            "1\t1\t2026-11-20\t12\t10\n2\t2\t2026-11-20\t0\t\\N\n"
        );
    }

    #[test]
    fn french_excel_file() {
        let file = "\u{feff}Code magasin;Jour;Entrées;Sorties\r\nP1;20/11/2026;12;\r\n\"P2\";21/11/2026;7;5\r\n";
        for piece in [1, 2, 3, 7, 4096] {
            let batch = parse(file.as_bytes(), piece).unwrap();
            assert_eq!(
                batch.copy_text(),
                "2\t1\t2026-11-20\t12\t\\N\n3\t2\t2026-11-21\t7\t5\n",
                "piece {piece}"
            );
            assert!(batch.rejections().is_empty());
        }
    }

    #[test]
    fn columns_in_any_order_and_no_final_newline() {
        let batch = parse(b"date,entries,shop_code\n2026-11-20,5,P9", 3).unwrap();
        assert_eq!(batch.copy_text(), "2\t9\t2026-11-20\t5\t\\N\n");
    }

    #[test]
    fn bad_lines_are_reported_with_their_line() {
        let file = b"shop_code,date,entries,exits\n\
            P1,2026-11-20,12\n\
            P1,2026-11-31,3\n\
            P2,2026-11-20,-4\n\
            P3,2026-11-20\n\
            ,2026-11-20,1\n\
            P4,2026-11-20,\xe9\n\
            \"P5\nX\",2026-11-20,1\n\
            P6,2026-11-20,1,1,1\n\
            ,,,\n\
            P7,2026-11-20,8\n";
        let batch = parse(file, 5).unwrap();
        let got: Vec<(u64, RejectReason)> = batch
            .rejections()
            .iter()
            .map(|r| (r.position, r.reason))
            .collect();
        assert_eq!(
            got,
            vec![
                (3, RejectReason::BadDate),
                (4, RejectReason::NegativeCount),
                (5, RejectReason::WrongFieldCount),
                (6, RejectReason::MissingShopCode),
                (7, RejectReason::NotUtf8),
                (8, RejectReason::UnknownShop),
                (10, RejectReason::WrongFieldCount),
            ]
        );
        assert_eq!(
            batch.copy_text(),
            "2\t1\t2026-11-20\t12\t\\N\n12\t7\t2026-11-20\t8\t\\N\n"
        );
    }

    #[test]
    fn a_header_missing_a_column_is_refused() {
        let Err(IngestError::Header(message)) = parse(b"shop_code;entries\nP1;3\n", 4096) else {
            panic!("the header is refused");
        };
        assert_eq!(
            message,
            "l'en-tête « shop_code, entries » doit nommer les colonnes code magasin, date et \
             entrées (sorties facultative), par exemple « code_magasin;date;entrees;sorties »"
        );
    }

    #[test]
    fn french_thousands_separators_in_any_column_order() {
        // A French spreadsheet's export: no-break and narrow no-break spaces between thousands.
        let file = "Jour;Entrées;Code magasin;Sorties\r\n\
                    20/11/2026;1\u{a0}234;P1;1\u{202f}230\r\n\
                    21/11/2026;\"12 345\";P2;\r\n\
                    21/11/2026;12 34;P3;\r\n";
        for piece in [1, 2, 5, 4096] {
            let batch = parse(file.as_bytes(), piece).unwrap();
            assert_eq!(
                batch.copy_text(),
                "2\t1\t2026-11-20\t1234\t1230\n3\t2\t2026-11-21\t12345\t\\N\n",
                "piece {piece}"
            );
            let refused: Vec<_> = batch
                .rejections()
                .iter()
                .map(|r| (r.position, r.reason))
                .collect();
            assert_eq!(refused, vec![(4, RejectReason::BadCount)]);
        }
    }

    #[test]
    fn empty_input_is_empty() {
        let batch = parse(b"", 4096).unwrap();
        assert_eq!(batch.rows, 0);
        assert!(batch.rejections().is_empty());
    }
}
