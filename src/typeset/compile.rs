//! One render: check the report's glyphs and photos, hand the report to the
//! template as data, compile (for the spread: measure, compose, draw; see
//! [`super::spread`]), then swap the layout proxies for photos made at
//! their placed size and shape.

use std::collections::HashMap;
use std::sync::Arc;

use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::layout::{Frame, FrameItem, Transform};
use typst::visualize::{Image, ImageKind, RasterFormat, RasterImage};
use typst_layout::PagedDocument;

use crate::Error;
use crate::assets::fonts::Fonts;
use crate::assets::photos::{FinalPhoto, PhotoPlan, PhotoStore};
use crate::assets::root::Root;
use crate::assets::standin::{self, Embed};
use crate::report::LoadedReport;
use crate::report::walk::{self, PhotoPlace};
use crate::{Diagnostic, Severity};

use super::coverage;
use super::data::{self, PageOptions, PhotoSlot};
use super::layouts::Layouts;
use super::measure_cache::MeasureCache;
use super::protocol::Reader;
use super::spread::SpreadPlan;
use super::watchdog::Watchdog;
use super::world::BanmianWorld;

/// A photo as placed, with the image made for it.
#[derive(Debug, Clone)]
pub struct PlacedPhoto {
    /// The photo slot (its index in the template data).
    pub slot: usize,
    /// The report field it came from.
    pub field: String,
    /// Placed size in points (the whole image, before cropping).
    pub size: (f64, f64),
    /// The resolution it gets there.
    pub plan: PhotoPlan,
    /// The embedded image (JPEG); `None` when only measured (`check`).
    pub bytes: Option<Bytes>,
}

/// A compiled document with everything learned on the way.
pub struct Typeset {
    /// The laid-out pages, with final photos.
    pub document: PagedDocument,
    /// For the spread: what the composer decided and how good it is.
    pub composition: Option<SpreadPlan>,
    /// Every placed photo.
    pub photos: Vec<PlacedPhoto>,
    /// Warnings for the editor (low-resolution photos, Typst warnings).
    pub warnings: Vec<Diagnostic>,
    /// The template data the document was compiled from (`report.json`).
    pub data: Bytes,
    /// The final photos, each with the stand-in the document holds in its
    /// place ([`crate::export::pdf`] swaps them in).
    pub images: Vec<Embed>,
    /// How long each stage took (measure, compose, draw, photos).
    pub timings: Vec<(&'static str, std::time::Duration)>,
    /// The files on disk the layout read: templates and photo sources.
    pub dependencies: Vec<std::path::PathBuf>,
    /// The files Typst compiled the document from, by name (templates,
    /// `report.json`, `plan.json`, photo stand-ins): written out, a Typst
    /// project that draws the same pages (`--typst-project`).
    pub sources: Vec<(String, Bytes)>,
}

/// Settings for one render.
#[derive(Debug, Clone)]
pub struct TypesetOptions {
    /// Page format.
    pub pages: PageOptions,
    /// The date `datetime.today()` returns (fixed, for reproducible output).
    pub today: Option<Datetime>,
    /// Only measure photos at their placed size (for `check`): no pixels
    /// are decoded or encoded and the stand-ins stay in the document.
    pub measure_only: bool,
    /// Paper or screen: which photo rules apply, and whether every photo
    /// of the report must be placed.
    pub medium: Medium,
    /// Resolution of the photos' stand-ins, at least, when the pages are
    /// previewed (PNG); without previews they are flat. The PDF always gets
    /// the final photos.
    pub preview_ppi: Option<f64>,
    /// A proof, not for print: reserved areas are drawn as labelled
    /// keyline frames (print leaves them blank).
    pub proof: bool,
}

/// What a document is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Medium {
    /// Print: the report's photo rules (300 ppi); every photo placed.
    #[default]
    Print,
    /// A screen (the deck): 150 ppi is plenty; photos may be left out.
    Screen,
}

/// Keeps a world alive between renders so unchanged work is reused.
pub struct Typesetter {
    world: BanmianWorld,
    /// The photo stand-ins served now, by content hash, to their slots.
    proxies: HashMap<u128, usize>,
    /// The last composition and what it was composed from: an edit that
    /// changes no measure (a figure, a word) reuses it.
    pub(super) composed: Option<(crate::compose::Input, crate::compose::Composition)>,
    photos: Arc<PhotoStore>,
    screen_photos: Arc<PhotoStore>,
    /// Measuring passes kept on disk, beside the photo cache.
    pub(super) measure_cache: MeasureCache,
    /// Bounds each compile, when set.
    watchdog: Option<Watchdog>,
}

impl Typesetter {
    /// A typesetter over the given root, fonts, templates and photo rules.
    pub fn new(fonts: Arc<Fonts>, layouts: Layouts, root: Root, photos: Arc<PhotoStore>) -> Self {
        let cache = photos.options().cache_dir.as_ref();
        Self {
            world: BanmianWorld::new(fonts, layouts, root, "spread.typ"),
            proxies: HashMap::new(),
            composed: None,
            screen_photos: Arc::new(photos.for_screen()),
            measure_cache: MeasureCache::new(cache.map(|dir| dir.join("measures"))),
            photos,
            watchdog: None,
        }
    }

    /// Bounds every compile from now on by `watchdog` (none: unbounded).
    pub fn set_watchdog(&mut self, watchdog: Option<Watchdog>) {
        self.watchdog = watchdog;
    }

    /// A typesetter over the same fonts, templates, root and photo stores
    /// with a world of its own, so that the deck can be typeset on another
    /// thread while this one sets the spread.
    pub fn sibling(&self) -> Self {
        Self {
            world: self.world.sibling(),
            proxies: HashMap::new(),
            composed: None,
            photos: self.photos.clone(),
            screen_photos: self.screen_photos.clone(),
            measure_cache: self.measure_cache.clone(),
            watchdog: self.watchdog.clone(),
        }
    }

    /// Checks a report's glyphs and photo files without laying it out.
    pub fn check(&self, loaded: &LoadedReport) -> Result<Vec<PhotoSlot>, Error> {
        let mut problems = coverage::missing_glyphs(loaded, self.world.fonts());
        let slots = match self.photo_slots(loaded) {
            Ok(slots) => slots,
            Err(mut errors) => {
                problems.append(&mut errors);
                Vec::new()
            }
        };
        if problems.is_empty() {
            Ok(slots)
        } else {
            Err(Error::Report(problems))
        }
    }

    /// Typesets a report with `main` as template: `spread.typ` is
    /// measured, composed and drawn; any other template is compiled once.
    pub fn typeset(
        &mut self,
        loaded: &LoadedReport,
        main: &str,
        options: &TypesetOptions,
    ) -> Result<Typeset, Error> {
        if main == super::spread::TEMPLATE {
            return self.spread(loaded, options);
        }
        let slots = self.check(loaded)?;
        let data = self.load_data(loaded, options, &slots, true);
        // Photos for a screen are all at least halved: decode them at half
        // size on other threads while Typst lays the slides out.
        let store = self.store(options.medium).clone();
        let early = options.medium == Medium::Screen && !options.measure_only;
        std::thread::scope(|scope| {
            let warmers: Vec<_> = if early {
                let each = slots.len().div_ceil(2).max(1);
                slots
                    .chunks(each)
                    .map(|chunk| {
                        let store = &store;
                        scope.spawn(move || chunk.iter().for_each(|s| store.warm_half(&s.info)))
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let compiled = self.compile(main, options);
            // Joined before the photos are made, so none is decoded twice.
            warmers.into_iter().for_each(|h| {
                let _ = h.join();
            });
            let (document, warnings) = compiled?;
            self.finish(loaded, options, document, warnings, &slots, data, None)
        })
    }

    /// Hands the report and its photo stand-ins to the world (with the
    /// deck's content for any template but the spread's, `deck`).
    pub(super) fn load_data(
        &mut self,
        loaded: &LoadedReport,
        options: &TypesetOptions,
        slots: &[PhotoSlot],
        deck: bool,
    ) -> Bytes {
        let json = data::report_json(&loaded.report, options.pages, slots, deck);
        let data = Bytes::new(json);
        self.world.set_file("report.json", data.clone());
        self.proxies.clear();
        for (i, slot) in slots.iter().enumerate() {
            let proxy = PhotoStore::proxy(&slot.info, i);
            self.proxies
                .insert(typst::utils::hash128(proxy.as_slice()), i);
            self.world.set_file(&data::photo_path(i), proxy);
        }
        data
    }

    /// Serves a file in the world's virtual package.
    pub(super) fn set_file(&mut self, name: &str, bytes: Bytes) {
        self.world.set_file(name, bytes);
    }

    /// Compiles `main` as the world stands, with fonts checked for
    /// embedding.
    pub(super) fn compile(
        &mut self,
        main: &str,
        options: &TypesetOptions,
    ) -> Result<(PagedDocument, Vec<SourceDiagnostic>), Error> {
        self.prepare(main, options);
        self.world.reset();
        let world = &self.world;
        let compile = || typst::compile::<PagedDocument>(world);
        let Warned { output, warnings } = match &self.watchdog {
            Some(watchdog) => watchdog.watch(world, main, compile),
            None => compile(),
        };
        let document = output.map_err(|errors| self.diagnostics_error(&errors, &warnings))?;
        self.protocol(&document).version()?;
        let fonts = super::embedding::embedding_problems(&document);
        if !fonts.is_empty() {
            let hint = "every font must be embedded for print; use a font that allows it, e.g. the bundled faces";
            return Err(Error::Fonts(
                fonts
                    .into_iter()
                    .map(|f| Diagnostic::error(f).with_hint(hint))
                    .collect(),
            ));
        }
        Ok((document, warnings.to_vec()))
    }

    /// Sets the world up to compile `main`: the main file and the date.
    pub(super) fn prepare(&mut self, main: &str, options: &TypesetOptions) {
        self.world.set_main(main);
        if let Some(today) = options.today {
            self.world.set_today(today);
        }
    }

    /// The world, as it stands.
    pub(super) fn world(&mut self) -> &mut BanmianWorld {
        &mut self.world
    }

    /// A reader of the metadata a document compiled here holds.
    pub fn protocol<'a>(&'a self, document: &'a PagedDocument) -> Reader<'a> {
        Reader::new(&self.world, document)
    }

    /// Swaps in the final photos and gathers what the render learned.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn finish(
        &mut self,
        loaded: &LoadedReport,
        options: &TypesetOptions,
        document: PagedDocument,
        warnings: Vec<SourceDiagnostic>,
        slots: &[PhotoSlot],
        data: Bytes,
        composition: Option<SpreadPlan>,
    ) -> Result<Typeset, Error> {
        let mut dependencies = self.world.dependencies();
        let sources = self.world.package_files();
        // A placeholder has no file to watch.
        dependencies.extend(
            slots
                .iter()
                .map(|slot| slot.info.path.clone())
                .filter(|path| !crate::assets::placeholder::is_placeholder(path)),
        );
        let proxies = std::mem::take(&mut self.proxies);
        let left_off: Vec<String> = composition
            .as_ref()
            .map(|plan| {
                let c = &plan.composition;
                c.dropped
                    .iter()
                    .map(|(item, _)| c.items[*item].id.clone())
                    .collect()
            })
            .unwrap_or_default();
        let placed = self.place_photos(document, &proxies, slots, options, &left_off);
        self.proxies = proxies;
        let (document, photos, images) = placed?;
        let mut notes: Vec<Diagnostic> =
            warnings.iter().map(|w| self.world.diagnostic(w)).collect();
        notes.extend(self.photo_warnings(loaded, &photos, options.medium)?);
        Ok(Typeset {
            document,
            composition,
            photos,
            warnings: notes,
            data,
            dependencies,
            sources,
            images,
            timings: Vec::new(),
        })
    }

    /// The print photo rules.
    pub(super) fn print_options(&self) -> &crate::assets::photos::PhotoOptions {
        self.photos.options()
    }

    /// The print photo store.
    pub(super) fn print_store(&self) -> Arc<PhotoStore> {
        self.photos.clone()
    }

    /// The photo store whose rules apply to a medium.
    fn store(&self, medium: Medium) -> &Arc<PhotoStore> {
        match medium {
            Medium::Print => &self.photos,
            Medium::Screen => &self.screen_photos,
        }
    }

    /// Resolves and reads the header of every photo, in slot order; the
    /// problems of those that cannot be used, positioned in one pass.
    fn photo_slots(&self, loaded: &LoadedReport) -> Result<Vec<PhotoSlot>, Vec<Diagnostic>> {
        let root = self.world.root();
        let base = loaded.folder();
        let base = base.canonicalize().unwrap_or_else(|_| base.to_path_buf());
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
    fn place_photos(
        &self,
        document: PagedDocument,
        proxies: &HashMap<u128, usize>,
        slots: &[PhotoSlot],
        options: &TypesetOptions,
        left_off: &[String],
    ) -> Result<(PagedDocument, Vec<PlacedPhoto>, Vec<Embed>), Error> {
        let store = self.store(options.medium);
        let mut placements = Vec::new();
        for page in document.pages() {
            collect_images(&page.frame, Transform::identity(), proxies, &mut placements);
        }
        // Every photo is placed in print, but those of stories the composer
        // had to leave off (reported as overset).
        let left_off = |field: &str| {
            left_off
                .iter()
                .any(|id| field.starts_with(&format!("{id}.")))
        };
        let unplaced = (0..slots.len())
            .find(|s| !placements.iter().any(|(p, _)| p == s) && !left_off(&slots[*s].field));
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
    fn photo_warnings(
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

    /// Typst's errors (and the warnings that came with them), placed in
    /// the templates.
    fn diagnostics_error(
        &self,
        errors: &[SourceDiagnostic],
        warnings: &[SourceDiagnostic],
    ) -> Error {
        let all = errors.iter().chain(warnings);
        Error::Template(all.map(|d| self.world.diagnostic(d)).collect())
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
/// default (a banner is a strip across the page: it may lose more).
pub fn crop_limits(report: &crate::report::Report) -> Vec<f64> {
    walk::photos(report)
        .map(|(_, photo)| {
            photo.crop.unwrap_or(match photo.place {
                PhotoPlace::Banner(_) => BANNER_CROP,
                PhotoPlace::Section { .. } => PHOTO_CROP,
            })
        })
        .collect()
}

/// The focal point of a photo that names none.
const CENTRE: [f64; 2] = [0.5, 0.5];

/// The share of a photo's width or height a crop may cut, by default.
pub const PHOTO_CROP: f64 = 0.4;
/// The same for the banner.
pub const BANNER_CROP: f64 = 0.5;

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
pub(super) fn embeddable(bytes: &Bytes) -> typst::diag::StrResult<RasterImage> {
    RasterImage::new(
        bytes.clone(),
        RasterFormat::Exchange(typst::visualize::ExchangeFormat::Jpg),
        Smart::Auto,
    )
}
