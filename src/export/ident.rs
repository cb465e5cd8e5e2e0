//! The instance id of a finished PDF, made from the finished file.
//!
//! Typst names a PDF's instance (the XMP `InstanceID`, and the second
//! entry of the trailer's `/ID`) by a hash of the file it wrote. That file
//! holds the photos' stand-ins, and a stand-in is larger when PNG previews
//! are asked for (the preview shows the photo): the same spread rendered
//! with and without `--png` got two ids for the same bytes otherwise.
//! Here the id is made again, from the file as it is written, so it
//! follows what the file holds and nothing else.

use std::hash::Hasher;

use super::splice::{find, find_last};

const TAG: &[u8] = b"<xmpMM:InstanceID>";

/// Replaces the instance id in `pdf` with one hashed from the finished
/// file (both ids masked), keeping its length so no offset moves. A file
/// without an id where Typst puts it is left as it is.
pub fn reidentify(pdf: &mut [u8]) {
    // Typst writes the metadata near the end: looked for from there.
    let Some(start) = find_last(pdf, TAG).map(|at| at + TAG.len()) else {
        return;
    };
    let Some(len) = pdf[start..].iter().position(|&b| b == b'<') else {
        return;
    };
    let old = pdf[start..start + len].to_vec();
    if len != 24 || !old.iter().all(u8::is_ascii_graphic) {
        return;
    }
    // The trailer's copy: after the last `trailer` keyword.
    let trailer = find_last(pdf, b"trailer")
        .and_then(|t| find(&pdf[t..], &old).map(|at| t + at))
        .filter(|&at| at > start);
    let places: Vec<usize> = std::iter::once(start).chain(trailer).collect();
    for &at in &places {
        pdf[at..at + len].fill(b'0');
    }
    let id = hex_id(pdf);
    for &at in &places {
        pdf[at..at + len].copy_from_slice(&id);
    }
}

/// 24 hex digits (96 bits) hashed from the bytes.
fn hex_id(bytes: &[u8]) -> [u8; 24] {
    let mut first = rustc_hash::FxHasher::with_seed(0x62616e);
    first.write(bytes);
    let a = first.finish();
    let mut second = rustc_hash::FxHasher::with_seed(0x6d69616e);
    second.write_u64(a);
    second.write_usize(bytes.len());
    let b = second.finish();
    let digits = format!("{a:016x}{:08x}", b >> 32);
    let mut out = [b'0'; 24];
    out.copy_from_slice(digits.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdf(photo: &str, id: &str) -> Vec<u8> {
        format!(
            "%PDF-1.7\n1 0 obj <</Length 5>> stream\n{photo}\nendstream endobj\n\
             2 0 obj <</Length 60>> stream\n<xmpMM:InstanceID>{id}</xmpMM:InstanceID>\n\
             endstream endobj\ntrailer\n<</ID [(docdocdocdocdocdocdocdoc)({id})]>>\n%%EOF"
        )
        .into_bytes()
    }

    #[test]
    fn the_id_follows_the_file_not_what_typst_hashed() {
        let mut a = pdf("AAAAA", "NUSAr7n7CXdaTB9lCObOHg==");
        let mut b = pdf("AAAAA", "j2SjCsQv6VF61v+XQv9Muw==");
        let mut c = pdf("BBBBB", "NUSAr7n7CXdaTB9lCObOHg==");
        let len = a.len();
        for file in [&mut a, &mut b, &mut c] {
            reidentify(file);
        }
        assert_eq!(a, b, "same bytes, same id");
        assert_ne!(a, c, "other bytes, another id");
        assert_eq!(a.len(), len, "no offset moves");
        let text = String::from_utf8(a).unwrap();
        let id = &text[text.find(TAG_STR).unwrap() + TAG_STR.len()..][..24];
        assert_eq!(text.matches(id).count(), 2, "XMP and trailer: {text}");
        assert!(!text.contains("NUSAr7n7"), "{text}");
    }

    const TAG_STR: &str = "<xmpMM:InstanceID>";

    #[test]
    fn a_file_without_an_id_is_left_as_it_is() {
        let mut plain = b"%PDF-1.7\ntrailer\n<</Size 1>>\n%%EOF".to_vec();
        let before = plain.clone();
        reidentify(&mut plain);
        assert_eq!(plain, before);
    }
}
