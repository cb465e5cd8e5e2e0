//! Colour management for the plant's PDF (PDF/X): the output profile (the
//! bundled newsprint stand-in, or the plant's own), RGB separated into CMYK
//! through it with a perceptual intent and the black generation the
//! profile carries, grey set in black ink alone, and the total ink held
//! within the limit.
//!
//! The engine is `moxcms` (pure Rust, already built for Typst's renderer);
//! `tests/press.rs` holds its separations to Little CMS's own (Pillow's
//! `ImageCms`). The README says why it was chosen over `lcms2`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use moxcms::{
    ColorProfile, DataColorSpace, Layout, RenderingIntent, Transform8BitExecutor, TransformOptions,
};

use crate::{Diagnostic, Error};

/// An sRGB colour (a template's, read through the protocol; a PPTX's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// The bundled output profile: a stand-in for coldset newsprint built by
/// `scripts/make-newsprint-profile.sh` from FOGRA29L (see the README).
pub const BUNDLED_PROFILE: &[u8] = include_bytes!("profiles/banmian-newsprint-fogra29-240.icc");

/// The characterisation the bundled profile was built from, as a PDF/X
/// output condition identifier (registered with the ICC).
pub const BUNDLED_CONDITION: &str = "FOGRA29";

/// The bundled profile's own ink limit, as [`OutputProfile`] measures it
/// (a unit test holds the two together): known, so that a render need not
/// build transforms to learn it.
const BUNDLED_INK_LIMIT: f64 = 240.0;

/// The total ink allowed when nothing tighter is asked for, in percent.
pub const DEFAULT_INK_LIMIT: f64 = 240.0;

/// The screen ruling the plant prints with, lines per inch, by default.
pub const DEFAULT_LPI: f64 = 85.0;

/// A CMYK output profile and what banmian learned of it.
pub struct OutputProfile {
    /// The ICC bytes, embedded in the PDF's output intent.
    pub bytes: Arc<Vec<u8>>,
    /// The profile's own description.
    pub description: String,
    /// The output condition identifier the PDF names.
    pub condition: String,
    /// The most total ink its separations put down (percent, rounded to
    /// the nearest 10 %, as total ink limits are stated).
    pub ink_limit: f64,
    /// Hash of the bytes: separations made through it are cached by it.
    pub hash: u128,
    profile: ColorProfile,
}

impl std::fmt::Debug for OutputProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutputProfile")
            .field("description", &self.description)
            .field("condition", &self.condition)
            .field("ink_limit", &self.ink_limit)
            .finish_non_exhaustive()
    }
}

impl OutputProfile {
    /// The bundled newsprint stand-in.
    pub fn bundled() -> Self {
        let mut profile = Self::parse(BUNDLED_PROFILE.to_vec(), Some(BUNDLED_CONDITION))
            .expect("the bundled profile is a CMYK output profile");
        profile.ink_limit = BUNDLED_INK_LIMIT;
        profile
    }

    /// The plant's profile from a file: it must be a CMYK output profile.
    pub fn from_file(path: &Path) -> Result<Self, Error> {
        let refuse = |why: String| {
            Error::Job(
                Diagnostic::error(format!(
                    "cannot use {} as the output profile ({why})",
                    path.display()
                ))
                .with_hint(
                    "give the plant's CMYK ICC profile (.icc), e.g. WAN-IFRAnewspaper26v5.icc",
                ),
            )
        };
        let bytes = std::fs::read(path).map_err(|e| refuse(e.to_string()))?;
        Self::from_bytes(bytes, None).map_err(refuse)
    }

    /// A profile from its bytes; `condition` names its output condition,
    /// else its description does. Its ink limit is measured, which also
    /// proves that banmian's transforms can be built with it.
    pub fn from_bytes(bytes: Vec<u8>, condition: Option<&str>) -> Result<Self, String> {
        let mut made = Self::parse(bytes, condition)?;
        made.ink_limit = made.measure_ink_limit()?;
        made.to_srgb()?;
        Ok(made)
    }

    /// A CMYK profile read, its ink limit not yet known.
    fn parse(bytes: Vec<u8>, condition: Option<&str>) -> Result<Self, String> {
        let profile = ColorProfile::new_from_slice(&bytes).map_err(|e| e.to_string())?;
        if profile.color_space != DataColorSpace::Cmyk {
            return Err(format!("it describes {:?}, not CMYK", profile.color_space));
        }
        let description = describe(&bytes).unwrap_or_else(|| "CMYK output profile".into());
        Ok(Self {
            hash: typst::utils::hash128(&bytes),
            bytes: Arc::new(bytes),
            condition: condition.map_or_else(|| description.clone(), str::to_owned),
            description,
            ink_limit: 400.0,
            profile,
        })
    }

    /// The most ink the profile's separations of sRGB colours put down,
    /// perceptual and relative colorimetric, rounded to the nearest 10 %.
    fn measure_ink_limit(&self) -> Result<f64, String> {
        let steps: Vec<u8> = (0..=16).map(|i| (i * 255 / 16) as u8).collect();
        let mut rgb = Vec::with_capacity(steps.len().pow(3) * 3);
        for &r in &steps {
            for &g in &steps {
                for &b in &steps {
                    rgb.extend_from_slice(&[r, g, b]);
                }
            }
        }
        let mut most = 0u32;
        for intent in [
            RenderingIntent::Perceptual,
            RenderingIntent::RelativeColorimetric,
        ] {
            let transform = self.transform_from(&ColorProfile::new_srgb(), intent)?;
            let mut cmyk = vec![0u8; rgb.len() / 3 * 4];
            transform
                .transform(&rgb, &mut cmyk)
                .map_err(|e| e.to_string())?;
            let heaviest = cmyk
                .chunks_exact(4)
                .map(|p| p.iter().map(|&v| u32::from(v)).sum::<u32>())
                .max();
            most = most.max(heaviest.unwrap_or(0));
        }
        let percent = f64::from(most) / 255.0 * 100.0;
        Ok(((percent / 10.0).round() * 10.0).clamp(10.0, 400.0))
    }

    /// A transform from an RGB profile into this one.
    fn transform_from(
        &self,
        source: &ColorProfile,
        intent: RenderingIntent,
    ) -> Result<Arc<Transform8BitExecutor>, String> {
        let options = TransformOptions {
            rendering_intent: intent,
            ..TransformOptions::default()
        };
        source
            .create_transform_8bit(Layout::Rgb, &self.profile, Layout::Rgba, options)
            .map_err(|e| e.to_string())
    }

    /// A transform from this profile to sRGB (relative colorimetric): what
    /// a CMYK value looks like, for setting grey in black ink.
    fn to_srgb(&self) -> Result<Arc<Transform8BitExecutor>, String> {
        let options = TransformOptions {
            rendering_intent: RenderingIntent::RelativeColorimetric,
            ..TransformOptions::default()
        };
        self.profile
            .create_transform_8bit(
                Layout::Rgba,
                &ColorProfile::new_srgb(),
                Layout::Rgb,
                options,
            )
            .map_err(|e| e.to_string())
    }
}

/// The profile's description (`desc`: a v2 text description or a v4
/// multi-localised string).
fn describe(icc: &[u8]) -> Option<String> {
    let be32 = |at: usize| -> Option<usize> {
        Some(u32::from_be_bytes(icc.get(at..at + 4)?.try_into().ok()?) as usize)
    };
    let count = be32(128)?;
    let tag = (0..count.min(256)).find_map(|i| {
        let at = 132 + 12 * i;
        (icc.get(at..at + 4)? == b"desc").then(|| Some((be32(at + 4)?, be32(at + 8)?)))?
    })?;
    let data = icc.get(tag.0..tag.0 + tag.1)?;
    let text = match data.get(0..4)? {
        b"desc" => {
            let len = u32::from_be_bytes(data.get(8..12)?.try_into().ok()?) as usize;
            String::from_utf8_lossy(data.get(12..12 + len)?).into_owned()
        }
        b"mluc" => {
            let len = u32::from_be_bytes(data.get(20..24)?.try_into().ok()?) as usize;
            let at = u32::from_be_bytes(data.get(24..28)?.try_into().ok()?) as usize;
            let units: Vec<u16> = data
                .get(at..at + len)?
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        _ => return None,
    };
    let text = text.trim_matches(char::from(0)).trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// Separations are held this far under the limit (percent): a photo's
/// JPEG compression moves some pixels' total ink up by a percent or two,
/// and the plant measures the JPEG.
pub const JPEG_MARGIN: f64 = 2.0;

/// Separations into one output profile within one total ink limit.
pub struct Separation {
    /// The output profile.
    pub profile: Arc<OutputProfile>,
    /// The total ink limit in force: the one asked for, or the profile's
    /// own when that is tighter (percent).
    pub ink_limit: f64,
    /// Transforms from source RGB profiles, by the profile's hash (0:
    /// sRGB), made on first use (a render whose photos are all cached
    /// needs none).
    transforms: Mutex<HashMap<u128, Arc<Transform8BitExecutor>>>,
    /// Black ink for each grey level (0 black … 255 white), made on first
    /// use.
    grey_to_k: OnceLock<[u8; 256]>,
}

impl std::fmt::Debug for Separation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Separation")
            .field("profile", &self.profile)
            .field("ink_limit", &self.ink_limit)
            .finish_non_exhaustive()
    }
}

impl Separation {
    /// Separations into `profile` within `ink_limit` percent (or the
    /// profile's own limit, when tighter).
    pub fn new(profile: Arc<OutputProfile>, ink_limit: f64) -> Result<Self, Error> {
        Ok(Self {
            ink_limit: ink_limit.min(profile.ink_limit),
            profile,
            transforms: Mutex::default(),
            grey_to_k: OnceLock::new(),
        })
    }

    /// The limit as a sum of four 8-bit values, less [`JPEG_MARGIN`].
    fn limit_units(&self) -> u32 {
        ((self.ink_limit - JPEG_MARGIN) / 100.0 * 255.0).floor() as u32
    }

    /// Separates 8-bit RGB pixels (in `icc`'s space, sRGB when none or
    /// unreadable) into CMYK within the ink limit.
    pub fn rgb_to_cmyk(&self, rgb: &[u8], icc: Option<&[u8]>) -> Vec<u8> {
        let mut cmyk = vec![0u8; rgb.len() / 3 * 4];
        let done = self
            .transform(icc)
            .or_else(|| self.transform(None))
            .is_some_and(|t| t.transform(rgb, &mut cmyk).is_ok());
        if !done {
            // The profile's transforms were proven when it was read; this
            // is not reached, but a grey-component guess beats a panic.
            for (p, c) in rgb.chunks_exact(3).zip(cmyk.chunks_exact_mut(4)) {
                let k = 255 - p.iter().max().copied().unwrap_or(0);
                for i in 0..3 {
                    c[i] = (255 - p[i]).saturating_sub(k);
                }
                c[3] = k;
            }
        }
        let limit = self.limit_units();
        cmyk.chunks_exact_mut(4).for_each(|p| hold_ink(p, limit));
        cmyk
    }

    /// Black ink (0–255) for a grey level of a photo (sRGB-encoded, 0
    /// black): the tone the grey shows, matched by black ink on the paper,
    /// with grey's black mapped to the deepest black the ink gives.
    pub fn grey_to_k(&self, grey: u8) -> u8 {
        let curve = self.grey_to_k.get_or_init(|| {
            let curve = self.profile.to_srgb().and_then(|t| grey_curve(t.as_ref()));
            // Proven when the profile was read; else grey as it is.
            curve.unwrap_or_else(|_| std::array::from_fn(|g| 255 - g as u8))
        });
        curve[usize::from(grey)]
    }

    /// Makes the transform from sRGB (what vector colours are separated
    /// through) now, so that the first colour does not wait for it: it
    /// takes some milliseconds, which a build spends on another thread
    /// while Typst lays the pages out.
    pub fn warm(&self) {
        let _ = self.transform(None);
    }

    /// One colour in 0–1 sRGB as CMYK fractions.
    pub fn colour(&self, rgb: [f32; 3]) -> [f32; 4] {
        let bytes = rgb.map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8);
        let cmyk = self.rgb_to_cmyk(&bytes, None);
        [0, 1, 2, 3].map(|i| f32::from(cmyk[i]) / 255.0)
    }

    /// The transform from a source profile (cached by its hash; sRGB for
    /// none, or one that is not an RGB profile banmian can use).
    fn transform(&self, icc: Option<&[u8]>) -> Option<Arc<Transform8BitExecutor>> {
        let key = icc.map_or(0, typst::utils::hash128);
        let mut transforms = self
            .transforms
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(found) = transforms.get(&key) {
            return Some(found.clone());
        }
        let source = icc
            .and_then(|icc| ColorProfile::new_from_slice(icc).ok())
            .filter(|p| p.color_space == DataColorSpace::Rgb)
            .unwrap_or_else(ColorProfile::new_srgb);
        let made = self
            .profile
            .transform_from(&source, RenderingIntent::Perceptual)
            .ok()?;
        transforms.insert(key, made.clone());
        Some(made)
    }
}

/// Holds one CMYK pixel within `limit` (a sum of 8-bit values): grey
/// component removed under black first (each unit moved from C, M and Y
/// together onto K takes two units off the total and keeps the shade),
/// then C, M and Y scaled down together, so black keeps its detail.
pub fn hold_ink(p: &mut [u8], limit: u32) {
    let total: u32 = p.iter().map(|&v| u32::from(v)).sum();
    if total <= limit {
        return;
    }
    let mut excess = total - limit;
    let grey = u32::from(p[0].min(p[1]).min(p[2]));
    let room = 255 - u32::from(p[3]);
    let moved = grey.min(room).min(excess.div_ceil(2));
    for v in &mut p[..3] {
        *v -= moved as u8;
    }
    p[3] += moved as u8;
    excess = excess.saturating_sub(2 * moved);
    let cmy: u32 = p[..3].iter().map(|&v| u32::from(v)).sum();
    if excess > 0 && cmy > 0 {
        let keep = cmy.saturating_sub(excess);
        for v in &mut p[..3] {
            // Rounded down, so the sum never ends above the limit.
            *v = (u32::from(*v) * keep / cmy) as u8;
        }
    }
}

/// For each grey level, the black ink that matches its lightness (L*) on
/// the paper, black mapped to the deepest black ink alone gives (black
/// point compensation, so the shadows keep their steps).
fn grey_curve(to_srgb: &Transform8BitExecutor) -> Result<[u8; 256], String> {
    let mut cmyk = Vec::with_capacity(256 * 4);
    for k in 0..=255u8 {
        cmyk.extend_from_slice(&[0, 0, 0, k]);
    }
    let mut rgb = vec![0u8; 256 * 3];
    to_srgb
        .transform(&cmyk, &mut rgb)
        .map_err(|e| e.to_string())?;
    // L* of each black ink level, from paper white (K 0) to solid.
    let ink_l: Vec<f64> = rgb.chunks_exact(3).map(|p| lightness(p[1])).collect();
    let (white, black) = (ink_l[0], ink_l[255]);
    let mut curve = [0u8; 256];
    for (grey, out) in curve.iter_mut().enumerate() {
        let wanted = black + lightness(grey as u8) / 100.0 * (white - black);
        // The first ink level as dark as wanted, or darker (L* falls as
        // ink rises).
        let k = ink_l.iter().position(|&l| l <= wanted).unwrap_or(255);
        *out = k as u8;
    }
    Ok(curve)
}

/// CIE L* of an sRGB-encoded grey level.
fn lightness(v: u8) -> f64 {
    let c = f64::from(v) / 255.0;
    let y = if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    };
    if y > 216.0 / 24389.0 {
        116.0 * y.cbrt() - 16.0
    } else {
        y * 24389.0 / 27.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_profile_is_cmyk_and_limits_ink() {
        let measured = OutputProfile::from_bytes(BUNDLED_PROFILE.to_vec(), None).unwrap();
        assert_eq!(measured.ink_limit, BUNDLED_INK_LIMIT);
        let profile = OutputProfile::bundled();
        assert!(profile.description.contains("newsprint"), "{profile:?}");
        assert_eq!(profile.ink_limit, 240.0);
        let tight = Separation::new(Arc::new(profile), 220.0).unwrap();
        assert_eq!(tight.ink_limit, 220.0);
        let black = tight.colour([0.0, 0.0, 0.0]);
        let total: f32 = black.iter().sum();
        assert!(total <= 2.18 + 1e-6 && black[3] > 0.9, "{black:?}");
        let white = tight.colour([1.0, 1.0, 1.0]);
        assert!(white.iter().all(|&v| v < 0.01), "{white:?}");
    }

    #[test]
    fn ink_is_held_by_moving_grey_to_black_first() {
        let mut p = [200, 180, 160, 100];
        hold_ink(&mut p, 561); // 220 %
        let sum: u32 = p.iter().map(|&v| u32::from(v)).sum();
        assert!(sum <= 561, "{p:?}");
        assert!(p[3] > 100, "black took the grey: {p:?}");
        let mut q = [250, 250, 250, 255];
        hold_ink(&mut q, 612);
        assert!(q.iter().map(|&v| u32::from(v)).sum::<u32>() <= 612);
        assert_eq!(q[3], 255);
        let mut light = [10, 10, 10, 10];
        hold_ink(&mut light, 612);
        assert_eq!(light, [10, 10, 10, 10]);
    }

    #[test]
    fn grey_goes_to_black_ink_darker_for_darker_grey() {
        let sep = Separation::new(Arc::new(OutputProfile::bundled()), 240.0).unwrap();
        assert_eq!(sep.grey_to_k(255), 0);
        assert!(sep.grey_to_k(0) >= 250);
        let mid = sep.grey_to_k(128);
        assert!((60..200).contains(&mid), "{mid}");
        assert!((0..255).all(|g| sep.grey_to_k(g) >= sep.grey_to_k(g + 1)));
    }

    /// The separation's speed, for `scripts/press_bench.py` (not a test).
    #[test]
    #[ignore]
    fn transform_speed() {
        let sep = Separation::new(Arc::new(OutputProfile::bundled()), 240.0).unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("images");
        let photos: Vec<Vec<u8>> = [
            "banner-mountains.jpg",
            "bridge-cables.jpg",
            "ceramic-cups.jpg",
        ]
        .iter()
        .map(|name| image::open(root.join(name)).unwrap().to_rgb8().into_raw())
        .collect();
        let started = std::time::Instant::now();
        for rgb in &photos {
            std::hint::black_box(sep.rgb_to_cmyk(rgb, None));
        }
        eprintln!("moxcms {} ms", started.elapsed().as_millis());
    }

    #[test]
    fn an_rgb_profile_is_refused_as_output() {
        let srgb = ColorProfile::new_srgb().encode().unwrap();
        assert!(OutputProfile::from_bytes(srgb, None).is_err());
    }
}
