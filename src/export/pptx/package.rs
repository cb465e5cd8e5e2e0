//! The package: parts, relationships, content types and the zip archive.

use std::collections::HashMap;
use std::io::{Cursor, Write as _};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::*;

pub(super) const CONTENT_TYPES: &str = "[Content_Types].xml";
pub(super) const CORE: &str = "docProps/core.xml";
pub(super) const APP: &str = "docProps/app.xml";
pub(super) const PRESENTATION: &str = "ppt/presentation.xml";
pub(super) const PRES_PROPS: &str = "ppt/presProps.xml";
pub(super) const VIEW_PROPS: &str = "ppt/viewProps.xml";
pub(super) const TABLE_STYLES: &str = "ppt/tableStyles.xml";
pub(super) const THEME: &str = "ppt/theme/theme1.xml";
pub(super) const NOTES_THEME: &str = "ppt/theme/theme2.xml";
pub(super) const MASTER: &str = "ppt/slideMasters/slideMaster1.xml";
pub(super) const NOTES_MASTER: &str = "ppt/notesMasters/notesMaster1.xml";

pub(super) const CT_PML: &str = "application/vnd.openxmlformats-officedocument.presentationml";
pub(super) const CT_THEME: &str = "application/vnd.openxmlformats-officedocument.theme+xml";
pub(super) const CT_CORE: &str = "application/vnd.openxmlformats-package.core-properties+xml";
pub(super) const CT_APP: &str =
    "application/vnd.openxmlformats-officedocument.extended-properties+xml";
pub(super) const CT_RELS: &str = "application/vnd.openxmlformats-package.relationships+xml";

pub(super) const REL_OFFICE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
pub(super) const REL_CORE: &str =
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties";

/// Namespaces of PresentationML parts.
pub(super) const PML_NS: &str = concat!(
    r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main""#
);
pub(super) const XML_DECL: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";

/// The layouts of the slide master, as (name, type); slides use the last.
pub(super) const LAYOUTS: [(&str, &str); 2] = [("Title Slide", "title"), ("Blank", "blank")];
pub(super) const BLANK_LAYOUT: usize = LAYOUTS.len();

pub(super) fn slide_part(n: usize) -> String {
    format!("ppt/slides/slide{n}.xml")
}

pub(super) fn notes_part(n: usize) -> String {
    format!("ppt/notesSlides/notesSlide{n}.xml")
}

pub(super) fn layout_part(n: usize) -> String {
    format!("ppt/slideLayouts/slideLayout{n}.xml")
}

pub(super) fn media_part(n: usize) -> String {
    format!("ppt/media/image{n}.jpeg")
}

/// A PresentationML content type, such as `slide` for
/// `application/vnd.openxmlformats-officedocument.presentationml.slide+xml`.
pub(super) fn pml(kind: &str) -> String {
    format!("{CT_PML}.{kind}+xml")
}

/// A relationship type in the officeDocument namespace, such as `slide`.
pub(super) fn rel(kind: &str) -> String {
    format!("{REL_OFFICE}/{kind}")
}

pub(super) struct Part {
    pub(super) name: String,
    /// `None` for parts typed by a `Default` (relationships and JPEGs).
    pub(super) content_type: Option<String>,
    pub(super) data: Vec<u8>,
    pub(super) compressed: bool,
}

/// Parts in the order they are zipped.
#[derive(Default)]
pub(super) struct Package {
    pub(super) parts: Vec<Part>,
}

impl Package {
    pub(super) fn xml(
        &mut self,
        name: impl Into<String>,
        content_type: impl Into<String>,
        body: &str,
    ) {
        self.push(name.into(), Some(content_type.into()), xml_part(body));
    }

    pub(super) fn rels(&mut self, source: &str, rels: &Rels) {
        self.push(rels_part(source), None, xml_part(&rels.xml(source)));
    }

    pub(super) fn media(&mut self, name: String, data: &[u8]) {
        self.parts.push(Part {
            name,
            content_type: None,
            data: data.to_vec(),
            compressed: false,
        });
    }

    pub(super) fn push(&mut self, name: String, content_type: Option<String>, data: Vec<u8>) {
        self.parts.push(Part {
            name,
            content_type,
            data,
            compressed: true,
        });
    }

    pub(super) fn content_types(&self) -> String {
        let overrides: String = self
            .parts
            .iter()
            .filter_map(|part| {
                let content_type = part.content_type.as_deref()?;
                Some(format!(
                    r#"<Override PartName="/{}" ContentType="{content_type}"/>"#,
                    esc(&part.name)
                ))
            })
            .collect();
        // PowerPoint's type for embedded faces (EOT), by extension.
        let fonts = if self.parts.iter().any(|p| p.name.ends_with(".fntdata")) {
            r#"<Default Extension="fntdata" ContentType="application/x-fontdata"/>"#
        } else {
            ""
        };
        format!(
            r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="{CT_RELS}"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="jpeg" ContentType="image/jpeg"/>{fonts}{overrides}</Types>"#
        )
    }

    pub(super) fn into_zip(self) -> Result<Vec<u8>, PptxError> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let content_types = xml_part(&self.content_types());
        add_entry(&mut zip, CONTENT_TYPES, &content_types, true)?;
        for part in &self.parts {
            add_entry(&mut zip, &part.name, &part.data, part.compressed)?;
        }
        Ok(zip.finish()?.into_inner())
    }
}

pub(super) fn add_entry(
    zip: &mut ZipWriter<Cursor<Vec<u8>>>,
    name: &str,
    data: &[u8],
    compressed: bool,
) -> Result<(), PptxError> {
    let method = if compressed {
        CompressionMethod::Deflated
    } else {
        CompressionMethod::Stored
    };
    let options = SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    zip.start_file(name, options)?;
    zip.write_all(data)?;
    Ok(())
}

pub(super) fn xml_part(body: &str) -> Vec<u8> {
    format!("{XML_DECL}{body}").into_bytes()
}

/// The relationships of one part, numbered `rId1`, `rId2`, … in order.
#[derive(Default)]
pub(super) struct Rels(Vec<(String, String)>);

impl Rels {
    /// Adds a relationship to the part named `target` and returns its id.
    pub(super) fn add(&mut self, kind: impl Into<String>, target: impl Into<String>) -> String {
        self.0.push((kind.into(), target.into()));
        format!("rId{}", self.0.len())
    }

    pub(super) fn xml(&self, source: &str) -> String {
        let rels: String = self
            .0
            .iter()
            .enumerate()
            .map(|(i, (kind, target))| {
                format!(
                    r#"<Relationship Id="rId{}" Type="{kind}" Target="{}"/>"#,
                    i + 1,
                    esc(&relative(source, target))
                )
            })
            .collect();
        format!(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
        )
    }
}

/// The relationships part of `source` (`""` is the package itself).
pub(super) fn rels_part(source: &str) -> String {
    match source.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{source}.rels"),
    }
}

/// The path of part `target` relative to the folder of part `source`.
pub(super) fn relative(source: &str, target: &str) -> String {
    let from: Vec<&str> = source.split('/').collect();
    let from_dirs = &from[..from.len() - 1];
    let to: Vec<&str> = target.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to[..to.len() - 1])
        .take_while(|(a, b)| a == b)
        .count();
    "../".repeat(from_dirs.len() - common) + &to[common..].join("/")
}

/// Distinct images, numbered in order of first use.
#[derive(Default)]
pub(super) struct Media<'a> {
    pub(super) files: Vec<&'a [u8]>,
    pub(super) index: HashMap<&'a [u8], usize>,
}

impl<'a> Media<'a> {
    /// The 1-based number of the media part holding `jpeg`.
    pub(super) fn intern(&mut self, jpeg: &'a [u8]) -> usize {
        *self.index.entry(jpeg).or_insert_with(|| {
            self.files.push(jpeg);
            self.files.len()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_targets() {
        assert_eq!(relative("", "ppt/presentation.xml"), "ppt/presentation.xml");
        assert_eq!(
            relative(PRESENTATION, "ppt/slides/slide1.xml"),
            "slides/slide1.xml"
        );
        assert_eq!(
            relative("ppt/slides/slide1.xml", "ppt/slideLayouts/slideLayout2.xml"),
            "../slideLayouts/slideLayout2.xml"
        );
        assert_eq!(rels_part(""), "_rels/.rels");
        assert_eq!(
            rels_part(MASTER),
            "ppt/slideMasters/_rels/slideMaster1.xml.rels"
        );
    }

    #[test]
    fn identical_images_share_a_part() {
        let mut media = Media::default();
        let (a, b) = (vec![0xFF, 0xD8, 0xFF, 1], vec![0xFF, 0xD8, 0xFF, 2]);
        assert_eq!(media.intern(&a), 1);
        assert_eq!(media.intern(&b), 2);
        let same = a.clone();
        assert_eq!(media.intern(&same), 1);
        assert_eq!(media.files.len(), 2);
    }
}
