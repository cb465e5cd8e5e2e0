//! Word (.docx): paragraphs with their styles (Title, Subtitle, Heading N,
//! Caption, Quote, lists), bold runs, tables and embedded pictures.
//!
//! A .docx is a ZIP archive of XML parts; it is read with the `zip` crate
//! and `roxmltree` (an XML parser that refuses DTDs, so no entity tricks).
//! Elements are matched by local name, so Strict OOXML's namespaces read
//! the same as Transitional ones.

use std::cell::Cell;
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;

use roxmltree::{Document, Node};

use crate::Diagnostic;

use super::ExtractedPhoto;
use super::blocks::{Block, ImageRef, Kind};
use super::docx_styles::{Style, Styles, attr};
use super::paths::safe_name;

/// The largest XML part read (a long report is a few hundred kilobytes).
const MAX_XML_BYTES: u64 = 64 << 20;

/// The deepest nesting of elements followed: Word's deepest, tables in
/// tables in text boxes, is far shallower.
const MAX_DEPTH: usize = 256;

/// The largest picture, and all pictures together.
const MAX_PICTURE_BYTES: u64 = 64 << 20;
const MAX_PICTURES_BYTES: usize = 512 << 20;

/// What a .docx holds: its blocks and the pictures to write out.
pub struct Content {
    /// Paragraphs, table rows and pictures in order.
    pub blocks: Vec<Block>,
    /// Embedded pictures, named under `photos/`.
    pub photos: Vec<ExtractedPhoto>,
}

/// An open .docx.
struct Package<'a> {
    path: &'a Path,
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
}

/// Reads a .docx into blocks and pictures.
pub fn read(path: &Path, bytes: &[u8]) -> Result<Content, Diagnostic> {
    check_container(path, bytes)?;
    let zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|err| damaged(path, &err.to_string()))?;
    let mut package = Package { path, zip };
    let main = package.main_part()?;
    let folder = main.rsplit_once('/').map_or("", |(dir, _)| dir).to_owned();
    let document = package
        .text(&main)?
        .ok_or_else(|| damaged(path, &format!("it has no {main}")))?;
    let file = main.rsplit('/').next().unwrap_or(&main);
    let rels_name = resolve(&folder, &format!("_rels/{file}.rels"));
    let rels = match package.text(&rels_name)? {
        Some(xml) => relationships(&package.parse(&rels_name, &xml)?, &folder),
        None => HashMap::new(),
    };
    let styles_name = resolve(&folder, "styles.xml");
    let styles = match package.text(&styles_name)? {
        Some(xml) => Styles::read(&package.parse(&styles_name, &xml)?),
        None => Styles::default(),
    };
    let xml = package.parse(&main, &document)?;
    let mut walker = Walker {
        styles: &styles,
        rels: &rels,
        blocks: Vec::new(),
        pictures: Vec::new(),
        paragraph: 0,
        too_deep: Cell::new(false),
    };
    walker.walk(xml.root_element(), 0);
    if walker.too_deep.get() {
        let cause = format!("{main} nests elements more than {MAX_DEPTH} deep");
        return Err(damaged(path, &cause));
    }
    let pictures = std::mem::take(&mut walker.pictures);
    let photos = package.pictures(&pictures, &mut walker.blocks)?;
    Ok(Content {
        blocks: walker.blocks,
        photos,
    })
}

/// Refuses what is not a .docx before unzipping: an encrypted document
/// (an OLE container, not a ZIP), an old .doc, plain text, nothing.
fn check_container(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    if bytes.is_empty() {
        return Err(Diagnostic::file(path, "the file is empty")
            .with_hint("save the document again from Word"));
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        let marker: Vec<u8> = "EncryptionInfo"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let encrypted = bytes.windows(marker.len()).any(|w| w == marker.as_slice());
        return Err(if encrypted {
            Diagnostic::file(path, "the .docx is encrypted (protected by a password)")
                .with_hint("open it in Word, remove the password (File > Info > Protect Document > Encrypt with Password), save, and import again")
        } else {
            Diagnostic::file(
                path,
                "this is an old Word 97-2003 document (.doc), not a .docx",
            )
            .with_hint("open it in Word and save it as .docx")
        });
    }
    if !bytes.starts_with(b"PK") {
        let hint = if std::str::from_utf8(&bytes[..bytes.len().min(4096)]).is_ok() {
            "it holds plain text: name it .txt, or pass --from txt"
        } else {
            "save the document again from Word as .docx"
        };
        return Err(
            Diagnostic::file(path, "not a .docx (it is not a ZIP archive)").with_hint(hint),
        );
    }
    Ok(())
}

/// A .docx whose ZIP or XML cannot be read.
fn damaged(path: &Path, cause: &str) -> Diagnostic {
    Diagnostic::file(path, format!("the .docx is damaged ({cause})"))
        .with_hint("open it in Word and save it again, or save it as plain text and import that")
}

impl Package<'_> {
    /// The main document part, from the package's relationships.
    fn main_part(&mut self) -> Result<String, Diagnostic> {
        let Some(xml) = self.text("_rels/.rels")? else {
            return Ok("word/document.xml".into());
        };
        let doc = self.parse("_rels/.rels", &xml)?;
        let main = doc
            .descendants()
            .filter(|n| n.has_tag_name_local("Relationship"))
            .find(|n| {
                n.attribute("Type")
                    .is_some_and(|t| t.ends_with("/officeDocument"))
            })
            .and_then(|n| n.attribute("Target"))
            .map(|t| t.trim_start_matches('/').to_owned());
        Ok(main.unwrap_or_else(|| "word/document.xml".into()))
    }

    /// An XML part as text, `None` when the package has no such part.
    fn text(&mut self, name: &str) -> Result<Option<String>, Diagnostic> {
        let Some(bytes) = self.bytes(name, MAX_XML_BYTES)? else {
            return Ok(None);
        };
        let text = match encoding_rs::Encoding::for_bom(&bytes) {
            Some((encoding, bom)) => encoding
                .decode_without_bom_handling(&bytes[bom..])
                .0
                .into_owned(),
            None => String::from_utf8(bytes)
                .map_err(|_| damaged(self.path, &format!("{name} is not UTF-8")))?,
        };
        Ok(Some(text))
    }

    /// A part's bytes, at most `limit` of them.
    fn bytes(&mut self, name: &str, limit: u64) -> Result<Option<Vec<u8>>, Diagnostic> {
        let path = self.path;
        let mut file = match self.zip.by_name(name) {
            Ok(file) => file,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(zip::result::ZipError::UnsupportedArchive(why)) if why.contains("assword") => {
                return Err(Diagnostic::file(
                    path,
                    "the .docx is encrypted (protected by a password)",
                )
                .with_hint("save it again from Word without a password, and import that"));
            }
            Err(err) => return Err(damaged(path, &format!("{name}: {err}"))),
        };
        if file.size() > limit {
            return Err(damaged(
                path,
                &format!(
                    "{name} is {} MB, more than a report holds",
                    file.size() >> 20
                ),
            ));
        }
        let mut out = Vec::new();
        file.by_ref()
            .take(limit)
            .read_to_end(&mut out)
            .map_err(|err| damaged(path, &format!("{name}: {err}")))?;
        Ok(Some(out))
    }

    /// Parses an XML part; errors name the part and the place in it.
    fn parse<'x>(&self, name: &str, xml: &'x str) -> Result<Document<'x>, Diagnostic> {
        Document::parse(xml).map_err(|err| {
            let pos = err.pos();
            damaged(self.path, &format!("{name}:{}:{}: {err}", pos.row, pos.col))
        })
    }

    /// Reads the pictures the document shows; one the renderer cannot
    /// use (EMF, TIFF …) keeps an empty path and says why.
    fn pictures(
        &mut self,
        wanted: &[(usize, String)],
        blocks: &mut [Block],
    ) -> Result<Vec<ExtractedPhoto>, Diagnostic> {
        let mut photos: Vec<ExtractedPhoto> = Vec::new();
        let mut written: HashMap<String, String> = HashMap::new();
        let mut total = 0;
        for (index, part) in wanted {
            let Kind::Image(image) = &mut blocks[*index].kind else {
                continue;
            };
            if let Some(path) = written.get(part) {
                image.path = path.clone();
                continue;
            }
            let Some(bytes) = self.bytes(part, MAX_PICTURE_BYTES)? else {
                image.missing = Some(format!(
                    "the .docx refers to a picture it does not hold ({part})"
                ));
                continue;
            };
            if !is_usable_picture(&bytes) {
                let ext = part.rsplit('.').next().unwrap_or("?").to_uppercase();
                image.missing = Some(format!(
                    "the picture is {ext}, which cannot be printed: save it from Word as JPEG"
                ));
                continue;
            }
            total += bytes.len();
            if total > MAX_PICTURES_BYTES {
                return Err(damaged(
                    self.path,
                    "its pictures add up to more than 512 MB",
                ));
            }
            let name = unique_name(&photos, &safe_name(part.rsplit('/').next().unwrap_or(part)));
            let path = format!("photos/{name}");
            image.path = path.clone();
            written.insert(part.clone(), path.clone());
            photos.push(ExtractedPhoto { path, bytes });
        }
        Ok(photos)
    }
}

/// JPEG, PNG or WebP: what the renderer reads.
fn is_usable_picture(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\xFF\xD8\xFF")
        || bytes.starts_with(b"\x89PNG")
        || (bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP"))
}

/// A file name not yet taken under `photos/`.
fn unique_name(photos: &[ExtractedPhoto], name: &str) -> String {
    let taken = |n: &str| photos.iter().any(|p| p.path == format!("photos/{n}"));
    if !taken(name) {
        return name.to_owned();
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) => (stem, format!(".{ext}")),
        None => (name, String::new()),
    };
    (2..)
        .map(|i| format!("{stem}-{i}{ext}"))
        .find(|n| !taken(n))
        .unwrap_or_default()
}

/// The document's relationships: id → part name inside the package.
fn relationships(doc: &Document, folder: &str) -> HashMap<String, String> {
    doc.descendants()
        .filter(|n| {
            n.has_tag_name_local("Relationship") && n.attribute("TargetMode") != Some("External")
        })
        .filter_map(|n| {
            let target = n.attribute("Target")?;
            let part = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_owned(),
                None => resolve(folder, target),
            };
            Some((n.attribute("Id")?.to_owned(), part))
        })
        .collect()
}

/// `media/image1.png` from `word` → `word/media/image1.png`; `..` folded.
fn resolve(folder: &str, target: &str) -> String {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in target.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// Local-name matching for OOXML elements.
trait LocalName {
    fn has_tag_name_local(&self, name: &str) -> bool;
}

impl LocalName for Node<'_, '_> {
    fn has_tag_name_local(&self, name: &str) -> bool {
        self.is_element() && self.tag_name().name() == name
    }
}

/// The table rows' cells.
fn cells<'a, 'i>(tr: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    tr.children()
        .filter(|n| n.has_tag_name_local("tc"))
        .collect()
}

/// Walks the document body into blocks.
struct Walker<'s> {
    styles: &'s Styles,
    rels: &'s HashMap<String, String>,
    blocks: Vec<Block>,
    /// (block index, part name) of every picture.
    pictures: Vec<(usize, String)>,
    paragraph: usize,
    /// Set when elements nest deeper than `MAX_DEPTH`: they are not
    /// followed (the recursion would overflow the stack).
    too_deep: Cell<bool>,
}

impl Walker<'_> {
    /// Whether `depth` is beyond `MAX_DEPTH` (and says so).
    fn beyond(&self, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            self.too_deep.set(true);
        }
        depth > MAX_DEPTH
    }

    /// Walks a node's paragraphs and tables (stopping a little after
    /// `MAX_BLOCKS`: the import refuses more).
    fn walk(&mut self, node: Node, depth: usize) {
        if self.beyond(depth) {
            return;
        }
        for child in node.children().filter(Node::is_element) {
            if self.blocks.len() > super::MAX_BLOCKS {
                return;
            }
            match child.tag_name().name() {
                "p" => self.paragraph(child, depth + 1),
                "tbl" => self.table(child, depth + 1),
                "sectPr" | "pPr" | "rPr" => {}
                _ => self.walk(child, depth + 1),
            }
        }
    }

    /// A paragraph: its pictures first, then its text, a block a line.
    fn paragraph(&mut self, p: Node, depth: usize) {
        self.paragraph += 1;
        let style = self.paragraph_style(p);
        let mut runs = Runs::default();
        self.collect(p, &style, &mut runs, depth + 1);
        for (part, alt) in runs.pictures {
            let image = ImageRef {
                path: String::new(),
                alt: alt.clone(),
                missing: None,
            };
            self.pictures.push((self.blocks.len(), part));
            self.blocks
                .push(Block::new(Kind::Image(image), alt, self.paragraph));
        }
        for (i, line) in runs.text.split('\n').enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let mut block = Block::new(style.kind.clone(), line.trim(), self.paragraph);
            if i == 0 {
                block.lead_bold = runs.lead_bold.clone().filter(|b| !b.trim().is_empty());
                block.all_bold = runs.all_bold && !runs.text.contains('\n');
            }
            self.blocks.push(block);
        }
        for boxed in runs.text_boxes {
            self.walk(boxed, depth + 1);
        }
    }

    /// The paragraph's style, with direct list numbering and outline level.
    fn paragraph_style(&self, p: Node) -> Style {
        let ppr = p.children().find(|n| n.has_tag_name_local("pPr"));
        let id = ppr
            .and_then(|ppr| ppr.children().find(|n| n.has_tag_name_local("pStyle")))
            .and_then(|s| attr(s, "val"));
        let mut style = self.styles.paragraph(id);
        if let Some(ppr) = ppr {
            if ppr.children().any(|n| n.has_tag_name_local("numPr")) && style.kind == Kind::Plain {
                style.kind = Kind::Item;
            }
            let outline = ppr.children().find(|n| n.has_tag_name_local("outlineLvl"));
            if let Some(level) = outline.and_then(|o| attr(o, "val")?.parse::<u8>().ok())
                && level < 9
                && style.kind == Kind::Plain
            {
                style.kind = Kind::Heading(level + 1);
            }
        }
        style
    }

    /// Collects a paragraph's text (bold runs marked), pictures and text
    /// boxes, in document order.
    fn collect<'a, 'i>(
        &self,
        node: Node<'a, 'i>,
        style: &Style,
        runs: &mut Runs<'a, 'i>,
        depth: usize,
    ) {
        if self.beyond(depth) {
            return;
        }
        for child in node.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "r" => self.run(child, style, runs),
                "txbxContent" => runs.text_boxes.push(child),
                "pPr" | "rPr" | "del" | "moveFrom" | "instrText" => {}
                _ => self.collect(child, style, runs, depth + 1),
            }
        }
    }

    /// One run: its text, breaks, tabs and pictures.
    fn run<'a, 'i>(&self, r: Node<'a, 'i>, style: &Style, runs: &mut Runs<'a, 'i>) {
        let bold = self.run_bold(r, style);
        for item in r.children().filter(Node::is_element) {
            match item.tag_name().name() {
                "t" => runs.push(item.text().unwrap_or(""), bold),
                "tab" => runs.push(" ", bold),
                "br" | "cr" => runs.push("\n", bold),
                "noBreakHyphen" => runs.push("-", bold),
                "drawing" | "pict" | "object" | "AlternateContent" => self.pictures(item, runs),
                _ => {}
            }
        }
    }

    /// Whether a run is bold: directly, by its character style, or by the
    /// paragraph's style.
    fn run_bold(&self, r: Node, style: &Style) -> bool {
        let Some(rpr) = r.children().find(|n| n.has_tag_name_local("rPr")) else {
            return style.bold;
        };
        if let Some(b) = rpr.children().find(|n| n.has_tag_name_local("b")) {
            return !matches!(attr(b, "val"), Some("0" | "false" | "off"));
        }
        let character = rpr
            .children()
            .find(|n| n.has_tag_name_local("rStyle"))
            .and_then(|s| attr(s, "val"));
        style.bold || character.is_some_and(|id| self.styles.character_bold(id))
    }

    /// Pictures in a drawing (DrawingML `a:blip`, VML `v:imagedata`) and
    /// text boxes inside it.
    fn pictures<'a, 'i>(&self, drawing: Node<'a, 'i>, runs: &mut Runs<'a, 'i>) {
        if drawing.has_tag_name_local("AlternateContent") {
            // Choice and Fallback show the same picture: take one.
            if let Some(first) = drawing.children().find(Node::is_element) {
                self.pictures(first, runs);
            }
            return;
        }
        let alt = drawing
            .descendants()
            .find(|n| n.has_tag_name_local("docPr"))
            .and_then(|d| attr(d, "descr").or(attr(d, "title")))
            .unwrap_or("")
            .trim()
            .to_owned();
        // The drawing's nodes in document order, except a text box's: its
        // paragraphs are walked as paragraphs, their pictures with them.
        let mut stack = vec![drawing];
        while let Some(node) = stack.pop() {
            if node.has_tag_name_local("txbxContent") {
                runs.text_boxes.push(node);
                continue;
            }
            stack.extend(node.children().rev());
            let id = match node.tag_name().name() {
                "blip" => attr(node, "embed"),
                "imagedata" => node
                    .attributes()
                    .find(|a| {
                        a.name() == "id"
                            && a.namespace().is_some_and(|ns| ns.contains("relationships"))
                    })
                    .map(|a| a.value()),
                _ => None,
            };
            if let Some(part) = id.and_then(|id| self.rels.get(id)) {
                runs.pictures.push((part.clone(), alt.clone()));
            }
        }
    }

    /// A table: rows of two or more cells are rows (a data box); a table
    /// of single cells is a frame around paragraphs (a boxed lede).
    fn table(&mut self, tbl: Node, depth: usize) {
        let rows: Vec<Node> = tbl
            .children()
            .filter(|n| n.has_tag_name_local("tr"))
            .collect();
        if rows.iter().all(|tr| cells(*tr).len() <= 1) {
            for tr in &rows {
                for tc in cells(*tr) {
                    self.walk(tc, depth + 1);
                }
            }
            return;
        }
        for tr in rows.into_iter().take(super::MAX_BLOCKS + 1) {
            self.paragraph += 1;
            let texts: Vec<String> = cells(tr)
                .iter()
                .map(|tc| self.cell_text(*tc, depth + 1))
                .collect();
            let text = texts
                .iter()
                .filter(|t| !t.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            self.blocks
                .push(Block::new(Kind::Row(texts), text, self.paragraph));
        }
    }

    /// A cell's paragraphs as one line of text.
    fn cell_text(&self, tc: Node, depth: usize) -> String {
        let mut parts = Vec::new();
        for p in tc.descendants().filter(|n| n.has_tag_name_local("p")) {
            let mut runs = Runs::default();
            self.collect(p, &Style::default(), &mut runs, depth + 1);
            let text = runs.text.trim().to_owned();
            if !text.is_empty() {
                parts.push(text);
            }
        }
        parts.join(" ")
    }
}

/// A paragraph's content as it is collected.
#[derive(Default)]
struct Runs<'a, 'i> {
    text: String,
    /// Text of the bold runs that open the paragraph.
    lead_bold: Option<String>,
    /// Still bold throughout (until a non-bold run with text).
    all_bold: bool,
    started: bool,
    pictures: Vec<(String, String)>,
    text_boxes: Vec<Node<'a, 'i>>,
}

impl Runs<'_, '_> {
    fn push(&mut self, text: &str, bold: bool) {
        if !self.started && text.trim().is_empty() {
            self.text.push_str(text);
            return;
        }
        if !self.started {
            self.started = true;
            self.all_bold = bold;
            if bold {
                self.lead_bold = Some(String::new());
            }
        }
        if bold && self.all_bold {
            if let Some(lead) = &mut self.lead_bold {
                lead.push_str(text);
            }
        } else if !text.trim().is_empty() {
            self.all_bold = false;
        }
        self.text.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_name_gets_a_number_before_its_extension() {
        let photo = |path: &str| ExtractedPhoto {
            path: path.into(),
            bytes: Vec::new(),
        };
        let photos = [
            photo("photos/image1.png"),
            photo("photos/image1-2.png"),
            photo("photos/image"),
        ];
        assert_eq!(unique_name(&photos, "image2.png"), "image2.png");
        assert_eq!(unique_name(&photos, "image1.png"), "image1-3.png");
        assert_eq!(unique_name(&photos, "image"), "image-2");
    }
}
