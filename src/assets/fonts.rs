//! Fonts: the bundled OFL faces in `fonts/` first, then system fonts, then
//! any `--font-path` folders; and the glyph-coverage check run before layout.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;
use typst_kit::fonts::{FontPath, FontStore};

/// Where to look for fonts.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    /// The bundled fonts folder; `None` finds it next to the project.
    pub bundled: Option<PathBuf>,
    /// Extra folders (`--font-path`), searched after system fonts.
    pub extra: Vec<PathBuf>,
    /// Skip system fonts (tests use this to prove the bundled faces suffice).
    pub ignore_system: bool,
}

/// The fonts a render may use, in priority order.
pub struct Fonts {
    store: FontStore,
    coverage_cache: Mutex<HashMap<char, bool>>,
}

impl Fonts {
    /// Scans the bundled folder, system fonts and extra folders.
    pub fn discover(options: &FontOptions) -> Self {
        let mut store = FontStore::new();
        let bundled_dir = options.bundled.clone().or_else(default_bundled_dir);
        if let Some(dir) = &bundled_dir {
            store.extend(sorted(typst_kit::fonts::scan(dir)));
        }
        if !options.ignore_system {
            store.extend(sorted(typst_kit::fonts::system()));
        }
        for dir in &options.extra {
            store.extend(sorted(typst_kit::fonts::scan(dir)));
        }
        Self {
            store,
            coverage_cache: Mutex::default(),
        }
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

/// Fonts from one folder in a stable order (fontdb's is the file system's).
fn sorted(
    fonts: impl Iterator<Item = (FontPath, FontInfo)>,
) -> impl Iterator<Item = (FontPath, FontInfo)> {
    let mut fonts: Vec<_> = fonts.collect();
    fonts.sort_by(|a, b| (&a.0.path, a.0.index).cmp(&(&b.0.path, b.0.index)));
    fonts.into_iter()
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
