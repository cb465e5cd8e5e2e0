//! Fonts: the bundled OFL faces in `fonts/` first, then system fonts, then
//! any `--font-path` folders; and which characters they cover (asked by the
//! glyph check run before layout, [`crate::typeset::coverage`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;
use typst_kit::fonts::{FontPath, FontSource, FontStore};

use super::font_scan::{self, Place};

/// Where to look for fonts.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    /// The bundled fonts folder; `None` finds it next to the project.
    pub bundled: Option<PathBuf>,
    /// Extra folders (`--font-path`), searched after system fonts.
    pub extra: Vec<PathBuf>,
    /// Skip system fonts (tests use this to prove the bundled faces suffice).
    pub ignore_system: bool,
    /// Map the font files into memory instead of reading them: a single
    /// build, whose fonts stay as they are while it runs. Reading copies
    /// some 70 MB of bundled faces into fresh memory (a tenth of a cold
    /// render's CPU: 0.45 s against 0.40 s on the example); a mapping
    /// shares the system's cached pages. A watch reads them, since a font
    /// rewritten in place while mapped would change (or vanish) under the
    /// running build.
    pub mapped: bool,
}

/// The fonts a render may use, in priority order.
pub struct Fonts {
    store: FontStore,
    coverage_cache: Mutex<HashMap<char, bool>>,
    identity: u128,
    /// How many faces come from the bundled folder (the first ones).
    bundled: usize,
}

impl Fonts {
    /// Scans the bundled folder, system fonts and extra folders.
    pub fn discover(options: &FontOptions) -> Self {
        Self::discover_in(options, None)
    }

    /// Scans the bundled folder, system fonts and extra folders, the
    /// bundled and the system fonts on two threads, with the faces' infos
    /// cached in `cache` (a folder; see [`font_scan`]).
    pub fn discover_in(options: &FontOptions, cache: Option<&Path>) -> Self {
        let bundled_dir = options.bundled.clone().or_else(default_bundled_dir);
        let (mut found, system) = std::thread::scope(|scope| {
            let system = (!options.ignore_system)
                .then(|| scope.spawn(|| font_scan::scan(Place::System, cache)));
            let bundled = bundled_dir
                .as_deref()
                .map(|dir| font_scan::scan(Place::Folder(dir), cache))
                .unwrap_or_default();
            let system = system.map(|h| h.join().unwrap_or_default());
            (bundled, system.unwrap_or_default())
        });
        let bundled = found.len();
        found.extend(system);
        for dir in &options.extra {
            found.extend(font_scan::scan(Place::Folder(dir), cache));
        }
        let identity = identity(&found);
        let mut store = FontStore::new();
        let mapped = options.mapped;
        store.extend(found.into_iter().map(|(FontPath { path, index }, info)| {
            (
                FontFile {
                    path,
                    index,
                    mapped,
                },
                info,
            )
        }));
        Self {
            store,
            coverage_cache: Mutex::default(),
            identity,
            bundled,
        }
    }

    /// Reads the bundled faces, and hashes them, on two threads of their
    /// own while the report is checked and the templates are evaluated.
    /// Typst reads a face the first time it sets text in it (some 70 MB
    /// for the bundled CJK faces) and hashes all of its bytes the first
    /// time it memoises work done with it; done here, both happen beside
    /// other work instead of holding up the first layout. A face Typst
    /// wants while it is being read here waits for it, and is read once.
    pub fn preload(self: &Arc<Self>) {
        let next = Arc::new(AtomicUsize::new(0));
        for _ in 0..2 {
            let (fonts, next) = (self.clone(), next.clone());
            std::thread::spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= fonts.bundled {
                        break;
                    }
                    if let Some(font) = fonts.font(i) {
                        typst::utils::hash128(&font);
                    }
                }
            });
        }
    }

    /// What tells these fonts from others across runs: every face's file,
    /// index, size and modification time, in order. Results cached on disk
    /// (measures) are keyed by it.
    pub fn identity(&self) -> u128 {
        self.identity
    }

    /// Metadata of every font, for `World::book`.
    pub fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    /// Loads the font at `index`, for `World::font`.
    pub fn font(&self, index: usize) -> Option<Font> {
        self.store.font(index)
    }

    /// Whether no face is known.
    pub fn is_empty(&self) -> bool {
        self.book().info(0).is_none()
    }

    /// Whether the bundled faces were found (else only system fonts and
    /// `--font-path` folders serve).
    pub fn has_bundled(&self) -> bool {
        self.bundled > 0
    }

    /// Whether some font can draw `c`. Whitespace and controls need none.
    pub fn covers(&self, c: char) -> bool {
        if c.is_whitespace() || c.is_control() {
            return true;
        }
        if let Some(known) = self
            .coverage_cache
            .lock()
            .ok()
            .and_then(|m| m.get(&c).copied())
        {
            return known;
        }
        let book = self.book();
        let covered = (0..)
            .map_while(|i| book.info(i))
            .any(|info: &FontInfo| info.coverage.contains(c as u32));
        if let Ok(mut cache) = self.coverage_cache.lock() {
            cache.insert(c, covered);
        }
        covered
    }
}

/// A face in a font file, loaded when Typst first asks for it.
struct FontFile {
    path: PathBuf,
    index: u32,
    /// Whether the file is mapped rather than read (see
    /// [`FontOptions::mapped`]).
    mapped: bool,
}

impl FontSource for FontFile {
    fn load(&self) -> Option<Font> {
        let _scope = typst_timing::TimingScope::new("load font");
        let data = if self.mapped {
            let file = std::fs::File::open(&self.path).ok()?;
            // SAFETY: the mapping is read only, and a single build does
            // not change its fonts (a watch, which might, reads them).
            // Another program truncating the file meanwhile is outside
            // what banmian can guard against, as for any mapped file.
            #[allow(unsafe_code)]
            let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
            Bytes::new(map)
        } else {
            Bytes::new(std::fs::read(&self.path).ok()?)
        };
        Font::new(data, self.index)
    }
}

/// The identity of a list of faces (see [`Fonts::identity`]).
fn identity(faces: &[(FontPath, FontInfo)]) -> u128 {
    /// A face's file, index, and the file's size and time.
    type Stamp<'a> = (&'a Path, u32, Option<(u64, std::time::SystemTime)>);
    let stamps: Vec<Stamp> = faces
        .iter()
        .map(|(font, _)| {
            let meta = std::fs::metadata(&font.path).ok();
            let stamp = meta.and_then(|m| Some((m.len(), m.modified().ok()?)));
            (font.path.as_path(), font.index, stamp)
        })
        .collect();
    typst::utils::hash128(&stamps)
}

/// Whether a file is a font banmian would load, by its extension (TrueType
/// and OpenType faces and collections).
pub fn is_font_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| {
        matches!(
            e.to_string_lossy().to_ascii_lowercase().as_str(),
            "ttf" | "otf" | "ttc" | "otc"
        )
    })
}

/// The `fonts/` folder of the source tree, else one next to the
/// executable (`../share/banmian/fonts`, then `fonts`).
pub fn default_bundled_dir() -> Option<PathBuf> {
    let source_tree = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    if source_tree.is_dir() {
        return Some(source_tree);
    }
    let exe = std::env::current_exe().ok()?;
    let exe_dir = exe.parent()?;
    [
        exe_dir.join("../share/banmian/fonts"),
        exe_dir.join("fonts"),
    ]
    .into_iter()
    .find(|dir| dir.is_dir())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A mapped face is the face read: the same bytes, index and infos,
    /// for every bundled face.
    #[test]
    fn mapped_faces_are_the_faces_read() {
        let load = |mapped| {
            Fonts::discover(&FontOptions {
                ignore_system: true,
                mapped,
                ..FontOptions::default()
            })
        };
        let (read, mapped) = (load(false), load(true));
        assert!(read.bundled >= 5, "the bundled faces are found");
        for i in 0..read.bundled {
            let (a, b) = (read.font(i).unwrap(), mapped.font(i).unwrap());
            assert_eq!(a.data().as_slice(), b.data().as_slice(), "face {i}");
            assert_eq!(a.index(), b.index());
            assert_eq!(a.info(), b.info());
        }
    }
}
