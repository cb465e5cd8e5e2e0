//! Reports of many shapes, made by `scripts/gen_shapes.py` from a seed: 1 to
//! 20 sections of 100 to 6,000 characters, 0 to 4 photos each in every
//! format, optional parts present or not. Each, and the example, is laid
//! out by `check` and rendered: it is overset with the cut to make, or
//! full (no blank area of 3 lines or more, box air included, at most 3 %
//! of the type area blank), or its white space is gathered in one open
//! area at a page's foot, reported with what would fill it; the pages'
//! pixels agree with the composer. Nine in ten or more (the issue's
//! measure); none panics. (How long they take is measured by
//! `scripts/bench.py`, not asserted here.)

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Checked, check_json};

/// Writes the shapes of a seed into `dir`; returns their reports.
fn generate(dir: &Path, seed: u32, count: u32) -> Vec<PathBuf> {
    let script = common::repo().join("scripts/gen_shapes.py");
    let output = Command::new("python3")
        .arg(script)
        .args(["--seed", &seed.to_string(), "--count", &count.to_string()])
        .arg("--out")
        .arg(dir)
        .output()
        .expect("python3 runs (.ci/run installs Pillow for the script)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(PathBuf::from)
        .collect()
}

/// Why a layout is acceptable, or what is wrong with it: overset with the
/// cut to make; or full, or its white space gathered in one open area at a
/// page's foot (reported, with what would fill it), by the composer's
/// numbers and by the pages' pixels alike.
fn verdict(
    checked: &Checked,
    report: &Path,
    root: &Path,
    dir: &Path,
) -> Result<&'static str, String> {
    let layout = &checked.layout;
    if let Some(error) = checked.of("error").first() {
        let hint = &common::hints(error);
        let message = error["message"].as_str().unwrap_or_default();
        return if message.contains("does not fit") && hint.contains("cut about") {
            Ok("overset, with the cut to make")
        } else {
            Err(format!("an error without a remedy: {error}"))
        };
    }
    if layout.is_null() {
        return Err("no layout measures".into());
    }
    let kind = common::white_space_verdict(layout)?;
    let open = layout["open"].as_array().unwrap();
    let warned = checked
        .of("warning")
        .into_iter()
        .filter(|w| {
            w["message"]
                .as_str()
                .unwrap_or_default()
                .contains("open area")
        })
        .filter(|w| common::hints(w).contains("characters of copy"))
        .count();
    if warned != open.len() {
        return Err(format!(
            "{} open areas, {warned} reported with a remedy",
            open.len()
        ));
    }
    // The pixels agree with the composer within 2 % of the type area.
    let pdf = dir.join("shape.pdf");
    let output = common::banmian(
        &[
            "render",
            report.to_str().unwrap(),
            "--root",
            root.to_str().unwrap(),
            "-o",
            pdf.to_str().unwrap(),
            "--quiet",
        ],
        dir,
    );
    if !output.status.success() {
        return Err(format!("render failed: {}", common::stderr(&output)));
    }
    let measured = common::pixels(&pdf, layout, dir);
    let (px, composer) = (
        measured["share"].as_f64().unwrap(),
        layout["blank_share"].as_f64().unwrap(),
    );
    if (px - composer).abs() > 0.02 {
        return Err(format!("pixels {px:.3} blank, the composer {composer:.3}"));
    }
    Ok(if kind == "full" {
        "full"
    } else {
        "one open area at a page's foot"
    })
}

#[test]
fn generated_shapes_fill_their_pages_or_gather_their_white_space() {
    let dir = tempfile::tempdir().unwrap();
    let mut reports = generate(dir.path(), 2026, 30);
    reports.push(common::example());
    let mut failures = Vec::new();
    let mut tally = std::collections::BTreeMap::new();
    for report in &reports {
        let root = if report == &common::example() {
            common::repo()
        } else {
            dir.path().to_path_buf()
        };
        let checked = check_json(report, &root, dir.path());
        assert!(
            matches!(checked.code, Some(0 | 1)),
            "{}: exit {:?} (a panic or a crash)",
            report.display(),
            checked.code
        );
        match verdict(&checked, report, &root, dir.path()) {
            Ok(kind) => *tally.entry(kind).or_insert(0) += 1,
            Err(why) => failures.push(format!("{}: {why}", report.display())),
        }
    }
    eprintln!(
        "{} shapes: {tally:?}, {} not",
        reports.len(),
        failures.len()
    );
    // The measure: nine in ten shapes or more.
    assert!(
        failures.len() * 10 <= reports.len(),
        "{} of {} shapes fail:\n{}",
        failures.len(),
        reports.len(),
        failures.join("\n")
    );
}
