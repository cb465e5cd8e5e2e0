//! The library's modules are floors, and an arrow runs only down: a module
//! may use the crate's root (`Error`, `Diagnostic`) and the floors below
//! its own, never one beside or above it (zola's crates have the compiler
//! hold them to it; one crate needs this test). The floors are the ones
//! `src/lib.rs` documents.

use std::path::Path;

/// The floors, lowest first.
const FLOORS: &[&[&str]] = &[
    &["diagnostic", "words"],
    &["report", "compose"],
    &["assets", "import"],
    &["typeset"],
    &["spread"],
    &["export"],
    &["deck"],
    &["preflight"],
    &["build"],
];

/// What the crate's root (`src/lib.rs`) holds besides its modules.
const ROOT_ITEMS: &[&str] = &["Error", "Diagnostic", "Severity"];

/// The floor of a top-level module.
fn floor(module: &str) -> Option<usize> {
    FLOORS.iter().position(|floor| floor.contains(&module))
}

/// The top-level modules a source file names through `crate::`, comments
/// left out (a doc may point anywhere).
fn uses(text: &str) -> Vec<String> {
    let code: String = text
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::c, self}`: the first name of each item.
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => found.push(std::mem::take(&mut item)),
                    _ if depth == 0 => item.push(c),
                    _ => {}
                }
            }
            found.push(item);
        } else {
            found.push(rest.to_owned());
        }
    }
    found
        .iter()
        .map(|item| {
            item.trim()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_arrow_runs_down() {
    let src = crate::common::repo().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let inside = file.strip_prefix(&src).unwrap();
        let module = inside
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        // The root and the command line (a binary of its own) are above
        // every floor.
        if matches!(module.as_str(), "lib" | "main" | "cli") {
            continue;
        }
        let own = floor(&module)
            .unwrap_or_else(|| panic!("src/{module} is on no floor: add it to FLOORS"));
        let text = std::fs::read_to_string(file).unwrap();
        for used in uses(&text) {
            if used == module || ROOT_ITEMS.contains(&used.as_str()) {
                continue;
            }
            match floor(&used) {
                Some(theirs) if theirs < own => {}
                _ => wrong.push(format!("src/{} uses crate::{used}", inside.display())),
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "arrows running up or sideways:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_scanner_finds_groups_and_paths() {
    let text = "use crate::{Diagnostic, report::{self, Report}};\n\
                let x = crate::deck::plan(r); // crate::build\n";
    assert_eq!(uses(text), ["Diagnostic", "report", "deck"]);
}
