//! The render root: the one folder a report's files may come from.
//!
//! Photo paths resolve relative to the report file and must stay inside the
//! root (the report's folder unless `--root` widens it). Paths that leave it
//! lexically (`../`, absolute) or through a symlink are refused.

use std::io;
use std::path::{Component, Path, PathBuf};

/// Why a path was refused.
#[derive(Debug, thiserror::Error)]
pub enum RootError {
    /// The path is absolute.
    #[error("`{0}` is an absolute path")]
    Absolute(String),
    /// The path climbs out of the root.
    #[error("`{path}` lies outside the render root {}", root.display())]
    Outside {
        /// The path as written.
        path: String,
        /// The root.
        root: PathBuf,
    },
    /// The file does not exist or cannot be read.
    #[error("cannot open `{path}` ({source})")]
    Missing {
        /// The path as written.
        path: String,
        /// The cause.
        source: io::Error,
    },
}

impl RootError {
    /// How to fix it.
    pub fn hint(&self) -> &'static str {
        match self {
            Self::Absolute(_) => "write the path relative to the report file",
            Self::Outside { .. } => {
                "move the file under the report's folder, or widen the root with `--root DIR`"
            }
            Self::Missing { .. } => "check the file name; paths are relative to the report file",
        }
    }
}

/// A canonical folder that confines file access.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Root {
    path: PathBuf,
}

impl Root {
    /// Canonicalises a root folder.
    pub fn new(path: &Path) -> io::Result<Self> {
        Ok(Self {
            path: path.canonicalize()?,
        })
    }

    /// The canonical root.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether a canonical path lies inside the root.
    pub fn contains(&self, canonical: &Path) -> bool {
        canonical.starts_with(&self.path)
    }

    /// Resolves `written` relative to `base` (a folder inside the root) and
    /// returns the canonical path if it stays inside the root.
    pub fn resolve(&self, base: &Path, written: &str) -> Result<PathBuf, RootError> {
        let relative = Path::new(written);
        if relative.is_absolute() || relative.has_root() {
            return Err(RootError::Absolute(written.to_owned()));
        }
        let outside = || RootError::Outside {
            path: written.to_owned(),
            root: self.path.clone(),
        };
        let lexical = normalize(&base.join(relative)).ok_or_else(outside)?;
        if !self.contains(&lexical) {
            return Err(outside());
        }
        let canonical = lexical
            .canonicalize()
            .map_err(|source| RootError::Missing {
                path: written.to_owned(),
                source,
            })?;
        if !self.contains(&canonical) {
            return Err(outside());
        }
        Ok(canonical)
    }
}

/// Removes `.` and folds `..` without touching the file system; `None` when
/// `..` climbs above the start.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            other => out.push(other),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_must_stay_inside() {
        let dir = tempfile::tempdir().unwrap();
        let root = Root::new(dir.path()).unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("a.jpg"), b"x").unwrap();
        let base = root.path().join("sub");
        assert!(root.resolve(&base, "../a.jpg").is_ok());
        assert!(matches!(
            root.resolve(&base, "../../a.jpg"),
            Err(RootError::Outside { .. })
        ));
        assert!(matches!(
            root.resolve(&base, "/etc/passwd"),
            Err(RootError::Absolute(_))
        ));
        assert!(matches!(
            root.resolve(&base, "nope.jpg"),
            Err(RootError::Missing { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_root_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.jpg"), b"x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.jpg"), dir.path().join("l.jpg"))
            .unwrap();
        let root = Root::new(dir.path()).unwrap();
        let err = root.resolve(root.path(), "l.jpg").unwrap_err();
        assert!(matches!(err, RootError::Outside { .. }), "{err}");
    }
}
