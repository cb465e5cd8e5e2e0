//! The Typst world: templates and data in a virtual package, the report's
//! folder (confined to the render root) as the project, fonts in priority
//! order, and a fixed date.
//!
//! The report never reaches Typst as markup: it is JSON in the virtual file
//! `report.json`, read by the template with `json(...)`. Virtual paths are
//! fixed (`report.json`, `photos/3.jpg`), so file ids are interned once for
//! the life of the process, however many times we rebuild.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::package::{PackageSpec, PackageVersion};
use typst::syntax::{DiagSpan, FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::files::{FileLoader, FileStore};

use crate::assets::fonts::Fonts;
use crate::assets::root::Root;

use super::layouts::Layouts;

/// The virtual package that holds templates, data and photo proxies.
pub fn builtin_package() -> PackageSpec {
    PackageSpec {
        namespace: "banmian".into(),
        name: "layouts".into(),
        version: PackageVersion {
            major: 0,
            minor: 1,
            patch: 0,
        },
    }
}

/// The file id of a path inside the virtual package.
pub fn builtin_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("built-in virtual paths are valid");
    RootedPath::new(VirtualRoot::Package(builtin_package()), vpath).intern()
}

/// In-memory files served in the virtual package (data, proxies).
type Memory = Arc<RwLock<HashMap<String, Bytes>>>;

/// A file on disk a compile read.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum DiskFile {
    /// A template, by its name in the layouts.
    Template(String),
    /// A file of the project (the report's folder), by its path.
    Project(PathBuf),
}

/// Loads files for the store: the package from memory and the layouts
/// folder, the project from disk inside the root.
struct Loader {
    layouts: Layouts,
    memory: Memory,
    root: Root,
}

impl FileLoader for Loader {
    fn load(&self, id: FileId) -> FileResult<Bytes> {
        let vpath = id.vpath();
        match id.root() {
            VirtualRoot::Package(spec) if *spec == builtin_package() => {
                let name = vpath.get_without_slash();
                let memory = self.memory.read().map_err(|_| FileError::AccessDenied)?;
                if let Some(bytes) = memory.get(name) {
                    return Ok(bytes.clone());
                }
                self.layouts.load(name)
            }
            VirtualRoot::Package(_) => Err(FileError::AccessDenied),
            VirtualRoot::Project => {
                let path = vpath
                    .realize(self.root.path())
                    .map_err(|_| FileError::AccessDenied)?;
                let canonical = path
                    .canonicalize()
                    .map_err(|e| FileError::from_io(e, &path))?;
                if !self.root.contains(&canonical) {
                    return Err(FileError::AccessDenied);
                }
                // A FIFO or a device would block or never end.
                let meta = canonical
                    .metadata()
                    .map_err(|e| FileError::from_io(e, &path))?;
                if crate::assets::root::kind_of(&meta.file_type()).is_some() {
                    return Err(FileError::AccessDenied);
                }
                std::fs::read(&canonical)
                    .map(Bytes::new)
                    .map_err(|e| FileError::from_io(e, &path))
            }
        }
    }
}

/// The world a report is typeset in.
pub struct BanmianWorld {
    library: LazyHash<Library>,
    fonts: Arc<Fonts>,
    files: FileStore<Loader>,
    memory: Memory,
    main: FileId,
    today: Datetime,
}

impl BanmianWorld {
    /// A world whose main file is `main` (e.g. `spread.typ`) in the layouts.
    pub fn new(fonts: Arc<Fonts>, layouts: Layouts, root: Root, main: &str) -> Self {
        let memory = Memory::default();
        let loader = Loader {
            layouts,
            memory: memory.clone(),
            root,
        };
        Self {
            library: LazyHash::new(Library::default()),
            fonts,
            files: FileStore::new(loader),
            memory,
            main: builtin_id(main),
            today: Datetime::from_ymd(2000, 1, 1).expect("valid date"),
        }
    }

    /// A fresh world over the same fonts, templates and root, for a
    /// document typeset on another thread.
    pub fn sibling(&self) -> Self {
        let loader = self.files.loader();
        Self::new(
            self.fonts.clone(),
            loader.layouts.clone(),
            loader.root.clone(),
            "spread.typ",
        )
    }

    /// Switches the main template (`spread.typ`, `deck.typ`).
    pub fn set_main(&mut self, main: &str) {
        self.main = builtin_id(main);
    }

    /// Sets the date `datetime.today()` returns.
    pub fn set_today(&mut self, today: Datetime) {
        self.today = today;
    }

    /// Serves `bytes` at `name` in the virtual package.
    pub fn set_file(&mut self, name: &str, bytes: Bytes) {
        if let Ok(mut memory) = self.memory.write() {
            memory.insert(name.to_owned(), bytes);
        }
    }

    /// Marks every file stale so the next compile re-reads what changed;
    /// unchanged sources keep their parse for incremental compilation.
    pub fn reset(&mut self) {
        self.files.reset();
    }

    /// The files on disk the last compile read: templates from the layouts
    /// folder and files of the project. (Data and photo stand-ins live in
    /// memory; the photos' sources are known to the typesetter.)
    pub fn dependencies(&mut self) -> Vec<PathBuf> {
        let (loader, ids) = self.files.dependencies();
        let mut paths: Vec<PathBuf> = ids
            .filter_map(|id| match id.root() {
                VirtualRoot::Package(spec) if *spec == builtin_package() => {
                    loader.layouts.disk_path(id.vpath().get_without_slash())
                }
                VirtualRoot::Package(_) => None,
                VirtualRoot::Project => id.vpath().realize(loader.root.path()).ok(),
            })
            .collect();
        paths.sort();
        paths
    }

    /// Every file of the virtual package the last compile read (templates,
    /// `report.json`, `plan.json`, photo stand-ins), by name, with the
    /// bytes it read: a Typst project that compiles to the same pages.
    pub fn package_files(&mut self) -> Vec<(String, Bytes)> {
        let (_, ids) = self.files.dependencies();
        let ids: Vec<FileId> = ids
            .filter(
                |id| matches!(id.root(), VirtualRoot::Package(spec) if *spec == builtin_package()),
            )
            .collect();
        let mut files: Vec<(String, Bytes)> = ids
            .into_iter()
            .filter_map(|id| {
                let name = id.vpath().get_without_slash().to_owned();
                self.files.file(id).ok().map(|bytes| (name, bytes))
            })
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }

    /// A hash of everything the world serves that is not a file on disk:
    /// the in-memory files (`report.json`, `plan.json`, stand-ins), the
    /// main file's name and the date.
    pub fn memory_hash(&self) -> u128 {
        let memory = match self.memory.read() {
            Ok(memory) => memory,
            Err(poisoned) => poisoned.into_inner(),
        };
        let mut files: Vec<(&String, u128)> = memory
            .iter()
            .map(|(name, bytes)| (name, typst::utils::hash128(bytes.as_slice())))
            .collect();
        files.sort();
        let main = self.main.vpath().get_without_slash();
        typst::utils::hash128(&(main, files, self.today))
    }

    /// The main file's name and the date `datetime.today()` returns.
    pub fn main_and_date(&self) -> (String, Datetime) {
        (self.main.vpath().get_without_slash().to_owned(), self.today)
    }

    /// The files on disk the last compile read, each with the hash of
    /// its bytes: templates (by name) and files of the project (by path).
    /// In-memory files are left out ([`Self::memory_hash`] covers them).
    pub fn disk_sources(&mut self) -> Vec<(DiskFile, u128)> {
        let memory: Vec<String> = match self.memory.read() {
            Ok(memory) => memory.keys().cloned().collect(),
            Err(poisoned) => poisoned.into_inner().keys().cloned().collect(),
        };
        let (_, ids) = self.files.dependencies();
        let ids: Vec<FileId> = ids.collect();
        let root = self.files.loader().root.path().to_path_buf();
        let mut sources: Vec<(DiskFile, u128)> = ids
            .into_iter()
            .filter_map(|id| {
                let source = match id.root() {
                    VirtualRoot::Package(spec) if *spec == builtin_package() => {
                        let name = id.vpath().get_without_slash();
                        if memory.iter().any(|m| m == name) {
                            return None;
                        }
                        DiskFile::Template(name.to_owned())
                    }
                    VirtualRoot::Package(_) => return None,
                    VirtualRoot::Project => DiskFile::Project(id.vpath().realize(&root).ok()?),
                };
                let bytes = self.files.file(id).ok()?;
                Some((source, typst::utils::hash128(bytes.as_slice())))
            })
            .collect();
        sources.sort();
        sources
    }

    /// The hash of a file on disk's bytes as it would be read now (not
    /// tracked as a dependency): to tell whether what a cached result was
    /// made from has changed.
    pub fn source_hash(&self, source: &DiskFile) -> Option<u128> {
        let bytes = match source {
            DiskFile::Template(name) => self.files.loader().layouts.load(name).ok()?,
            DiskFile::Project(path) => Bytes::new(std::fs::read(path).ok()?),
        };
        Some(typst::utils::hash128(bytes.as_slice()))
    }

    /// The fonts in use.
    pub fn fonts(&self) -> &Arc<Fonts> {
        &self.fonts
    }

    /// The root folder.
    pub fn root(&self) -> &Root {
        &self.files.loader().root
    }
}

impl World for BanmianWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.files.source(id)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.file(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

impl typst_kit::diagnostics::DiagnosticWorld for BanmianWorld {
    fn name(&self, id: FileId) -> String {
        match id.root() {
            VirtualRoot::Package(spec) if *spec == builtin_package() => {
                let name = id.vpath().get_without_slash();
                match self.files.loader().layouts.disk_path(name) {
                    Some(path) => path.display().to_string(),
                    None => format!("layouts/{name}"),
                }
            }
            _ => format!("{id:?}"),
        }
    }
}

impl BanmianWorld {
    /// One of Typst's diagnostics as ours: placed in the template's file
    /// (line and column), with its hints.
    pub fn diagnostic(&self, source: &typst::diag::SourceDiagnostic) -> crate::Diagnostic {
        let severity = match source.severity {
            typst::diag::Severity::Error => crate::Severity::Error,
            typst::diag::Severity::Warning => crate::Severity::Warning,
        };
        let mut diagnostic = crate::Diagnostic::new(severity, source.message.as_str());
        for hint in &source.hints {
            diagnostic = diagnostic.with_hint(hint.v.as_str());
        }
        // The calls that led there: in a theme's function, where the
        // template called it.
        for point in &source.trace {
            let at = self.place(point.span, crate::Diagnostic::note("")).place();
            diagnostic = diagnostic.with_hint(match at.is_empty() {
                true => point.v.to_string(),
                false => format!("{} at {at}", point.v),
            });
        }
        self.place(source.span, diagnostic)
    }

    /// Places a diagnostic where a span of a template points: the file,
    /// and the 1-based line and column when the span has a range.
    pub fn place(
        &self,
        span: impl Into<DiagSpan>,
        diagnostic: crate::Diagnostic,
    ) -> crate::Diagnostic {
        use typst::WorldExt as _;
        use typst_kit::diagnostics::DiagnosticWorld as _;
        let span = span.into();
        let Some(id) = span.id() else {
            return diagnostic;
        };
        let diagnostic = diagnostic.in_file(std::path::Path::new(&self.name(id)));
        let place = self.range(span).and_then(|range| {
            let lines = self.source(id).ok()?.lines().clone();
            let line = lines.byte_to_line(range.start)?;
            let column = lines.byte_to_column(range.start)?;
            Some((line + 1, column + 1))
        });
        match place {
            Some((line, column)) => diagnostic.at(line, column),
            None => diagnostic,
        }
    }
}
