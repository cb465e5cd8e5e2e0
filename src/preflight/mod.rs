//! Preflight: what a page editor must know before the pages go to the
//! plant, each finding with its place in the report. `banmian check` prints
//! these; `banmian render` prints them before it writes.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

mod layout;

pub use layout::{LayoutReport, layout_report};

use crate::report::{LoadedReport, ReportError};
use crate::typeset::Typeset;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The pages are not fit to print.
    Error,
    /// Worth a look before printing.
    Warning,
    /// What the composer sized away from its design, for the record.
    Note,
}

/// One finding, with its place in the report when it has one.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// How much it matters.
    pub severity: Severity,
    /// The report file.
    pub file: Option<PathBuf>,
    /// 1-based line of the field, when known.
    pub line: Option<usize>,
    /// 1-based column of the field, when known.
    pub column: Option<usize>,
    /// The report field it is about (`sections[2]`).
    pub field: Option<String>,
    /// What was found.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Finding {
    /// A finding about a field of the report, placed where the field is.
    pub(crate) fn at(
        loaded: &LoadedReport,
        severity: Severity,
        field: Option<&str>,
        message: String,
    ) -> Self {
        let placed = match field {
            Some(field) => loaded.field_error(field, message),
            None => ReportError::file(&loaded.path, message),
        };
        Self::from_error(severity, placed)
    }

    /// A report error as a finding.
    pub fn from_error(severity: Severity, error: ReportError) -> Self {
        Self {
            severity,
            file: Some(error.file),
            line: error.line,
            column: error.column,
            field: error.field,
            message: error.message,
            hint: error.hint,
        }
    }

    /// A finding with no place in the report (a layout or export problem).
    pub fn general(severity: Severity, message: impl Into<String>) -> Self {
        Self {
            severity,
            file: None,
            line: None,
            column: None,
            field: None,
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn with_hint(mut self, hint: String) -> Self {
        self.hint = Some(hint);
        self
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(f, "{severity}: ")?;
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if let (Some(line), Some(column)) = (self.line, self.column) {
                write!(f, ":{line}:{column}")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(field) = &self.field {
            write!(f, " (field `{field}`)")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Everything a layout says about the report: template and photo
/// warnings, overset, holes, and what the composer sized away from its
/// design.
pub fn review(loaded: &LoadedReport, typeset: &Typeset) -> Vec<Finding> {
    let mut findings: Vec<Finding> = typeset
        .warnings
        .iter()
        .map(|w| Finding::general(Severity::Warning, w.trim_start_matches("warning: ")))
        .collect();
    if let Some(plan) = &typeset.composition {
        findings.extend(layout::review(loaded, plan));
    }
    findings.extend(derived(loaded));
    findings
}

/// The deck's derived content, listed for an editor to review.
pub fn derived(loaded: &LoadedReport) -> Vec<Finding> {
    let report = &loaded.report;
    let plan = crate::deck::plan(report);
    let mut out = Vec::new();
    let review = "review it, or write your own in the report's [deck]";
    if plan.figures_derived && !plan.figures.is_empty() {
        let labels: Vec<&str> = plan
            .figures
            .iter()
            .map(|&i| report.figures[i].label.as_str())
            .collect();
        out.push(
            Finding::at(
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
                Finding::at(
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
    if let Some(quote) = plan.quote.filter(|q| q.derived) {
        out.push(
            Finding::at(
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
