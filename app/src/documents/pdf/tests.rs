//! Layout and rendering tests, among them the golden hash that pins the renderer's output.

use super::layout::{BODY, Layout, MARGIN};
use super::sections::layout;
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
