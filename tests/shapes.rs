//! Reports of many shapes, made by `scripts/gen_shapes.py` from a seed: 1 to
//! 20 sections of 100 to 6,000 characters, 0 to 4 photos each in every
//! format, optional parts present or not. Each, and the example, is laid
//! out by `check`: it fills its pages (no hole of 3 lines or more, at most
//! 3 % of the type area empty) or is reported overset or underset with a
//! remedy. None panics. (How long they take is measured by
//! `scripts/bench.py`, not asserted here.)

mod common;

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

/// Why a layout is acceptable, or what is wrong with it.
fn verdict(checked: &Checked) -> Result<&'static str, String> {
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
    let holes = layout["holes"].as_array().ok_or("no layout measures")?;
    let deep = holes
        .iter()
        .filter(|h| h["depth"].as_u64().unwrap_or(0) >= 3)
        .count();
    let share = layout["hole_share"].as_f64().unwrap_or(1.0);
    if deep == 0 && share <= 0.03 {
        return Ok("filled");
    }
    let warned = |what: &str| -> Vec<&serde_json::Value> {
        checked
            .of("warning")
            .into_iter()
            .filter(|w| w["message"].as_str().unwrap_or_default().contains(what))
            .collect()
    };
    let (each, summary) = (warned("hole of"), warned("underset"));
    let remedies = each.iter().chain(&summary).all(|w| {
        let hint = &common::hints(w);
        hint.contains("characters of copy") && hint.contains("photo")
    });
    if each.len() == deep && summary.len() == 1 && remedies {
        Ok("underset, with what would fill it")
    } else {
        Err(format!(
            "{deep} holes of 3+ lines, {:.1} % empty, {} and {} warned: {layout}",
            share * 100.0,
            each.len(),
            summary.len()
        ))
    }
}

#[test]
fn generated_shapes_fill_their_pages_or_say_what_to_do() {
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
        match verdict(&checked) {
            Ok(kind) => *tally.entry(kind).or_insert(0) += 1,
            Err(why) => failures.push(format!("{}: {why}", report.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("{} shapes: {tally:?}", reports.len());
}
