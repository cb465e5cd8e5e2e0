//! Decoded pixels shared by the photo stores of a build (print and
//! screen): each photo is decoded once, at half its size, however many
//! photos are made from it and on however many threads.
//!
//! A progressive JPEG (most cameras' and picture desks' photos) costs its
//! full entropy decoding whatever the scale its IDCT is asked for, so the
//! second decode of one costs as much as the first. Every photo made
//! smaller than half its size (the deck's, a spread's small ones) is made
//! from the same half-size decode: a thread that needs one another thread
//! is decoding waits for it instead of decoding it again. The half decode
//! is the only reduced source, whether it was made ahead of need or not,
//! so the photos made from it are the same bytes either way.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use image::RgbImage;

use super::photos::PhotoInfo;

/// Half-size decodes of at most this many bytes are kept between builds.
const KEEP_BYTES: usize = 96 << 20;

/// A decode being made or made: `None` when the photo could not be
/// decoded at half size (the full decode is used instead).
type Cell = Arc<OnceLock<Option<Arc<RgbImage>>>>;

/// Half-size decodes by content hash.
#[derive(Default)]
pub struct Decodes {
    halves: Mutex<HashMap<u128, Cell>>,
}

impl Decodes {
    /// The photo at half its size (rounded up), decoded by the JPEG's own
    /// IDCT: made now, or by the thread already making it (this one waits).
    /// Only for upright JPEGs (`passthrough`); `None` when it fails.
    pub fn half(&self, info: &PhotoInfo) -> Option<Arc<RgbImage>> {
        if !info.passthrough {
            return None;
        }
        let cell = {
            let mut halves = super::photos::lock(&self.halves);
            if !halves.contains_key(&info.hash) {
                bound(&mut halves);
            }
            halves.entry(info.hash).or_default().clone()
        };
        cell.get_or_init(|| {
            let want = (info.width.div_ceil(2), info.height.div_ceil(2));
            super::photos::decode_scaled(info, want).map(Arc::new)
        })
        .clone()
    }

    /// Whether the photo's half decode is made, or being made.
    pub fn has_half(&self, hash: u128) -> bool {
        super::photos::lock(&self.halves).contains_key(&hash)
    }
}

/// Makes room for one more decode: the kept decodes stay under
/// [`KEEP_BYTES`] (all go when they would not; a watch session's photos
/// are decoded again on their next change).
fn bound(halves: &mut HashMap<u128, Cell>) {
    let bytes: usize = halves
        .values()
        .filter_map(|cell| cell.get().cloned().flatten())
        .map(|image| image.as_raw().len())
        .sum();
    if bytes > KEEP_BYTES {
        halves.clear();
    }
}

/// The part of `image` at (x, y), `w` × `h` pixels (kept inside it), row
/// by row (`imageops::crop_imm(..).to_image()` copies pixel by pixel).
pub fn crop_rows(image: &RgbImage, x: u32, y: u32, w: u32, h: u32) -> RgbImage {
    let (iw, ih) = image.dimensions();
    let (x, y) = (x.min(iw.saturating_sub(1)), y.min(ih.saturating_sub(1)));
    let (w, h) = (w.clamp(1, iw - x), h.clamp(1, ih - y));
    if (x, y, w, h) == (0, 0, iw, ih) {
        return image.clone();
    }
    let stride = iw as usize * 3;
    let row = w as usize * 3;
    let mut out = Vec::with_capacity(row * h as usize);
    for r in y..y + h {
        let start = r as usize * stride + x as usize * 3;
        out.extend_from_slice(&image.as_raw()[start..start + row]);
    }
    RgbImage::from_raw(w, h, out).expect("the buffer holds w × h pixels")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_crops_are_pixel_crops() {
        let image = RgbImage::from_fn(7, 5, |x, y| image::Rgb([x as u8, y as u8, 9]));
        for (x, y, w, h) in [(0, 0, 7, 5), (2, 1, 3, 4), (6, 4, 1, 1), (1, 0, 6, 5)] {
            let slow = image::imageops::crop_imm(&image, x, y, w, h).to_image();
            assert_eq!(crop_rows(&image, x, y, w, h), slow, "{x} {y} {w} {h}");
        }
        // Kept inside the image.
        assert_eq!(crop_rows(&image, 5, 3, 9, 9).dimensions(), (2, 2));
    }
}
