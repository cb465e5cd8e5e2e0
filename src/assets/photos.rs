//! Photos: decoding (EXIF orientation applied), effective ppi at the placed
//! size, downsampling to the target and re-encoding, cached by content.
//!
//! Layout never needs a photo's pixels, only its aspect ratio: Typst lays
//! out a tiny stand-in (a "proxy") with the photo's proportions. Once the
//! placed sizes are known, each photo is made at the resolution its size
//! needs and swapped in before export. An unchanged photo costs nothing on a
//! re-render: both the header read and the final image are cached by content
//! hash (in memory, and on disk when a cache folder is set).

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use image::{DynamicImage, ImageDecoder, ImageReader};
use typst::foundations::Bytes;

use super::decodes::{Decodes, crop_rows};

/// Resolution rules and cache location.
#[derive(Debug, Clone)]
pub struct PhotoOptions {
    /// Photos are downsampled towards this ppi (300 coated, 200 newsprint).
    pub target_ppi: f64,
    /// Below this, a warning.
    pub warn_ppi: f64,
    /// Below this, an error (a warning when `allow_low_ppi`).
    pub error_ppi: f64,
    /// Turn the low-resolution error into a warning.
    pub allow_low_ppi: bool,
    /// On-disk cache of processed photos; `None` keeps them in memory only.
    pub cache_dir: Option<PathBuf>,
    /// JPEG quality of the re-encoded photos.
    pub quality: u8,
    /// Draw a stand-in for a photo whose path is empty (a proof of an
    /// imported report) instead of refusing.
    pub placeholders: bool,
    /// Bring photos down to the target resolution itself (a screen: the
    /// deck), not only halve them while they are at twice the target or
    /// more (print, which keeps the source's pixels where it can).
    pub to_target: bool,
    /// A screen keeps an upright JPEG of at most this many bytes as it is
    /// (when it is no more than [`KEEP_PPI_FACTOR`] times the target):
    /// bringing it down would cost its full decode, which for a progressive
    /// JPEG is most of a deck's time, to save little. 0: never.
    pub keep_bytes: u64,
}

impl Default for PhotoOptions {
    fn default() -> Self {
        Self {
            target_ppi: 300.0,
            warn_ppi: 200.0,
            error_ppi: 100.0,
            allow_low_ppi: false,
            cache_dir: None,
            quality: 90,
            placeholders: false,
            to_target: false,
            keep_bytes: 0,
        }
    }
}

/// A screen keeps a small original ([`PhotoOptions::keep_bytes`]) up to
/// this many times its target ppi.
const KEEP_PPI_FACTOR: f64 = 4.0;

/// A screen keeps originals of up to 2 MB: a photo for the web or a
/// picture desk's selection; a camera's original is brought down.
pub const SCREEN_KEEP_BYTES: u64 = 2 << 20;

/// Downsample only when the effective ppi is this far above the target:
/// below twice the target a photo is embedded as it is, sparing it a
/// generation of JPEG recompression (and the render the time); above, it
/// is halved until it is below.
const DOWNSAMPLE_FACTOR: f64 = 2.0;

/// A failure to read or process a photo.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// The file could not be read.
    #[error("failed to read {} ({source})", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not an image we can decode.
    #[error("failed to decode {} ({source})", path.display())]
    Decode {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: image::ImageError,
    },
    /// Encoding the processed photo failed.
    #[error("failed to encode a processed photo ({0})")]
    Encode(image::ImageError),
}

/// The most bytes a photo may decode to: 1 GiB, a 16-bit RGBA photo of
/// 130 megapixels (a 100-megapixel photo in 8-bit RGB is 300 MB).
const MAX_DECODED_BYTES: u64 = 1 << 30;

/// The largest photo file read: a 100-megapixel JPEG is a few tens of MB.
pub const MAX_PHOTO_BYTES: u64 = 256 << 20;

/// What layout needs of a photo: its oriented size and content hash.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoInfo {
    /// The source file.
    pub path: PathBuf,
    /// Hash of the file's bytes.
    pub hash: u128,
    /// Width in pixels after EXIF orientation.
    pub width: u32,
    /// Height in pixels after EXIF orientation.
    pub height: u32,
    /// The file's length in bytes.
    pub bytes: u64,
    /// A plain upright RGB or grey JPEG: embedded as it is when it needs
    /// no downsampling, without a generation of recompression.
    pub passthrough: bool,
}

/// The crop and resolution a photo gets at its placed size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhotoPlan {
    /// The part of the source shown.
    pub crop: Crop,
    /// Pixel width and height of the embedded image.
    pub pixels: (u32, u32),
    /// Effective ppi of the source at the placed size (before downsampling).
    pub source_ppi: f64,
    /// Effective ppi of the embedded image.
    pub ppi: f64,
}

/// A processed photo ready to embed.
#[derive(Debug, Clone)]
pub struct FinalPhoto {
    /// JPEG bytes.
    pub bytes: Bytes,
    /// Pixel width and height of the embedded image.
    pub pixels: (u32, u32),
    /// Effective ppi of the source at the placed size (before downsampling).
    pub source_ppi: f64,
    /// Effective ppi of the embedded image.
    pub ppi: f64,
}

/// Photo headers read, by path, with the file's time and size then.
type Headers = HashMap<PathBuf, (std::time::SystemTime, u64, PhotoInfo)>;

/// Reads, decodes and processes photos, caching by content.
pub struct PhotoStore {
    options: PhotoOptions,
    /// Headers read, by path with the file's time and size; shared with
    /// the store's sibling for the other medium (a header is the file's).
    infos: Arc<Mutex<Headers>>,
    decoded: Mutex<HashMap<u128, Arc<DynamicImage>>>,
    /// Half-size decodes, shared with the store's sibling for the other
    /// medium (see [`Decodes`]).
    decodes: Arc<Decodes>,
    finals: Mutex<HashMap<FinalKey, Bytes>>,
}

/// A processed photo's identity: source hash, crop and pixel size.
type FinalKey = (u128, Crop, u32, u32);

/// The part of a photo (in oriented source pixels) that is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Crop {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub w: u32,
    /// Height.
    pub h: u32,
}

impl Crop {
    /// Whether it is the whole photo.
    pub fn is_whole(&self, info: &PhotoInfo) -> bool {
        (self.x, self.y, self.w, self.h) == (0, 0, info.width, info.height)
    }

    /// The crop in the pixels of a reduced decode of the photo, `scaled`
    /// large: x, y, width and height, each rounded (the caller keeps them
    /// inside the decode).
    fn scaled(&self, info: &PhotoInfo, scaled: (u32, u32)) -> (u32, u32, u32, u32) {
        let sx = f64::from(scaled.0) / f64::from(info.width);
        let sy = f64::from(scaled.1) / f64::from(info.height);
        let at = |v: u32, s: f64| (f64::from(v) * s).round() as u32;
        (
            at(self.x, sx),
            at(self.y, sy),
            at(self.w, sx),
            at(self.h, sy),
        )
    }
}

/// The largest part of a photo with the proportions of `placed`, centred on
/// the focal point as far as the edges allow. A crop of less than a pixel
/// keeps the whole photo.
pub fn crop_to(info: &PhotoInfo, placed: (f64, f64), focus: [f64; 2]) -> Crop {
    let (w, h) = (f64::from(info.width), f64::from(info.height));
    let slot = placed.0 / placed.1.max(1e-9);
    // A run of `len` of `full` pixels centred on `at` (a fraction).
    let place = |len: f64, full: f64, at: f64| -> (u32, u32) {
        if full - len < 1.0 {
            return (0, full as u32);
        }
        let len = len.round().max(1.0);
        let start = (at * full - len / 2.0).clamp(0.0, full - len).round();
        (start as u32, len as u32)
    };
    if slot > w / h {
        let (y, ch) = place(w / slot, h, focus[1]);
        Crop {
            x: 0,
            y,
            w: info.width,
            h: ch,
        }
    } else {
        let (x, cw) = place(h * slot, w, focus[0]);
        Crop {
            x,
            y: 0,
            w: cw,
            h: info.height,
        }
    }
}

impl PhotoStore {
    /// A store with the given rules.
    pub fn new(options: PhotoOptions) -> Self {
        Self {
            options,
            infos: Arc::default(),
            decoded: Mutex::default(),
            decodes: Arc::default(),
            finals: Mutex::default(),
        }
    }

    /// A store with the rules for a screen (the deck): photos made at 150
    /// ppi of their placed size (brought down to it, not only halved), but
    /// small upright JPEGs kept as they are ([`SCREEN_KEEP_BYTES`]); a
    /// warning below 96 ppi and an error below 48; its photos cached in
    /// `screen/` of the same cache folder, and the same decodes (a photo
    /// the deck and the spread both need smaller is decoded once).
    pub fn for_screen(&self) -> Self {
        let cache_dir = self.options.cache_dir.as_ref().map(|d| d.join("screen"));
        Self {
            decodes: self.decodes.clone(),
            infos: self.infos.clone(),
            ..Self::new(PhotoOptions {
                target_ppi: 150.0,
                warn_ppi: 96.0,
                error_ppi: 48.0,
                cache_dir,
                to_target: true,
                keep_bytes: SCREEN_KEEP_BYTES,
                ..self.options.clone()
            })
        }
    }

    /// The rules in force.
    pub fn options(&self) -> &PhotoOptions {
        &self.options
    }

    /// Reads a photo's header: oriented size and content hash. Only the
    /// header is decoded; an unchanged file (same mtime and length) is not
    /// even re-read.
    pub fn info(&self, path: &Path) -> Result<PhotoInfo, PhotoError> {
        let read_err = |source| PhotoError::Read {
            path: path.to_owned(),
            source,
        };
        if super::placeholder::is_placeholder(path) {
            return header(path, super::placeholder::jpeg());
        }
        let meta = std::fs::metadata(path).map_err(read_err)?;
        // Never opened unless a file of a size a photo has: a FIFO would
        // block, a device never end, a file of gigabytes fill the memory.
        if let Some(kind) = super::root::kind_of(&meta.file_type()) {
            return Err(read_err(std::io::Error::other(format!(
                "it is {kind}, not a file"
            ))));
        }
        if meta.len() > MAX_PHOTO_BYTES {
            return Err(read_err(std::io::Error::other(format!(
                "it is {} MB; photos of up to {} MB are read",
                meta.len() >> 20,
                MAX_PHOTO_BYTES >> 20
            ))));
        }
        let stamp = (meta.modified().map_err(read_err)?, meta.len());
        if let Some((mtime, len, info)) = lock(&self.infos).get(path)
            && (*mtime, *len) == stamp
        {
            return Ok(info.clone());
        }
        let data = std::fs::read(path).map_err(read_err)?;
        let info = header(path, &data)?;
        lock(&self.infos).insert(path.to_owned(), (stamp.0, stamp.1, info.clone()));
        Ok(info)
    }

    /// A stand-in with exactly the photo's proportions (an SVG as many
    /// units wide and high as the photo has pixels), distinct per `slot` (by
    /// its id) so that the placed image can be told apart even when two
    /// slots share a file. Layout places it as it would the photo; the photo
    /// then takes its place at the same size, never stretched. A flat grey,
    /// as a page designer's Typst project shows it (`--typst-project`).
    pub fn proxy(info: &PhotoInfo, slot: usize) -> Bytes {
        let (w, h) = (info.width.max(1), info.height.max(1));
        Bytes::from_string(format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" id="banmian-photo-{slot}" width="{w}" height="{h}" viewBox="0 0 {w} {h}"><rect width="{w}" height="{h}" fill="#c8c8c8"/></svg>"##
        ))
    }

    /// Works out the crop and resolution a photo gets at a placed size (in
    /// points) without touching its pixels: cropped to the placed shape
    /// around `focus` (so it is never stretched), halved as often as it
    /// stays at twice the target ppi or more (so it ends between the target
    /// and twice it; for a screen, then brought to the target), never
    /// upsampled.
    pub fn plan(&self, info: &PhotoInfo, placed: (f64, f64), focus: [f64; 2]) -> PhotoPlan {
        let crop = crop_to(info, placed, focus);
        let inches = (placed.0 / 72.0, placed.1 / 72.0);
        let source_ppi = effective_ppi((crop.w, crop.h), inches);
        let target = self.options.target_ppi;
        let mut pixels = (crop.w, crop.h);
        let mut ppi = source_ppi;
        if self.keeps(info) && crop.is_whole(info) && source_ppi <= target * KEEP_PPI_FACTOR {
            return PhotoPlan {
                crop,
                pixels,
                source_ppi,
                ppi,
            };
        }
        while ppi >= target * DOWNSAMPLE_FACTOR && pixels.0 > 1 && pixels.1 > 1 {
            pixels = (pixels.0 / 2, pixels.1 / 2);
            ppi /= 2.0;
        }
        // A screen gets the target's pixels, when that is a tenth fewer or
        // more (the halving above left up to twice as many).
        if self.options.to_target && ppi > target * 1.1 {
            let scale = target / ppi;
            let at = |v: u32| ((f64::from(v) * scale).round() as u32).max(1);
            pixels = (at(pixels.0), at(pixels.1));
        }
        PhotoPlan {
            crop,
            pixels,
            source_ppi,
            ppi: effective_ppi(pixels, inches),
        }
    }

    /// Makes the photo for a placed size (in points) as planned, re-encoded
    /// as JPEG (or the original JPEG when it needs nothing done).
    pub fn finalize(
        &self,
        info: &PhotoInfo,
        placed: (f64, f64),
        focus: [f64; 2],
    ) -> Result<FinalPhoto, PhotoError> {
        let plan = self.plan(info, placed, focus);
        let pixels = plan.pixels;
        let key = (info.hash, plan.crop, pixels.0, pixels.1);
        let whole = plan.crop.is_whole(info);
        let cached = lock(&self.finals).get(&key).cloned();
        let bytes = match cached.or_else(|| self.read_disk(key)) {
            Some(bytes) => bytes,
            None if whole && pixels == (info.width, info.height) && info.passthrough => {
                Bytes::new(read_source(&info.path).map_err(|source| PhotoError::Read {
                    path: info.path.clone(),
                    source,
                })?)
            }
            None => {
                let bytes = self.encode(info, plan.crop, pixels)?;
                self.write_disk(key, &bytes);
                bytes
            }
        };
        lock(&self.finals).insert(key, bytes.clone());
        Ok(FinalPhoto {
            bytes,
            pixels,
            source_ppi: plan.source_ppi,
            ppi: plan.ppi,
        })
    }

    /// Decodes (once per content), orients, crops, resizes and encodes.
    fn encode(
        &self,
        info: &PhotoInfo,
        crop: Crop,
        pixels: (u32, u32),
    ) -> Result<Bytes, PhotoError> {
        let source = match self.reduced(info, crop, pixels) {
            Some(reduced) => reduced,
            None => {
                let full = self.decode(info)?;
                let rgb = match full.as_rgb8() {
                    Some(rgb) => std::borrow::Cow::Borrowed(rgb),
                    None => std::borrow::Cow::Owned(full.to_rgb8()),
                };
                crop_rows(&rgb, crop.x, crop.y, crop.w, crop.h)
            }
        };
        // Downsampling averages each target pixel's area of the source
        // (a box filter in integer arithmetic): right for reducing, and
        // many times faster than a Catmull-Rom resize of a large photo.
        let rgb = downsample(source, pixels);
        Ok(Bytes::new(encode_jpeg(&rgb, self.options.quality)?))
    }

    /// Decodes a photo at half its size ahead of need, on another thread,
    /// while the layout that will size it is still running (the deck's
    /// photos, made for a screen, are all at least halved). Progressive
    /// JPEGs cost their full entropy decoding whatever the scale, so doing
    /// it early is what saves the time. A photo this store has made before
    /// (in its disk cache) is not decoded ahead: its photo most likely
    /// comes from the cache, and decoding it would be time thrown away.
    pub fn warm_half(&self, info: &PhotoInfo) {
        if info.passthrough
            && !self.keeps(info)
            && !self.decodes.has_half(info.hash)
            && !self.made_before(info)
        {
            let _ = self.decodes.half(info);
        }
    }

    /// Whether this store may keep the photo as it is, whatever it is
    /// placed at (a screen's small upright JPEG, [`PhotoOptions::keep_bytes`]),
    /// so that it is not decoded ahead of need.
    fn keeps(&self, info: &PhotoInfo) -> bool {
        info.passthrough && info.bytes <= self.options.keep_bytes
    }

    /// Whether this store's disk cache holds a photo made from `info`.
    fn made_before(&self, info: &PhotoInfo) -> bool {
        let Some(dir) = &self.options.cache_dir else {
            return false;
        };
        let prefix = format!("{:032x}-", info.hash);
        std::fs::read_dir(dir).is_ok_and(|entries| {
            entries
                .filter_map(Result::ok)
                .any(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        })
    }

    /// The part of the photo's half-size decode a crop shows, when the
    /// photo is made at half its size or less (an upright JPEG), so that
    /// the IDCT does the first halving. Every reduced photo comes from the
    /// one half decode ([`Decodes`]), whichever thread made it and
    /// whenever, so its bytes do not depend on what was decoded before.
    fn reduced(&self, info: &PhotoInfo, crop: Crop, pixels: (u32, u32)) -> Option<image::RgbImage> {
        if pixels.0 * 2 > crop.w || pixels.1 * 2 > crop.h {
            return None;
        }
        let half = self.decodes.half(info)?;
        let (x, y, w, h) = crop.scaled(info, half.dimensions());
        Some(crop_rows(&half, x, y, w, h))
    }

    /// The oriented pixels of a photo, decoded once per content hash.
    fn decode(&self, info: &PhotoInfo) -> Result<Arc<DynamicImage>, PhotoError> {
        if let Some(image) = lock(&self.decoded).get(&info.hash) {
            return Ok(image.clone());
        }
        let path = &info.path;
        let read_err = |source| PhotoError::Read {
            path: path.clone(),
            source,
        };
        let decode_err = |source| PhotoError::Decode {
            path: path.clone(),
            source,
        };
        let data = read_source(path).map_err(read_err)?;
        let mut decoder = ImageReader::new(Cursor::new(data))
            .with_guessed_format()
            .map_err(read_err)?
            .into_decoder()
            .map_err(decode_err)?;
        // The decoder allocates what the header says (a few bytes of PNG
        // can claim 200,000 × 4,000,000,000 pixels): refused beyond a bound.
        if decoder.total_bytes() > MAX_DECODED_BYTES {
            return Err(decode_err(image::ImageError::Limits(
                image::error::LimitError::from_kind(
                    image::error::LimitErrorKind::InsufficientMemory,
                ),
            )));
        }
        let orientation = decoder.orientation().map_err(decode_err)?;
        let mut image = DynamicImage::from_decoder(decoder).map_err(decode_err)?;
        image.apply_orientation(orientation);
        let image = Arc::new(image);
        let mut decoded = lock(&self.decoded);
        // Keep memory bounded in a long watch session: only recent sources.
        if decoded.len() > 32 {
            decoded.clear();
        }
        decoded.insert(info.hash, image.clone());
        Ok(image)
    }

    fn disk_path(&self, key: FinalKey) -> Option<PathBuf> {
        let dir = self.options.cache_dir.as_ref()?;
        let q = self.options.quality;
        let (hash, c, w, h) = key;
        Some(dir.join(format!(
            "{hash:032x}-{}.{}.{}.{}-{w}x{h}-q{q}.jpg",
            c.x, c.y, c.w, c.h
        )))
    }

    fn read_disk(&self, key: FinalKey) -> Option<Bytes> {
        std::fs::read(self.disk_path(key)?).ok().map(Bytes::new)
    }

    /// Best effort: a cache that cannot be written only costs time.
    fn write_disk(&self, key: FinalKey, bytes: &[u8]) {
        if let Some(path) = self.disk_path(key) {
            let _ = super::write_atomic(&path, bytes);
        }
    }
}

/// Reads a photo's header from its bytes: oriented size, content hash,
/// and whether it can be embedded as it is.
fn header(path: &Path, data: &[u8]) -> Result<PhotoInfo, PhotoError> {
    let read_err = |source| PhotoError::Read {
        path: path.to_owned(),
        source,
    };
    let decode_err = |source| PhotoError::Decode {
        path: path.to_owned(),
        source,
    };
    let hash = typst::utils::hash128(data);
    let mut decoder = ImageReader::new(Cursor::new(data))
        .with_guessed_format()
        .map_err(read_err)?
        .into_decoder()
        .map_err(decode_err)?;
    let (w, h) = decoder.dimensions();
    if decoder.total_bytes() > MAX_DECODED_BYTES {
        // Refused before anything decodes it (see `MAX_DECODED_BYTES`).
        return Err(decode_err(image::ImageError::Limits(
            image::error::LimitError::from_kind(image::error::LimitErrorKind::InsufficientMemory),
        )));
    }
    let orientation = decoder.orientation().map_err(decode_err)?;
    let swaps = matches!(
        orientation,
        image::metadata::Orientation::Rotate90
            | image::metadata::Orientation::Rotate270
            | image::metadata::Orientation::Rotate90FlipH
            | image::metadata::Orientation::Rotate270FlipH
    );
    let (width, height) = if swaps { (h, w) } else { (w, h) };
    let passthrough = data.starts_with(&[0xFF, 0xD8])
        && orientation == image::metadata::Orientation::NoTransforms
        && matches!(
            decoder.color_type(),
            image::ColorType::Rgb8 | image::ColorType::L8
        );
    Ok(PhotoInfo {
        path: path.to_owned(),
        hash,
        width,
        height,
        bytes: data.len() as u64,
        passthrough,
    })
}

/// A photo's bytes: the file's, or the stand-in's for a placeholder.
fn read_source(path: &Path) -> std::io::Result<Vec<u8>> {
    if super::placeholder::is_placeholder(path) {
        Ok(super::placeholder::jpeg().to_vec())
    } else {
        std::fs::read(path)
    }
}

/// Pixels per inch of `pixels` shown at `inches`, the lower of both axes.
pub fn effective_ppi(pixels: (u32, u32), inches: (f64, f64)) -> f64 {
    let x = f64::from(pixels.0) / inches.0.max(1e-9);
    let y = f64::from(pixels.1) / inches.1.max(1e-9);
    x.min(y)
}

/// Locks a cache mutex; a poisoned cache is still a valid cache.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Encodes RGB pixels as a JPEG (with `jpeg-encoder`, several times faster
/// than the `image` crate's encoder).
pub fn encode_jpeg(rgb: &image::RgbImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let too_big = |_| {
        PhotoError::Encode(image::ImageError::Limits(
            image::error::LimitError::from_kind(image::error::LimitErrorKind::DimensionError),
        ))
    };
    let (w, h) = (
        u16::try_from(rgb.width()).map_err(too_big)?,
        u16::try_from(rgb.height()).map_err(too_big)?,
    );
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, quality)
        .encode(rgb.as_raw(), w, h, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| {
            PhotoError::Encode(image::ImageError::IoError(std::io::Error::other(
                e.to_string(),
            )))
        })?;
    Ok(out)
}

/// Reduces a photo to `pixels`: halved by averaging 2 × 2 blocks while it
/// is twice as large or more (a fast, exact box filter on the raw rows);
/// a pixel or two over is trimmed from the edges (the IDCT's reduced
/// sizes round up), anything else is resized with a box filter.
fn downsample(mut source: image::RgbImage, pixels: (u32, u32)) -> image::RgbImage {
    while source.width() >= 2 * pixels.0 && source.height() >= 2 * pixels.1 {
        source = halve(&source);
    }
    let (w, h) = source.dimensions();
    if (w, h) == pixels {
        source
    } else if (pixels.0..=pixels.0 + 2).contains(&w) && (pixels.1..=pixels.1 + 2).contains(&h) {
        let (x, y) = ((w - pixels.0) / 2, (h - pixels.1) / 2);
        crop_rows(&source, x, y, pixels.0, pixels.1)
    } else {
        image::imageops::thumbnail(&source, pixels.0, pixels.1)
    }
}

/// Half the size, each pixel the mean of a 2 × 2 block.
fn halve(source: &image::RgbImage) -> image::RgbImage {
    let (w, h) = (source.width() / 2, source.height() / 2);
    let stride = source.width() as usize * 3;
    let raw = source.as_raw();
    let mut out = Vec::with_capacity(w as usize * h as usize * 3);
    for y in 0..h as usize {
        let top = &raw[2 * y * stride..][..stride];
        let bottom = &raw[(2 * y + 1) * stride..][..stride];
        for x in 0..w as usize {
            for c in 0..3 {
                let i = 6 * x + c;
                let sum = u16::from(top[i])
                    + u16::from(top[i + 3])
                    + u16::from(bottom[i])
                    + u16::from(bottom[i + 3]);
                out.push(((sum + 2) / 4) as u8);
            }
        }
    }
    image::RgbImage::from_raw(w, h, out).expect("the buffer holds w × h pixels")
}

/// An upright JPEG decoded straight at the smallest of 1/8, 1/4, 1/2 or
/// full size that is at least `want` large, as RGB.
pub(super) fn decode_scaled(info: &PhotoInfo, want: (u32, u32)) -> Option<image::RgbImage> {
    let data = read_source(&info.path).ok()?;
    let want = (u16::try_from(want.0).ok()?, u16::try_from(want.1).ok()?);
    match decode_jpeg_scaled(&data, want).ok()? {
        (Some(jpeg_decoder::PixelFormat::RGB24 | jpeg_decoder::PixelFormat::L8), image) => {
            Some(image.into_rgb8())
        }
        _ => None,
    }
}

/// A JPEG decoded straight (by its IDCT) at the smallest of 1/8, 1/4, 1/2
/// or full size that is at least `want` large, and the decoder's pixel
/// format: grey samples as a grey image, any others read as RGB.
pub(super) fn decode_jpeg_scaled(
    data: &[u8],
    want: (u16, u16),
) -> Result<
    (Option<jpeg_decoder::PixelFormat>, DynamicImage),
    Box<dyn std::error::Error + Send + Sync>,
> {
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(data));
    let (w, h) = decoder.scale(want.0, want.1)?;
    let raw = decoder.decode()?;
    let (w, h) = (u32::from(w), u32::from(h));
    let format = decoder.info().map(|i| i.pixel_format);
    let pixels = (w as usize) * (h as usize);
    // Exactly as many bytes as the pixels need (a buffer of another
    // format, or a short one, is refused rather than misread).
    let exact = |raw: Vec<u8>, channels: usize| (raw.len() == pixels * channels).then_some(raw);
    let image = match format {
        Some(jpeg_decoder::PixelFormat::L8) => exact(raw, 1)
            .and_then(|raw| image::GrayImage::from_raw(w, h, raw))
            .map(DynamicImage::ImageLuma8),
        Some(jpeg_decoder::PixelFormat::L16) => exact(raw, 2)
            .map(|raw| raw.chunks_exact(2).map(|v| v[0]).collect())
            .and_then(|raw| image::GrayImage::from_raw(w, h, raw))
            .map(DynamicImage::ImageLuma8),
        Some(jpeg_decoder::PixelFormat::CMYK32) => exact(raw, 4)
            .map(|raw| {
                // A rough RGB for a stand-in or a preview (the print gets
                // the photo itself, separated through its profile).
                raw.chunks_exact(4)
                    .flat_map(|p| {
                        let k = 255 - u16::from(p[3]);
                        [0, 1, 2].map(|i| ((255 - u16::from(p[i])) * k / 255) as u8)
                    })
                    .collect()
            })
            .and_then(|raw| image::RgbImage::from_raw(w, h, raw))
            .map(DynamicImage::ImageRgb8),
        _ => exact(raw, 3)
            .and_then(|raw| image::RgbImage::from_raw(w, h, raw))
            .map(DynamicImage::ImageRgb8),
    }
    .ok_or("a decode of another size or format than its header says")?;
    Ok((format, image))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CENTRE: [f64; 2] = [0.5, 0.5];

    fn jpeg(dir: &Path, name: &str, w: u32, h: u32) -> PathBuf {
        let path = dir.join(name);
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 90]));
        img.save(&path).unwrap();
        path
    }

    #[test]
    fn downsamples_far_above_target_and_never_upsamples() {
        let dir = tempfile::tempdir().unwrap();
        let store = PhotoStore::new(PhotoOptions::default());
        let info = store.info(&jpeg(dir.path(), "a.jpg", 2000, 1000)).unwrap();
        // 2000 px over 2 in = 1000 ppi: twice the target or more, so it is
        // halved until it is below that: 1000 px, 500 ppi.
        let small = store.finalize(&info, (144.0, 72.0), CENTRE).unwrap();
        assert_eq!(small.pixels, (1000, 500));
        assert!((small.ppi - 500.0).abs() < 1.0);
        // 2000 px over 10 in = 200 ppi: kept as it is.
        let big = store.finalize(&info, (720.0, 360.0), CENTRE).unwrap();
        assert_eq!(big.pixels, (2000, 1000));
        assert!((big.source_ppi - 200.0).abs() < 1e-6);
    }

    #[test]
    fn a_screen_gets_the_target_resolution() {
        let dir = tempfile::tempdir().unwrap();
        let print = PhotoStore::new(PhotoOptions::default());
        // A screen that keeps no original as it is (as one beyond
        // `SCREEN_KEEP_BYTES`).
        let screen = PhotoStore::new(PhotoOptions {
            keep_bytes: 0,
            ..print.for_screen().options().clone()
        });
        let info = screen.info(&jpeg(dir.path(), "a.jpg", 2000, 1000)).unwrap();
        // 2000 px over 8 in: 250 ppi, between 150 and twice it; print
        // keeps it all, a screen gets 150 ppi (1200 px).
        let placed = (8.0 * 72.0, 4.0 * 72.0);
        assert_eq!(print.plan(&info, placed, CENTRE).pixels, (2000, 1000));
        let plan = screen.plan(&info, placed, CENTRE);
        assert_eq!(plan.pixels, (1200, 600));
        assert!((plan.ppi - 150.0).abs() < 0.5, "{}", plan.ppi);
        let made = screen.finalize(&info, placed, CENTRE).unwrap();
        let decoded = image::load_from_memory(&made.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (1200, 600));
        // Within a tenth of the target: kept (no resampling for so little).
        let near = (13.0 * 72.0, 6.5 * 72.0);
        assert_eq!(screen.plan(&info, near, CENTRE).pixels, (2000, 1000));
    }

    #[test]
    fn a_screen_keeps_a_small_upright_jpeg_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let print = PhotoStore::new(PhotoOptions::default());
        let screen = print.for_screen();
        let path = jpeg(dir.path(), "a.jpg", 2000, 1000);
        let info = screen.info(&path).unwrap();
        assert!(info.passthrough && info.bytes <= SCREEN_KEEP_BYTES);
        // 2000 px over 4 in: 500 ppi, within four times the target: the
        // file itself, no pixel decoded (nothing decoded ahead either).
        screen.warm_half(&info);
        assert!(!screen.decodes.has_half(info.hash));
        let placed = (4.0 * 72.0, 2.0 * 72.0);
        let kept = screen.finalize(&info, placed, CENTRE).unwrap();
        assert_eq!(kept.pixels, (2000, 1000));
        assert_eq!(kept.bytes.as_slice(), std::fs::read(&path).unwrap());
        // 2000 px over 2 in: 1000 ppi, beyond four times: brought down.
        let small = screen.plan(&info, (2.0 * 72.0, 72.0), CENTRE);
        assert_eq!(small.pixels, (300, 150));
        // A larger file than the screen keeps is brought down, and decoded
        // ahead of need.
        let strict = PhotoStore::new(PhotoOptions {
            keep_bytes: info.bytes - 1,
            ..screen.options().clone()
        });
        assert_eq!(strict.plan(&info, placed, CENTRE).pixels, (600, 300));
        strict.warm_half(&info);
        assert!(strict.decodes.has_half(info.hash));
        // A PNG is never kept (it is not a JPEG to pass through).
        let png = dir.path().join("a.png");
        image::RgbImage::from_pixel(2000, 1000, image::Rgb([9, 9, 9]))
            .save(&png)
            .unwrap();
        let png = screen.info(&png).unwrap();
        assert_eq!(screen.plan(&png, placed, CENTRE).pixels, (600, 300));
    }

    #[test]
    fn upright_jpegs_at_size_pass_through_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = jpeg(dir.path(), "a.jpg", 600, 300);
        let store = PhotoStore::new(PhotoOptions::default());
        let info = store.info(&path).unwrap();
        assert!(info.passthrough);
        let kept = store.finalize(&info, (144.0, 72.0), CENTRE).unwrap();
        assert_eq!(
            kept.bytes.as_slice(),
            std::fs::read(&path).unwrap().as_slice()
        );
        let png = dir.path().join("b.png");
        image::RgbImage::new(600, 300).save(&png).unwrap();
        assert!(!store.info(&png).unwrap().passthrough);
    }

    #[test]
    fn exif_orientation_is_applied() {
        use image::ImageEncoder;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rotated.jpg");
        // 600 × 300 stored, EXIF orientation 6: shown rotated to 300 × 600.
        let img = image::RgbImage::from_fn(600, 300, |x, _| image::Rgb([(x / 3) as u8, 0, 0]));
        let mut out = Vec::new();
        let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
        let tiff = [
            b'M', b'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0,
            0,
        ];
        encoder.set_exif_metadata(tiff.to_vec()).unwrap();
        encoder
            .write_image(&img, 600, 300, image::ExtendedColorType::Rgb8)
            .unwrap();
        std::fs::write(&path, out).unwrap();
        let store = PhotoStore::new(PhotoOptions::default());
        let info = store.info(&path).unwrap();
        assert_eq!((info.width, info.height), (300, 600));
        assert!(!info.passthrough, "a rotated photo is re-encoded upright");
        let placed = store.finalize(&info, (72.0, 144.0), CENTRE).unwrap();
        let upright = image::load_from_memory(&placed.bytes).unwrap();
        assert_eq!((upright.width(), upright.height()), (300, 600));
    }

    #[test]
    fn halving_averages_blocks_and_downsampling_reaches_the_size() {
        let img = image::RgbImage::from_fn(4, 2, |x, _| {
            image::Rgb([if x < 2 { 10 } else { 30 }, 0, 255])
        });
        let half = halve(&img);
        assert_eq!(half.dimensions(), (2, 1));
        assert_eq!(half.get_pixel(0, 0).0, [10, 0, 255]);
        assert_eq!(half.get_pixel(1, 0).0, [30, 0, 255]);
        let big = image::RgbImage::from_pixel(1000, 700, image::Rgb([5, 6, 7]));
        let small = downsample(big, (120, 84));
        assert_eq!(small.dimensions(), (120, 84));
        assert_eq!(small.get_pixel(60, 40).0, [5, 6, 7]);
    }

    #[test]
    fn proxies_keep_proportions_and_differ_per_slot() {
        let info = PhotoInfo {
            path: "x".into(),
            hash: 1,
            width: 4000,
            height: 1000,
            bytes: 0,
            passthrough: false,
        };
        let a = PhotoStore::proxy(&info, 0);
        let b = PhotoStore::proxy(&info, 1);
        assert_ne!(a, b);
        let svg = std::str::from_utf8(&a).unwrap();
        assert!(svg.contains(r#"viewBox="0 0 4000 1000""#), "{svg}");
    }
}
