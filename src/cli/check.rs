//! `banmian check`: everything a render would check, nothing written.

use std::process::ExitCode;

use serde::Serialize;

use super::args::CheckArgs;
use super::render::UNDERSET_LINES;
use super::{CliError, Progress, setup};

#[derive(Serialize)]
struct Finding {
    severity: &'static str,
    message: String,
}

/// Loads, checks glyphs and photos, lays out, and reports what it found.
pub fn run(args: &CheckArgs) -> Result<ExitCode, CliError> {
    let mut progress = Progress::new(args.common.quiet || args.json);
    let mut findings = Vec::new();
    let outcome = setup::prepare(&args.common, &mut progress).and_then(|mut setup| {
        // Photos are only measured: their pixels are not needed to check.
        setup.options.measure_only = true;
        Ok(setup
            .typesetter
            .typeset(&setup.loaded, "spread.typ", &setup.options)?)
    });
    match outcome {
        Ok(typeset) => {
            for warning in typeset.warnings {
                let message = warning.trim_start_matches("warning: ").to_owned();
                findings.push(Finding {
                    severity: "warning",
                    message,
                });
            }
            let holes = typeset
                .flows
                .iter()
                .filter(|f| f.lines_under() >= UNDERSET_LINES);
            for flow in holes {
                findings.push(Finding {
                    severity: "warning",
                    message: format!(
                        "{}: the page below it is empty ({} lines)",
                        flow.id,
                        flow.lines_under()
                    ),
                });
            }
            for flow in typeset.flows.iter().filter(|f| !f.fits) {
                findings.push(Finding {
                    severity: "error",
                    message: format!(
                        "{}: copy does not fit ({} lines over)",
                        flow.id,
                        flow.lines_over()
                    ),
                });
            }
        }
        Err(CliError::Input(banmian::Error::Report(errors))) => {
            for error in errors {
                findings.push(Finding {
                    severity: "error",
                    message: error.to_string(),
                });
            }
        }
        Err(CliError::Input(error)) => findings.push(Finding {
            severity: "error",
            message: error.to_string(),
        }),
        Err(usage) => return Err(usage),
    }
    let failed = findings.iter().any(|f| f.severity == "error");
    if args.json {
        let json = serde_json::to_string_pretty(&findings).unwrap_or_default();
        println!("{json}");
    } else {
        for finding in &findings {
            eprintln!("{}: {}", finding.severity, finding.message);
        }
        progress.say(&format!(
            "checked {}: {} errors, {} warnings",
            args.common.report.display(),
            findings.iter().filter(|f| f.severity == "error").count(),
            findings.iter().filter(|f| f.severity == "warning").count()
        ));
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
