//! The library's build pipeline on its own, as a program embedding banmian
//! would use it: no command line, no files written.

use crate::common;

use std::sync::Arc;

use banmian::assets::fonts::FontOptions;
use banmian::build::{Builder, Job, Output, OutputOptions, Product, Settings, Target};

fn settings() -> Settings {
    let mut settings = Settings::new(common::example());
    settings.root = Some(common::repo());
    settings.fonts = FontOptions {
        ignore_system: true,
        ..FontOptions::default()
    };
    settings
}

/// Builds `job`, keeping every product.
fn build(builder: &mut Builder, job: &Job) -> (banmian::build::Built, Vec<Product>) {
    let mut products = Vec::new();
    let built = builder
        .build(job, &mut |product| {
            products.push(product);
            Ok(())
        })
        .unwrap();
    (built, products)
}

/// A check measures and reviews the spread and the deck, and makes
/// nothing, whatever outputs the job names.
#[test]
fn a_check_makes_nothing_and_reports_the_layout() {
    let dir = tempfile::tempdir().unwrap();
    let mut job = Job::new(
        vec![
            Output::Spread(dir.path().join("x.pdf")),
            Output::DeckPptx(dir.path().join("x.pptx")),
        ],
        OutputOptions::default(),
    );
    job.check_only = true;
    let (built, products) = build(&mut Builder::new(settings()), &job);
    assert!(
        products.is_empty(),
        "a check made {} products",
        products.len()
    );
    assert_eq!(built.pages, 2);
    assert!(built.slides > 0, "the deck was laid out");
    let layout = built.layout.expect("the layout's measures");
    assert_eq!(layout.overset_lines, 0);
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

/// Previews are every page and slide, in memory; a rebuild of the same
/// report draws none of them again (the same bytes, shared), and an edit
/// redraws only the pages it changed.
#[test]
fn previews_redraw_only_what_changed() {
    // The example and its photos, in a folder of their own to edit.
    let dir = tempfile::tempdir().unwrap();
    for folder in ["examples/fuling", "images"] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        for entry in std::fs::read_dir(common::repo().join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                std::fs::copy(
                    &path,
                    dir.path().join(folder).join(path.file_name().unwrap()),
                )
                .unwrap();
            }
        }
    }
    let report = dir.path().join("examples/fuling/report.toml");
    let mut settings = settings();
    settings.report = report.clone();
    settings.root = Some(dir.path().to_owned());
    let mut builder = Builder::new(settings);
    let job = Job::new(vec![Output::Previews], OutputOptions::default());
    let (_, first) = build(&mut builder, &job);
    let names: Vec<String> = first
        .iter()
        .map(|p| match &p.target {
            Target::Preview { name, .. } => name.clone(),
            Target::File(path) => panic!("a preview job wrote {}", path.display()),
        })
        .collect();
    assert!(names.contains(&"page-2.png".to_owned()), "{names:?}");
    assert!(names.contains(&"slide-1.png".to_owned()), "{names:?}");

    let (_, again) = build(&mut builder, &job);
    assert_eq!(again.len(), first.len());
    for (a, b) in first.iter().zip(&again) {
        assert_eq!(a.target, b.target);
        assert!(
            Arc::ptr_eq(&a.bytes, &b.bytes),
            "{:?} drawn again",
            a.target
        );
    }

    // A key figure, printed on page 1 (and its slide), not on page 2.
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.contains("value = \"2471\""));
    std::fs::write(
        &report,
        text.replace("value = \"2471\"", "value = \"2588\""),
    )
    .unwrap();
    let (_, edited) = build(&mut builder, &job);
    let redrawn: Vec<String> = first
        .iter()
        .zip(&edited)
        .filter(|(a, b)| !Arc::ptr_eq(&a.bytes, &b.bytes))
        .map(|(a, _)| format!("{:?}", a.target))
        .collect();
    assert!(
        redrawn.iter().any(|t| t.contains("page-1.png")),
        "{redrawn:?}"
    );
    assert!(
        !redrawn.iter().any(|t| t.contains("page-2.png")),
        "page 2 has no key figure: {redrawn:?}"
    );
}

/// The example and its photos in a folder of their own, to edit: the report's path.
fn example_copy(dir: &std::path::Path) -> std::path::PathBuf {
    for folder in ["examples/fuling", "images"] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
        for entry in std::fs::read_dir(common::repo().join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                std::fs::copy(&path, dir.join(folder).join(path.file_name().unwrap())).unwrap();
            }
        }
    }
    dir.join("examples/fuling/report.toml")
}

/// The example copied into `dir` to edit: its report, the settings that
/// build it, and a job for its spread alone (dated, overset allowed).
fn editable(dir: &std::path::Path) -> (std::path::PathBuf, Settings, Job) {
    let report = example_copy(dir);
    let mut settings = settings();
    settings.report = report.clone();
    settings.root = Some(dir.to_owned());
    let options = OutputOptions {
        source_date_epoch: Some(1_709_596_800),
        allow_overset: true,
        ..OutputOptions::default()
    };
    let job = Job::new(vec![Output::Spread(dir.join("x.pdf"))], options);
    (report, settings, job)
}

/// After a build, an edit measures only the pieces it changed (a piece's
/// data, or nothing at all), and the spread is the same, byte for byte, as
/// a fresh builder's of the edited report; an edit of the design (the
/// masthead, the options) measures everything again.
#[test]
fn an_edit_measures_only_the_pieces_it_changed() {
    let dir = tempfile::tempdir().unwrap();
    let (report, settings, job) = editable(dir.path());
    let pdf = |products: &[Product]| products[0].bytes.clone();
    let measuring = |built: &banmian::build::Built| {
        built
            .timings
            .iter()
            .find(|(name, _)| name.starts_with("measure"))
            .map(|(name, _)| *name)
            .unwrap()
    };
    let mut builder = Builder::new(settings.clone());
    let (first, _) = build(&mut builder, &job);
    assert_eq!(measuring(&first), "measure");

    let mut text = std::fs::read_to_string(&report).unwrap();
    let edits: [(&str, &str, &str); 6] = [
        // A key figure: the figures panel.
        ("value = \"2471\"", "value = \"2588\"", "measure changed"),
        // A paragraph of the second story (and its pull quote, if any).
        (
            "一气呵成。",
            "一气呵成，产品源源不断地走向全国各地的市场。",
            "measure changed",
        ),
        // A caption: the section's heading and captions.
        (
            "卡深科技生产车间",
            "卡深科技复合材料生产车间，工人正在检查新下线的产品",
            "measure changed",
        ),
        // A paragraph taken out: the story's paragraphs after it move up.
        (
            "当好技术改造的标兵，才能成为产业突围的尖兵。作为传统企业转型升级的代表，太极并不是个案。\n\n",
            "",
            "measure changed",
        ),
        // The same report again: nothing is measured.
        ("", "", "measures kept"),
        // The masthead is the design: everything again.
        ("date = \"2024-03-05\"", "date = \"2024-03-06\"", "measure"),
    ];
    for (from, to, expected) in edits {
        if !from.is_empty() {
            assert!(text.contains(from), "the example holds {from}");
            text = text.replacen(from, to, 1);
        }
        std::fs::write(&report, &text).unwrap();
        let (built, products) = build(&mut builder, &job);
        let (_, fresh) = build(&mut Builder::new(settings.clone()), &job);
        assert_eq!(measuring(&built), expected, "after {from:?}");
        assert!(
            pdf(&products) == pdf(&fresh),
            "after {from:?}: the spread differs from a fresh build's"
        );
    }
}

/// A builder that is kept (a watch) draws the last plan with an edited
/// report while it measures the edit, and uses those pages (and their PDF)
/// when the edit's plan is the same; either way the spread is the same,
/// byte for byte, as a fresh builder's of the edited report.
#[test]
fn pages_drawn_ahead_are_those_of_the_edits_own_plan() {
    let dir = tempfile::tempdir().unwrap();
    let (report, settings, job) = editable(dir.path());
    let ahead = |built: &banmian::build::Built| {
        let has = |phase: &str| built.timings.iter().any(|(name, _)| *name == phase);
        (has("draw ahead"), has("pdf ahead"))
    };
    let mut builder = Builder::new(settings.clone());
    let (first, _) = build(&mut builder, &job);
    assert_eq!(ahead(&first), (false, false), "nothing to draw ahead from");

    let mut text = std::fs::read_to_string(&report).unwrap();
    let photo = dir.path().join("images/ceramic-cups.jpg");
    let edits: [(&str, &str, bool); 5] = [
        // A key figure: the plan stays, the pages drawn ahead are used.
        ("value = \"2471\"", "value = \"2588\"", true),
        // A word of the first story: text changes, lines stay.
        ("自主创新动力", "自主创新能力", true),
        // More lines: another plan, drawn as ever.
        (
            "一气呵成。",
            "一气呵成，产品源源不断地走向全国各地的市场，订单排到了下半年。",
            false,
        ),
        // A photo's bytes (the same pixels, a comment more): the plan stays.
        ("", "photo", true),
        // The same report again.
        ("", "", true),
    ];
    for (from, to, expected) in edits {
        match (from, to) {
            ("", "photo") => {
                let mut bytes = std::fs::read(&photo).unwrap();
                // A COM segment right after the start of image.
                bytes.splice(2..2, *b"\xFF\xFE\x00\x08banmian");
                std::fs::write(&photo, bytes).unwrap();
            }
            ("", "") => {}
            _ => {
                assert!(text.contains(from), "the example holds {from}");
                text = text.replacen(from, to, 1);
                std::fs::write(&report, &text).unwrap();
            }
        }
        let (built, products) = build(&mut builder, &job);
        let (_, fresh) = build(&mut Builder::new(settings.clone()), &job);
        assert!(
            products[0].bytes == fresh[0].bytes,
            "after {from:?} {to:?}: the spread differs from a fresh build's"
        );
        assert_eq!(ahead(&built), (expected, expected), "after {from:?} {to:?}");
    }
}
