//! Native PDF rendering with krilla (PDF/A-3b, embedded and subsetted fonts).
//!
//! krilla writes correct PDF/A but does no layout, so this module places the text itself: it
//! measures with the same shaper krilla uses (rustybuzz), wraps descriptions, splits the lines
//! table across pages with its header repeated, then draws every page once the page count is
//! known, for the `1/3` numbers.

use super::print::{ImageFormat, PrintDocument, fr_date};
use crate::invoicing::money::Cents;
use crate::invoicing::workflow::DocumentKind;
use krilla::color::rgb;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::geom::{PathBuilder, Point, Rect, Size};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};
use std::sync::LazyLock;

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 42.0;
const RIGHT: f32 = PAGE_W - MARGIN;
/// Lowest baseline of the body; the footer lives below.
const BOTTOM: f32 = PAGE_H - MARGIN - 30.0;
const BODY: f32 = 9.0;
const LEAD: f32 = 11.5;
const ROW_PAD: f32 = 4.0;

const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the embedded fonts could not be read")]
    Fonts,
    #[error("the logo could not be read: {0}")]
    Logo(String),
    #[error("PDF writer: {0}")]
    Writer(String),
    #[error("Factur-X metadata: {0}")]
    Xmp(String),
}

struct Face {
    pdf: Font,
    shaper: rustybuzz::Face<'static>,
    units_per_em: f32,
}

impl Face {
    fn load(bytes: &'static [u8]) -> Option<Face> {
        let shaper = rustybuzz::Face::from_slice(bytes, 0)?;
        Some(Face {
            pdf: Font::new(bytes.into(), 0)?,
            units_per_em: shaper.units_per_em() as f32,
            shaper,
        })
    }

    /// `text` with what this font cannot draw replaced: control characters become spaces and
    /// characters without a glyph become `?` (PDF/A forbids the empty `.notdef` glyph).
    fn printable(&self, text: &str) -> String {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    ' '
                } else if self.shaper.glyph_index(c).is_some() {
                    c
                } else {
                    '?'
                }
            })
            .collect()
    }

    /// The advance of `text` once shaped, as krilla will draw it.
    fn width(&self, text: &str, size: f32) -> f32 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(&self.shaper, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / self.units_per_em
    }
}

struct Fonts {
    regular: Face,
    bold: Face,
}

static FONTS: LazyLock<Option<Fonts>> = LazyLock::new(|| {
    Some(Fonts {
        regular: Face::load(REGULAR_TTF)?,
        bold: Face::load(BOLD_TTF)?,
    })
});

fn fonts() -> Result<&'static Fonts, RenderError> {
    FONTS.as_ref().ok_or(RenderError::Fonts)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Weight {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Align {
    Left,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        color: (u8, u8, u8),
        text: String,
    },
    Fill {
        rect: (f32, f32, f32, f32),
        color: (u8, u8, u8),
    },
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
    },
    Logo {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

const INK: (u8, u8, u8) = (33, 37, 41);
const MUTED: (u8, u8, u8) = (95, 99, 104);
const ACCENT: (u8, u8, u8) = (20, 70, 140);
const SHADE: (u8, u8, u8) = (236, 240, 246);
const WARN: (u8, u8, u8) = (176, 32, 32);

/// Pages of drawing operations, filled top to bottom (y grows downwards, at baselines).
struct Layout<'f> {
    fonts: &'f Fonts,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl<'f> Layout<'f> {
    fn new(fonts: &'f Fonts) -> Self {
        Layout {
            fonts,
            pages: vec![Vec::new()],
            y: MARGIN,
        }
    }

    fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.fonts.regular,
            Weight::Bold => &self.fonts.bold,
        }
    }

    fn width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        self.face(weight).width(text, size)
    }

    fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn text_at(
        &mut self,
        x: f32,
        y: f32,
        align: Align,
        size: f32,
        weight: Weight,
        color: (u8, u8, u8),
        text: &str,
    ) {
        if text.is_empty() {
            return;
        }
        let text = self.face(weight).printable(text);
        let text = text.as_str();
        let x = match align {
            Align::Left => x,
            Align::Right => x - self.width(text, size, weight),
        };
        self.push(Op::Text {
            x,
            y,
            size,
            weight,
            color,
            text: text.to_owned(),
        });
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// Starts a new page unless `height` still fits on this one.
    fn room_for(&mut self, height: f32) -> bool {
        if self.y + height > BOTTOM {
            self.new_page();
            true
        } else {
            false
        }
    }

    /// Greedy word wrap; a word longer than the line is cut where it must be.
    fn wrap(&self, text: &str, width: f32, size: f32, weight: Weight) -> Vec<String> {
        let mut out = Vec::new();
        for paragraph in text.lines() {
            let paragraph = self.face(weight).printable(paragraph);
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size, weight) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                }
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width(&piece, size, weight) > width && piece.chars().count() > 1 {
                        piece.pop();
                        out.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            out.push(line);
        }
        while out.last().is_some_and(|l| l.is_empty()) {
            out.pop();
        }
        if out.is_empty() {
            out.push(String::new());
        }
        out
    }

    /// A wrapped paragraph across the full width, breaking pages between its lines.
    fn paragraph(&mut self, text: &str, size: f32, weight: Weight, color: (u8, u8, u8)) {
        for line in self.wrap(text, RIGHT - MARGIN, size, weight) {
            self.room_for(size * 1.3);
            self.y += size * 1.3;
            self.text_at(MARGIN, self.y, Align::Left, size, weight, color, &line);
        }
    }
}

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

fn header(l: &mut Layout, doc: &PrintDocument) {
    let s = &doc.seller;
    // Left: logo, then the seller.
    let mut left_y = MARGIN;
    if let Some(logo) = &doc.logo {
        let (max_w, max_h) = (150.0_f32, 60.0_f32);
        let scale = (max_w / logo.width as f32).min(max_h / logo.height as f32);
        let (w, h) = (logo.width as f32 * scale, logo.height as f32 * scale);
        l.push(Op::Logo {
            x: MARGIN,
            y: MARGIN,
            w,
            h,
        });
        left_y += h + 4.0;
    }
    let column = 260.0;
    for (i, line) in l
        .wrap(&s.legal_name, column, 11.0, Weight::Bold)
        .iter()
        .enumerate()
    {
        left_y += if i == 0 { 12.0 } else { 13.0 };
        l.text_at(MARGIN, left_y, Align::Left, 11.0, Weight::Bold, INK, line);
    }
    let mut details = doc.seller_address();
    if !s.phone.is_empty() {
        details.push(format!("Tél. {}", s.phone));
    }
    if !s.email.is_empty() {
        details.push(s.email.clone());
    }
    if !s.siren.is_empty() {
        details.push(format!("SIREN {}", s.siren));
    }
    if !s.vat_number.is_empty() {
        details.push(format!("TVA {}", s.vat_number));
    }
    for detail in details {
        for line in l.wrap(&detail, column, BODY, Weight::Regular) {
            left_y += LEAD;
            l.text_at(
                MARGIN,
                left_y,
                Align::Left,
                BODY,
                Weight::Regular,
                MUTED,
                &line,
            );
        }
    }

    // Right: title, number and dates, then the client.
    let mut right_y = MARGIN + 18.0;
    let title = doc.title().to_uppercase();
    l.text_at(
        RIGHT,
        right_y,
        Align::Right,
        20.0,
        Weight::Bold,
        ACCENT,
        &title,
    );
    right_y += 16.0;
    let number = match &doc.number {
        Some(n) => format!("N° {n}"),
        None => "BROUILLON — sans valeur légale".to_owned(),
    };
    let color = if doc.number.is_some() { INK } else { WARN };
    l.text_at(
        RIGHT,
        right_y,
        Align::Right,
        11.0,
        Weight::Bold,
        color,
        &number,
    );
    let mut facts = vec![format!("Date : {}", fr_date(doc.date))];
    if let Some(d) = doc.due_date.filter(|_| doc.kind == DocumentKind::Invoice) {
        facts.push(format!("Échéance : {}", fr_date(d)));
    }
    if let Some(d) = doc
        .validity_date
        .filter(|_| doc.kind == DocumentKind::Quote)
    {
        facts.push(format!("Valable jusqu'au : {}", fr_date(d)));
    }
    if let Some((number, date)) = &doc.corrected_invoice {
        let date = date
            .map(|d| format!(" du {}", fr_date(d)))
            .unwrap_or_default();
        facts.push(format!("Facture d'origine : {number}{date}"));
    }
    if let Some(situation) = doc.situation {
        facts.push(format!(
            "Copie avec règlements au {}",
            fr_date(situation.on)
        ));
    }
    for fact in facts {
        right_y += LEAD;
        l.text_at(
            RIGHT,
            right_y,
            Align::Right,
            BODY,
            Weight::Regular,
            INK,
            &fact,
        );
    }

    let box_left = 318.0;
    let box_top = right_y + 12.0;
    let c = &doc.client;
    let mut lines: Vec<(String, Weight, (u8, u8, u8))> = vec![(c.name.clone(), Weight::Bold, INK)];
    for line in doc.client_address() {
        lines.push((line, Weight::Regular, INK));
    }
    if !c.siren.is_empty() {
        lines.push((format!("SIREN {}", c.siren), Weight::Regular, MUTED));
    }
    if !c.vat_number.is_empty() {
        lines.push((format!("TVA {}", c.vat_number), Weight::Regular, MUTED));
    }
    let wrapped: Vec<(String, Weight, (u8, u8, u8))> = lines
        .into_iter()
        .flat_map(|(text, weight, color)| {
            l.wrap(&text, RIGHT - box_left - 16.0, BODY, weight)
                .into_iter()
                .map(move |t| (t, weight, color))
                .collect::<Vec<_>>()
        })
        .collect();
    let box_h = 14.0 + LEAD * (wrapped.len() as f32 + 1.0);
    l.push(Op::Fill {
        rect: (box_left, box_top, RIGHT - box_left, box_h),
        color: SHADE,
    });
    let mut y = box_top + 6.0 + BODY;
    l.text_at(
        box_left + 8.0,
        y,
        Align::Left,
        7.5,
        Weight::Bold,
        MUTED,
        "CLIENT",
    );
    for (text, weight, color) in wrapped {
        y += LEAD;
        l.text_at(box_left + 8.0, y, Align::Left, BODY, weight, color, &text);
    }
    l.y = left_y.max(box_top + box_h) + 22.0;
}

fn lines_table(l: &mut Layout, doc: &PrintDocument) {
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

fn summary(l: &mut Layout, doc: &PrintDocument) {
    let t = &doc.totals;
    let mut rows: Vec<(String, String, bool)> = Vec::new();
    if t.global_discount.0 > 0 {
        rows.push(("Total HT des lignes".into(), t.lines_total.format(), false));
        rows.push((
            format!(
                "Remise globale ({}\u{a0}%)",
                doc.global_discount.format_percent()
            ),
            Cents(-t.global_discount.0).format(),
            false,
        ));
    }
    rows.push(("Total HT".into(), t.total_excl_tax.format(), false));
    for v in &t.vat {
        rows.push((format!("TVA {}", v.rate.format()), v.vat.format(), false));
    }
    rows.push(("Total TTC".into(), t.total_incl_tax.format(), true));
    match doc.kind {
        DocumentKind::Invoice => {
            let (paid, credited) = doc
                .situation
                .map_or((Cents(0), Cents(0)), |s| (s.paid, s.credited));
            rows.push(("Déjà réglé".into(), paid.format(), false));
            if credited.0 > 0 {
                rows.push(("Avoirs".into(), Cents(-credited.0).format(), false));
            }
            rows.push(("Reste à payer".into(), doc.balance().format(), true));
        }
        DocumentKind::CreditNote => {
            rows.push(("Montant de l'avoir".into(), t.total_incl_tax.format(), true));
        }
        DocumentKind::Quote => {}
    }
    let vat_rows = t.vat.len() + 1;
    let height = (rows.len().max(vat_rows + 1) as f32) * (LEAD + 2.0) + 24.0;
    l.room_for(height);
    let top = l.y + 14.0;

    // VAT breakdown (left).
    let cols = [
        (MARGIN + 4.0, Align::Left),
        (200.0, Align::Right),
        (270.0, Align::Right),
    ];
    l.push(Op::Fill {
        rect: (MARGIN, top, 236.0, LEAD + 2.0 * ROW_PAD),
        color: SHADE,
    });
    let mut y = top + ROW_PAD + BODY;
    for ((x, align), title) in cols.iter().zip(["Taux de TVA", "Base HT", "Montant TVA"]) {
        l.text_at(*x, y, *align, BODY, Weight::Bold, INK, title);
    }
    y += ROW_PAD;
    for v in &t.vat {
        y += LEAD + 2.0;
        let cells = [v.rate.format(), v.base.format(), v.vat.format()];
        for ((x, align), text) in cols.iter().zip(cells) {
            l.text_at(*x, y, *align, BODY, Weight::Regular, INK, &text);
        }
    }

    // Totals (right).
    let mut y = top + BODY;
    for (label, value, strong) in rows {
        let weight = if strong {
            Weight::Bold
        } else {
            Weight::Regular
        };
        if strong {
            l.push(Op::Fill {
                rect: (330.0, y - BODY - 3.0, RIGHT - 330.0, LEAD + 4.0),
                color: SHADE,
            });
        }
        l.text_at(336.0, y, Align::Left, BODY, weight, INK, &label);
        l.text_at(RIGHT - 4.0, y, Align::Right, BODY, weight, INK, &value);
        y += LEAD + 2.0;
    }
    l.y = top + height - 10.0;
}

fn closing(l: &mut Layout, doc: &PrintDocument) {
    if !doc.notes.trim().is_empty() {
        l.y += 6.0;
        l.paragraph(&doc.notes, BODY, Weight::Regular, INK);
    }
    l.y += 8.0;
    for mention in doc.mentions() {
        l.y += 2.0;
        l.paragraph(&mention, 8.0, Weight::Regular, MUTED);
    }
}

fn layout(fonts: &Fonts, doc: &PrintDocument) -> Vec<Vec<Op>> {
    let mut l = Layout::new(fonts);
    header(&mut l, doc);
    lines_table(&mut l, doc);
    summary(&mut l, doc);
    closing(&mut l, doc);
    // The footer: who issued it, and where this page stands.
    let total = l.pages.len();
    let room = RIGHT - MARGIN - 60.0;
    let mut identity = fonts.regular.printable(&doc.seller_identity());
    let size = if fonts.regular.width(&identity, 7.5) > room {
        6.0
    } else {
        7.5
    };
    while fonts.regular.width(&identity, size) > room && identity.pop().is_some() {
        if fonts.regular.width(&format!("{identity}…"), size) <= room {
            identity.push('…');
            break;
        }
    }
    for (i, page) in l.pages.iter_mut().enumerate() {
        let y = PAGE_H - MARGIN + 4.0;
        page.push(Op::Rule {
            x1: MARGIN,
            x2: RIGHT,
            y: y - 12.0,
        });
        page.push(Op::Text {
            x: MARGIN,
            y,
            size,
            weight: Weight::Regular,
            color: MUTED,
            text: identity.clone(),
        });
        let number = format!("{}/{}", i + 1, total);
        page.push(Op::Text {
            x: RIGHT - fonts.regular.width(&number, 7.5),
            y,
            size: 7.5,
            weight: Weight::Regular,
            color: MUTED,
            text: number,
        });
    }
    l.pages
}

fn fill(color: (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        ..Default::default()
    }
}

fn draw(surface: &mut Surface, fonts: &Fonts, logo: Option<&Image>, ops: &[Op]) {
    for op in ops {
        match op {
            Op::Text {
                x,
                y,
                size,
                weight,
                color,
                text,
            } => {
                let face = match weight {
                    Weight::Regular => &fonts.regular,
                    Weight::Bold => &fonts.bold,
                };
                surface.set_fill(Some(fill(*color)));
                surface.draw_text(
                    Point::from_xy(*x, *y),
                    face.pdf.clone(),
                    *size,
                    text,
                    false,
                    TextDirection::Auto,
                );
            }
            Op::Fill { rect, color } => {
                let mut path = PathBuilder::new();
                if let Some(r) = Rect::from_xywh(rect.0, rect.1, rect.2, rect.3) {
                    path.push_rect(r);
                }
                if let Some(path) = path.finish() {
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(*color)));
                    surface.draw_path(&path);
                }
            }
            Op::Rule { x1, x2, y } => {
                let mut path = PathBuilder::new();
                path.move_to(*x1, *y);
                path.line_to(*x2, *y);
                if let Some(path) = path.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: rgb::Color::new(210, 214, 220).into(),
                        width: 0.5,
                        ..Default::default()
                    }));
                    surface.draw_path(&path);
                    surface.set_stroke(None);
                }
            }
            Op::Logo { x, y, w, h } => {
                if let (Some(image), Some(size)) = (logo, Size::from_wh(*w, *h)) {
                    surface.push_transform(&krilla::geom::Transform::from_translate(*x, *y));
                    surface.draw_image(image.clone(), size);
                    surface.pop();
                }
            }
        }
    }
}

fn pdf_date(date: chrono::NaiveDate) -> DateTime {
    use chrono::Datelike;
    DateTime::new(date.year().clamp(0, 9999) as u16)
        .month(date.month() as u8)
        .day(date.day() as u8)
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// The document as a PDF/A-3b file; with `facturx`, the CII XML is embedded as
/// `factur-x.xml` (relationship `Alternative`).
pub fn render(doc: &PrintDocument, facturx: Option<&str>) -> Result<Vec<u8>, RenderError> {
    match render_with(doc, facturx) {
        Err(RenderError::Logo(reason)) if doc.logo.is_some() => {
            // A logo stored before uploads were fully decoded may not render: the document
            // still does, without it (the same way every time, so seals hold).
            tracing::warn!(document = doc.id, %reason, "logo left out of the PDF");
            let without = PrintDocument {
                logo: None,
                ..doc.clone()
            };
            render_with(&without, facturx)
        }
        other => other,
    }
}

fn logo_image(logo: &super::print::LogoPrint) -> Result<Image, RenderError> {
    // No interpolation: PDF/A forbids it.
    let data: krilla::Data = logo.bytes.clone().into();
    match logo.format {
        ImageFormat::Png => Image::from_png(data, false),
        ImageFormat::Jpeg => Image::from_jpeg(data, false),
    }
    .map_err(RenderError::Logo)
}

/// Whether an uploaded logo decodes and fits a PDF/A page (checked before it is stored).
pub fn logo_renders(logo: &super::print::LogoPrint) -> bool {
    let Ok(image) = logo_image(logo) else {
        return false;
    };
    let Ok(configuration) = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A3_B)
        .finish()
    else {
        return false;
    };
    let mut document = Document::new_with(SerializeSettings {
        configuration,
        ..Default::default()
    });
    document.set_metadata(Metadata::new().creation_date(DateTime::new(2026)));
    let (Some(page_size), Some(size)) = (
        PageSettings::from_wh(PAGE_W, PAGE_H),
        Size::from_wh(150.0, 60.0),
    ) else {
        return false;
    };
    let mut page = document.start_page_with(page_size);
    let mut surface = page.surface();
    surface.draw_image(image, size);
    surface.finish();
    page.finish();
    document.finish().is_ok()
}

fn render_with(doc: &PrintDocument, facturx: Option<&str>) -> Result<Vec<u8>, RenderError> {
    let fonts = fonts()?;
    let logo = match &doc.logo {
        Some(logo) => Some(logo_image(logo)?),
        None => None,
    };
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A3_B)
        .finish()
        .map_err(|e| RenderError::Writer(format!("{e:?}")))?;
    let settings = SerializeSettings {
        configuration,
        ..Default::default()
    };
    let mut document = Document::new_with(settings);
    let date = pdf_date(doc.date);
    document.set_metadata(
        Metadata::new()
            .title(doc.label())
            .authors(vec![doc.seller.legal_name.clone()])
            .language("fr-FR".to_owned())
            .creator("Comptoir".to_owned())
            .creation_date(date)
            .document_id(format!("comptoir-document-{}", doc.id)),
    );
    if let Some(xml) = facturx {
        document
            .embed_file(EmbeddedFile {
                path: "factur-x.xml".to_owned(),
                mime_type: MimeType::new("text/xml"),
                description: Some("Factur-X Invoice".to_owned()),
                association_kind: AssociationKind::Alternative,
                data: xml.as_bytes().to_vec().into(),
                modification_date: Some(date),
                compress: Some(true),
                location: None,
            })
            .ok_or_else(|| RenderError::Writer("factur-x.xml embedded twice".into()))?;
    }
    for ops in layout(fonts, doc) {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
            .ok_or_else(|| RenderError::Writer("page size".into()))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        draw(&mut surface, fonts, logo.as_ref(), &ops);
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| match e {
        krilla::error::KrillaError::Image(_, _, reason) => RenderError::Logo(reason),
        krilla::error::KrillaError::SixteenBitImage(..) => {
            RenderError::Logo("16-bit image".to_owned())
        }
        other => RenderError::Writer(format!("{other:?}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(lines: usize) -> PrintDocument {
        crate::documents::sample::invoice(lines).expect("sample invoice")
    }

    #[test]
    fn long_documents_break_across_pages_with_the_header_repeated() {
        let fonts = fonts().unwrap_or_else(|_| unreachable!());
        let one = layout(fonts, &sample(3));
        assert_eq!(one.len(), 1);
        let long = layout(fonts, &sample(150));
        assert!(long.len() >= 3, "150 lines on {} pages", long.len());
        let n = long.len();
        for (i, page) in long.iter().enumerate() {
            let texts: Vec<&str> = page
                .iter()
                .filter_map(|op| match op {
                    Op::Text { text, .. } => Some(text.as_str()),
                    _ => None,
                })
                .collect();
            assert!(
                texts.contains(&"Désignation"),
                "page {} has the header",
                i + 1
            );
            assert!(texts.contains(&format!("{}/{n}", i + 1).as_str()));
            for op in page {
                if let Op::Text { y, .. } = op {
                    assert!(*y <= PAGE_H - MARGIN + 4.0, "inside the page");
                }
            }
        }
    }

    #[test]
    fn wrapping_keeps_every_word_and_fits_the_width() {
        let fonts = fonts().unwrap_or_else(|_| unreachable!());
        let l = Layout::new(fonts);
        let text = "Intervention d'un technicien qualifié pendant une demi-journée, anticonstitutionnellementextraordinairementlong";
        let lines = l.wrap(text, 120.0, BODY, Weight::Regular);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(
                l.width(line, BODY, Weight::Regular) <= 120.0 + 0.01,
                "{line}"
            );
        }
        assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
    }

    /// A real PNG (a gradient), as an upload would bring.
    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = ::png::Encoder::new(&mut out, width, height);
        encoder.set_color(::png::ColorType::Rgba);
        encoder.set_depth(::png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        let pixels: Vec<u8> = (0..width * height)
            .flat_map(|i| [(i % 256) as u8, 80, 160, 255])
            .collect();
        writer.write_image_data(&pixels).unwrap();
        writer.finish().unwrap();
        out
    }

    fn logo(bytes: Vec<u8>, width: u32, height: u32) -> crate::documents::print::LogoPrint {
        crate::documents::print::LogoPrint {
            format: ImageFormat::Png,
            width,
            height,
            bytes,
        }
    }

    #[test]
    fn a_logo_prints_and_an_undecodable_one_is_caught() {
        let good = logo(png(120, 40), 120, 40);
        assert!(logo_renders(&good));
        let mut doc = sample(3);
        doc.logo = Some(good);
        let pdf = render(&doc, None).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(crate::documents::facturx::render(&doc).is_ok());

        // Only a header: what the size checks read, but no image behind it.
        let header = crate::invoicing::logo::tests::png_header(120, 40);
        assert!(!logo_renders(&logo(header.clone(), 120, 40)));
        doc.logo = Some(logo(header, 120, 40));
        let without = render(&doc, None).unwrap();
        doc.logo = None;
        assert_eq!(
            without,
            render(&doc, None).unwrap(),
            "left out, deterministically"
        );
    }

    #[test]
    fn characters_the_font_lacks_and_control_characters_still_print() {
        let mut doc = sample(2);
        doc.lines[0].description = "Café ☕ 🚀 中文 tab\there\u{7}bell\u{200b}zero-width".into();
        doc.client.name = "Client \u{1b}[31m SARL 😀".into();
        doc.notes = "Ligne 1\r\nLigne 2\u{0}".into();
        assert!(render(&doc, None).is_ok());
        let (pdf, xml) = crate::documents::facturx::render(&doc).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(!xml.contains('\u{1b}') && !xml.contains('\u{0}'));
    }

    #[test]
    fn a_description_longer_than_a_page_continues_on_the_next() {
        let fonts = fonts().unwrap();
        let mut doc = sample(2);
        doc.lines[0].description = (0..120).map(|i| format!("ligne {i}\n")).collect();
        let pages = layout(fonts, &doc);
        assert!(pages.len() >= 3);
        let texts: Vec<String> = pages
            .iter()
            .flatten()
            .filter_map(|op| match op {
                Op::Text { text, y, .. } => {
                    assert!(*y <= PAGE_H - MARGIN + 4.0);
                    Some(text.clone())
                }
                _ => None,
            })
            .collect();
        for i in 0..120 {
            assert!(texts.contains(&format!("ligne {i}")), "ligne {i} printed");
        }
    }

    /// Issued documents are sealed by the SHA-256 of their regenerated PDF: the renderer's output
    /// must never change silently (a dependency update, a layout tweak). If this fails on purpose,
    /// documents issued before the change need a migration path before the new hash goes in.
    #[test]
    fn the_renderer_output_is_pinned() {
        let pdf = render(&sample(12), None).unwrap();
        assert_eq!(
            crate::documents::db::sha256_hex(&pdf),
            "75f39cfb5c318b0e7f89c34b596f1c0a03a53660a55903bc3a25e5206bc01495",
            "the PDF renderer's output changed"
        );
    }

    #[test]
    fn rendering_is_identical_every_time() {
        let doc = sample(12);
        let a = render(&doc, None).unwrap_or_default();
        let b = render(&doc, None).unwrap_or_default();
        assert!(a.starts_with(b"%PDF-"));
        assert_eq!(a, b);
    }
}

#[cfg(test)]
mod dump {
    /// `COMPTOIR_DUMP_PDF=dir cargo test dump_samples` writes sample files to look at.
    #[test]
    fn dump_samples() {
        let Ok(dir) = std::env::var("COMPTOIR_DUMP_PDF") else {
            return;
        };
        for n in [3, 150] {
            let doc = crate::documents::sample::invoice(n).unwrap();
            let pdf = super::render(&doc, None).unwrap();
            std::fs::write(format!("{dir}/sample-{n}.pdf"), pdf).unwrap();
            let (fx, xml) = crate::documents::facturx::render(&doc).unwrap();
            std::fs::write(format!("{dir}/sample-{n}-facturx.pdf"), fx).unwrap();
            std::fs::write(format!("{dir}/sample-{n}.xml"), xml).unwrap();
        }
    }
}
