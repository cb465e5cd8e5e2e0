//! `banmian render`: report → spread PDF (and PNG previews).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use banmian::Severity;
use banmian::export::{self, PdfSettings};
use banmian::preflight;
use banmian::report::LoadedReport;
use banmian::typeset::Typeset;

use super::args::{Format, RenderArgs};
use super::{CliError, Progress, setup};

/// Renders the spread and writes the requested outputs.
pub fn run(args: &RenderArgs) -> Result<ExitCode, CliError> {
    let common = &args.common;
    let mut progress = Progress::new(common.quiet);
    let format = format_for(args)?;
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| default_output(&common.report, format));
    progress.say(&format!(
        "rendering {} ({:?}, {:?})",
        common.report.display(),
        common.pages,
        common.paper
    ));
    super::deck::check_formats(&args.deck)?;
    if args.pdf_standard.is_some() && (args.marks || args.proof.is_some()) {
        return Err(CliError::Usage(
            "--pdf-standard makes an archival copy; crop marks and proofs are for the plant\n  hint: render the archival copy in a separate run".into(),
        ));
    }
    let mut setup = setup::prepare(common, &mut progress)?;
    setup.options.pages.archival = args.pdf_standard.is_some();
    if args.png.is_some() || format == Format::Png {
        setup.options.preview_ppi = Some(setup::PREVIEW_PPI.max(f64::from(args.png_ppi)));
    }

    // The deck, when asked for, is made on another thread beside the
    // spread (a typesetter of its own), and written once the spread has
    // passed preflight.
    let deck_outputs = super::deck::DeckOutputs {
        files: &args.deck,
        notes: false,
        png: None,
        png_ppi: args.png_ppi,
        epoch: args.source_date_epoch,
    };
    let mut deck_setup = (!args.deck.is_empty()).then(|| setup::Setup {
        loaded: setup.loaded.clone(),
        typesetter: setup.typesetter.sibling(),
        options: setup.options.clone(),
    });
    let mut deck_progress = Progress::new(true);
    let (spread, deck) = std::thread::scope(|scope| {
        let deck = deck_setup.as_mut().map(|deck_setup| {
            let (outputs, progress) = (&deck_outputs, &mut deck_progress);
            scope.spawn(move || super::deck::deck_files(deck_setup, outputs, progress))
        });
        let spread = render_spread(args, &mut setup, format, &output, &mut progress);
        let deck = deck.map(|h| {
            h.join().unwrap_or_else(|_| {
                Err(CliError::Input(banmian::Error::Internal(
                    "the deck's thread panicked".into(),
                )))
            })
        });
        (spread, deck)
    });
    let typeset = spread?;
    if let Some(files) = deck.transpose()? {
        let started = Instant::now();
        for (file, bytes) in files {
            write(&file, &bytes)?;
        }
        progress.absorb(&deck_progress);
        progress.phase("deck write", started);
    }
    progress.say(&format!(
        "wrote {} ({} pages) in {}",
        output.display(),
        typeset.document.pages().len(),
        progress.summary()
    ));
    Ok(ExitCode::SUCCESS)
}

/// The spread: typeset, preflight, then the PDF (or PNG) and previews.
fn render_spread(
    args: &RenderArgs,
    setup: &mut setup::Setup,
    format: Format,
    output: &Path,
    progress: &mut Progress,
) -> Result<Typeset, CliError> {
    let common = &args.common;
    let started = Instant::now();
    let typeset = setup
        .typesetter
        .typeset(&setup.loaded, "spread.typ", &setup.options)?;
    progress.stages(&typeset, started);
    preflight_gate(&setup.loaded, &typeset, args.allow_overset, !common.quiet)?;

    let started = Instant::now();
    let epoch = args.source_date_epoch;
    match format {
        Format::Pdf => {
            let settings = PdfSettings {
                // PDF/A needs a date: without SOURCE_DATE_EPOCH, the report's.
                timestamp: epoch.and_then(banmian::datetime_from_epoch).or_else(|| {
                    args.pdf_standard.and_then(|_| {
                        banmian::datetime_from_iso(&setup.loaded.report.masthead.date)
                    })
                }),
                ident: Some(format!("banmian:{}", common.report.display())),
                pdf_a: args.pdf_standard.is_some(),
            };
            let options = export::FinishOptions { marks: args.marks };
            let finished = export::print_pdf(&typeset, &settings, options)?;
            write(output, &finished)?;
            if let Some(proof) = &args.proof {
                // The proof shows each page to its trim: marks and bleed
                // stand outside it.
                write(proof, &export::proof(&finished)?)?;
            }
            progress.phase("pdf", started);
        }
        Format::Png => {
            write_pngs(&typeset.document, output, args.png_ppi)?;
            progress.phase("png", started);
        }
    }
    if let Some(dir) = &args.png {
        let started = Instant::now();
        write_pngs(&typeset.document, dir, args.png_ppi)?;
        progress.phase("png", started);
    }
    Ok(typeset)
}

/// Prints the preflight findings (notes only when `notes`) and refuses to
/// go on when one is an error, unless `allow_overset` asks for a proof.
pub fn preflight_gate(
    loaded: &LoadedReport,
    typeset: &Typeset,
    allow_overset: bool,
    notes: bool,
) -> Result<(), CliError> {
    let findings = preflight::review(loaded, typeset);
    for finding in &findings {
        if finding.severity != Severity::Note || notes {
            eprintln!("{}: {finding}", finding.severity.name());
        }
    }
    if findings.iter().any(|f| f.severity == Severity::Error) && !allow_overset {
        return Err(CliError::Input(banmian::Error::Export(
            "nothing written: the pages are not fit to print\n  hint: fix what is reported above, \
             or pass --allow-overset to write them anyway as a proof"
                .into(),
        )));
    }
    Ok(())
}

/// Writes one PNG per page as `page-1.png`, `page-2.png`, … into `dir`.
pub fn write_pngs(
    document: &typst_layout::PagedDocument,
    dir: &Path,
    ppi: f32,
) -> Result<(), CliError> {
    for (i, png) in export::png_pages(document, ppi)?.iter().enumerate() {
        write(&dir.join(format!("page-{}.png", i + 1)), png)?;
    }
    Ok(())
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    export::write_atomic(path, bytes)
        .map_err(|source| CliError::Input(banmian::Error::write(path, source)))
}

/// `--format`, else the output's extension, else PDF.
fn format_for(args: &RenderArgs) -> Result<Format, CliError> {
    let from_ext = args.output.as_ref().and_then(|o| o.extension()).map(|ext| {
        match ext.to_string_lossy().to_ascii_lowercase().as_str() {
            "pdf" => Ok(Format::Pdf),
            "png" | "" => Ok(Format::Png),
            other => Err(CliError::Usage(format!(
                "cannot tell the format of `.{other}`\n  hint: name the output .pdf, or pass --format"
            ))),
        }
    });
    match (args.format, from_ext) {
        (Some(format), _) => Ok(format),
        (None, Some(result)) => result,
        (None, None) => Ok(if args.output.is_some() {
            Format::Png
        } else {
            Format::Pdf
        }),
    }
}

/// `report.toml` → `report.pdf` (or `report/` for PNGs) in the current folder.
fn default_output(report: &Path, format: Format) -> PathBuf {
    let stem = report
        .file_stem()
        .map_or("report".into(), |s| s.to_string_lossy().into_owned());
    match format {
        Format::Pdf => PathBuf::from(format!("{stem}.pdf")),
        Format::Png => PathBuf::from(stem),
    }
}
