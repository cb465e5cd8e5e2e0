//! One render: check the report's glyphs and photos, hand the report to the
//! template as data, compile, read back how the copy fitted, then swap the
//! layout proxies for photos made at their placed size.

use std::collections::HashMap;
use std::sync::Arc;

use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Label, Selector, Smart};
use typst::introspection::Introspector;
use typst::layout::{Frame, FrameItem, Transform};
use typst::utils::PicoStr;
use typst::visualize::{Image, ImageKind, RasterFormat, RasterImage};
use typst_layout::PagedDocument;

use crate::Error;
use crate::assets::fonts::Fonts;
use crate::assets::photos::{FinalPhoto, PhotoPlan, PhotoStore};
use crate::assets::root::Root;
use crate::report::{LoadedReport, ReportError};

use super::coverage;
use super::data::{self, PageOptions, PhotoSlot};
use super::layouts::Layouts;
use super::world::BanmianWorld;

/// How a text flow fitted its frame, as the template reported it.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, PartialEq)]
pub struct FlowFit {
    /// The report element (`lede`, `sections[1]`, `quote`).
    pub id: String,
    /// Whether all of its copy fitted.
    pub fits: bool,
    /// Height of copy beyond the frame, in points (0 when it fits).
    #[serde(default)]
    pub over: f64,
    /// Height left empty below the page's last block, in points.
    #[serde(default)]
    pub under: f64,
    /// Line pitch of the flow, in points, to count lines over.
    #[serde(default)]
    pub pitch: f64,
    /// The page it sits on (0-based).
    #[serde(default)]
    pub page: usize,
    /// Characters in a body line across the whole type area.
    #[serde(default, rename = "line-chars")]
    pub line_chars: u32,
}

/// Something the layout sized away from its design to fit the copy.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, PartialEq)]
pub struct Adjustment {
    /// The report element (`banner`, `sections[0]`, `charts[0]`, `body`).
    pub id: String,
    /// What was sized (`photo height`, `bar thickness`, `leading`).
    pub what: String,
    /// The size used, in points.
    pub used: f64,
    /// The designed size, in points.
    pub natural: f64,
    /// The smallest size allowed.
    pub min: f64,
    /// The largest size allowed.
    pub max: f64,
}

impl Adjustment {
    /// How far the size is from its design, as a fraction (+0.1 = 10 %
    /// larger).
    pub fn change(&self) -> f64 {
        if self.natural == 0.0 {
            0.0
        } else {
            self.used / self.natural - 1.0
        }
    }
}

impl FlowFit {
    /// Whole lines left empty at the foot of the page after this block
    /// (underset), when it is the page's last.
    pub fn lines_under(&self) -> u32 {
        if self.pitch <= 0.0 {
            0
        } else {
            (self.under / self.pitch).floor() as u32
        }
    }

    /// Whole lines of copy that did not fit.
    pub fn lines_over(&self) -> u32 {
        if self.fits || self.pitch <= 0.0 {
            0
        } else {
            (self.over / self.pitch).ceil() as u32
        }
    }
}

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
    /// How each text flow fitted.
    pub flows: Vec<FlowFit>,
    /// What was sized away from its design to fit.
    pub adjustments: Vec<Adjustment>,
    /// Every placed photo.
    pub photos: Vec<PlacedPhoto>,
    /// Warnings for the editor (low-resolution photos, Typst warnings).
    pub warnings: Vec<String>,
    /// The template data the document was compiled from.
    pub data: Bytes,
    /// The files on disk the layout read: templates and photo sources.
    pub dependencies: Vec<std::path::PathBuf>,
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
    photos: Arc<PhotoStore>,
    screen_photos: Arc<PhotoStore>,
}

impl Typesetter {
    /// A typesetter over the given root, fonts, templates and photo rules.
    pub fn new(fonts: Arc<Fonts>, layouts: Layouts, root: Root, photos: Arc<PhotoStore>) -> Self {
        Self {
            world: BanmianWorld::new(fonts, layouts, root, "spread.typ"),
            screen_photos: Arc::new(photos.for_screen()),
            photos,
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

    /// Typesets a report with `main` as template (`spread.typ`).
    pub fn typeset(
        &mut self,
        loaded: &LoadedReport,
        main: &str,
        options: &TypesetOptions,
    ) -> Result<Typeset, Error> {
        let slots = self.check(loaded)?;
        let json = data::report_json(&loaded.report, options.pages, &slots);
        self.world.set_main(main);
        if let Some(today) = options.today {
            self.world.set_today(today);
        }
        let data = Bytes::new(json);
        self.world.set_file("report.json", data.clone());
        let mut proxies = HashMap::new();
        for (i, slot) in slots.iter().enumerate() {
            let proxy = PhotoStore::proxy(&slot.info, i);
            proxies.insert(typst::utils::hash128(proxy.as_slice()), i);
            self.world.set_file(&data::photo_path(i), proxy);
        }
        self.world.reset();
        let Warned { output, warnings } = typst::compile::<PagedDocument>(&self.world);
        let mut dependencies = self.world.dependencies();
        // A placeholder has no file to watch.
        dependencies.extend(
            slots
                .iter()
                .map(|slot| slot.info.path.clone())
                .filter(|path| !crate::assets::placeholder::is_placeholder(path)),
        );
        let document = output.map_err(|errors| self.diagnostics_error(&errors, &warnings))?;
        let fonts = super::embedding::embedding_problems(&document);
        if !fonts.is_empty() {
            return Err(Error::Export(format!(
                "{}\n  hint: every font must be embedded for print; use a font that allows it, e.g. the bundled faces",
                fonts.join("\n")
            )));
        }
        let flows = read_metadata(&document, "banmian-flow");
        let adjustments = read_metadata(&document, "banmian-adjust");
        let (document, photos) = self.place_photos(document, &proxies, &slots, options)?;
        let mut notes: Vec<String> = warnings.iter().map(|w| w.message.to_string()).collect();
        notes.extend(self.photo_warnings(loaded, &photos, options.medium)?);
        Ok(Typeset {
            document,
            flows,
            adjustments,
            photos,
            warnings: notes,
            data,
            dependencies,
        })
    }

    /// The photo store whose rules apply to a medium.
    fn store(&self, medium: Medium) -> &PhotoStore {
        match medium {
            Medium::Print => &self.photos,
            Medium::Screen => &self.screen_photos,
        }
    }

    /// Resolves and reads the header of every photo, in slot order.
    fn photo_slots(&self, loaded: &LoadedReport) -> Result<Vec<PhotoSlot>, Vec<ReportError>> {
        let root = self.world.root();
        let base = loaded.folder();
        let base = base.canonicalize().unwrap_or_else(|_| base.to_path_buf());
        let mut slots = Vec::new();
        let mut errors = Vec::new();
        for (field, written) in photo_fields(&loaded.report) {
            // An empty path is a photo still to supply (an imported report).
            if written.trim().is_empty() {
                match crate::assets::placeholder::slot(&self.photos, loaded, &field) {
                    Ok(info) => slots.push(PhotoSlot { field, info }),
                    Err(error) => errors.push(error),
                }
                continue;
            }
            let result = root
                .resolve(&base, &written)
                .map_err(|err| {
                    let hint = err.hint();
                    loaded
                        .field_error(&field, format!("photo {err}"))
                        .with_hint(hint)
                })
                .and_then(|path| {
                    self.photos.info(&path).map_err(|err| {
                        loaded
                            .field_error(&field, format!("photo cannot be used: {err}"))
                            .with_hint("use a JPEG, PNG or WebP file")
                    })
                });
            match result {
                Ok(info) => slots.push(PhotoSlot { field, info }),
                Err(error) => errors.push(error),
            }
        }
        if errors.is_empty() {
            Ok(slots)
        } else {
            Err(errors)
        }
    }

    /// Makes each placed photo at its size and swaps it in for its proxy.
    fn place_photos(
        &self,
        document: PagedDocument,
        proxies: &HashMap<u128, usize>,
        slots: &[PhotoSlot],
        options: &TypesetOptions,
    ) -> Result<(PagedDocument, Vec<PlacedPhoto>), Error> {
        let store = self.store(options.medium);
        let mut placements = Vec::new();
        for page in document.pages() {
            collect_images(&page.frame, Transform::identity(), proxies, &mut placements);
        }
        let unplaced = (0..slots.len()).find(|s| !placements.iter().any(|(p, _)| p == s));
        if let Some(slot) = unplaced.filter(|_| options.medium == Medium::Print) {
            return Err(Error::Template(format!(
                "the layout did not place the photo of `{}`",
                slots[slot].field
            )));
        }
        let mut placed: Vec<PlacedPhoto> = placements
            .iter()
            .map(|&(slot, size)| PlacedPhoto {
                slot,
                field: slots[slot].field.clone(),
                size,
                plan: store.plan(&slots[slot].info, size),
                bytes: None,
            })
            .collect();
        if options.measure_only {
            return Ok((document, placed));
        }
        let finals = finalize_all(store, &placements, slots)?;
        let mut swaps: HashMap<(usize, u64, u64), Image> = HashMap::new();
        for (placed, photo) in placed.iter_mut().zip(finals) {
            let raster = RasterImage::new(
                photo.bytes.clone(),
                RasterFormat::Exchange(typst::visualize::ExchangeFormat::Jpg),
                Smart::Auto,
            )
            .map_err(|err| Error::Internal(format!("processed photo rejected: {err}")))?;
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
        ))
    }

    /// Low-resolution warnings, or errors below the hard limit.
    fn photo_warnings(
        &self,
        loaded: &LoadedReport,
        photos: &[PlacedPhoto],
        medium: Medium,
    ) -> Result<Vec<String>, Error> {
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
                let error = loaded.field_error(
                    &placed.field,
                    format!("{message}, below {:.0} ppi", options.warn_ppi),
                );
                warnings.push(format!("warning: {error}"));
            }
        }
        if errors.is_empty() {
            Ok(warnings)
        } else {
            Err(Error::Report(errors))
        }
    }

    /// Renders Typst's diagnostics as text, with source excerpts.
    fn diagnostics_error(
        &self,
        errors: &[SourceDiagnostic],
        warnings: &[SourceDiagnostic],
    ) -> Error {
        let mut buffer = typst_kit::diagnostics::termcolor::Buffer::no_color();
        let all = errors.iter().chain(warnings);
        let _ = typst_kit::diagnostics::emit(
            &mut buffer,
            &self.world,
            all,
            typst_kit::diagnostics::DiagnosticFormat::Human,
        );
        Error::Template(String::from_utf8_lossy(buffer.as_slice()).into_owned())
    }
}

/// Every photo field of a report with its path as written, in slot order.
pub fn photo_fields(report: &crate::report::Report) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(banner) = &report.banner {
        out.push(("banner.photo".to_owned(), banner.photo.clone()));
    }
    for (i, section) in report.sections.iter().enumerate() {
        for (j, photo) in section.photos.iter().enumerate() {
            out.push((
                format!("sections[{i}].photos[{j}].path"),
                photo.path.clone(),
            ));
        }
    }
    out
}

/// Reads the metadata the template leaves under a label: `<banmian-flow>`
/// after each block, `<banmian-adjust>` for each size it adjusted.
pub fn read_metadata<T: serde::de::DeserializeOwned>(
    document: &PagedDocument,
    label: &str,
) -> Vec<T> {
    let label = Label::new(PicoStr::intern(label)).expect("label is not empty");
    let found = document.introspector().query(&Selector::Label(label));
    found
        .iter()
        .filter_map(|content| content.get_by_name("value").ok())
        .filter_map(|value| serde_json::to_value(&value).ok())
        .filter_map(|value| serde_json::from_value(value).ok())
        .collect()
}

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
        ImageKind::Raster(raster) => proxies
            .get(&typst::utils::hash128(raster.data().as_slice()))
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
) -> Result<Vec<FinalPhoto>, Error> {
    let results: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = placements
            .iter()
            .map(|(slot, size)| {
                let info = &slots[*slot].info;
                scope.spawn(move || store.finalize(info, *size))
            })
            .collect();
        handles.into_iter().map(|h| h.join()).collect()
    });
    results
        .into_iter()
        .zip(placements)
        .map(|(result, (slot, _))| match result {
            Ok(Ok(photo)) => Ok(photo),
            Ok(Err(err)) => Err(Error::Report(vec![
                ReportError::file(&slots[*slot].info.path, err.to_string())
                    .with_field(slots[*slot].field.clone()),
            ])),
            Err(_) => Err(Error::Internal("photo processing panicked".into())),
        })
        .collect()
}
