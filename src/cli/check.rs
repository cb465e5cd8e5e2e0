//! `banmian check`: everything a render would check, nothing written.

use std::process::ExitCode;

use banmian::Severity;
use banmian::preflight;

use super::args::CheckArgs;
use super::{CliError, Progress, setup};

/// Loads, checks glyphs and photos, lays out, and reports what it found.
pub fn run(args: &CheckArgs) -> Result<ExitCode, CliError> {
    let mut progress = Progress::new(args.common.quiet || args.json);
    let mut findings = Vec::new();
    let mut layout = None;
    let outcome = setup::prepare(&args.common, &mut progress).and_then(|mut setup| {
        // Photos are only measured: their pixels are not needed to check.
        setup.options.measure_only = true;
        let typeset = setup
            .typesetter
            .typeset(&setup.loaded, "spread.typ", &setup.options)?;
        let mut findings = preflight::review(&setup.loaded, &typeset);
        layout = preflight::layout_report(&typeset);
        // The deck too: slides whose text would not fit.
        let deck = banmian::deck::build(&mut setup.typesetter, &setup.loaded, &setup.options)?;
        findings.extend(deck.typeset.warnings.iter().cloned());
        Ok(findings)
    });
    match outcome {
        Ok(found) => findings = found,
        Err(CliError::Input(error)) => findings.extend(error.diagnostics()),
        Err(usage) => return Err(usage),
    }
    let count = |severity| findings.iter().filter(|f| f.severity == severity).count();
    let failed = count(Severity::Error) > 0;
    if args.json {
        let report = serde_json::json!({ "findings": findings, "layout": layout });
        let json = serde_json::to_string_pretty(&report).unwrap_or_default();
        println!("{json}");
    } else {
        for finding in &findings {
            eprintln!("{}: {finding}", finding.severity.name());
        }
        progress.say(&format!(
            "checked {}: {} errors, {} warnings, {} notes",
            args.common.report.display(),
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Note)
        ));
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
