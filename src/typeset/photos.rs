//! The photos of a render: each slot resolved and read before layout, the
//! layout's stand-ins (proxies) found in the compiled pages, the final
//! photos made at their placed size and shape and swapped in, and the
//! warnings about their resolution.

use std::collections::HashMap;

use typst::foundations::{Bytes, Smart};
use typst::layout::{Frame, FrameItem, Transform};
use typst::visualize::{Image, ImageKind, RasterFormat, RasterImage};
use typst_layout::PagedDocument;

use crate::Error;
use crate::assets::photos::{FinalPhoto, PhotoStore};
use crate::assets::standin::{self, Embed};
use crate::report::LoadedReport;
use crate::report::walk::{self, PhotoPlace};
use crate::{Diagnostic, Severity};

use super::compile::{Medium, PlacedPhoto, TypesetOptions, Typesetter};
use super::data::PhotoSlot;
use super::protocol::Crops;

/// The folder a report's photo paths are relative to, as the root resolves
/// them.
fn photo_base(loaded: &LoadedReport) -> std::path::PathBuf {
    let base = loaded.folder();
    base.canonicalize().unwrap_or_else(|_| base.to_path_buf())
}

impl Typesetter {
    /// Reads the header of every photo file the report names inside the
    /// root, on a thread of its own beside `meanwhile` (the geometry pass),
    /// so that [`Typesetter::check`] finds them read: each file is read
    /// whole and hashed (its content is its cache key), some milliseconds
    /// a photo. What cannot be read is left for the check to report.
    pub fn with_photos_read<T>(
        &mut self,
        loaded: &LoadedReport,
        meanwhile: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let (root, base) = (self.world.root(), photo_base(loaded));
        let paths: Vec<_> = walk::photos(&loaded.report)
            .filter(|(_, photo)| !photo.path.trim().is_empty())
            .filter_map(|(_, photo)| root.resolve(&base, photo.path).ok())
            .collect();
        if paths.is_empty() {
            return meanwhile(self);
        }
        let store = self.photos.clone();
        std::thread::scope(|scope| {
            scope.spawn(|| {
                for path in &paths {
                    let _ = store.info(path);
                }
            });
            meanwhile(self)
        })
    }

    /// Resolves and reads the header of every photo, in slot order; the
    /// problems of those that cannot be used, positioned in one pass.
    pub(super) fn photo_slots(
        &self,
        loaded: &LoadedReport,
    ) -> Result<Vec<PhotoSlot>, Vec<Diagnostic>> {
        let (root, base) = (self.world.root(), photo_base(loaded));
        let mut slots = Vec::new();
        let mut problems = Vec::new();
        for (field, photo) in walk::photos(&loaded.report) {
            let focus = photo.focus.unwrap_or(CENTRE);
            // An empty path is a photo still to supply (an imported report).
            let info = if photo.path.trim().is_empty() {
                crate::assets::placeholder::slot(&self.photos, loaded, photo.place)
            } else {
                root.resolve(&base, photo.path)
                    .map_err(|err| (format!("photo {err}"), err.hint().to_owned()))
                    .and_then(|path| {
                        self.photos.info(&path).map_err(|err| {
                            let hint = "use a JPEG, PNG or WebP file";
                            (format!("photo cannot be used: {err}"), hint.to_owned())
                        })
                    })
            };
            match info {
                Ok(info) => slots.push(PhotoSlot { field, info, focus }),
                Err((message, hint)) => problems.push((field, message, hint)),
            }
        }
        if problems.is_empty() {
            Ok(slots)
        } else {
            Err(loaded.field_errors(problems))
        }
    }

    /// Makes each placed photo at its size and swaps it in for its proxy.
    pub(super) fn place_photos(
        &self,
        document: PagedDocument,
        proxies: &HashMap<u128, usize>,
        slots: &[PhotoSlot],
        options: &TypesetOptions,
        left_off: &[usize],
    ) -> Result<(PagedDocument, Vec<PlacedPhoto>, Vec<Embed>), Error> {
        let store = self.store(options.medium);
        let mut placements = Vec::new();
        for page in document.pages() {
            collect_images(&page.frame, Transform::identity(), proxies, &mut placements);
        }
        // Every photo is placed in print, but those (by slot) of stories the
        // composer had to leave off (reported as overset).
        let unplaced = (0..slots.len())
            .find(|s| !placements.iter().any(|(p, _)| p == s) && !left_off.contains(s));
        if let Some(slot) = unplaced.filter(|_| options.medium == Medium::Print) {
            return Err(Error::Template(vec![Diagnostic::error(format!(
                "the layout did not place the photo of `{}`",
                slots[slot].field
            ))]));
        }
        let mut placed: Vec<PlacedPhoto> = placements
            .iter()
            .map(|&(slot, size)| PlacedPhoto {
                slot,
                field: slots[slot].field.clone(),
                size,
                plan: store.plan(&slots[slot].info, size, slots[slot].focus),
                bytes: None,
            })
            .collect();
        if options.measure_only {
            return Ok((document, placed, Vec::new()));
        }
        let finals = finalize_all(store, &placements, slots, options.preview_ppi)?;
        let mut swaps: HashMap<(usize, u64, u64), Image> = HashMap::new();
        let mut embeds = Vec::new();
        for (placed, (photo, raster, embed)) in placed.iter_mut().zip(finals) {
            embeds.push(embed);
            let alt = Some(placed.field.as_str().into());
            swaps.insert(
                size_key(placed.slot, placed.size),
                Image::new(raster, alt, Smart::Auto),
            );
            placed.bytes = Some(photo.bytes);
        }
        let info = typst::model::Document::info(&document).clone();
        let mut pages: Vec<_> = document.pages().to_vec();
        for page in &mut pages {
            finish_frame(&mut page.frame, Transform::identity(), proxies, &swaps);
        }
        Ok((
            PagedDocument::new(pages.into_iter().collect(), info),
            placed,
            embeds,
        ))
    }

    /// Low-resolution warnings, or errors below the hard limit.
    pub(super) fn photo_warnings(
        &self,
        loaded: &LoadedReport,
        photos: &[PlacedPhoto],
        medium: Medium,
    ) -> Result<Vec<Diagnostic>, Error> {
        let options = self.store(medium).options();
        let mut warnings = Vec::new();
        let mut errors = Vec::new();
        for placed in photos {
            let ppi = placed.plan.source_ppi;
            let message = format!(
                "photo is {ppi:.0} ppi at its placed size ({:.0} × {:.0} mm)",
                placed.size.0 / 72.0 * 25.4,
                placed.size.1 / 72.0 * 25.4
            );
            if ppi < options.error_ppi && !options.allow_low_ppi {
                errors.push(
                    loaded
                        .field_error(
                            &placed.field,
                            format!("{message}, below {:.0} ppi", options.error_ppi),
                        )
                        .with_hint(
                            "use a larger original, or pass --allow-low-ppi to print it anyway",
                        ),
                );
            } else if ppi < options.warn_ppi {
                let warning = loaded.field_error(
                    &placed.field,
                    format!("{message}, below {:.0} ppi", options.warn_ppi),
                );
                warnings.push(warning.with_severity(Severity::Warning));
            }
        }
        if errors.is_empty() {
            Ok(warnings)
        } else {
            Err(Error::Report(errors))
        }
    }
}

/// Every photo field of a report with its path as written and its focal
/// point, in slot order.
pub fn photo_fields(report: &crate::report::Report) -> Vec<(String, String, [f64; 2])> {
    walk::photos(report)
        .map(|(field, photo)| (field, photo.path.to_owned(), photo.focus.unwrap_or(CENTRE)))
        .collect()
}

/// Every photo's crop limit, in slot order: the report's, else the
/// template's default (a banner is a strip across the page: it may lose
/// more).
pub fn crop_limits(report: &crate::report::Report, crops: Crops) -> Vec<f64> {
    walk::photos(report)
        .map(|(_, photo)| {
            photo.crop.unwrap_or(match photo.place {
                PhotoPlace::Banner(_) => crops.banner,
                PhotoPlace::Section { .. } => crops.photo,
            })
        })
        .collect()
}

/// The focal point of a photo that names none.
const CENTRE: [f64; 2] = [0.5, 0.5];

/// A stable key for a slot placed at a size.
fn size_key(slot: usize, size: (f64, f64)) -> (usize, u64, u64) {
    (
        slot,
        (size.0 * 1000.0).round() as u64,
        (size.1 * 1000.0).round() as u64,
    )
}

/// The proxy slot an image stands for, if it is one.
fn proxy_slot(image: &Image, proxies: &HashMap<u128, usize>) -> Option<usize> {
    match image.kind() {
        ImageKind::Svg(svg) => proxies
            .get(&typst::utils::hash128(svg.data().as_slice()))
            .copied(),
        _ => None,
    }
}

/// Finds every proxy image and its placed size (in points, after scaling).
fn collect_images(
    frame: &Frame,
    ts: Transform,
    proxies: &HashMap<u128, usize>,
    out: &mut Vec<(usize, (f64, f64))>,
) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                collect_images(&group.frame, ts.pre_concat(group.transform), proxies, out)
            }
            FrameItem::Image(image, size, _) => {
                if let Some(slot) = proxy_slot(image, proxies) {
                    let scaled = (
                        size.x.to_pt() * ts.sx.get().abs(),
                        size.y.to_pt() * ts.sy.get().abs(),
                    );
                    if !out
                        .iter()
                        .any(|&(s, z)| size_key(s, z) == size_key(slot, scaled))
                    {
                        out.push((slot, scaled));
                    }
                }
            }
            _ => {}
        }
    }
}

/// The word joiner the templates put inside numbers with units so that
/// lines never break there; it is layout glue, not text, so it is dropped
/// from the finished pages (and thus from the PDF's text).
const WORD_JOINER: char = '\u{2060}';

/// Removes word joiners from a text run, keeping every glyph's text.
fn strip_joiners(text: &mut typst::text::TextItem) {
    let old = text.text.clone();
    // kept[i]: bytes of the new text before old byte offset i.
    let mut kept = vec![0u16; old.len() + 1];
    let mut new = typst::ecow::EcoString::new();
    for (i, c) in old.char_indices() {
        for k in 0..c.len_utf8() {
            kept[i + k] = new.len() as u16;
        }
        if c != WORD_JOINER {
            new.push(c);
        }
    }
    kept[old.len()] = new.len() as u16;
    text.glyphs.retain_mut(|glyph| {
        let (start, end) = (glyph.range.start as usize, glyph.range.end as usize);
        glyph.range = kept[start]..kept[end];
        !glyph.range.is_empty()
    });
    text.text = new;
}

/// Whether a frame holds an image or joined text, at any depth.
fn needs_finishing(frame: &Frame) -> bool {
    frame.items().any(|(_, item)| match item {
        FrameItem::Image(..) => true,
        FrameItem::Text(text) => text.text.contains(WORD_JOINER),
        FrameItem::Group(group) => needs_finishing(&group.frame),
        _ => false,
    })
}

/// Replaces proxies by their final images and drops word joiners, copying
/// only the frames that need it.
fn finish_frame(
    frame: &mut Frame,
    ts: Transform,
    proxies: &HashMap<u128, usize>,
    swaps: &HashMap<(usize, u64, u64), Image>,
) {
    if !needs_finishing(frame) {
        return;
    }
    frame.retain(|item| {
        match item {
            FrameItem::Group(group) => {
                let inner = ts.pre_concat(group.transform);
                finish_frame(&mut group.frame, inner, proxies, swaps);
            }
            FrameItem::Image(image, size, _) => {
                if let Some(slot) = proxy_slot(image, proxies) {
                    let scaled = (
                        size.x.to_pt() * ts.sx.get().abs(),
                        size.y.to_pt() * ts.sy.get().abs(),
                    );
                    if let Some(fin) = swaps.get(&size_key(slot, scaled)) {
                        *image = fin.clone();
                    }
                }
            }
            FrameItem::Text(text) if text.text.contains(WORD_JOINER) => strip_joiners(text),
            _ => {}
        }
        true
    });
}

/// Processes every placement, two at a time (the machines have 2 cores).
fn finalize_all(
    store: &PhotoStore,
    placements: &[(usize, (f64, f64))],
    slots: &[PhotoSlot],
    preview_ppi: Option<f64>,
) -> Result<Vec<(FinalPhoto, RasterImage, Embed)>, Error> {
    let results: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = placements
            .iter()
            .map(|&(slot, size)| {
                let info = &slots[slot].info;
                let focus = slots[slot].focus;
                scope.spawn(move || {
                    let photo = store.finalize(info, size, focus)?;
                    let want = preview_ppi.map(|ppi| {
                        (
                            (size.0 / 72.0 * ppi).ceil() as u32,
                            (size.1 / 72.0 * ppi).ceil() as u32,
                        )
                    });
                    let stand_in = standin::stand_in(&photo.bytes, want)?;
                    let raster = embeddable(&stand_in);
                    let embed = Embed {
                        stand_in,
                        bytes: photo.bytes.clone(),
                        pixels: photo.pixels,
                    };
                    Ok::<_, crate::assets::photos::PhotoError>((photo, raster, embed))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join()).collect()
    });
    results
        .into_iter()
        .zip(placements)
        .map(|(result, (slot, _))| match result {
            Ok(Ok((photo, Ok(raster), embed))) => Ok((photo, raster, embed)),
            Ok(Ok((_, Err(err), _))) => {
                Err(Error::Internal(format!("processed photo rejected: {err}")))
            }
            Ok(Err(err)) => Err(Error::Report(vec![
                Diagnostic::file(&slots[*slot].info.path, err.to_string())
                    .with_field(slots[*slot].field.clone()),
            ])),
            Err(_) => Err(Error::Internal("photo processing panicked".into())),
        })
        .collect()
}

/// A processed photo as Typst embeds it. Typst decodes it to build it (and
/// keeps that in its memo cache), so calling this early, on another
/// thread, makes the later call free.
pub(crate) fn embeddable(bytes: &Bytes) -> typst::diag::StrResult<RasterImage> {
    RasterImage::new(
        bytes.clone(),
        RasterFormat::Exchange(typst::visualize::ExchangeFormat::Jpg),
        Smart::Auto,
    )
}
