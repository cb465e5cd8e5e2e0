//! Exports: PDF and PNG previews of a typeset document, written atomically.

mod finish;
mod ident;
pub mod pdfx;
pub mod pptx;
mod splice;
pub mod truetype;
pub mod typst_project;

use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandards, Timestamp};

pub use finish::{FinishOptions, finish, proof};

use crate::Error;
use crate::typeset::Typeset;

/// PDF export settings.
#[derive(Debug, Clone, Default)]
pub struct PdfSettings {
    /// Creation date written into the PDF (from `SOURCE_DATE_EPOCH`); none
    /// keeps output identical across runs.
    pub timestamp: Option<Datetime>,
    /// A stable identifier for the document.
    pub ident: Option<String>,
    /// Write PDF/A-2b (an archival copy, through Typst's PDF/A support).
    pub pdf_a: bool,
}

/// Exports a typeset document as PDF bytes, its photos' stand-ins replaced
/// by the final photos.
pub fn pdf(typeset: &Typeset, settings: &PdfSettings) -> Result<Vec<u8>, Error> {
    let bytes = typst_pdf_bytes(&typeset.document, settings)?;
    if typeset.images.is_empty() {
        Ok(bytes)
    } else {
        let mut bytes = finish::embed_photos(&bytes, &typeset.images)?;
        ident::reidentify(&mut bytes);
        Ok(bytes)
    }
}

/// Exports a typeset spread as a finished PDF for print: the final photos,
/// BleedBox and TrimBox, and crop marks when asked for.
pub fn print_pdf(
    typeset: &Typeset,
    settings: &PdfSettings,
    options: FinishOptions,
) -> Result<Vec<u8>, Error> {
    let bytes = typst_pdf_bytes(&typeset.document, settings)?;
    let mut bytes = finish(&bytes, &typeset.images, options)?;
    ident::reidentify(&mut bytes);
    Ok(bytes)
}

/// Exports a spread prepared for the plant (pages flattened for X-1a,
/// photos separated) as PDF/X: finished for print, then made PDF/X.
pub fn pdfx_pdf(
    document: &PagedDocument,
    images: &[crate::assets::standin::Embed],
    settings: &PdfSettings,
    options: FinishOptions,
    standard: pdfx::Standard,
    separation: &crate::assets::colour::Separation,
) -> Result<Vec<u8>, Error> {
    let bytes = typst_pdf_bytes(document, settings)?;
    let mut finished = finish::finish_doc(&bytes, images, options)?;
    let mut bytes = pdfx::make(&mut finished, standard, separation)?;
    ident::reidentify(&mut bytes);
    Ok(bytes)
}

/// Exports a document as PDF bytes, as Typst writes it.
fn typst_pdf_bytes(document: &PagedDocument, settings: &PdfSettings) -> Result<Vec<u8>, Error> {
    let options = PdfOptions {
        ident: settings.ident.clone().map_or(Smart::Auto, Smart::Custom),
        creator: Smart::Custom(Some(format!("banmian {}", env!("CARGO_PKG_VERSION")))),
        timestamp: settings.timestamp.map(Timestamp::new_utc),
        page_ranges: None,
        standards: if settings.pdf_a {
            PdfStandards::new(&[typst_pdf::PdfStandard::A_2b])
                .map_err(|err| Error::Export(format!("PDF/A-2b: {}", err.message())))?
        } else {
            PdfStandards::default()
        },
        tagged: true,
        pretty: false,
    };
    let mut bytes = typst_pdf::pdf(document, &options).map_err(|errors| {
        let messages: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        Error::Export(format!("failed to write the PDF ({})", messages.join("; ")))
    })?;
    splice::drop_default_suspects(&mut bytes);
    Ok(bytes)
}

/// Renders each page as PNG bytes at `ppi`, bleed included.
pub fn png_pages(document: &PagedDocument, ppi: f32) -> Result<Vec<Vec<u8>>, Error> {
    document
        .pages()
        .iter()
        .map(|page| png_page(page, ppi))
        .collect()
}

/// Renders one page as PNG at `ppi`, bleed included.
pub fn png_page(page: &typst_layout::Page, ppi: f32) -> Result<Vec<u8>, Error> {
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(f64::from(ppi.max(1.0)) / 72.0),
        render_bleed: true,
    };
    typst_render::render(page, &options)
        .encode_png()
        .map_err(|err| Error::Export(format!("failed to encode a PNG preview ({err})")))
}
