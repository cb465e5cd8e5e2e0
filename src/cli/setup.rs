//! Turns the command line into the library's plain settings and jobs: the
//! one place where arguments and environment variables become options.

use std::path::{Path, PathBuf};
use std::time::Duration;

use banmian::Error;
use banmian::assets::fonts::FontOptions;
use banmian::build::{Job, Output, OutputOptions, PressOptions, Settings, SpreadFormat};
use banmian::typeset::watchdog::{Limits, Watchdog};

use super::args::{CommonArgs, DeckArgs, OutputArgs};

/// The build settings the shared arguments ask for.
pub fn settings(args: &CommonArgs) -> Settings {
    Settings {
        report: args.report.clone(),
        root: args.root.clone(),
        pages: args.pages.into(),
        paper: args.paper.into(),
        ppi: args.ppi,
        allow_low_ppi: args.allow_low_ppi,
        fonts: FontOptions {
            bundled: args.fonts.clone(),
            extra: args.font_paths.clone(),
            ignore_system: args.ignore_system_fonts,
            mapped: false,
        },
        layouts: args.layouts.clone(),
        cache_dir: if args.no_cache {
            None
        } else {
            args.cache_dir.clone().or_else(user_cache)
        },
        placeholders: args.placeholders,
        watchdog: Some(watchdog(args, |diagnostic| {
            super::print(&[diagnostic], true);
            std::process::exit(1)
        })),
        one_shot: true,
    }
}

/// Bounds on every compile (`--compile-timeout`, `--compile-memory`), with what to do
/// when one runs past them: the compile cannot be stopped, so `overrun`
/// ends the process (or starts it again).
pub fn watchdog(
    args: &CommonArgs,
    overrun: impl Fn(banmian::Diagnostic) + Send + Sync + 'static,
) -> Watchdog {
    let limits = Limits {
        time: Duration::try_from_secs_f64(args.compile_timeout).unwrap_or(Duration::MAX),
        memory: args.compile_memory.saturating_mul(1 << 20),
    };
    Watchdog::new(limits, overrun)
}

/// The job the output arguments ask for: the spread (`-o`, else its
/// default name), its PNG pages, proof and deck; slides as PNG beside the
/// pages when a deck is asked for; the spread's Typst project.
pub fn job(report: &Path, args: &OutputArgs) -> Result<Job, Error> {
    let format = args.format.map(SpreadFormat::from);
    let spread = match &args.output {
        Some(path) => Output::spread(path, format)?,
        None => Output::default_spread(report, format.unwrap_or(SpreadFormat::Pdf)),
    };
    let mut outputs = vec![spread];
    outputs.extend(args.proof.iter().map(|p| Output::Proof(p.clone())));
    for deck in &args.deck {
        outputs.push(Output::deck(deck)?);
    }
    if let Some(dir) = &args.png {
        outputs.push(Output::SpreadPng(dir.clone()));
        if !args.deck.is_empty() {
            outputs.push(Output::DeckPng(dir.clone()));
        }
    }
    outputs.extend(
        args.typst_project
            .iter()
            .map(|d| Output::TypstProject(d.clone())),
    );
    Ok(Job::new(
        outputs,
        OutputOptions {
            marks: args.marks,
            pdf_standard: args.pdf_standard.map(Into::into),
            press: PressOptions {
                output_profile: args.output_profile.clone(),
                ink_limit: args.ink_limit,
                lpi: args.lpi,
            },
            notes: args.notes,
            png_ppi: args.png_ppi,
            source_date_epoch: args.source_date_epoch,
            allow_overset: args.allow_overset,
        },
    ))
}

/// The job `banmian deck` asks for: the deck's files (`-o`, else their
/// default names) and its slides as PNG.
pub fn deck_job(args: &DeckArgs) -> Result<Job, Error> {
    let mut outputs = if args.output.is_empty() {
        Output::default_deck(&args.common.report).to_vec()
    } else {
        args.output
            .iter()
            .map(|path| Output::deck(path))
            .collect::<Result<_, _>>()?
    };
    outputs.extend(args.png.iter().map(|dir| Output::DeckPng(dir.clone())));
    let options = OutputOptions {
        notes: args.notes,
        png_ppi: args.png_ppi,
        source_date_epoch: args.source_date_epoch,
        ..OutputOptions::default()
    };
    Ok(Job::new(outputs, options))
}

/// `$XDG_CACHE_HOME/banmian/photos`, else `~/.cache/banmian/photos`.
fn user_cache() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(base.join("banmian").join("photos"))
}
