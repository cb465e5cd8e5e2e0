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
            .with_hint("replace the character, or add a font that has it with --font-path DIR");
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
