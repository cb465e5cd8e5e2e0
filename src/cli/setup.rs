//! Turns the shared arguments into a checked set-up before any work.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use banmian::Diagnostic;
use banmian::assets::fonts::{FontOptions, Fonts};
use banmian::assets::photos::{PhotoOptions, PhotoStore};
use banmian::assets::root::Root;
use banmian::report::{self, LoadedReport};
use banmian::typeset::{Layouts, PageOptions, TypesetOptions, Typesetter};

use super::args::CommonArgs;
use super::{CliError, Progress};

/// The least resolution of photos in previews (PNG pages and slides, the
/// live preview); the PDF always gets the final photos.
pub const PREVIEW_PPI: f64 = 72.0;

/// A loaded report and a typesetter ready for it.
pub struct Setup {
    pub loaded: LoadedReport,
    pub typesetter: Typesetter,
    pub options: TypesetOptions,
}

/// Loads the report and prepares fonts, root, templates and photo rules.
pub fn prepare(args: &CommonArgs, progress: &mut Progress) -> Result<Setup, CliError> {
    let started = Instant::now();
    let loaded = report::load(&args.report)?;
    progress.phase("load", started);

    let root = root_for(args, &loaded)?;
    let started = Instant::now();
    let fonts = Fonts::discover(&FontOptions {
        bundled: None,
        extra: args.font_paths.clone(),
        ignore_system: args.ignore_system_fonts,
    });
    if fonts.is_empty() {
        return Err(CliError::Usage(
            "no fonts found\n  hint: keep the `fonts/` folder next to banmian, or set BANMIAN_FONTS"
                .into(),
        ));
    }
    progress.phase("fonts", started);

    let photos = PhotoStore::new(PhotoOptions {
        target_ppi: args.ppi,
        allow_low_ppi: args.allow_low_ppi,
        cache_dir: if args.no_cache {
            None
        } else {
            args.cache_dir.clone().or_else(user_cache)
        },
        placeholders: args.placeholders,
        ..PhotoOptions::default()
    });
    if args.placeholders {
        for notice in banmian::assets::placeholder::notices(&loaded) {
            eprintln!("warning: {notice}");
        }
    }
    let layouts = Layouts::discover(args.layouts.as_deref());
    let typesetter = Typesetter::new(Arc::new(fonts), layouts, root, Arc::new(photos));
    let today = banmian::datetime_from_iso(&loaded.report.masthead.date);
    let options = TypesetOptions {
        pages: PageOptions {
            paper: args.paper,
            pages: args.pages,
            ppi: args.ppi.round() as u32,
            archival: false,
        },
        today,
        measure_only: false,
        medium: Default::default(),
        preview_ppi: None,
    };
    Ok(Setup {
        loaded,
        typesetter,
        options,
    })
}

/// The render root: `--root`, else the report's folder. The report itself
/// must lie inside it.
fn root_for(args: &CommonArgs, loaded: &LoadedReport) -> Result<Root, CliError> {
    let dir = args.root.clone().unwrap_or_else(|| loaded.folder().into());
    let root = Root::new(&dir).map_err(|err| {
        CliError::Usage(format!("failed to open the root {} ({err})", dir.display()))
    })?;
    let report = args.report.canonicalize().map_err(|err| {
        Diagnostic::file(&args.report, format!("failed to read the report ({err})"))
    })?;
    if !root.contains(&report) {
        return Err(CliError::Usage(format!(
            "the report {} lies outside the root {}\n  hint: pass a --root that contains it",
            args.report.display(),
            root.path().display()
        )));
    }
    Ok(root)
}

/// `$XDG_CACHE_HOME/banmian/photos`, else `~/.cache/banmian/photos`.
fn user_cache() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(base.join("banmian").join("photos"))
}
