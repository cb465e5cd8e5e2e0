//! The template protocol: templates that break it (a copy of `layouts/`
//! with one line changed, as `--layouts DIR` would give) fail with a
//! template error naming the label, the entry and field, and the line of
//! the template that emitted it. And templates own their numbers: a copy
//! with its grid, slide size, default crops or items' order changed
//! changes what banmian counts and composes.

use crate::common;

use std::path::{Path, PathBuf};

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

    /// `banmian check --json` of `report` (beside the seed) with these
    /// layouts, and `extra` arguments.
    fn check(&self, report: &Path, extra: &[&str]) -> std::process::Output {
        let repo = common::repo();
        let (report, repo) = (report.to_str().unwrap(), repo.to_str().unwrap());
        let layouts = self.dir.path().to_str().unwrap();
        let mut args = vec![
            "check",
            "--json",
            report,
            "--root",
            repo,
            "--layouts",
            layouts,
        ];
        args.extend(extra);
        common::banmian(&args, self.dir.path())
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
    assert!(d.hint_text().contains("version 3"), "{d}");
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
    let changed = Changed::new("spread.typ", "(version: 3)", "(version: 4)");
    let d = changed.error();
    assert_field(&d, "banmian-protocol", ".version");
    assert!(d.message.contains("version 4"), "{d}");
    assert!(d.hint_text().contains("speaks version 3"), "{d}");
    assert_placed(&d, &changed, changed.place_of("#metadata((version"));
}

#[test]
fn a_template_without_a_version_is_refused() {
    let line = "#metadata((version: 3)) <banmian-protocol>\n";
    let changed = Changed::new("deck.typ", line, "");
    let d = changed.error();
    assert_eq!(d.field.as_deref(), Some("<banmian-protocol>"));
    assert!(d.message.contains("declares no protocol version"), "{d}");
    assert!(d.hint_text().contains("speaks version 3"), "{d}");
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

/// The shipped layouts, copied unchanged.
fn shipped() -> Changed {
    Changed::new("theme.typ", "#let hao", "#let hao")
}

#[test]
fn the_pages_a_report_is_bounded_by_are_the_templates() {
    // A lede far beyond a page, refused before anything is measured.
    let report = common::seed_variant(|r| {
        r["lede"]["text"] = toml::Value::String("涪".repeat(10_000));
    });
    let refusal = |layouts: &Changed| {
        let output = layouts.check(report.path(), &[]);
        assert_eq!(output.status.code(), Some(1));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    // 8 columns by 99 lines; with half the type area, by 49.
    let err = refusal(&shipped());
    assert!(err.contains("a page holds 792"), "{err}");
    let halved = Changed::new("theme.typ", "type-height: 490mm", "type-height: 245mm");
    let err = refusal(&halved);
    assert!(err.contains("a page holds 392"), "{err}");
}

#[test]
fn the_slide_a_deck_text_is_bounded_by_is_the_templates() {
    // A point only the deck sets, of 2,000 characters: within a 960 × 540
    // slide at 10 pt, beyond one a quarter the size.
    let report = common::seed_variant(|r| {
        let points = toml::Value::Array(vec!["涪".repeat(2_000).into(), "短".into()]);
        let first = r["deck"]["sections"][0].as_table_mut().unwrap();
        first.insert("points".into(), points);
    });
    let deck = |layouts: &Changed| {
        let pdf = layouts.dir.path().join("deck.pdf");
        layouts.check(report.path(), &["--deck", pdf.to_str().unwrap()])
    };
    let findings =
        |output: &std::process::Output| String::from_utf8_lossy(&output.stdout).into_owned();
    let err = findings(&deck(&shipped()));
    assert!(!err.contains("the deck cannot show it"), "{err}");
    let quarter = Changed::new(
        "deck.typ",
        "#let slide-w = 960pt\n#let slide-h = 540pt",
        "#let slide-w = 480pt\n#let slide-h = 270pt",
    );
    let output = deck(&quarter);
    let err = findings(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("the deck cannot show it"), "{err}");
    assert!(err.contains("deck.sections[0].points[0]"), "{err}");
}

/// The layout `check --json` reports.
fn layout(output: &std::process::Output) -> serde_json::Value {
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("JSON: {}", common::stderr(output)));
    json["layout"].clone()
}

#[test]
fn a_photos_default_crop_is_the_templates() {
    let most_cut = |layouts: &Changed| {
        let layout = layout(&layouts.check(&common::example(), &[]));
        let photos = layout["photos"].as_array().unwrap().clone();
        let stories = photos.iter().filter(|p| p["field"] != "banner.photo");
        let cuts = stories.flat_map(|p| [p["crop_width"].as_f64(), p["crop_height"].as_f64()]);
        cuts.map(Option::unwrap).fold(0.0, f64::max)
    };
    // The shipped crop lets the example's story photos lose a sixth.
    let shipped = most_cut(&shipped());
    assert!(shipped > 0.1, "{shipped}");
    let tight = Changed::new("theme.typ", "crop: (photo: 0.4,", "crop: (photo: 0.05,");
    let tight = most_cut(&tight);
    assert!(tight <= 0.05 + 1e-9, "{tight}");
}

/// The kinds of the elements the composer placed, in reading order (from
/// the Typst project `check` writes).
fn reading_order(layouts: &Changed) -> Vec<String> {
    let project = layouts.dir.path().join("project");
    let output = layouts.check(
        &common::example(),
        &["--typst-project", project.to_str().unwrap()],
    );
    assert!(
        project.join("plan.json").exists(),
        "{}",
        common::stderr(&output)
    );
    let plan: serde_json::Value =
        serde_json::from_slice(&std::fs::read(project.join("plan.json")).unwrap()).unwrap();
    // The band beside the banner first, then each page.
    let band = plan["band"]["side"].as_array().cloned().unwrap_or_default();
    let pages = plan["pages"].as_array().unwrap();
    let elements = pages.iter().flat_map(|p| p["elements"].as_array().unwrap());
    band.iter()
        .chain(elements)
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_items_order_is_the_templates() {
    let at = |kinds: &[String], kind: &str| {
        let at = kinds.iter().position(|k| k == kind);
        at.unwrap_or_else(|| panic!("a {kind} in {kinds:?}"))
    };
    // Shipped: the stories, with the chart after the first; then the data
    // box and the quote.
    let kinds = reading_order(&shipped());
    assert!(at(&kinds, "heading") < at(&kinds, "chart"), "{kinds:?}");
    assert!(at(&kinds, "heading") < at(&kinds, "quote"), "{kinds:?}");
    let changed = Changed::new(
        "spread.typ",
        "body: (\"sections\", \"data-box\", \"quote\"),\n  charts-after: 1,",
        "body: (\"quote\", \"sections\", \"data-box\"),\n  charts-after: 0,",
    );
    let kinds = reading_order(&changed);
    assert!(at(&kinds, "quote") < at(&kinds, "heading"), "{kinds:?}");
    assert!(at(&kinds, "chart") < at(&kinds, "heading"), "{kinds:?}");
}

#[test]
fn a_template_without_a_geometry_pass_is_told_what_the_pass_is() {
    let changed = Changed::new(
        "spread.typ",
        "#if plan.mode == \"geometry\" { geometry() } else if plan.mode == \"measure\"",
        "#if plan.mode == \"measure\"",
    );
    let d = changed.error();
    assert!(d.hint_text().contains("geometry pass"), "{d}");
    assert!(d.hint_text().contains("<banmian-geometry>"), "{d}");
    assert_eq!(d.file.as_deref(), Some(changed.file.as_path()), "{d}");
}
