//! `banmian watch`: one compiler kept alive, every requested output
//! re-made as soon as the report, a photo, a template or a font changes.
//!
//! - Exactly the files the last build read are watched (the report, photo
//!   sources, templates on disk, the font folders), through their folders,
//!   so that editors which save by renaming are seen too; events for any
//!   other file (our own outputs among them) are ignored.
//! - A save starts a rebuild as soon as it is whole: at once when the file
//!   is renamed into place or closed after writing; a file still being
//!   written is waited for (until its close, at most 50 ms), so a half
//!   file is not built. Events in the next 100 ms are batched into one
//!   follow-up rebuild (the debounce).
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
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher as _};

use banmian::build::{Builder, Job, Output, Product, Target, absolute};
use banmian::{Diagnostic, Error};

use super::args::WatchArgs;
use super::preview::{Preview, PreviewState};
use super::{Progress, print, setup, write};

/// Events this soon after the first are one edit.
const DEBOUNCE: Duration = Duration::from_millis(100);
/// How long a file still being written (no rename into place, no close
/// yet) is waited for before it is built: its close ends the wait, so a
/// save in place is built as soon as it is whole, and a writer that pauses
/// mid-file is not built half-written.
const SETTLE: Duration = Duration::from_millis(50);
/// A file that does not exist yet (a photo not yet copied in) is polled.
const POLL: Duration = Duration::from_millis(300);
/// Memo cache entries unused for this many compiles are evicted.
const MEMO_AGE: usize = 4;

/// Watches and rebuilds until interrupted.
pub fn run(args: &WatchArgs) -> Result<ExitCode, Error> {
    let mut job = setup::job(&args.common.report, &args.outputs)?;
    job.refusals(&args.common.report)?;
    let preview = match args.serve {
        true => {
            // The live preview shows every page and slide.
            job.outputs.push(Output::Previews);
            Some(Preview::start(args.port, &args.common.report)?)
        }
        false => None,
    };
    let (tx, rx) = channel();
    let watcher = notify::recommended_watcher(tx)
        .map_err(|err| Error::Setup(Diagnostic::error(format!("failed to watch files ({err})"))))?;
    let mut settings = setup::settings(&args.common);
    settings.one_shot = false;
    settings.watchdog = Some(setup::watchdog(&args.common, |diagnostic| {
        restart(&diagnostic)
    }));
    let layouts = settings.layouts.clone();
    let builder = Builder::new(settings);
    let font_dirs = builder.font_folders();
    let mut session = Session {
        job,
        builder,
        report: args.common.report.clone(),
        written: HashMap::new(),
        shown: HashMap::new(),
        watched_dirs: HashSet::new(),
        watcher,
        dependencies: HashSet::new(),
        font_dirs,
        preview,
        builds: 0,
    };
    match &args.stopped {
        // Started again after a template was stopped: what stopped it is
        // shown until an edit, and nothing is built before one.
        Some(message) => session.resume(message, layouts.as_deref()),
        None => session.rebuild("start"),
    }
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
        pending = session.drain(&rx, rest.max(Duration::from_millis(1)), false);
    }
}

/// The state kept between rebuilds.
struct Session {
    job: Job,
    /// Fonts, templates, photo caches and typesetters, kept alive.
    builder: Builder,
    report: PathBuf,
    /// The bytes last written to each output (shared with the build that
    /// made them, not copied): an output is rewritten only when its new
    /// bytes differ. Comparing them is some ten times faster than hashing
    /// them (a spread's PDF is megabytes) and never mistakes one for
    /// another; it keeps each output's bytes between builds.
    written: HashMap<PathBuf, Arc<Vec<u8>>>,
    /// Per preview image (`page-1.png`): the layout hash it shows.
    shown: HashMap<String, u128>,
    watched_dirs: HashSet<PathBuf>,
    watcher: notify::RecommendedWatcher,
    /// The files the last build read.
    dependencies: HashSet<PathBuf>,
    /// The font folders banmian reads (bundled and `--font-path`).
    font_dirs: Vec<PathBuf>,
    preview: Option<Preview>,
    builds: u64,
}

impl Session {
    /// Rebuilds everything and prints one line: what changed, what was
    /// rewritten, time per phase. Errors are printed, never returned.
    fn rebuild(&mut self, changed: &str) {
        self.builds += 1;
        let mut progress = Progress::new(true);
        // The report is watched even when the build fails before it reads
        // anything else (and what the last good build read stays watched).
        self.dependencies.insert(absolute(&self.report));
        let mut rewritten = Vec::new();
        let mut previews = HashSet::new();
        let (written, shown, preview) = (&mut self.written, &mut self.shown, &self.preview);
        let result = self.builder.build(&self.job, &mut |product| {
            let Product { target, bytes } = product;
            match target {
                Target::File(path) => {
                    let same = written.get(&path).is_some_and(|last| **last == *bytes);
                    if !same || !path.exists() {
                        write(&path, &bytes)?;
                        written.insert(path.clone(), bytes);
                        rewritten.push(path.display().to_string());
                    }
                }
                Target::Preview { name, hash } => {
                    if shown.get(&name) != Some(&hash)
                        && let Some(preview) = preview
                    {
                        preview.set_image(&name, bytes, hash);
                        shown.insert(name.clone(), hash);
                    }
                    previews.insert(name);
                }
            }
            Ok(())
        });
        // Evict after every compile, failed ones included.
        self.builder.evict(MEMO_AGE);
        match result {
            Ok(built) => {
                print(&built.diagnostics, false);
                progress.absorb(&built.timings);
                // Pages and slides that no longer exist.
                if let Some(preview) = &self.preview {
                    self.shown.retain(|name, _| {
                        let keep = previews.contains(name);
                        if !keep {
                            preview.remove_image(name);
                        }
                        keep
                    });
                }
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
                // Exactly what this build read, from now on.
                self.dependencies = built.dependencies.iter().map(|p| absolute(p)).collect();
                self.dependencies.insert(absolute(&self.report));
            }
            Err(error) => self.failed(changed, &error),
        }
        self.watch_dependencies();
    }

    /// After a restart: watches the report and the templates' folder, and
    /// shows why watch was started again.
    fn resume(&mut self, message: &str, layouts: Option<&Path>) {
        self.dependencies.insert(absolute(&self.report));
        if let Some(dir) = layouts
            && let Ok(entries) = std::fs::read_dir(dir)
        {
            let files = entries.flatten().map(|e| absolute(&e.path()));
            self.dependencies.extend(files);
        }
        if let Some(preview) = &self.preview {
            preview.publish(PreviewState::Broken {
                build: 0,
                error: message.to_owned(),
            });
        }
        self.watch_dependencies();
        eprintln!("[0] watching again: waiting for the next edit");
    }

    fn failed(&self, changed: &str, error: &Error) {
        let diagnostics = error.diagnostics();
        let lines: Vec<String> = diagnostics
            .iter()
            .map(|d| format!("{}: {d}", d.severity.name()))
            .collect();
        eprintln!(
            "[{}] {changed} changed: {}\n  (the last good outputs stay on disk; waiting for the next edit)",
            self.builds,
            lines.join("\n")
        );
        if let Some(preview) = &self.preview {
            let errors: Vec<String> = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(ToString::to_string)
                .collect();
            preview.publish(PreviewState::Broken {
                build: self.builds,
                error: errors.join("\n"),
            });
        }
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
    fn wait(&mut self, rx: &Receiver<notify::Result<notify::Event>>) -> Result<String, Error> {
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
                    return Err(Error::Setup(Diagnostic::error("the file watcher stopped")));
                }
            };
            if let Some((changed, saved)) = self.relevant(event) {
                // A save renamed into place, or a file closed after its
                // writing, is whole: built at once, with what else is
                // already queued. A file still being written is waited
                // for (until its close, at most SETTLE), so one save is
                // one rebuild.
                let wait = if saved { Duration::ZERO } else { SETTLE };
                let more = self.drain(rx, wait, true);
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

    /// Collects the relevant events arriving within `window`; with
    /// `until_saved`, only until a save is whole (a rename into place, a
    /// close after writing), and what is queued by then.
    fn drain(
        &mut self,
        rx: &Receiver<notify::Result<notify::Event>>,
        window: Duration,
        until_saved: bool,
    ) -> Option<String> {
        let mut deadline = Instant::now() + window;
        let mut changed: Vec<String> = Vec::new();
        // With no time left, only what is already queued is taken.
        while let Ok(event) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            let Some((name, saved)) = self.relevant(event) else {
                continue;
            };
            if !changed.contains(&name) {
                changed.push(name);
            }
            if saved && until_saved {
                deadline = Instant::now();
            }
        }
        (!changed.is_empty()).then(|| changed.join(", "))
    }

    /// The changed file's name when an event matters (a dependency was
    /// written, created, removed or renamed, or a font folder changed),
    /// and whether it says a save is whole: the file was renamed into
    /// place, or closed after writing.
    fn relevant(&mut self, event: notify::Result<notify::Event>) -> Option<(String, bool)> {
        use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
        let event = event.ok()?;
        let saved = matches!(
            event.kind,
            EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
                | EventKind::Access(AccessKind::Close(AccessMode::Write))
        );
        let matters = saved
            || matches!(
                event.kind,
                EventKind::Any
                    | EventKind::Create(_)
                    | EventKind::Remove(_)
                    | EventKind::Modify(
                        ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any
                    )
            );
        if !matters {
            return None;
        }
        let name = self.relevant_name(&event)?;
        Some((name, saved))
    }

    /// The name of the dependency or font an event is about, if any.
    fn relevant_name(&mut self, event: &notify::Event) -> Option<String> {
        for path in &event.paths {
            let path = absolute(path);
            if self.dependencies.contains(&path) {
                return Some(path.file_name().map_or(path.display().to_string(), |n| {
                    n.to_string_lossy().into_owned()
                }));
            }
            if banmian::assets::fonts::is_font_file(&path)
                && path
                    .parent()
                    .is_some_and(|dir| self.font_dirs.iter().any(|f| f == dir))
            {
                // New fonts: discover them again with the next build.
                self.builder.reset();
                return Some(format!("font {}", path.display()));
            }
        }
        None
    }
}

/// A compile ran past its bounds and cannot be stopped: says so, then
/// replaces this process by a new `watch` with the same arguments (the
/// runaway thread goes with the old one), which waits for the next edit.
/// The outputs on disk are the last good ones: an output being written is
/// an anonymous file until its rename, and a named one left behind is
/// swept by the next write.
fn restart(diagnostic: &Diagnostic) -> ! {
    eprintln!("error: {diagnostic}");
    eprintln!(
        "  (watch starts again and waits for the next edit; the last good outputs stay on disk)"
    );
    let message = format!("--stopped={diagnostic}");
    let mut args: Vec<std::ffi::OsString> = std::env::args_os()
        .skip(1)
        .filter(|a| !a.to_string_lossy().starts_with("--stopped="))
        .collect();
    args.push(message.into());
    let error = match std::env::current_exe() {
        #[cfg(unix)]
        Ok(exe) => {
            use std::os::unix::process::CommandExt as _;
            std::process::Command::new(exe).args(args).exec()
        }
        // Elsewhere the new watch is a child that outlives this process.
        #[cfg(not(unix))]
        Ok(exe) => match std::process::Command::new(exe).args(args).spawn() {
            Ok(_) => std::process::exit(0),
            Err(error) => error,
        },
        Err(error) => error,
    };
    eprintln!("error: failed to start watch again ({error})");
    std::process::exit(1)
}
