//! Finds jieba's dictionary in the jieba-rs sources Cargo already has (its
//! `src/data/dict.txt`), so that `src/words.rs` can make a segmenter of the
//! words a text needs without the repository carrying a copy. Where the
//! sources are not found (an unusual registry layout), the segmenter loads
//! jieba-rs's whole dictionary instead: slower, the same words.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rustc-check-cfg=cfg(banmian_jieba_dict)");
    println!("cargo::rerun-if-changed=Cargo.lock");
    let Some(dict) = jieba_dict() else {
        println!(
            "cargo::warning=jieba-rs's dict.txt not found: the word segmenter loads the whole dictionary"
        );
        return;
    };
    println!("cargo::rerun-if-changed={}", dict.display());
    println!("cargo::rustc-env=BANMIAN_JIEBA_DICT={}", dict.display());
    println!("cargo::rustc-cfg=banmian_jieba_dict");
}

/// `src/data/dict.txt` of the jieba-rs version in `Cargo.lock`: in the
/// registry's sources (`$CARGO_HOME/registry/src/*/`), or vendored beside
/// the project (`vendor/`).
fn jieba_dict() -> Option<PathBuf> {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    let lock = std::fs::read_to_string(manifest.join("Cargo.lock")).ok()?;
    let at = lock.find("name = \"jieba-rs\"\nversion = \"")?;
    let version = lock[at..].lines().nth(1)?.split('"').nth(1)?;
    let name = format!("jieba-rs-{version}");
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
    let mut places: Vec<PathBuf> = std::fs::read_dir(home.join("registry/src"))
        .into_iter()
        .flatten()
        .filter_map(|e| Some(e.ok()?.path().join(&name)))
        .collect();
    places.sort();
    places.push(manifest.join("vendor/jieba-rs"));
    places
        .into_iter()
        .map(|dir| dir.join("src/data/dict.txt"))
        .find(|dict| dict.is_file())
}
