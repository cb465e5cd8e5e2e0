//! The command line: one file per subcommand over the library.

pub mod args;
pub mod check;
pub mod deck;
pub mod import;
pub mod preview;
pub mod render;
pub mod setup;
pub mod watch;

use std::time::Instant;

use banmian::Diagnostic;

/// How a command failed, which decides the exit status.
#[derive(Debug)]
pub enum CliError {
    /// The report or its inputs are wrong (exit 1).
    Input(banmian::Error),
    /// The command line is wrong (exit 2).
    Usage(String),
}

impl From<banmian::Error> for CliError {
    fn from(error: banmian::Error) -> Self {
        Self::Input(error)
    }
}

impl From<Diagnostic> for CliError {
    fn from(error: Diagnostic) -> Self {
        Self::Input(error.into())
    }
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

    /// Records how long a phase took since `since`.
    pub fn phase(&mut self, name: &'static str, since: Instant) {
        self.phases
            .push((name, since.elapsed().as_secs_f64() * 1000.0));
    }

    /// Records the stages of a typeset (measure, compose, draw, photos), or
    /// the whole as `layout` when it has none.
    pub fn stages(&mut self, typeset: &banmian::typeset::Typeset, since: Instant) {
        if typeset.timings.is_empty() {
            self.phase("layout", since);
        }
        for (name, took) in &typeset.timings {
            self.phases.push((name, took.as_secs_f64() * 1000.0));
        }
    }

    /// Takes the phases another (threaded) progress recorded.
    pub fn absorb(&mut self, other: &Progress) {
        self.phases.extend(other.phases.iter().copied());
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
