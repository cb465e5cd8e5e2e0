//! banmian (版面): typesets a structured special report into a print-ready
//! Chinese newspaper spread and a briefing deck.
//!
//! [`build`] is the pipeline: a [`build::Job`] (what to make) through a
//! [`build::Builder`] (what is kept alive between builds) gives files and
//! [`Diagnostic`]s. The command line in `src/main.rs` and `src/cli/` only
//! maps arguments to a job and prints.
//!
//! The modules are floors, and a module uses only the crate's root
//! ([`Error`], [`Diagnostic`]) and the floors below its own (the
//! `layers` integration test holds them to it), lowest first:
//!
//! 1. [`diagnostic`] (one diagnostic for every stage), [`words`] (the
//!    word segmenter);
//! 2. [`report`] (the model, its loader and validation, one walk over its
//!    fields, the deck's content plan), [`compose`] (where everything
//!    goes on the page, no Typst in it);
//! 3. [`assets`] (fonts, photos, the render root, colour, atomic writes),
//!    [`import`] (text, Markdown, Word → report);
//! 4. [`typeset`] (the Typst world, template data and protocol: compile a
//!    template with its data, photos made at their placed size);
//! 5. [`spread`] (measure ▸ compose ▸ draw, driving the typesetter);
//! 6. [`export`] (PDF finishing, PNG, PPTX);
//! 7. [`deck`] (the slides laid out, driving the typesetter);
//! 8. [`preflight`] (what an editor must know);
//! 9. [`build`] (the pipeline, and the dates it stamps outputs with).

pub mod assets;
pub mod build;
pub mod compose;
pub mod deck;
pub mod diagnostic;
pub mod export;
pub mod import;
pub mod preflight;
pub mod report;
pub mod spread;
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
