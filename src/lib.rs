//! banmian (版面): typesets a structured special report into a print-ready
//! Chinese newspaper spread and a briefing deck.
//!
//! [`build`] is the pipeline: a [`build::Job`] (what to make) through a
//! [`build::Builder`] (what is kept alive between builds) gives files and
//! [`Diagnostic`]s. Its stages, one module each: [`report`] (the model,
//! its loader and validation, one walk over its fields) → [`assets`]
//! (fonts, photos, the render root) → [`typeset`] (the Typst world,
//! template data and protocol, compile) with [`compose`] (where everything
//! goes) → [`preflight`] (what an editor must know) → [`export`] (PDF
//! finishing, PNG, PPTX); [`deck`] lays out the slides. The command line in
//! `src/main.rs` and `src/cli/` only maps arguments to a job and prints.

pub mod assets;
pub mod build;
pub mod compose;
pub mod deck;
pub mod diagnostic;
pub mod export;
pub mod import;
pub mod preflight;
pub mod report;
pub mod typeset;
pub mod words;

pub use diagnostic::{Diagnostic, Severity};

use std::path::PathBuf;

/// Everything that can stop a build, by where it came from. Each kind
/// turns into [`Diagnostic`]s ([`Error::diagnostics`]) for the command
/// line to print or serialise.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the report or its files (fields, glyphs, photos): every
    /// one found, each with its place.
    #[error("{}", lines(.0))]
    Report(Vec<Diagnostic>),
    /// A template failed to compile: Typst's diagnostics, placed in the
    /// template's file, or a template broke the metadata protocol.
    #[error("the layout failed\n{}", lines(.0))]
    Template(Vec<Diagnostic>),
    /// A font the pages use forbids embedding it.
    #[error("{}", lines(.0))]
    Fonts(Vec<Diagnostic>),
    /// Preflight found the pages unfit to print: its findings, warnings
    /// and notes included, so that they can all be shown.
    #[error("nothing written: the pages are not fit to print")]
    Unfit(Vec<Diagnostic>),
    /// Typst could not write a PDF or PNG.
    #[error("{0}")]
    Export(String),
    /// The PPTX could not be written.
    #[error("PPTX: {0}")]
    Pptx(#[from] export::pptx::PptxError),
    /// Print finishing (lopdf) could not read or write the PDF.
    #[error("failed to {what} ({message})")]
    Finish {
        /// What finishing was doing.
        what: &'static str,
        /// lopdf's message.
        message: String,
    },
    /// What a build needs from its machine is missing (fonts, a folder).
    #[error("{0}")]
    Setup(Diagnostic),
    /// The job itself is wrong (an output that would overwrite the report,
    /// a format no output can have).
    #[error("{0}")]
    Job(Diagnostic),
    /// A file could not be read or written.
    #[error("failed to {action} {} ({source})", path.display())]
    Io {
        /// `read` or `write`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A bug in banmian.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<Diagnostic> for Error {
    fn from(diagnostic: Diagnostic) -> Self {
        Self::Report(vec![diagnostic])
    }
}

impl Error {
    /// What went wrong, as diagnostics: the placed ones a report, template
    /// or preflight error holds, else one error with the message.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Self::Report(all) | Self::Template(all) | Self::Fonts(all) => all.clone(),
            Self::Unfit(all) => {
                let mut all = all.clone();
                all.push(Diagnostic::error(self.to_string()).with_hint(
                    "fix what is reported above, or pass --allow-overset to write them anyway as a proof",
                ));
                all
            }
            Self::Setup(one) | Self::Job(one) => vec![one.clone()],
            other => vec![Diagnostic::error(other.to_string())],
        }
    }

    /// A write failed.
    pub fn write(path: &std::path::Path, source: std::io::Error) -> Self {
        Self::Io {
            action: "write",
            path: path.to_owned(),
            source,
        }
    }
}

fn lines(diagnostics: &[Diagnostic]) -> String {
    let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

/// Turns `SOURCE_DATE_EPOCH` seconds into a Typst date-time (UTC).
pub fn datetime_from_epoch(seconds: i64) -> Option<typst::foundations::Datetime> {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    typst::foundations::Datetime::from_ymd_hms(
        i32::try_from(y).ok()?,
        m,
        d,
        (secs / 3600) as u8,
        (secs % 3600 / 60) as u8,
        (secs % 60) as u8,
    )
}

/// A W3C date-time (`2024-03-05T00:00:00Z`) for document properties: from
/// `SOURCE_DATE_EPOCH` when set, else the report's date at midnight.
pub fn w3cdtf(epoch: Option<i64>, date: &str) -> String {
    match epoch {
        Some(seconds) => {
            let (y, m, d) = civil_from_days(seconds.div_euclid(86_400));
            let s = seconds.rem_euclid(86_400);
            format!(
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
                s / 3600,
                s % 3600 / 60,
                s % 60
            )
        }
        None => format!("{date}T00:00:00Z"),
    }
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Parses a `YYYY-MM-DD` date (already validated in the report).
pub fn datetime_from_iso(date: &str) -> Option<typst::foundations::Datetime> {
    let mut parts = date.split('-').map(str::parse::<u32>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    typst::foundations::Datetime::from_ymd(i32::try_from(y).ok()?, m as u8, d as u8)
}

#[cfg(test)]
mod tests {
    #[test]
    fn epoch_converts_to_civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(19_787), (2024, 3, 5));
    }
}
