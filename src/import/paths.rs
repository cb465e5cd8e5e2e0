//! Paths written into the report: relative to the report's folder, with
//! forward slashes, so the report moves with its photos.

use std::path::{Component, Path, PathBuf};

/// `target` relative to the folder `base` (both made absolute against the
/// current folder first), with `/` separators.
pub fn relative(target: &Path, base: &Path) -> String {
    let target = absolute(target);
    let base = absolute(base);
    let common = target
        .components()
        .zip(base.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = base
        .components()
        .skip(common)
        .map(|_| "..".to_owned())
        .collect();
    parts.extend(
        target
            .components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// An absolute, lexically normalised path (`.` and `..` folded).
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A file name safe to write: letters, digits, `.`, `-` and `_` kept.
pub fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.');
    if cleaned.is_empty() {
        "photo".to_owned()
    } else {
        cleaned.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_and_descend() {
        assert_eq!(
            relative(Path::new("/a/b/img/x.jpg"), Path::new("/a/b")),
            "img/x.jpg"
        );
        assert_eq!(
            relative(Path::new("/a/img/x.jpg"), Path::new("/a/b/out")),
            "../../img/x.jpg"
        );
        assert_eq!(
            relative(Path::new("/a/./b/../x.jpg"), Path::new("/a")),
            "x.jpg"
        );
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(safe_name("../图 1.jpeg"), "___1.jpeg");
        assert_eq!(safe_name("image1.png"), "image1.png");
    }
}
