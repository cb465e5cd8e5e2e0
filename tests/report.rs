//! Loading reports: every kind of error names file, line, column and field,
//! with a hint; the three formats read the same model.

use crate::common;

use std::path::Path;

use banmian::Diagnostic;
use banmian::report::{SourceFormat, load, parse, read, validate};

const VALID: &str = r#"[masthead]
paper = "测试日报"
date = "2024-03-05"

[headline]
title = "主题"

[[sections]]
heading = "小标题"
text = """
第一段。

第二段。
"""

[[sections.photos]]
path = "a.jpg"
caption = "图片说明"
"#;

fn toml_error(text: &str) -> Diagnostic {
    parse(Path::new("r.toml"), text.to_owned(), SourceFormat::Toml).unwrap_err()
}

/// The one problem validation finds in a report that parses.
fn toml_problem(text: &str) -> Diagnostic {
    let loaded = parse(Path::new("r.toml"), text.to_owned(), SourceFormat::Toml).unwrap();
    let mut problems = validate(&loaded);
    assert_eq!(problems.len(), 1, "{problems:?}");
    problems.remove(0)
}

/// The one diagnostic of a failed load.
fn only(err: banmian::Error) -> Diagnostic {
    let mut all = err.diagnostics();
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

#[test]
fn the_example_report_loads_completely() {
    let loaded = load(&common::example()).unwrap();
    let report = &loaded.report;
    assert_eq!(report.sections.len(), 3);
    assert_eq!(report.figures.len(), 7);
    assert_eq!(report.data_box.as_ref().unwrap().rows.len(), 5);
    assert_eq!(report.credits.reporters, ["刘玉珮", "龙搏", "马菱涛"]);
    assert!(report.sections.iter().all(|s| s.photos.len() == 1));
    // The paragraph cut by a subhead in the extraction is one paragraph again.
    let first = banmian::report::paragraphs(&report.sections[0].text);
    assert!(
        first
            .iter()
            .any(|p| p.starts_with("以创新为第一生产力，华峰勇闯技术“无人区”"))
    );
    assert!(!loaded.text.as_str().contains("**"));
}

#[test]
fn syntax_errors_have_line_and_column() {
    let err = toml_error("[masthead]\npaper = \"x\ndate = 1\n");
    assert_eq!(err.line, Some(2), "{err}");
    assert!(err.column.is_some());
    assert!(err.hint_text().contains("TOML"), "{err}");
}

#[test]
fn unknown_fields_name_the_path_and_suggest_the_right_one() {
    let text = VALID.replace("caption = ", "captoin = ");
    let err = toml_error(&text);
    assert_eq!(
        err.field.as_deref(),
        Some("sections[0].photos[0].captoin"),
        "{err}"
    );
    assert_eq!(err.line, Some(18), "{err}");
    assert_eq!(err.column, Some(1), "{err}");
    assert!(err.message.contains("unknown field `captoin`"), "{err}");
    assert!(err.hint_text().contains("did you mean `caption`"), "{err}");
    let shown = err.to_string();
    assert!(shown.starts_with("r.toml:18:1: unknown field"), "{shown}");
}

#[test]
fn missing_fields_are_named() {
    let err = toml_error(&VALID.replace("title = \"主题\"\n", ""));
    assert!(err.message.contains("missing field `title`"), "{err}");
    assert_eq!(err.field.as_deref(), Some("headline"), "{err}");
    assert_eq!(err.line, Some(5), "{err}");
    assert!(!err.hints.is_empty());
}

#[test]
fn wrong_types_point_at_the_value() {
    let err = toml_error(&VALID.replace(
        "date = \"2024-03-05\"",
        "date = \"2024-03-05\"\npages = \"6\"",
    ));
    assert_eq!(err.field.as_deref(), Some("masthead.pages"), "{err}");
    assert_eq!((err.line, err.column), (Some(4), Some(9)), "{err}");
    assert!(err.message.contains("invalid type"), "{err}");
}

#[test]
fn semantic_errors_are_positioned_too() {
    let err = toml_problem(&VALID.replace("2024-03-05", "2024/03/05"));
    assert_eq!(err.field.as_deref(), Some("masthead.date"), "{err}");
    assert_eq!((err.line, err.column), (Some(3), Some(8)), "{err}");
    assert!(err.hint_text().contains("YYYY-MM-DD"));

    let err = toml_problem(&VALID.replace("caption = \"图片说明\"", "focus = [1.5, 0.5]"));
    assert_eq!(
        err.field.as_deref(),
        Some("sections[0].photos[0].focus"),
        "{err}"
    );
    assert_eq!(err.line, Some(18), "{err}");

    // Only the first section, the story's opening, goes without a subhead.
    let err = toml_problem(
        &format!("{VALID}{SECOND}").replace("heading = \"第二节\"", "heading = \"  \""),
    );
    assert_eq!(err.field.as_deref(), Some("sections[1].heading"), "{err}");
    assert_eq!(err.line, Some(21), "{err}");
}

/// A second section, to append to `VALID`.
const SECOND: &str = r#"
[[sections]]
heading = "第二节"
text = "第三段。"
"#;

/// Validation reports every problem at once, each at its field, so that
/// an editor fixes them all in one pass.
#[test]
fn every_problem_is_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{VALID}{SECOND}")
        .replace("2024-03-05", "2024-02-30")
        .replace("heading = \"第二节\"", "heading = \"\"")
        .replace("caption = \"图片说明\"", "crop = 0.9");
    let path = common::write_report(dir.path(), &text);
    let problems = load(&path).unwrap_err().diagnostics();
    let fields: Vec<_> = problems.iter().map(|p| p.field.as_deref()).collect();
    assert_eq!(
        fields,
        [
            Some("masthead.date"),
            Some("sections[0].photos[0].crop"),
            Some("sections[1].heading"),
        ],
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .all(|p| p.line.is_some() && !p.hints.is_empty())
    );
    // `read` only parses: validation is the caller's next step.
    let loaded = read(&path).unwrap();
    assert_eq!(validate(&loaded), problems);
}

/// Control characters print as nothing: they are reported at their field.
#[test]
fn control_characters_in_printed_text_are_problems() {
    let err =
        toml_problem(&VALID.replace("caption = \"图片说明\"", "caption = \"图片\\u000B说明\""));
    assert_eq!(
        err.field.as_deref(),
        Some("sections[0].photos[0].caption"),
        "{err}"
    );
    assert!(err.message.contains("U+000B"), "{err}");
}

#[test]
fn json_errors_have_positions() {
    let text = r#"{
  "masthead": {"paper": "x", "date": "2024-03-05"},
  "headline": {"title": "t", "colour": "red"},
  "sections": []
}"#;
    let err = parse(Path::new("r.json"), text.into(), SourceFormat::Json).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("headline.colour"), "{err}");
    assert_eq!(err.line, Some(3), "{err}");
    assert!(err.column.is_some());
}

#[test]
fn yaml_errors_have_positions() {
    let text = "masthead:\n  paper: x\n  date: '2024-03-05'\nheadline:\n  title: t\nsections:\n  - heading: h\n    txt: body\n";
    let err = parse(Path::new("r.yaml"), text.into(), SourceFormat::Yaml).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("sections[0].txt"), "{err}");
    assert_eq!(err.line, Some(8), "{err}");
    assert!(err.hint_text().contains("did you mean `text`"), "{err}");
}

#[test]
fn json_and_yaml_read_the_same_model() {
    let toml = parse(Path::new("r.toml"), VALID.into(), SourceFormat::Toml)
        .unwrap()
        .report;
    let json = serde_json::to_string_pretty(&toml).unwrap();
    let from_json = parse(Path::new("r.json"), json, SourceFormat::Json)
        .unwrap()
        .report;
    assert_eq!(from_json, toml);
    let yaml = serde_norway::to_string(&toml).unwrap();
    let from_yaml = parse(Path::new("r.yaml"), yaml, SourceFormat::Yaml)
        .unwrap()
        .report;
    assert_eq!(from_yaml, toml);
}

#[test]
fn files_that_cannot_be_read_are_explained() {
    let err = only(load(Path::new("no/such/report.toml")).unwrap_err());
    assert!(err.message.contains("failed to read"), "{err}");
    let err = only(read(Path::new("report.docx")).unwrap_err());
    assert!(err.hint_text().contains(".toml"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, b"paper = \"\xff\"\n").unwrap();
    let err = only(load(&path).unwrap_err());
    assert!(err.message.contains("UTF-8"), "{err}");
    assert_eq!((err.line, err.column), (Some(1), Some(10)), "{err}");
}

#[test]
fn json_and_yaml_syntax_errors_are_positioned_with_a_hint() {
    let err = parse(
        Path::new("r.json"),
        "{\n  \"masthead\": {,\n}".into(),
        SourceFormat::Json,
    )
    .unwrap_err();
    assert_eq!(err.line, Some(2), "{err}");
    assert!(err.hint_text().contains("not valid JSON"), "{err}");
    let err = parse(
        Path::new("r.yaml"),
        "masthead:\n  paper: x\n    date: : y\n".into(),
        SourceFormat::Yaml,
    )
    .unwrap_err();
    assert!(err.line.is_some(), "{err}");
    assert!(err.hint_text().contains("not valid YAML"), "{err}");
}

/// What a build does with a report that fails validation: it still checks
/// glyphs and photos (`Typesetter::check`), so that everything is reported
/// together, and nothing there trips over the invalid fields.
#[test]
fn a_report_that_fails_validation_is_still_checked_for_glyphs_and_photos() {
    use std::sync::Arc;

    use banmian::assets::fonts::{FontOptions, Fonts};
    use banmian::assets::photos::{PhotoOptions, PhotoStore};
    use banmian::assets::root::Root;
    use banmian::typeset::{Layouts, Typesetter};

    let dir = tempfile::tempdir().unwrap();
    let text = VALID
        .replace("2024-03-05", "2024-13-01")
        .replace("caption = \"图片说明\"", "focus = [5.0, -1.0]\ncrop = -2.0")
        + "\n[[figures]]\nlabel = \"\"\nvalue = \"\"\n\n[deck]\nfigures = [\"无此数字\"]\n\
           [[deck.sections]]\npoints = [\"一\"]\nphoto = 7\n\
           [[deck.sections]]\npoints = [\"第二\u{20000}点\", \"二\"]\n";
    let path = common::write_report(dir.path(), &text);
    let loaded = read(&path).unwrap();
    assert!(validate(&loaded).len() >= 6, "{:?}", validate(&loaded));

    let fonts = Arc::new(Fonts::discover(&FontOptions {
        ignore_system: true,
        ..Default::default()
    }));
    let root = Root::new(dir.path()).unwrap();
    let photos = Arc::new(PhotoStore::new(PhotoOptions::default()));
    let typesetter = Typesetter::new(fonts, Layouts::discover(None), root, photos);
    let problems = typesetter.check(&loaded).unwrap_err().diagnostics();
    let fields: Vec<_> = problems.iter().map(|p| p.field.as_deref()).collect();
    assert_eq!(
        fields,
        [
            Some("deck.sections[1].points[0]"),
            Some("sections[0].photos[0].path"),
        ],
        "{problems:?}"
    );
}

/// The parts of a newsroom's story: an opening without a subhead, a
/// two-line subhead's kicker, a dateline and run-in leads that open
/// paragraphs. Each that does not fit together is a problem at its field.
#[test]
fn openings_kickers_datelines_and_leads_fit_their_text() {
    let story = r#"[masthead]
paper = "测试日报"
date = "2024-03-05"

[headline]
title = "主题"

[[sections]]
dateline = "本报北京1月4日电"
text = """
本报北京1月4日电（记者 张三）开头一段。
"""

[[sections]]
kicker = "扶贫有抓手——"
heading = "产业带动出活力"
text = """
生产方式更绿色——第一段。

第二段。
"""
leads = ["生产方式更绿色——"]
"#;
    let loaded = parse(Path::new("r.toml"), story.to_owned(), SourceFormat::Toml).unwrap();
    assert_eq!(
        validate(&loaded),
        [],
        "an opening, a kicker, a dateline and a lead"
    );
    let section = &loaded.report.sections[1];
    assert_eq!(
        section.openings(),
        [
            Some(("生产方式更绿色——".len(), banmian::report::Opening::Lead)),
            None
        ]
    );

    let err = toml_problem(&story.replace(
        "dateline = \"本报北京1月4日电\"",
        "dateline = \"新华社北京1月4日电\"",
    ));
    assert_eq!(err.field.as_deref(), Some("sections[0].dateline"), "{err}");
    assert_eq!(err.line, Some(9), "{err}");
    assert!(err.message.contains("新华社北京1月4日电"), "{err}");

    let err = toml_problem(&story.replace(
        "leads = [\"生产方式更绿色——\"]",
        "leads = [\"生活方式更低碳——\"]",
    ));
    assert_eq!(err.field.as_deref(), Some("sections[1].leads[0]"), "{err}");
    assert_eq!(err.line, Some(22), "{err}");

    // A section after the opening needs its subhead, and a kicker one.
    let headless = story.replace("heading = \"产业带动出活力\"\n", "");
    let loaded = parse(Path::new("r.toml"), headless, SourceFormat::Toml).unwrap();
    let problems = validate(&loaded);
    let fields: Vec<_> = problems.iter().map(|p| p.field.as_deref()).collect();
    assert_eq!(
        fields,
        [Some("sections[1].heading"), Some("sections[1].kicker")],
        "{problems:?}"
    );
}
