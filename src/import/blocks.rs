//! The common form every input format is read into: a stream of blocks,
//! each a line or paragraph with what its format said about it.
//!
//! Plain text says little (blank lines, indentation, list markers);
//! Markdown and Word say more (heading levels, bold, pictures, tables).
//! Recognition works on blocks only, so the rules are written once.

/// One line or paragraph of the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// What the format marked it as.
    pub kind: Kind,
    /// Its text, markup removed, not yet normalised.
    pub text: String,
    /// 1-based line (text, Markdown) or paragraph (Word) it starts at.
    pub line: usize,
    /// Blank lines before it: extraction from print leaves wide gaps
    /// where a photo stood.
    pub gap: usize,
    /// Text of a bold run that opens the block (a data-box row's label).
    pub lead_bold: Option<String>,
    /// The whole block is bold (a subhead set as a bold line).
    pub all_bold: bool,
}

impl Block {
    /// A block of a kind with plain text.
    pub fn new(kind: Kind, text: impl Into<String>, line: usize) -> Self {
        Self {
            kind,
            text: text.into(),
            line,
            gap: 0,
            lead_bold: None,
            all_bold: false,
        }
    }

    /// Whether the format itself says this is a heading.
    pub fn is_heading(&self) -> bool {
        matches!(self.kind, Kind::Heading(_) | Kind::Title | Kind::Subtitle)
    }
}

/// What the format says a block is.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A line or paragraph with no markup.
    Plain,
    /// A heading of a level (Markdown `#`, Word "Heading N").
    Heading(u8),
    /// Word's "Title" style.
    Title,
    /// Word's "Subtitle" style.
    Subtitle,
    /// A list item (marker removed).
    Item,
    /// A block quote (Markdown `>`, Word "Quote").
    Quote,
    /// Word's "Caption" style.
    Caption,
    /// A picture.
    Image(ImageRef),
    /// A table row's cells.
    Row(Vec<String>),
}

/// A picture in the input.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageRef {
    /// Its path relative to the output report, or empty when there is no
    /// file to point at (a web address, an unsupported format).
    pub path: String,
    /// Its description (Markdown's alt text, Word's picture description).
    pub alt: String,
    /// Why `path` is empty, for the editor.
    pub missing: Option<String>,
}
