//! The draft editor's steps, the same with and without JavaScript: a line added or removed, an
//! article picked, the totals recomputed. The form posts its step and the server applies it to
//! the posted draft, which the editor then shows again (kept in the session until saved); with
//! JavaScript the totals also follow the typing (the `LiveTotals` island).

use super::money::{self, Cents, Totals};
use super::{ArticleView, ContactChoice, DocumentFields, LineFields};
use serde::{Deserialize, Serialize};

/// What the editor's submit button asked for (`step`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorStep {
    /// Save the draft (also the default: Enter in a field).
    Save,
    /// Show the draft again with its totals and problems.
    Recalculate,
    AddLine,
    /// Remove the line at this 0-based position (the last one stays).
    RemoveLine(usize),
}

impl EditorStep {
    pub const SAVE: &'static str = "enregistrer";
    pub const RECALCULATE: &'static str = "recalculer";
    pub const ADD_LINE: &'static str = "ajouter";
    const REMOVE_LINE: &'static str = "retirer-";

    /// Unknown steps save: a form that names none is a plain save.
    pub fn parse(raw: &str) -> Self {
        let raw = raw.trim();
        match raw {
            Self::RECALCULATE => Self::Recalculate,
            Self::ADD_LINE => Self::AddLine,
            _ => raw
                .strip_prefix(Self::REMOVE_LINE)
                .and_then(|n| n.parse().ok())
                .map_or(Self::Save, Self::RemoveLine),
        }
    }

    /// The value of the button that removes line `position`.
    pub fn remove_value(position: usize) -> String {
        format!("{}{position}", Self::REMOVE_LINE)
    }
}

impl LineFields {
    /// A new line: one unit at the standard rate.
    pub fn blank() -> Self {
        Self {
            quantity: "1".into(),
            vat_rate: "20".into(),
            ..Default::default()
        }
    }

    /// A line filled from `article` alone: what picking it fills.
    pub fn filled_from(article: &ArticleView) -> Self {
        let mut line = Self::default();
        line.take_article(article);
        line
    }

    /// Fills the line from `article`: its description, unit, price and VAT rate, as typed.
    pub fn take_article(&mut self, article: &ArticleView) {
        self.article_id = article.id.to_string();
        self.description = article.description.clone();
        self.unit = article.unit.clone();
        self.unit_price = article.unit_price.format_number().replace('\u{a0}', "");
        self.vat_rate = article
            .vat_rate
            .format()
            .replace('\u{a0}', "")
            .trim_end_matches('%')
            .to_owned();
    }
}

impl DocumentFields {
    /// The lines the editor starts from: at least one.
    pub fn with_a_line(mut self) -> Self {
        if self.lines.is_empty() {
            self.lines.push(LineFields::blank());
        }
        self
    }

    /// Whether a line's article changed since the form was shown (`picked[i]`, the article the
    /// line was filled from): only then are the articles worth loading.
    pub fn picks_new_articles(&self, picked: &[String]) -> bool {
        self.lines
            .iter()
            .enumerate()
            .any(|(i, line)| newly_picked(line, picked.get(i)).is_some())
    }

    /// Fills each line whose article changed since the form was shown from that article; a
    /// line typed by hand keeps its text.
    pub fn take_picked_articles(&mut self, picked: &[String], articles: &[ArticleView]) {
        for (i, line) in self.lines.iter_mut().enumerate() {
            let Some(chosen) = newly_picked(line, picked.get(i)) else {
                continue;
            };
            if let Some(article) = articles.iter().find(|a| a.id.to_string() == chosen) {
                line.take_article(article);
            }
        }
    }

    /// Adds or removes a line (the last one stays); other steps leave the lines as they are.
    pub fn apply(&mut self, step: EditorStep) {
        match step {
            EditorStep::AddLine => self.lines.push(LineFields::blank()),
            EditorStep::RemoveLine(i) if i < self.lines.len() && self.lines.len() > 1 => {
                self.lines.remove(i);
            }
            _ => {}
        }
    }
}

impl DocumentFields {
    /// The totals of the draft as typed, by the money rules the server saves with; `None` while
    /// a line or the discount does not parse.
    pub fn live_totals(&self) -> Option<Totals> {
        let mut problems = Vec::new();
        let amounts = self
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| l.parse(i, &mut problems).map(|l| l.amounts))
            .collect::<Option<Vec<_>>>()?;
        let discount = money::Discount::parse(&self.global_discount).ok()?;
        money::totals(&amounts, discount).ok()
    }

    /// The draft as the editor's form posts it: its `fields[…]` names and values, as the browser
    /// reads them from the form, without a query-string library in the islands' WASM. Read by the
    /// rules serde_qs applies to the server function's arguments (a property test checks they
    /// agree): `fields[contact_id]` and each line's description, quantity, unit price and VAT
    /// rate must be there, lines come in the order of their index, other names are ignored.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Option<Self> {
        #[derive(Default)]
        struct PostedLine {
            article_id: Option<String>,
            description: Option<String>,
            quantity: Option<String>,
            unit: Option<String>,
            unit_price: Option<String>,
            vat_rate: Option<String>,
            discount: Option<String>,
        }
        let (mut contact_id, mut validity_date, mut due_date, mut global_discount, mut notes) =
            (None, None, None, None, None);
        let mut lines = std::collections::BTreeMap::<usize, PostedLine>::new();
        for (name, value) in pairs {
            let Some(key) = name.as_ref().strip_prefix("fields[") else {
                continue;
            };
            let value = Some(value.as_ref().to_owned());
            if let Some(line_key) = key.strip_prefix("lines][") {
                let (index, field) = line_key.split_once("][")?;
                let line = lines.entry(index.parse().ok()?).or_default();
                match field.strip_suffix(']')? {
                    "article_id" => line.article_id = value,
                    "description" => line.description = value,
                    "quantity" => line.quantity = value,
                    "unit" => line.unit = value,
                    "unit_price" => line.unit_price = value,
                    "vat_rate" => line.vat_rate = value,
                    "discount" => line.discount = value,
                    _ => {}
                }
                continue;
            }
            match key.strip_suffix(']')? {
                "contact_id" => contact_id = value,
                "validity_date" => validity_date = value,
                "due_date" => due_date = value,
                "global_discount" => global_discount = value,
                "notes" => notes = value,
                _ => {}
            }
        }
        let lines = lines
            .into_values()
            .map(|l| {
                Some(LineFields {
                    article_id: l.article_id.unwrap_or_default(),
                    description: l.description?,
                    quantity: l.quantity?,
                    unit: l.unit.unwrap_or_default(),
                    unit_price: l.unit_price?,
                    vat_rate: l.vat_rate?,
                    discount: l.discount.unwrap_or_default(),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(DocumentFields {
            contact_id: contact_id?,
            validity_date: validity_date.unwrap_or_default(),
            due_date: due_date.unwrap_or_default(),
            global_discount: global_discount.unwrap_or_default(),
            notes: notes.unwrap_or_default(),
            lines,
        })
    }
}

impl LineFields {
    /// The line's total excluding tax as shown beside it, "—" while it does not parse.
    pub fn shown_total(&self) -> String {
        let mut problems = Vec::new();
        self.parse(0, &mut problems)
            .and_then(|l| l.amounts.total_excl_tax().ok())
            .map_or_else(|| "—".to_owned(), Cents::format)
    }
}

/// The article chosen on `line` when it is not the one it was filled from (`picked`).
fn newly_picked<'a>(line: &'a LineFields, picked: Option<&String>) -> Option<&'a str> {
    let chosen = line.article_id.trim();
    (!chosen.is_empty() && picked.is_none_or(|p| p != chosen)).then_some(chosen)
}

/// Everything the editor needs, loaded in one call: the draft as it starts, and the choices.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorStart {
    pub fields: DocumentFields,
    pub contacts: Vec<ContactChoice>,
    pub articles: Vec<ArticleView>,
}

/// A draft between two steps of the editor without JavaScript, kept in the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptDraft {
    pub kind: String,
    /// `None` for a new document.
    pub document_id: Option<i64>,
    pub fields: DocumentFields,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invoicing::money::{Cents, VatRate};

    fn article(id: i64) -> ArticleView {
        ArticleView {
            id,
            reference: format!("A-{id}"),
            description: format!("Article {id}"),
            unit: "h".into(),
            unit_price: Cents(123_450),
            vat_rate: VatRate::parse("5,5").unwrap(),
            active: true,
        }
    }

    fn posted(lines: &[[&str; 4]], discount: &str) -> String {
        let mut query = format!(
            "document_id=&kind=quote&fields%5Bcontact_id%5D=3&fields%5Bglobal_discount%5D={discount}"
        );
        for (i, [description, quantity, price, vat]) in lines.iter().enumerate() {
            for (key, value) in [
                ("description", *description),
                ("quantity", quantity),
                ("unit_price", price),
                ("vat_rate", vat),
            ] {
                query.push_str(&format!("&fields%5Blines%5D%5B{i}%5D%5B{key}%5D={value}"));
            }
            query.push_str(&format!("&picked%5B{i}%5D="));
        }
        query
    }

    /// The draft in an urlencoded form, read as the browser reads its form's data.
    fn from_form(urlencoded: &str) -> Option<DocumentFields> {
        DocumentFields::from_pairs(url::form_urlencoded::parse(urlencoded.as_bytes()))
    }

    /// The same, read by serde_qs as the server function reads its arguments.
    fn as_the_server_reads(urlencoded: &str) -> Option<DocumentFields> {
        #[derive(serde::Deserialize)]
        struct Posted {
            fields: DocumentFields,
        }
        serde_qs::Config::new(5, false)
            .deserialize_str::<Posted>(urlencoded)
            .ok()
            .map(|posted| posted.fields)
    }

    #[test]
    fn the_form_reads_back_into_the_draft_and_its_live_totals() {
        let fields = from_form(&posted(
            &[
                ["Audit", "2", "150", "20"],
                ["D%C3%A9placement", "1", "50%2C50", "10"],
            ],
            "",
        ))
        .unwrap();
        assert_eq!(fields.contact_id, "3");
        assert_eq!(fields.lines.len(), 2);
        assert_eq!(fields.lines[1].description, "Déplacement");
        assert_eq!(fields.lines[1].unit_price, "50,50");
        // 300 at 20 % (60) + 50,50 at 10 % (5,05) → 415,55.
        assert_eq!(fields.live_totals().unwrap().total_incl_tax, Cents(41_555));
        assert_eq!(fields.lines[1].shown_total(), "50,50\u{a0}€");
        let incomplete = from_form(&posted(&[["Audit", "2", "", "20"]], "")).unwrap();
        assert_eq!(incomplete.live_totals(), None);
        assert_eq!(incomplete.lines[0].shown_total(), "—");
        assert_eq!(from_form("fields=3"), None);
    }

    proptest::proptest! {
        /// The live totals are the server's: the same draft, once parsed as the server saves it,
        /// gives the same totals.
        #[test]
        fn live_totals_equal_the_saved_ones(
            lines in proptest::collection::vec((1u32..100_000, 0u32..10_000_000, 0usize..7, 0u32..100), 1..6),
            discount in 0u32..100,
        ) {
            let fields = DocumentFields {
                contact_id: "1".into(),
                global_discount: discount.to_string(),
                lines: lines.iter().map(|(q, p, vat, d)| LineFields {
                    description: "x".into(),
                    quantity: format!("{},{:03}", q / 1000, q % 1000),
                    unit_price: format!("{},{:02}", p / 100, p % 100),
                    vat_rate: crate::invoicing::labels::VAT_RATES[*vat].into(),
                    discount: d.to_string(),
                    ..Default::default()
                }).collect(),
                ..Default::default()
            };
            let draft = fields.parse().unwrap();
            let saved = money::totals(&draft.amounts(), draft.global_discount).ok();
            proptest::prop_assert_eq!(fields.live_totals(), saved);
        }

        /// The browser reads the editor's form as the server function reads it: any mix of
        /// present and missing fields, in any order, with any index, and names that are not
        /// the draft's.
        #[test]
        fn the_form_reads_as_the_server_reads_it(
            pairs in proptest::collection::vec(
                (
                    proptest::sample::select(vec![
                        "fields[contact_id]", "fields[validity_date]", "fields[due_date]",
                        "fields[global_discount]", "fields[notes]", "fields[other]",
                        "document_id", "step", "picked[0]",
                        "fields[lines][0][description]", "fields[lines][0][quantity]",
                        "fields[lines][0][unit_price]", "fields[lines][0][vat_rate]",
                        "fields[lines][0][unit]", "fields[lines][0][discount]",
                        "fields[lines][0][article_id]", "fields[lines][1][description]",
                        "fields[lines][1][quantity]", "fields[lines][1][unit_price]",
                        "fields[lines][1][vat_rate]", "fields[lines][3][description]",
                        "fields[lines][3][quantity]", "fields[lines][3][unit_price]",
                        "fields[lines][3][vat_rate]",
                    ]),
                    "[a-z0-9 ,.&=é%+]{0,6}",
                ),
                0..30,
            ),
        ) {
            // A form names each field once.
            let mut seen = std::collections::HashSet::new();
            let pairs: Vec<_> = pairs.into_iter().filter(|(name, _)| seen.insert(*name)).collect();
            let query = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs.iter().map(|(n, v)| (*n, v.as_str())))
                .finish();
            proptest::prop_assert_eq!(from_form(&query), as_the_server_reads(&query));
        }
    }

    #[test]
    fn steps_parse_and_unknown_ones_save() {
        assert_eq!(EditorStep::parse("recalculer"), EditorStep::Recalculate);
        assert_eq!(EditorStep::parse("ajouter"), EditorStep::AddLine);
        assert_eq!(
            EditorStep::parse(&EditorStep::remove_value(2)),
            EditorStep::RemoveLine(2)
        );
        for raw in ["", "enregistrer", "retirer-x", "retirer--1", "autre"] {
            assert_eq!(EditorStep::parse(raw), EditorStep::Save, "{raw}");
        }
    }

    #[test]
    fn lines_are_added_and_removed_but_the_last_one_stays() {
        let mut fields = DocumentFields::default().with_a_line();
        fields.apply(EditorStep::AddLine);
        fields.lines[1].description = "second".into();
        assert_eq!(fields.lines.len(), 2);
        fields.apply(EditorStep::RemoveLine(0));
        assert_eq!(fields.lines.len(), 1);
        assert_eq!(fields.lines[0].description, "second");
        fields.apply(EditorStep::RemoveLine(0));
        fields.apply(EditorStep::RemoveLine(7));
        assert_eq!(fields.lines.len(), 1);
    }

    #[test]
    fn only_a_newly_picked_article_fills_its_line() {
        let mut fields = DocumentFields::default().with_a_line();
        fields.apply(EditorStep::AddLine);
        fields.apply(EditorStep::AddLine);
        // Line 0: article 1 newly picked. Line 1: article 2 picked before, text edited since.
        // Line 2: an article that does not exist (or another organisation's).
        fields.lines[0].article_id = "1".into();
        fields.lines[1].article_id = "2".into();
        fields.lines[1].description = "Edited".into();
        fields.lines[2].article_id = "99".into();
        let picked = vec![String::new(), "2".into(), String::new()];
        assert!(fields.picks_new_articles(&picked));
        assert!(!fields.picks_new_articles(&["1".into(), "2".into(), "99".into()]));
        fields.take_picked_articles(&picked, &[article(1), article(2)]);
        let first = &fields.lines[0];
        assert_eq!(first.description, "Article 1");
        assert_eq!(first.unit, "h");
        assert_eq!(first.unit_price, "1234,50");
        assert_eq!(first.vat_rate, "5,5");
        assert_eq!(fields.lines[1].description, "Edited");
        assert_eq!(fields.lines[2].description, "");
    }

    /// The island copies `filled_from` into the line's fields: each value must be one the
    /// field takes (the VAT select has only its listed rates), and the line must read back as
    /// the article.
    #[test]
    fn what_picking_fills_is_what_the_fields_take() {
        for rate in ["20", "10", "5,5", "2,1", "0"] {
            let mut a = article(3);
            a.vat_rate = VatRate::parse(rate).expect("a listed rate");
            let filled = LineFields::filled_from(&a);
            assert!(crate::invoicing::labels::VAT_RATES.contains(&filled.vat_rate.as_str()));
            assert_eq!(filled.article_id, "3");
            // The island leaves the quantity as it was.
            let typed = LineFields {
                quantity: "1".into(),
                ..filled
            };
            let mut problems = Vec::new();
            let line = typed.parse(0, &mut problems).expect("a filled line parses");
            assert_eq!(line.amounts.unit_price, a.unit_price);
        }
    }
}
