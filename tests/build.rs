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
