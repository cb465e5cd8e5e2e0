//! Where templates come from: the `layouts/` folder on disk (so edits to a
//! template show on the next render), or copies built into the binary.

use std::path::{Path, PathBuf};

use typst::diag::{FileError, FileResult};
use typst::foundations::Bytes;

/// The templates built into the binary, by file name.
const EMBEDDED: &[(&str, &str)] = &[
    ("theme.typ", include_str!("../../layouts/theme.typ")),
    ("spread.typ", include_str!("../../layouts/spread.typ")),
    ("deck.typ", include_str!("../../layouts/deck.typ")),
];

/// The template source in use.
#[derive(Debug, Clone, Default)]
pub struct Layouts {
    dir: Option<PathBuf>,
}

impl Layouts {
    /// Templates from `dir`, else the source tree's `layouts/` when it
    /// exists, else the built-in copies.
    pub fn discover(dir: Option<&Path>) -> Self {
        let dir = dir.map(Path::to_path_buf).or_else(|| {
            let tree = Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts");
            tree.join("theme.typ").is_file().then_some(tree)
        });
        Self { dir }
    }

    /// The file on disk behind a template name, if templates come from disk.
    pub fn disk_path(&self, name: &str) -> Option<PathBuf> {
        let path = self.dir.as_ref()?.join(name);
        path.is_file().then_some(path)
    }

    /// The file on disk behind a name, as long as it stays inside the
    /// templates' folder once links are followed (a template reads what
    /// its folder holds, not what a link out of it points to) and is a
    /// file (a FIFO would block the compile).
    fn confined(&self, name: &str) -> Result<Option<PathBuf>, FileError> {
        let Some(path) = self.disk_path(name) else {
            return Ok(None);
        };
        let dir = self.dir.as_ref().and_then(|d| d.canonicalize().ok());
        let real = path
            .canonicalize()
            .map_err(|e| FileError::from_io(e, &path))?;
        match dir {
            Some(dir) if real.starts_with(&dir) => Ok(Some(real)),
            _ => Err(FileError::AccessDenied),
        }
    }

    /// The names of all templates.
    pub fn names() -> impl Iterator<Item = &'static str> {
        EMBEDDED.iter().map(|(name, _)| *name)
    }

    /// Reads a template by name.
    pub fn load(&self, name: &str) -> FileResult<Bytes> {
        if let Some(path) = self.confined(name)? {
            return std::fs::read(&path)
                .map(Bytes::new)
                .map_err(|e| FileError::from_io(e, &path));
        }
        EMBEDDED
            .iter()
            .find(|(embedded, _)| *embedded == name)
            .map(|(_, text)| Bytes::from_string(*text))
            .ok_or_else(|| FileError::NotFound(PathBuf::from(name)))
    }
}
