//! Caches change how long a render takes, never what it makes: the same
//! report rendered with an empty cache, with the cache that render filled
//! (measures, compositions, font infos, photos) and with no cache at all
//! gives the same files byte for byte; a cached measuring pass is used
//! only while the templates it was made from are unchanged.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{example, repo, stderr};

/// Every file under `dir`, by its path inside it.
fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    files
}

/// Renders the example (spread, proof, PNG pages, deck PDF and PPTX, the
/// Typst project) into `out`, with `cache` as `--cache-dir` or none
/// (`--no-cache`) and `extra` arguments; returns the closing line.
fn render(out: &Path, cache: Option<&Path>, extra: &[&str]) -> String {
    let (report, root) = (example(), repo());
    let mut command = Command::new(env!("CARGO_BIN_EXE_banmian"));
    command
        .arg("render")
        .arg(&report)
        .arg("--root")
        .arg(&root)
        .args(["-o", "spread.pdf", "--proof", "proof.pdf", "--png", "png"])
        .args(["--deck", "deck.pdf", "--deck", "deck.pptx"])
        .args(["--typst-project", "project"])
        .args(extra)
        .current_dir(out)
        .env("SOURCE_DATE_EPOCH", "1709596800");
    match cache {
        Some(dir) => command.arg("--cache-dir").arg(dir),
        None => command.arg("--no-cache"),
    };
    std::fs::create_dir_all(out).unwrap();
    let output = command.output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stderr(&output);
    text.lines().last().unwrap_or_default().to_owned()
}

#[test]
fn outputs_are_the_same_bytes_whatever_is_cached() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let cold = render(&dir.path().join("cold"), Some(&cache), &[]);
    assert!(
        cold.contains(" measure ") && !cold.contains("cached"),
        "{cold}"
    );
    // (The deck keeps the example's photos as they are: none is made for a
    // screen, so `screen/` has nothing to hold.)
    for kind in ["measures", "compositions", "fonts"] {
        assert!(cache.join(kind).is_dir(), "the cold render filled {kind}/");
    }
    let warm = render(&dir.path().join("warm"), Some(&cache), &[]);
    assert!(warm.contains("measures cached"), "{warm}");
    assert!(warm.contains("composition cached"), "{warm}");
    render(&dir.path().join("none"), None, &[]);

    let cold = files_under(&dir.path().join("cold"));
    assert!(cold.len() >= 12, "{:?}", cold.keys());
    for other in ["warm", "none"] {
        let files = files_under(&dir.path().join(other));
        assert_eq!(
            cold.keys().collect::<Vec<_>>(),
            files.keys().collect::<Vec<_>>(),
            "{other}: the same files"
        );
        for (name, bytes) in &cold {
            assert!(files[name] == *bytes, "{other}: {} differs", name.display());
        }
    }
}

#[test]
fn a_changed_template_is_measured_again() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let layouts = dir.path().join("layouts");
    std::fs::create_dir_all(&layouts).unwrap();
    for name in ["spread.typ", "theme.typ", "deck.typ"] {
        std::fs::copy(repo().join("layouts").join(name), layouts.join(name)).unwrap();
    }
    let with = ["--layouts", layouts.to_str().unwrap(), "--allow-overset"];
    render(&dir.path().join("first"), Some(&cache), &with);
    assert!(render(&dir.path().join("again"), Some(&cache), &with).contains("measures cached"));
    // Body lines half a point further apart: a template the cached pass
    // read (theme.typ, through spread.typ's import) is not what it was.
    let theme = std::fs::read_to_string(layouts.join("theme.typ")).unwrap();
    let wider = theme.replace("#let pitch = 14pt", "#let pitch = 14.5pt");
    assert_ne!(theme, wider, "the theme sets the pitch");
    std::fs::write(layouts.join("theme.typ"), wider).unwrap();
    let changed = render(&dir.path().join("changed"), Some(&cache), &with);
    assert!(
        changed.contains(" measure ") && !changed.contains("cached"),
        "{changed}"
    );
    let before = std::fs::read(dir.path().join("first/project/plan.json")).unwrap();
    let after = std::fs::read(dir.path().join("changed/project/plan.json")).unwrap();
    assert_ne!(before, after, "the wider pitch is planned anew");
}
