//! Print finishing on Typst's PDF with `lopdf`: a BleedBox on every page
//! (Typst 0.15 writes only the TrimBox), crop marks outside the bleed on a
//! page grown by a slug, and a proof sheet with a spread's pages side by side.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use crate::Error;
use crate::assets::standin::Embed;

/// Points per millimetre.
const MM: f32 = 72.0 / 25.4;

/// Finishing options.
#[derive(Debug, Clone, Copy, Default)]
pub struct FinishOptions {
    /// Draw crop marks outside the bleed on a page grown by a slug.
    pub marks: bool,
}

/// Where crop marks sit: they start this far outside the trim (just past
/// the 3 mm bleed) and run this long, on a slug this wide.
const MARK_OFFSET: f32 = 3.5 * MM;
const MARK_LENGTH: f32 = 6.0 * MM;
pub(super) const SLUG: f32 = 12.0 * MM;

fn pdf_error(what: &'static str, err: impl std::fmt::Display) -> Error {
    Error::Finish {
        what,
        message: err.to_string(),
    }
}

/// Reads a rectangle entry of a page, following the page tree upwards.
fn rect(doc: &Document, page: ObjectId, key: &[u8]) -> Option<[f32; 4]> {
    let mut id = page;
    loop {
        let dict = doc.get_dictionary(id).ok()?;
        if let Ok(value) = dict.get(key) {
            let value = match value {
                Object::Reference(r) => doc.get_object(*r).ok()?,
                other => other,
            };
            let numbers: Vec<f32> = value
                .as_array()
                .ok()?
                .iter()
                .filter_map(|n| n.as_float().ok())
                .collect();
            return <[f32; 4]>::try_from(numbers).ok();
        }
        id = dict.get(b"Parent").ok()?.as_reference().ok()?;
    }
}

fn rect_object(r: [f32; 4]) -> Object {
    Object::Array(r.iter().map(|&v| Object::Real(v)).collect())
}

/// Replaces each photo stand-in's image stream by its final photo (see
/// [`embed_in`]).
pub fn embed_photos(pdf: &[u8], images: &[Embed]) -> Result<Vec<u8>, Error> {
    match super::splice::finish(pdf, images, None) {
        Some(bytes) => Ok(bytes),
        None => embed_photos_with_lopdf(pdf, images),
    }
}

/// [`embed_photos`] with `lopdf`: the whole file read and written again.
pub(super) fn embed_photos_with_lopdf(pdf: &[u8], images: &[Embed]) -> Result<Vec<u8>, Error> {
    let mut doc =
        Document::load_mem(pdf).map_err(|e| pdf_error("read the PDF to embed its photos", e))?;
    embed_in(&mut doc, images)?;
    save(&mut doc)
}

/// Replaces each photo stand-in's image stream by its final photo: the
/// JPEG bytes as they are, with their pixel size. The stand-in has the
/// photo's channels and colour profile, so the colour space Typst wrote
/// for it holds.
fn embed_in(doc: &mut Document, images: &[Embed]) -> Result<(), Error> {
    if images.is_empty() {
        return Ok(());
    }
    let wanted: HashMap<u128, &Embed> = images
        .iter()
        .map(|e| (typst::utils::hash128(e.stand_in.as_slice()), e))
        .collect();
    let mut found = 0;
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        let is_image = stream
            .dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|n| n == b"Image");
        if !is_image {
            continue;
        }
        let Some(embed) = wanted.get(&typst::utils::hash128(&stream.content)) else {
            continue;
        };
        stream.set_content(embed.bytes.to_vec());
        stream.dict.set("Width", i64::from(embed.pixels.0));
        stream.dict.set("Height", i64::from(embed.pixels.1));
        found += 1;
    }
    if found < wanted.len() {
        return Err(Error::Internal(format!(
            "{} of {} photos were not found in the PDF to embed",
            wanted.len() - found,
            wanted.len()
        )));
    }
    Ok(())
}

/// Finishes Typst's PDF for print in one pass: the final photos in place
/// of their stand-ins, a BleedBox (and crop marks) on every page.
pub fn finish(pdf: &[u8], images: &[Embed], options: FinishOptions) -> Result<Vec<u8>, Error> {
    // Copying Typst's objects as they are, when the file is as expected:
    // the same document as `lopdf` makes (see `super::splice`).
    match super::splice::finish(pdf, images, Some(options)) {
        Some(bytes) => Ok(bytes),
        None => finish_with_lopdf(pdf, images, options),
    }
}

/// [`finish`] with `lopdf`: the whole file read and written again.
pub(super) fn finish_with_lopdf(
    pdf: &[u8],
    images: &[Embed],
    options: FinishOptions,
) -> Result<Vec<u8>, Error> {
    let mut doc = finish_doc(pdf, images, options)?;
    save(&mut doc)
}

/// [`finish_with_lopdf`], leaving the document open for more work (PDF/X).
pub(super) fn finish_doc(
    pdf: &[u8],
    images: &[Embed],
    options: FinishOptions,
) -> Result<Document, Error> {
    let mut doc =
        Document::load_mem(pdf).map_err(|e| pdf_error("read the PDF for finishing", e))?;
    embed_in(&mut doc, images)?;
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    for page in pages {
        let media = rect(&doc, page, b"MediaBox")
            .ok_or_else(|| pdf_error("read a page", "it has no MediaBox"))?;
        let trim = rect(&doc, page, b"TrimBox").unwrap_or(media);
        // Typst's MediaBox is the trimmed page plus its bleed.
        let bleed = media;
        let media = if options.marks {
            [
                media[0] - SLUG,
                media[1] - SLUG,
                media[2] + SLUG,
                media[3] + SLUG,
            ]
        } else {
            media
        };
        let dict = doc
            .get_dictionary_mut(page)
            .map_err(|e| pdf_error("edit a page", e))?;
        dict.set("MediaBox", rect_object(media));
        dict.set("BleedBox", rect_object(bleed));
        dict.set("TrimBox", rect_object(trim));
        if options.marks {
            add_marks(&mut doc, page, trim)?;
        }
    }
    Ok(doc)
}

/// The crop marks' drawing, after the page's content (wrapped in q/Q): a
/// horizontal and a vertical hairline at each corner, beyond the bleed, in
/// registration colour (on every separation).
pub(super) fn marks_stream(trim: [f32; 4]) -> String {
    let [x0, y0, x1, y1] = trim;
    let mut ops = String::from("Q q 0.25 w 1 1 1 1 K\n");
    for (x, y, dx, dy) in [
        (x0, y0, -1.0, -1.0),
        (x1, y0, 1.0, -1.0),
        (x0, y1, -1.0, 1.0),
        (x1, y1, 1.0, 1.0),
    ] {
        let (h_start, h_end) = (x + dx * MARK_OFFSET, x + dx * (MARK_OFFSET + MARK_LENGTH));
        let (v_start, v_end) = (y + dy * MARK_OFFSET, y + dy * (MARK_OFFSET + MARK_LENGTH));
        ops.push_str(&format!("{h_start:.3} {y:.3} m {h_end:.3} {y:.3} l S\n"));
        ops.push_str(&format!("{x:.3} {v_start:.3} m {x:.3} {v_end:.3} l S\n"));
    }
    ops.push_str("Q\n");
    ops
}

/// Wraps the page's content in q/Q and draws crop marks after it, in
/// registration colour (on every separation) with a hairline.
fn add_marks(doc: &mut Document, page: ObjectId, trim: [f32; 4]) -> Result<(), Error> {
    let ops = marks_stream(trim);
    let mut contents: Vec<Object> = doc
        .get_page_contents(page)
        .into_iter()
        .map(Object::Reference)
        .collect();
    let open = doc.add_object(Stream::new(Dictionary::new(), b"q\n".to_vec()));
    let close = doc.add_object(Stream::new(Dictionary::new(), ops.into_bytes()));
    contents.insert(0, Object::Reference(open));
    contents.push(Object::Reference(close));
    let dict = doc
        .get_dictionary_mut(page)
        .map_err(|e| pdf_error("edit a page", e))?;
    dict.set("Contents", Object::Array(contents));
    Ok(())
}

/// A proof sheet: every page of the PDF, trimmed, side by side on one sheet
/// with a small margin; a proof only, never sent to the plant.
pub fn proof(pdf: &[u8]) -> Result<Vec<u8>, Error> {
    let mut doc = Document::load_mem(pdf).map_err(|e| pdf_error("read the PDF for a proof", e))?;
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let margin = 10.0 * MM;
    let mut x = margin;
    let mut height: f32 = 0.0;
    let mut ops = String::new();
    let mut xobjects = Dictionary::new();
    for (i, &page) in pages.iter().enumerate() {
        let trim = rect(&doc, page, b"TrimBox")
            .or_else(|| rect(&doc, page, b"MediaBox"))
            .ok_or_else(|| pdf_error("read a page", "it has no MediaBox"))?;
        let form = page_as_form(&mut doc, page, trim)?;
        let name = format!("P{i}");
        xobjects.set(name.as_bytes(), Object::Reference(form));
        let (w, h) = (trim[2] - trim[0], trim[3] - trim[1]);
        // Place the trim box's corner at (x, margin), framed by a hairline.
        ops.push_str(&format!(
            "q 1 0 0 1 {:.3} {:.3} cm /{name} Do Q\nq 0.3 w 0 0 0 1 K {x:.3} {margin:.3} {w:.3} {h:.3} re S Q\n",
            x - trim[0],
            margin - trim[1]
        ));
        x += w;
        height = height.max(h);
    }
    let sheet = [0.0, 0.0, x + margin, height + 2.0 * margin];
    let content = doc.add_object(Stream::new(Dictionary::new(), ops.into_bytes()));
    let pages_id = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(|e| pdf_error("find the page tree", e))?;
    let mut resources = Dictionary::new();
    resources.set("XObject", Object::Dictionary(xobjects));
    let mut page = Dictionary::new();
    page.set("Type", Object::Name(b"Page".to_vec()));
    page.set("Parent", Object::Reference(pages_id));
    page.set("MediaBox", rect_object(sheet));
    page.set("Resources", Object::Dictionary(resources));
    page.set("Contents", Object::Reference(content));
    let page_id = doc.add_object(page);
    let tree = doc
        .get_dictionary_mut(pages_id)
        .map_err(|e| pdf_error("edit the page tree", e))?;
    tree.set("Kids", Object::Array(vec![Object::Reference(page_id)]));
    tree.set("Count", Object::Integer(1));
    // The spread's own structure tree and outline point at the old pages.
    if let Ok(catalog) = doc.catalog_mut() {
        for key in [&b"StructTreeRoot"[..], b"Outlines", b"MarkInfo"] {
            catalog.remove(key);
        }
    }
    doc.prune_objects();
    save(&mut doc)
}

/// Turns a page into a Form XObject clipped to `bbox`.
fn page_as_form(doc: &mut Document, page: ObjectId, bbox: [f32; 4]) -> Result<ObjectId, Error> {
    let content = doc.get_page_content(page);
    let resources =
        inherited(doc, page, b"Resources").unwrap_or(Object::Dictionary(Dictionary::new()));
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XObject".to_vec()));
    dict.set("Subtype", Object::Name(b"Form".to_vec()));
    dict.set("BBox", rect_object(bbox));
    dict.set("Resources", resources);
    let mut stream = Stream::new(dict, content);
    let _ = stream.compress();
    Ok(doc.add_object(stream))
}

/// A page entry, looked up the page tree.
fn inherited(doc: &Document, page: ObjectId, key: &[u8]) -> Option<Object> {
    let mut id = page;
    loop {
        let dict = doc.get_dictionary(id).ok()?;
        if let Ok(value) = dict.get(key) {
            return Some(value.clone());
        }
        id = dict.get(b"Parent").ok()?.as_reference().ok()?;
    }
}

fn save(doc: &mut Document) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| pdf_error("write the finished PDF", e))?;
    Ok(out)
}
