//! Photos separated for the plant (PDF/X): each final photo (an RGB or
//! grey JPEG) is decoded, whatever translucent shape lies over it is burnt
//! into its pixels (PDF/X-1a allows no transparency), and it is separated
//! through the output profile: colour photos into CMYK within the ink
//! limit, grey photos into black ink alone. The result is a JPEG again
//! (CMYK as Adobe writes it, inverted, with an APP14 marker), cached in
//! memory and on disk by the photo's bytes, the profile, the limit and
//! what was burnt in, so a re-render costs a file read.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use typst::foundations::Bytes;

use super::colour::Separation;
use super::photos::PhotoError;

/// Bumped when separations change, so old cache entries are not used.
const VERSION: u32 = 2;

/// A translucent fill over part of a photo, to burn into its pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overlay {
    /// Left, top, right and bottom edge, as fractions of the photo.
    pub rect: [f32; 4],
    /// Its colour, sRGB 0–1.
    pub rgb: [f32; 3],
    /// Its opacity, 0–1.
    pub alpha: f32,
}

/// Total ink of a separated photo, in percent.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct PhotoInk {
    /// The heaviest pixel.
    pub max: f64,
    /// The 99.9th percentile over the pixels.
    pub p999: f64,
    /// The heaviest C + M + Y (what black laid over it adds to).
    pub max_cmy: f64,
}

/// A photo separated for the plant.
#[derive(Debug, Clone)]
pub struct Separated {
    /// JPEG bytes: CMYK (Adobe, inverted) or grey (black ink).
    pub bytes: Bytes,
    /// Four channels (CMYK), else one (grey, printed in black).
    pub cmyk: bool,
    /// Its ink.
    pub ink: PhotoInk,
}

/// Separates photos and keeps them.
pub struct SeparatedStore {
    separation: Arc<Separation>,
    cache_dir: Option<PathBuf>,
    quality: u8,
    memory: Mutex<HashMap<u128, Separated>>,
}

impl SeparatedStore {
    /// A store separating through `separation`, caching in `cache_dir`.
    pub fn new(separation: Arc<Separation>, cache_dir: Option<PathBuf>, quality: u8) -> Self {
        Self {
            separation,
            cache_dir,
            quality,
            memory: Mutex::default(),
        }
    }

    /// The separation in force.
    pub fn separation(&self) -> &Separation {
        &self.separation
    }

    /// The final photo `jpeg` separated, with `overlays` burnt in.
    pub fn separate(&self, jpeg: &Bytes, overlays: &[Overlay]) -> Result<Separated, PhotoError> {
        let key = self.key(jpeg, overlays);
        if let Some(found) = lock(&self.memory).get(&key) {
            return Ok(found.clone());
        }
        let path = self
            .cache_dir
            .as_ref()
            .map(|dir| dir.join(format!("{key:032x}-press.jpg")));
        let cached = path
            .as_ref()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|bytes| from_cache(Bytes::new(bytes)));
        let separated = match cached {
            Some(found) => found,
            None => {
                let made = self.make(jpeg, overlays)?;
                if let Some(path) = &path {
                    // Best effort: a cache that cannot be written costs time.
                    let _ = super::write_atomic(path, &made.bytes);
                }
                made
            }
        };
        let mut memory = lock(&self.memory);
        if memory.len() > 64 {
            memory.clear();
        }
        memory.insert(key, separated.clone());
        Ok(separated)
    }

    /// What a separation depends on: the photo, profile, limit, quality
    /// and overlays.
    fn key(&self, jpeg: &Bytes, overlays: &[Overlay]) -> u128 {
        let overlays: Vec<[u32; 8]> = overlays
            .iter()
            .map(|o| {
                let [x0, y0, x1, y1] = o.rect.map(f32::to_bits);
                let [r, g, b] = o.rgb.map(f32::to_bits);
                [x0, y0, x1, y1, r, g, b, o.alpha.to_bits()]
            })
            .collect();
        typst::utils::hash128(&(
            VERSION,
            typst::utils::hash128(jpeg.as_slice()),
            self.separation.profile.hash,
            self.separation.ink_limit.to_bits(),
            self.quality,
            overlays,
        ))
    }

    /// Decodes, burns in, separates and encodes.
    fn make(&self, jpeg: &Bytes, overlays: &[Overlay]) -> Result<Separated, PhotoError> {
        let failed =
            |e: String| PhotoError::Encode(image::ImageError::IoError(std::io::Error::other(e)));
        let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(jpeg.as_slice()));
        let mut pixels = decoder.decode().map_err(|e| failed(e.to_string()))?;
        let info = decoder
            .info()
            .ok_or_else(|| failed("no JPEG header".into()))?;
        let icc = decoder.icc_profile();
        let size = (info.width, info.height);
        let neutral = overlays
            .iter()
            .all(|o| o.rgb[0] == o.rgb[1] && o.rgb[1] == o.rgb[2]);
        let grey = match info.pixel_format {
            jpeg_decoder::PixelFormat::L8 if neutral => true,
            jpeg_decoder::PixelFormat::L8 => {
                pixels = pixels.iter().flat_map(|&v| [v, v, v]).collect();
                false
            }
            jpeg_decoder::PixelFormat::RGB24 => false,
            other => return Err(failed(format!("cannot separate {other:?} pixels"))),
        };
        let channels = if grey { 1 } else { 3 };
        for overlay in overlays {
            burn(&mut pixels, channels, size, overlay);
        }
        let sep = &self.separation;
        let (samples, colour) = if grey {
            let k: Vec<u8> = pixels.iter().map(|&g| 255 - sep.grey_to_k(g)).collect();
            (k, jpeg_encoder::ColorType::Luma)
        } else {
            let cmyk = sep.rgb_to_cmyk(&pixels, icc.as_deref());
            (cmyk, jpeg_encoder::ColorType::Cmyk)
        };
        let ink = measure(&samples, grey);
        let mut out = Vec::new();
        jpeg_encoder::Encoder::new(&mut out, self.quality)
            .encode(&samples, size.0, size.1, colour)
            .map_err(|e| failed(e.to_string()))?;
        Ok(Separated {
            bytes: Bytes::new(with_ink(&out, &ink)),
            cmyk: !grey,
            ink,
        })
    }
}

/// Burns a translucent fill into pixels (sRGB-encoded values mixed, as
/// a PDF viewer blends in an RGB page group).
fn burn(pixels: &mut [u8], channels: usize, (w, h): (u16, u16), overlay: &Overlay) {
    let (w, h) = (usize::from(w), usize::from(h));
    let at = |f: f32, n: usize| ((f.clamp(0.0, 1.0) * n as f32).round() as usize).min(n);
    let [x0, y0, x1, y1] = overlay.rect;
    let (x0, x1, y0, y1) = (at(x0, w), at(x1, w), at(y0, h), at(y1, h));
    let colour: Vec<f32> = if channels == 1 {
        vec![overlay.rgb[0] * 255.0]
    } else {
        overlay.rgb.iter().map(|v| v * 255.0).collect()
    };
    let a = overlay.alpha.clamp(0.0, 1.0);
    for y in y0..y1 {
        let row = &mut pixels[(y * w + x0) * channels..(y * w + x1) * channels];
        for (i, v) in row.iter_mut().enumerate() {
            let c = colour[i % channels];
            *v = (f32::from(*v) * (1.0 - a) + c * a).round() as u8;
        }
    }
}

/// Ink of separated samples: CMYK (plain, 255 full ink) or grey (255
/// white).
fn measure(samples: &[u8], grey: bool) -> PhotoInk {
    let mut counts = vec![0u64; 1021];
    let mut max_cmy = 0u32;
    if grey {
        samples
            .iter()
            .for_each(|&g| counts[usize::from(255 - g)] += 1);
    } else {
        for p in samples.chunks_exact(4) {
            let cmy = u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2]);
            max_cmy = max_cmy.max(cmy);
            counts[(cmy + u32::from(p[3])) as usize] += 1;
        }
    }
    let total: u64 = counts.iter().sum();
    let percent = |v: usize| (v as f64 / 255.0 * 1000.0).round() / 10.0;
    let max = counts.iter().rposition(|&c| c > 0).unwrap_or(0);
    let mut seen = 0;
    let wanted = total - total / 1000;
    let p999 = counts
        .iter()
        .position(|&c| {
            seen += c;
            seen >= wanted
        })
        .unwrap_or(max);
    PhotoInk {
        max: percent(max),
        p999: percent(p999),
        max_cmy: percent(max_cmy as usize),
    }
}

/// The marker a separated JPEG carries its ink in, so a cached one needs
/// no decoding.
const INK_MARK: &str = "banmian ink ";

/// Adds the ink as a comment right after the JPEG's start.
fn with_ink(jpeg: &[u8], ink: &PhotoInk) -> Vec<u8> {
    let text = format!("{INK_MARK}{} {} {}", ink.max, ink.p999, ink.max_cmy);
    super::standin::with_comment(jpeg, &text)
}

/// A cached separation: its ink from the comment, its channels from the
/// frame header; `None` when it is not one of ours.
fn from_cache(bytes: Bytes) -> Option<Separated> {
    let data = bytes.as_slice();
    let comment = data.get(2..4)? == [0xFF, 0xFE];
    let len = usize::from(u16::from_be_bytes([*data.get(4)?, *data.get(5)?]));
    let text = std::str::from_utf8(data.get(6..4 + len)?).ok()?;
    let numbers: Vec<f64> = text
        .strip_prefix(INK_MARK)?
        .split(' ')
        .filter_map(|n| n.parse().ok())
        .collect();
    let [max, p999, max_cmy] = <[f64; 3]>::try_from(numbers).ok()?;
    let components = jpeg_components(data)?;
    (comment && matches!(components, 1 | 4)).then(|| Separated {
        cmyk: components == 4,
        ink: PhotoInk { max, p999, max_cmy },
        bytes,
    })
}

/// The number of colour components a JPEG's frame header declares.
pub fn jpeg_components(data: &[u8]) -> Option<u8> {
    let mut at = 2;
    while at + 4 <= data.len() {
        if data[at] != 0xFF {
            return None;
        }
        let marker = data[at + 1];
        let len = usize::from(u16::from_be_bytes([data[at + 2], data[at + 3]]));
        // Start of frame: baseline, extended, progressive, lossless.
        if matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
            return data.get(at + 9).copied();
        }
        at += 2 + len;
    }
    None
}

/// Locks a cache mutex; a poisoned cache is still a valid cache.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::colour::OutputProfile;

    fn store(dir: Option<PathBuf>) -> SeparatedStore {
        let profile = Arc::new(OutputProfile::bundled());
        let sep = Separation::new(profile, 220.0).unwrap();
        SeparatedStore::new(Arc::new(sep), dir, 90)
    }

    fn jpeg(rgb: bool) -> Bytes {
        let (w, h) = (64u16, 32u16);
        let mut data = Vec::new();
        let mut out = Vec::new();
        for y in 0..h {
            for x in 0..w {
                if rgb {
                    data.extend_from_slice(&[(x * 4) as u8, (y * 8) as u8, 20]);
                } else {
                    data.push((x * 4) as u8);
                }
            }
        }
        let colour = if rgb {
            jpeg_encoder::ColorType::Rgb
        } else {
            jpeg_encoder::ColorType::Luma
        };
        jpeg_encoder::Encoder::new(&mut out, 90)
            .encode(&data, w, h, colour)
            .unwrap();
        Bytes::new(out)
    }

    #[test]
    fn colour_goes_to_cmyk_within_the_limit_and_grey_to_black() {
        let store = store(None);
        let colour = store.separate(&jpeg(true), &[]).unwrap();
        assert!(colour.cmyk);
        assert_eq!(jpeg_components(&colour.bytes), Some(4));
        assert!(
            colour.ink.max <= 220.0 && colour.ink.max > 100.0,
            "{:?}",
            colour.ink
        );
        let grey = store.separate(&jpeg(false), &[]).unwrap();
        assert!(!grey.cmyk);
        assert_eq!(jpeg_components(&grey.bytes), Some(1));
        assert!(
            grey.ink.max > 90.0 && grey.ink.max <= 100.0,
            "{:?}",
            grey.ink
        );
    }

    #[test]
    fn overlays_darken_and_are_part_of_the_key() {
        let store = store(None);
        let plain = store.separate(&jpeg(false), &[]).unwrap();
        let band = Overlay {
            rect: [0.0, 0.5, 1.0, 1.0],
            rgb: [0.0; 3],
            alpha: 0.55,
        };
        let burnt = store.separate(&jpeg(false), &[band]).unwrap();
        assert_ne!(plain.bytes, burnt.bytes);
        assert!(burnt.ink.p999 >= plain.ink.p999);
    }

    #[test]
    fn the_disk_cache_gives_the_same_separation() {
        let dir = tempfile::tempdir().unwrap();
        let first = store(Some(dir.path().into()))
            .separate(&jpeg(true), &[])
            .unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let again = store(Some(dir.path().into()))
            .separate(&jpeg(true), &[])
            .unwrap();
        assert_eq!(first.bytes, again.bytes);
        assert_eq!(first.ink, again.ink);
    }
}
