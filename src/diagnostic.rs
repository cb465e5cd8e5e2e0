//! One diagnostic type for every stage: the report's loader and
//! validation, glyphs and photos, the templates' metadata, preflight and
//! export. Each has a severity, a place (file, line, column, field), a
//! message and a hint. The library never formats "error:" itself: the
//! command line prints diagnostics (`Display`) or serialises them (`--json`).

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// A text that knows the line and column of a byte offset in it (the
/// report's [`SourceText`](crate::report::SourceText)): declared here so
/// that diagnostics need nothing from the layers above them.
pub trait LineColumn {
    /// 1-based line and column (counted in characters) of a byte offset.
    fn line_column(&self, offset: usize) -> (usize, usize);
}

/// How much a diagnostic matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Nothing can be written (or, from preflight, the pages are not fit
    /// to print).
    Error,
    /// Worth a look before printing.
    Warning,
    /// What banmian derived or sized away from its design, for the record.
    Note,
}

impl Severity {
    /// `error`, `warning` or `note`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Note => "note",
        }
    }
}

/// A problem or finding, placed as exactly as it can be. `check --json`
/// prints it as it is serialised here.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// How much it matters.
    pub severity: Severity,
    /// The file it is about (the report, a photo, a template).
    pub file: Option<PathBuf>,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// The report field, as a path (`sections[0].heading`), or the
    /// template's metadata entry (`<banmian-pptx>[3].anchor`).
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it, one hint a line.
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic with no place.
    pub fn new(severity: Severity, message: impl Into<String>) -> Self {
        Self {
            severity,
            file: None,
            line: None,
            column: None,
            field: None,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// An error with no place.
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message)
    }

    /// A warning with no place.
    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message)
    }

    /// A note with no place.
    pub fn note(message: impl Into<String>) -> Self {
        Self::new(Severity::Note, message)
    }

    /// An error about a whole file (no position yet).
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        Self::error(message).in_file(file)
    }

    /// Sets the file.
    pub fn in_file(mut self, file: &Path) -> Self {
        self.file = Some(file.to_owned());
        self
    }

    /// Sets the severity.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// The hints as one text, a hint a line.
    pub fn hint_text(&self) -> String {
        self.hints.join("\n")
    }

    /// Adds a field path.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Sets the line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Sets the position from a byte offset into the file's text.
    pub fn at_offset(self, text: &impl LineColumn, offset: usize) -> Self {
        let (line, column) = text.line_column(offset);
        self.at(line, column)
    }

    /// Whether it is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column` as far as known (empty without a file).
    pub fn place(&self) -> String {
        let Some(file) = &self.file else {
            return String::new();
        };
        let mut place = file.display().to_string();
        if let Some(line) = self.line {
            place.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                place.push_str(&format!(":{column}"));
            }
        }
        place
    }
}

/// `place: message (field `f`)` and the hint on its own line; without the
/// severity, which the command line prints.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.file.is_some() {
            write!(f, "{}: ", self.place())?;
        }
        write!(f, "{}", self.message)?;
        if let Some(field) = &self.field {
            write!(f, " (field `{field}`)")?;
        }
        for hint in &self.hints {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// How many diagnostics of `severity` there are.
pub fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}

/// A text of the report quoted in a message: at most `most` characters,
/// an ellipsis for the rest (a pasted story must not fill the terminal).
pub fn shorten(text: &str, most: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(most) {
        Some((end, _)) => format!("{}…", &text[..end]).into(),
        None => text.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_text_is_shortened() {
        assert_eq!(shorten("涪陵加快形成新质生产力", 4), "涪陵加快…");
        assert_eq!(shorten("涪陵", 4), "涪陵");
    }
}
