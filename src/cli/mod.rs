//! The command line: one file per subcommand over the library.

pub mod args;
pub mod check;
pub mod deck;
pub mod import;
pub mod preview;
pub mod render;
pub mod setup;
pub mod watch;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use banmian::{Diagnostic, Error, Severity};

/// Prints diagnostics on standard error, `severity: place: message`;
/// notes only when `notes`.
pub fn print(diagnostics: &[Diagnostic], notes: bool) {
    for diagnostic in diagnostics {
        if diagnostic.severity != Severity::Note || notes {
            eprintln!("{}: {diagnostic}", diagnostic.severity.name());
        }
    }
}

/// Prints what stopped a command and picks its exit status: 2 when the
/// command line asked for something that cannot be done, else 1.
pub fn fail(error: &Error) -> ExitCode {
    print(&error.diagnostics(), true);
    match error {
        Error::Job(_) => ExitCode::from(2),
        _ => ExitCode::from(1),
    }
}

/// Writes an output atomically. Before the first write into a folder,
/// the temporary files a killed run left there are swept away.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    static SWEPT: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut swept = SWEPT.lock().unwrap_or_else(|e| e.into_inner());
    if !swept.contains(dir) && dir.is_dir() {
        // A folder that cannot be read is the write's to report.
        let _ = banmian::assets::sweep(dir);
        swept.insert(dir.to_owned());
    }
    drop(swept);
    banmian::assets::write_atomic(path, bytes).map_err(|source| Error::write(path, source))
}

/// Phase timings and the progress line on standard error.
pub struct Progress {
    quiet: bool,
    phases: Vec<(&'static str, f64)>,
    started: Instant,
}

impl Progress {
    /// Starts the clock.
    pub fn new(quiet: bool) -> Self {
        Self {
            quiet,
            phases: Vec::new(),
            started: Instant::now(),
        }
    }

    /// Prints a progress line unless quiet.
    pub fn say(&self, line: &str) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }

    /// Takes the stages a build timed.
    pub fn absorb(&mut self, timings: &[(&'static str, Duration)]) {
        for (name, took) in timings {
            self.phases.push((name, took.as_secs_f64() * 1000.0));
        }
    }

    /// The closing line: total time and each phase.
    pub fn summary(&self) -> String {
        let phases: Vec<String> = self
            .phases
            .iter()
            .map(|(name, ms)| format!("{name} {ms:.0} ms"))
            .collect();
        format!(
            "{:.2} s ({})",
            self.started.elapsed().as_secs_f64(),
            phases.join(", ")
        )
    }
}
