//! `banmian deck`: report → briefing deck (PDF and/or editable PPTX).

use std::process::ExitCode;

use banmian::Error;
use banmian::build::{Builder, Target};

use super::args::DeckArgs;
use super::{Progress, print, setup, write};

/// Builds the deck and writes the requested outputs.
pub fn run(args: &DeckArgs) -> Result<ExitCode, Error> {
    let common = &args.common;
    let mut progress = Progress::new(common.quiet);
    let job = setup::deck_job(args)?;
    progress.say(&format!("making the deck of {}", common.report.display()));
    let mut builder = Builder::new(setup::settings(common));
    let built = builder.build(&job, &mut |product| match &product.target {
        Target::File(path) => write(path, &product.bytes),
        Target::Preview { .. } => Ok(()),
    })?;
    print(&built.diagnostics, !common.quiet);
    progress.absorb(&built.timings);
    progress.say(&format!(
        "wrote the deck ({} slides) in {}",
        built.slides,
        progress.summary()
    ));
    Ok(ExitCode::SUCCESS)
}
