//! Word's styles: which paragraph style is a title, a heading, a caption,
//! a quote or a list, and which is bold, following `basedOn` so that a
//! newsroom's own style ("报道小标题", based on "heading 2") reads as its
//! parent does. Style names, not ids, are compared: Word writes the
//! built-in names in English whatever the language of its interface.

use std::collections::HashMap;

use roxmltree::{Document, Node};

use super::blocks::Kind;

/// What a paragraph style says.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// The block kind it gives.
    pub kind: Kind,
    /// Its text is bold.
    pub bold: bool,
}

impl Default for Style {
    fn default() -> Self {
        Self {
            kind: Kind::Plain,
            bold: false,
        }
    }
}

/// One style as written in styles.xml.
#[derive(Debug, Clone, Default)]
struct Entry {
    name: String,
    based_on: Option<String>,
    bold: Option<bool>,
    outline: Option<u8>,
}

/// The styles of a document, by id.
#[derive(Debug, Default)]
pub struct Styles {
    entries: HashMap<String, Entry>,
}

impl Styles {
    /// Reads styles.xml.
    pub fn read(doc: &Document) -> Self {
        let mut entries = HashMap::new();
        for style in doc
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == "style")
        {
            let Some(id) = attr(style, "styleId") else {
                continue;
            };
            let child = |name: &str| {
                style
                    .children()
                    .find(|n| n.is_element() && n.tag_name().name() == name)
            };
            let entry = Entry {
                name: child("name")
                    .and_then(|n| attr(n, "val"))
                    .unwrap_or(id)
                    .to_lowercase(),
                based_on: child("basedOn")
                    .and_then(|n| attr(n, "val"))
                    .map(str::to_owned),
                bold: child("rPr").and_then(|rpr| {
                    let b = rpr
                        .children()
                        .find(|n| n.is_element() && n.tag_name().name() == "b")?;
                    Some(!matches!(attr(b, "val"), Some("0" | "false" | "off")))
                }),
                outline: child("pPr")
                    .and_then(|ppr| {
                        ppr.children()
                            .find(|n| n.is_element() && n.tag_name().name() == "outlineLvl")
                    })
                    .and_then(|o| attr(o, "val")?.parse().ok()),
            };
            entries.insert(id.to_owned(), entry);
        }
        Self { entries }
    }

    /// The style of a paragraph with this style id (none: Normal).
    pub fn paragraph(&self, id: Option<&str>) -> Style {
        let Some(id) = id else {
            return Style::default();
        };
        let chain = self.chain(id);
        let kind = chain
            .iter()
            .find_map(|(name, entry)| kind_of(name, entry.and_then(|e| e.outline)))
            .unwrap_or(Kind::Plain);
        let bold = chain
            .iter()
            .find_map(|(_, e)| e.and_then(|e| e.bold))
            .unwrap_or(false);
        Style { kind, bold }
    }

    /// Whether a character style is bold ("Strong").
    pub fn character_bold(&self, id: &str) -> bool {
        self.chain(id)
            .iter()
            .find_map(|(name, e)| {
                e.and_then(|e| e.bold)
                    .or((name == "strong").then_some(true))
            })
            .unwrap_or(false)
    }

    /// A style and its ancestors: (lower-case name, entry if defined).
    /// Without styles.xml the id itself is the name ("Heading1").
    fn chain(&self, id: &str) -> Vec<(String, Option<&Entry>)> {
        let mut out = Vec::new();
        let mut next = Some(id.to_owned());
        while let Some(id) = next.take() {
            if out.len() > 16 {
                break;
            }
            match self.entries.get(&id) {
                Some(entry) => {
                    out.push((entry.name.clone(), Some(entry)));
                    next = entry.based_on.clone();
                }
                None => out.push((id.to_lowercase(), None)),
            }
        }
        out
    }
}

/// The kind a built-in style name gives, in English or Chinese.
fn kind_of(name: &str, outline: Option<u8>) -> Option<Kind> {
    let compact: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    let level = |prefix: &str| {
        compact
            .strip_prefix(prefix)
            .and_then(|n| n.parse::<u8>().ok())
    };
    if let Some(n) = level("heading").or_else(|| level("标题")) {
        return Some(Kind::Heading(n));
    }
    let kind = match compact.as_str() {
        "title" | "标题" => Kind::Title,
        "subtitle" | "副标题" => Kind::Subtitle,
        "caption" | "题注" => Kind::Caption,
        "quote" | "intensequote" | "引用" | "明显引用" => Kind::Quote,
        // A newsroom's style for the lede box: read as a quote, which under
        // the headline is the lede box.
        "核心提示" | "导语" | "编者按" | "内容提要" | "提要" | "摘要" | "lead" | "lede"
        | "intro" | "abstract" => Kind::Quote,
        n if n.starts_with("list") || n.starts_with("列表") => Kind::Item,
        _ => return outline.filter(|&o| o < 9).map(|o| Kind::Heading(o + 1)),
    };
    Some(kind)
}

/// An attribute by local name, whatever its namespace.
pub fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == name)
        .map(|a| a.value())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_follow_based_on_and_names() {
        let xml = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
          <w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:rPr><w:b/></w:rPr></w:style>
          <w:style w:type="paragraph" w:styleId="Sub"><w:name w:val="报道小标题"/><w:basedOn w:val="2"/></w:style>
          <w:style w:type="paragraph" w:styleId="T"><w:name w:val="Title"/></w:style>
          <w:style w:type="character" w:styleId="S"><w:name w:val="Strong"/></w:style>
        </w:styles>"#;
        let doc = Document::parse(xml).unwrap();
        let styles = Styles::read(&doc);
        assert_eq!(
            styles.paragraph(Some("Sub")),
            Style {
                kind: Kind::Heading(2),
                bold: true
            }
        );
        assert_eq!(styles.paragraph(Some("T")).kind, Kind::Title);
        assert_eq!(styles.paragraph(Some("Heading3")).kind, Kind::Heading(3));
        assert!(styles.character_bold("S"));
        assert_eq!(styles.paragraph(None), Style::default());
    }
}
