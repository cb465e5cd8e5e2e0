//! Reading a report file (TOML, JSON or YAML) with positioned errors.
//!
//! Every error names the file, the line and column, the field (as a path such
//! as `sections[1].photos[0].path`) and, where we can tell, a hint.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::locate::{SourceText, toml_span, toml_spans};
use super::model::Report;
use crate::diagnostic::LineColumn;
use crate::{Diagnostic, Error};

/// The format of a report file, chosen from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// `.toml`: the main format.
    Toml,
    /// `.json`.
    Json,
    /// `.yaml` or `.yml`.
    Yaml,
}

impl SourceFormat {
    /// Picks the format from a path's extension.
    pub fn from_path(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "toml" => Some(Self::Toml),
            "json" => Some(Self::Json),
            "yaml" | "yml" => Some(Self::Yaml),
            _ => None,
        }
    }
}

/// A report together with the text it was read from.
#[derive(Debug, Clone)]
pub struct LoadedReport {
    /// The parsed report.
    pub report: Report,
    /// The file it came from.
    pub path: PathBuf,
    /// Its text, kept for positioned errors found later (glyphs, photos).
    pub text: SourceText,
    /// Its format.
    pub format: SourceFormat,
}

impl LoadedReport {
    /// The folder the report lives in (a bare file name lives in `.`);
    /// photo paths are relative to it.
    pub fn folder(&self) -> &Path {
        match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        }
    }

    /// Builds an error about a field of this report, positioned as exactly
    /// as the format allows.
    pub fn field_error(&self, field: &str, message: impl Into<String>) -> Diagnostic {
        let error = Diagnostic::file(&self.path, message).with_field(field);
        match self.locate(field) {
            Some(offset) => error.at_offset(&self.text, offset),
            None => error,
        }
    }

    /// Places the findings about this report's fields that have no place
    /// yet (line and column), all in one reading of its text.
    pub fn place(&self, findings: &mut [Diagnostic]) {
        let unplaced: Vec<(usize, String)> = findings
            .iter()
            .enumerate()
            .filter(|(_, d)| d.line.is_none() && d.file.as_deref() == Some(self.path.as_path()))
            .filter_map(|(i, d)| Some((i, d.field.clone()?)))
            .collect();
        let fields: Vec<&str> = unplaced.iter().map(|(_, f)| f.as_str()).collect();
        for ((i, _), offset) in unplaced.iter().zip(self.locate_all(&fields)) {
            if let Some(offset) = offset {
                let (line, column) = self.text.line_column(offset);
                findings[*i].line = Some(line);
                findings[*i].column = Some(column);
            }
        }
    }

    /// The byte offset of a field's value in the file, when it can be found.
    pub fn locate(&self, field: &str) -> Option<usize> {
        self.locate_all(&[field]).pop().flatten()
    }

    /// The byte offsets of several fields' values, in one pass over the
    /// text (TOML is parsed once for all of them, not once each).
    pub fn locate_all(&self, fields: &[&str]) -> Vec<Option<usize>> {
        match self.format {
            SourceFormat::Toml => toml_spans(self.text.as_str(), fields)
                .into_iter()
                .map(|span| span.map(|s| s.start))
                .collect(),
            SourceFormat::Json | SourceFormat::Yaml => fields
                .iter()
                .map(|field| self.text.find_key_path(field))
                .collect(),
        }
    }

    /// Errors about fields, (field, message, hint) each, positioned in one
    /// pass over the text. Beyond [`MAX_PROBLEMS`] only the first are
    /// positioned, and one more error says how many are left: a report of a
    /// hundred thousand problems gets an answer, not a hundred thousand
    /// lines.
    pub fn field_errors(&self, problems: Vec<(String, String, String)>) -> Vec<Diagnostic> {
        let total = problems.len();
        let mut out: Vec<Diagnostic> = problems
            .into_iter()
            .take(MAX_PROBLEMS)
            .map(|(field, message, hint)| {
                let error = Diagnostic::file(&self.path, message).with_field(field);
                if hint.is_empty() {
                    error
                } else {
                    error.with_hint(hint)
                }
            })
            .collect();
        self.place(&mut out);
        if total > MAX_PROBLEMS {
            out.push(more_problems(&self.path, total));
        }
        out
    }
}

/// Problems of one kind shown at most; the rest are counted.
pub const MAX_PROBLEMS: usize = 50;

/// The error that stands for the problems not shown.
pub fn more_problems(path: &Path, total: usize) -> Diagnostic {
    Diagnostic::file(
        path,
        format!(
            "{} more problems like these ({total} in all)",
            total - MAX_PROBLEMS
        ),
    )
    .with_hint(format!(
        "fix the first {MAX_PROBLEMS} and check again: the rest are often the same mistake"
    ))
}

/// The largest report read, in bytes: a report of a hundred sections is a
/// few hundred kB, and what three times a spread holds is far less than
/// this. A larger file (a paste gone wrong, a log, a photo renamed) is
/// refused before it is parsed.
pub const MAX_REPORT_BYTES: u64 = 8 << 20;

/// Reads, parses and validates a report file: every problem validation
/// finds is in the error.
pub fn load(path: &Path) -> Result<LoadedReport, Error> {
    let loaded = read(path)?;
    let problems = super::validate::validate(&loaded);
    if problems.is_empty() {
        Ok(loaded)
    } else {
        Err(Error::Report(problems))
    }
}

/// Reads and parses a report file, without validating it (see
/// [`super::validate()`]); the format comes from the extension. A file
/// that does not read, or whose syntax or types are wrong, stops here.
pub fn read(path: &Path) -> Result<LoadedReport, Error> {
    let format = SourceFormat::from_path(path).ok_or_else(|| {
        Diagnostic::file(path, "unknown report format")
            .with_hint("name the file `.toml` (preferred), `.json`, `.yaml` or `.yml`")
    })?;
    let bytes = read_bounded(path)?;
    let text = String::from_utf8(bytes).map_err(|err| {
        let text = SourceText::new(String::from_utf8_lossy(err.as_bytes()).into_owned());
        Diagnostic::file(path, "the report is not valid UTF-8")
            .at_offset(&text, err.utf8_error().valid_up_to())
            .with_hint("save the file as UTF-8")
    })?;
    Ok(parse(path, text, format)?)
}

/// The report's bytes, refused beyond [`MAX_REPORT_BYTES`] before they are
/// read (or as soon as they pass it, from a device or a pipe).
fn read_bounded(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read as _;
    let failed = |err: std::io::Error| {
        Diagnostic::file(path, format!("failed to read the report ({err})"))
            .with_hint("check the path; it is relative to the current directory")
    };
    let too_large = |size: u64| {
        Diagnostic::file(
            path,
            format!(
                "the report is {:.1} MB; banmian reads reports of up to {} MB",
                size as f64 / 1e6,
                MAX_REPORT_BYTES >> 20
            ),
        )
        .with_hint("a report is a few hundred kB: was a file or a log pasted into it by mistake?")
    };
    let file = std::fs::File::open(path).map_err(failed)?;
    let size = file.metadata().map_err(failed)?.len();
    if size > MAX_REPORT_BYTES {
        return Err(too_large(size));
    }
    let mut bytes = Vec::new();
    file.take(MAX_REPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(failed)?;
    if bytes.len() as u64 > MAX_REPORT_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Parses report text already read, without validating it.
pub fn parse(path: &Path, text: String, format: SourceFormat) -> Result<LoadedReport, Diagnostic> {
    let text = SourceText::new(text);
    let report = match format {
        SourceFormat::Toml => parse_toml(path, &text)?,
        SourceFormat::Json => parse_json(path, &text)?,
        SourceFormat::Yaml => parse_yaml(path, &text)?,
    };
    Ok(LoadedReport {
        report,
        path: path.to_owned(),
        text,
        format,
    })
}

fn parse_toml<T: DeserializeOwned>(path: &Path, text: &SourceText) -> Result<T, Diagnostic> {
    let de = toml::Deserializer::parse(text.as_str()).map_err(|err| {
        let error = Diagnostic::file(path, tidy_message(err.message()));
        match err.span() {
            Some(span) => error.at_offset(text, span.start),
            None => error,
        }
        .with_hint("this is not valid TOML; check quotes, brackets and `key = value` lines")
    })?;
    serde_path_to_error::deserialize(de).map_err(|err| {
        let field = field_path(err.path());
        let inner = err.into_inner();
        let span = inner.span().or_else(|| toml_span(text.as_str(), &field));
        let error = serde_error(path, inner.message(), &field);
        match span {
            Some(span) => error.at_offset(text, span.start),
            None => error,
        }
    })
}

fn parse_json<T: DeserializeOwned>(path: &Path, text: &SourceText) -> Result<T, Diagnostic> {
    let de = &mut serde_json::Deserializer::from_str(text.as_str());
    serde_path_to_error::deserialize(de).map_err(|err| {
        let field = field_path(err.path());
        let inner = err.into_inner();
        let message = inner.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        let mut error = serde_error(path, message, &field);
        if inner.line() > 0 {
            error.line = Some(inner.line());
            error.column = Some(inner.column());
        }
        if inner.is_syntax() || inner.is_eof() {
            error = syntax_hint(error, "JSON: check commas, quotes and brackets");
        }
        error
    })
}

fn parse_yaml<T: DeserializeOwned>(path: &Path, text: &SourceText) -> Result<T, Diagnostic> {
    let de = serde_norway::Deserializer::from_str(text.as_str());
    serde_path_to_error::deserialize(de).map_err(|err| {
        let field = field_path(err.path());
        let inner = err.into_inner();
        let message = inner.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        // serde_norway puts the path first ("sections[0]: unknown field …").
        let message = match message.split_once(": ") {
            Some((prefix, rest)) if !prefix.contains(' ') => rest,
            _ => message,
        };
        let mut error = serde_error(path, message, &field);
        if let Some(location) = inner.location() {
            error.line = Some(location.line());
            error.column = Some(location.column());
        }
        // serde's own messages (unknown or missing fields, types) have
        // hints already; anything else from the YAML parser is syntax.
        syntax_hint(
            error,
            "YAML: check indentation, brackets and `key: value` lines",
        )
    })
}

/// Turns a serde message into our error, with a hint for the usual cases.
fn serde_error(path: &Path, message: &str, field: &str) -> Diagnostic {
    let message = tidy_message(message);
    let mut error = Diagnostic::file(path, message.clone());
    if !field.is_empty() && field != "." {
        error = error.with_field(field);
    }
    if let Some(hint) = hint_for(&message) {
        error = error.with_hint(hint);
    }
    error
}

/// A hint for a file that does not parse at all, unless a better one is set.
fn syntax_hint(error: Diagnostic, format: &str) -> Diagnostic {
    if !error.hints.is_empty() {
        return error;
    }
    error.with_hint(format!("this is not valid {format}"))
}

/// Hints for serde's standard messages.
fn hint_for(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (name, rest) = rest.split_once('`')?;
        let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
        return Some(match closest(name, &expected) {
            Some(best) => format!(
                "did you mean `{best}`? expected one of: {}",
                expected.join(", ")
            ),
            None if expected.is_empty() => "remove this field".to_owned(),
            None => format!("expected one of: {}", expected.join(", ")),
        });
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.split('`').next()?;
        return Some(format!("add `{name}`; see the report format in README.md"));
    }
    if message.starts_with("invalid type") {
        return Some("check the value's type: text needs quotes, lists need [ ]".to_owned());
    }
    None
}

/// The expected name closest to a misspelt one, if any is close.
fn closest<'a>(name: &str, expected: &[&'a str]) -> Option<&'a str> {
    expected
        .iter()
        .map(|&candidate| (edit_distance(name, candidate), candidate))
        .filter(|&(distance, candidate)| distance <= candidate.len().max(2) / 2)
        .min()
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// Trims serde's trailing newlines and position suffixes.
fn tidy_message(message: &str) -> String {
    message.trim().trim_end_matches('.').to_owned()
}

/// Renders serde_path_to_error's path as `a.b[2].c`.
fn field_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Unknown => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_name_is_suggested() {
        assert_eq!(
            closest("captoin", &["path", "caption", "credit"]),
            Some("caption")
        );
        assert_eq!(closest("zzzzzz", &["path", "caption"]), None);
    }

    #[test]
    fn findings_are_placed_together_where_their_fields_are() {
        let seed = include_str!("../../examples/fuling/report.toml");
        let path = Path::new("r.toml");
        let loaded = parse(path, seed.to_owned(), SourceFormat::Toml).unwrap();
        let about = |field: &str| Diagnostic::file(path, "m").with_field(field);
        let mut findings = vec![
            about("sections[1].photos[0].path"),
            Diagnostic::file(path, "no field"),
            about("banner.photo"),
            about("no.such.field"),
            Diagnostic::file(Path::new("other.toml"), "m").with_field("banner.photo"),
            about("headline.title").at(1, 1),
        ];
        loaded.place(&mut findings);
        // Each where it is placed alone.
        for i in [0, 2] {
            let field = findings[i].field.as_deref().unwrap();
            let alone = loaded.field_error(field, "m");
            assert_eq!(
                (findings[i].line, findings[i].column),
                (alone.line, alone.column)
            );
            assert!(findings[i].line.is_some_and(|l| l > 1), "{:?}", findings[i]);
        }
        // Nothing to place by, another file's, or placed already: as they were.
        assert_eq!(findings[1].line, None);
        assert_eq!(findings[3].line, None);
        assert_eq!(findings[4].line, None);
        assert_eq!((findings[5].line, findings[5].column), (Some(1), Some(1)));
    }

    #[test]
    fn format_comes_from_extension() {
        assert_eq!(
            SourceFormat::from_path(Path::new("a/b.YML")),
            Some(SourceFormat::Yaml)
        );
        assert_eq!(SourceFormat::from_path(Path::new("a/b.txt")), None);
    }
}
