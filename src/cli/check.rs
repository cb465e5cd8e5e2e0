//! `banmian check`: everything a render would check, nothing written.

use std::process::ExitCode;

use banmian::build::{Builder, Built};
use banmian::{Error, Severity, diagnostic};

use super::args::CheckArgs;
use super::{Progress, print, setup};

/// Builds with measuring only and reports what it found. With `--json`,
/// everything goes to standard output as JSON, a refused job too.
pub fn run(args: &CheckArgs) -> Result<ExitCode, Error> {
    let mut progress = Progress::new(args.common.quiet || args.json);
    let (findings, layout, refused) = match check(args) {
        Ok(built) => {
            progress.absorb(&built.timings);
            (built.diagnostics, built.layout, false)
        }
        // A refusal of the command line is a usage error, not a finding.
        Err(error @ Error::Job(_)) if !args.json => return Err(error),
        Err(error) => (error.diagnostics(), None, matches!(error, Error::Job(_))),
    };
    let count = |severity| diagnostic::count(&findings, severity);
    if args.json {
        let report = serde_json::json!({ "findings": findings, "layout": layout });
        let json = serde_json::to_string_pretty(&report).unwrap_or_default();
        println!("{json}");
    } else {
        print(&findings, !args.common.quiet);
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
    builder.build(&job, &mut |_| Ok(()))
}
