//! Copyfitting and overset, on the seed report: the seed fits its spread,
//! copy a little too long or short is fitted within a designer's bounds
//! (and the adjustments are reported), and copy beyond them is an overset
//! error naming the story to cut, with nothing written.

mod common;

use std::path::Path;

use common::{banmian, seed_variant, stderr};
use serde_json::Value;

fn sections(report: &mut toml::Table) -> &mut Vec<toml::Value> {
    report["sections"].as_array_mut().unwrap()
}

/// Repeats a section's text `times` times.
fn grow(report: &mut toml::Table, index: usize, times: usize) {
    let section = sections(report)[index].as_table_mut().unwrap();
    let text = section["text"].as_str().unwrap().to_owned();
    section["text"] = toml::Value::String(vec![text; times].join("\n\n"));
}

fn check(report: &Path, dir: &Path) -> (Option<i32>, Vec<Value>) {
    common::check_seed_json(report, dir)
}

fn of(findings: &[Value], severity: &str) -> Vec<Value> {
    findings
        .iter()
        .filter(|f| f["severity"] == severity)
        .cloned()
        .collect()
}

#[test]
fn the_seed_fits_its_spread_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let (code, findings) = check(&common::example(), dir.path());
    assert_eq!(code, Some(0), "{findings:?}");
    assert!(of(&findings, "error").is_empty(), "{findings:?}");
    assert!(
        of(&findings, "warning").is_empty(),
        "no overset, no hole: {findings:?}"
    );
}

#[test]
fn a_doubled_section_is_fitted_within_bounds_and_the_adjustments_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (_, seed) = check(&common::example(), dir.path());
    for index in 0..3 {
        let variant = seed_variant(|r| grow(r, index, 2));
        let (code, findings) = check(variant.path(), dir.path());
        assert_eq!(code, Some(0), "sections[{index}] doubled: {findings:?}");
        let notes = of(&findings, "note");
        assert!(!notes.is_empty(), "adjustments are reported: {findings:?}");
        assert_ne!(notes, of(&seed, "note"), "the doubled copy changed the fit");
        for note in &notes {
            let message = note["message"].as_str().unwrap();
            assert!(message.contains("designed"), "{message}");
            // Every adjustment stays within its stated bounds.
            assert!(
                message.contains("bounds") || message.contains("±3 %"),
                "{message}"
            );
        }
    }
}

#[test]
fn copy_beyond_the_bounds_is_overset_naming_the_section() {
    let dir = tempfile::tempdir().unwrap();
    for index in [0, 2] {
        let variant = seed_variant(|r| grow(r, index, 8));
        let (code, findings) = check(variant.path(), dir.path());
        assert_eq!(code, Some(1), "{findings:?}");
        let errors = of(&findings, "error");
        assert_eq!(errors.len(), 1, "{findings:?}");
        let error = &errors[0];
        assert_eq!(error["field"], format!("sections[{index}]"));
        assert!(
            error["line"].as_u64().unwrap() > 1,
            "placed in the file: {error}"
        );
        let message = error["message"].as_str().unwrap();
        let lines: u32 = message
            .split("fit: ")
            .nth(1)
            .and_then(|m| m.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("lines over in {message}"));
        assert!(lines > 0, "{message}");
        assert!(
            error["hint"].as_str().unwrap().contains("cut about"),
            "{error}"
        );
    }
}

#[test]
fn an_overset_spread_is_not_written_unless_as_a_proof() {
    let dir = tempfile::tempdir().unwrap();
    let variant = seed_variant(|r| grow(r, 2, 8));
    let out = dir.path().join("overset.pdf");
    let repo = common::repo();
    let args = [
        "render",
        variant.path().to_str().unwrap(),
        "--root",
        repo.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    let output = banmian(&args, dir.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("lines over"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists(), "nothing is written for print");
    let output = banmian(&[&args[..], &["--allow-overset"]].concat(), dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(out.exists());
}

#[test]
fn a_removed_section_fills_the_page_or_reports_the_hole() {
    let dir = tempfile::tempdir().unwrap();
    for index in 0..3 {
        let variant = seed_variant(|r| {
            sections(r).remove(index);
            // Its slide's points go with it.
            let deck = r["deck"].as_table_mut().unwrap();
            deck["sections"].as_array_mut().unwrap().remove(index);
        });
        let (code, findings) = check(variant.path(), dir.path());
        assert_eq!(code, Some(0), "a hole is a warning: {findings:?}");
        let holes = of(&findings, "warning");
        let adjusted = of(&findings, "note");
        // Either copyfitting filled the pages (and says what it stretched)
        // or each hole is reported with its page and size.
        assert!(!holes.is_empty() || !adjusted.is_empty(), "{findings:?}");
        for hole in &holes {
            let message = hole["message"].as_str().unwrap();
            assert!(
                message.starts_with("page ") && message.contains("hole of"),
                "{message}"
            );
        }
    }
}
