//! Stand-ins: what Typst holds in place of a final photo.
//!
//! Typst decodes every image it is given, in full, even a JPEG its PDF
//! writer then embeds byte for byte. For a spread of large photos that
//! decoding was most of a render's time and memory. So Typst gets a small
//! stand-in of each final photo (decoded at 1/8, 1/4 or 1/2 by the JPEG's
//! own IDCT, enough for previews), with the same colour profile and
//! channels; the PDF is written with the stand-ins, and [`crate::export`]
//! swaps each stand-in's image stream for the final photo's bytes. Previews
//! (PNG) are drawn from the stand-ins.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageEncoder};
use typst::foundations::Bytes;

use super::photos::{PhotoError, decode_jpeg_scaled};

/// A final photo and the stand-in Typst lays out in its place.
#[derive(Debug, Clone)]
pub struct Embed {
    /// The stand-in's bytes, unique to the final photo.
    pub stand_in: Bytes,
    /// The final photo (JPEG) the PDF gets.
    pub bytes: Bytes,
    /// Its pixel size.
    pub pixels: (u32, u32),
}

/// Makes a stand-in for a final JPEG: at least `pixels` large where the
/// IDCT can reduce it (and never larger than the photo), or, with no
/// `pixels` (nothing is previewed), a flat 8 × 8 one that costs no decode.
pub fn stand_in(bytes: &Bytes, pixels: Option<(u32, u32)>) -> Result<Bytes, PhotoError> {
    let err = PhotoError::Encode;
    let mut header =
        image::codecs::jpeg::JpegDecoder::new(Cursor::new(bytes.as_slice())).map_err(err)?;
    let icc = header.icc_profile().map_err(err)?;
    let Some(pixels) = pixels else {
        let image = if header.color_type().has_color() {
            DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
                8,
                8,
                image::Rgb([128, 128, 128]),
            ))
        } else {
            DynamicImage::ImageLuma8(image::GrayImage::from_pixel(8, 8, image::Luma([128])))
        };
        return encode(&image, icc, bytes);
    };
    let want = (
        u16::try_from(pixels.0.max(1)).unwrap_or(u16::MAX),
        u16::try_from(pixels.1.max(1)).unwrap_or(u16::MAX),
    );
    let (_, image) = decode_jpeg_scaled(bytes.as_slice(), want)
        .map_err(|e| PhotoError::Encode(image::ImageError::IoError(std::io::Error::other(e))))?;
    encode(&image, icc, bytes)
}

/// Encodes a stand-in with the final photo's colour profile, marked as
/// that photo's.
fn encode(image: &DynamicImage, icc: Option<Vec<u8>>, photo: &Bytes) -> Result<Bytes, PhotoError> {
    let err = PhotoError::Encode;
    let (w, h) = (image.width(), image.height());
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80);
    if let Some(icc) = icc {
        encoder
            .set_icc_profile(icc)
            .map_err(|e| PhotoError::Encode(image::ImageError::Unsupported(e)))?;
    }
    encoder
        .write_image(image.as_bytes(), w, h, image.color().into())
        .map_err(err)?;
    Ok(Bytes::new(mark(
        &out,
        // The photo's own hash, kept with its bytes: worked out once.
        typst::utils::hash128(photo),
    )))
}

/// Adds a comment naming the final photo right after the JPEG's start, so
/// no two final photos share a stand-in.
fn mark(jpeg: &[u8], id: u128) -> Vec<u8> {
    with_comment(jpeg, &format!("banmian stand-in {id:032x}"))
}

/// A JPEG with a comment (COM) right after its start.
pub(super) fn with_comment(jpeg: &[u8], text: &str) -> Vec<u8> {
    let len = u16::try_from(text.len() + 2).expect("a short comment");
    let mut out = Vec::with_capacity(jpeg.len() + text.len() + 4);
    out.extend_from_slice(&jpeg[..2]);
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(w: u32, h: u32, grey: bool) -> Bytes {
        let mut out = Vec::new();
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
        if grey {
            let img = image::GrayImage::from_fn(w, h, |x, _| image::Luma([(x % 256) as u8]));
            encoder
                .write_image(&img, w, h, image::ExtendedColorType::L8)
                .unwrap();
        } else {
            let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 7]));
            encoder
                .write_image(&img, w, h, image::ExtendedColorType::Rgb8)
                .unwrap();
        }
        Bytes::new(out)
    }

    #[test]
    fn stand_ins_are_small_keep_channels_and_differ_per_photo() {
        let a = jpeg(1600, 800, false);
        let small = stand_in(&a, Some((200, 100))).unwrap();
        let decoded = image::load_from_memory(&small).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (200, 100));
        assert!(decoded.color().has_color());
        let grey = stand_in(&jpeg(800, 800, true), Some((100, 100))).unwrap();
        assert!(!image::load_from_memory(&grey).unwrap().color().has_color());
        let b = jpeg(1600, 800, true);
        assert_ne!(stand_in(&b, Some((200, 100))).unwrap(), small);
        let flat = stand_in(&b, None).unwrap();
        assert_eq!(image::load_from_memory(&flat).unwrap().width(), 8);
        assert_ne!(stand_in(&a, None).unwrap(), flat, "marked with their photo");
    }
}
