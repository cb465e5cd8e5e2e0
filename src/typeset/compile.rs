//! One render: check the report's glyphs and photos, hand the report to a
//! template as data, compile it, then swap the layout proxies for photos
//! made at their placed size and shape ([`super::photos`]). The spread
//! ([`crate::spread`]) and the deck ([`crate::deck`]) drive it.

use std::collections::HashMap;
use std::sync::Arc;

use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime};
use typst_layout::PagedDocument;

use crate::Diagnostic;
use crate::Error;
use crate::assets::fonts::Fonts;
use crate::assets::photos::{PhotoPlan, PhotoStore};
use crate::assets::root::Root;
use crate::assets::standin::Embed;
use crate::report::LoadedReport;

use super::coverage;
use super::data::{self, PageOptions, PhotoSlot};
use super::layouts::Layouts;
use super::measure_cache::MeasureCache;
use super::protocol::{Entry, Reader};
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
    pub(super) world: BanmianWorld,
    /// The photo stand-ins served now, by content hash, to their slots.
    pub(super) proxies: HashMap<u128, usize>,
    /// What the driver of this typesetter keeps for its next build (the
    /// spread: the last composition and what it was composed from, so that
    /// an edit that changes no measure reuses it).
    pub(crate) kept: Option<(crate::compose::Input, crate::compose::Composition)>,
    /// What the spread's last measuring passes found, piece by piece, so
    /// that an edit measures only the pieces it changed.
    pub(crate) measured: super::pieces::Kept,
    pub(super) photos: Arc<PhotoStore>,
    pub(super) screen_photos: Arc<PhotoStore>,
    /// Measuring passes kept on disk, beside the photo cache.
    pub(super) measure_cache: MeasureCache,
    /// Bounds each compile, when set.
    pub(super) watchdog: Option<Watchdog>,
    /// Lets Typst's memo of a measuring pass go once it is read (a single
    /// build).
    pub(super) one_shot: bool,
    /// The memo being let go, on a thread of its own while the composer
    /// works (3-5 ms); the next compile waits for it.
    pub(super) evicting: Option<std::thread::JoinHandle<()>>,
}

impl Typesetter {
    /// A typesetter over the given root, fonts, templates and photo rules.
    pub fn new(fonts: Arc<Fonts>, layouts: Layouts, root: Root, photos: Arc<PhotoStore>) -> Self {
        let cache = photos.options().cache_dir.as_ref();
        Self {
            world: BanmianWorld::new(fonts, layouts, root, "spread.typ"),
            proxies: HashMap::new(),
            kept: None,
            measured: Default::default(),
            screen_photos: Arc::new(photos.for_screen()),
            measure_cache: MeasureCache::new(cache.map(|dir| dir.join("measures"))),
            photos,
            watchdog: None,
            one_shot: false,
            evicting: None,
        }
    }

    /// The cache on disk of what measuring and composing found.
    pub(crate) fn cache(&self) -> &MeasureCache {
        &self.measure_cache
    }

    /// Whether this typesetter serves a single build: the memo of a
    /// measuring pass is then let go once it is read.
    pub fn set_one_shot(&mut self, one_shot: bool) {
        self.one_shot = one_shot;
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
            kept: None,
            measured: Default::default(),
            photos: self.photos.clone(),
            screen_photos: self.screen_photos.clone(),
            measure_cache: self.measure_cache.clone(),
            watchdog: self.watchdog.clone(),
            one_shot: self.one_shot,
            evicting: None,
        }
    }

    /// Whether this typesetter serves a single build.
    pub(crate) fn is_one_shot(&self) -> bool {
        self.one_shot
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

    /// Typesets a report with `main` as template, compiled once, with the
    /// report and the deck's content as its data.
    pub fn typeset(
        &mut self,
        loaded: &LoadedReport,
        main: &str,
        options: &TypesetOptions,
    ) -> Result<Typeset, Error> {
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
            self.finish(loaded, options, document, warnings, &slots, data, &[])
        })
    }

    /// Hands the report and its photo stand-ins to the world (with the
    /// deck's content for any template but the spread's, `deck`).
    pub(crate) fn load_data(
        &mut self,
        loaded: &LoadedReport,
        options: &TypesetOptions,
        slots: &[PhotoSlot],
        deck: bool,
    ) -> Bytes {
        let json = data::report_json(&loaded.report, options.pages, slots, deck);
        let data = Bytes::new(json);
        self.serve(data.clone(), slots);
        data
    }

    /// Serves `data` as the report, and the slots' photo stand-ins.
    pub(crate) fn serve(&mut self, data: Bytes, slots: &[PhotoSlot]) {
        self.world.set_file("report.json", data);
        self.proxies.clear();
        for (i, slot) in slots.iter().enumerate() {
            let proxy = PhotoStore::proxy(&slot.info, i);
            self.proxies
                .insert(typst::utils::hash128(proxy.as_slice()), i);
            self.world.set_file(&data::photo_path(i), proxy);
        }
    }

    /// Serves a file in the world's virtual package.
    pub(crate) fn set_file(&mut self, name: &str, bytes: Bytes) {
        self.world.set_file(name, bytes);
    }

    /// Compiles `main` as the world stands, with fonts checked for
    /// embedding.
    pub(crate) fn compile(
        &mut self,
        main: &str,
        options: &TypesetOptions,
    ) -> Result<(PagedDocument, Vec<SourceDiagnostic>), Error> {
        self.prepare(main, options);
        self.world.reset();
        if let Some(evicting) = self.evicting.take() {
            let _ = evicting.join();
        }
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

    /// A template's `geometry` pass: the one entry it leaves under `T`'s
    /// label, with an empty report (and the real options) as its data, so
    /// that the template's numbers are known before anything of the report
    /// is handed over. They depend on the templates and the options alone,
    /// so Typst's memo keeps them from one build to the next.
    pub(crate) fn geometry<T: Entry>(
        &mut self,
        main: &str,
        options: &TypesetOptions,
        deck: bool,
    ) -> Result<T, Error> {
        let empty = data::empty_report_json(options.pages, deck);
        self.world.set_file("report.json", Bytes::new(empty));
        let mode = br#"{"mode":"geometry"}"#.to_vec();
        self.world.set_file("plan.json", Bytes::new(mode));
        let (document, _) = self.compile(main, options).map_err(|err| match err {
            Error::Template(mut all) => {
                if let Some(first) = all.first_mut() {
                    first.hints.push(format!(
                        "this was the template's geometry pass: `plan.json` holds only `{{\"mode\": \"geometry\"}}` and `report.json` an empty report; the template is to leave its `<{}>` and nothing else needs to be drawn (see the documentation of `banmian::typeset::protocol`, version {})",
                        T::LABEL,
                        super::protocol::VERSION
                    ));
                }
                Error::Template(all)
            }
            other => other,
        })?;
        let reader = self.protocol(&document);
        let mut found = reader.entries::<T>()?;
        let count = found.len();
        match found.pop() {
            Some(entry) if count == 1 => Ok(entry.value),
            _ => Err(reader.missing::<T>(format!(
                "the template reported {count} of these in its geometry pass, not one"
            ))),
        }
    }

    /// Sets the world up to compile `main`: the main file and the date.
    pub(crate) fn prepare(&mut self, main: &str, options: &TypesetOptions) {
        self.world.set_main(main);
        if let Some(today) = options.today {
            self.world.set_today(today);
        }
    }

    /// A reader of the metadata a document compiled here holds.
    pub fn protocol<'a>(&'a self, document: &'a PagedDocument) -> Reader<'a> {
        Reader::new(&self.world, document)
    }

    /// Swaps in the final photos and gathers what the render learned.
    /// `left_off` names the photo slots the layout may leave unplaced (of
    /// stories the composer left off).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn finish(
        &mut self,
        loaded: &LoadedReport,
        options: &TypesetOptions,
        document: PagedDocument,
        warnings: Vec<SourceDiagnostic>,
        slots: &[PhotoSlot],
        data: Bytes,
        left_off: &[usize],
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
        let placed = self.place_photos(document, &proxies, slots, options, left_off);
        self.proxies = proxies;
        let (document, photos, images) = placed?;
        let mut notes: Vec<Diagnostic> =
            warnings.iter().map(|w| self.world.diagnostic(w)).collect();
        notes.extend(self.photo_warnings(loaded, &photos, options.medium)?);
        Ok(Typeset {
            document,
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
    pub(crate) fn print_options(&self) -> &crate::assets::photos::PhotoOptions {
        self.photos.options()
    }

    /// The print photo store.
    pub(crate) fn print_store(&self) -> Arc<PhotoStore> {
        self.photos.clone()
    }

    /// The photo store whose rules apply to a medium.
    pub(super) fn store(&self, medium: Medium) -> &Arc<PhotoStore> {
        match medium {
            Medium::Print => &self.photos,
            Medium::Screen => &self.screen_photos,
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
