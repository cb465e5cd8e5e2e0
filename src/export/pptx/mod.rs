//! Editable PowerPoint (PPTX) export of the briefing deck.
//!
//! Typst lays the deck out; this module only serialises elements that are
//! already positioned into an Office Open XML PresentationML package: one
//! slide master with two layouts ("Title Slide" and "Blank", which every
//! slide uses), a theme built from the deck's colours and faces, a notes
//! master with its own theme, and one notes slide per slide that has notes.
//!
//! The output is byte-deterministic: parts are written in a fixed order with
//! a fixed timestamp, identical images share one media part, and no ids are
//! random.

mod check;
mod eot;
mod fonts;
mod package;
mod parts;
mod shapes;

use std::fmt;

use zip::result::ZipError;

use check::*;
use fonts::*;
use package::*;
use parts::*;
use shapes::*;

/// A deck ready to be written. Lengths are in points (1/72 in).
#[derive(Debug, Clone, PartialEq)]
pub struct Deck {
    /// Document title (`dc:title` in `docProps/core.xml`).
    pub title: String,
    /// Document author (`dc:creator` and `cp:lastModifiedBy`).
    pub author: String,
    /// Slide width in points: 960 for a 13.333 in wide 16:9 slide.
    pub width: f64,
    /// Slide height in points: 540 for a 7.5 in high 16:9 slide.
    pub height: f64,
    /// Colours and faces of the slide master, layouts and notes.
    pub theme: Theme,
    /// The slides, in order.
    pub slides: Vec<Slide>,
    /// W3CDTF date-time such as `2026-03-05T00:00:00Z` written as both
    /// `dcterms:created` and `dcterms:modified`; `None` omits both dates.
    pub modified: Option<String>,
    /// Font files of the faces the text is set in, embedded as subsets so
    /// that the deck looks the same where the faces are not installed.
    pub fonts: Vec<FontFile>,
}

/// A font file of a face the deck's text names, to embed.
#[derive(Debug, Clone, PartialEq)]
pub struct FontFile {
    /// The family name the runs give, such as "Noto Serif CJK SC".
    pub family: String,
    /// Whether this is the family's bold face (runs with `bold`).
    pub bold: bool,
    /// The font file (OpenType, CFF or TrueType outlines, or a collection).
    pub data: typst::foundations::Bytes,
    /// The face's index in a collection, 0 otherwise.
    pub index: u32,
}

/// The deck's theme, written as `ppt/theme/theme1.xml` (and a copy for the
/// notes master).
///
/// Colour scheme: `dk1` ink, `lt1` paper, `dk2` grey, `lt2` tint, `accent1`
/// accent, `accent2` ink, `accent3` grey, `accent4` tint, `accent5` accent
/// mixed half-way to ink, `accent6` grey mixed half-way to paper, `hlink`
/// accent, `folHlink` grey.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Name of the theme and of its colour, font and format schemes.
    pub name: String,
    /// Latin heading face of the font scheme (`+mj-lt`).
    pub major_latin: String,
    /// East Asian heading face, e.g. "Noto Sans CJK SC" (`+mj-ea`).
    pub major_ea: String,
    /// Latin body face of the font scheme (`+mn-lt`).
    pub minor_latin: String,
    /// East Asian body face, e.g. "Noto Serif CJK SC" (`+mn-ea`).
    pub minor_ea: String,
    /// Accent colour (`accent1`).
    pub accent: Rgb,
    /// Text colour (`dk1`).
    pub ink: Rgb,
    /// Background colour (`lt1`); slides show it as their background.
    pub paper: Rgb,
    /// Light tint (`lt2`).
    pub tint: Rgb,
    /// Secondary grey (`dk2`).
    pub grey: Rgb,
}

pub use crate::assets::colour::Rgb;

/// One slide: absolutely positioned elements, back to front, and speaker notes.
#[derive(Debug, Clone, PartialEq)]
pub struct Slide {
    /// Slide title, listed in `docProps/app.xml` and used as the slide's name.
    pub name: String,
    /// Elements in painting order (first is at the back).
    pub elements: Vec<Element>,
    /// Plain-text speaker notes; each line becomes a paragraph. A slide whose
    /// notes are blank gets no notes slide.
    pub notes: String,
}

/// A rectangle in points; `x`, `y` is the top-left corner on the slide.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width, at least 0.
    pub w: f64,
    /// Height, at least 0.
    pub h: f64,
}

/// A positioned element of a slide.
#[derive(Debug, Clone, PartialEq)]
pub enum Element {
    /// A text box.
    Text(TextBox),
    /// A JPEG picture filling `frame`.
    Picture {
        /// Where the (cropped) picture is placed.
        frame: Rect,
        /// The JPEG file's bytes; identical images share one media part.
        jpeg: Vec<u8>,
        /// Pixel width of the image, for checking only (must not be 0).
        px_w: u32,
        /// Pixel height of the image, for checking only (must not be 0).
        px_h: u32,
        /// Alternative text.
        descr: String,
        /// Fractions of the image cut from the left, top, right and bottom
        /// edges, so that the rest fills `frame` without stretching.
        crop: [f64; 4],
    },
    /// A rectangle.
    Shape {
        /// The rectangle.
        frame: Rect,
        /// Fill colour; `None` leaves it unfilled.
        fill: Option<Rgb>,
        /// Outline colour and width in points; `None` draws no outline.
        line: Option<(Rgb, f64)>,
    },
    /// A straight line from (`x1`, `y1`) to (`x2`, `y2`).
    Line {
        /// Start, horizontal.
        x1: f64,
        /// Start, vertical.
        y1: f64,
        /// End, horizontal.
        x2: f64,
        /// End, vertical.
        y2: f64,
        /// Stroke colour.
        color: Rgb,
        /// Stroke width in points.
        width: f64,
    },
}

/// A text box whose text was already fitted by Typst: PowerPoint is told not
/// to shrink or grow it.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    /// The box.
    pub frame: Rect,
    /// Shape name shown in PowerPoint's selection pane; empty gives "TextBox N".
    pub name: String,
    /// Paragraphs; none gives one empty paragraph.
    pub paragraphs: Vec<Para>,
    /// Background colour; `None` leaves the box transparent.
    pub fill: Option<Rgb>,
    /// Vertical placement of the text in the box.
    pub anchor: Anchor,
    /// Inner margin in points on all four sides (0 allowed).
    pub inset: f64,
}

/// Vertical placement of text in its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Text starts at the top.
    Top,
    /// Text is centred vertically.
    Middle,
    /// Text ends at the bottom.
    Bottom,
}

/// A paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    /// Runs of text; a `\n` inside a run's text is a line break.
    pub runs: Vec<Run>,
    /// Horizontal alignment.
    pub align: Align,
    /// Exact distance between baselines in points; `None` is single spacing.
    pub line_spacing: Option<f64>,
    /// Space after the paragraph in points.
    pub space_after: f64,
    /// A bullet before the first line; the lines of the paragraph hang
    /// beside it.
    pub bullet: Option<Bullet>,
}

/// A paragraph's bullet: a character set apart from the text, which every
/// line of the paragraph clears (`a:buChar` with `marL` and a negative
/// `indent`).
#[derive(Debug, Clone, PartialEq)]
pub struct Bullet {
    /// The bullet character, such as `■`.
    pub char: char,
    /// Its size in points (written relative to the first run's size).
    pub size: f64,
    /// Its colour.
    pub color: Rgb,
    /// Its typeface.
    pub face: Face,
    /// Distance from the box's inner left edge to where the text starts, in
    /// points: the bullet sits at the edge, every line at this indent.
    pub indent: f64,
}

/// Horizontal alignment of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
    /// Justified.
    Justify,
}

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The text; `\n` breaks the line.
    pub text: String,
    /// Font size in points.
    pub size: f64,
    /// Bold.
    pub bold: bool,
    /// Text colour.
    pub color: Rgb,
    /// Typeface.
    pub face: Face,
}

/// The typeface of a run. The face is named explicitly in the run's `latin`,
/// `ea` and `cs` slots, because Typst sets Latin letters in the CJK face too;
/// the theme's Latin faces only serve text typed later in PowerPoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Face {
    /// The theme's East Asian heading face (`major_ea`).
    Heading,
    /// The theme's East Asian body face (`minor_ea`).
    Body,
    /// A face named explicitly, such as a Kai face for quotations.
    Kai(String),
}

/// Why a deck could not be written.
#[derive(Debug)]
pub enum PptxError {
    /// The deck holds a value PowerPoint cannot represent (a non-finite or
    /// out-of-range length, a bad crop, an image that is not a JPEG, a
    /// malformed date); the message says where.
    Invalid(String),
    /// Writing the zip archive failed.
    Zip(ZipError),
}

impl fmt::Display for PptxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid(message) => write!(f, "cannot write PPTX: {message}"),
            Self::Zip(err) => write!(f, "cannot write PPTX archive: {err}"),
        }
    }
}

impl std::error::Error for PptxError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Invalid(_) => None,
            Self::Zip(err) => Some(err),
        }
    }
}

impl From<ZipError> for PptxError {
    fn from(err: ZipError) -> Self {
        Self::Zip(err)
    }
}

impl From<std::io::Error> for PptxError {
    fn from(err: std::io::Error) -> Self {
        Self::Zip(ZipError::Io(err))
    }
}

/// Writes `deck` as a PPTX package and returns the file's bytes.
///
/// The same deck always gives the same bytes.
///
/// # Errors
///
/// [`PptxError::Invalid`] when the deck holds a value PowerPoint cannot
/// represent, and [`PptxError::Zip`] if the archive cannot be written.
pub fn write(deck: &Deck) -> Result<Vec<u8>, PptxError> {
    validate(deck)?;
    let faces = embed(deck)?;
    build(deck, faces).into_zip()
}
