//! Finding fonts: the faces of a folder, or of the system, each with what
//! Typst knows of it ([`FontInfo`]: family, style, the characters it
//! covers), as `typst-kit`'s scanner finds them; with a cache on disk of
//! those infos, keyed by each face's file, size and modification time.
//!
//! Working out a face's info reads its whole character map: for the
//! bundled CJK faces (tens of thousands of characters each) that is most
//! of finding the fonts, and it was done again by every run. The cache
//! gives the same infos (a `FontInfo` read back equals the one worked
//! out), so the fonts, and the output, are the same with it or without.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use typst::text::FontInfo;
use typst_kit::fonts::FontPath;

/// Bumped when the cache's form changes.
const FORMAT: u32 = 1;

/// Where faces are looked for.
#[derive(Debug, Clone, Copy)]
pub enum Place<'a> {
    /// A folder, searched recursively.
    Folder(&'a Path),
    /// The system's font folders.
    System,
}

/// A face's file as found: path, face index, size and time.
type Stamp = (PathBuf, u32, u64, Option<SystemTime>);

/// The infos of one place's faces, as cached.
#[derive(Serialize, Deserialize)]
struct Cached {
    format: u32,
    faces: Vec<(Stamp, FontInfo)>,
}

/// The faces in `place`, sorted by file and index (fontdb's order is the
/// file system's), with their infos: from `cache` (a folder) when the
/// files are as they were, else worked out (and then cached).
pub fn scan(place: Place, cache: Option<&Path>) -> Vec<(FontPath, FontInfo)> {
    let mut db = fontdb::Database::new();
    match place {
        Place::Folder(dir) => db.load_fonts_dir(dir),
        Place::System => db.load_system_fonts(),
    }
    let mut faces: Vec<(fontdb::ID, Stamp)> = db
        .faces()
        .filter_map(|face| {
            let path = match &face.source {
                fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => path,
                fontdb::Source::Binary(_) => return None,
            };
            let meta = std::fs::metadata(path).ok();
            let len = meta.as_ref().map_or(0, std::fs::Metadata::len);
            let time = meta.and_then(|m| m.modified().ok());
            Some((face.id, (path.clone(), face.index, len, time)))
        })
        .collect();
    faces.sort_by(|a, b| (&a.1.0, a.1.1).cmp(&(&b.1.0, b.1.1)));
    let file = cache.map(|dir| cache_file(dir, place));
    let mut known: HashMap<Stamp, FontInfo> = file
        .as_deref()
        .and_then(|f| std::fs::read(f).ok())
        .and_then(|bytes| serde_json::from_slice::<Cached>(&bytes).ok())
        .filter(|cached| cached.format == FORMAT)
        .map(|cached| cached.faces.into_iter().collect())
        .unwrap_or_default();
    let mut missed = false;
    let found: Vec<(Stamp, FontInfo)> = faces
        .into_iter()
        .filter_map(|(id, stamp)| {
            let info = match known.remove(&stamp) {
                Some(info) => info,
                None => {
                    missed = true;
                    db.with_face_data(id, FontInfo::new)??
                }
            };
            Some((stamp, info))
        })
        .collect();
    if let Some(file) = file.filter(|_| missed || !known.is_empty()) {
        store(&file, &found);
    }
    found
        .into_iter()
        .map(|((path, index, ..), info)| (FontPath { path, index }, info))
        .collect()
}

/// The cache file of a place.
fn cache_file(dir: &Path, place: Place) -> PathBuf {
    let name = match place {
        Place::Folder(folder) => {
            let folder = folder.canonicalize().unwrap_or_else(|_| folder.to_owned());
            format!("{:032x}.json", typst::utils::hash128(&folder))
        }
        Place::System => "system.json".to_owned(),
    };
    dir.join(name)
}

/// Writes a place's infos; best effort (a cache that cannot be written
/// only costs time), through a rename so that a reader sees all or none.
fn store(file: &Path, faces: &[(Stamp, FontInfo)]) {
    let cached = Cached {
        format: FORMAT,
        faces: faces.to_vec(),
    };
    let Ok(json) = serde_json::to_vec(&cached) else {
        return;
    };
    let Some(dir) = file.parent() else {
        return;
    };
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| tempfile::NamedTempFile::new_in(dir))
        .and_then(|temp| {
            std::fs::write(temp.path(), &json)?;
            temp.persist(file).map_err(|err| err.error)
        });
    let _ = written;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cached infos are the infos: the bundled faces scanned with an
    /// empty cache, then with the cache it filled, then with the cache
    /// made stale (a face's time changed), are the same faces.
    #[test]
    fn cached_infos_are_the_infos() {
        let Some(fonts) = super::super::fonts::default_bundled_dir() else {
            return;
        };
        let cache = tempfile::tempdir().unwrap();
        let plain = scan(Place::Folder(&fonts), None);
        assert!(plain.len() >= 5, "the bundled faces");
        let first = scan(Place::Folder(&fonts), Some(cache.path()));
        let file = cache_file(cache.path(), Place::Folder(&fonts));
        assert!(file.is_file(), "the cache is written");
        let second = scan(Place::Folder(&fonts), Some(cache.path()));
        let same = |a: &[(FontPath, FontInfo)], b: &[(FontPath, FontInfo)]| {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|(x, y)| x.0.path == y.0.path && x.0.index == y.0.index && x.1 == y.1)
        };
        assert!(same(&plain, &first) && same(&plain, &second));
        // A cache whose stamps no longer match is not used, and is renewed.
        let text = std::fs::read_to_string(&file).unwrap();
        let stale = text.replace("\"secs_since_epoch\":", "\"secs_since_epoch\":1");
        assert_ne!(text, stale);
        std::fs::write(&file, stale).unwrap();
        assert!(same(
            &plain,
            &scan(Place::Folder(&fonts), Some(cache.path()))
        ));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    }
}
