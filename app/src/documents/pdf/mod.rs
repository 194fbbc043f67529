//! Native PDF rendering with krilla (PDF/A-3b, embedded and subsetted fonts).
//!
//! krilla writes correct PDF/A but does no layout, so this module places the text itself: it
//! measures with the same shaper krilla uses (rustybuzz), wraps descriptions, splits the lines
//! table across pages with its header repeated, then draws every page once the page count is
//! known, for the `1/3` numbers.

mod fonts;
mod layout;
mod sections;
mod table;
#[cfg(test)]
mod tests;

use super::print::{ImageFormat, PrintDocument};
use fonts::{FONTS, Fonts};
use krilla::color::rgb;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::geom::{PathBuilder, Point, Rect, Size};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::TextDirection;
use krilla::{Document, SerializeSettings};
use layout::{Op, PAGE_H, PAGE_W, Weight};

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

fn fonts() -> Result<&'static Fonts, RenderError> {
    FONTS.as_ref().ok_or(RenderError::Fonts)
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
    for ops in sections::layout(fonts, doc) {
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
