//! PDF/X for a newspaper plant, after Typst's export and print finishing
//! (Typst has no PDF/X): photos in CMYK or black ink (separated through
//! the output profile before they are swapped in), every vector colour in
//! DeviceCMYK, 100 % black text and thin rules overprinting, no
//! transparency in X-1a (translucent fills are burnt into the photos
//! beforehand, see [`flatten`]), the output intent with the profile, and
//! the PDF/X keys in Info and XMP. What cannot be made so is an error,
//! never a file that only claims to be PDF/X.

mod content;
mod flatten;
mod lex;
mod meta;
pub mod paint;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

pub use content::THIN_RULE;
pub use flatten::{Flattened, flatten};

use crate::Error;
use crate::assets::colour::Separation;
use crate::assets::separated::jpeg_components;

/// The PDF/X flavours banmian writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standard {
    /// PDF/X-1a:2001: CMYK and grey only, no transparency, PDF 1.3.
    X1a,
    /// PDF/X-4: the same output intent; transparency allowed, PDF 1.6.
    X4,
}

impl Standard {
    /// `GTS_PDFXVersion`.
    pub fn version(self) -> &'static str {
        match self {
            Self::X1a => "PDF/X-1a:2001",
            Self::X4 => "PDF/X-4",
        }
    }

    /// `GTS_PDFXConformance` (X-1a only).
    pub fn conformance(self) -> Option<&'static str> {
        match self {
            Self::X1a => Some("PDF/X-1a:2001"),
            Self::X4 => None,
        }
    }

    /// The PDF version in the header.
    pub fn pdf_version(self) -> &'static str {
        match self {
            Self::X1a => "1.3",
            Self::X4 => "1.6",
        }
    }

    /// Whether transparency may stay.
    pub fn allows_transparency(self) -> bool {
        self == Self::X4
    }
}

fn failed(what: &'static str, err: impl std::fmt::Display) -> Error {
    Error::Finish {
        what,
        message: err.to_string(),
    }
}

/// Makes a finished print PDF (final photos already separated, boxes set)
/// PDF/X and writes it: see the module.
pub fn make(doc: &mut Document, standard: Standard, sep: &Separation) -> Result<Vec<u8>, Error> {
    let ids: Vec<ObjectId> = doc.objects.keys().copied().collect();
    for &id in &ids {
        if subtype(doc, id).as_deref() == Some(b"Image".as_slice()) {
            image(doc, id, standard, sep)?;
        }
    }
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let forms = ids
        .iter()
        .filter(|&&id| subtype(doc, id).as_deref() == Some(b"Form".as_slice()));
    let all: Vec<Content> = (pages.iter().map(|&id| (id, true)))
        .chain(forms.map(|&id| (id, false)))
        .filter_map(|(id, page)| read_content(doc, id, page))
        .collect();
    rewrite_all(doc, all, sep)?;
    transparency(doc, standard, &pages, &ids)?;
    meta::identify(doc, standard, &sep.profile)?;
    doc.prune_objects();
    if let Some(left) = device_rgb_left(doc) {
        return Err(Error::Export(format!(
            "{}: {left} is still in RGB; it cannot be sent as it is",
            standard.version()
        )));
    }
    // Sized for the streams (the photos: megabytes) and a margin for the
    // rest, so the buffer is not grown, and copied, as it is written.
    let streams: usize = (doc.objects.values())
        .filter_map(|o| o.as_stream().ok())
        .map(|s| s.content.len())
        .sum();
    let mut out = Vec::with_capacity(streams + streams / 16 + 65536);
    doc.save_to(&mut out)
        .map_err(|e| failed("write the PDF/X file", e))?;
    Ok(out)
}

/// An object's `/Subtype`, when it is a stream.
fn subtype(doc: &Document, id: ObjectId) -> Option<Vec<u8>> {
    let stream = doc.get_object(id).ok()?.as_stream().ok()?;
    Some(stream.dict.get(b"Subtype").ok()?.as_name().ok()?.to_vec())
}

/// Sets an image's colour space from what it holds: a separated photo
/// (CMYK as Adobe writes it, or grey for black ink), or 8-bit RGB or grey
/// samples from a template, separated here.
fn image(
    doc: &mut Document,
    id: ObjectId,
    standard: Standard,
    sep: &Separation,
) -> Result<(), Error> {
    let Ok(Object::Stream(stream)) = doc.get_object_mut(id) else {
        return Ok(());
    };
    if stream.dict.has(b"SMask") && !standard.allows_transparency() {
        return Err(Error::Export(format!(
            "{}: an image has transparency (a soft mask); use an opaque image",
            standard.version()
        )));
    }
    let dct = stream
        .dict
        .get(b"Filter")
        .ok()
        .and_then(|f| f.as_name().ok().map(<[u8]>::to_vec))
        .is_some_and(|f| f == b"DCTDecode");
    if dct {
        match jpeg_components(&stream.content) {
            Some(4) => {
                stream
                    .dict
                    .set("ColorSpace", Object::Name(b"DeviceCMYK".to_vec()));
                // Adobe's CMYK JPEGs hold inverted samples.
                let decode = [1, 0, 1, 0, 1, 0, 1, 0].map(Object::Integer).to_vec();
                stream.dict.set("Decode", Object::Array(decode));
            }
            Some(1) => {
                stream
                    .dict
                    .set("ColorSpace", Object::Name(b"DeviceGray".to_vec()));
                stream.dict.remove(b"Decode");
            }
            _ => {
                return Err(Error::Export(format!(
                    "{}: a photo is still in RGB (it was not separated)",
                    standard.version()
                )));
            }
        }
        return Ok(());
    }
    separate_samples(stream, sep).map_err(|e| Error::Export(format!("{}: {e}", standard.version())))
}

/// Separates an 8-bit RGB (or ICC-based) image's samples into CMYK; grey
/// ones become DeviceGray.
fn separate_samples(stream: &mut Stream, sep: &Separation) -> Result<(), String> {
    let bits = stream
        .dict
        .get(b"BitsPerComponent")
        .and_then(Object::as_i64)
        .unwrap_or(8);
    let n = match stream.dict.get(b"ColorSpace") {
        Ok(Object::Name(n)) if n == b"DeviceCMYK" => return Ok(()),
        Ok(Object::Name(n)) if n == b"DeviceGray" => return Ok(()),
        Ok(Object::Name(n)) if n == b"DeviceRGB" => 3,
        Ok(Object::Array(_)) => 0,
        _ => return Err("an image has a colour space banmian cannot separate".into()),
    };
    let samples = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let (w, h) = (
        stream
            .dict
            .get(b"Width")
            .and_then(Object::as_i64)
            .unwrap_or(0),
        stream
            .dict
            .get(b"Height")
            .and_then(Object::as_i64)
            .unwrap_or(0),
    );
    let pixels = (w * h) as usize;
    let n = if n == 0 && pixels > 0 {
        samples.len() / pixels
    } else {
        n
    };
    if bits != 8 || !matches!(n, 1 | 3) || samples.len() != pixels * n {
        return Err("an image is neither 8-bit RGB nor grey; it cannot be separated".into());
    }
    let mut dict = stream.dict.clone();
    dict.remove(b"Filter");
    dict.remove(b"DecodeParms");
    dict.remove(b"Decode");
    let (space, data) = if n == 1 {
        (b"DeviceGray".to_vec(), samples)
    } else {
        (b"DeviceCMYK".to_vec(), sep.rgb_to_cmyk(&samples, None))
    };
    dict.set("ColorSpace", Object::Name(space));
    *stream = deflated(dict, data);
    Ok(())
}

/// A page's or form's content, read to be rewritten.
struct Content {
    id: ObjectId,
    page: bool,
    /// A form's dictionary to keep (a page's is empty), its resources
    /// given the overprint states and rid of the ICC colour spaces.
    dict: Dictionary,
    names: content::Names,
    bytes: Vec<u8>,
}

/// Reads a page's or form's content and resources (see [`content`]).
fn read_content(doc: &Document, id: ObjectId, page: bool) -> Option<Content> {
    let mut resources = resources_of(doc, id);
    let names = content::Names::read(doc, &resources);
    let (bytes, mut dict) = if page {
        (doc.get_page_content(id), Dictionary::new())
    } else {
        let stream = doc.get_object(id).and_then(Object::as_stream).ok()?;
        let bytes = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        let mut dict = stream.dict.clone();
        dict.remove(b"Filter");
        dict.remove(b"DecodeParms");
        (bytes, dict)
    };
    let mut states = content::sub_dict(doc, &resources, b"ExtGState")
        .cloned()
        .unwrap_or_default();
    for (name, state) in content::overprint_states() {
        states.set(name.as_bytes(), Object::Dictionary(state));
    }
    resources.set("ExtGState", Object::Dictionary(states));
    // Colour spaces are all device ones now; the ICC ones go.
    resources.remove(b"ColorSpace");
    // A form keeps them in its dictionary; a page's are moved onto the
    // page by [`rewrite_all`].
    dict.set("Resources", Object::Dictionary(resources));
    Some(Content {
        id,
        page,
        dict,
        names,
        bytes,
    })
}

/// Rewrites every page's and form's content, on two threads (the pages
/// are independent), and puts the new streams in place.
fn rewrite_all(doc: &mut Document, all: Vec<Content>, sep: &Separation) -> Result<(), Error> {
    let half = all.len().div_ceil(2).max(1);
    let made: Vec<Result<Stream, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = all
            .chunks(half)
            .map(|chunk| scope.spawn(move || chunk.iter().map(|c| rewrite_one(c, sep)).collect()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|_| vec![Err("panicked".into())]))
            .collect()
    });
    for (c, stream) in all.into_iter().zip(made) {
        let stream = stream.map_err(|e| failed("rewrite a page's colours", e))?;
        if c.page {
            let content = doc.add_object(stream);
            let dict = doc
                .get_dictionary_mut(c.id)
                .map_err(|e| failed("edit a page", e))?;
            dict.set("Contents", Object::Reference(content));
            if let Ok(resources) = c.dict.get(b"Resources") {
                dict.set("Resources", resources.clone());
            }
        } else {
            doc.objects.insert(c.id, Object::Stream(stream));
        }
    }
    Ok(())
}

/// One content stream rewritten and compressed.
fn rewrite_one(c: &Content, sep: &Separation) -> Result<Stream, String> {
    let rewritten = content::rewrite(&c.bytes, &c.names, sep, c.page)?;
    let dict = if c.page {
        Dictionary::new()
    } else {
        c.dict.clone()
    };
    Ok(deflated(dict, rewritten))
}

/// A stream holding `content` deflated at zlib's default level. lopdf's
/// own `compress` takes the best (level 9), which made the pages' content
/// streams take several times as long for a file barely smaller.
fn deflated(mut dict: Dictionary, content: Vec<u8>) -> Stream {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(content.len() / 3),
        flate2::Compression::default(),
    );
    match encoder.write_all(&content).and_then(|()| encoder.finish()) {
        Ok(packed) if packed.len() < content.len() => {
            dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            Stream::new(dict, packed)
        }
        _ => Stream::new(dict, content),
    }
}

/// A page's or form's resources (inherited for pages), as a copy.
fn resources_of(doc: &Document, id: ObjectId) -> Dictionary {
    let mut at = id;
    loop {
        let dict = match doc.get_object(at) {
            Ok(Object::Stream(s)) => &s.dict,
            Ok(Object::Dictionary(d)) => d,
            _ => return Dictionary::new(),
        };
        if let Some(found) = content::sub_dict(doc, dict, b"Resources") {
            return found.clone();
        }
        match dict.get(b"Parent").and_then(Object::as_reference) {
            Ok(parent) => at = parent,
            Err(_) => return Dictionary::new(),
        }
    }
}

/// X-1a: no transparency groups, no translucent or soft-masked graphics
/// states. X-4: transparency groups blend in CMYK.
fn transparency(
    doc: &mut Document,
    standard: Standard,
    pages: &[ObjectId],
    ids: &[ObjectId],
) -> Result<(), Error> {
    for &id in pages.iter().chain(ids) {
        let dict = match doc.get_object_mut(id) {
            Ok(Object::Stream(s)) => &mut s.dict,
            Ok(Object::Dictionary(d)) => d,
            _ => continue,
        };
        if !dict.has(b"Group") {
            continue;
        }
        if standard.allows_transparency() {
            if let Ok(Object::Dictionary(group)) = dict.get_mut(b"Group") {
                group.set("CS", Object::Name(b"DeviceCMYK".to_vec()));
            }
        } else {
            dict.remove(b"Group");
        }
    }
    if standard.allows_transparency() {
        return Ok(());
    }
    for object in doc.objects.values() {
        let Object::Dictionary(dict) = object else {
            continue;
        };
        let alpha = |key: &[u8]| {
            dict.get(key)
                .and_then(Object::as_float)
                .is_ok_and(|a| a < 1.0)
        };
        let masked = dict
            .get(b"SMask")
            .is_ok_and(|m| m.as_name().map_or(true, |n| n != b"None"));
        if alpha(b"CA") || alpha(b"ca") || masked {
            return Err(Error::Export(format!(
                "{}: the pages use transparency banmian could not flatten",
                standard.version()
            )));
        }
    }
    Ok(())
}

/// Something still in RGB: a DeviceRGB name or an RGB ICC profile.
fn device_rgb_left(doc: &Document) -> Option<String> {
    fn scan(object: &Object) -> bool {
        match object {
            Object::Name(n) => n == b"DeviceRGB",
            Object::Array(a) => a.iter().any(scan),
            Object::Dictionary(d) => d.iter().any(|(_, v)| scan(v)),
            Object::Stream(s) => s.dict.iter().any(|(_, v)| scan(v)),
            _ => false,
        }
    }
    for (id, object) in &doc.objects {
        if scan(object) {
            return Some(format!("object {} 0 (DeviceRGB)", id.0));
        }
        if let Object::Stream(s) = object
            && s.dict
                .get(b"N")
                .and_then(Object::as_i64)
                .is_ok_and(|n| n == 3)
        {
            return Some(format!("object {} 0 (an RGB ICC profile)", id.0));
        }
    }
    None
}
