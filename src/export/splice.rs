//! Finishing without re-reading the whole PDF: Typst's PDF is copied object
//! by object, byte for byte, and only the objects finishing changes are
//! written anew (each page's dictionary, for its boxes and marks; each
//! photo stand-in's image, for the final photo), with a new cross-reference
//! table.
//!
//! Reading every object of the PDF into `lopdf`'s tree and writing it all
//! out again cost more than Typst's export of the pages when only one field
//! changed (`watch`), and copied the final photos (megabytes) three times.
//! Here the file is read only as far as its cross-reference table, the
//! pages' dictionaries and the images' stream headers. Anything this does
//! not expect (a cross-reference stream, an earlier revision, a box or
//! length given by reference) makes it step aside, and the `lopdf` path in
//! [`super::finish`] does the work: both make the same document (a test
//! reads both back and compares them).

use std::collections::HashMap;
use std::ops::Range;

use crate::assets::standin::Embed;

use super::finish::{FinishOptions, SLUG, marks_stream};

/// A dictionary's pairs: each key's range (without its slash) and its
/// value's range, in the bytes it was read from.
type Pairs = Vec<(Range<usize>, Range<usize>)>;

/// An object of the file: its number and generation, where it starts, and
/// the bytes it spans (up to the next object or the cross-reference table).
#[derive(Debug, Clone)]
struct Object {
    id: u32,
    generation: u16,
    span: Range<usize>,
}

/// Typst's PDF finished: the final photos in place of their stand-ins and,
/// with `boxes`, every page's BleedBox and TrimBox (and crop marks on a
/// page grown by a slug, with `marks`). `None` when the file is not laid
/// out as expected, or a stand-in is missing (the caller falls back).
pub fn finish(pdf: &[u8], images: &[Embed], boxes: Option<FinishOptions>) -> Option<Vec<u8>> {
    let (objects, xref_at) = objects(pdf)?;
    let trailer = trailer(pdf, xref_at)?;
    let wanted: HashMap<u128, &Embed> = images
        .iter()
        .map(|e| (typst::utils::hash128(e.stand_in.as_slice()), e))
        .collect();
    let mut size = trailer_size(&trailer)?;
    let mut replaced: HashMap<u32, Replaced> = HashMap::new();
    let mut added: Vec<(u32, Vec<u8>)> = Vec::new();
    let mut found = 0;
    for object in &objects {
        let body = &pdf[object.span.clone()];
        let (dict_at, dict) = object_dict(body)?;
        let kind = |key: &[u8], value: &[u8]| value_of(body, &dict, key) == Some(value);
        if kind(b"Subtype", b"/Image") {
            let Some(image) = swap_image(body, dict_at, &dict, &wanted)? else {
                continue;
            };
            let (dict, data) = image;
            replaced.insert(
                object.id,
                (header(object, dict), data, b"\nendstream\nendobj\n"),
            );
            found += 1;
        } else if kind(b"Type", b"/Page")
            && let Some(options) = boxes
        {
            let page = page_dict(body, &dict, options, &mut size, &mut added)?;
            replaced.insert(object.id, (header(object, page), &[], &[]));
        }
    }
    if found < wanted.len() {
        return None;
    }
    Some(write(pdf, &objects, &replaced, &added, &trailer, size))
}

/// Blanks `/Suspects false` in the catalog's `/MarkInfo` (Typst writes
/// it; `false` is the default), with spaces, so that every offset in the
/// file stays as it is. Poppler's tools (`pdfinfo`, `pdffonts`, `pdfimages`,
/// the ones a plant checks a file with) print `Syntax Error: Suspects
/// object is wrong type (boolean)` for it. A file not laid out as expected
/// is left alone.
pub fn drop_default_suspects(pdf: &mut [u8]) {
    if let Some(range) = default_suspects(pdf) {
        pdf[range].fill(b' ');
    }
}

/// Where `/Suspects false` stands in the catalog the trailer's `/Root`
/// names, from the key's slash to the value's end.
fn default_suspects(pdf: &[u8]) -> Option<Range<usize>> {
    let (objects, xref_at) = objects(pdf)?;
    let trailer = trailer(pdf, xref_at)?;
    let root = value_of(&trailer, &dict_pairs(&trailer, 0)?, b"Root")?;
    let id: u32 = number(root)?.parse().ok()?;
    let object = objects.iter().find(|o| o.id == id)?;
    let body = &pdf[object.span.clone()];
    let (_, dict) = object_dict(body)?;
    let (_, mark) = dict.iter().find(|(k, _)| &body[k.clone()] == b"MarkInfo")?;
    if !body[mark.clone()].starts_with(b"<<") {
        return None;
    }
    let (key, value) = dict_pairs(body, mark.start)?
        .into_iter()
        .find(|(k, v)| &body[k.clone()] == b"Suspects" && &body[v.clone()] == b"false")?;
    Some(object.span.start + key.start - 1..object.span.start + value.end)
}

/// The objects of a single-revision file with a classic cross-reference
/// table, in file order, and where the table starts.
fn objects(pdf: &[u8]) -> Option<(Vec<Object>, usize)> {
    let tail = &pdf[pdf.len().saturating_sub(64)..];
    let at = find_last(tail, b"startxref")? + pdf.len() - tail.len();
    let xref_at: usize = number(&pdf[at + 9..])?.parse().ok()?;
    let mut rest = pdf.get(xref_at..)?.strip_prefix(b"xref")?;
    let mut objects = Vec::new();
    loop {
        rest = skip_space(rest);
        if rest.starts_with(b"trailer") {
            break;
        }
        let first: u32 = number(rest)?.parse().ok()?;
        rest = skip_space(&rest[number(rest)?.len()..]);
        let count: usize = number(rest)?.parse().ok()?;
        rest = skip_space(&rest[number(rest)?.len()..]);
        for i in 0..count {
            let entry = rest.get(i * 20..i * 20 + 20)?;
            let offset: usize = std::str::from_utf8(&entry[..10]).ok()?.parse().ok()?;
            let generation: u16 = std::str::from_utf8(&entry[11..16]).ok()?.parse().ok()?;
            let id = first + i as u32;
            match entry[17] {
                b'n' => objects.push((id, generation, offset)),
                // Only the head of the free list: no object was deleted.
                b'f' if id == 0 => {}
                _ => return None,
            }
        }
        rest = &rest[count * 20..];
    }
    objects.sort_by_key(|o| o.2);
    let ends = objects.iter().skip(1).map(|o| o.2).chain([xref_at]);
    let objects: Vec<Object> = objects
        .iter()
        .zip(ends)
        .map(|(&(id, generation, start), end)| Object {
            id,
            generation,
            span: start..end,
        })
        .collect();
    let first = objects.first()?.span.start;
    (first <= xref_at && objects.iter().all(|o| o.span.start < o.span.end))
        .then_some((objects, xref_at))
}

/// The trailer's dictionary: its pairs' text. A trailer pointing to an
/// earlier revision (`/Prev`) or a cross-reference stream is not handled.
fn trailer(pdf: &[u8], xref_at: usize) -> Option<Vec<u8>> {
    let from = xref_at + find(&pdf[xref_at..], b"trailer")? + 7;
    let rest = skip_space(&pdf[from..]);
    let end = skip_value(rest, 0)?;
    let dict = &rest[..end];
    let pairs = dict_pairs(dict, 0)?;
    let has = |key: &[u8]| pairs.iter().any(|(k, _)| &dict[k.clone()] == key);
    (!has(b"Prev") && !has(b"XRefStm")).then(|| dict.to_vec())
}

/// The trailer's `/Size`: one more than the highest object number.
fn trailer_size(trailer: &[u8]) -> Option<u32> {
    let pairs = dict_pairs(trailer, 0)?;
    let (_, value) = pairs.iter().find(|(k, _)| &trailer[k.clone()] == b"Size")?;
    std::str::from_utf8(&trailer[value.clone()])
        .ok()?
        .parse()
        .ok()
}

/// An object's dictionary: where it starts in the object's bytes and its
/// pairs (key without the slash, value), or `None` when the object is not
/// a dictionary or a stream.
fn object_dict(body: &[u8]) -> Option<(usize, Pairs)> {
    let obj = find(body, b"obj")? + 3;
    let at = obj + (body.len() - obj - skip_space(&body[obj..]).len());
    if !body[at..].starts_with(b"<<") {
        return Some((at, Vec::new()));
    }
    Some((at, dict_pairs(body, at)?))
}

/// The value text of a key in a dictionary's pairs.
fn value_of<'a>(body: &'a [u8], dict: &Pairs, key: &[u8]) -> Option<&'a [u8]> {
    dict.iter()
        .find(|(k, _)| &body[k.clone()] == key)
        .map(|(_, v)| &body[v.clone()])
}

/// A stand-in image's object with the final photo's bytes in its stream,
/// its width, height and length set: its dictionary up to `stream`, and
/// the photo's bytes; `Some(None)` for an image that is no stand-in,
/// `None` when the stream is not laid out as expected.
fn swap_image<'a>(
    body: &[u8],
    dict_at: usize,
    dict: &Pairs,
    wanted: &HashMap<u128, &'a Embed>,
) -> Option<Option<(Vec<u8>, &'a [u8])>> {
    let length: usize = std::str::from_utf8(value_of(body, dict, b"Length")?)
        .ok()?
        .parse()
        .ok()?;
    let dict_end = dict_at + skip_value(&body[dict_at..], 0)?;
    let rest = skip_space(&body[dict_end..]);
    let data_at = body.len() - rest.strip_prefix(b"stream")?.len();
    let data_at = data_at + eol(&body[data_at..])?;
    let content = body.get(data_at..data_at + length)?;
    let Some(embed) = wanted.get(&typst::utils::hash128(content)) else {
        return Some(None);
    };
    let mut out = b"<<".to_vec();
    for (key, value) in dict {
        if !matches!(&body[key.clone()], b"Width" | b"Height" | b"Length") {
            pair(&mut out, &body[key.clone()], &body[value.clone()]);
        }
    }
    let (w, h) = embed.pixels;
    out.extend_from_slice(
        format!(
            "/Width {w}/Height {h}/Length {}>>\nstream\n",
            embed.bytes.len()
        )
        .as_bytes(),
    );
    Some(Some((out, embed.bytes.as_slice())))
}

/// A page's dictionary with its boxes (and crop marks), as the `lopdf`
/// path makes it: BleedBox the MediaBox Typst wrote (trim and bleed),
/// TrimBox as written (else the MediaBox), and with marks a MediaBox grown
/// by the slug and the content wrapped in q/Q with the marks drawn after.
fn page_dict(
    body: &[u8],
    dict: &Pairs,
    options: FinishOptions,
    size: &mut u32,
    added: &mut Vec<(u32, Vec<u8>)>,
) -> Option<Vec<u8>> {
    let FinishOptions { marks } = options;
    let media = rect(value_of(body, dict, b"MediaBox")?)?;
    let trim = value_of(body, dict, b"TrimBox").map_or(Some(media), rect)?;
    let mut out = b"<<".to_vec();
    for (key, value) in dict {
        let key = &body[key.clone()];
        match key {
            b"MediaBox" | b"BleedBox" | b"TrimBox" => {}
            b"Contents" if marks => {
                let value = &body[value.clone()];
                let inner = match value.strip_prefix(b"[") {
                    Some(array) => array.strip_suffix(b"]")?,
                    None => value,
                };
                let open = add(size, added, b"q\n".to_vec());
                let close = add(size, added, marks_stream(trim).into_bytes());
                let mut contents = format!("[{open} 0 R ").into_bytes();
                contents.extend_from_slice(inner);
                contents.extend_from_slice(format!(" {close} 0 R]").as_bytes());
                pair(&mut out, b"Contents", &contents);
            }
            _ => pair(&mut out, key, &body[value.clone()]),
        }
    }
    let grown = [
        media[0] - SLUG,
        media[1] - SLUG,
        media[2] + SLUG,
        media[3] + SLUG,
    ];
    pair(
        &mut out,
        b"MediaBox",
        &rect_text(if marks { grown } else { media }),
    );
    pair(&mut out, b"BleedBox", &rect_text(media));
    pair(&mut out, b"TrimBox", &rect_text(trim));
    out.extend_from_slice(b">>\nendobj\n");
    Some(out)
}

/// Adds a stream object; returns its number.
fn add(size: &mut u32, added: &mut Vec<(u32, Vec<u8>)>, content: Vec<u8>) -> u32 {
    let id = *size;
    *size += 1;
    let mut object = format!("{id} 0 obj\n<</Length {}>>\nstream\n", content.len()).into_bytes();
    object.extend_from_slice(&content);
    object.extend_from_slice(b"\nendstream\nendobj\n");
    added.push((id, object));
    id
}

/// An object written anew: its head (`N G obj\n` and its dictionary, up
/// to its stream's data), the data (a photo's bytes, copied once, into the
/// file), and what ends it.
type Replaced<'a> = (Vec<u8>, &'a [u8], &'static [u8]);

/// `N G obj\n` and the object's new dictionary (and stream).
fn header(object: &Object, body: Vec<u8>) -> Vec<u8> {
    let mut out = format!("{} {} obj\n", object.id, object.generation).into_bytes();
    out.extend_from_slice(&body);
    out
}

/// The finished file: the original's header, every object (replaced or
/// copied), the added ones, a new cross-reference table and trailer.
fn write(
    pdf: &[u8],
    objects: &[Object],
    replaced: &HashMap<u32, Replaced>,
    added: &[(u32, Vec<u8>)],
    trailer: &[u8],
    size: u32,
) -> Vec<u8> {
    let extra: usize = replaced
        .values()
        .map(|(head, data, end)| head.len() + data.len() + end.len())
        .sum::<usize>()
        + added.iter().map(|a| a.1.len()).sum::<usize>();
    let mut out = Vec::with_capacity(pdf.len() + extra + 20 * size as usize + 256);
    out.extend_from_slice(&pdf[..objects[0].span.start]);
    let mut offsets: HashMap<u32, (usize, u16)> = HashMap::new();
    for object in objects {
        offsets.insert(object.id, (out.len(), object.generation));
        match replaced.get(&object.id) {
            Some((head, data, end)) => {
                out.extend_from_slice(head);
                out.extend_from_slice(data);
                out.extend_from_slice(end);
            }
            None => out.extend_from_slice(&pdf[object.span.clone()]),
        }
    }
    for (id, bytes) in added {
        offsets.insert(*id, (out.len(), 0));
        out.extend_from_slice(bytes);
    }
    let xref_at = out.len();
    out.extend_from_slice(format!("xref\n0 {size}\n").as_bytes());
    for id in 0..size {
        let entry = match offsets.get(&id) {
            Some((offset, generation)) => format!("{offset:010} {generation:05} n\r\n"),
            None if id == 0 => "0000000000 65535 f\r\n".to_owned(),
            None => "0000000000 00000 f\r\n".to_owned(),
        };
        out.extend_from_slice(entry.as_bytes());
    }
    out.extend_from_slice(b"trailer\n<<");
    let pairs = dict_pairs(trailer, 0).unwrap_or_default();
    for (key, value) in &pairs {
        match &trailer[key.clone()] {
            b"Size" => pair(&mut out, b"Size", size.to_string().as_bytes()),
            key => pair(&mut out, key, &trailer[value.clone()]),
        }
    }
    out.extend_from_slice(format!(">>\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
    out
}

/// Appends `/key value`.
fn pair(out: &mut Vec<u8>, key: &[u8], value: &[u8]) {
    out.push(b'/');
    out.extend_from_slice(key);
    out.push(b' ');
    out.extend_from_slice(value);
}

/// A rectangle's four numbers, as `lopdf` reads them (f32).
fn rect(value: &[u8]) -> Option<[f32; 4]> {
    let inner = value.strip_prefix(b"[")?.strip_suffix(b"]")?;
    let numbers: Vec<f32> = std::str::from_utf8(inner)
        .ok()?
        .split_ascii_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    numbers.try_into().ok()
}

/// A rectangle as PDF text.
fn rect_text(r: [f32; 4]) -> Vec<u8> {
    format!("[{} {} {} {}]", r[0], r[1], r[2], r[3]).into_bytes()
}

// ---------------------------------------------------------------- lexing

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0')
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// Skips white space and comments.
fn skip_space(mut s: &[u8]) -> &[u8] {
    loop {
        while let Some((&b, rest)) = s.split_first()
            && is_space(b)
        {
            s = rest;
        }
        if s.first() == Some(&b'%') {
            let end = s
                .iter()
                .position(|&b| b == b'\n' || b == b'\r')
                .unwrap_or(s.len());
            s = &s[end..];
        } else {
            return s;
        }
    }
}

/// The end-of-line after `stream`: its length (1 or 2).
fn eol(s: &[u8]) -> Option<usize> {
    if s.starts_with(b"\r\n") {
        Some(2)
    } else if s.starts_with(b"\n") {
        Some(1)
    } else {
        None
    }
}

/// The digits (and sign, point) at the start of `s`, after white space.
fn number(s: &[u8]) -> Option<&str> {
    let s = skip_space(s);
    let end = s
        .iter()
        .position(|&b| !(b.is_ascii_digit() || b == b'-' || b == b'+' || b == b'.'))
        .unwrap_or(s.len());
    (end > 0)
        .then(|| std::str::from_utf8(&s[..end]).ok())
        .flatten()
}

/// Where `needle` first stands in `haystack`.
pub(super) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Where `needle` last stands, found by its first byte from the end (a
/// file is megabytes; what is looked for is in its last kilobytes).
pub(super) fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut end = haystack.len();
    while let Some(at) = haystack[..end].iter().rposition(|&b| b == first) {
        if haystack[at..].starts_with(needle) {
            return Some(at);
        }
        end = at;
    }
    None
}

/// The pairs of the dictionary starting at `at` (`<<`): each key's range
/// (without its slash) and its value's range, in `s`.
fn dict_pairs(s: &[u8], at: usize) -> Option<Pairs> {
    let mut i = at + 2;
    let mut pairs = Vec::new();
    loop {
        i = s.len() - skip_space(&s[i..]).len();
        if s[i..].starts_with(b">>") {
            return Some(pairs);
        }
        if s.get(i) != Some(&b'/') {
            return None;
        }
        let key_end = i
            + 1
            + s[i + 1..]
                .iter()
                .position(|&b| is_space(b) || is_delimiter(b))?;
        let value_at = s.len() - skip_space(&s[key_end..]).len();
        let value_end = value_at + skip_value(&s[value_at..], 0)?;
        // A reference is three tokens: `12 0 R`.
        let value_end = reference_end(s, value_at, value_end).unwrap_or(value_end);
        pairs.push((i + 1..key_end, value_at..value_end));
        i = value_end;
    }
}

/// Where `N G R` ends when the value at `at` (a number ending at `end`)
/// begins one.
fn reference_end(s: &[u8], at: usize, end: usize) -> Option<usize> {
    s[at..end].iter().all(u8::is_ascii_digit).then_some(())?;
    let rest = skip_space(&s[end..]);
    let generation = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if generation == 0 {
        return None;
    }
    let after = skip_space(&rest[generation..]);
    let r_at = s.len() - after.len();
    (after.first() == Some(&b'R') && after.get(1).is_none_or(|&b| is_space(b) || is_delimiter(b)))
        .then_some(r_at + 1)
}

/// The length of the value at `i` in `s` (a dictionary, array, string,
/// name, number, keyword).
fn skip_value(s: &[u8], i: usize) -> Option<usize> {
    let start = i;
    let mut i = i;
    match *s.get(i)? {
        b'<' if s.get(i + 1) == Some(&b'<') => {
            let pairs = dict_pairs(s, i)?;
            let last = pairs.last().map_or(i + 2, |p| p.1.end);
            let close = last + (s.len() - last - skip_space(&s[last..]).len());
            s[close..].starts_with(b">>").then_some(close + 2 - start)
        }
        b'<' => Some(s[i..].iter().position(|&b| b == b'>')? + 1),
        b'[' => {
            i += 1;
            loop {
                i = s.len() - skip_space(&s[i..]).len();
                if *s.get(i)? == b']' {
                    return Some(i + 1 - start);
                }
                i += skip_value(s, i)?;
            }
        }
        b'(' => {
            let mut depth = 0;
            while i < s.len() {
                match s[i] {
                    b'\\' => i += 1,
                    b'(' => depth += 1,
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1 - start);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        }
        b'/' => Some(
            1 + s[i + 1..]
                .iter()
                .position(|&b| is_space(b) || is_delimiter(b))
                .unwrap_or(s.len() - i - 1),
        ),
        _ => {
            let len = s[i..]
                .iter()
                .position(|&b| is_space(b) || is_delimiter(b))
                .unwrap_or(s.len() - i);
            (len > 0).then_some(len)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::Arc;

    use lopdf::{Document, Object as Pdf, ObjectId};

    use super::super::finish::{embed_photos_with_lopdf, finish_with_lopdf};
    use super::*;
    use crate::assets::fonts::{FontOptions, Fonts};
    use crate::assets::photos::{PhotoOptions, PhotoStore};
    use crate::assets::root::Root;
    use crate::typeset::{Layouts, PageOptions, Pages, Paper, TypesetOptions, Typesetter};

    /// The example spread as Typst exports it (stand-ins in place of the
    /// photos), with the photos to swap in.
    fn example() -> (Vec<u8>, Vec<Embed>) {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let fonts = Fonts::discover(&FontOptions {
            ignore_system: true,
            ..FontOptions::default()
        });
        let photos = Arc::new(PhotoStore::new(PhotoOptions::default()));
        let root = Root::new(repo).unwrap();
        let mut typesetter =
            Typesetter::new(Arc::new(fonts), Layouts::discover(None), root, photos);
        let loaded = crate::report::load(&repo.join("examples/fuling/report.toml")).unwrap();
        let options = TypesetOptions {
            pages: PageOptions {
                paper: Paper::Broadsheet,
                pages: Pages::Spread,
                ppi: 300,
                archival: false,
            },
            today: None,
            measure_only: false,
            medium: Default::default(),
            preview_ppi: None,
            proof: false,
        };
        let typeset = crate::spread::typeset(&mut typesetter, &loaded, &options)
            .unwrap()
            .typeset;
        let pdf = super::super::typst_pdf_bytes(&typeset.document, &Default::default()).unwrap();
        (pdf, typeset.images)
    }

    /// Whether two objects of two documents are the same, following
    /// references (object numbers aside), numbers to within 0.001, streams
    /// by their dictionaries and decoded content.
    fn same(
        a: (&Document, &Pdf),
        b: (&Document, &Pdf),
        seen: &mut HashSet<(ObjectId, ObjectId)>,
    ) -> Result<(), String> {
        match (a.1, b.1) {
            (Pdf::Reference(x), Pdf::Reference(y)) => {
                if !seen.insert((*x, *y)) {
                    return Ok(());
                }
                let (ox, oy) = (a.0.get_object(*x).unwrap(), b.0.get_object(*y).unwrap());
                same((a.0, ox), (b.0, oy), seen).map_err(|e| format!("{x:?}: {e}"))
            }
            (Pdf::Integer(_) | Pdf::Real(_), Pdf::Integer(_) | Pdf::Real(_)) => {
                let (x, y) = (a.1.as_float().unwrap(), b.1.as_float().unwrap());
                ((x - y).abs() < 1e-3)
                    .then_some(())
                    .ok_or(format!("{x} ≠ {y}"))
            }
            (Pdf::Array(x), Pdf::Array(y)) => {
                if x.len() != y.len() {
                    return Err(format!("arrays of {} and {}", x.len(), y.len()));
                }
                x.iter()
                    .zip(y)
                    .try_for_each(|(x, y)| same((a.0, x), (b.0, y), seen))
            }
            (Pdf::Dictionary(x), Pdf::Dictionary(y)) => dicts(a.0, x, b.0, y, seen),
            (Pdf::Stream(x), Pdf::Stream(y)) => {
                dicts(a.0, &x.dict, b.0, &y.dict, seen).map_err(|e| format!("stream {e}"))?;
                let content = |s: &lopdf::Stream| {
                    s.decompressed_content()
                        .unwrap_or_else(|_| s.content.clone())
                };
                (content(x) == content(y))
                    .then_some(())
                    .ok_or("stream contents differ".into())
            }
            (x, y) => (x == y).then_some(()).ok_or(format!("{x:?} ≠ {y:?}")),
        }
    }

    fn dicts(
        da: &Document,
        a: &lopdf::Dictionary,
        db: &Document,
        b: &lopdf::Dictionary,
        seen: &mut HashSet<(ObjectId, ObjectId)>,
    ) -> Result<(), String> {
        let keys = |d: &lopdf::Dictionary| {
            let mut keys: Vec<String> = d
                .iter()
                .map(|(k, _)| String::from_utf8_lossy(k).into_owned())
                .filter(|k| k != "Length")
                .collect();
            keys.sort();
            keys
        };
        if keys(a) != keys(b) {
            return Err(format!("keys {:?} ≠ {:?}", keys(a), keys(b)));
        }
        for key in keys(a) {
            let (x, y) = (
                a.get(key.as_bytes()).unwrap(),
                b.get(key.as_bytes()).unwrap(),
            );
            same((da, x), (db, y), seen).map_err(|e| format!("/{key}: {e}"))?;
        }
        Ok(())
    }

    /// The same document, from the trailer's root and info down.
    fn assert_same(ours: &[u8], theirs: &[u8]) {
        let (a, b) = (
            Document::load_mem(ours).unwrap(),
            Document::load_mem(theirs).unwrap(),
        );
        let mut seen = HashSet::new();
        for key in [&b"Root"[..], b"Info"] {
            let (x, y) = (a.trailer.get(key).unwrap(), b.trailer.get(key).unwrap());
            if let Err(e) = same((&a, x), (&b, y), &mut seen) {
                panic!("/{}: {e}", String::from_utf8_lossy(key));
            }
        }
        assert!(
            seen.len() > 100,
            "the whole document was compared: {}",
            seen.len()
        );
    }

    /// Splicing makes the document `lopdf` makes, with and without crop
    /// marks and for the photos alone (the deck); issue a new finishing
    /// step in one path only and this fails.
    #[test]
    fn splicing_makes_the_document_lopdf_makes() {
        let (pdf, images) = example();
        assert!(images.len() >= 4, "the example's photos");
        for marks in [false, true] {
            let options = FinishOptions { marks };
            let spliced = finish(&pdf, &images, Some(options)).expect("Typst's PDF is spliced");
            assert_same(
                &spliced,
                &finish_with_lopdf(&pdf, &images, options).unwrap(),
            );
            assert!(spliced.len() > images.iter().map(|e| e.bytes.len()).sum::<usize>());
        }
        let spliced = finish(&pdf, &images, None).unwrap();
        assert_same(&spliced, &embed_photos_with_lopdf(&pdf, &images).unwrap());
        // A stand-in that is not in the file: left to the lopdf path (which
        // reports it).
        let mut missing = images.clone();
        missing[0].stand_in = typst::foundations::Bytes::new(vec![1, 2, 3]);
        assert!(finish(&pdf, &missing, None).is_none());
        // An update appended (a second revision): not spliced.
        let mut revised = pdf.clone();
        let at = revised.len();
        let update = format!(
            "xref\n0 1\n0000000000 65535 f\r\ntrailer\n<</Size 1/Prev 9>>\nstartxref\n{at}\n%%EOF\n"
        );
        revised.extend_from_slice(update.as_bytes());
        assert!(finish(&revised, &images, None).is_none());
    }
}
