//! The integration tests, one binary (as ripgrep's `tests/tests.rs`): each
//! module is a feature's tests, [`common`] their helpers. One binary links
//! the Typst-sized crate once, and fixtures several modules read (the
//! seed's deck, the example's PDF/X) are made once per run.
//!
//! `Cargo.toml` sets `autotests = false`, so a test file is compiled only
//! when it is named here; [`every_test_file_is_a_module`] fails when one
//! is not.

mod common;

mod articles;
mod build;
mod cache;
mod deck;
mod fidelity;
mod hostile;
mod import;
mod import_props;
mod layers;
mod layout;
mod pptx;
mod press;
mod protocol;
mod render;
mod report;
mod shapes;
mod typography;
mod typst_project;
mod watch;

/// Every `tests/*.rs` but this file is a module here: with `autotests`
/// off, a file left out would silently never run.
#[test]
fn every_test_file_is_a_module() {
    let main = include_str!("main.rs");
    let dir = common::repo().join("tests");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "rs")
            && name != "main"
            && !main.lines().any(|line| line == format!("mod {name};"))
        {
            missing.push(name.to_owned());
        }
    }
    assert!(
        missing.is_empty(),
        "not modules of tests/main.rs: {missing:?}"
    );
}
