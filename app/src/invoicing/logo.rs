//! Seller logo checks: PNG or JPEG only (no SVG: it can carry scripts), at most 512 KB and
//! 4000 × 4000 pixels. The format is read from the bytes, never from the file name or the
//! browser's content type.

use crate::error::Problem;
use sha2::{Digest, Sha256};

pub const MAX_BYTES: usize = 512 * 1024;
pub const MAX_SIDE: usize = 4000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub mime: &'static str,
    pub width: i32,
    pub height: i32,
    /// Hex SHA-256 of the bytes: the logo's name in storage.
    pub sha256: String,
}

pub fn check(bytes: &[u8]) -> Result<Logo, Problem> {
    if bytes.len() > MAX_BYTES {
        return Err(Problem::LogoTooLarge);
    }
    let mime = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => "image/png",
        Ok(imagesize::ImageType::Jpeg) => "image/jpeg",
        _ => return Err(Problem::LogoFormat),
    };
    let size = imagesize::blob_size(bytes).map_err(|_| Problem::LogoFormat)?;
    if size.width == 0 || size.height == 0 {
        return Err(Problem::LogoFormat);
    }
    if size.width > MAX_SIDE || size.height > MAX_SIDE {
        return Err(Problem::LogoDimensions);
    }
    let sha256 = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Logo {
        mime,
        width: size.width as i32,
        height: size.height as i32,
        sha256,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The start of a PNG: signature and IHDR chunk with the given size (enough for the checks).
    pub fn png_header(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
        bytes.extend_from_slice(&13u32.to_be_bytes());
        bytes.extend_from_slice(b"IHDR");
        bytes.extend_from_slice(&width.to_be_bytes());
        bytes.extend_from_slice(&height.to_be_bytes());
        bytes.extend_from_slice(&[8, 6, 0, 0, 0]);
        bytes.extend_from_slice(&[0; 4]);
        bytes
    }

    #[test]
    fn accepts_a_png_and_names_it_by_its_hash() {
        let logo = check(&png_header(320, 80)).unwrap();
        assert_eq!(logo.mime, "image/png");
        assert_eq!((logo.width, logo.height), (320, 80));
        assert_eq!(logo.sha256.len(), 64);
        assert_eq!(logo, check(&png_header(320, 80)).unwrap());
    }

    #[test]
    fn refuses_svg_text_and_oversized_images() {
        let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>";
        assert_eq!(check(svg), Err(Problem::LogoFormat));
        assert_eq!(check(b"not an image"), Err(Problem::LogoFormat));
        assert_eq!(check(&[]), Err(Problem::LogoFormat));
        assert_eq!(check(&png_header(4001, 10)), Err(Problem::LogoDimensions));
        let mut big = png_header(10, 10);
        big.resize(MAX_BYTES + 1, 0);
        assert_eq!(check(&big), Err(Problem::LogoTooLarge));
    }
}
