//! Bytes to text: UTF-8 (with or without a byte-order mark), UTF-16 with
//! one, else GB18030 (the usual encoding of Chinese text files), and the
//! inputs that are not a report's text at all.

use std::path::Path;

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};

use crate::Diagnostic;
use crate::report::SourceText;

/// The largest text or Markdown file imported (a special report is some
/// ten thousand characters; this is a thousand times that).
pub const MAX_TEXT_BYTES: usize = 32 << 20;

/// The longest line: a paragraph of print is at most a few thousand
/// characters; a longer line lost its line breaks or is not prose.
pub const MAX_LINE_CHARS: usize = 20_000;

/// A decoded text and the encoding it was read in.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The text, line breaks as `\n`.
    pub text: String,
    /// "UTF-8", "UTF-16" or "GB18030".
    pub encoding: &'static str,
}

/// Decodes a text or Markdown file (at most `MAX_TEXT_BYTES`: the import
/// checks), refusing what is not one.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<Decoded, Diagnostic> {
    if let Some((what, hint)) = file_kind(bytes) {
        return Err(Diagnostic::file(path, format!("this is {what}, not text")).with_hint(hint));
    }
    let (text, encoding) = match to_text(bytes) {
        Ok(decoded) => decoded,
        Err(at) => return Err(invalid_encoding(path, bytes, at)),
    };
    let text = text
        .replace("\r\n", "\n")
        .replace(['\r', '\u{2028}', '\u{2029}', '\u{85}', '\u{c}'], "\n");
    check_text(path, &text)?;
    Ok(Decoded { text, encoding })
}

/// Refuses decoded text that is not a report's: binary data, nothing at
/// all, or a line no paragraph is as long as.
fn check_text(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let fail = |message: String, hint: &str| Diagnostic::file(path, message).with_hint(hint);
    if let Some(line) = binary_line(text) {
        let mut error = fail(
            format!("binary data, not text (control characters from line {line})"),
            "give the report's text as a .txt, .md or .docx file",
        );
        error.line = Some(line);
        return Err(error);
    }
    if text.trim().is_empty() {
        return Err(fail(
            "the file is empty".into(),
            "put the report's text in it, or name the right file",
        ));
    }
    let long = text
        .lines()
        .map(|l| l.chars().count())
        .enumerate()
        .find(|(_, n)| *n > MAX_LINE_CHARS);
    if let Some((line, chars)) = long {
        return Err(too_long(path, false, line + 1, chars));
    }
    Ok(())
}

/// A line (of text or Markdown) or a paragraph (of Word) longer than any
/// paragraph of print.
pub fn too_long(path: &Path, paragraph: bool, number: usize, chars: usize) -> Diagnostic {
    if paragraph {
        return Diagnostic::file(
            path,
            format!("paragraph {number} is {chars} characters long, more than the {MAX_LINE_CHARS} of any paragraph"),
        )
        .with_hint("check that this is the report's text, its paragraphs separated (press Enter between them)");
    }
    let mut error = Diagnostic::file(
        path,
        format!("line {number} is {chars} characters long, more than the {MAX_LINE_CHARS} of any paragraph"),
    )
    .with_hint("the line breaks were lost: put each paragraph on its own line (or give the original .docx)");
    error.line = Some(number);
    error
}

/// Known binary formats by their first bytes, with what to do instead.
fn file_kind(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    let kinds: [(&[u8], &str, &str); 8] = [
        (
            b"PK\x03\x04",
            "a ZIP archive",
            "a Word file? name it .docx, or pass --from docx",
        ),
        (
            b"%PDF",
            "a PDF",
            "copy the text out of the PDF (or `pdftotext -layout FILE.pdf`) and import that",
        ),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "an old Office file (Word 97-2003 .doc?)",
            "open it in Word and save it as .docx",
        ),
        (
            b"{\\rtf",
            "an RTF document",
            "save it as .docx or plain text",
        ),
        (
            b"\xFF\xD8\xFF",
            "a JPEG image",
            "give the report's text; photos are listed in it",
        ),
        (
            b"\x89PNG",
            "a PNG image",
            "give the report's text; photos are listed in it",
        ),
        (
            b"GIF8",
            "a GIF image",
            "give the report's text; photos are listed in it",
        ),
        (
            b"\x7FELF",
            "a program",
            "give the report's text as a .txt, .md or .docx file",
        ),
    ];
    kinds
        .iter()
        .find(|(magic, ..)| bytes.starts_with(magic))
        .map(|(_, what, hint)| (*what, *hint))
}

/// Decodes by byte-order mark, else UTF-8, else GB18030; the error is the
/// byte offset where UTF-8 failed.
fn to_text(bytes: &[u8]) -> Result<(String, &'static str), usize> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        let name = if encoding == UTF_16LE || encoding == UTF_16BE {
            "UTF-16"
        } else {
            "UTF-8"
        };
        return if had_errors {
            Err(bom)
        } else {
            Ok((text.into_owned(), name))
        };
    }
    if bytes.contains(&0) {
        // Binary (or UTF-16 without its mark): no text encoding has NULs.
        return Ok((String::from_utf8_lossy(bytes).into_owned(), "UTF-8"));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_owned(), "UTF-8")),
        Err(err) => GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .filter(|text| plausible_chinese(text))
            .map(|text| (text.into_owned(), "GB18030"))
            .ok_or(err.valid_up_to()),
    }
}

/// Whether text decoded as GB18030 reads as Chinese: its non-ASCII
/// characters are common ideographs and punctuation, none private-use.
fn plausible_chinese(text: &str) -> bool {
    let mut other = 0usize;
    let mut wide = 0usize;
    for c in text.chars().filter(|c| !c.is_ascii()) {
        match c as u32 {
            0xE000..=0xF8FF => return false,
            0x4E00..=0x9FFF | 0x3000..=0x303F | 0xFF00..=0xFFEF | 0x2010..=0x2027 => wide += 1,
            _ => other += 1,
        }
    }
    wide > 0 && other * 10 <= wide
}

/// The first line with control characters, if the text has more than a
/// few of them (a stray form feed is fine; binary data is full of them).
fn binary_line(text: &str) -> Option<usize> {
    let control = |c: char| c.is_control() && c != '\n' && c != '\t';
    let count = text.chars().filter(|&c| control(c)).count();
    if count == 0 || count * 200 < text.chars().count() && !text.contains('\0') {
        return None;
    }
    text.lines()
        .position(|line| line.chars().any(control))
        .map(|i| i + 1)
}

/// Neither UTF-8 nor GB18030: where UTF-8 failed (the text before it is
/// UTF-8, or a byte-order mark).
fn invalid_encoding(path: &Path, bytes: &[u8], at: usize) -> Diagnostic {
    let at = at.min(bytes.len());
    let before = SourceText::new(String::from_utf8_lossy(&bytes[..at]).into_owned());
    Diagnostic::file(
        path,
        format!(
            "the text is neither UTF-8 nor GB18030 (byte 0x{:02X} cannot start a character)",
            bytes.get(at).copied().unwrap_or(0)
        ),
    )
    .with_hint("save the file as UTF-8 (in Notepad: Save As, Encoding: UTF-8)")
    .at_offset(&before, before.as_str().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Result<Decoded, Diagnostic> {
        super::decode(Path::new("in.txt"), bytes)
    }

    #[test]
    fn utf8_with_and_without_bom_and_crlf() {
        assert_eq!(
            decode("涪陵\r\n产业".as_bytes()).unwrap().text,
            "涪陵\n产业"
        );
        assert_eq!(decode(b"\xEF\xBB\xBFabc").unwrap().text, "abc");
    }

    #[test]
    fn gb18030_is_tried_and_named() {
        let (bytes, _, _) = GB18030.encode("核心提示\n眼下的涪陵春意愈浓。");
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.encoding, "GB18030");
        assert!(decoded.text.starts_with("核心提示"));
    }

    #[test]
    fn bad_inputs_are_refused_with_a_place() {
        assert!(decode(b"").unwrap_err().message.contains("empty"));
        assert!(decode(b" \n\n ").unwrap_err().message.contains("empty"));
        assert!(decode(b"%PDF-1.7 ...").unwrap_err().message.contains("PDF"));
        let err = decode(b"abc\n\x00\x01\x02\x03binary").unwrap_err();
        assert!(err.message.contains("binary"), "{err}");
        let err = decode(b"ok\nthen \xFF\xFE\xFD bad").unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(6)), "{err}");
        // After a byte-order mark, the mark's characters count.
        let err = decode(b"\xFF\xFE\x00\xD8A\x00").unwrap_err();
        assert_eq!((err.line, err.column), (Some(1), Some(3)), "{err}");
        let long = "字".repeat(MAX_LINE_CHARS + 1);
        assert_eq!(
            decode(format!("a\n{long}").as_bytes()).unwrap_err().line,
            Some(2)
        );
    }
}
