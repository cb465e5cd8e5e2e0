//! Photos not supplied yet. An imported report has captions whose photo
//! file the text did not hold: their `path` is empty. `check` and `render`
//! say which photo to supply, at its field; with `--placeholders` a grey
//! stand-in with a diagonal cross (the page-layout mark for "picture goes
//! here") is drawn instead, so that a first proof can be made at once.
//!
//! The stand-in is an ordinary photo to the templates: a 3:2 grey JPEG,
//! large enough for a banner at print resolution, made once per process.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::Diagnostic;
use crate::report::walk::{self, PhotoPlace};
use crate::report::{LoadedReport, Report};

use super::photos::{PhotoError, PhotoInfo, PhotoStore};

/// The name a stand-in goes by; no file of this name is ever read.
const NAME: &str = ".banmian-placeholder.jpg";

/// Size of the stand-in: 3:2, 234 ppi across a 390 mm banner.
const WIDTH: u32 = 3600;
const HEIGHT: u32 = 2400;

/// Photo fields with no file, with what the photo shows (its caption, or
/// the banner's description).
pub fn missing_photos(report: &Report) -> Vec<(String, String)> {
    walk::photos(report)
        .filter(|(_, photo)| photo.path.trim().is_empty())
        .map(|(field, photo)| (field, what(photo.place)))
        .collect()
}

/// What a photo shows, in words.
fn what(place: PhotoPlace) -> String {
    match place {
        PhotoPlace::Banner(banner) => [&banner.alt, &banner.display]
            .into_iter()
            .find(|s| !s.is_empty())
            .map_or("the banner photo".into(), |w| {
                format!("the banner photo “{}”", crate::diagnostic::shorten(w, 40))
            }),
        PhotoPlace::Section {
            section,
            photo,
            index,
        } => {
            if photo.caption.is_empty() {
                format!(
                    "photo {} of “{}”",
                    index + 1,
                    crate::diagnostic::shorten(&section.heading, 40)
                )
            } else {
                format!(
                    "the photo “{}”",
                    crate::diagnostic::shorten(&photo.caption, 40)
                )
            }
        }
    }
}

/// The photo of a field whose path is empty: the stand-in when the store
/// draws placeholders, else what to tell the editor, (message, hint): which
/// photo to supply.
pub fn slot(
    store: &PhotoStore,
    loaded: &LoadedReport,
    place: PhotoPlace,
) -> Result<PhotoInfo, (String, String)> {
    if store.options().placeholders {
        return stand_in(store, loaded).map_err(|err| (err.to_string(), String::new()));
    }
    Err((
        format!("no photo file: supply {}", what(place)),
        "write the photo's file name in `path` (relative to the report), or pass --placeholders to proof with grey boxes".into(),
    ))
}

/// Warnings that placeholders are drawn, one per photo, at its field.
pub fn notices(loaded: &LoadedReport) -> Vec<Diagnostic> {
    let notices = missing_photos(&loaded.report)
        .into_iter()
        .map(|(field, what)| {
            let message = format!(
                "no photo file for {what}: a grey placeholder is drawn (a proof, not for print)"
            );
            (field, message, String::new())
        })
        .collect();
    loaded.field_errors(notices)
}

/// The stand-in's header, as the store reads it.
fn stand_in(store: &PhotoStore, loaded: &LoadedReport) -> Result<PhotoInfo, PhotoError> {
    store.info(&path_for(loaded.folder()))
}

/// Where a stand-in "lives": beside the report, under a name no photo has.
fn path_for(folder: &Path) -> PathBuf {
    folder.join(NAME)
}

/// Whether a path names the stand-in.
pub fn is_placeholder(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == NAME)
}

/// The stand-in's JPEG bytes, made once.
pub fn jpeg() -> &'static [u8] {
    static JPEG: OnceLock<Vec<u8>> = OnceLock::new();
    JPEG.get_or_init(|| {
        let image = image::GrayImage::from_fn(WIDTH, HEIGHT, |x, y| image::Luma([shade(x, y)]));
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
            .encode_image(&image)
            .expect("encoding a grey image into memory cannot fail");
        out
    })
}

/// Light grey, with a dark frame and both diagonals.
fn shade(x: u32, y: u32) -> u8 {
    let (w, h) = (f64::from(WIDTH), f64::from(HEIGHT));
    let (x, y) = (f64::from(x), f64::from(y));
    let frame = h * 0.012;
    let line = h * 0.006;
    let on_frame = x < frame || y < frame || x > w - frame || y > h - frame;
    // Distance to each diagonal, across the line's width.
    let length = (w * w + h * h).sqrt();
    let down = (h * x - w * y).abs() / length;
    let up = (h * x + w * y - w * h).abs() / length;
    if on_frame || down < line || up < line {
        0x70
    } else {
        0xD4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stand_in_is_a_marked_grey_3_by_2_jpeg() {
        let image = image::load_from_memory(jpeg()).unwrap().to_luma8();
        assert_eq!((image.width(), image.height()), (WIDTH, HEIGHT));
        let at = |x: u32, y: u32| i32::from(image.get_pixel(x, y).0[0]);
        // Grey inside, dark on the frame and on the cross at the centre.
        assert!((at(WIDTH / 4, HEIGHT / 8) - 0xD4).abs() < 8);
        assert!((at(WIDTH / 2, HEIGHT / 2) - 0x70).abs() < 8);
        assert!((at(2, HEIGHT / 3) - 0x70).abs() < 8);
        assert!(is_placeholder(&path_for(Path::new("a/b"))));
    }
}
