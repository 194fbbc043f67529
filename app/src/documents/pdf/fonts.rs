//! The embedded Liberation Sans faces: the font krilla embeds, and the rustybuzz shaper that
//! measures text and tells which characters have a glyph.

use krilla::text::Font;
use std::sync::LazyLock;

const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Regular.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Bold.ttf");

pub(super) struct Face {
    pub(super) pdf: Font,
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
    pub(super) fn printable(&self, text: &str) -> String {
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
    pub(super) fn width(&self, text: &str, size: f32) -> f32 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(&self.shaper, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / self.units_per_em
    }
}

pub(super) struct Fonts {
    pub(super) regular: Face,
    pub(super) bold: Face,
}

pub(super) static FONTS: LazyLock<Option<Fonts>> = LazyLock::new(|| {
    Some(Fonts {
        regular: Face::load(REGULAR_TTF)?,
        bold: Face::load(BOLD_TTF)?,
    })
});
