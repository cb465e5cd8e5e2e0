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
    let mut written = 0;
    let built = builder.build(&job, &mut |product| {
        if let Target::File(path) = &product.target {
            write(path, &product.bytes)?;
            written += 1;
        }
        Ok(())
    })?;
    print(&built.diagnostics, !common.quiet);
    progress.absorb(&built.timings);
    progress.say(&format!(
        "wrote {written} files ({} pages{}) in {}",
        built.pages,
        match built.slides {
            0 => String::new(),
            n => format!(", {n} slides"),
        },
        progress.summary()
    ));
    Ok(ExitCode::SUCCESS)
}
