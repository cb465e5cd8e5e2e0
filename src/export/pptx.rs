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

use std::collections::HashMap;
use std::fmt;
use std::io::{Cursor, Write as _};

use zip::result::ZipError;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

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

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

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
    build(deck).into_zip()
}

// ---------------------------------------------------------------------------
// Checking the deck
// ---------------------------------------------------------------------------

/// Largest slide side PowerPoint accepts (56 in), and the smallest (1 in).
const MAX_SLIDE_EMU: i64 = 51_206_400;
const MIN_SLIDE_EMU: i64 = 914_400;
/// Largest font size in points (`ST_TextFontSize` is at most 400000).
const MAX_FONT_PT: f64 = 4000.0;
/// Largest spacing or line width in points (`ST_TextSpacingPoint`, `ST_LineWidth`).
const MAX_SPACING_PT: f64 = 1584.0;

fn validate(deck: &Deck) -> Result<(), PptxError> {
    check_slide_size(deck).map_err(PptxError::Invalid)?;
    if let Some(date) = &deck.modified {
        check_w3cdtf(date).map_err(PptxError::Invalid)?;
    }
    for (s, slide) in deck.slides.iter().enumerate() {
        for (e, element) in slide.elements.iter().enumerate() {
            check_element(element).map_err(|message| {
                PptxError::Invalid(format!("slide {}, element {}: {message}", s + 1, e + 1))
            })?;
        }
    }
    Ok(())
}

fn check_slide_size(deck: &Deck) -> Result<(), String> {
    for (what, pt) in [("width", deck.width), ("height", deck.height)] {
        let ok = pt.is_finite() && (MIN_SLIDE_EMU..=MAX_SLIDE_EMU).contains(&emu(pt));
        if !ok {
            return Err(format!("slide {what} {pt} pt is outside 72..=4032 pt"));
        }
    }
    Ok(())
}

/// Accepts `YYYY-MM-DDThh:mm:ss`, optional fractional seconds, then `Z` or
/// `±hh:mm`: the form Office writes and reads back.
fn check_w3cdtf(date: &str) -> Result<(), String> {
    const SHAPE: &[u8] = b"0000-00-00T00:00:00";
    let b = date.as_bytes();
    let digit_or = |i: usize, want: u8| {
        b.get(i).is_some_and(|&c| {
            if want == b'0' {
                c.is_ascii_digit()
            } else {
                c == want
            }
        })
    };
    let mut ok = (0..SHAPE.len()).all(|i| digit_or(i, SHAPE[i]));
    let mut rest = date.get(SHAPE.len()..).unwrap_or("");
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        ok &= digits > 0;
        rest = &fraction[digits..];
    }
    let zone = rest.as_bytes();
    ok &= rest == "Z"
        || (zone.len() == 6
            && matches!(zone[0], b'+' | b'-')
            && zone[3] == b':'
            && [1, 2, 4, 5].iter().all(|&i| zone[i].is_ascii_digit()));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "date {date:?} is not a W3CDTF date-time like 2026-03-05T00:00:00Z"
        ))
    }
}

fn check_element(element: &Element) -> Result<(), String> {
    match element {
        Element::Text(text) => {
            check_rect(&text.frame)?;
            check_range("inset", text.inset, 0.0, MAX_SPACING_PT)?;
            text.paragraphs.iter().try_for_each(check_para)
        }
        Element::Picture {
            frame,
            jpeg,
            px_w,
            px_h,
            crop,
            ..
        } => {
            check_rect(frame)?;
            if !jpeg.starts_with(&[0xFF, 0xD8, 0xFF]) {
                return Err("picture is not a JPEG file".into());
            }
            if *px_w == 0 || *px_h == 0 {
                return Err("picture has no pixels".into());
            }
            check_crop(crop)
        }
        Element::Shape { frame, line, .. } => {
            check_rect(frame)?;
            line.map_or(Ok(()), |(_, width)| {
                check_range("line width", width, 0.0, MAX_SPACING_PT)
            })
        }
        Element::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            ..
        } => {
            for (what, v) in [("x1", x1), ("y1", y1), ("x2", x2), ("y2", y2)] {
                check_finite(what, *v)?;
            }
            check_range("line width", *width, 0.0, MAX_SPACING_PT)
        }
    }
}

fn check_para(para: &Para) -> Result<(), String> {
    if let Some(spacing) = para.line_spacing {
        check_range("line spacing", spacing, 0.01, MAX_SPACING_PT)?;
    }
    check_range("space after", para.space_after, 0.0, MAX_SPACING_PT)?;
    para.runs
        .iter()
        .try_for_each(|run| check_range("font size", run.size, 1.0, MAX_FONT_PT))
}

fn check_rect(rect: &Rect) -> Result<(), String> {
    check_finite("x", rect.x)?;
    check_finite("y", rect.y)?;
    check_range("width", rect.w, 0.0, f64::MAX)?;
    check_range("height", rect.h, 0.0, f64::MAX)
}

fn check_crop(crop: &[f64; 4]) -> Result<(), String> {
    for (side, fraction) in ["left", "top", "right", "bottom"].iter().zip(crop) {
        check_range(&format!("{side} crop"), *fraction, 0.0, 1.0)?;
    }
    let [l, t, r, b] = *crop;
    if l + r >= 1.0 || t + b >= 1.0 {
        return Err(format!("crop {crop:?} leaves nothing of the picture"));
    }
    Ok(())
}

fn check_finite(what: &str, v: f64) -> Result<(), String> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(format!("{what} is {v}"))
    }
}

fn check_range(what: &str, v: f64, min: f64, max: f64) -> Result<(), String> {
    if (min..=max).contains(&v) {
        Ok(())
    } else {
        Err(format!("{what} {v} is outside {min}..={max}"))
    }
}

// ---------------------------------------------------------------------------
// The package: parts, relationships, content types, zip
// ---------------------------------------------------------------------------

const CONTENT_TYPES: &str = "[Content_Types].xml";
const CORE: &str = "docProps/core.xml";
const APP: &str = "docProps/app.xml";
const PRESENTATION: &str = "ppt/presentation.xml";
const PRES_PROPS: &str = "ppt/presProps.xml";
const VIEW_PROPS: &str = "ppt/viewProps.xml";
const TABLE_STYLES: &str = "ppt/tableStyles.xml";
const THEME: &str = "ppt/theme/theme1.xml";
const NOTES_THEME: &str = "ppt/theme/theme2.xml";
const MASTER: &str = "ppt/slideMasters/slideMaster1.xml";
const NOTES_MASTER: &str = "ppt/notesMasters/notesMaster1.xml";

const CT_PML: &str = "application/vnd.openxmlformats-officedocument.presentationml";
const CT_THEME: &str = "application/vnd.openxmlformats-officedocument.theme+xml";
const CT_CORE: &str = "application/vnd.openxmlformats-package.core-properties+xml";
const CT_APP: &str = "application/vnd.openxmlformats-officedocument.extended-properties+xml";
const CT_RELS: &str = "application/vnd.openxmlformats-package.relationships+xml";

const REL_OFFICE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_CORE: &str =
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties";

/// Namespaces of PresentationML parts.
const PML_NS: &str = concat!(
    r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main""#
);
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";

/// The layouts of the slide master, as (name, type); slides use the last.
const LAYOUTS: [(&str, &str); 2] = [("Title Slide", "title"), ("Blank", "blank")];
const BLANK_LAYOUT: usize = LAYOUTS.len();

fn slide_part(n: usize) -> String {
    format!("ppt/slides/slide{n}.xml")
}

fn notes_part(n: usize) -> String {
    format!("ppt/notesSlides/notesSlide{n}.xml")
}

fn layout_part(n: usize) -> String {
    format!("ppt/slideLayouts/slideLayout{n}.xml")
}

fn media_part(n: usize) -> String {
    format!("ppt/media/image{n}.jpeg")
}

/// A PresentationML content type, such as `slide` for
/// `application/vnd.openxmlformats-officedocument.presentationml.slide+xml`.
fn pml(kind: &str) -> String {
    format!("{CT_PML}.{kind}+xml")
}

/// A relationship type in the officeDocument namespace, such as `slide`.
fn rel(kind: &str) -> String {
    format!("{REL_OFFICE}/{kind}")
}

struct Part {
    name: String,
    /// `None` for parts typed by a `Default` (relationships and JPEGs).
    content_type: Option<String>,
    data: Vec<u8>,
    compressed: bool,
}

/// Parts in the order they are zipped.
#[derive(Default)]
struct Package {
    parts: Vec<Part>,
}

impl Package {
    fn xml(&mut self, name: impl Into<String>, content_type: impl Into<String>, body: &str) {
        self.push(name.into(), Some(content_type.into()), xml_part(body));
    }

    fn rels(&mut self, source: &str, rels: &Rels) {
        self.push(rels_part(source), None, xml_part(&rels.xml(source)));
    }

    fn media(&mut self, name: String, data: &[u8]) {
        self.parts.push(Part {
            name,
            content_type: None,
            data: data.to_vec(),
            compressed: false,
        });
    }

    fn push(&mut self, name: String, content_type: Option<String>, data: Vec<u8>) {
        self.parts.push(Part {
            name,
            content_type,
            data,
            compressed: true,
        });
    }

    fn content_types(&self) -> String {
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
        format!(
            r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="{CT_RELS}"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="jpeg" ContentType="image/jpeg"/>{overrides}</Types>"#
        )
    }

    fn into_zip(self) -> Result<Vec<u8>, PptxError> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let content_types = xml_part(&self.content_types());
        add_entry(&mut zip, CONTENT_TYPES, &content_types, true)?;
        for part in &self.parts {
            add_entry(&mut zip, &part.name, &part.data, part.compressed)?;
        }
        Ok(zip.finish()?.into_inner())
    }
}

fn add_entry(
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

fn xml_part(body: &str) -> Vec<u8> {
    format!("{XML_DECL}{body}").into_bytes()
}

/// The relationships of one part, numbered `rId1`, `rId2`, … in order.
#[derive(Default)]
struct Rels(Vec<(String, String)>);

impl Rels {
    /// Adds a relationship to the part named `target` and returns its id.
    fn add(&mut self, kind: impl Into<String>, target: impl Into<String>) -> String {
        self.0.push((kind.into(), target.into()));
        format!("rId{}", self.0.len())
    }

    fn xml(&self, source: &str) -> String {
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
fn rels_part(source: &str) -> String {
    match source.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{source}.rels"),
    }
}

/// The path of part `target` relative to the folder of part `source`.
fn relative(source: &str, target: &str) -> String {
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
struct Media<'a> {
    files: Vec<&'a [u8]>,
    index: HashMap<&'a [u8], usize>,
}

impl<'a> Media<'a> {
    /// The 1-based number of the media part holding `jpeg`.
    fn intern(&mut self, jpeg: &'a [u8]) -> usize {
        *self.index.entry(jpeg).or_insert_with(|| {
            self.files.push(jpeg);
            self.files.len()
        })
    }
}

// ---------------------------------------------------------------------------
// Assembling the parts
// ---------------------------------------------------------------------------

/// Slide size in EMU.
#[derive(Clone, Copy)]
struct Size {
    cx: i64,
    cy: i64,
}

/// The notes page: 7.5 × 10 in portrait.
const NOTES_SIZE: Size = Size {
    cx: 6_858_000,
    cy: 9_144_000,
};

fn build(deck: &Deck) -> Package {
    let size = Size {
        cx: emu(deck.width),
        cy: emu(deck.height),
    };
    let mut pkg = Package::default();

    let mut root = Rels::default();
    root.add(rel("officeDocument"), PRESENTATION);
    root.add(REL_CORE, CORE);
    root.add(rel("extended-properties"), APP);
    pkg.rels("", &root);
    pkg.xml(CORE, CT_CORE, &core_xml(deck));
    pkg.xml(APP, CT_APP, &app_xml(deck, size));

    add_presentation(&mut pkg, deck, size);
    pkg.xml(PRES_PROPS, pml("presProps"), PRES_PROPS_XML);
    pkg.xml(VIEW_PROPS, pml("viewProps"), VIEW_PROPS_XML);
    pkg.xml(TABLE_STYLES, pml("tableStyles"), TABLE_STYLES_XML);
    pkg.xml(THEME, CT_THEME, &theme_xml(&deck.theme));
    pkg.xml(NOTES_THEME, CT_THEME, &theme_xml(&deck.theme));
    add_master(&mut pkg, size);
    add_notes_master(&mut pkg, size);

    let mut media = Media::default();
    for (i, slide) in deck.slides.iter().enumerate() {
        add_slide(&mut pkg, &mut media, &deck.theme, slide, i + 1);
    }
    for (i, jpeg) in media.files.iter().enumerate() {
        pkg.media(media_part(i + 1), jpeg);
    }
    pkg
}

fn has_notes(slide: &Slide) -> bool {
    !slide.notes.trim().is_empty()
}

fn core_xml(deck: &Deck) -> String {
    let dates = deck.modified.as_deref().map_or_else(String::new, |date| {
        let date = esc(date);
        format!(
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified>"#
        )
    });
    let title = esc(&deck.title);
    let author = esc(&deck.author);
    format!(
        r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:revision>1</cp:revision>{dates}</cp:coreProperties>"#
    )
}

fn app_xml(deck: &Deck, size: Size) -> String {
    let fonts = fonts_used(deck);
    let slide_titles: Vec<String> = deck
        .slides
        .iter()
        .enumerate()
        .map(|(i, slide)| match slide.name.trim() {
            "" => format!("Slide {}", i + 1),
            name => name.to_string(),
        })
        .collect();
    let groups = [
        ("Fonts Used", fonts),
        ("Theme", vec![deck.theme.name.clone()]),
        ("Slide Titles", slide_titles),
    ];
    let groups: Vec<_> = groups.iter().filter(|(_, t)| !t.is_empty()).collect();
    let pairs: String = groups
        .iter()
        .map(|(heading, titles)| {
            format!(
                "<vt:variant><vt:lpstr>{heading}</vt:lpstr></vt:variant><vt:variant><vt:i4>{}</vt:i4></vt:variant>",
                titles.len()
            )
        })
        .collect();
    let titles: Vec<&String> = groups.iter().flat_map(|(_, t)| t).collect();
    let title_xml: String = titles
        .iter()
        .map(|t| format!("<vt:lpstr>{}</vt:lpstr>", esc(t)))
        .collect();
    let format = if (size.cx, size.cy) == (12_192_000, 6_858_000) {
        "Widescreen"
    } else {
        "Custom"
    };
    let notes = deck.slides.iter().filter(|s| has_notes(s)).count();
    format!(
        r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><TotalTime>0</TotalTime><Application>banmian</Application><PresentationFormat>{format}</PresentationFormat><Slides>{slides}</Slides><Notes>{notes}</Notes><HiddenSlides>0</HiddenSlides><MMClips>0</MMClips><ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="{pair_count}" baseType="variant">{pairs}</vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="{title_count}" baseType="lpstr">{title_xml}</vt:vector></TitlesOfParts><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"#,
        slides = deck.slides.len(),
        pair_count = groups.len() * 2,
        title_count = titles.len(),
    )
}

/// Faces named by the deck's runs, in order of first use.
fn fonts_used(deck: &Deck) -> Vec<String> {
    let mut fonts: Vec<String> = Vec::new();
    let runs = deck
        .slides
        .iter()
        .flat_map(|slide| &slide.elements)
        .filter_map(|element| match element {
            Element::Text(text) => Some(&text.paragraphs),
            _ => None,
        })
        .flatten()
        .flat_map(|para| &para.runs);
    for run in runs {
        let face = run.face.name(&deck.theme);
        if !fonts.iter().any(|f| f == face) {
            fonts.push(face.to_string());
        }
    }
    fonts
}

fn add_presentation(pkg: &mut Package, deck: &Deck, size: Size) {
    let mut rels = Rels::default();
    let master = rels.add(rel("slideMaster"), MASTER);
    let notes_master = rels.add(rel("notesMaster"), NOTES_MASTER);
    let slide_ids: String = (1..=deck.slides.len())
        .map(|n| {
            let rid = rels.add(rel("slide"), slide_part(n));
            format!(r#"<p:sldId id="{}" r:id="{rid}"/>"#, 255 + n)
        })
        .collect();
    rels.add(rel("presProps"), PRES_PROPS);
    rels.add(rel("viewProps"), VIEW_PROPS);
    rels.add(rel("theme"), THEME);
    rels.add(rel("tableStyles"), TABLE_STYLES);

    let slide_list = if slide_ids.is_empty() {
        String::new()
    } else {
        format!("<p:sldIdLst>{slide_ids}</p:sldIdLst>")
    };
    let xml = format!(
        r#"<p:presentation {PML_NS} saveSubsetFonts="1"><p:sldMasterIdLst><p:sldMasterId id="{MASTER_ID}" r:id="{master}"/></p:sldMasterIdLst><p:notesMasterIdLst><p:notesMasterId r:id="{notes_master}"/></p:notesMasterIdLst>{slide_list}<p:sldSz cx="{}" cy="{}"/><p:notesSz cx="{}" cy="{}"/><p:defaultTextStyle>{DEF_PPR}{}</p:defaultTextStyle></p:presentation>"#,
        size.cx,
        size.cy,
        NOTES_SIZE.cx,
        NOTES_SIZE.cy,
        levels(9, 1800, "mn"),
    );
    pkg.xml(PRESENTATION, pml("presentation.main"), &xml);
    pkg.rels(PRESENTATION, &rels);
}

/// Id of the slide master; layout ids follow it (both must be at least 2^31
/// and unique together).
const MASTER_ID: u32 = 2_147_483_648;

const PRES_PROPS_XML: &str = concat!(
    r#"<p:presentationPr xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>"#
);

const VIEW_PROPS_XML: &str = concat!(
    r#"<p:viewPr xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">"#,
    r#"<p:normalViewPr><p:restoredLeft sz="15620"/><p:restoredTop sz="94660"/></p:normalViewPr>"#,
    r#"<p:slideViewPr><p:cSldViewPr snapToGrid="0"><p:cViewPr varScale="1"><p:scale>"#,
    r#"<a:sx n="100" d="100"/><a:sy n="100" d="100"/></p:scale><p:origin x="0" y="0"/>"#,
    r#"</p:cViewPr><p:guideLst/></p:cSldViewPr></p:slideViewPr>"#,
    r#"<p:notesTextViewPr><p:cViewPr><p:scale><a:sx n="1" d="1"/><a:sy n="1" d="1"/></p:scale>"#,
    r#"<p:origin x="0" y="0"/></p:cViewPr></p:notesTextViewPr>"#,
    r#"<p:gridSpacing cx="72008" cy="72008"/></p:viewPr>"#
);

/// No table styles, with PowerPoint's "Medium Style 2 - Accent 1" as default.
const TABLE_STYLES_XML: &str = concat!(
    r#"<a:tblStyleLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
    r#"def="{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"/>"#
);

fn theme_xml(theme: &Theme) -> String {
    let slots = [
        ("dk1", theme.ink),
        ("lt1", theme.paper),
        ("dk2", theme.grey),
        ("lt2", theme.tint),
        ("accent1", theme.accent),
        ("accent2", theme.ink),
        ("accent3", theme.grey),
        ("accent4", theme.tint),
        ("accent5", theme.accent.mix(theme.ink, 0.5)),
        ("accent6", theme.grey.mix(theme.paper, 0.5)),
        ("hlink", theme.accent),
        ("folHlink", theme.grey),
    ];
    let colors: String = slots
        .iter()
        .map(|(slot, color)| format!(r#"<a:{slot}><a:srgbClr val="{}"/></a:{slot}>"#, color.hex()))
        .collect();
    let name = esc(&theme.name);
    let major = font_collection("majorFont", &theme.major_latin, &theme.major_ea);
    let minor = font_collection("minorFont", &theme.minor_latin, &theme.minor_ea);
    let fill = r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#;
    let fills = fill.repeat(3);
    let lines: String = [6350, 12700, 19050]
        .iter()
        .map(|w| {
            format!(
                r#"<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr">{fill}<a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>"#
            )
        })
        .collect();
    let effects = "<a:effectStyle><a:effectLst/></a:effectStyle>".repeat(3);
    format!(
        r#"<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="{name}"><a:themeElements><a:clrScheme name="{name}">{colors}</a:clrScheme><a:fontScheme name="{name}">{major}{minor}</a:fontScheme><a:fmtScheme name="{name}"><a:fillStyleLst>{fills}</a:fillStyleLst><a:lnStyleLst>{lines}</a:lnStyleLst><a:effectStyleLst>{effects}</a:effectStyleLst><a:bgFillStyleLst>{fills}</a:bgFillStyleLst></a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"#
    )
}

fn font_collection(tag: &str, latin: &str, ea: &str) -> String {
    let (latin, ea) = (esc(latin), esc(ea));
    format!(
        r#"<a:{tag}><a:latin typeface="{latin}"/><a:ea typeface="{ea}"/><a:cs typeface=""/><a:font script="Hans" typeface="{ea}"/></a:{tag}>"#
    )
}

/// Default paragraph properties of every text style.
const DEF_PPR: &str = r#"<a:defPPr><a:defRPr lang="zh-CN"/></a:defPPr>"#;

/// Level 1 to `count` paragraph styles: `size` in hundredths of a point and
/// theme fonts of `role` (`mj` heading, `mn` body).
fn levels(count: u32, size: u32, role: &str) -> String {
    (1..=count)
        .map(|level| {
            format!(
                r#"<a:lvl{level}pPr marL="{}" algn="l" defTabSz="914400" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1"><a:defRPr sz="{size}" kern="1200"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill><a:latin typeface="+{role}-lt"/><a:ea typeface="+{role}-ea"/><a:cs typeface="+{role}-cs"/></a:defRPr></a:lvl{level}pPr>"#,
                (level - 1) * 457_200
            )
        })
        .collect()
}

const CLR_MAP: &str = r#"<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>"#;
const CLR_MAP_OVR: &str = "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr>";
/// Background of the masters: the theme's paper colour.
const BACKGROUND: &str = r#"<p:bg><p:bgPr><a:solidFill><a:schemeClr val="bg1"/></a:solidFill><a:effectLst/></p:bgPr></p:bg>"#;
/// The non-visual group every shape tree opens with.
const TREE_ROOT: &str = r#"<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>"#;

fn add_master(pkg: &mut Package, size: Size) {
    let mut rels = Rels::default();
    let layout_ids: String = (1..=LAYOUTS.len())
        .map(|n| {
            let rid = rels.add(rel("slideLayout"), layout_part(n));
            format!(
                r#"<p:sldLayoutId id="{}" r:id="{rid}"/>"#,
                MASTER_ID as usize + n
            )
        })
        .collect();
    rels.add(rel("theme"), THEME);

    let title = Placeholder {
        id: 2,
        name: "Title Placeholder 1",
        ph: r#"type="title""#,
        frame: Some(size.part(0.0688, 0.0532, 0.8625, 0.1933)),
        text: Some(plain_para("单击此处编辑母版标题样式")),
    };
    let body = Placeholder {
        id: 3,
        name: "Text Placeholder 2",
        ph: r#"type="body" idx="1""#,
        frame: Some(size.part(0.0688, 0.2662, 0.8625, 0.6345)),
        text: Some(plain_para("单击此处编辑母版文本样式")),
    };
    let xml = format!(
        r#"<p:sldMaster {PML_NS}><p:cSld>{BACKGROUND}<p:spTree>{TREE_ROOT}{}{}</p:spTree></p:cSld>{CLR_MAP}<p:sldLayoutIdLst>{layout_ids}</p:sldLayoutIdLst><p:txStyles><p:titleStyle>{}</p:titleStyle><p:bodyStyle>{}</p:bodyStyle><p:otherStyle>{DEF_PPR}{}</p:otherStyle></p:txStyles></p:sldMaster>"#,
        title.xml(),
        body.xml(),
        levels(1, 4400, "mj"),
        levels(9, 2800, "mn"),
        levels(9, 1800, "mn"),
    );
    pkg.xml(MASTER, pml("slideMaster"), &xml);
    pkg.rels(MASTER, &rels);

    for (i, (name, kind)) in LAYOUTS.iter().enumerate() {
        let shapes = if *kind == "title" {
            title_layout_shapes(size)
        } else {
            String::new()
        };
        let xml = format!(
            r#"<p:sldLayout {PML_NS} type="{kind}" preserve="1"><p:cSld name="{name}"><p:spTree>{TREE_ROOT}{shapes}</p:spTree></p:cSld>{CLR_MAP_OVR}</p:sldLayout>"#
        );
        let part = layout_part(i + 1);
        let mut rels = Rels::default();
        rels.add(rel("slideMaster"), MASTER);
        pkg.xml(part.as_str(), pml("slideLayout"), &xml);
        pkg.rels(&part, &rels);
    }
}

fn title_layout_shapes(size: Size) -> String {
    let title = Placeholder {
        id: 2,
        name: "Title 1",
        ph: r#"type="ctrTitle""#,
        frame: Some(size.part(0.125, 0.1637, 0.75, 0.3481)),
        text: Some(plain_para("单击此处编辑母版标题样式")),
    };
    let subtitle = Placeholder {
        id: 3,
        name: "Subtitle 2",
        ph: r#"type="subTitle" idx="1""#,
        frame: Some(size.part(0.125, 0.5252, 0.75, 0.2414)),
        text: Some(plain_para("单击此处编辑母版副标题样式")),
    };
    title.xml() + &subtitle.xml()
}

fn add_notes_master(pkg: &mut Package, slide: Size) {
    // The slide image fits a 6 × 3.75 in box 0.75 in from the top, centred.
    let (box_w, box_h) = (5_486_400.0, 3_429_000.0);
    let scale = f64::min(box_w / slide.cx as f64, box_h / slide.cy as f64);
    let (w, h) = (slide.cx as f64 * scale, slide.cy as f64 * scale);
    let image = Placeholder {
        id: 2,
        name: "Slide Image Placeholder 1",
        ph: r#"type="sldImg" idx="2""#,
        frame: Some(Frame {
            x: ((NOTES_SIZE.cx as f64 - w) / 2.0).round() as i64,
            y: (685_800.0 + (box_h - h) / 2.0).round() as i64,
            cx: w.round() as i64,
            cy: h.round() as i64,
        }),
        text: None,
    };
    let body = Placeholder {
        id: 3,
        name: "Notes Placeholder 2",
        ph: r#"type="body" sz="quarter" idx="3""#,
        frame: Some(NOTES_SIZE.part(0.1, 0.4812, 0.8, 0.3938)),
        text: Some(plain_para("单击此处编辑母版文本样式")),
    };
    let xml = format!(
        r#"<p:notesMaster {PML_NS}><p:cSld>{BACKGROUND}<p:spTree>{TREE_ROOT}{}{}</p:spTree></p:cSld>{CLR_MAP}<p:notesStyle>{}</p:notesStyle></p:notesMaster>"#,
        image.xml(),
        body.xml(),
        levels(9, 1200, "mn"),
    );
    let mut rels = Rels::default();
    rels.add(rel("theme"), NOTES_THEME);
    pkg.xml(NOTES_MASTER, pml("notesMaster"), &xml);
    pkg.rels(NOTES_MASTER, &rels);
}

fn add_slide<'a>(
    pkg: &mut Package,
    media: &mut Media<'a>,
    theme: &Theme,
    slide: &'a Slide,
    n: usize,
) {
    let part = slide_part(n);
    let mut rels = Rels::default();
    rels.add(rel("slideLayout"), layout_part(BLANK_LAYOUT));
    // One relationship per distinct image, in order of first use.
    let mut image_rids: Vec<(usize, String)> = Vec::new();
    let picture_rids: Vec<String> = slide
        .elements
        .iter()
        .filter_map(|element| match element {
            Element::Picture { jpeg, .. } => Some(media.intern(jpeg)),
            _ => None,
        })
        .map(|image| {
            if let Some((_, rid)) = image_rids.iter().find(|(i, _)| *i == image) {
                return rid.clone();
            }
            let rid = rels.add(rel("image"), media_part(image));
            image_rids.push((image, rid.clone()));
            rid
        })
        .collect();
    let notes = has_notes(slide).then(|| {
        rels.add(rel("notesSlide"), notes_part(n));
        notes_part(n)
    });

    pkg.xml(
        part.as_str(),
        pml("slide"),
        &slide_xml(slide, theme, &picture_rids),
    );
    pkg.rels(&part, &rels);
    if let Some(notes) = notes {
        let mut rels = Rels::default();
        rels.add(rel("notesMaster"), NOTES_MASTER);
        rels.add(rel("slide"), part);
        pkg.xml(notes.as_str(), pml("notesSlide"), &notes_xml(&slide.notes));
        pkg.rels(&notes, &rels);
    }
}

/// The slide's XML; `picture_rids` holds the image relationship of each
/// picture element in order.
fn slide_xml(slide: &Slide, theme: &Theme, picture_rids: &[String]) -> String {
    let mut pictures = picture_rids.iter();
    let shapes: String = slide
        .elements
        .iter()
        .zip(2..)
        .map(|(element, id)| match element {
            Element::Text(text) => text_box_xml(id, text, theme),
            Element::Picture {
                frame, descr, crop, ..
            } => {
                let rid = pictures.next().expect("one relationship per picture");
                picture_xml(id, rid, frame, descr, crop)
            }
            Element::Shape { frame, fill, line } => rect_xml(id, frame, *fill, *line),
            Element::Line {
                x1,
                y1,
                x2,
                y2,
                color,
                width,
            } => line_xml(id, [*x1, *y1, *x2, *y2], *color, *width),
        })
        .collect();
    let name = match slide.name.trim() {
        "" => String::new(),
        name => format!(r#" name="{}""#, esc(name)),
    };
    format!(
        r#"<p:sld {PML_NS}><p:cSld{name}><p:spTree>{TREE_ROOT}{shapes}</p:spTree></p:cSld>{CLR_MAP_OVR}</p:sld>"#
    )
}

fn notes_xml(notes: &str) -> String {
    let image = Placeholder {
        id: 2,
        name: "Slide Image Placeholder 1",
        ph: r#"type="sldImg""#,
        frame: None,
        text: None,
    };
    let body = Placeholder {
        id: 3,
        name: "Notes Placeholder 2",
        ph: r#"type="body" idx="1""#,
        frame: None,
        text: Some(notes.trim().lines().map(plain_para).collect()),
    };
    format!(
        r#"<p:notes {PML_NS}><p:cSld><p:spTree>{TREE_ROOT}{}{}</p:spTree></p:cSld>{CLR_MAP_OVR}</p:notes>"#,
        image.xml(),
        body.xml()
    )
}

// ---------------------------------------------------------------------------
// DrawingML shapes
// ---------------------------------------------------------------------------

const EMU_PER_PT: f64 = 12_700.0;

/// Language attributes of every run: Chinese text, English as the alternative.
const LANG: &str = r#"lang="zh-CN" altLang="en-US" dirty="0""#;

/// Points to EMU, rounded.
fn emu(pt: f64) -> i64 {
    (pt * EMU_PER_PT).round() as i64
}

/// Hundredths of a point, as font sizes and spacings are given.
fn hundredths(pt: f64) -> i64 {
    (pt * 100.0).round() as i64
}

/// A rectangle in EMU.
#[derive(Clone, Copy)]
struct Frame {
    x: i64,
    y: i64,
    cx: i64,
    cy: i64,
}

impl Frame {
    /// Rounds the edges (not the size), so that boxes that touch in points
    /// still touch in EMU.
    fn from_pt(x: f64, y: f64, w: f64, h: f64) -> Self {
        let (left, top) = (emu(x), emu(y));
        Frame {
            x: left,
            y: top,
            cx: emu(x + w) - left,
            cy: emu(y + h) - top,
        }
    }

    fn of(rect: &Rect) -> Self {
        Frame::from_pt(rect.x, rect.y, rect.w, rect.h)
    }

    /// `<a:xfrm>` with optional `flipH`/`flipV` attributes.
    fn xfrm(self, flip: &str) -> String {
        let Frame { x, y, cx, cy } = self;
        format!(r#"<a:xfrm{flip}><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>"#)
    }
}

impl Size {
    /// The part of the page at fractions `fx`, `fy` of its size, `fw` × `fh` large.
    fn part(self, fx: f64, fy: f64, fw: f64, fh: f64) -> Frame {
        let (w, h) = (self.cx as f64, self.cy as f64);
        Frame {
            x: (w * fx).round() as i64,
            y: (h * fy).round() as i64,
            cx: (w * fw).round() as i64,
            cy: (h * fh).round() as i64,
        }
    }
}

impl Rgb {
    fn hex(self) -> String {
        format!("{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }

    /// This colour moved the fraction `t` of the way towards `other`.
    fn mix(self, other: Rgb, t: f64) -> Rgb {
        let channel =
            |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb(
            channel(self.0, other.0),
            channel(self.1, other.1),
            channel(self.2, other.2),
        )
    }
}

impl Face {
    fn name<'a>(&'a self, theme: &'a Theme) -> &'a str {
        match self {
            Face::Heading => &theme.major_ea,
            Face::Body => &theme.minor_ea,
            Face::Kai(name) => name,
        }
    }
}

impl Align {
    fn code(self) -> &'static str {
        match self {
            Align::Left => "l",
            Align::Center => "ctr",
            Align::Right => "r",
            Align::Justify => "just",
        }
    }
}

impl Anchor {
    fn code(self) -> &'static str {
        match self {
            Anchor::Top => "t",
            Anchor::Middle => "ctr",
            Anchor::Bottom => "b",
        }
    }
}

fn solid_fill(color: Rgb) -> String {
    format!(
        r#"<a:solidFill><a:srgbClr val="{}"/></a:solidFill>"#,
        color.hex()
    )
}

fn fill(color: Option<Rgb>) -> String {
    color.map_or_else(|| "<a:noFill/>".to_string(), solid_fill)
}

fn outline(line: Option<(Rgb, f64)>) -> String {
    match line {
        Some((color, width)) => format!(r#"<a:ln w="{}">{}</a:ln>"#, emu(width), solid_fill(color)),
        None => "<a:ln><a:noFill/></a:ln>".to_string(),
    }
}

/// `<p:spPr>` with a transform, a preset geometry and fill/outline properties.
fn sp_pr(xfrm: &str, geometry: &str, paint: &str) -> String {
    format!(
        r#"<p:spPr>{xfrm}<a:prstGeom prst="{geometry}"><a:avLst/></a:prstGeom>{paint}</p:spPr>"#
    )
}

/// `<p:cNvPr>`: `name`, or "`kind` `id`" when `name` is blank.
fn c_nv_pr(id: u32, name: &str, kind: &str, extra: &str) -> String {
    let name = match name.trim() {
        "" => format!("{kind} {id}"),
        name => esc(name),
    };
    format!(r#"<p:cNvPr id="{id}" name="{name}"{extra}/>"#)
}

fn text_box_xml(id: u32, text: &TextBox, theme: &Theme) -> String {
    let inset = emu(text.inset);
    let paragraphs: String = if text.paragraphs.is_empty() {
        plain_para("")
    } else {
        text.paragraphs
            .iter()
            .map(|p| paragraph_xml(p, theme))
            .collect()
    };
    format!(
        r#"<p:sp><p:nvSpPr>{}<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>{}<p:txBody><a:bodyPr vert="horz" wrap="square" lIns="{inset}" tIns="{inset}" rIns="{inset}" bIns="{inset}" rtlCol="0" anchor="{}"><a:noAutofit/></a:bodyPr><a:lstStyle/>{paragraphs}</p:txBody></p:sp>"#,
        c_nv_pr(id, &text.name, "TextBox", ""),
        sp_pr(
            &Frame::of(&text.frame).xfrm(""),
            "rect",
            &(fill(text.fill) + &outline(None))
        ),
        text.anchor.code(),
    )
}

fn paragraph_xml(para: &Para, theme: &Theme) -> String {
    let line_spacing = para.line_spacing.map_or_else(String::new, |pt| {
        format!(r#"<a:lnSpc><a:spcPts val="{}"/></a:lnSpc>"#, hundredths(pt))
    });
    let runs: String = para.runs.iter().map(|run| run_xml(run, theme)).collect();
    // The end-of-paragraph mark takes the last run's style, so that an empty
    // last line keeps its height.
    let end = match para.runs.last() {
        Some(run) => char_props("a:endParaRPr", run, theme),
        None => format!("<a:endParaRPr {LANG}/>"),
    };
    format!(
        r#"<a:p><a:pPr algn="{}">{line_spacing}<a:spcBef><a:spcPts val="0"/></a:spcBef><a:spcAft><a:spcPts val="{}"/></a:spcAft><a:buNone/></a:pPr>{runs}{end}</a:p>"#,
        para.align.code(),
        hundredths(para.space_after),
    )
}

/// A run; each `\n` (or `\r\n`) in its text becomes `<a:br/>`.
fn run_xml(run: &Run, theme: &Theme) -> String {
    let props = char_props("a:rPr", run, theme);
    run.text
        .replace("\r\n", "\n")
        .split(['\n', '\r'])
        .enumerate()
        .map(|(i, line)| {
            let brk = if i > 0 {
                format!("<a:br>{props}</a:br>")
            } else {
                String::new()
            };
            let text = if line.is_empty() {
                String::new()
            } else {
                format!("<a:r>{props}<a:t>{}</a:t></a:r>", esc(line))
            };
            brk + &text
        })
        .collect()
}

/// Character properties (`a:rPr` or `a:endParaRPr`) of `run`. The face is
/// named in the `latin`, `ea` and `cs` slots alike.
fn char_props(tag: &str, run: &Run, theme: &Theme) -> String {
    let face = esc(run.face.name(theme));
    let bold = if run.bold { r#" b="1""# } else { "" };
    format!(
        r#"<{tag} {LANG} sz="{}"{bold}>{}<a:latin typeface="{face}"/><a:ea typeface="{face}"/><a:cs typeface="{face}"/></{tag}>"#,
        hundredths(run.size),
        solid_fill(run.color),
    )
}

fn picture_xml(id: u32, rid: &str, frame: &Rect, descr: &str, crop: &[f64; 4]) -> String {
    // `srcRect` is in thousandths of a percent; sides without crop are left out.
    let src_rect: String = ["l", "t", "r", "b"]
        .iter()
        .zip(crop)
        .map(|(side, fraction)| (side, (fraction * 100_000.0).round() as i64))
        .filter(|(_, value)| *value != 0)
        .map(|(side, value)| format!(r#" {side}="{value}""#))
        .collect();
    format!(
        r#"<p:pic><p:nvPicPr>{}<p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="{rid}"/><a:srcRect{src_rect}/><a:stretch><a:fillRect/></a:stretch></p:blipFill>{}</p:pic>"#,
        c_nv_pr(id, "", "Picture", &format!(r#" descr="{}""#, esc(descr))),
        sp_pr(&Frame::of(frame).xfrm(""), "rect", ""),
    )
}

fn rect_xml(id: u32, frame: &Rect, fill_color: Option<Rgb>, line: Option<(Rgb, f64)>) -> String {
    format!(
        r#"<p:sp><p:nvSpPr>{}<p:cNvSpPr/><p:nvPr/></p:nvSpPr>{}</p:sp>"#,
        c_nv_pr(id, "", "Rectangle", ""),
        sp_pr(
            &Frame::of(frame).xfrm(""),
            "rect",
            &(fill(fill_color) + &outline(line))
        ),
    )
}

/// A connector from (x1, y1) to (x2, y2): its box spans the two ends, and
/// flips say which corners they are.
fn line_xml(id: u32, [x1, y1, x2, y2]: [f64; 4], color: Rgb, width: f64) -> String {
    let frame = Frame::from_pt(x1.min(x2), y1.min(y2), (x2 - x1).abs(), (y2 - y1).abs());
    let flip = match (x2 < x1, y2 < y1) {
        (false, false) => "",
        (true, false) => r#" flipH="1""#,
        (false, true) => r#" flipV="1""#,
        (true, true) => r#" flipH="1" flipV="1""#,
    };
    format!(
        r#"<p:cxnSp><p:nvCxnSpPr>{}<p:cNvCxnSpPr/><p:nvPr/></p:nvCxnSpPr>{}</p:cxnSp>"#,
        c_nv_pr(id, "", "Connector", ""),
        sp_pr(&frame.xfrm(flip), "line", &outline(Some((color, width)))),
    )
}

/// A placeholder of a master, layout or notes slide.
struct Placeholder<'a> {
    id: u32,
    name: &'a str,
    /// Attributes of `<p:ph>`.
    ph: &'a str,
    /// `None` inherits the position from the master.
    frame: Option<Frame>,
    /// Paragraphs of the text body; `None` for no text body.
    text: Option<String>,
}

impl Placeholder<'_> {
    fn xml(&self) -> String {
        // Like PowerPoint, keep the slide image's aspect ratio locked.
        let locks = if self.ph.contains("sldImg") {
            r#"<a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/>"#
        } else {
            r#"<a:spLocks noGrp="1"/>"#
        };
        let sp_pr = self.frame.map_or_else(
            || "<p:spPr/>".to_string(),
            |frame| sp_pr(&frame.xfrm(""), "rect", ""),
        );
        let body = self.text.as_deref().map_or_else(String::new, |paragraphs| {
            let paragraphs = if paragraphs.is_empty() {
                plain_para("")
            } else {
                paragraphs.to_string()
            };
            format!("<p:txBody><a:bodyPr/><a:lstStyle/>{paragraphs}</p:txBody>")
        });
        format!(
            r#"<p:sp><p:nvSpPr><p:cNvPr id="{}" name="{}"/><p:cNvSpPr>{locks}</p:cNvSpPr><p:nvPr><p:ph {}/></p:nvPr></p:nvSpPr>{sp_pr}{body}</p:sp>"#,
            self.id, self.name, self.ph
        )
    }
}

/// A paragraph of unstyled text (styled by the placeholder it is in).
fn plain_para(text: &str) -> String {
    let text = esc(text);
    if text.is_empty() {
        format!("<a:p><a:endParaRPr {LANG}/></a:p>")
    } else {
        format!("<a:p><a:r><a:rPr {LANG}/><a:t>{text}</a:t></a:r><a:endParaRPr {LANG}/></a:p>")
    }
}

// ---------------------------------------------------------------------------
// XML text
// ---------------------------------------------------------------------------

/// Escapes `text` for XML character data and attribute values, dropping
/// characters XML 1.0 does not allow (control characters other than tab,
/// line feed and carriage return; U+FFFE and U+FFFF).
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t'
            | '\n'
            | '\r'
            | '\u{20}'..='\u{D7FF}'
            | '\u{E000}'..='\u{FFFD}'
            | '\u{10000}'.. => {
                out.push(c);
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_invalid_characters() {
        assert_eq!(
            esc("a&b<c>\"d\"'e'\u{1}\u{b}\u{fffe}\t涪"),
            "a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;\t涪"
        );
    }

    #[test]
    fn converts_points_to_emu() {
        assert_eq!(emu(960.0), 12_192_000);
        assert_eq!(emu(540.0), 6_858_000);
        assert_eq!(emu(0.5 / 12_700.0), 1);
        let frame = Frame::from_pt(0.1, 0.0, 0.1, 1.0);
        assert_eq!((frame.x, frame.cx), (1270, 1270));
    }

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
    fn dates_must_be_w3cdtf() {
        for good in ["2026-03-05T00:00:00Z", "2026-03-05T08:30:00.25+08:00"] {
            assert!(check_w3cdtf(good).is_ok(), "{good}");
        }
        for bad in [
            "2026-03-05",
            "2026-03-05T00:00:00",
            "2026-3-05T00:00:00Z",
            "x",
        ] {
            assert!(check_w3cdtf(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn runs_break_lines_and_name_the_face_everywhere() {
        let theme = Theme {
            name: "T".into(),
            major_latin: "L".into(),
            major_ea: "Noto Sans CJK SC".into(),
            minor_latin: "L".into(),
            minor_ea: "Noto Serif CJK SC".into(),
            accent: Rgb(0xC0, 0, 0),
            ink: Rgb(0, 0, 0),
            paper: Rgb(255, 255, 255),
            tint: Rgb(250, 240, 240),
            grey: Rgb(128, 128, 128),
        };
        let run = Run {
            text: "一\n二".into(),
            size: 10.5,
            bold: true,
            color: Rgb(0xC0, 0, 0x0A),
            face: Face::Heading,
        };
        let xml = run_xml(&run, &theme);
        assert_eq!(xml.matches("<a:br>").count(), 1);
        assert!(xml.contains(r#"sz="1050" b="1""#));
        assert!(xml.contains(r#"<a:srgbClr val="C0000A"/>"#));
        for slot in ["latin", "ea", "cs"] {
            assert!(xml.contains(&format!(r#"<a:{slot} typeface="Noto Sans CJK SC"/>"#)));
        }
    }

    #[test]
    fn lines_flip_when_drawn_backwards() {
        let xml = line_xml(2, [100.0, 50.0, 0.0, 60.0], Rgb(0, 0, 0), 1.0);
        assert!(xml.contains(
            r#"<a:xfrm flipH="1"><a:off x="0" y="635000"/><a:ext cx="1270000" cy="127000"/>"#
        ));
        assert!(xml.contains(r#"<a:ln w="12700">"#));
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

    #[test]
    fn crop_must_leave_part_of_the_picture() {
        assert!(check_crop(&[0.1, 0.0, 0.2, 0.0]).is_ok());
        assert!(check_crop(&[0.5, 0.0, 0.5, 0.0]).is_err());
        assert!(check_crop(&[-0.1, 0.0, 0.0, 0.0]).is_err());
        assert!(check_crop(&[f64::NAN, 0.0, 0.0, 0.0]).is_err());
    }
}
