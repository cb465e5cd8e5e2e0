//! `banmian deck`: report → briefing deck (PDF and/or editable PPTX), and
//! the deck half of `banmian render --deck`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use banmian::Severity;
use banmian::deck::Deck;
use banmian::export::{self, PdfSettings};
use banmian::preflight;
use banmian::report::LoadedReport;

use super::args::DeckArgs;
use super::render::write;
use super::setup::Setup;
use super::{CliError, Progress, setup};

/// What kind of deck file an output is, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DeckFormat {
    Pdf,
    Pptx,
}

/// Deck outputs and how to write them.
pub struct DeckOutputs<'a> {
    /// The files to write (`.pdf`, `.pptx`).
    pub files: &'a [PathBuf],
    /// Write pdfpc speaker notes beside each PDF.
    pub notes: bool,
    /// PNG previews of the slides into this folder.
    pub png: Option<&'a Path>,
    /// PNG resolution.
    pub png_ppi: f32,
    /// `SOURCE_DATE_EPOCH`.
    pub epoch: Option<i64>,
}

/// Builds the deck and writes the requested outputs.
pub fn run(args: &DeckArgs) -> Result<ExitCode, CliError> {
    let common = &args.common;
    let mut progress = Progress::new(common.quiet);
    let files = if args.output.is_empty() {
        let stem = common
            .report
            .file_stem()
            .map_or("report".into(), |s| s.to_string_lossy().into_owned());
        vec![
            PathBuf::from(format!("{stem}-deck.pdf")),
            PathBuf::from(format!("{stem}-deck.pptx")),
        ]
    } else {
        args.output.clone()
    };
    check_formats(&files)?;
    progress.say(&format!("making the deck of {}", common.report.display()));
    let mut setup = setup::prepare(common, &mut progress)?;
    if args.png.is_some() {
        let ppi = setup::PREVIEW_PPI.max(f64::from(args.png_ppi));
        setup.options.preview_ppi = Some(ppi);
    }
    let outputs = DeckOutputs {
        files: &files,
        notes: args.notes,
        png: args.png.as_deref(),
        png_ppi: args.png_ppi,
        epoch: args.source_date_epoch,
    };
    // What banmian derived, for review (render prints it with its own
    // preflight).
    for finding in preflight::derived(&setup.loaded) {
        if finding.severity != Severity::Note || !common.quiet {
            eprintln!("{}: {finding}", finding.severity.name());
        }
    }
    write_deck(&mut setup, &outputs, &mut progress)?;
    progress.say(&format!("wrote the deck in {}", progress.summary()));
    Ok(ExitCode::SUCCESS)
}

/// Refuses outputs whose extension names no deck format (before any work).
pub fn check_formats(files: &[PathBuf]) -> Result<(), CliError> {
    files.iter().try_for_each(|f| format_of(f).map(|_| ()))
}

fn format_of(path: &Path) -> Result<DeckFormat, CliError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("pdf") => Ok(DeckFormat::Pdf),
        Some("pptx") => Ok(DeckFormat::Pptx),
        _ => Err(CliError::Usage(format!(
            "cannot tell the deck format of `{}`\n  hint: name the deck .pdf or .pptx",
            path.display()
        ))),
    }
}

/// Lays out the deck and prints its warnings (text too long for a slide).
pub fn lay_out(setup: &mut Setup) -> Result<Deck, CliError> {
    let deck = banmian::deck::build(&mut setup.typesetter, &setup.loaded, &setup.options)?;
    for warning in &deck.typeset.warnings {
        eprintln!("{}: {warning}", warning.severity.name());
    }
    Ok(deck)
}

/// One deck output's bytes: PDF or PPTX, by the file's extension.
pub fn deck_bytes(
    deck: &Deck,
    file: &Path,
    loaded: &LoadedReport,
    epoch: Option<i64>,
) -> Result<Vec<u8>, CliError> {
    Ok(match format_of(file)? {
        DeckFormat::Pdf => {
            let settings = PdfSettings {
                timestamp: epoch.and_then(banmian::datetime_from_epoch),
                ident: Some(format!("banmian-deck:{}", loaded.path.display())),
                pdf_a: false,
            };
            export::pdf(&deck.typeset, &settings)?
        }
        DeckFormat::Pptx => {
            let modified = banmian::w3cdtf(epoch, &loaded.report.masthead.date);
            deck.pptx(loaded, Some(modified))?
        }
    })
}

/// Lays out the deck and writes every requested output.
pub fn write_deck(
    setup: &mut Setup,
    outputs: &DeckOutputs,
    progress: &mut Progress,
) -> Result<(), CliError> {
    for (file, bytes) in deck_files(setup, outputs, progress)? {
        write(&file, &bytes)?;
    }
    Ok(())
}

/// Lays out the deck and makes every requested output's bytes, in memory
/// (written once the spread has passed preflight, when made beside it).
pub fn deck_files(
    setup: &mut Setup,
    outputs: &DeckOutputs,
    progress: &mut Progress,
) -> Result<Vec<(PathBuf, Vec<u8>)>, CliError> {
    let started = Instant::now();
    let deck = lay_out(setup)?;
    progress.phase("deck layout", started);
    let mut files = Vec::new();
    for file in outputs.files {
        let started = Instant::now();
        files.push((
            file.clone(),
            deck_bytes(&deck, file, &setup.loaded, outputs.epoch)?,
        ));
        if outputs.notes && format_of(file)? == DeckFormat::Pdf {
            let name = file
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned());
            files.push((file.with_extension("pdfpc"), deck.pdfpc(&name).into_bytes()));
        }
        progress.phase("deck", started);
    }
    if let Some(dir) = outputs.png {
        let started = Instant::now();
        files.extend(page_pngs(&deck.typeset.document, dir, outputs.png_ppi)?);
        progress.phase("deck png", started);
    }
    Ok(files)
}

/// Every page of `document` as a PNG at `ppi`, named `page-N.png` (from 1)
/// in `dir`, as `banmian render` names its pages.
pub fn page_pngs(
    document: &typst_layout::PagedDocument,
    dir: &Path,
    ppi: f32,
) -> Result<Vec<(PathBuf, Vec<u8>)>, CliError> {
    Ok(export::png_pages(document, ppi)?
        .into_iter()
        .enumerate()
        .map(|(i, png)| (dir.join(format!("page-{}.png", i + 1)), png))
        .collect())
}
