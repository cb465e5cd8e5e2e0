//! Preflight of the fonts a document uses: a printing plant needs every font
//! embedded (and subset), so a face whose licence bits (OS/2 fsType) forbid
//! that is an error before any PDF is written.

use std::collections::HashSet;

use typst::layout::{Frame, FrameItem};
use typst::text::Font;
use typst_layout::PagedDocument;

/// Why a font cannot go into the PDF, if it cannot.
pub fn embedding_problem(font: &Font) -> Option<String> {
    face_embedding_problem(font.data(), font.index(), &font.info().family)
}

/// Why face `index` of the font file `data`, of the family `family`, may
/// not be embedded as a subset (in a PDF or a PPTX), if it may not.
pub fn face_embedding_problem(data: &[u8], index: u32, family: &str) -> Option<String> {
    let face = ttf_parser::Face::parse(data, index).ok()?;
    if face.permissions() == Some(ttf_parser::Permissions::Restricted) {
        return Some(format!(
            "font `{family}` does not allow embedding (restricted licence)"
        ));
    }
    if !face.is_subsetting_allowed() {
        return Some(format!("font `{family}` does not allow subsetting"));
    }
    None
}

/// The problems of every font the document's text uses, once per font.
pub fn embedding_problems(document: &PagedDocument) -> Vec<String> {
    let mut problems: Vec<String> = document_fonts(document)
        .iter()
        .filter_map(embedding_problem)
        .collect();
    problems.sort();
    problems
}

/// Every font the document's text is set in, once each, in the order a
/// walk of the pages' frames meets them (last page first, a group's items
/// after the rest of its frame's).
pub fn document_fonts(document: &PagedDocument) -> Vec<Font> {
    let mut seen = HashSet::new();
    let mut fonts = Vec::new();
    let mut frames: Vec<&Frame> = document.pages().iter().map(|p| &p.frame).collect();
    while let Some(frame) = frames.pop() {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => frames.push(&group.frame),
                FrameItem::Text(text) => {
                    let font = text.font.font();
                    if seen.insert(typst::utils::hash128(font)) {
                        fonts.push(font.clone());
                    }
                }
                _ => {}
            }
        }
    }
    fonts
}

#[cfg(test)]
mod tests {
    use super::*;
    use typst::foundations::Bytes;

    /// The bundled Kai face with its OS/2 fsType set to `value`.
    fn kai_with_fs_type(value: u16) -> Font {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/LXGWWenKai-Regular.ttf");
        let mut data = std::fs::read(path).unwrap();
        let tables = u16::from_be_bytes([data[4], data[5]]) as usize;
        let os2 = (0..tables)
            .map(|i| 12 + 16 * i)
            .find(|&record| &data[record..record + 4] == b"OS/2")
            .map(|record| u32::from_be_bytes(data[record + 8..record + 12].try_into().unwrap()))
            .unwrap() as usize;
        // fsType sits 8 bytes into the OS/2 table.
        data[os2 + 8..os2 + 10].copy_from_slice(&value.to_be_bytes());
        Font::new(Bytes::new(data), 0).unwrap()
    }

    #[test]
    fn restricted_fonts_are_refused_and_installable_ones_pass() {
        assert_eq!(embedding_problem(&kai_with_fs_type(0)), None);
        let restricted = embedding_problem(&kai_with_fs_type(0x0002)).unwrap();
        assert!(
            restricted.contains("LXGW WenKai") && restricted.contains("embedding"),
            "{restricted}"
        );
        let no_subset = embedding_problem(&kai_with_fs_type(0x0100)).unwrap();
        assert!(no_subset.contains("subsetting"), "{no_subset}");
    }
}
