//! The deck's faces embedded the way PowerPoint embeds them: each face
//! subset to the characters the deck sets in it, as TrueType, wrapped in
//! EOT, stored as a `ppt/fonts/fontN.fntdata` part of type
//! `application/x-fontdata`, and listed in `p:embeddedFontLst` (one
//! `p:embeddedFont` a family, with its regular and bold faces).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, PoisonError};

use super::*;
use crate::export::truetype;
use crate::typeset::embedding::face_embedding_problem;

/// The characters set in each face, by (family, bold).
pub(super) type FaceChars = BTreeMap<(String, bool), BTreeSet<char>>;

/// One family's embedded faces: the relationship ids of its parts.
pub(super) struct EmbeddedFamily {
    pub(super) family: String,
    pub(super) panose: [u8; 10],
    pub(super) regular: Option<String>,
    pub(super) bold: Option<String>,
}

/// An embedded face's part, ready to add to the package.
pub(super) struct FacePart {
    pub(super) family: String,
    pub(super) bold: bool,
    pub(super) eot: Vec<u8>,
    pub(super) panose: [u8; 10],
}

/// Every character the deck sets, by the face that sets it: slide text and
/// bullets in their own faces; speaker notes and the masters' prompts in
/// the theme's body face (the notes master's text style).
pub(super) fn face_chars(deck: &Deck) -> FaceChars {
    let mut chars = FaceChars::new();
    let mut add = |face: &str, bold: bool, text: &str| {
        chars
            .entry((face.to_string(), bold))
            .or_default()
            .extend(text.chars().filter(|c| !c.is_control()));
    };
    let theme = &deck.theme;
    for element in deck.slides.iter().flat_map(|slide| &slide.elements) {
        let Element::Text(text) = element else {
            continue;
        };
        for para in &text.paragraphs {
            for run in &para.runs {
                add(run.face.name(theme), run.bold, &run.text);
            }
            if let Some(bullet) = &para.bullet {
                add(bullet.face.name(theme), false, &bullet.char.to_string());
            }
        }
    }
    for slide in &deck.slides {
        add(&theme.minor_ea, false, &slide.notes);
    }
    for prompt in PROMPTS {
        add(&theme.minor_ea, false, prompt);
        add(&theme.major_ea, false, prompt);
    }
    chars
}

/// Subsets and wraps every face the deck sets text in and has a file for.
/// A face set in bold whose family has no bold file is not embedded: the
/// reader makes it bold from the regular one, as it would on screen.
pub(super) fn embed(deck: &Deck) -> Result<Vec<FacePart>, PptxError> {
    let mut parts = Vec::new();
    for ((family, bold), chars) in face_chars(deck) {
        let Some(file) = deck
            .fonts
            .iter()
            .find(|f| f.family == family && f.bold == bold)
        else {
            continue;
        };
        // The licence is the PDF's rule: embeddable, and as a subset.
        if let Some(problem) = face_embedding_problem(&file.data, file.index, &family) {
            return Err(PptxError::Invalid(problem));
        }
        let mut chars: Vec<char> = chars.into_iter().collect();
        if !chars.contains(&' ') {
            chars.insert(0, ' ');
        }
        let face = embedded_face(file, &chars)
            .map_err(|err| PptxError::Invalid(format!("{family}: {err}")))?;
        parts.push(FacePart {
            family,
            bold,
            eot: face.eot.clone(),
            panose: face.panose,
        });
    }
    Ok(parts)
}

/// A face subset to some characters and wrapped as EOT.
struct EmbeddedFace {
    /// The characters, as [`truetype::subset`] was given them.
    chars: Vec<char>,
    eot: Vec<u8>,
    panose: [u8; 10],
}

/// How many faces [`EMBEDDED`] keeps.
const EMBEDDED_FACES: usize = 16;

/// The faces last embedded in this process, one set of characters a face,
/// by (hash of the font file, face index). Making a face costs each glyph's
/// conversion to TrueType; a watch writes the deck again on every edit, and
/// most edits leave the characters each face sets as they were.
static EMBEDDED: Mutex<BTreeMap<(u128, u32), Arc<EmbeddedFace>>> = Mutex::new(BTreeMap::new());

/// Face `file` subset to `chars` and wrapped, made once for a set of
/// characters.
fn embedded_face(file: &FontFile, chars: &[char]) -> Result<Arc<EmbeddedFace>, String> {
    let key = (typst::utils::hash128(&file.data), file.index);
    let lock = || EMBEDDED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(face) = lock().get(&key).filter(|face| face.chars == chars) {
        return Ok(face.clone());
    }
    let subset = truetype::subset(&file.data, file.index, chars).map_err(|err| err.to_string())?;
    let header = eot::FaceHeader::read(&subset.data)?;
    let face = Arc::new(EmbeddedFace {
        chars: chars.to_vec(),
        eot: eot::wrap(&subset.data, &header),
        panose: header.panose,
    });
    let mut made = lock();
    if made.len() >= EMBEDDED_FACES && !made.contains_key(&key) {
        made.clear();
    }
    made.insert(key, face.clone());
    Ok(face)
}

/// Each embedded family's PANOSE, which the runs set in it and its
/// `p:embeddedFont` give: its regular face's, else its bold face's.
pub(super) fn family_panose(faces: &[FacePart]) -> BTreeMap<String, [u8; 10]> {
    let mut panose = BTreeMap::new();
    for face in faces {
        if !face.bold || !panose.contains_key(&face.family) {
            panose.insert(face.family.clone(), face.panose);
        }
    }
    panose
}

/// `p:embeddedFontLst` for the families, or nothing when none is embedded.
pub(super) fn embedded_font_list(families: &[EmbeddedFamily]) -> String {
    if families.is_empty() {
        return String::new();
    }
    let fonts: String = families
        .iter()
        .map(|f| {
            let slot = |tag: &str, rid: &Option<String>| {
                rid.as_ref()
                    .map_or_else(String::new, |rid| format!(r#"<p:{tag} r:id="{rid}"/>"#))
            };
            format!(
                r#"<p:embeddedFont><p:font typeface="{}" panose="{}" pitchFamily="{}" charset="{GB2312}"/>{}{}</p:embeddedFont>"#,
                esc(&f.family),
                hex(&f.panose),
                pitch_family(&f.panose),
                slot("regular", &f.regular),
                slot("bold", &f.bold),
            )
        })
        .collect();
    format!("<p:embeddedFontLst>{fonts}</p:embeddedFontLst>")
}

/// `charset` of the faces: GB2312 (134) as the signed byte OOXML writes.
pub(super) const GB2312: i8 = -122;

/// PANOSE as the hexadecimal string OOXML writes.
pub(super) fn hex(panose: &[u8; 10]) -> String {
    panose.iter().map(|b| format!("{b:02X}")).collect()
}

/// Windows' pitch and family byte from PANOSE: variable pitch, and roman
/// (serif), swiss (sans serif) or script by the face's classification, so
/// that a reader without the face picks a like one.
pub(super) fn pitch_family(panose: &[u8; 10]) -> u8 {
    const VARIABLE_PITCH: u8 = 0x02;
    let family = match (panose[0], panose[1]) {
        (3, _) => 0x40,       // FF_SCRIPT
        (2, 11..=13) => 0x20, // FF_SWISS: sans serif styles
        _ => 0x10,            // FF_ROMAN
    };
    family | VARIABLE_PITCH
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bundled Kai face, made unlike any other file by trailing bytes
    /// (no other test shares its cache entry).
    fn kai() -> FontFile {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/LXGWWenKai-Regular.ttf");
        let mut data = std::fs::read(path).unwrap();
        data.extend_from_slice(b"fonts::tests");
        FontFile {
            family: "LXGW WenKai".into(),
            bold: false,
            data: typst::foundations::Bytes::new(data),
            index: 0,
        }
    }

    /// A face is made once for a set of characters, and again for another.
    #[test]
    fn a_face_is_made_again_only_for_other_characters() {
        let file = kai();
        let (few, more) = ([' ', '国'], [' ', '国', '家']);
        let first = embedded_face(&file, &few).unwrap();
        let again = embedded_face(&file, &few).unwrap();
        assert!(
            Arc::ptr_eq(&first, &again),
            "the same characters: made once"
        );
        let other = embedded_face(&file, &more).unwrap();
        assert!(other.eot.len() > first.eot.len(), "one glyph more");
        let back = embedded_face(&file, &few).unwrap();
        assert!(!Arc::ptr_eq(&first, &back), "one set a face is kept");
        assert_eq!(back.eot, first.eot, "and made the same again");
    }
}
