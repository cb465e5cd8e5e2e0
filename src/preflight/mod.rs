//! Preflight: what a page editor must know before the pages go to the
//! plant, each finding with its place in the report. `banmian check` prints
//! these; `banmian render` prints them before it writes.

pub mod ink;
mod layout;
mod report;

pub use report::{LayoutReport, layout_report};

use crate::report::LoadedReport;
use crate::report::deck_plan::DeckPlan;
use crate::spread::Spread;
use crate::{Diagnostic, Severity};

/// A finding about a field of the report, placed where the field is.
pub(crate) fn at(
    loaded: &LoadedReport,
    severity: Severity,
    field: Option<&str>,
    message: String,
) -> Diagnostic {
    let placed = match field {
        Some(field) => loaded.field_error(field, message),
        None => Diagnostic::file(&loaded.path, message),
    };
    placed.with_severity(severity)
}

/// [`at`] not yet placed: findings made many at a time are placed
/// together ([`LoadedReport::place`]), in one reading of the report's text
/// rather than one each.
fn unplaced(
    loaded: &LoadedReport,
    severity: Severity,
    field: Option<&str>,
    message: String,
) -> Diagnostic {
    let finding = Diagnostic::file(&loaded.path, message).with_severity(severity);
    match field {
        Some(field) => finding.with_field(field),
        None => finding,
    }
}

/// Everything a layout says about the report: template and photo
/// warnings, overset, holes, and what the composer sized away from its
/// design.
pub fn review(loaded: &LoadedReport, spread: &Spread) -> Vec<Diagnostic> {
    let mut findings = spread.typeset.warnings.clone();
    findings.extend(layout::review(loaded, &spread.plan));
    findings
}

/// The deck's derived content (from its `plan`), listed for an editor to
/// review; a build that makes or checks no deck derives none.
pub fn derived(loaded: &LoadedReport, plan: &DeckPlan) -> Vec<Diagnostic> {
    let report = &loaded.report;
    let mut out = Vec::new();
    let review = "review it, or write your own in the report's [deck]";
    if plan.figures_derived && !plan.figures.is_empty() {
        let labels: Vec<&str> = plan
            .figures
            .iter()
            .map(|&i| report.figures[i].label.as_str())
            .collect();
        out.push(
            at(
                loaded,
                Severity::Note,
                Some("figures"),
                format!("deck: key figures chosen by banmian: {}", labels.join("、")),
            )
            .with_hint(format!("{review} (deck.figures)")),
        );
    }
    for (i, slide) in plan.sections.iter().enumerate() {
        let points: Vec<String> = slide
            .points
            .iter()
            .filter(|p| p.derived)
            .map(|p| format!("“{}”", p.text))
            .collect();
        if !points.is_empty() {
            out.push(
                at(
                    loaded,
                    Severity::Note,
                    Some(&format!("sections[{i}]")),
                    format!(
                        "deck: points derived from sections[{i}]: {}",
                        points.join(" ")
                    ),
                )
                .with_hint(format!("{review} (deck.sections[{i}].points)")),
            );
        }
    }
    if let Some(quote) = plan.quote.as_ref().filter(|q| q.derived) {
        out.push(
            at(
                loaded,
                Severity::Note,
                Some("quote"),
                format!(
                    "deck: key sentence derived from the quote: “{}”",
                    quote.text
                ),
            )
            .with_hint(format!("{review} (deck.quote)")),
        );
    }
    out
}
