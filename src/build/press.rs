//! The plant's side of a build: the output profile and separation kept
//! between builds, the spread's photos separated (translucent fills burnt
//! in for PDF/X-1a), each page's ink measured, and the PDF/X written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst_layout::PagedDocument;

use crate::assets::colour::{DEFAULT_INK_LIMIT, DEFAULT_LPI, OutputProfile, Separation};
use crate::assets::separated::SeparatedStore;
use crate::assets::standin::Embed;
use crate::export::pdfx::{self, Standard};
use crate::preflight::ink::{self, PageInk, PhotoInks};
use crate::report::LoadedReport;
use crate::typeset::Typeset;
use crate::{Diagnostic, Error};

/// What the plant prints with.
#[derive(Debug, Clone, PartialEq)]
pub struct PressOptions {
    /// The plant's CMYK output profile; `None` is the bundled newsprint
    /// stand-in.
    pub output_profile: Option<PathBuf>,
    /// The total ink allowed, in percent (the profile's own limit wins
    /// when it is tighter).
    pub ink_limit: f64,
    /// The plant's screen ruling, lines per inch.
    pub lpi: f64,
}

impl Default for PressOptions {
    fn default() -> Self {
        Self {
            output_profile: None,
            ink_limit: DEFAULT_INK_LIMIT,
            lpi: DEFAULT_LPI,
        }
    }
}

/// The separation store of the last build, reused while its options hold.
#[derive(Default)]
pub struct PressCache {
    made: Option<(PressKey, Arc<SeparatedStore>)>,
}

/// What a separation store is made from.
type PressKey = (Option<PathBuf>, u64, Option<PathBuf>);

impl PressCache {
    /// The store for `options`, made (and the profile read) when they
    /// changed. A profile that cannot be used is a refusal of the job.
    pub fn store(
        &mut self,
        options: &PressOptions,
        cache_dir: Option<&Path>,
    ) -> Result<Arc<SeparatedStore>, Error> {
        let key = (
            options.output_profile.clone(),
            options.ink_limit.to_bits(),
            cache_dir.map(Path::to_path_buf),
        );
        if let Some((made, store)) = &self.made
            && *made == key
        {
            return Ok(store.clone());
        }
        if !(1.0..=400.0).contains(&options.ink_limit) {
            return Err(Error::Job(
                Diagnostic::error(format!(
                    "an ink limit of {} % cannot be printed",
                    options.ink_limit
                ))
                .with_hint(
                    "give the plant's total ink limit, e.g. --ink-limit 240 (or 220 on newsprint)",
                ),
            ));
        }
        let profile = match &options.output_profile {
            Some(path) => OutputProfile::from_file(path)?,
            None => OutputProfile::bundled(),
        };
        let separation = Separation::new(Arc::new(profile), options.ink_limit)?;
        let store = Arc::new(SeparatedStore::new(
            Arc::new(separation),
            cache_dir.map(Path::to_path_buf),
            90,
        ));
        self.made = Some((key, store.clone()));
        Ok(store)
    }
}

/// The spread made ready for PDF/X: pages flattened (X-1a), photos
/// separated, and what each photo's ink is.
pub struct Prepared {
    /// The pages to write.
    pub document: PagedDocument,
    /// The separated photos, each with its stand-in.
    pub images: Vec<Embed>,
    /// Each photo's ink, by its stand-in's hash.
    pub inks: PhotoInks,
}

/// Flattens (for X-1a) and separates the spread's photos, two at a time.
pub fn prepare(
    typeset: &Typeset,
    standard: Standard,
    store: &SeparatedStore,
) -> Result<Prepared, Error> {
    let flat = if standard.allows_transparency() {
        pdfx::Flattened {
            document: typeset.document.clone(),
            overlays: HashMap::new(),
        }
    } else {
        pdfx::flatten(&typeset.document)
    };
    let hashes: Vec<u128> = typeset
        .images
        .iter()
        .map(|e| typst::utils::hash128(e.stand_in.as_slice()))
        .collect();
    let separated: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = typeset
            .images
            .iter()
            .zip(&hashes)
            .map(|(embed, hash)| {
                let overlays = flat.overlays.get(hash).map_or(&[][..], Vec::as_slice);
                scope.spawn(move || store.separate(&embed.bytes, overlays))
            })
            .collect();
        handles.into_iter().map(|h| h.join()).collect()
    });
    let mut images = Vec::new();
    let mut inks = HashMap::new();
    for (i, result) in separated.into_iter().enumerate() {
        let embed = &typeset.images[i];
        let field = typeset
            .photos
            .get(i)
            .map_or(String::new(), |p| p.field.clone());
        let separated = match result {
            Ok(Ok(separated)) => separated,
            Ok(Err(err)) => {
                return Err(Error::Export(format!("failed to separate {field} ({err})")));
            }
            Err(_) => return Err(Error::Internal("photo separation panicked".into())),
        };
        inks.insert(hashes[i], (field, separated.ink));
        images.push(Embed {
            stand_in: embed.stand_in.clone(),
            bytes: separated.bytes,
            pixels: embed.pixels,
        });
    }
    Ok(Prepared {
        document: flat.document,
        images,
        inks,
    })
}

/// Each page's ink, and an error for each page above the limit.
pub fn review(
    loaded: &LoadedReport,
    typeset: &Typeset,
    prepared: Option<&Prepared>,
    separation: &Separation,
) -> (Vec<PageInk>, Vec<Diagnostic>) {
    let document = prepared.map_or(&typeset.document, |p| &p.document);
    let inks = ink::page_inks(document, prepared.map(|p| &p.inks), separation);
    (inks.clone(), ink::review(loaded, &inks))
}

/// The spread's press work in a build: prepared for PDF/X when asked for,
/// ink measured when a separation is in force (PDF/X, or a check), and the
/// photos' ppi held to the screen ruling; the findings join `findings`.
pub fn spread(
    loaded: &LoadedReport,
    typeset: &Typeset,
    job: &super::Job,
    store: Option<&SeparatedStore>,
    findings: &mut Vec<Diagnostic>,
) -> Result<(Option<Prepared>, Vec<PageInk>), Error> {
    let press = &job.options.press;
    findings.extend(ink::screen(loaded, &typeset.photos, press.lpi));
    let Some(store) = store else {
        return Ok((None, Vec::new()));
    };
    let standard = job.options.pdf_standard.and_then(super::PdfStandard::pdfx);
    let prepared = standard
        .map(|standard| prepare(typeset, standard, store))
        .transpose()?;
    let (inks, more) = review(loaded, typeset, prepared.as_ref(), store.separation());
    findings.extend(more);
    Ok((prepared, inks))
}
