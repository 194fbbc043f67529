//! The document's parts, top to bottom (header, the lines table from `table`, summary, notes
//! and mentions), and `layout`, which assembles them into pages and adds the footer to each.

use super::fonts::Fonts;
use super::layout::{
    ACCENT, Align, BODY, INK, LEAD, Layout, MARGIN, MUTED, Op, PAGE_H, RIGHT, ROW_PAD, SHADE, WARN,
    Weight,
};
use super::table::lines_table;
use crate::documents::print::{PrintDocument, fr_date};
use crate::invoicing::money::Cents;
use crate::invoicing::workflow::DocumentKind;

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
            // Credit notes took it below what was paid: the difference goes back to the client.
            let balance = doc.balance();
            if balance.0 < 0 {
                let owed = Cents(balance.0.saturating_neg());
                rows.push(("À rembourser".into(), owed.format(), true));
            } else {
                rows.push(("Reste à payer".into(), balance.format(), true));
            }
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

pub(super) fn layout(fonts: &Fonts, doc: &PrintDocument) -> Vec<Vec<Op>> {
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
