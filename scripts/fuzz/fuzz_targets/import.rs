//! The importer: any bytes as plain text, Markdown or a Word file (the
//! first byte picks). Whatever imports must write a report that loads back
//! as what was recognised (`to_toml` checks it; an error there is a bug).
#![no_main]

use std::path::{Path, PathBuf};

use banmian::import::{ImportOptions, import_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Some((&first, rest)) = bytes.split_first() else {
        return;
    };
    let name = match first % 3 {
        0 => "draft.txt",
        1 => "draft.md",
        _ => "draft.docx",
    };
    let options = ImportOptions {
        from: None,
        paper: None,
        date: None,
        fallback_date: "2024-03-05".into(),
        output_dir: PathBuf::from("out"),
    };
    let Ok(imported) = import_bytes(Path::new(name), rest, &options) else {
        return;
    };
    if let Err(err) = imported.to_toml(Path::new(name), Path::new("out/report.toml")) {
        panic!("an import that does not load back: {err}");
    }
});
