//! Glyph coverage, checked before layout: a character that no font can draw
//! is an error naming it, its code point and where in the report it is,
//! never a silent blank box (tofu) on the printed page.

use std::collections::HashSet;

use crate::Diagnostic;
use crate::assets::fonts::Fonts;
use crate::report::{LoadedReport, Report};

/// Every character of the report that no font covers, one error each
/// (a character repeated in one field is reported once).
pub fn missing_glyphs(loaded: &LoadedReport, fonts: &Fonts) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let fields = text_fields(&loaded.report)
        .into_iter()
        .chain(deck_text_fields(&loaded.report));
    for (field, text) in fields {
        let mut seen = HashSet::new();
        for c in text.chars().filter(|&c| !fonts.covers(c) && seen.insert(c)) {
            let start = loaded.locate(&field);
            let offset = start.map(|s| loaded.text.as_str()[s..].find(c).map_or(s, |i| s + i));
            let mut error = Diagnostic::file(
                &loaded.path,
                format!("no font can draw `{c}` (U+{:04X})", u32::from(c)),
            )
            .with_field(field.clone())
            .with_hint("replace the character, or add a font that has it with --font-path DIR");
            if let Some(offset) = offset {
                error = error.at_offset(&loaded.text, offset);
            }
            errors.push(error);
        }
    }
    errors
}

/// The texts only the briefing deck shows, with their field paths.
fn deck_text_fields(report: &Report) -> Vec<(String, String)> {
    let Some(deck) = &report.deck else {
        return Vec::new();
    };
    let mut out = vec![
        ("deck.figures_title".to_owned(), deck.figures_title.clone()),
        ("deck.quote".to_owned(), deck.quote.clone()),
    ];
    for (i, section) in deck.sections.iter().enumerate() {
        for (j, point) in section.points.iter().enumerate() {
            out.push((format!("deck.sections[{i}].points[{j}]"), point.clone()));
        }
    }
    out.retain(|(_, text)| !text.is_empty());
    out
}

/// Every printed text of a report with its field path.
pub fn text_fields(report: &Report) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |field: String, text: &str| {
        if !text.is_empty() {
            out.push((field, text.to_owned()));
        }
    };
    let m = &report.masthead;
    add("masthead.paper".into(), &m.paper);
    add("masthead.edition".into(), &m.edition);
    add("masthead.series".into(), &m.series);
    let h = &report.headline;
    add("headline.kicker".into(), &h.kicker);
    add("headline.title".into(), &h.title);
    add("headline.subtitle".into(), &h.subtitle);
    if let Some(b) = &report.banner {
        add("banner.display".into(), &b.display);
        add("banner.credit".into(), &b.credit);
    }
    if let Some(l) = &report.lede {
        add("lede.label".into(), &l.label);
        add("lede.text".into(), &l.text);
    }
    for (i, f) in report.figures.iter().enumerate() {
        add(format!("figures[{i}].label"), &f.label);
        add(format!("figures[{i}].value"), &f.value.display());
        add(format!("figures[{i}].unit"), &f.unit);
        add(format!("figures[{i}].note"), &f.note);
    }
    for (i, s) in report.sections.iter().enumerate() {
        add(format!("sections[{i}].heading"), &s.heading);
        add(format!("sections[{i}].text"), &s.text);
        for (j, p) in s.photos.iter().enumerate() {
            add(format!("sections[{i}].photos[{j}].caption"), &p.caption);
            add(format!("sections[{i}].photos[{j}].credit"), &p.credit);
        }
    }
    if let Some(d) = &report.data_box {
        add("data_box.title".into(), &d.title);
        for (i, r) in d.rows.iter().enumerate() {
            add(format!("data_box.rows[{i}].label"), &r.label);
            add(format!("data_box.rows[{i}].text"), &r.text);
        }
    }
    if let Some(q) = &report.quote {
        add("quote.label".into(), &q.label);
        add("quote.text".into(), &q.text);
        add("quote.source".into(), &q.source);
    }
    for (i, r) in report.credits.reporters.iter().enumerate() {
        add(format!("credits.reporters[{i}]"), r);
    }
    add("credits.photos".into(), &report.credits.photos);
    for (i, c) in report.charts.iter().enumerate() {
        add(format!("charts[{i}].title"), &c.title);
        add(format!("charts[{i}].unit"), &c.unit);
        for (j, item) in c.items.iter().enumerate() {
            add(format!("charts[{i}].items[{j}].label"), &item.label);
        }
    }
    out
}
