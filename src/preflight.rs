//! Preflight: what a page editor must know before the pages go to the
//! plant, each finding with its place in the report. `banmian check` prints
//! these; `banmian render` prints them before it writes.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::report::{LoadedReport, ReportError};
use crate::typeset::{Adjustment, FlowFit, Misfit, Typeset, UNDERSET_LINES};

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The pages are not fit to print.
    Error,
    /// Worth a look before printing.
    Warning,
    /// What copyfitting changed, for the record.
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
    fn at(loaded: &LoadedReport, severity: Severity, field: Option<&str>, message: String) -> Self {
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

    fn with_hint(mut self, hint: String) -> Self {
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
/// warnings, overset, holes and what copyfitting adjusted.
pub fn review(loaded: &LoadedReport, typeset: &Typeset) -> Vec<Finding> {
    let mut findings: Vec<Finding> = typeset
        .warnings
        .iter()
        .map(|w| Finding::general(Severity::Warning, w.trim_start_matches("warning: ")))
        .collect();
    findings.extend(overset(loaded, typeset));
    findings.extend(
        typeset
            .flows
            .iter()
            .filter(|f| f.lines_under() >= UNDERSET_LINES)
            .map(|flow| underset(loaded, flow)),
    );
    findings.extend(
        typeset
            .adjustments
            .iter()
            .filter(|a| a.change().abs() >= 0.02)
            .map(|a| adjusted(loaded, a)),
    );
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

/// The overset, if any: one error naming the story to cut.
fn overset(loaded: &LoadedReport, typeset: &Typeset) -> Option<Finding> {
    let misfit = Misfit::of(typeset);
    if misfit.over == 0 {
        return None;
    }
    let over: Vec<&FlowFit> = typeset.flows.iter().filter(|f| !f.fits).collect();
    let mut pages: Vec<String> = Vec::new();
    for page in over.iter().map(|f| f.page) {
        let blocks: Vec<&str> = over
            .iter()
            .filter(|f| f.page == page)
            .map(|f| f.id.as_str())
            .collect();
        let line = format!("page {} below the foot: {}", page + 1, blocks.join(", "));
        if !pages.contains(&line) {
            pages.push(line);
        }
    }
    let line_chars = over.first().map_or(0, |f| f.line_chars);
    let cut = misfit.over * line_chars;
    // The story to cut is the longest: in a spread whose blocks move
    // between pages, that is where lines go with the least harm (and the
    // story that grew when one did).
    let longest = loaded
        .report
        .sections
        .iter()
        .enumerate()
        .max_by_key(|(_, s)| characters(&s.text));
    let message = format!(
        "the copy does not fit: {} lines over ({})",
        misfit.over,
        pages.join("; ")
    );
    let finding = match longest {
        Some((i, s)) => Finding::at(
            loaded,
            Severity::Error,
            Some(&format!("sections[{i}]")),
            message,
        )
        .with_hint(format!(
            "sections[{i}] is the longest story ({} characters): cut about {cut} characters \
                 ({} lines of {line_chars}) from it or another story, or drop a photo",
            characters(&s.text),
            misfit.over
        )),
        None => Finding::at(loaded, Severity::Error, None, message)
            .with_hint(format!("cut about {cut} characters or drop a photo")),
    };
    Some(finding)
}

fn underset(loaded: &LoadedReport, flow: &FlowFit) -> Finding {
    Finding::at(
        loaded,
        Severity::Warning,
        report_field(&flow.id),
        format!(
            "page {} has a hole of {} lines below `{}`",
            flow.page + 1,
            flow.lines_under(),
            flow.id
        ),
    )
    .with_hint("add copy or a photo".into())
}

fn adjusted(loaded: &LoadedReport, a: &Adjustment) -> Finding {
    let message = if a.what == "leading" {
        format!(
            "body leading set {:+.1} % ({:.2} pt a line, designed {:.2} pt, within ±{:.0} %)",
            a.change() * 100.0,
            a.used,
            a.natural,
            (a.max / a.natural - 1.0) * 100.0
        )
    } else {
        format!(
            "{} of `{}` set to {} ({:+.0} % of the designed {}, bounds {}–{})",
            a.what,
            a.id,
            mm(a.used),
            a.change() * 100.0,
            mm(a.natural),
            mm(a.min),
            mm(a.max)
        )
    };
    Finding::at(loaded, Severity::Note, report_field(&a.id), message)
}

/// A layout id that names a report field, for its position.
fn report_field(id: &str) -> Option<&str> {
    ["sections[", "charts[", "banner", "lede", "figures", "quote"]
        .iter()
        .any(|prefix| id.starts_with(prefix))
        .then_some(id)
}

/// Characters of copy, not counting white space.
fn characters(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// Points as millimetres (or points, below a millimetre's worth of size).
fn mm(points: f64) -> String {
    let mm = points * 25.4 / 72.0;
    if mm >= 10.0 {
        format!("{mm:.0} mm")
    } else {
        format!("{points:.1} pt")
    }
}
