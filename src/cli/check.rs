//! `banmian check`: everything a render would check, nothing written.

use std::process::ExitCode;

use banmian::build::Builder;
use banmian::{Diagnostic, Error, Severity, diagnostic};

use super::args::CheckArgs;
use super::{Progress, print, setup};

/// Builds with measuring only and reports what it found.
pub fn run(args: &CheckArgs) -> Result<ExitCode, Error> {
    let mut progress = Progress::new(args.common.quiet || args.json);
    let mut job = setup::job(&args.common.report, &args.outputs)?;
    job.check_only = true;
    let mut builder = Builder::new(setup::settings(&args.common));
    let (findings, layout): (Vec<Diagnostic>, _) = match builder.build(&job, &mut |_| Ok(())) {
        Ok(built) => {
            progress.absorb(&built.timings);
            (built.diagnostics, built.layout)
        }
        // A refusal of the command line is a usage error, not a finding.
        Err(error @ Error::Job(_)) => return Err(error),
        Err(Error::Unfit(findings)) => (findings, None),
        Err(error) => (error.diagnostics(), None),
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
    Ok(if count(Severity::Error) > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
