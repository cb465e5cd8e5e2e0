//! The composer on the seed and on variants of it: the seed fills its
//! spread, a story longer than its room continues on the facing page with
//! jump lines, copy beyond the spread is an error naming the smallest cut
//! that fits (and that cut does fit), holes are reported with what would
//! fill them, photos keep their proportions, and the layout's measures are
//! in `check --json`.

mod common;

use std::path::Path;
use std::process::Output;

use common::{Checked, banmian, check_json, pdf_text, seed_variant, stderr, tool};

fn sections(report: &mut toml::Table) -> &mut Vec<toml::Value> {
    report["sections"].as_array_mut().unwrap()
}

/// Repeats a section's text `times` times.
fn grow(report: &mut toml::Table, index: usize, times: usize) {
    let section = sections(report)[index].as_table_mut().unwrap();
    let text = section["text"].as_str().unwrap().to_owned();
    section["text"] = toml::Value::String(vec![text; times].join("\n\n"));
}

/// Drops `count` characters (white space aside) from a section's end.
fn cut(report: &mut toml::Table, index: usize, count: usize) {
    let section = sections(report)[index].as_table_mut().unwrap();
    let mut text: Vec<char> = section["text"].as_str().unwrap().chars().collect();
    let mut left = count;
    while left > 0 {
        match text.pop() {
            Some(c) if !c.is_whitespace() => left -= 1,
            Some(_) => {}
            None => break,
        }
    }
    section["text"] = toml::Value::String(text.into_iter().collect());
}

fn check(report: &Path, dir: &Path) -> Checked {
    check_json(report, &common::repo(), dir)
}

/// Renders a report with the repository as its root.
fn render(report: &Path, out: &Path, extra: &[&str], dir: &Path) -> Output {
    let repo = common::repo();
    let args = [
        "render",
        report.to_str().unwrap(),
        "--root",
        repo.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    banmian(&[&args[..], extra].concat(), dir)
}

fn deep_holes(checked: &Checked) -> Vec<serde_json::Value> {
    checked.layout["holes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["depth"].as_u64().unwrap() >= 3)
        .cloned()
        .collect()
}

#[test]
fn the_seed_fills_its_spread_without_holes() {
    let dir = tempfile::tempdir().unwrap();
    let checked = check(&common::example(), dir.path());
    assert_eq!(checked.code, Some(0), "{:?}", checked.findings);
    assert!(checked.of("error").is_empty(), "{:?}", checked.findings);
    assert!(checked.of("warning").is_empty(), "{:?}", checked.findings);
    let layout = &checked.layout;
    assert!(deep_holes(&checked).is_empty(), "{layout}");
    assert!(layout["hole_share"].as_f64().unwrap() <= 0.03, "{layout}");
    assert_eq!(layout["reading_order"], true);
    assert_eq!(layout["overset_lines"], 0);
    assert!(layout["leg_imbalance"].as_u64().unwrap() <= 1, "{layout}");
    // The banner and the three section photos, each within its crop limit.
    let photos = layout["photos"].as_array().unwrap();
    assert_eq!(photos.len(), 4, "{layout}");
    for photo in photos {
        let cut = photo["crop_width"]
            .as_f64()
            .unwrap()
            .max(photo["crop_height"].as_f64().unwrap());
        assert!(cut <= 0.5 + 1e-9, "{photo}");
        assert!(photo["ppi"].as_f64().unwrap() >= 200.0, "{photo}");
    }
}

#[test]
fn the_layouts_measures_add_up() {
    let dir = tempfile::tempdir().unwrap();
    // A section removed leaves room: the measures say where.
    let variant = seed_variant(|r| {
        sections(r).remove(1);
        r["deck"]["sections"].as_array_mut().unwrap().remove(1);
    });
    let checked = check(variant.path(), dir.path());
    let layout = &checked.layout;
    let cells: u64 = layout["holes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["cells"].as_u64().unwrap())
        .sum();
    let lines: u64 = layout["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_u64().unwrap())
        .sum();
    let share = cells as f64 / (lines * layout["columns"].as_u64().unwrap()) as f64;
    assert!(
        (share - layout["hole_share"].as_f64().unwrap()).abs() < 1e-9,
        "{layout}"
    );
    // Every hole three lines deep or more is a warning with a remedy.
    let warned = checked
        .of("warning")
        .into_iter()
        .filter(|w| w["message"].as_str().unwrap().contains("hole of"))
        .count();
    assert_eq!(warned, deep_holes(&checked).len(), "{:?}", checked.findings);
    for warning in checked.of("warning") {
        let hint = &common::hints(warning);
        assert!(
            hint.contains("characters") && hint.contains("photo"),
            "{hint}"
        );
    }
}

#[test]
fn a_story_longer_than_its_room_continues_on_the_facing_page() {
    let dir = tempfile::tempdir().unwrap();
    // Nine times the first story: more than a page holds beside the rest.
    let variant = seed_variant(|r| grow(r, 0, 9));
    let checked = check(variant.path(), dir.path());
    assert_eq!(checked.code, Some(0), "{:?}", checked.findings);
    let jumps = checked.layout["jumps"].as_array().unwrap();
    assert_eq!(jumps.len(), 1, "{}", checked.layout);
    assert_eq!(jumps[0]["field"], "sections[0]");
    assert_eq!(
        (jumps[0]["from"].as_u64(), jumps[0]["to"].as_u64()),
        (Some(1), Some(2))
    );
    // The pages carry the jump lines, with the page numbers (6 and 7).
    let out = dir.path().join("jump.pdf");
    let output = render(variant.path(), &out, &[], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let text = pdf_text(&out);
    assert!(
        text.contains("（下转第7版）") && text.contains("（上接第6版）"),
        "{text}"
    );
    // Every character of the story is on the pages, once.
    let story: String = toml::from_str::<toml::Table>(
        &std::fs::read_to_string(variant.path()).unwrap(),
    )
    .unwrap()["sections"][0]["text"]
        .as_str()
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let paragraph: String = story.chars().take(40).collect();
    assert_eq!(
        text.matches(&paragraph).count(),
        9,
        "the first paragraph, once per copy"
    );
}

#[test]
fn copy_beyond_the_spread_is_overset_by_the_smallest_cut_that_fits() {
    let dir = tempfile::tempdir().unwrap();
    let variant = seed_variant(|r| grow(r, 2, 24));
    let checked = check(variant.path(), dir.path());
    assert_eq!(checked.code, Some(1), "{:?}", checked.findings);
    let errors = checked.of("error");
    assert_eq!(errors.len(), 1, "{:?}", checked.findings);
    let error = errors[0];
    assert_eq!(error["field"], "sections[2]");
    assert!(
        error["line"].as_u64().unwrap() > 1,
        "placed in the file: {error}"
    );
    assert!(
        error["message"].as_str().unwrap().contains("lines over"),
        "{error}"
    );
    // The hint names how much to cut from which story…
    let hint = &common::hints(error);
    let cuts: Vec<(usize, usize)> = hint
        .split(['(', ',', ')'])
        .filter_map(|part| {
            let (count, field) = part.trim().split_once(" from sections[")?;
            Some((
                field.trim_end_matches(']').parse().ok()?,
                count.parse().ok()?,
            ))
        })
        .collect();
    assert!(!cuts.is_empty() && hint.contains("cut about"), "{hint}");
    // …and that cut fits: the report with it is no longer overset.
    let cut_report = seed_variant(|r| {
        grow(r, 2, 24);
        for &(index, count) in &cuts {
            cut(r, index, count + 13);
        }
    });
    let after = check(cut_report.path(), dir.path());
    assert!(after.of("error").is_empty(), "{hint}: {:?}", after.findings);
    // It is near the smallest: cutting four fifths of it is not enough.
    let short = seed_variant(|r| {
        grow(r, 2, 24);
        for &(index, count) in &cuts {
            cut(r, index, count * 4 / 5);
        }
    });
    assert_eq!(check(short.path(), dir.path()).code, Some(1), "{hint}");
}

#[test]
fn an_overset_spread_is_not_written_unless_as_a_proof() {
    let dir = tempfile::tempdir().unwrap();
    let variant = seed_variant(|r| grow(r, 2, 24));
    let out = dir.path().join("overset.pdf");
    let output = render(variant.path(), &out, &[], dir.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("lines over"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists(), "nothing is written for print");
    let output = render(variant.path(), &out, &["--allow-overset"], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(out.exists());
}

#[test]
fn a_removed_section_fills_the_pages_or_reports_each_hole() {
    let dir = tempfile::tempdir().unwrap();
    for index in 0..3 {
        let variant = seed_variant(|r| {
            sections(r).remove(index);
            // Its slide's points go with it.
            r["deck"]["sections"].as_array_mut().unwrap().remove(index);
        });
        let checked = check(variant.path(), dir.path());
        assert_eq!(
            checked.code,
            Some(0),
            "a hole is a warning: {:?}",
            checked.findings
        );
        let share = checked.layout["hole_share"].as_f64().unwrap();
        let filled = deep_holes(&checked).is_empty() && share <= 0.03;
        let reported = checked.of("warning").iter().any(|w| {
            let message = w["message"].as_str().unwrap();
            message.contains("hole of") || message.contains("underset")
        });
        assert!(
            filled || reported,
            "{}: {:?}",
            checked.layout,
            checked.findings
        );
    }
}

#[test]
fn photos_of_every_format_keep_their_proportions() {
    let dir = tempfile::tempdir().unwrap();
    let formats = [(4800, 1600), (2000, 3000), (2400, 2400), (3000, 2000)];
    for (i, (w, h)) in formats.iter().enumerate() {
        common::write_photo(&dir.path().join(format!("p{i}.jpg")), *w, *h);
    }
    let text = "锻造新质生产力，现代产业是主力军。走进重庆华峰化工有限公司生产现场，可以一览全球单套规模最大的50万吨/年己二酸项目生产全过程。".repeat(12);
    let photos: String = (0..4)
        .map(|i| format!("\n[[sections.photos]]\npath = \"p{i}.jpg\"\ncaption = \"图片说明{i}\"\n"))
        .collect();
    let report = common::small_report(&text) + &photos;
    let path = common::write_report(dir.path(), &report);
    let out = dir.path().join("t.pdf");
    let output = banmian(
        &[
            "render",
            path.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--allow-overset",
        ],
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let list = tool("pdfimages", &["-list", out.to_str().unwrap()]);
    let rows: Vec<&str> = list.lines().skip(2).collect();
    assert_eq!(rows.len(), 4, "all four photos of the section:\n{list}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let (x, y): (f64, f64) = (cols[12].parse().unwrap(), cols[13].parse().unwrap());
        assert!((x / y - 1.0).abs() < 0.01, "stretched: {row}");
    }
}

#[test]
fn a_single_page_and_a_tabloid_are_composed_too() {
    let dir = tempfile::tempdir().unwrap();
    let repo = common::repo();
    for extra in [["--pages", "single"], ["--paper", "tabloid"]] {
        let example = common::example();
        let args = [
            &[
                "check",
                example.to_str().unwrap(),
                "--root",
                repo.to_str().unwrap(),
                "--json",
            ][..],
            &extra[..],
        ]
        .concat();
        let output = banmian(&args, dir.path());
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let layout = &json["layout"];
        let pages = if extra[0] == "--pages" { 1 } else { 2 };
        assert_eq!(layout["pages"], pages, "{extra:?}: {layout}");
        let columns = if extra[0] == "--paper" { 5 } else { 8 };
        assert_eq!(layout["columns"], columns);
        // The seed is too long for one page: overset, with the cut to make.
        let errors: Vec<&serde_json::Value> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .collect();
        for error in &errors {
            assert!(&common::hints(error).contains("cut about"), "{error}");
        }
        assert_eq!(
            output.status.code(),
            Some(if errors.is_empty() { 0 } else { 1 })
        );
    }
}

#[test]
fn thousands_of_sections_are_overset_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut report = common::small_report("正文。");
    for i in 0..5000 {
        report.push_str(&format!(
            "\n[[sections]]\nheading = \"第{i}节\"\ntext = \"这是一段正文，用来检查超版。\"\n"
        ));
    }
    let path = common::write_report(dir.path(), &report);
    let output = banmian(&["check", path.to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("the copy does not fit") && err.contains("cut about"),
        "{err}"
    );
}
