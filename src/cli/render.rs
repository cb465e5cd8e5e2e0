//! `banmian render`: build the job, and write every file.

use std::process::ExitCode;

use banmian::Error;
use banmian::build::{Builder, Target};

use super::args::RenderArgs;
use super::{Progress, print, setup, write};

/// Renders the spread (and deck) and writes the requested outputs.
pub fn run(args: &RenderArgs) -> Result<ExitCode, Error> {
    let common = &args.common;
    let mut progress = Progress::new(common.quiet);
    let job = setup::job(&common.report, &args.outputs)?;
    progress.say(&format!(
        "rendering {} ({:?}, {:?})",
        common.report.display(),
        common.pages,
        common.paper
    ));
    let mut builder = Builder::new(setup::settings(common));
    // Written once the whole build has succeeded: a deck that fails does
    // not leave a new spread beside an old deck.
    let mut files = Vec::new();
    let built = builder.build(&job, &mut |product| {
        if let Target::File(path) = product.target {
            files.push((path, product.bytes));
        }
        Ok(())
    })?;
    let started = std::time::Instant::now();
    for (path, bytes) in &files {
        write(path, bytes)?;
    }
    print(&built.diagnostics, !common.quiet);
    progress.absorb(&built.timings);
    progress.absorb(&[("write", started.elapsed())]);
    progress.say(&format!(
        "wrote {} files ({} pages{}) in {}",
        files.len(),
        built.pages,
        match built.slides {
            0 => String::new(),
            n => format!(", {n} slides"),
        },
        progress.summary()
    ));
    Ok(ExitCode::SUCCESS)
}
