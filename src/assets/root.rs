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
    /// The path names a FIFO, a device, a socket or a folder: reading it
    /// could block or never end.
    #[error("`{path}` is {kind}, not a file")]
    NotAFile {
        /// The path as written.
        path: String,
        /// What it is ("a FIFO", "a device", "a folder").
        kind: &'static str,
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
            Self::NotAFile { .. } => "name a photo file (JPEG, PNG or WebP)",
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
        let meta = canonical.metadata().map_err(|source| RootError::Missing {
            path: written.to_owned(),
            source,
        })?;
        match kind_of(&meta.file_type()) {
            None => Ok(canonical),
            Some(kind) => Err(RootError::NotAFile {
                path: written.to_owned(),
                kind,
            }),
        }
    }
}

/// What a file that is not a regular file is, in words; `None` for a
/// regular file.
pub fn kind_of(file_type: &std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return Some("a device");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
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
    fn fifos_devices_and_folders_are_refused_without_opening_them() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("photo.jpg");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        std::fs::create_dir(dir.path().join("folder.jpg")).unwrap();
        let root = Root::new(dir.path()).unwrap();
        for (name, kind) in [
            ("photo.jpg", "a FIFO (named pipe)"),
            ("folder.jpg", "a folder"),
        ] {
            match root.resolve(root.path(), name) {
                Err(RootError::NotAFile { kind: k, .. }) => assert_eq!(k, kind),
                other => panic!("{name}: {other:?}"),
            }
        }
        let devices = Root::new(Path::new("/dev")).unwrap();
        assert!(matches!(
            devices.resolve(devices.path(), "zero"),
            Err(RootError::NotAFile {
                kind: "a device",
                ..
            })
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
