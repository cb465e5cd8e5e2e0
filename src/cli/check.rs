//! `banmian check`: everything a render would check; nothing written but
//! the Typst project, when asked for.

use std::process::ExitCode;

use banmian::build::{Builder, Built, Target};
use banmian::{Error, Severity, diagnostic};

use super::args::CheckArgs;
use super::{Progress, print, setup};

/// Builds with measuring only and reports what it found. With `--json`,
/// everything goes to standard output as JSON, a refused job too.
pub fn run(args: &CheckArgs) -> Result<ExitCode, Error> {
    let mut progress = Progress::new(args.common.quiet || args.json);
    let (findings, layout, ink, refused) = match check(args) {
        Ok(built) => {
            progress.absorb(&built.timings);
            (built.diagnostics, built.layout, built.ink, false)
        }
        // A refusal of the command line is a usage error, not a finding.
        Err(error @ Error::Job(_)) if !args.json => return Err(error),
        Err(error) => (
            error.diagnostics(),
            None,
            Vec::new(),
            matches!(error, Error::Job(_)),
        ),
    };
    let count = |severity| diagnostic::count(&findings, severity);
    if args.json {
        let report = serde_json::json!({ "findings": findings, "layout": layout, "ink": ink });
        let json = serde_json::to_string_pretty(&report).unwrap_or_default();
        println!("{json}");
    } else {
        print(&findings, !args.common.quiet);
        for page in &ink {
            let photos = match page.photos {
                Some(_) => "",
                None => "; photos in RGB, not separated",
            };
            progress.say(&format!(
                "ink: page {} at most {:.0} % ({}), limit {:.0} %{photos}",
                page.page, page.max, page.source, page.limit
            ));
        }
        progress.say(&format!(
            "checked {}: {} errors, {} warnings, {} notes",
            args.common.report.display(),
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Note)
        ));
    }
    Ok(if refused {
        ExitCode::from(2)
    } else if count(Severity::Error) > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The job the arguments ask for, checked and built with measuring only.
fn check(args: &CheckArgs) -> Result<Built, Error> {
    let mut job = setup::job(&args.common.report, &args.outputs)?;
    job.check_only = true;
    let mut settings = setup::settings(&args.common);
    if args.json {
        // A template stopped by the watchdog is a finding too.
        settings.watchdog = Some(setup::watchdog(&args.common, |diagnostic| {
            let report = serde_json::json!({ "findings": [diagnostic], "layout": null });
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
            std::process::exit(1)
        }));
    }
    let mut builder = Builder::new(settings);
    // The only files a check makes: the Typst project, when asked for.
    builder.build(&job, &mut |product| match product.target {
        Target::File(path) => super::write(&path, &product.bytes),
        Target::Preview { .. } => Ok(()),
    })
}
