//! Glyph coverage, checked before layout: a character that no font can draw
//! is an error naming it, its code point and where in the report it is,
//! never a silent blank box (tofu) on the printed page.

use std::collections::HashSet;

use crate::Diagnostic;
use crate::assets::fonts::Fonts;
use crate::report::{LoadedReport, MAX_PROBLEMS, more_problems, walk};

/// Every character of the report that no font covers, one error each
/// (a character repeated in one field is reported once); beyond
/// [`MAX_PROBLEMS`], one error counts the rest.
pub fn missing_glyphs(loaded: &LoadedReport, fonts: &Fonts) -> Vec<Diagnostic> {
    let mut missing: Vec<(String, char)> = Vec::new();
    let mut total = 0;
    for (field, text) in walk::texts(&loaded.report) {
        let mut seen = HashSet::new();
        for c in text.chars().filter(|&c| !fonts.covers(c) && seen.insert(c)) {
            total += 1;
            if missing.len() < MAX_PROBLEMS {
                missing.push((field.clone(), c));
            }
        }
    }
    // Without the bundled faces (an executable moved away from its
    // `fonts/`), every Chinese character is missing: say why, not only
    // what.
    let hint = if fonts.has_bundled() {
        "replace the character, or add a font that has it with --font-path DIR"
    } else {
        "banmian's bundled fonts were not found: keep the `fonts/` folder next to banmian, or name it with --fonts DIR (BANMIAN_FONTS)"
    };
    let fields: Vec<&str> = missing.iter().map(|(field, _)| field.as_str()).collect();
    let starts = loaded.locate_all(&fields);
    let mut errors: Vec<Diagnostic> = missing
        .iter()
        .zip(starts)
        .map(|((field, c), start)| {
            let offset = start.map(|s| loaded.text.as_str()[s..].find(*c).map_or(s, |i| s + i));
            let error = Diagnostic::file(
                &loaded.path,
                format!("no font can draw `{c}` (U+{:04X})", u32::from(*c)),
            )
            .with_field(field.clone())
            .with_hint(hint);
            match offset {
                Some(offset) => error.at_offset(&loaded.text, offset),
                None => error,
            }
        })
        .collect();
    if total > MAX_PROBLEMS {
        errors.push(more_problems(&loaded.path, total));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::fonts::FontOptions;

    /// With the bundled faces, the example's every character is drawn;
    /// without them (an executable moved away from its `fonts/`), each
    /// missing character says why: the bundled fonts were not found.
    #[test]
    fn missing_bundled_fonts_are_named_as_the_cause() {
        let example =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/fuling/report.toml");
        let loaded = crate::report::read(&example).unwrap();
        let fonts = |bundled: Option<std::path::PathBuf>| {
            Fonts::discover(&FontOptions {
                bundled,
                ignore_system: true,
                ..FontOptions::default()
            })
        };
        assert!(missing_glyphs(&loaded, &fonts(None)).is_empty());
        let empty = tempfile::tempdir().unwrap();
        let errors = missing_glyphs(&loaded, &fonts(Some(empty.path().to_owned())));
        // Each missing character's error (a last one counts the rest).
        let missing: Vec<_> = errors
            .iter()
            .filter(|e| e.message.starts_with("no font can draw"))
            .collect();
        assert!(!missing.is_empty());
        for error in missing {
            assert!(
                error.hint_text().contains("bundled fonts were not found"),
                "{error:?}"
            );
        }
    }
}
