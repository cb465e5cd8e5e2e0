//! One build pipeline: a report and a [`Job`] in, files and findings out.
//!
//! ```text
//! Settings ─▶ Builder (fonts, templates, photo stores, typesetters kept alive)
//!                │ build(job)
//!                ├─ report: read, validate, glyphs and photos (every problem at once)
//!                ├─ spread: measure ▸ compose ▸ draw ─▶ preflight ─▶ PDF, proof, PNG
//!                └─ deck (its own thread and typesetter) ─▶ PDF + notes, PPTX, PNG
//! ```
//!
//! `banmian render` builds, then writes every file once the whole build
//! succeeded; `watch` keeps one [`Builder`] and writes the files whose
//! bytes changed as they come; `check` builds with [`Job::check_only`]
//! and writes nothing. Nothing here prints or writes.

pub mod dates;
mod job;
pub mod press;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use job::{Job, Output, OutputOptions, PdfStandard, SpreadFormat, absolute, notes_path};
pub use press::PressOptions;

use crate::assets::fonts::{FontOptions, Fonts};
use crate::assets::photos::{PhotoOptions, PhotoStore};
use crate::assets::root::Root;
use crate::deck::Deck;
use crate::export::{self, FinishOptions, PdfSettings};
use crate::preflight::ink::PageInk;
use crate::preflight::{self, LayoutReport};
use crate::report::{self, LoadedReport};
use crate::spread::{Spread, typeset_with};
use crate::typeset::bounds::Cells;
use crate::typeset::{Layouts, PageOptions, Pages, Paper, Typeset, TypesetOptions, Typesetter};
use crate::{Diagnostic, Error, Severity};

/// The least resolution of photos in previews (PNG pages and slides, the
/// live preview); the PDF always gets the final photos.
pub const PREVIEW_PPI: f64 = 72.0;

/// How a build is set up: the report, the root its files must stay in,
/// page and photo rules, fonts, templates and the photo cache.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The report file (.toml, .json, .yaml).
    pub report: PathBuf,
    /// The folder photo paths must stay inside; `None` is the report's.
    pub root: Option<PathBuf>,
    /// One page or a spread.
    pub pages: Pages,
    /// Paper size.
    pub paper: Paper,
    /// Target photo resolution.
    pub ppi: f64,
    /// Print photos below the hard limit with a warning.
    pub allow_low_ppi: bool,
    /// Where fonts come from.
    pub fonts: FontOptions,
    /// A folder of templates instead of the built-in ones.
    pub layouts: Option<PathBuf>,
    /// Where processed photos are kept; `None` keeps them in memory.
    pub cache_dir: Option<PathBuf>,
    /// Draw a marked box for each photo whose path is empty.
    pub placeholders: bool,
    /// Bounds each compile of a template in time and memory; `None`
    /// leaves compiles unbounded (a library user who cannot end the
    /// process on an overrun).
    pub watchdog: Option<crate::typeset::watchdog::Watchdog>,
    /// A single build (a command that renders once and ends): Typst's memo
    /// of the spread's measuring pass is let go once it is read, which
    /// lowers the peak memory by 7–14 MB and costs no time (the drawing
    /// pass sets the pieces at other sizes). A watch keeps it, for the
    /// next edit. Its font files are mapped, not read
    /// ([`FontOptions::mapped`]).
    pub one_shot: bool,
}

impl Settings {
    /// Settings for `report` with every rule at its default.
    pub fn new(report: impl Into<PathBuf>) -> Self {
        Self {
            report: report.into(),
            root: None,
            pages: Pages::default(),
            paper: Paper::default(),
            ppi: 300.0,
            allow_low_ppi: false,
            fonts: FontOptions::default(),
            layouts: None,
            cache_dir: None,
            placeholders: false,
            watchdog: None,
            one_shot: false,
        }
    }
}

/// A file a build made.
#[derive(Debug, Clone)]
pub struct Product {
    /// Where it goes.
    pub target: Target,
    /// Its bytes.
    pub bytes: Arc<Vec<u8>>,
}

/// Where a product goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A file on disk.
    File(PathBuf),
    /// A page or slide of the live preview (`page-1.png`, `slide-2.png`),
    /// with the hash of the layout it shows.
    Preview {
        /// Its name.
        name: String,
        /// Hash of its page's frame.
        hash: u128,
    },
}

/// What a good build learned beside its files.
#[derive(Debug, Default)]
pub struct Built {
    /// Warnings and notes; errors stop a build (in [`Error`]), except a
    /// check's, which are reported here with the layout they were found in.
    pub diagnostics: Vec<Diagnostic>,
    /// The spread's layout in numbers (holes, photos, jumps), when laid out.
    pub layout: Option<LayoutReport>,
    /// Each page's ink, when measured (`check`, and PDF/X).
    pub ink: Vec<PageInk>,
    /// How many pages the spread has (0 when not laid out).
    pub pages: usize,
    /// How many slides the deck has (0 when not laid out).
    pub slides: usize,
    /// The files the build read (the report, photos, templates on disk).
    pub dependencies: Vec<PathBuf>,
    /// Time per stage.
    pub timings: Vec<(&'static str, Duration)>,
}

/// The state kept between builds: fonts, templates and photo stores, and
/// the typesetters (with their caches) of the spread and the deck.
pub struct Builder {
    settings: Settings,
    ready: Option<Ready>,
    /// PNG pages of the last build, by frame hash and resolution: an
    /// unchanged page is not drawn again.
    pngs: PngCache,
    /// The plant's output profile and separated photos.
    press: press::PressCache,
}

/// What a loaded report is built with.
struct Ready {
    spread: Typesetter,
    /// The spread's last plan, and a typesetter to draw the next edit's
    /// pages with it while the spread's measures it (a builder kept for
    /// more than one build: a watch).
    ahead: Option<crate::spread::Ahead>,
    /// The deck's own typesetter (same fonts and stores), made on first use
    /// so that the deck can be laid out on another thread.
    deck: Option<Typesetter>,
    base: TypesetOptions,
}

impl Builder {
    /// A builder; fonts and templates are found on the first build.
    pub fn new(settings: Settings) -> Self {
        Self {
            settings,
            ready: None,
            pngs: HashMap::new(),
            press: press::PressCache::default(),
        }
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Drops what Typst's memo cache holds from more than `age` builds
    /// ago; a long-lived builder (a watch) calls it after every build,
    /// failed ones included, so that memory stays bounded.
    pub fn evict(&self, age: usize) {
        typst::comemo::evict(age);
    }

    /// The font folders a build reads, bundled and extra, as absolute paths
    /// (what a watch watches: a font added or removed there needs
    /// [`Builder::reset`]).
    pub fn font_folders(&self) -> Vec<PathBuf> {
        let fonts = &self.settings.fonts;
        let mut dirs: Vec<PathBuf> = fonts.extra.iter().map(|p| absolute(p)).collect();
        let bundled = fonts
            .bundled
            .clone()
            .or_else(crate::assets::fonts::default_bundled_dir);
        dirs.extend(bundled.map(|p| absolute(&p)));
        dirs
    }

    /// Forgets the fonts, templates and caches: the next build finds them
    /// again (after fonts were added or removed).
    pub fn reset(&mut self) {
        self.ready = None;
    }

    /// Builds `job` and hands each product to `sink` as soon as it is
    /// made: the spread's first (once it passed preflight), then the
    /// deck's, laid out meanwhile on another thread. A refusal, a problem
    /// in the report or pages unfit to print stop the build before any
    /// product.
    pub fn build(
        &mut self,
        job: &Job,
        sink: &mut dyn FnMut(Product) -> Result<(), Error>,
    ) -> Result<Built, Error> {
        job.refusals(&self.settings.report)?;
        let mut built = Built::default();
        let loaded = self.load(&mut built)?;
        if job.needs_deck() {
            crate::report::deck_plan::warm_up(&loaded.report);
        }
        let photos: Vec<PathBuf> = report::walk::photos(&loaded.report)
            .filter(|(_, photo)| !photo.path.is_empty())
            .map(|(_, photo)| loaded.folder().join(photo.path))
            .collect();
        job.overwrites(&photos)?;
        let ready = self.ready.as_mut().expect("made ready by load");
        let mut options = ready.base.clone();
        options.today = dates::datetime_from_iso(&loaded.report.masthead.date);
        options.pages.archival = job.options.pdf_standard == Some(PdfStandard::A2b);
        let pdfx = job.options.pdf_standard.and_then(PdfStandard::pdfx);
        // A check of PDF/X makes the photos, to measure their ink.
        options.measure_only = job.check_only && pdfx.is_none();
        let press = (job.check_only || pdfx.is_some())
            .then(|| {
                self.press
                    .store(&job.options.press, self.settings.cache_dir.as_deref())
            })
            .transpose()?;
        if job.previews() && !job.check_only {
            let ppi = f64::from(job.options.png_ppi);
            options.preview_ppi = Some(PREVIEW_PPI.max(ppi));
        }
        if job.needs_deck() && ready.deck.is_none() {
            ready.deck = Some(ready.spread.sibling());
        }
        let Ready {
            spread,
            ahead,
            deck,
            ..
        } = ready;
        let deck = deck.as_mut().filter(|_| job.needs_deck());
        // What the spread's grid holds, read once: the spread and the deck
        // both refuse a report far beyond it.
        // Photo headers are read meanwhile, for the check that follows.
        let cells =
            spread.with_photos_read(&loaded, |spread| crate::spread::cells(spread, &options))?;
        let cache = &self.pngs;
        let settings = &self.settings;
        let (spread_half, deck_half) = std::thread::scope(|scope| {
            if let Some(store) = press.as_deref() {
                let separation = store.separation();
                scope.spawn(move || separation.warm());
            }
            let deck_half = deck.map(|typesetter| {
                let (loaded, options, cells) = (&loaded, &options, &cells);
                scope.spawn(move || build_deck(typesetter, loaded, options, cells, job, cache))
            });
            let spread_half = match job.needs_spread() {
                true => {
                    let press = press.as_deref();
                    let cells = &cells;
                    build_spread(
                        spread, ahead, &loaded, &options, cells, job, settings, cache, press, sink,
                    )
                    .map(Some)
                }
                false => Ok(None),
            };
            let deck_half =
                deck_half.map(|h| h.join().unwrap_or_else(|panic| Err(panicked(&panic))));
            (spread_half, deck_half)
        });
        let mut next_pngs = HashMap::new();
        if let Some((spread, products, diagnostics)) = spread_half? {
            let typeset = &spread.typeset;
            built.pages = typeset.document.pages().len();
            built.layout = Some(preflight::layout_report(&loaded.report, &spread.plan));
            built.diagnostics.extend(diagnostics);
            built
                .dependencies
                .extend(typeset.dependencies.iter().cloned());
            built.timings.extend(typeset.timings.iter().copied());
            built.timings.extend(products.timings);
            built.ink = products.ink;
            next_pngs.extend(products.pngs);
        }
        if matches!(deck_half, Some(Err(Error::Internal(_)))) {
            // A typesetter whose thread panicked is not used again.
            if let Some(ready) = self.ready.as_mut() {
                ready.deck = None;
            }
        }
        let deck_half = match deck_half {
            // A check reports what stops the deck among its findings.
            Some(Err(Error::Report(problems))) if job.check_only => {
                built.diagnostics.extend(problems);
                None
            }
            other => other.transpose()?,
        };
        // What banmian derived for the deck, for review: from the deck's
        // own plan, or, where a check found the deck cannot be made,
        // planned again.
        match &deck_half {
            Some(half) => {
                let notes = preflight::derived(&loaded, &half.deck.plan);
                built.diagnostics.extend(notes);
            }
            None if job.needs_deck() => {
                let plan = crate::report::deck_plan::plan(&loaded.report);
                built.diagnostics.extend(preflight::derived(&loaded, &plan));
            }
            None => {}
        }
        if let Some(deck) = deck_half {
            let typeset = &deck.deck.typeset;
            built.slides = typeset.document.pages().len();
            built.diagnostics.extend(typeset.warnings.iter().cloned());
            built
                .dependencies
                .extend(typeset.dependencies.iter().cloned());
            built.timings.extend(deck.products.timings);
            for product in deck.products.files {
                sink(product)?;
            }
            next_pngs.extend(deck.products.pngs);
        }
        built.dependencies.push(self.settings.report.clone());
        self.pngs = next_pngs;
        Ok(built)
    }

    /// Reads and validates the report, and makes the builder ready for
    /// it; a report with problems is checked for glyphs and photos too, so
    /// that an editor sees every problem at once.
    fn load(&mut self, built: &mut Built) -> Result<LoadedReport, Error> {
        let started = Instant::now();
        let loaded = report::read(&self.settings.report)?;
        let problems = report::validate(&loaded);
        built.timings.push(("load", started.elapsed()));
        if self.settings.placeholders {
            built.diagnostics.extend(
                crate::assets::placeholder::notices(&loaded)
                    .into_iter()
                    .map(|d| d.with_severity(Severity::Warning)),
            );
        }
        let started = Instant::now();
        match self.get_ready(&loaded) {
            Ok(true) => built.timings.push(("fonts", started.elapsed())),
            Ok(false) => {}
            // A refused job is the command line's problem: it comes first.
            Err(error @ Error::Job(_)) => return Err(error),
            Err(error) if !problems.is_empty() => {
                let all = problems.into_iter().chain(error.diagnostics());
                return Err(Error::Report(all.collect()));
            }
            Err(error) => return Err(error),
        }
        if problems.is_empty() {
            return Ok(loaded);
        }
        let ready = self.ready.as_ref().expect("made ready above");
        Err(Error::Report(match ready.spread.check(&loaded) {
            Err(Error::Report(more)) => problems.into_iter().chain(more).collect(),
            _ => problems,
        }))
    }

    /// Finds fonts, templates and photo rules for a report, once; returns
    /// whether it did now.
    fn get_ready(&mut self, loaded: &LoadedReport) -> Result<bool, Error> {
        if self.ready.is_some() {
            return Ok(false);
        }
        let settings = &self.settings;
        let root = root_for(settings, loaded)?;
        let cache = settings.cache_dir.as_ref().map(|dir| dir.join("fonts"));
        // A single build maps its fonts; a watch reads them.
        let options = FontOptions {
            mapped: settings.one_shot,
            ..settings.fonts.clone()
        };
        let fonts = Fonts::discover_in(&options, cache.as_deref());
        if fonts.is_empty() {
            return Err(Error::Setup(Diagnostic::error("no fonts found").with_hint(
                "keep the `fonts/` folder next to banmian, or set BANMIAN_FONTS",
            )));
        }
        let photos = PhotoStore::new(PhotoOptions {
            target_ppi: settings.ppi,
            allow_low_ppi: settings.allow_low_ppi,
            cache_dir: settings.cache_dir.clone(),
            placeholders: settings.placeholders,
            ..PhotoOptions::default()
        });
        let layouts = Layouts::discover(settings.layouts.as_deref());
        let fonts = Arc::new(fonts);
        fonts.preload();
        let mut spread = Typesetter::new(fonts, layouts, root, Arc::new(photos));
        spread.set_watchdog(settings.watchdog.clone());
        spread.set_one_shot(settings.one_shot);
        let base = TypesetOptions {
            pages: PageOptions {
                paper: settings.paper,
                pages: settings.pages,
                ppi: settings.ppi.round() as u32,
                archival: false,
            },
            today: None,
            measure_only: false,
            medium: Default::default(),
            preview_ppi: None,
            proof: false,
        };
        self.ready = Some(Ready {
            spread,
            ahead: None,
            deck: None,
            base,
        });
        Ok(true)
    }
}

/// A panic on the deck's thread as an error, with its message.
fn panicked(panic: &(dyn std::any::Any + Send)) -> Error {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    Error::Internal(format!("the deck's thread panicked: {message}"))
}

/// What the spread's half of a build made: products handed on, and the
/// PNGs drawn (kept for the next build).
#[derive(Default)]
struct Products {
    files: Vec<Product>,
    ink: Vec<PageInk>,
    pngs: PngCache,
    timings: Vec<(&'static str, Duration)>,
}

/// The spread: typeset, preflight, then its products into `sink`.
#[allow(clippy::too_many_arguments)]
fn build_spread(
    typesetter: &mut Typesetter,
    ahead_slot: &mut Option<crate::spread::Ahead>,
    loaded: &LoadedReport,
    options: &TypesetOptions,
    cells: &Cells,
    job: &Job,
    settings: &Settings,
    cache: &PngCache,
    press: Option<&crate::assets::separated::SeparatedStore>,
    sink: &mut dyn FnMut(Product) -> Result<(), Error>,
) -> Result<(Spread, Products, Vec<Diagnostic>), Error> {
    let standard = job.options.pdf_standard;
    let pdf_settings = pdf_settings(job, settings, loaded);
    let finishing = FinishOptions {
        marks: job.options.marks,
    };
    // The spread's PDF, made ahead with the pages when they are drawn
    // ahead (a watch); PDF/X is made from pages prepared for the plant.
    let make_pdf = |typeset: &Typeset| export::print_pdf(typeset, &pdf_settings, finishing);
    let spread_pdf = job.outputs.iter().any(|o| matches!(o, Output::Spread(_)));
    let make_pdf = (spread_pdf && standard.and_then(PdfStandard::pdfx).is_none())
        .then_some(&make_pdf as crate::spread::Export<'_>);
    let (spread, mut ahead) = match job.needs_deck() {
        // The deck is laid out meanwhile, on the other core: no core is
        // free to draw ahead on (it made an edit some 4 % faster there).
        true => (typeset_with(typesetter, loaded, options, cells)?, None),
        false => {
            crate::spread::typeset_ahead(typesetter, ahead_slot, loaded, options, cells, make_pdf)?
        }
    };
    let mut findings = preflight::review(loaded, &spread);
    let typeset = &spread.typeset;
    let started = Instant::now();
    let (prepared, ink) = press::spread(loaded, typeset, job, press, &mut findings)?;
    let mut products = Products {
        ink,
        ..Products::default()
    };
    if press.is_some() {
        products.timings.push(("press", started.elapsed()));
    }
    // A check reports what it found, errors included, with the layout.
    let unfit = findings.iter().any(Diagnostic::is_error);
    if unfit && !job.check_only && !job.options.allow_overset {
        return Err(Error::Unfit(findings));
    }
    if job.check_only {
        // A check writes only the Typst project: the pages it found.
        for output in &job.outputs {
            if let Output::TypstProject(dir) = output {
                typst_project(dir, typeset, settings, sink)?;
            }
        }
        return Ok((spread, products, findings));
    }
    // A proof shows the reserved areas as keyline frames; print leaves
    // them blank, so the pages are drawn a second time for proofs.
    let keylines = !loaded.report.reserved.is_empty()
        && job.outputs.iter().any(|o| {
            matches!(
                o,
                Output::Proof(_) | Output::SpreadPng(_) | Output::Previews
            )
        });
    let proof = match keylines {
        true => {
            let options = TypesetOptions {
                proof: true,
                ..options.clone()
            };
            Some(typeset_with(typesetter, loaded, &options, cells)?.typeset)
        }
        false => None,
    };
    let shown = proof.as_ref().unwrap_or(typeset);
    let ppi = job.options.png_ppi;
    for output in &job.outputs {
        let started = Instant::now();
        match output {
            Output::Spread(path) => {
                let pdf = match (&prepared, standard.and_then(PdfStandard::pdfx), press) {
                    (Some(prepared), Some(x), Some(store)) => export::pdfx_pdf(
                        &prepared.document,
                        &prepared.images,
                        &pdf_settings,
                        finishing,
                        x,
                        store.separation(),
                    )?,
                    // Made ahead, or now.
                    _ => match ahead.take() {
                        Some(pdf) => pdf,
                        None => export::print_pdf(typeset, &pdf_settings, finishing)?,
                    },
                };
                // The proof is made from the finished PDF: it shows each
                // page to its trim (with the reserved areas' keylines).
                let proof = job.outputs.iter().find_map(|o| match o {
                    Output::Proof(path) => Some(path),
                    _ => None,
                });
                let proof = proof.map(|p| {
                    let shown = match keylines {
                        true => export::print_pdf(shown, &pdf_settings, finishing)?,
                        false => pdf.clone(),
                    };
                    export::proof(&shown).map(|b| (p, b))
                });
                sink(file(path, pdf))?;
                if let Some((path, bytes)) = proof.transpose()? {
                    sink(file(path, bytes))?;
                }
                products.timings.push(("pdf", started.elapsed()));
            }
            Output::SpreadPng(dir) => {
                for png in pngs(shown, "page", ppi, cache, &mut products.pngs)? {
                    sink(png.into_file(dir))?;
                }
                products.timings.push(("png", started.elapsed()));
            }
            Output::Previews => {
                for png in pngs(shown, "page", ppi, cache, &mut products.pngs)? {
                    sink(png.into_preview())?;
                }
                products.timings.push(("png", started.elapsed()));
            }
            Output::TypstProject(dir) => typst_project(dir, typeset, settings, sink)?,
            // The proof is written with the spread's PDF; the deck's
            // outputs are made by the deck.
            Output::Proof(_) | Output::DeckPdf(_) | Output::DeckPptx(_) | Output::DeckPng(_) => {}
        }
    }
    Ok((spread, products, findings))
}

/// How the spread's PDF is written: its date, identifier and standard.
fn pdf_settings(job: &Job, settings: &Settings, loaded: &LoadedReport) -> PdfSettings {
    let standard = job.options.pdf_standard;
    PdfSettings {
        // PDF/A and PDF/X need a date: without SOURCE_DATE_EPOCH, the report's.
        timestamp: job
            .options
            .source_date_epoch
            .and_then(dates::datetime_from_epoch)
            .or_else(|| {
                standard
                    .is_some()
                    .then(|| dates::datetime_from_iso(&loaded.report.masthead.date))
                    .flatten()
            }),
        ident: Some(format!("banmian:{}", settings.report.display())),
        pdf_a: standard == Some(PdfStandard::A2b),
    }
}

/// Hands on the files of the spread's Typst project, in `dir`.
fn typst_project(
    dir: &Path,
    typeset: &Typeset,
    settings: &Settings,
    sink: &mut dyn FnMut(Product) -> Result<(), Error>,
) -> Result<(), Error> {
    let fonts = settings
        .fonts
        .bundled
        .clone()
        .or_else(crate::assets::fonts::default_bundled_dir);
    let files = export::typst_project::files(typeset, &settings.report, fonts.as_deref());
    for (name, bytes) in files {
        sink(file(&dir.join(name), bytes.to_vec()))?;
    }
    Ok(())
}

/// The deck as its thread made it: laid out, and its products.
struct DeckHalf {
    deck: Deck,
    products: Products,
}

/// The deck: laid out, then its products (all on the deck's thread, while
/// the spread is made on the other).
fn build_deck(
    typesetter: &mut Typesetter,
    loaded: &LoadedReport,
    options: &TypesetOptions,
    cells: &Cells,
    job: &Job,
    cache: &PngCache,
) -> Result<DeckHalf, Error> {
    let started = Instant::now();
    let mut options = options.clone();
    // The deck is never archival: PDF/A applies to the spread.
    options.pages.archival = false;
    let deck = crate::deck::build(typesetter, loaded, &options, cells)?;
    let laid_out = started.elapsed();
    let started = Instant::now();
    let mut products = match job.check_only {
        true => Products::default(),
        false => deck_products(&deck, loaded, job, cache)?,
    };
    products.timings.insert(0, ("deck layout", laid_out));
    if !job.check_only {
        products.timings.push(("deck", started.elapsed()));
    }
    Ok(DeckHalf { deck, products })
}

/// The deck's products: PDF (and notes), PPTX, PNG slides, previews.
fn deck_products(
    deck: &Deck,
    loaded: &LoadedReport,
    job: &Job,
    cache: &PngCache,
) -> Result<Products, Error> {
    let epoch = job.options.source_date_epoch;
    let ppi = job.options.png_ppi;
    let mut products = Products::default();
    for output in &job.outputs {
        match output {
            Output::DeckPdf(path) => {
                let settings = PdfSettings {
                    timestamp: epoch.and_then(dates::datetime_from_epoch),
                    ident: Some(format!("banmian-deck:{}", loaded.path.display())),
                    pdf_a: false,
                };
                products
                    .files
                    .push(file(path, export::pdf(&deck.typeset, &settings)?));
                if job.options.notes {
                    let name = path
                        .file_name()
                        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
                    let notes = deck.pdfpc(&name).into_bytes();
                    products.files.push(file(&notes_path(path), notes));
                }
            }
            Output::DeckPptx(path) => {
                let modified = dates::w3cdtf(epoch, &loaded.report.masthead.date);
                products
                    .files
                    .push(file(path, deck.pptx(loaded, Some(modified))?));
            }
            Output::DeckPng(dir) => {
                let slides = pngs(&deck.typeset, "slide", ppi, cache, &mut products.pngs)?;
                products
                    .files
                    .extend(slides.into_iter().map(|png| png.into_file(dir)));
            }
            Output::Previews => {
                let slides = pngs(&deck.typeset, "slide", ppi, cache, &mut products.pngs)?;
                products
                    .files
                    .extend(slides.into_iter().map(Png::into_preview));
            }
            // The spread's outputs are made by the spread.
            Output::Spread(_)
            | Output::SpreadPng(_)
            | Output::Proof(_)
            | Output::TypstProject(_) => {}
        }
    }
    Ok(products)
}

fn file(path: &Path, bytes: impl Into<Arc<Vec<u8>>>) -> Product {
    Product {
        target: Target::File(path.to_owned()),
        bytes: bytes.into(),
    }
}

/// PNGs of pages by frame hash and resolution.
type PngCache = HashMap<(u128, u32), Arc<Vec<u8>>>;

/// A page or slide as PNG.
struct Png {
    /// `page-1.png`, `slide-2.png`.
    name: String,
    /// Hash of the page's frame.
    hash: u128,
    bytes: Arc<Vec<u8>>,
}

impl Png {
    /// A file in `dir`.
    fn into_file(self, dir: &Path) -> Product {
        file(&dir.join(self.name), self.bytes)
    }

    /// A page of the live preview.
    fn into_preview(self) -> Product {
        Product {
            target: Target::Preview {
                name: self.name,
                hash: self.hash,
            },
            bytes: self.bytes,
        }
    }
}

/// Every page as `{kind}-N.png`; a page drawn by the last build (`cache`)
/// or this one (`drawn`) at the same resolution is not drawn again.
fn pngs(
    typeset: &Typeset,
    kind: &str,
    ppi: f32,
    cache: &PngCache,
    drawn: &mut PngCache,
) -> Result<Vec<Png>, Error> {
    let mut out = Vec::new();
    for (i, page) in typeset.document.pages().iter().enumerate() {
        let hash = typst::utils::hash128(&page.frame);
        let key = (hash, ppi.to_bits());
        let bytes = match drawn.get(&key).or_else(|| cache.get(&key)) {
            Some(png) => png.clone(),
            None => Arc::new(export::png_page(page, ppi)?),
        };
        drawn.insert(key, bytes.clone());
        out.push(Png {
            name: format!("{kind}-{}.png", i + 1),
            hash,
            bytes,
        });
    }
    Ok(out)
}

/// The render root: the settings', else the report's folder. The report
/// itself must lie inside it.
fn root_for(settings: &Settings, loaded: &LoadedReport) -> Result<Root, Error> {
    let dir = settings
        .root
        .clone()
        .unwrap_or_else(|| loaded.folder().into());
    let root = Root::new(&dir).map_err(|err| {
        Error::Job(Diagnostic::error(format!(
            "failed to open the root {} ({err})",
            dir.display()
        )))
    })?;
    let report = settings.report.canonicalize().map_err(|source| Error::Io {
        action: "read",
        path: settings.report.clone(),
        source,
    })?;
    if !root.contains(&report) {
        return Err(Error::Job(
            Diagnostic::error(format!(
                "the report {} lies outside the root {}",
                settings.report.display(),
                root.path().display()
            ))
            .with_hint("pass a --root that contains it"),
        ));
    }
    Ok(root)
}
