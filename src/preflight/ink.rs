//! Ink on the plant's pages: each page's heaviest total ink (C + M + Y + K,
//! in percent), from the separated photos, the vector colours, and 100 %
//! black that overprints a photo (it adds to the photo's C + M + Y); an
//! error above the limit. And the screen: a photo below about 1.5 × the
//! screen ruling's ppi prints soft.

use std::collections::HashMap;

use serde::Serialize;
use typst::visualize::{Color, ImageKind};
use typst_layout::PagedDocument;

use super::at;
use crate::assets::colour::Separation;
use crate::assets::separated::PhotoInk;
use crate::export::pdfx::THIN_RULE;
use crate::export::pdfx::paint::{Painted, Rect, overlap, painted};
use crate::report::LoadedReport;
use crate::typeset::PlacedPhoto;
use crate::{Diagnostic, Severity};

/// Photos print soft below this many pixels per screen line.
pub const LPI_FACTOR: f64 = 1.5;

/// A page's ink, as `check --json` reports it.
#[derive(Debug, Clone, Serialize)]
pub struct PageInk {
    /// Page, from 1.
    pub page: usize,
    /// The heaviest total ink on the page, in percent.
    pub max: f64,
    /// The limit in force.
    pub limit: f64,
    /// Where the heaviest ink is: `photo FIELD`, `colour C/M/Y/K`, or
    /// `black over photo FIELD`.
    pub source: String,
    /// The heaviest vector colour.
    pub colours: f64,
    /// The heaviest separated photo (99.9th percentile of its pixels in
    /// `photos_p999`); `None` when the photos are not separated (an RGB
    /// PDF: the plant separates them).
    pub photos: Option<f64>,
    /// The 99.9th percentile of the heaviest photo's pixels.
    pub photos_p999: Option<f64>,
}

/// A separated photo, by the hash of the image data the page holds.
pub type PhotoInks = HashMap<u128, (String, PhotoInk)>;

/// Each page's ink. `photos` is `None` when photos are not separated.
pub fn page_inks(
    document: &PagedDocument,
    photos: Option<&PhotoInks>,
    sep: &Separation,
) -> Vec<PageInk> {
    let mut out = Vec::new();
    for (i, page) in document.pages().iter().enumerate() {
        let mut ink = PageInk {
            page: i + 1,
            max: 0.0,
            limit: sep.ink_limit,
            source: "paper".into(),
            colours: 0.0,
            photos: photos.map(|_| 0.0),
            photos_p999: photos.map(|_| 0.0),
        };
        let mut images: Vec<(Rect, &str, PhotoInk)> = Vec::new();
        let mut heavier = |ink: &mut PageInk, total: f64, source: String| {
            if total > ink.max {
                ink.max = total;
                ink.source = source;
            }
        };
        for item in painted(&page.frame) {
            match item {
                Painted::Image { rect, image } => {
                    let ImageKind::Raster(raster) = image.kind() else {
                        continue;
                    };
                    let hash = typst::utils::hash128(raster.data().as_slice());
                    let Some((field, photo)) = photos.and_then(|p| p.get(&hash)) else {
                        continue;
                    };
                    ink.photos = ink.photos.map(|v| v.max(photo.max));
                    ink.photos_p999 = ink.photos_p999.map(|v| v.max(photo.p999));
                    heavier(&mut ink, photo.max, format!("photo {field}"));
                    images.push((rect, field, *photo));
                }
                Painted::Text { rect, fill } => {
                    let Some(fill) = fill.filter(opaque) else {
                        continue;
                    };
                    let cmyk = cmyk_of(&fill, sep);
                    colour(&mut ink, cmyk, &mut heavier);
                    overprinted(&mut ink, rect, cmyk, &images, &mut heavier);
                }
                Painted::Shape { rect, fill, stroke } => {
                    if let Some(fill) = fill.filter(opaque) {
                        colour(&mut ink, cmyk_of(&fill, sep), &mut heavier);
                    }
                    if let Some((paint, width)) = stroke.filter(|(c, _)| opaque(c)) {
                        let cmyk = cmyk_of(&paint, sep);
                        colour(&mut ink, cmyk, &mut heavier);
                        if width <= THIN_RULE {
                            overprinted(&mut ink, rect, cmyk, &images, &mut heavier);
                        }
                    }
                }
            }
        }
        ink.max = round(ink.max);
        ink.colours = round(ink.colours);
        out.push(ink);
    }
    out
}

type Heavier<'a> = dyn FnMut(&mut PageInk, f64, String) + 'a;

/// A vector colour's ink.
fn colour(ink: &mut PageInk, cmyk: [f32; 4], heavier: &mut Heavier) {
    let total = total(cmyk);
    ink.colours = ink.colours.max(total);
    let [c, m, y, k] = cmyk.map(|v| (v * 100.0).round());
    heavier(ink, total, format!("colour C{c} M{m} Y{y} K{k}"));
}

/// 100 % black overprints: over a photo it adds to the photo's C + M + Y.
fn overprinted(
    ink: &mut PageInk,
    rect: Rect,
    cmyk: [f32; 4],
    images: &[(Rect, &str, PhotoInk)],
    heavier: &mut Heavier,
) {
    let [c, m, y, k] = cmyk;
    if c + m + y > 0.002 || k < 0.998 {
        return;
    }
    for (image, field, photo) in images {
        if overlap(*image, rect) > 0.0 {
            heavier(
                ink,
                photo.max_cmy + 100.0,
                format!("black over photo {field}"),
            );
        }
    }
}

fn opaque(colour: &Color) -> bool {
    colour.alpha().is_none_or(|a| a >= 1.0)
}

/// A colour as the PDF/X pass writes it: CMYK as it is, grey as black
/// ink, anything else separated through the output profile.
pub fn cmyk_of(colour: &Color, sep: &Separation) -> [f32; 4] {
    use typst::visualize::{ColorSpace, ProcessColorSpace};
    let v = colour.to_vec4();
    match colour.space() {
        ColorSpace::Process(ProcessColorSpace::Cmyk) => v,
        ColorSpace::Process(ProcessColorSpace::D65Gray) => [0.0, 0.0, 0.0, 1.0 - v[0]],
        _ => {
            let rgb = colour.to_rgb();
            sep.colour([rgb.red, rgb.green, rgb.blue])
        }
    }
}

fn total(cmyk: [f32; 4]) -> f64 {
    round(cmyk.iter().map(|&v| f64::from(v)).sum::<f64>() * 100.0)
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// An error for each page above the limit.
pub fn review(loaded: &LoadedReport, inks: &[PageInk]) -> Vec<Diagnostic> {
    inks.iter()
        .filter(|ink| ink.max > ink.limit + 0.05)
        .map(|ink| {
            let field = ink
                .source
                .rsplit_once("photo ")
                .map(|(_, field)| field.to_owned());
            at(
                loaded,
                Severity::Error,
                field.as_deref(),
                format!(
                    "page {}: total ink {:.0} % ({}), above the limit of {:.0} %",
                    ink.page, ink.max, ink.source, ink.limit
                ),
            )
            .with_hint(if ink.source.starts_with("colour") {
                "use a lighter colour in the template, or the plant's --ink-limit if it allows more"
            } else if ink.source.starts_with("black over") {
                "keep 100 % black type and rules off the photo, or make them white"
            } else {
                "render with --pdf-standard x-1a, which separates photos within the limit"
            })
        })
        .collect()
}

/// A warning for each photo below about 1.5 × the screen ruling.
pub fn screen(loaded: &LoadedReport, photos: &[PlacedPhoto], lpi: f64) -> Vec<Diagnostic> {
    let least = LPI_FACTOR * lpi;
    photos
        .iter()
        .filter(|p| p.plan.ppi < least)
        .map(|p| {
            at(
                loaded,
                Severity::Warning,
                Some(&p.field),
                format!(
                    "photo is {:.0} ppi as placed, below {LPI_FACTOR} × the {lpi:.0} lpi screen ({least:.0} ppi): it will print soft",
                    p.plan.ppi
                ),
            )
            .with_hint("use a larger original, or let it take less room")
        })
        .collect()
}
