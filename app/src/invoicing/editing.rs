//! The draft editor's steps, the same with and without JavaScript: a line added or removed, an
//! article picked, the totals recomputed. Hydrated, the browser applies them as the user types;
//! without JavaScript the form posts its step and the server applies it to the posted draft,
//! which the editor then shows again (kept in the session until saved).

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

    /// Fills each line whose article changed since the form was shown (`picked[i]`, the
    /// article the line was filled from) from that article; a line typed by hand keeps its text.
    pub fn take_picked_articles(&mut self, picked: &[String], articles: &[ArticleView]) {
        for (i, line) in self.lines.iter_mut().enumerate() {
            let chosen = line.article_id.trim();
            if chosen.is_empty() || picked.get(i).is_some_and(|p| p == chosen) {
                continue;
            }
            if let Some(article) = articles.iter().find(|a| a.id.to_string() == chosen) {
                line.take_article(article);
            }
        }
    }

    /// Applies a step that changes the lines.
    pub fn apply(&mut self, step: EditorStep) {
        apply_to_lines(&mut self.lines, step);
    }
}

/// Adds or removes a line (the last one stays); other steps leave the lines as they are.
pub fn apply_to_lines(lines: &mut Vec<LineFields>, step: EditorStep) {
    match step {
        EditorStep::AddLine => lines.push(LineFields::blank()),
        EditorStep::RemoveLine(i) if i < lines.len() && lines.len() > 1 => {
            lines.remove(i);
        }
        _ => {}
    }
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
        fields.take_picked_articles(&picked, &[article(1), article(2)]);
        let first = &fields.lines[0];
        assert_eq!(first.description, "Article 1");
        assert_eq!(first.unit, "h");
        assert_eq!(first.unit_price, "1234,50");
        assert_eq!(first.vat_rate, "5,5");
        assert_eq!(fields.lines[1].description, "Edited");
        assert_eq!(fields.lines[2].description, "");
    }
}
