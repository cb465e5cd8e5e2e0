//! Checks that serde cannot express: dates, ranges, empty required text,
//! control characters. Every problem is reported, so that an editor fixes
//! them all in one pass.

use super::load::LoadedReport;
use super::model::{Deck, Report, Section, paragraphs};
use super::walk::{self, Value};
use crate::Diagnostic;

/// Checks a parsed report: every problem found, each positioned.
pub fn validate(loaded: &LoadedReport) -> Vec<Diagnostic> {
    let problems = problems(&loaded.report)
        .into_iter()
        .map(|p| (p.field, p.message, p.hint))
        .collect();
    loaded.field_errors(problems)
}

/// One semantic problem, before it is positioned.
struct Problem {
    field: String,
    message: String,
    hint: String,
}

fn problem(field: impl Into<String>, message: impl Into<String>, hint: &str) -> Problem {
    Problem {
        field: field.into(),
        message: message.into(),
        hint: hint.into(),
    }
}

/// Reserved areas: on a page of the spread, at least a column by a line.
/// Whether they fit the grid is the composer's to say (it knows the grid).
fn reserved_problems(out: &mut Vec<Problem>, report: &Report) {
    for (i, r) in report.reserved.iter().enumerate() {
        if !(1..=2).contains(&r.page) {
            out.push(problem(
                format!("reserved[{i}].page"),
                format!("page {} is not a page of the spread", r.page),
                "write 1 for the left (or only) page, 2 for the right page",
            ));
        }
        for (field, value) in [("columns", r.columns), ("lines", r.lines)] {
            if value == 0 {
                out.push(problem(
                    format!("reserved[{i}].{field}"),
                    format!("a reserved area of 0 {field}"),
                    "give its size on the grid: columns across and body lines down",
                ));
            }
        }
    }
}

fn problems(report: &Report) -> Vec<Problem> {
    let mut out = Vec::new();
    let masthead = &report.masthead;
    if !is_iso_date(&masthead.date) {
        out.push(problem(
            "masthead.date",
            format!(
                "`{}` is not a date",
                crate::diagnostic::shorten(&masthead.date, 40)
            ),
            "write the date as YYYY-MM-DD, e.g. \"2024-03-05\"",
        ));
    }
    if masthead.pages.len() > 2 {
        out.push(problem(
            "masthead.pages",
            format!(
                "{} page numbers given; a spread has two pages",
                masthead.pages.len()
            ),
            "give one number per page: [6, 7]",
        ));
    }
    field_problems(&mut out, report);
    reserved_problems(&mut out, report);
    for (i, section) in report.sections.iter().enumerate() {
        section_problems(&mut out, i, section);
    }
    if report.sections.is_empty() {
        out.push(problem(
            "sections",
            "the report has no sections",
            "add a [[sections]] table",
        ));
    }
    if let Some(data_box) = &report.data_box
        && data_box.rows.is_empty()
    {
        out.push(problem(
            "data_box.rows",
            "the data box has no rows",
            "add rows or remove [data_box]",
        ));
    }
    for (i, chart) in report.charts.iter().enumerate() {
        if chart.items.is_empty() {
            out.push(problem(
                format!("charts[{i}].items"),
                "the chart has no items",
                "add items",
            ));
        }
        for (j, item) in chart.items.iter().enumerate() {
            if !item.value.is_finite() || item.value < 0.0 {
                out.push(problem(
                    format!("charts[{i}].items[{j}].value"),
                    format!("bar value {} cannot be drawn", item.value),
                    "bar charts take values of zero or more",
                ));
            }
        }
    }
    if let Some(deck) = &report.deck {
        deck_problems(&mut out, report, deck);
    }
    out
}

/// The problems of each printed text and photo on its own. An empty photo
/// path is not one: it is a photo still to supply (an imported report),
/// which `check` and `render` name.
fn field_problems(out: &mut Vec<Problem>, report: &Report) {
    for field in walk::walk(report) {
        match &field.value {
            Value::Text(text) => {
                if text.required {
                    require_text(out, field.path.clone(), &text.text);
                }
                check_controls(out, &field.path, &text.text);
            }
            Value::Alt(alt) => check_controls(out, &field.path, alt),
            Value::Photo(photo) => {
                check_focus(out, field.sibling("focus"), photo.focus);
                check_crop(out, field.sibling("crop"), photo.crop);
            }
        }
    }
}

/// The most photos a section holds: more are a photo page, not a story's
/// (and the ways to group a story's photos grow fast with their number).
pub const MAX_SECTION_PHOTOS: usize = 8;

/// A section's parts must fit together: at most [`MAX_SECTION_PHOTOS`]
/// photos, only the opening (the first section) goes without a subhead, a
/// kicker stands over a subhead, and the dateline and each run-in lead
/// open one of its paragraphs.
fn section_problems(out: &mut Vec<Problem>, i: usize, section: &Section) {
    let at = format!("sections[{i}]");
    if section.photos.len() > MAX_SECTION_PHOTOS {
        out.push(problem(
            format!("{at}.photos[{MAX_SECTION_PHOTOS}]"),
            format!(
                "a section holds at most {MAX_SECTION_PHOTOS} photos, and this one has {}",
                section.photos.len()
            ),
            "move the rest to other sections, or give them a photo page of their own",
        ));
    }
    if section.heading.trim().is_empty() {
        if i > 0 {
            out.push(problem(
                format!("{at}.heading"),
                "only the story's opening, the first section, goes without a subhead",
                "write the subhead, or move this text to the end of the section before",
            ));
        }
        if !section.kicker.trim().is_empty() {
            out.push(problem(
                format!("{at}.kicker"),
                "a kicker stands over a subhead, and this section has none",
                "write the subhead in `heading`, or remove `kicker`",
            ));
        }
    }
    let paragraphs = paragraphs(&section.text);
    let first = paragraphs.first().map_or("", String::as_str);
    if !section.dateline.is_empty() && !first.starts_with(section.dateline.as_str()) {
        out.push(problem(
            format!("{at}.dateline"),
            format!(
                "the section's first paragraph does not start with the dateline “{}”",
                section.dateline
            ),
            "the dateline stays in the text: start the first paragraph with it exactly, or remove `dateline`",
        ));
    }
    for (j, lead) in section.leads.iter().enumerate() {
        if !lead.is_empty() && !paragraphs.iter().any(|p| p.starts_with(lead.as_str())) {
            out.push(problem(
                format!("{at}.leads[{j}]"),
                format!("no paragraph of the section starts with the run-in lead “{lead}”"),
                "a run-in lead stays in the text: start its paragraph with it exactly, or remove it from `leads`",
            ));
        }
    }
}

/// Control characters print as nothing (and the PPTX drops them); line
/// breaks and tabs are layout.
fn check_controls(out: &mut Vec<Problem>, field: &str, text: &str) {
    let control = |c: &char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
    if let Some(c) = text.chars().find(control) {
        out.push(problem(
            field,
            format!(
                "the text holds a control character (U+{:04X})",
                u32::from(c)
            ),
            "delete it: it prints as nothing (it often comes from pasting)",
        ));
    }
}

fn require_text(out: &mut Vec<Problem>, field: impl Into<String>, text: &str) {
    if text.trim().is_empty() {
        out.push(problem(
            field,
            "this text is empty",
            "write the text or remove the field",
        ));
    }
}

fn check_focus(out: &mut Vec<Problem>, field: String, focus: Option<[f64; 2]>) {
    if let Some([x, y]) = focus
        && !((0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y))
    {
        out.push(problem(
            field,
            format!("focal point [{x}, {y}] lies outside the photo"),
            "give fractions of width and height between 0 and 1, e.g. [0.5, 0.4]",
        ));
    }
}

/// The most a photo may be cropped: a share up to [`MAX_CROP`].
fn check_crop(out: &mut Vec<Problem>, field: String, crop: Option<f64>) {
    if let Some(c) = crop
        && !(0.0..=MAX_CROP).contains(&c)
    {
        out.push(problem(
            field,
            format!("crop limit {c} is out of range"),
            "give the largest share of the width or height to cut, from 0 (never crop) to 0.7",
        ));
    }
}

/// The most of a photo's width or height a crop may take.
pub const MAX_CROP: f64 = 0.7;

/// Whether `s` is a real `YYYY-MM-DD` date.
pub fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// The deck must point at things the report has.
fn deck_problems(out: &mut Vec<Problem>, report: &Report, deck: &Deck) {
    if deck.figures.len() > super::deck_plan::FIGURES {
        out.push(problem(
            "deck.figures",
            format!(
                "{} figures chosen; a key-figures slide shows 1 to {}",
                deck.figures.len(),
                super::deck_plan::FIGURES
            ),
            "list one to eight labels from [[figures]]",
        ));
    }
    for (i, label) in deck.figures.iter().enumerate() {
        if !report.figures.iter().any(|f| &f.label == label) {
            out.push(problem(
                format!("deck.figures[{i}]"),
                format!(
                    "no figure is labelled `{}`",
                    crate::diagnostic::shorten(label, 40)
                ),
                "use a `label` from one of the [[figures]] tables",
            ));
        }
    }
    if deck.sections.len() > report.sections.len() {
        out.push(problem(
            "deck.sections",
            format!(
                "{} deck sections for {} report sections",
                deck.sections.len(),
                report.sections.len()
            ),
            "give one [[deck.sections]] per [[sections]], in order",
        ));
    }
    for (i, (plan, section)) in deck.sections.iter().zip(&report.sections).enumerate() {
        if !plan.points.is_empty() && !(2..=4).contains(&plan.points.len()) {
            out.push(problem(
                format!("deck.sections[{i}].points"),
                format!("{} points; a section slide shows 2 to 4", plan.points.len()),
                "write two to four short points, or leave `points` out to derive them",
            ));
        }
        if let Some(photo) = plan.photo.filter(|&p| p >= section.photos.len()) {
            out.push(problem(
                format!("deck.sections[{i}].photo"),
                format!("sections[{i}] has no photo {photo}"),
                "count the section's photos from 0",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_iso_date;

    #[test]
    fn dates_are_checked_for_real() {
        assert!(is_iso_date("2024-02-29"));
        assert!(!is_iso_date("2023-02-29"));
        assert!(!is_iso_date("2024/03/05"));
        assert!(!is_iso_date("2024-13-01"));
    }
}
