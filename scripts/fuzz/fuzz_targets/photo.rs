//! Photo intake: any bytes as a photo file. Its header is read (size,
//! orientation, hash), it is made at a small placed size (decoded, cropped
//! to its focus, reduced, encoded) and its stand-in for Typst is made.
#![no_main]

use std::sync::OnceLock;

use banmian::assets::photos::{PhotoOptions, PhotoStore};
use banmian::assets::standin;
use libfuzzer_sys::fuzz_target;

fn folder() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().unwrap())
}

fuzz_target!(|bytes: &[u8]| {
    let path = folder().path().join("photo.jpg");
    std::fs::write(&path, bytes).unwrap();
    // A store per input: the store caches by path, size and time.
    let store = PhotoStore::new(PhotoOptions::default());
    let Ok(info) = store.info(&path) else {
        return;
    };
    let focus = [0.3, 0.7];
    let Ok(photo) = store.finalize(&info, (120.0, 80.0), focus) else {
        return;
    };
    let _ = standin::stand_in(&photo.bytes, Some((32, 24)));
    let _ = standin::stand_in(&photo.bytes, None);
});
