//! `banmian deck`: report → briefing deck (PDF and/or editable PPTX).

use std::process::ExitCode;

use banmian::Error;
use banmian::build::{Builder, Job, Output, OutputOptions, Target};

use super::args::DeckArgs;
use super::{Progress, print, setup, write};

/// Builds the deck and writes the requested outputs.
pub fn run(args: &DeckArgs) -> Result<ExitCode, Error> {
    let common = &args.common;
    let mut progress = Progress::new(common.quiet);
    let mut outputs = if args.output.is_empty() {
        Output::default_deck(&common.report).to_vec()
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
    progress.say(&format!("making the deck of {}", common.report.display()));
    let mut builder = Builder::new(setup::settings(common));
    let built = builder.build(
        &Job::new(outputs, options),
        &mut |product| match &product.target {
            Target::File(path) => write(path, &product.bytes),
            Target::Preview { .. } => Ok(()),
        },
    )?;
    print(&built.diagnostics, !common.quiet);
    progress.absorb(&built.timings);
    progress.say(&format!(
        "wrote the deck ({} slides) in {}",
        built.slides,
        progress.summary()
    ));
    Ok(ExitCode::SUCCESS)
}
