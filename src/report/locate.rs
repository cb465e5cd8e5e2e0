//! Finding places in a report's text: byte offsets to line and column, and
//! field paths (`sections[1].photos[0].path`) to the offset of their value.

use std::sync::Arc;

/// A report's text with an index of line starts.
#[derive(Debug, Clone)]
pub struct SourceText {
    text: Arc<str>,
    line_starts: Arc<[usize]>,
}

impl SourceText {
    /// Indexes a text.
    pub fn new(text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            text: text.into(),
            line_starts,
        }
    }

    /// The whole text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Offsets of every occurrence of a character.
    pub fn char_offsets(&self, c: char) -> Vec<usize> {
        self.text.match_indices(c).map(|(i, _)| i).collect()
    }

    /// Best-effort offset of a field's value in JSON or YAML text: follows
    /// the path's keys in order through the text. Array indices are skipped,
    /// so the result is the first matching key after its parents.
    pub fn find_key_path(&self, field: &str) -> Option<usize> {
        let mut from = 0;
        for segment in path_segments(field) {
            let PathSegment::Key(key) = segment else {
                continue;
            };
            let found = [format!("\"{key}\""), format!("{key}:")]
                .iter()
                .filter_map(|needle| self.text[from..].find(needle.as_str()))
                .min()?;
            from += found;
        }
        Some(from)
    }
}

impl crate::diagnostic::LineColumn for SourceText {
    /// 1-based line and column (counted in characters) of a byte offset.
    fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line + 1, column)
    }
}

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment<'a> {
    /// A table key.
    Key(&'a str),
    /// An array index.
    Index(usize),
}

/// Splits `a.b[2].c` into its steps.
pub fn path_segments(field: &str) -> Vec<PathSegment<'_>> {
    let mut out = Vec::new();
    for part in field.split('.') {
        let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(PathSegment::Key(key));
        }
        while let Some((index, after)) = rest.split_once(']') {
            if let Ok(index) = index.parse() {
                out.push(PathSegment::Index(index));
            }
            rest = after.strip_prefix('[').unwrap_or(after);
        }
    }
    out
}

/// The byte span of a field's value in TOML text.
pub fn toml_span(text: &str, field: &str) -> Option<std::ops::Range<usize>> {
    toml_spans(text, &[field]).pop().flatten()
}

/// The byte spans of several fields' values in TOML text, parsed once.
pub fn toml_spans(text: &str, fields: &[&str]) -> Vec<Option<std::ops::Range<usize>>> {
    if fields.is_empty() {
        // Nothing to look for: the text is not read again.
        return Vec::new();
    }
    match toml::de::DeTable::parse(text) {
        Ok(root) => fields.iter().map(|field| span_in(&root, field)).collect(),
        Err(_) => vec![None; fields.len()],
    }
}

/// A field's span in a parsed TOML document.
fn span_in(
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    field: &str,
) -> Option<std::ops::Range<usize>> {
    let mut span = root.span();
    let mut table = Some(root.get_ref());
    let mut value: Option<&toml::de::DeValue<'_>> = None;
    for segment in path_segments(field) {
        let next = match (segment, table, value) {
            (PathSegment::Key(key), Some(t), _) => {
                t.iter().find(|(k, _)| k.get_ref() == key).map(|(_, v)| v)
            }
            (PathSegment::Key(key), None, Some(v)) => v.get(key),
            (PathSegment::Index(index), _, Some(v)) => v.get(index),
            _ => None,
        }?;
        span = next.span();
        value = Some(next.get_ref());
        table = None;
    }
    Some(span)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::Diagnostic;
    use crate::diagnostic::LineColumn;

    #[test]
    fn a_diagnostic_shows_its_place_field_and_hint() {
        let text = SourceText::new("a = 1\nb = 2\n".into());
        let d = Diagnostic::file(Path::new("r.toml"), "bad")
            .at_offset(&text, 6)
            .with_field("b")
            .with_hint("fix it");
        assert_eq!(d.to_string(), "r.toml:2:1: bad (field `b`)\n  hint: fix it");
        assert_eq!(Diagnostic::warning("w").to_string(), "w");
        let two = Diagnostic::error("e").with_hint("one").with_hint("two");
        assert_eq!(two.to_string(), "e\n  hint: one\n  hint: two");
    }

    #[test]
    fn line_and_column_count_characters() {
        let text = SourceText::new("ab\n中文x\n".into());
        assert_eq!(text.line_column(0), (1, 1));
        assert_eq!(text.line_column(3), (2, 1));
        assert_eq!(text.line_column(9), (2, 3));
    }

    #[test]
    fn toml_paths_reach_nested_values() {
        let text = "[a]\nb = 1\n[[s]]\nx = 1\n[[s]]\nx = 2\n[[s.p]]\nq = \"z\"\n";
        let span = toml_span(text, "s[1].p[0].q").unwrap();
        assert_eq!(&text[span], "\"z\"");
        assert!(toml_span(text, "s[5]").is_none());
    }

    #[test]
    fn json_paths_follow_keys() {
        let text = SourceText::new(r#"{"a": {"b": 1}, "c": [{"d": 2}]}"#.into());
        let at = text.find_key_path("c[0].d").unwrap();
        assert_eq!(&text.as_str()[at..at + 3], "\"d\"");
    }
}
