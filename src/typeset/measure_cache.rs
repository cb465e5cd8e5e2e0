//! The measure cache: what a spread's measuring pass found, kept on disk
//! so that a fresh process rendering a known report skips measuring.
//!
//! The cache knows nothing of what the template measures: an entry is the
//! whole pass's [`Measures`], keyed by everything the pass was made from.
//! The key hashes the in-memory files the template reads (`report.json`,
//! the measuring `plan.json`, the photo stand-ins), the main template's
//! name and the date, the fonts ([`Fonts::identity`]: every face's file,
//! size and time) and the banmian executable itself (its size and time, so
//! that a rebuilt banmian measures again). The files on disk the pass read
//! (the templates, whatever they import, files of the project) are listed
//! in the entry with the hash of their bytes, and checked before it is
//! used, as Typst's own memo checks what it depends on: an edited template
//! misses. Output is the same byte for byte whether measures come from the
//! cache or from Typst (a depth read back is the same `f64`).
//!
//! [`Fonts::identity`]: crate::assets::fonts::Fonts::identity

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::measure::Measures;
use super::world::{BanmianWorld, DiskFile};

/// Bumped when an entry's form or what a key covers changes.
const FORMAT: u32 = 2;

/// At most this many entries are kept; the oldest go first.
const KEEP: usize = 64;

/// One cached measuring pass.
#[derive(Serialize, Deserialize)]
struct Entry {
    format: u32,
    /// The files on disk the pass read, with the hashes of their bytes.
    sources: Vec<(DiskFile, String)>,
    measures: Measures,
}

/// A folder of cached measuring passes (none: nothing is cached).
#[derive(Debug, Clone, Default)]
pub struct MeasureCache {
    dir: Option<PathBuf>,
}

impl MeasureCache {
    /// A cache in `dir` (created when first written), or none.
    pub fn new(dir: Option<PathBuf>) -> Self {
        Self { dir }
    }

    /// The key of the pass the world would compile now.
    pub fn key(world: &BanmianWorld) -> u128 {
        typst::utils::hash128(&(
            FORMAT,
            env!("CARGO_PKG_VERSION"),
            executable(),
            world.fonts().identity(),
            world.memory_hash(),
        ))
    }

    /// The measures cached under `key`, if every file on disk they were
    /// made from is as it was.
    pub fn load(&self, key: u128, world: &BanmianWorld) -> Option<Measures> {
        let bytes = std::fs::read(self.path(key)?).ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        let fresh = entry.format == FORMAT
            && entry.sources.iter().all(|(source, hash)| {
                world.source_hash(source).map(|h| format!("{h:032x}")) == Some(hash.clone())
            });
        fresh.then_some(entry.measures)
    }

    /// Keeps `measures` under `key`, with the files on disk they were made
    /// from. Best effort: a cache that cannot be written only costs time.
    pub fn store(&self, key: u128, sources: Vec<(DiskFile, u128)>, measures: &Measures) {
        let Some(path) = self.path(key) else {
            return;
        };
        let entry = Entry {
            format: FORMAT,
            sources: sources
                .into_iter()
                .map(|(source, hash)| (source, format!("{hash:032x}")))
                .collect(),
            measures: measures.clone(),
        };
        let Ok(json) = serde_json::to_vec(&entry) else {
            return;
        };
        if write(&path, &json).is_ok()
            && let Some(dir) = path.parent()
        {
            prune(dir, KEEP);
        }
    }

    fn path(&self, key: u128) -> Option<PathBuf> {
        Some(self.dir.as_ref()?.join(format!("{key:032x}.json")))
    }

    /// Whether there is a cache (`--no-cache`: none).
    pub fn is_on(&self) -> bool {
        self.dir.is_some()
    }

    /// The key of what else is cached beside the measures (a composition),
    /// made from `parts` by this banmian (a rebuilt one makes it again).
    pub fn other_key(parts: &impl std::hash::Hash) -> u128 {
        typst::utils::hash128(&(FORMAT, env!("CARGO_PKG_VERSION"), executable(), parts))
    }

    /// What is cached under `key` in the `kind` folder beside the
    /// measures', if it reads back.
    pub fn load_other<T: serde::de::DeserializeOwned>(&self, kind: &str, key: u128) -> Option<T> {
        let bytes = std::fs::read(self.other_path(kind, key)?).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Keeps `value` under `key` in the `kind` folder; best effort.
    pub fn store_other<T: Serialize>(&self, kind: &str, key: u128, value: &T) {
        let Some(path) = self.other_path(kind, key) else {
            return;
        };
        let Ok(json) = serde_json::to_vec(value) else {
            return;
        };
        if write(&path, &json).is_ok()
            && let Some(dir) = path.parent()
        {
            prune(dir, KEEP);
        }
    }

    fn other_path(&self, kind: &str, key: u128) -> Option<PathBuf> {
        let dir = self.dir.as_ref()?.parent()?.join(kind);
        Some(dir.join(format!("{key:032x}.json")))
    }
}

/// The running executable's identity: its size and modification time.
fn executable() -> Option<(u64, std::time::SystemTime)> {
    static IDENTITY: OnceLock<Option<(u64, std::time::SystemTime)>> = OnceLock::new();
    *IDENTITY.get_or_init(|| {
        let meta = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
        Some((meta.len(), meta.modified().ok()?))
    })
}

/// Writes a cache file through a temporary file and a rename, so that a
/// reader sees the whole entry or none (a cache needs no `fsync`: a lost
/// entry is measured again).
fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let temp = tempfile::NamedTempFile::new_in(dir)?;
    std::fs::write(temp.path(), bytes)?;
    temp.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// Removes all but the `keep` newest entries of a cache folder.
fn prune(dir: &Path, keep: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(|e| {
            let e = e.ok()?;
            let path = e.path();
            let json = path.extension().is_some_and(|x| x == "json");
            json.then(|| Some((e.metadata().ok()?.modified().ok()?, path)))?
        })
        .collect();
    if files.len() <= keep {
        return;
    }
    files.sort();
    for (_, path) in &files[..files.len() - keep] {
        let _ = std::fs::remove_file(path);
    }
}

impl super::Typesetter {
    /// A measuring pass (the spread's) of `template`: from the cache when a known report is
    /// set with known templates and fonts, else compiled (and then cached).
    /// `paragraph` gives a section paragraph's text; the flag tells whether
    /// the measures came from the cache.
    pub(crate) fn measure(
        &mut self,
        template: &str,
        options: &super::TypesetOptions,
        asked: typst::foundations::Bytes,
        paragraph: impl Fn(usize, usize) -> Option<String>,
    ) -> Result<(Measures, bool), crate::Error> {
        // What the template is asked to measure (the plan in measure mode).
        self.set_file("plan.json", asked);
        self.prepare(template, options);
        let key = MeasureCache::key(&self.world);
        let cache = self.measure_cache.clone();
        if let Some(measures) = cache.load(key, &self.world) {
            return Ok((measures, true));
        }
        let (measuring, _) = self.compile(template, options)?;
        let measures = super::measure::read(&self.protocol(&measuring), paragraph)?;
        drop(measuring);
        if self.one_shot {
            self.evicting = Some(std::thread::spawn(|| typst::comemo::evict(0)));
        }
        let sources = self.world.disk_sources();
        cache.store(key, sources, &measures);
        Ok((measures, false))
    }

    /// What the measures of this world's next pass depend on besides the
    /// report: the fonts, the main template and the date, and the files on
    /// disk the last compile read (the templates), each with the hash of
    /// its bytes now. Two passes with the same design measure each piece
    /// alike.
    pub(crate) fn design(&mut self) -> u128 {
        let sources: Vec<(DiskFile, Option<u128>)> = self
            .world
            .disk_sources()
            .into_iter()
            .map(|(source, _)| {
                let now = self.world.source_hash(&source);
                (source, now)
            })
            .collect();
        typst::utils::hash128(&(
            FORMAT,
            executable(),
            self.world.fonts().identity(),
            self.world.main_and_date(),
            sources,
        ))
    }
}
