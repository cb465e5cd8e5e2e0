//! Embedded OpenType (EOT), the form PowerPoint stores an embedded face in:
//! a little-endian header (the face's names, weight, embedding permissions,
//! Unicode and code page ranges, PANOSE) before the font file itself.
//!
//! The header is version 0x00020001 of the W3C submission "Embedded
//! OpenType (EOT) File Format" (2008), which Windows' font embedding
//! services (t2embed, which PowerPoint uses) and libeot (which LibreOffice
//! uses) read. The font data is neither MicroType Express compressed nor
//! XOR-obfuscated: both are optional, and the zip archive compresses it.

use skrifa::raw::TableProvider;
use skrifa::string::StringId;
use skrifa::{FontRef, MetadataProvider};

/// `TTEMBED_SUBSET`: the font data is a subset of the face.
const FLAG_SUBSET: u32 = 0x0000_0001;
/// The header's version: with the root string, without EUDC data.
const VERSION: u32 = 0x0002_0001;
/// `DEFAULT_CHARSET`: the charset is taken from the font itself.
const DEFAULT_CHARSET: u8 = 1;
/// The header's magic number.
const MAGIC: u16 = 0x504C;

/// What the header says of a face, read from its tables.
pub(super) struct FaceHeader {
    /// PANOSE classification (from `OS/2`).
    pub(super) panose: [u8; 10],
    /// Weight class, 100 to 900.
    pub(super) weight: u16,
    /// Embedding permissions (`OS/2.fsType`); 0 is installable.
    pub(super) fs_type: u16,
    italic: bool,
    unicode_range: [u32; 4],
    code_page_range: [u32; 2],
    checksum_adjustment: u32,
    names: [String; 4],
}

impl FaceHeader {
    /// Reads the header fields of a TrueType font file.
    pub(super) fn read(ttf: &[u8]) -> Result<Self, String> {
        let font = FontRef::new(ttf).map_err(|e| e.to_string())?;
        let os2 = font.os2().map_err(|e| format!("OS/2: {e}"))?;
        let head = font.head().map_err(|e| format!("head: {e}"))?;
        let mut panose = [0; 10];
        panose.copy_from_slice(os2.panose_10());
        let name = |id| {
            font.localized_strings(id)
                .english_or_first()
                .map(|s| s.chars().collect::<String>())
                .unwrap_or_default()
        };
        Ok(Self {
            panose,
            weight: os2.us_weight_class(),
            fs_type: os2.fs_type(),
            italic: os2.fs_selection().bits() & 1 != 0,
            unicode_range: [
                os2.ul_unicode_range_1(),
                os2.ul_unicode_range_2(),
                os2.ul_unicode_range_3(),
                os2.ul_unicode_range_4(),
            ],
            code_page_range: [
                os2.ul_code_page_range_1().unwrap_or(0),
                os2.ul_code_page_range_2().unwrap_or(0),
            ],
            checksum_adjustment: head.checksum_adjustment(),
            names: [
                name(StringId::FAMILY_NAME),
                name(StringId::SUBFAMILY_NAME),
                name(StringId::VERSION_STRING),
                name(StringId::FULL_NAME),
            ],
        })
    }
}

/// Wraps a subset TrueType font file in an EOT header; `header` is what
/// [`FaceHeader::read`] read from that file.
pub(super) fn wrap(ttf: &[u8], header: &FaceHeader) -> Vec<u8> {
    let mut out = Vec::with_capacity(ttf.len() + 256);
    let u32_le = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
    let u16_le = |out: &mut Vec<u8>, v: u16| out.extend_from_slice(&v.to_le_bytes());
    u32_le(&mut out, 0); // EOTSize, set below
    u32_le(&mut out, ttf.len() as u32);
    u32_le(&mut out, VERSION);
    u32_le(&mut out, FLAG_SUBSET);
    out.extend_from_slice(&header.panose);
    out.push(DEFAULT_CHARSET);
    out.push(u8::from(header.italic));
    u32_le(&mut out, u32::from(header.weight));
    u16_le(&mut out, header.fs_type);
    u16_le(&mut out, MAGIC);
    for range in header
        .unicode_range
        .into_iter()
        .chain(header.code_page_range)
    {
        u32_le(&mut out, range);
    }
    u32_le(&mut out, header.checksum_adjustment);
    out.extend_from_slice(&[0; 16]); // Reserved1 to Reserved4
    for name in &header.names {
        u16_le(&mut out, 0); // padding before each name
        let utf16: Vec<u16> = name.encode_utf16().collect();
        u16_le(&mut out, (utf16.len() * 2) as u16);
        for unit in utf16 {
            u16_le(&mut out, unit);
        }
    }
    u16_le(&mut out, 0); // padding before the root string
    u16_le(&mut out, 0); // no root string: any document may use the face
    out.extend_from_slice(ttf);
    let size = out.len() as u32;
    out[..4].copy_from_slice(&size.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header as libeot reads it: sizes, version, magic number at 34,
    /// the names in UTF-16LE, then the font data unchanged.
    #[test]
    fn wraps_a_font_in_an_eot_header() {
        let fonts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
        let ttf = std::fs::read(fonts.join("LXGWWenKai-Regular.ttf")).unwrap();
        let eot = wrap(&ttf, &FaceHeader::read(&ttf).unwrap());
        let u32_at = |i: usize| u32::from_le_bytes(eot[i..i + 4].try_into().unwrap());
        assert_eq!(u32_at(0) as usize, eot.len());
        assert_eq!(u32_at(4) as usize, ttf.len());
        assert_eq!(u32_at(8), 0x0002_0001);
        assert_eq!(&eot[34..36], &[0x4C, 0x50], "magic number");
        assert_eq!(u32_at(28), 400, "weight");
        let family: Vec<u8> = "LXGW WenKai"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(&eot[82..84], &(family.len() as u16).to_le_bytes());
        assert_eq!(&eot[84..84 + family.len()], &family[..]);
        assert!(eot.ends_with(&ttf));
    }
}
