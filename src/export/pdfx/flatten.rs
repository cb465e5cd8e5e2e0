//! PDF/X-1a allows no transparency. Typst writes a translucent fill (the
//! banner's display band: black at 45 % over the photo) with a constant
//! alpha, so before the PDF is written each translucent fill is taken out
//! of the page and burnt into the photo it lies on, as a prepress
//! flattener does: the page looks as designed, the photo under the band
//! stays visible, and the white type on the band still knocks out. A
//! translucent fill over no photo becomes the opaque colour it shows on
//! white paper.

use std::collections::HashMap;

use typst::layout::{Frame, FrameItem, Transform};
use typst::visualize::{Color, ImageKind, Paint};
use typst_layout::PagedDocument;

use super::paint::{Painted, Rect, describe, overlap, walk};
use crate::assets::separated::Overlay;

/// A document without translucent fills, and what to burn into photos.
pub struct Flattened {
    /// The pages, translucent fills taken out or made opaque.
    pub document: PagedDocument,
    /// Fills to burn in, by the hash of the image's data (the photo's
    /// stand-in).
    pub overlays: HashMap<u128, Vec<Overlay>>,
}

/// What to do with a painted item.
#[derive(Clone, Copy)]
enum Fate {
    Keep,
    /// Burnt into a photo: taken out of the page.
    Drop,
    /// Over no photo: the opaque colour it shows on white paper.
    Opaque,
}

/// Takes every translucent fill out of the pages (see the module).
pub fn flatten(document: &PagedDocument) -> Flattened {
    let mut overlays: HashMap<u128, Vec<Overlay>> = HashMap::new();
    let mut pages = document.pages().to_vec();
    let mut changed = false;
    for page in &mut pages {
        let fates = plan(&page.frame, &mut overlays);
        if fates.iter().any(|f| !matches!(f, Fate::Keep)) {
            apply(&mut page.frame, &fates, &mut 0);
            changed = true;
        }
    }
    let document = if changed {
        let info = typst::model::Document::info(document).clone();
        PagedDocument::new(pages.into_iter().collect(), info)
    } else {
        document.clone()
    };
    Flattened { document, overlays }
}

/// Decides each leaf item's fate, in painting order, and collects the
/// overlays of the photos.
fn plan(frame: &Frame, overlays: &mut HashMap<u128, Vec<Overlay>>) -> Vec<Fate> {
    let mut fates = Vec::new();
    let mut images: Vec<(Rect, u128)> = Vec::new();
    walk(frame, Transform::identity(), &mut |item, ts, _| {
        let mut fate = Fate::Keep;
        match describe(item, ts) {
            Some(Painted::Image { rect, image }) => {
                if let ImageKind::Raster(raster) = image.kind() {
                    images.push((rect, typst::utils::hash128(raster.data().as_slice())));
                }
            }
            Some(Painted::Shape {
                rect,
                fill: Some(colour),
                ..
            }) if translucent(&colour) => {
                let area = (rect[2] - rect[0]) * (rect[3] - rect[1]);
                let under = images
                    .iter()
                    .rev()
                    .find(|(image, _)| overlap(*image, rect) >= 0.99 * area);
                fate = match under {
                    Some(&(image, hash)) => {
                        overlays
                            .entry(hash)
                            .or_default()
                            .push(overlay(image, rect, &colour));
                        Fate::Drop
                    }
                    None => Fate::Opaque,
                };
            }
            _ => {}
        }
        fates.push(fate);
    });
    fates
}

/// Whether a colour lets what is under it show through.
fn translucent(colour: &Color) -> bool {
    colour.alpha().is_some_and(|a| a < 1.0)
}

/// A fill over an image, in the image's fractions.
fn overlay(image: Rect, fill: Rect, colour: &Color) -> Overlay {
    let (w, h) = (image[2] - image[0], image[3] - image[1]);
    let fx = |x: f64| ((x - image[0]) / w).clamp(0.0, 1.0) as f32;
    let fy = |y: f64| ((y - image[1]) / h).clamp(0.0, 1.0) as f32;
    let rgb = colour.to_rgb();
    Overlay {
        rect: [fx(fill[0]), fy(fill[1]), fx(fill[2]), fy(fill[3])],
        rgb: [rgb.red, rgb.green, rgb.blue],
        alpha: colour.alpha().unwrap_or(1.0),
    }
}

/// Carries out the fates, visiting leaf items in the order [`plan`] did.
fn apply(frame: &mut Frame, fates: &[Fate], next: &mut usize) {
    frame.retain(|item| {
        if let FrameItem::Group(group) = item {
            apply(&mut group.frame, fates, next);
            return true;
        }
        let fate = fates.get(*next).copied().unwrap_or(Fate::Keep);
        *next += 1;
        match (fate, item) {
            (Fate::Drop, _) => false,
            (Fate::Opaque, FrameItem::Shape(shape, _)) => {
                if let Some(Paint::Solid(colour)) = &shape.fill {
                    shape.fill = Some(Paint::Solid(on_white(colour)));
                }
                true
            }
            _ => true,
        }
    });
}

/// The opaque colour a translucent one shows on white paper.
fn on_white(colour: &Color) -> Color {
    let a = colour.alpha().unwrap_or(1.0);
    let rgb = colour.to_rgb();
    let mix = |v: f32| ((v * a + (1.0 - a)) * 255.0).round() as u8;
    Color::from_u8(mix(rgb.red), mix(rgb.green), mix(rgb.blue), 255)
}
