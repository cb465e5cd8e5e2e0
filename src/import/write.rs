//! The imported report as commented TOML, in the field order of the
//! example report, so that an editor can read it and diff two imports.
//! Every guess is a `# check:` comment right above the field it is about.

use std::collections::HashMap;

use crate::report::{MAX_SECTION_PHOTOS, Photo, Report, Section};

use super::draft::{Check, Notes};

/// The TOML text and where each check landed.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// The report file's text.
    pub text: String,
    /// Each check with the 1-based line of its comment.
    pub checks: Vec<(usize, Check)>,
}

/// Writes a report with its checks; `header` lines open the file, then
/// the checks about no field (`general`).
pub fn write(report: &Report, notes: &Notes, header: &[String], general: &[Check]) -> Written {
    let mut by_field: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, check) in notes.0.iter().enumerate() {
        by_field.entry(check.field.as_str()).or_default().push(i);
    }
    let mut w = Writer {
        out: String::new(),
        line: 1,
        notes,
        by_field,
        used: vec![false; notes.0.len()],
        placed: Vec::new(),
    };
    for line in header {
        w.comment(line);
    }
    for check in general {
        w.check(check);
    }
    masthead(&mut w, report);
    headline(&mut w, report);
    banner(&mut w, report);
    if let Some(lede) = &report.lede {
        w.table("[lede]", "lede");
        w.string("label", &lede.label, "lede.label");
        w.text("text", &lede.text, "lede.text");
    }
    for (i, figure) in report.figures.iter().enumerate() {
        let field = format!("figures[{i}]");
        w.table("[[figures]]", &field);
        w.string("label", &figure.label, &format!("{field}.label"));
        w.string("value", &figure.value.display(), &format!("{field}.value"));
        w.string("unit", &figure.unit, &format!("{field}.unit"));
        w.optional("note", &figure.note, &format!("{field}.note"));
    }
    for (i, section) in report.sections.iter().enumerate() {
        section_tables(&mut w, i, section);
    }
    boxes(&mut w, report);
    w.rest();
    Written {
        text: w.out,
        checks: w.placed,
    }
}

fn masthead(w: &mut Writer, report: &Report) {
    let m = &report.masthead;
    w.table("[masthead]", "masthead");
    w.string("paper", &m.paper, "masthead.paper");
    w.optional("edition", &m.edition, "masthead.edition");
    w.optional("series", &m.series, "masthead.series");
    w.string("date", &m.date, "masthead.date");
    if !m.pages.is_empty() {
        w.checks("masthead.pages");
        let pages: Vec<String> = m.pages.iter().map(u32::to_string).collect();
        w.line(&format!("pages = [{}]", pages.join(", ")));
    }
}

fn headline(w: &mut Writer, report: &Report) {
    let h = &report.headline;
    w.table("[headline]", "headline");
    w.optional("kicker", &h.kicker, "headline.kicker");
    w.string("title", &h.title, "headline.title");
    w.optional("subtitle", &h.subtitle, "headline.subtitle");
}

fn banner(w: &mut Writer, report: &Report) {
    if let Some(banner) = &report.banner {
        w.table("[banner]", "banner");
        w.string("photo", &banner.photo, "banner.photo");
        w.optional("display", &banner.display, "banner.display");
        w.optional("alt", &banner.alt, "banner.alt");
    }
}

fn section_tables(w: &mut Writer, i: usize, section: &Section) {
    let field = format!("sections[{i}]");
    w.table("[[sections]]", &field);
    w.optional("kicker", &section.kicker, &format!("{field}.kicker"));
    if section.heading.is_empty() {
        w.checks(&format!("{field}.heading"));
        w.comment("The story's opening: set without a subhead; the deck's introduction.");
    } else {
        w.string("heading", &section.heading, &format!("{field}.heading"));
    }
    w.optional("dateline", &section.dateline, &format!("{field}.dateline"));
    w.text("text", &section.text, &format!("{field}.text"));
    if !section.leads.is_empty() {
        w.checks(&format!("{field}.leads"));
        let leads: Vec<String> = section.leads.iter().map(|l| quoted(l)).collect();
        w.line(&format!("leads = [{}]", leads.join(", ")));
    }
    let most = MAX_SECTION_PHOTOS;
    for (j, photo) in section.photos.iter().enumerate() {
        let field = format!("{field}.photos[{j}]");
        if j >= most {
            extra_photo(w, section, j, &field, photo);
            continue;
        }
        w.table("[[sections.photos]]", &field);
        w.string("path", &photo.path, &format!("{field}.path"));
        w.string("caption", &photo.caption, &format!("{field}.caption"));
        w.optional("credit", &photo.credit, &format!("{field}.credit"));
    }
}

/// A photo beyond the most a section holds, written as a comment (so the
/// report loads and nothing is lost), the first with a check saying so.
fn extra_photo(w: &mut Writer, section: &Section, j: usize, field: &str, photo: &Photo) {
    let most = MAX_SECTION_PHOTOS;
    w.blank();
    if j == most {
        w.check(&Check {
            field: field.to_owned(),
            message: format!(
                "a section holds at most {most} photos: its other {} stand below as comments; move them to other sections (or to a photo page of their own) and take away the `# `",
                section.photos.len() - most
            ),
        });
    }
    for sub in ["", ".path", ".caption", ".credit"] {
        w.checks(&format!("{field}{sub}"));
    }
    w.comment("[[sections.photos]]");
    w.comment(&format!("path = {}", quoted(&photo.path)));
    w.comment(&format!("caption = {}", quoted(&photo.caption)));
    if !photo.credit.is_empty() {
        w.comment(&format!("credit = {}", quoted(&photo.credit)));
    }
}

fn boxes(w: &mut Writer, report: &Report) {
    if let Some(data_box) = &report.data_box {
        w.table("[data_box]", "data_box");
        w.string("title", &data_box.title, "data_box.title");
        w.checks("data_box.rows");
        w.line("rows = [");
        for row in &data_box.rows {
            w.line(&format!(
                "  {{ label = {}, text = {} }},",
                quoted(&row.label),
                quoted(&row.text)
            ));
        }
        w.line("]");
    }
    if let Some(quote) = &report.quote {
        w.table("[quote]", "quote");
        w.string("label", &quote.label, "quote.label");
        w.text("text", &quote.text, "quote.text");
        w.optional("source", &quote.source, "quote.source");
    }
    let credits = &report.credits;
    if !credits.reporters.is_empty() || !credits.photos.is_empty() {
        w.table("[credits]", "credits");
        if !credits.reporters.is_empty() {
            w.checks("credits.reporters");
            let names: Vec<String> = credits.reporters.iter().map(|n| quoted(n)).collect();
            w.line(&format!("reporters = [{}]", names.join(", ")));
        }
        w.optional("photos", &credits.photos, "credits.photos");
    }
}

/// Builds the text line by line, placing checks.
struct Writer<'a> {
    out: String,
    line: usize,
    notes: &'a Notes,
    /// The indices of each field's checks, in order.
    by_field: HashMap<&'a str, Vec<usize>>,
    used: Vec<bool>,
    placed: Vec<(usize, Check)>,
}

impl Writer<'_> {
    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
        self.line += 1 + text.matches('\n').count();
    }

    fn blank(&mut self) {
        self.line("");
    }

    /// A comment line: TOML comments hold no control characters but tab,
    /// so a line break becomes a space and any other is named (`U+0006`).
    fn comment(&mut self, text: &str) {
        let mut line = String::from("# ");
        for c in text.chars() {
            match c {
                '\n' | '\r' => line.push(' '),
                '\t' => line.push(c),
                c if c.is_control() => line.push_str(&format!("U+{:04X}", u32::from(c))),
                c => line.push(c),
            }
        }
        self.line(&line);
    }

    /// The `# check:` comments for a field.
    fn checks(&mut self, field: &str) {
        let notes = self.notes;
        let Some(indices) = self.by_field.remove(field) else {
            return;
        };
        for i in indices {
            self.used[i] = true;
            self.check(&notes.0[i]);
        }
    }

    /// A `# check:` comment, its line noted.
    fn check(&mut self, check: &Check) {
        self.placed.push((self.line, check.clone()));
        self.comment(&format!("check: {}", check.message));
    }

    fn table(&mut self, header: &str, field: &str) {
        self.blank();
        self.checks(field);
        self.line(header);
    }

    fn string(&mut self, key: &str, value: &str, field: &str) {
        self.checks(field);
        self.line(&format!("{key} = {}", quoted(value)));
    }

    fn optional(&mut self, key: &str, value: &str, field: &str) {
        if !value.is_empty() {
            self.string(key, value, field);
        }
    }

    fn text(&mut self, key: &str, value: &str, field: &str) {
        self.checks(field);
        self.line(&format!("{key} = \"\"\"\n{}\"\"\"", escape(value, true)));
    }

    /// Checks about fields that were not written (none should be left),
    /// at the end so that none is lost.
    fn rest(&mut self) {
        if self.used.iter().all(|&u| u) {
            return;
        }
        self.blank();
        for (i, check) in self.notes.0.iter().enumerate() {
            if !self.used[i] {
                self.used[i] = true;
                self.placed.push((self.line, check.clone()));
                self.comment(&format!("check ({}): {}", check.field, check.message));
            }
        }
    }
}

/// A TOML basic string.
pub fn quoted(value: &str) -> String {
    format!("\"{}\"", escape(value, false))
}

/// Escapes for a basic string (`multi_line` keeps line breaks).
fn escape(value: &str, multi_line: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' if multi_line => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}
