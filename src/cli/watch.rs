//! `banmian watch`: one compiler kept alive, every requested output
//! re-made as soon as the report, a photo, a template or a font changes.
//!
//! - Exactly the files the last build read are watched (the report, photo
//!   sources, templates on disk, the font folders), through their folders,
//!   so that editors which save by renaming are seen too; events for any
//!   other file (our own outputs among them) are ignored.
//! - The first event starts a rebuild at once; events in the next 100 ms
//!   are batched into one follow-up rebuild (the debounce).
//! - A broken edit prints its error with file:line:column and a hint and
//!   leaves the last good outputs on disk; watch never exits on one.
//! - Only outputs whose bytes changed are rewritten, and PNG previews only
//!   for pages whose layout changed.
//! - After every compile, failed ones included, Typst's memo cache is
//!   evicted of what the last few compiles did not use, so memory stays
//!   flat over hundreds of edits.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher as _};

use banmian::export::{self, FinishOptions, PdfSettings};
use banmian::typeset::Typeset;

use super::args::WatchArgs;
use super::deck::{deck_bytes, lay_out};
use super::preview::{Preview, PreviewState};
use super::render::{preflight_gate, write};
use super::setup::{self, Setup};
use super::{CliError, Progress};

/// Events this soon after the first are one edit.
const DEBOUNCE: Duration = Duration::from_millis(100);
/// A file that does not exist yet (a photo not yet copied in) is polled.
const POLL: Duration = Duration::from_millis(300);
/// Memo cache entries unused for this many compiles are evicted.
const MEMO_AGE: usize = 4;

/// Watches and rebuilds until interrupted.
pub fn run(args: &WatchArgs) -> Result<ExitCode, CliError> {
    let outputs = Outputs::from_args(args)?;
    let preview = match args.serve {
        true => Some(Preview::start(args.port, &args.common.report)?),
        false => None,
    };
    let (tx, rx) = channel();
    let watcher = notify::recommended_watcher(tx)
        .map_err(|err| CliError::Usage(format!("failed to watch files ({err})")))?;
    let mut session = Session {
        args,
        outputs,
        setup: None,
        written: HashMap::new(),
        pages: HashMap::new(),
        watched_dirs: HashSet::new(),
        watcher,
        dependencies: HashSet::new(),
        font_dirs: font_dirs(args),
        preview,
        builds: 0,
    };
    session.rebuild("start");
    let mut pending: Option<String> = None;
    loop {
        let changed = match pending.take() {
            Some(changed) => changed,
            None => session.wait(&rx)?,
        };
        let started = Instant::now();
        session.rebuild(&changed);
        // At most one rebuild per DEBOUNCE: what changed while we built (or
        // until DEBOUNCE after the build started) is one more rebuild.
        let rest = DEBOUNCE.saturating_sub(started.elapsed());
        pending = session.drain(&rx, rest.max(Duration::from_millis(1)));
    }
}

/// The files a build writes.
struct Outputs {
    pdf: PathBuf,
    decks: Vec<PathBuf>,
    png: Option<PathBuf>,
}

impl Outputs {
    fn from_args(args: &WatchArgs) -> Result<Self, CliError> {
        super::deck::check_formats(&args.deck)?;
        let pdf = args.output.clone().unwrap_or_else(|| {
            let stem = args.common.report.file_stem().unwrap_or_default();
            PathBuf::from(stem).with_extension("pdf")
        });
        let outputs = Self {
            pdf,
            decks: args.deck.clone(),
            png: args.png.clone(),
        };
        let report = absolute(&args.common.report);
        if outputs.files().any(|f| absolute(f) == report) {
            return Err(CliError::Usage(
                "an output would overwrite the report\n  hint: name the outputs differently".into(),
            ));
        }
        Ok(outputs)
    }

    fn files(&self) -> impl Iterator<Item = &PathBuf> {
        std::iter::once(&self.pdf).chain(&self.decks)
    }
}

/// The state kept between rebuilds.
struct Session<'a> {
    args: &'a WatchArgs,
    outputs: Outputs,
    /// The typesetter (fonts, world, photo caches); `None` until a report
    /// has loaded, or after fonts changed.
    setup: Option<Setup>,
    /// Hash of the bytes last written to each output.
    written: HashMap<PathBuf, u128>,
    /// Per preview file (`page-1.png`): the layout hash it shows.
    pages: HashMap<String, u128>,
    watched_dirs: HashSet<PathBuf>,
    watcher: notify::RecommendedWatcher,
    /// The files the last build read.
    dependencies: HashSet<PathBuf>,
    /// The font folders banmian reads (bundled and `--font-path`).
    font_dirs: Vec<PathBuf>,
    preview: Option<Preview>,
    builds: u64,
}

/// What a good build made, before it is written.
struct Built {
    /// Outputs already rewritten (the spread PDF).
    rewritten: Vec<String>,
    spread: Typeset,
    files: Vec<(PathBuf, Vec<u8>)>,
    deck: Option<banmian::deck::Deck>,
}

impl Session<'_> {
    /// Rebuilds everything and prints one line: what changed, what was
    /// rewritten, time per phase. Errors are printed, never returned.
    fn rebuild(&mut self, changed: &str) {
        self.builds += 1;
        let mut progress = Progress::new(true);
        let result = self.build(&mut progress);
        // Evict after every compile, failed ones included.
        typst::comemo::evict(MEMO_AGE);
        match result {
            Ok(built) => match self.write(built, &mut progress) {
                Ok(rewritten) => {
                    let what = if rewritten.is_empty() {
                        "nothing rewritten (same bytes)".to_owned()
                    } else {
                        format!("wrote {}", rewritten.join(", "))
                    };
                    eprintln!(
                        "[{}] {changed} changed: {what} in {}",
                        self.builds,
                        progress.summary()
                    );
                    if let Some(preview) = &self.preview {
                        preview.publish(PreviewState::Good { build: self.builds });
                    }
                }
                Err(error) => self.failed(changed, &error),
            },
            Err(error) => self.failed(changed, &error),
        }
        self.watch_dependencies();
    }

    fn failed(&self, changed: &str, error: &CliError) {
        let message = match error {
            CliError::Input(error) => error.to_string(),
            CliError::Usage(message) => message.clone(),
        };
        let message = message.trim_start_matches("error: ").to_owned();
        eprintln!(
            "[{}] {changed} changed: error: {message}\n  (the last good outputs stay on disk; waiting for the next edit)",
            self.builds
        );
        if let Some(preview) = &self.preview {
            preview.publish(PreviewState::Broken {
                build: self.builds,
                error: message,
            });
        }
    }

    /// Loads the report and lays out everything, in memory.
    fn build(&mut self, progress: &mut Progress) -> Result<Built, CliError> {
        let common = &self.args.common;
        // The report is watched even when the build fails before it reads
        // anything else (and what the last good build read stays watched).
        self.dependencies.insert(absolute(&common.report));
        let started = Instant::now();
        match &mut self.setup {
            Some(setup) => {
                setup.loaded = banmian::report::load(&common.report)?;
                setup.options.today =
                    banmian::datetime_from_iso(&setup.loaded.report.masthead.date);
                progress.phase("load", started);
            }
            None => {
                let mut setup = setup::prepare(common, progress)?;
                // Previews (PNG files, the live preview) show the photos.
                if self.outputs.png.is_some() || self.preview.is_some() {
                    let ppi = f64::from(self.args.png_ppi);
                    setup.options.preview_ppi = Some(setup::PREVIEW_PPI.max(ppi));
                }
                self.setup = Some(setup);
            }
        }
        let setup = self.setup.as_mut().expect("set up above");
        let started = Instant::now();
        let spread = setup
            .typesetter
            .typeset(&setup.loaded, "spread.typ", &setup.options)?;
        let mut dependencies = spread.dependencies.clone();
        progress.stages(&spread, started);
        preflight_gate(&setup.loaded, &spread, self.args.allow_overset, false)?;
        let started = Instant::now();
        let epoch = self.args.source_date_epoch;
        let settings = PdfSettings {
            timestamp: epoch.and_then(banmian::datetime_from_epoch),
            ident: Some(format!("banmian:{}", common.report.display())),
            pdf_a: false,
        };
        let marks = self.args.marks;
        let pdf = export::print_pdf(&spread, &settings, FinishOptions { marks })?;
        // The spread goes to disk first: it is what an editor waits for.
        let mut rewritten = Vec::new();
        if write_if_changed(&mut self.written, &self.outputs.pdf, &pdf)? {
            rewritten.push(self.outputs.pdf.display().to_string());
        }
        let mut files = Vec::new();
        progress.phase("pdf", started);

        let deck = if self.outputs.decks.is_empty() && self.preview.is_none() {
            None
        } else {
            let started = Instant::now();
            let deck = lay_out(setup)?;
            dependencies.extend(deck.typeset.dependencies.iter().cloned());
            for file in &self.outputs.decks {
                files.push((file.clone(), deck_bytes(&deck, file, &setup.loaded, epoch)?));
            }
            progress.phase("deck", started);
            Some(deck)
        };
        // Exactly what this build read, from now on.
        self.dependencies = dependencies.iter().map(|p| absolute(p)).collect();
        self.dependencies.insert(absolute(&common.report));
        Ok(Built {
            spread,
            files,
            deck,
            rewritten,
        })
    }

    /// Writes the outputs whose bytes changed, then the previews of pages
    /// whose layout changed. Returns what was rewritten.
    fn write(&mut self, built: Built, progress: &mut Progress) -> Result<Vec<String>, CliError> {
        let started = Instant::now();
        let mut rewritten = built.rewritten;
        for (path, bytes) in &built.files {
            if write_if_changed(&mut self.written, path, bytes)? {
                rewritten.push(path.display().to_string());
            }
        }
        progress.phase("write", started);
        let started = Instant::now();
        let mut images = 0;
        let ppi = self.args.png_ppi;
        let documents = [
            ("page", Some(&built.spread.document)),
            ("slide", built.deck.as_ref().map(|d| &d.typeset.document)),
        ];
        for (kind, document) in documents {
            let Some(document) = document else { continue };
            for (i, page) in document.pages().iter().enumerate() {
                let name = format!("{kind}-{}.png", i + 1);
                let hash = typst::utils::hash128(&page.frame);
                if self.pages.get(&name) == Some(&hash) {
                    continue;
                }
                let png = export::png_page(page, ppi)?;
                if let Some(dir) = &self.outputs.png {
                    write(&dir.join(&name), &png)?;
                }
                if let Some(preview) = &self.preview {
                    preview.set_image(&name, png, hash);
                }
                self.pages.insert(name, hash);
                images += 1;
            }
            // Pages that no longer exist.
            let count = document.pages().len();
            let stale: Vec<String> = self
                .pages
                .keys()
                .filter(|n| n.starts_with(kind) && page_number(n).is_some_and(|k| k > count))
                .cloned()
                .collect();
            for name in stale {
                self.pages.remove(&name);
                if let Some(preview) = &self.preview {
                    preview.remove_image(&name);
                }
            }
        }
        if images > 0 {
            rewritten.push(format!(
                "{images} preview{}",
                if images == 1 { "" } else { "s" }
            ));
            progress.phase("png", started);
        }
        Ok(rewritten)
    }

    /// Watches the folders of the files the last build read.
    fn watch_dependencies(&mut self) {
        let mut dirs: HashSet<PathBuf> = self
            .dependencies
            .iter()
            .filter_map(|p| p.parent().map(Path::to_path_buf))
            .collect();
        dirs.extend(self.font_dirs.iter().cloned());
        for dir in dirs.iter().filter(|d| d.is_dir()) {
            if !self.watched_dirs.contains(dir)
                && self.watcher.watch(dir, RecursiveMode::NonRecursive).is_ok()
            {
                self.watched_dirs.insert(dir.clone());
            }
        }
        let gone: Vec<PathBuf> = self.watched_dirs.difference(&dirs).cloned().collect();
        for dir in gone {
            let _ = self.watcher.unwatch(&dir);
            self.watched_dirs.remove(&dir);
        }
    }

    /// Blocks until a watched file changes; returns a description of it.
    fn wait(&mut self, rx: &Receiver<notify::Result<notify::Event>>) -> Result<String, CliError> {
        loop {
            let missing = self.dependencies.iter().any(|p| !p.exists());
            let event = match rx.recv_timeout(if missing {
                POLL
            } else {
                Duration::from_secs(3600)
            }) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => {
                    if missing && self.dependencies.iter().all(|p| p.exists()) {
                        return Ok("a missing file".into());
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(CliError::Usage("the file watcher stopped".into()));
                }
            };
            if let Some(changed) = self.relevant(event) {
                // A short settle, so one save is one rebuild.
                let more = self.drain(rx, Duration::from_millis(2));
                return Ok(more.map_or(changed.clone(), |m| {
                    if m == changed {
                        changed
                    } else {
                        format!("{changed}, {m}")
                    }
                }));
            }
        }
    }

    /// Collects the relevant events arriving within `window`.
    fn drain(
        &mut self,
        rx: &Receiver<notify::Result<notify::Event>>,
        window: Duration,
    ) -> Option<String> {
        let deadline = Instant::now() + window;
        let mut changed: Vec<String> = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(event) => {
                    if let Some(name) = self.relevant(event)
                        && !changed.contains(&name)
                    {
                        changed.push(name);
                    }
                }
                Err(_) => break,
            }
        }
        (!changed.is_empty()).then(|| changed.join(", "))
    }

    /// The changed file's name when an event matters: a dependency was
    /// written, created, removed or renamed, or a font folder changed.
    fn relevant(&mut self, event: notify::Result<notify::Event>) -> Option<String> {
        let event = event.ok()?;
        let matters = matches!(
            event.kind,
            EventKind::Any
                | EventKind::Create(_)
                | EventKind::Remove(_)
                | EventKind::Modify(
                    notify::event::ModifyKind::Data(_)
                        | notify::event::ModifyKind::Name(_)
                        | notify::event::ModifyKind::Any
                )
        );
        if !matters {
            return None;
        }
        for path in &event.paths {
            let path = absolute(path);
            if self.dependencies.contains(&path) {
                return Some(path.file_name().map_or(path.display().to_string(), |n| {
                    n.to_string_lossy().into_owned()
                }));
            }
            let is_font = path.extension().is_some_and(|e| {
                matches!(
                    e.to_string_lossy().to_ascii_lowercase().as_str(),
                    "ttf" | "otf" | "ttc" | "otc"
                )
            });
            if is_font
                && path
                    .parent()
                    .is_some_and(|dir| self.font_dirs.iter().any(|f| f == dir))
            {
                // New fonts: discover them again with the next build.
                self.setup = None;
                return Some(format!("font {}", path.display()));
            }
        }
        None
    }
}

/// Writes `bytes` to `path` unless the same bytes were last written there
/// (and are still there). Returns whether it wrote.
fn write_if_changed(
    written: &mut HashMap<PathBuf, u128>,
    path: &Path,
    bytes: &[u8],
) -> Result<bool, CliError> {
    let hash = typst::utils::hash128(bytes);
    if written.get(path) == Some(&hash) && path.exists() {
        return Ok(false);
    }
    write(path, bytes)?;
    written.insert(path.to_path_buf(), hash);
    Ok(true)
}

/// The font folders banmian reads (bundled and `--font-path`), whose
/// changes make the next build discover fonts again.
fn font_dirs(args: &WatchArgs) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = args.common.font_paths.iter().map(|p| absolute(p)).collect();
    dirs.extend(banmian::assets::fonts::default_bundled_dir().map(|p| absolute(&p)));
    dirs
}

/// `page-3.png` → 3.
fn page_number(name: &str) -> Option<usize> {
    name.rsplit_once('-')?.1.strip_suffix(".png")?.parse().ok()
}

/// A path made absolute (and canonical where it exists), to compare with
/// the paths file events carry.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    let joined = std::env::current_dir().map_or_else(|_| path.to_path_buf(), |cwd| cwd.join(path));
    match (
        joined.parent().and_then(|p| p.canonicalize().ok()),
        joined.file_name(),
    ) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => joined,
    }
}
