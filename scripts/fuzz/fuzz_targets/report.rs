//! The report loader: any bytes as TOML, JSON or YAML (the first byte
//! picks), then everything that reads a loaded report before Typst:
//! validation, the bounds of the spread and the deck, the deck's plan, the
//! template data, and positioning every field's problems.
#![no_main]

use std::path::Path;

use banmian::report::{SourceFormat, parse, validate, walk};
use banmian::typeset::{PageOptions, Pages, Paper, bounds, data};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Some((&first, rest)) = bytes.split_first() else {
        return;
    };
    let (format, name) = match first % 3 {
        0 => (SourceFormat::Toml, "r.toml"),
        1 => (SourceFormat::Json, "r.json"),
        _ => (SourceFormat::Yaml, "r.yaml"),
    };
    let text = String::from_utf8_lossy(rest).into_owned();
    let Ok(loaded) = parse(Path::new(name), text, format) else {
        return;
    };
    let _ = validate(&loaded);
    let fields: Vec<String> = walk::walk(&loaded.report).into_iter().map(|f| f.path).collect();
    let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
    let _ = loaded.locate_all(&fields);
    let plan = banmian::deck::plan(&loaded.report);
    for paper in [Paper::Broadsheet, Paper::Tabloid] {
        for pages in [Pages::Spread, Pages::Single] {
            let options = PageOptions { paper, pages, ppi: 300, archival: false };
            let _ = bounds::spread(&loaded, &options);
            let _ = bounds::deck(&loaded, &plan, &options);
        }
    }
    // The template data needs each photo's header (a slot per photo, made
    // from the files): reports with photos stop before it.
    let r = &loaded.report;
    let photos = usize::from(r.banner.is_some()) + r.sections.iter().map(|s| s.photos.len()).sum::<usize>();
    if photos == 0 {
        let options = PageOptions { paper: Paper::Broadsheet, pages: Pages::Spread, ppi: 300, archival: false };
        let json = data::report_json(r, options, &[], false);
        assert!(!json.is_empty());
    }
});
