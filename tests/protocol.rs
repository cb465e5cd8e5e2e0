//! The template protocol: templates that break it (a copy of `layouts/`
//! with one line changed, as `--layouts DIR` would give) fail with a
//! template error naming the label, the entry and field, and the line of
//! the template that emitted it.

use crate::common;

use std::path::PathBuf;

use banmian::assets::fonts::FontOptions;
use banmian::build::{Builder, Job, OutputOptions, Settings};
use banmian::{Diagnostic, Error};

/// A copy of the layouts with `old` replaced by `new` in `file` (which
/// must hold `old` once).
struct Changed {
    dir: tempfile::TempDir,
    file: PathBuf,
}

impl Changed {
    fn new(file: &str, old: &str, new: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        for name in ["theme.typ", "spread.typ", "deck.typ"] {
            let text = std::fs::read_to_string(common::repo().join("layouts").join(name)).unwrap();
            let text = if name == file {
                assert_eq!(text.matches(old).count(), 1, "`{old}` is in {file} once");
                text.replace(old, new)
            } else {
                text
            };
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let file = dir.path().join(file);
        Self { dir, file }
    }

    /// The 1-based line and column of the one `metadata` call on the line
    /// that holds `text`.
    fn place_of(&self, text: &str) -> (usize, usize) {
        let source = std::fs::read_to_string(&self.file).unwrap();
        let (n, line) = source
            .lines()
            .enumerate()
            .find(|(_, line)| line.contains(text))
            .unwrap_or_else(|| panic!("`{text}` is in the template"));
        let column = line[..line.find("metadata(").unwrap()].chars().count();
        (n + 1, column + 1)
    }

    /// Checks the seed with these layouts, as `banmian check --layouts`
    /// would: the spread and the deck laid out, photos only measured.
    fn typeset(&self) -> Result<(), Error> {
        let mut settings = Settings::new(common::example());
        settings.root = Some(common::repo());
        settings.layouts = Some(self.dir.path().to_owned());
        settings.fonts = FontOptions {
            ignore_system: true,
            ..Default::default()
        };
        let mut job = Job::new(Vec::new(), OutputOptions::default());
        job.check_only = true;
        Builder::new(settings)
            .build(&job, &mut |_| Ok(()))
            .map(|_| ())
    }

    /// The one template error typesetting gives.
    fn error(&self) -> Diagnostic {
        match self.typeset() {
            Err(Error::Template(mut all)) => {
                assert_eq!(all.len(), 1, "one error: {all:?}");
                all.pop().unwrap()
            }
            Err(other) => panic!("a template error, not {other:?}"),
            Ok(()) => panic!("the broken template is refused"),
        }
    }
}

/// `field` is `<label>[index]` followed by `rest`.
fn assert_field(d: &Diagnostic, label: &str, rest: &str) {
    let field = d.field.as_deref().unwrap_or_else(|| panic!("a field: {d}"));
    let prefix = format!("<{label}>[");
    assert!(field.starts_with(&prefix), "{field} names <{label}>");
    let after = &field[prefix.len()..];
    let close = after.find(']').unwrap();
    assert!(
        after[..close].parse::<usize>().is_ok(),
        "{field} names an entry"
    );
    assert_eq!(&after[close + 1..], rest, "the field inside the entry: {d}");
}

/// The diagnostic is placed in `changed`'s file, at `place`.
fn assert_placed(d: &Diagnostic, changed: &Changed, place: (usize, usize)) {
    assert_eq!(d.file.as_deref(), Some(changed.file.as_path()), "{d}");
    assert_eq!((d.line, d.column), (Some(place.0), Some(place.1)), "{d}");
}

#[test]
fn the_layouts_as_shipped_speak_the_protocol() {
    let same = Changed::new("theme.typ", "#let hao", "#let hao");
    same.typeset().unwrap();
}

#[test]
fn a_missing_field_names_the_entry_and_its_line() {
    let changed = Changed::new(
        "deck.typ",
        "paras: final,\n    anchor: anchor,",
        "paras: final,",
    );
    let d = changed.error();
    assert_field(&d, "banmian-pptx", "");
    assert!(d.message.contains("missing field `anchor`"), "{d}");
    assert_placed(&d, &changed, changed.place_of("<banmian-pptx>]"));
    assert!(d.hint_text().contains("version 2"), "{d}");
}

#[test]
fn a_misspelt_value_is_an_error_not_a_default() {
    let changed = Changed::new("deck.typ", "anchor: anchor,", "anchor: \"centre\",");
    let d = changed.error();
    assert_field(&d, "banmian-pptx", ".anchor");
    assert!(d.message.contains("unknown variant `centre`"), "{d}");
    assert_placed(&d, &changed, changed.place_of("<banmian-pptx>]"));

    let changed = Changed::new("spread.typ", "(kind: \"credits\")", "(kind: \"credit\")");
    let d = changed.error();
    assert_field(&d, "banmian-measure", ".kind");
    assert!(d.message.contains("unknown kind `credit`"), "{d}");
    assert_placed(&d, &changed, changed.place_of("<banmian-measure>]"));
}

#[test]
fn a_wrong_type_names_the_field() {
    let changed = Changed::new("spread.typ", "pitch: pitch.pt()", "pitch: pitch");
    let d = changed.error();
    assert_field(&d, "banmian-geometry", ".pitch");
    assert!(d.message.contains("invalid type"), "{d}");
    assert_placed(&d, &changed, changed.place_of("[#metadata(("));
}

#[test]
fn a_grid_without_a_positive_pitch_is_refused() {
    let changed = Changed::new("spread.typ", "pitch: pitch.pt()", "pitch: 0.0");
    let d = changed.error();
    assert_field(&d, "banmian-geometry", ".pitch");
    assert!(d.message.contains("must be above 0"), "{d}");
}

#[test]
fn another_protocol_version_is_refused() {
    let changed = Changed::new("spread.typ", "(version: 2)", "(version: 3)");
    let d = changed.error();
    assert_field(&d, "banmian-protocol", ".version");
    assert!(d.message.contains("version 3"), "{d}");
    assert!(d.hint_text().contains("speaks version 2"), "{d}");
    assert_placed(&d, &changed, changed.place_of("#metadata((version"));
}

#[test]
fn a_template_without_a_version_is_refused() {
    let line = "#metadata((version: 2)) <banmian-protocol>\n";
    let changed = Changed::new("deck.typ", line, "");
    let d = changed.error();
    assert_eq!(d.field.as_deref(), Some("<banmian-protocol>"));
    assert!(d.message.contains("declares no protocol version"), "{d}");
    assert!(d.hint_text().contains("speaks version 2"), "{d}");
    assert_eq!(d.file.as_deref(), Some(changed.file.as_path()), "{d}");
}

#[test]
fn an_error_in_a_themes_function_names_the_call_too() {
    let changed = Changed::new(
        "theme.typ",
        "#let hao",
        "#let boom(x) = x + \"a\"\n#let hao",
    );
    let spread = changed.dir.path().join("spread.typ");
    let text = std::fs::read_to_string(&spread).unwrap();
    std::fs::write(&spread, format!("{text}\n#boom(1)\n")).unwrap();
    let d = changed.error();
    assert!(d.message.contains("cannot add"), "{d}");
    assert_eq!(d.file.as_deref(), Some(changed.file.as_path()), "{d}");
    let call = text.lines().count() + 2;
    let at = format!("while calling `boom` at {}:{call}:2", spread.display());
    assert!(d.hint_text().contains(&at), "the call is named: {d}");
}
