//! The Typst project of a spread (`--typst-project DIR`): every file Typst
//! drew the pages from, as it read them, so that a page designer can open
//! the templates with the report's real data in their own Typst tools.
//!
//! banmian serves the templates, `report.json`, `plan.json` and the photos'
//! stand-ins (SVGs exactly as many units wide and high as the photo has
//! pixels) from a virtual package; written into one folder they keep their
//! relative paths, so `typst compile DIR/spread.typ --font-path fonts`
//! draws the same pages, with the photos as stand-ins. A `README.md` beside
//! them says so.

use std::path::Path;

use typst::foundations::Bytes;

use crate::typeset::Typeset;

/// The project's files: (path inside the project, bytes), the README last.
pub fn files(typeset: &Typeset, report: &Path, fonts: Option<&Path>) -> Vec<(String, Bytes)> {
    let mut files = typeset.sources.clone();
    files.push((
        "README.md".into(),
        Bytes::from_string(readme(report, fonts)),
    ));
    files
}

/// What the project is and how to compile it.
fn readme(report: &Path, fonts: Option<&Path>) -> String {
    let name = report
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let fonts = fonts.map_or_else(|| "fonts".into(), |f| f.display().to_string());
    format!(
        "# The Typst project of {name}\n\n\
         Written by banmian {version}: the templates, the report as data \
         (`report.json`), the composer's plan (`plan.json`: every element's \
         page, place and size, each leg's lines) and the photos' stand-ins \
         (`photos/`, each exactly as many units wide and high as the photo \
         has pixels). It draws the same pages as banmian, with grey \
         stand-ins for the photos:\n\n\
         ```sh\n\
         typst compile spread.typ --font-path {fonts}\n\
         ```\n\n\
         The fonts are banmian's bundled faces. A change to the templates' \
         look shows here at once; banmian measures and composes again from \
         templates passed with `--layouts DIR`. Edits to `report.json` do not \
         move the plan's lines: run banmian again for a new plan.\n",
        version = env!("CARGO_PKG_VERSION"),
    )
}
