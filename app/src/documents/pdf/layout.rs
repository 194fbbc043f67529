//! Page geometry, colours, the drawing operations (`Op`) and `Layout`, which fills pages with
//! them top to bottom: measuring, wrapping and page breaks.

use super::fonts::{Face, Fonts};

pub(super) const PAGE_W: f32 = 595.28;
pub(super) const PAGE_H: f32 = 841.89;
pub(super) const MARGIN: f32 = 42.0;
pub(super) const RIGHT: f32 = PAGE_W - MARGIN;
/// Lowest baseline of the body; the footer lives below.
pub(super) const BOTTOM: f32 = PAGE_H - MARGIN - 30.0;
pub(super) const BODY: f32 = 9.0;
pub(super) const LEAD: f32 = 11.5;
pub(super) const ROW_PAD: f32 = 4.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Weight {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Align {
    Left,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Op {
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

pub(super) const INK: (u8, u8, u8) = (33, 37, 41);
pub(super) const MUTED: (u8, u8, u8) = (95, 99, 104);
pub(super) const ACCENT: (u8, u8, u8) = (20, 70, 140);
pub(super) const SHADE: (u8, u8, u8) = (236, 240, 246);
pub(super) const WARN: (u8, u8, u8) = (176, 32, 32);

/// Pages of drawing operations, filled top to bottom (y grows downwards, at baselines).
pub(super) struct Layout<'f> {
    fonts: &'f Fonts,
    pub(super) pages: Vec<Vec<Op>>,
    pub(super) y: f32,
}

impl<'f> Layout<'f> {
    pub(super) fn new(fonts: &'f Fonts) -> Self {
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

    pub(super) fn width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        self.face(weight).width(text, size)
    }

    pub(super) fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn text_at(
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

    pub(super) fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// Starts a new page unless `height` still fits on this one.
    pub(super) fn room_for(&mut self, height: f32) -> bool {
        if self.y + height > BOTTOM {
            self.new_page();
            true
        } else {
            false
        }
    }

    /// Greedy word wrap; a word longer than the line is cut where it must be.
    pub(super) fn wrap(&self, text: &str, width: f32, size: f32, weight: Weight) -> Vec<String> {
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
    pub(super) fn paragraph(&mut self, text: &str, size: f32, weight: Weight, color: (u8, u8, u8)) {
        for line in self.wrap(text, RIGHT - MARGIN, size, weight) {
            self.room_for(size * 1.3);
            self.y += size * 1.3;
            self.text_at(MARGIN, self.y, Align::Left, size, weight, color, &line);
        }
    }
}
