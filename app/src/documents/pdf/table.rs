//! The lines table: its columns, the header repeated on every page it covers, and rows that move
//! to the next page whole or, longer than a page, continue there.

use super::layout::{
    Align, BODY, BOTTOM, INK, LEAD, Layout, MARGIN, Op, RIGHT, ROW_PAD, SHADE, Weight,
};
use crate::documents::print::PrintDocument;

struct Column {
    title: &'static str,
    align: Align,
    left: f32,
    right: f32,
}

const COLUMNS: [Column; 7] = [
    Column {
        title: "Désignation",
        align: Align::Left,
        left: MARGIN,
        right: 245.0,
    },
    Column {
        title: "Qté",
        align: Align::Right,
        left: 245.0,
        right: 290.0,
    },
    Column {
        title: "Unité",
        align: Align::Left,
        left: 296.0,
        right: 336.0,
    },
    Column {
        title: "PU HT",
        align: Align::Right,
        left: 336.0,
        right: 398.0,
    },
    Column {
        title: "Remise",
        align: Align::Right,
        left: 398.0,
        right: 436.0,
    },
    Column {
        title: "TVA",
        align: Align::Right,
        left: 436.0,
        right: 472.0,
    },
    Column {
        title: "Total HT",
        align: Align::Right,
        left: 472.0,
        right: RIGHT - 4.0,
    },
];

fn cell_x(c: &Column) -> f32 {
    match c.align {
        Align::Left => c.left + 4.0,
        Align::Right => c.right,
    }
}

fn table_header(l: &mut Layout) {
    let top = l.y;
    l.push(Op::Fill {
        rect: (MARGIN, top, RIGHT - MARGIN, LEAD + 2.0 * ROW_PAD),
        color: SHADE,
    });
    let baseline = top + ROW_PAD + BODY;
    for c in &COLUMNS {
        l.text_at(
            cell_x(c),
            baseline,
            c.align,
            BODY,
            Weight::Bold,
            INK,
            c.title,
        );
    }
    l.y = top + LEAD + 2.0 * ROW_PAD;
}

pub(super) fn lines_table(l: &mut Layout, doc: &PrintDocument) {
    table_header(l);
    let desc = &COLUMNS[0];
    for line in &doc.lines {
        let wrapped = l.wrap(
            &line.description,
            desc.right - desc.left - 8.0,
            BODY,
            Weight::Regular,
        );
        let discount = if line.discount.0 == 0 {
            String::new()
        } else {
            format!("{}\u{a0}%", line.discount.format_percent())
        };
        let cells = [
            line.quantity.format(),
            line.unit.clone(),
            line.unit_price.format(),
            discount,
            line.vat_rate.format(),
            line.total_excl_tax.format(),
        ];
        // A row moves whole to the next page when it fits there; a description longer than a
        // page continues on the next one, under the repeated header.
        let per_page = ((BOTTOM - MARGIN - 3.0 * ROW_PAD - LEAD) / LEAD)
            .floor()
            .max(1.0) as usize;
        let mut rest: &[String] = &wrapped;
        let mut first = true;
        while !rest.is_empty() {
            let room = ((BOTTOM - l.y - 2.0 * ROW_PAD) / LEAD).floor().max(0.0) as usize;
            if room == 0 || (first && rest.len() > room && rest.len() <= per_page) {
                l.new_page();
                table_header(l);
                continue;
            }
            let take = rest.len().min(room);
            let top = l.y;
            let baseline = top + ROW_PAD + BODY;
            for (i, text) in rest[..take].iter().enumerate() {
                l.text_at(
                    cell_x(desc),
                    baseline + i as f32 * LEAD,
                    Align::Left,
                    BODY,
                    Weight::Regular,
                    INK,
                    text,
                );
            }
            if first {
                for (c, text) in COLUMNS[1..].iter().zip(cells.iter()) {
                    l.text_at(
                        cell_x(c),
                        baseline,
                        c.align,
                        BODY,
                        Weight::Regular,
                        INK,
                        text,
                    );
                }
            }
            rest = &rest[take..];
            first = false;
            l.y = top + take as f32 * LEAD + 2.0 * ROW_PAD;
            l.push(Op::Rule {
                x1: MARGIN,
                x2: RIGHT,
                y: l.y,
            });
        }
    }
}
