//! The metadata protocol between the templates and banmian, version 1: the
//! reference for what a template in `layouts/` (or a `--layouts` folder)
//! leaves for Rust.
//!
//! A template leaves data in `metadata(...)` elements under labels. With
//! `--layouts DIR` the templates are the user's, so every entry is checked
//! as user input: read into a typed struct (every field required, unknown
//! fields refused, kinds and enum values spelt exactly), then checked for
//! values that would make banmian silently wrong (a grid without a positive
//! line pitch, a text box of no size). A bad entry is a template error
//! ([`crate::Error::Template`]) naming the entry and field
//! (`<banmian-pptx>[3].anchor`: the label, the entry's index among that
//! label's entries in document order, the path inside it), serde's message,
//! and the file, line and column of the `metadata(...)` call.
//!
//! Numbers are points unless said otherwise; colours are `"#rrggbb"`.
//! Fields written `T?` must be given, as `none` or a `T`.
//!
//! # `<banmian-protocol>`: every template, once ([`Version`])
//!
//! `(version: 1)`: the version of this protocol the template speaks.
//! banmian refuses a template that declares another version, or none. Put
//! `#metadata((version: 1)) <banmian-protocol>` at the top of the template.
//!
//! # `<banmian-geometry>`: `spread.typ` measuring, once ([`Geometry`])
//!
//! `cols` (integer ≥ 1), `col`, `pitch`, `page-width`, `page-height`,
//! `type-height` (> 0), `gutter`, `leading` (≥ 0, below `pitch`),
//! `margin-x`, `margin-y`, `head`, `band-gap`, `headline-gap` (≥ 0),
//! `banner` (three depths > 0: least ≤ designed ≤ most).
//!
//! # `<banmian-measure>`: `spread.typ` measuring, one a page ([`Measure`])
//!
//! The page's height is the depth of the piece on it. By `kind`:
//! - `headline`, `credits`: no other field;
//! - `paragraph`: `index` (the section), `paragraph` (its paragraph), both
//!   integers ≥ 0; the page holds the paragraph in one column, and its
//!   lines must add up to the paragraph's text;
//! - `band-side` (`index`: the lede's sub-columns, `span`: figures a row),
//!   `heading`, `caption` (`index`: the photo slot), `lede`, `figures`,
//!   `data_box`, `quote`, `chart`: `index` (integer ≥ 0), `span` (columns,
//!   integer ≥ 1).
//!
//! # `<banmian-pptx>`: `deck.typ`, one an element drawn ([`Item`])
//!
//! In order: one `theme`, then each slide's `slide` followed by its
//! elements; as many `slide`s as the deck has pages. By `kind`:
//! - `theme`: `accent`, `ink`, `grey`, `tint`, `paper` (colours), `song`,
//!   `hei`, `kai` (font family names);
//! - `slide`: `name`, `notes` (strings);
//! - `text`: `name` (string), `x`, `y`, `w`, `h` (`w`, `h` > 0), `paras`
//!   (array of paragraphs), `anchor` (`top`, `middle` or `bottom`), `fill`
//!   (colour?), `inset` (≥ 0), `scale` (the size it was shrunk to, in
//!   (0, 1]), `overflow` (bool: does not fit even so);
//! - `rect`: `x`, `y`, `w`, `h` (≥ 0), `fill` (colour);
//! - `line`: `x1`, `y1`, `x2`, `y2`, `color` (colour), `width` (> 0);
//! - `picture`: `slot` (the photo slot, integer ≥ 0), `x`, `y`, `w`, `h`
//!   (> 0), `crop` (the share cut from each side, four numbers in [0, 1)),
//!   `descr` (string: the alternative text).
//!
//! A paragraph is `runs` (array of runs), `align` (`left`, `center`,
//! `right` or `justify`), `line` (line pitch in multiples of the largest
//! size, > 0), `after` (space after, ≥ 0), `bullet` (`none` or `(run: run,
//! indent: ≥ 0)`, the run one character). A run is `text` (string), `size`
//! (> 0), `face` (`song`, `hei` or `kai`), `bold` (bool), `color` (colour).

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use typst::foundations::{Content, Label, Selector};
use typst::introspection::Introspector;
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

use crate::export::pptx::Rgb;
use crate::{Diagnostic, Error};

use super::world::BanmianWorld;

/// The version of the protocol banmian speaks.
pub const VERSION: u32 = 1;

/// At most this many bad entries of a label are reported one by one.
const SHOWN: usize = 8;

/// An entry a template leaves under a label.
pub trait Entry: Sized {
    /// The label, without angle brackets.
    const LABEL: &'static str;

    /// Reads the entry from its value as JSON.
    fn parse(value: Value) -> Result<Self, Problem>;

    /// What the entry may not be although it reads: sizes and counts out of
    /// range.
    fn check(&self) -> Result<(), Problem> {
        Ok(())
    }
}

/// What is wrong with an entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The field's path inside the entry (`paras[0].align`), empty for the
    /// entry as a whole.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl Problem {
    /// A problem with a field (empty: the whole entry).
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Reads a value into `T`, naming the failing field.
fn de<T: DeserializeOwned>(value: Value) -> Result<T, Problem> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let field = if path == "." { String::new() } else { path };
        Problem::new(field, err.into_inner().to_string())
    })
}

/// Splits an entry's `kind`, which must be one of `kinds`, from its other
/// fields (read apart, so that serde names the field that fails inside).
fn kind(value: Value, kinds: &[&'static str]) -> Result<(&'static str, Value), Problem> {
    let Value::Object(mut map) = value else {
        return Err(Problem::new(
            "",
            format!("invalid type: {value}, expected a dictionary"),
        ));
    };
    let kind = match map.remove("kind") {
        Some(Value::String(kind)) => kinds.iter().find(|k| **k == kind).ok_or_else(|| {
            let expected: Vec<String> = kinds.iter().map(|k| format!("`{k}`")).collect();
            Problem::new(
                "kind",
                format!(
                    "unknown kind `{kind}`, expected one of {}",
                    expected.join(", ")
                ),
            )
        })?,
        Some(other) => {
            return Err(Problem::new(
                "kind",
                format!("invalid type: {other}, expected a string"),
            ));
        }
        None => return Err(Problem::new("", "missing field `kind`")),
    };
    Ok((kind, Value::Object(map)))
}

/// `Ok` when `ok`, else a problem with `field`.
fn ensure(ok: bool, field: &str, message: &str) -> Result<(), Problem> {
    if ok {
        Ok(())
    } else {
        Err(Problem::new(field, message))
    }
}

/// Each named value must be above zero (`false`) or at least zero (`true`).
fn sizes(values: &[(&str, f64)], zero_ok: bool) -> Result<(), Problem> {
    for &(field, value) in values {
        if zero_ok {
            ensure(
                value >= 0.0,
                field,
                &format!("must be at least 0, not {value}"),
            )?;
        } else {
            ensure(value > 0.0, field, &format!("must be above 0, not {value}"))?;
        }
    }
    Ok(())
}

/// Deserialises a field that must be given, even as `none`.
fn required<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::deserialize(deserializer)
}

// ---------------------------------------------------------------- version

/// `<banmian-protocol>`: the protocol version a template speaks.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Version {
    /// The version.
    pub version: u32,
}

impl Entry for Version {
    const LABEL: &'static str = "banmian-protocol";

    fn parse(value: Value) -> Result<Self, Problem> {
        de(value)
    }

    fn check(&self) -> Result<(), Problem> {
        ensure(
            self.version == VERSION,
            "version",
            &format!(
                "the template speaks version {} of the template protocol",
                self.version
            ),
        )
    }
}

// ---------------------------------------------------------------- spread

/// `<banmian-geometry>`: the grid and frame the template reports, in points.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Geometry {
    /// Basic columns.
    pub cols: u32,
    /// Column width.
    pub col: f64,
    /// Gutter.
    pub gutter: f64,
    /// Body line pitch.
    pub pitch: f64,
    /// Space below a body line's box within its pitch.
    pub leading: f64,
    /// Page width (trim).
    pub page_width: f64,
    /// Page height (trim).
    pub page_height: f64,
    /// Type area depth.
    pub type_height: f64,
    /// Left and right margin.
    pub margin_x: f64,
    /// Top and bottom margin.
    pub margin_y: f64,
    /// The running head's band.
    pub head: f64,
    /// Space between the top band and the headline.
    pub band_gap: f64,
    /// Space at least below the headline.
    pub headline_gap: f64,
    /// The banner band's least, designed and most depth.
    pub banner: [f64; 3],
}

impl Entry for Geometry {
    const LABEL: &'static str = "banmian-geometry";

    fn parse(value: Value) -> Result<Self, Problem> {
        de(value)
    }

    fn check(&self) -> Result<(), Problem> {
        ensure(self.cols >= 1, "cols", "must be at least 1")?;
        // Without a positive pitch no copy ever runs over (overset copy
        // would pass preflight).
        sizes(
            &[
                ("col", self.col),
                ("pitch", self.pitch),
                ("page-width", self.page_width),
                ("page-height", self.page_height),
                ("type-height", self.type_height),
            ],
            false,
        )?;
        sizes(
            &[
                ("gutter", self.gutter),
                ("leading", self.leading),
                ("margin-x", self.margin_x),
                ("margin-y", self.margin_y),
                ("head", self.head),
                ("band-gap", self.band_gap),
                ("headline-gap", self.headline_gap),
            ],
            true,
        )?;
        ensure(
            self.leading < self.pitch,
            "leading",
            "must be below the pitch",
        )?;
        ensure(
            self.type_height <= self.page_height,
            "type-height",
            "must be at most the page height",
        )?;
        let [least, designed, most] = self.banner;
        ensure(
            least > 0.0 && least <= designed && designed <= most,
            "banner",
            "must be three depths above 0, least ≤ designed ≤ most",
        )
    }
}

/// `<banmian-measure>`: what one measuring page holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Measure {
    /// A story paragraph set in one column.
    Paragraph {
        /// The section.
        index: usize,
        /// The paragraph in the section.
        paragraph: usize,
    },
    /// Any other piece: its kind, index and span (0 for the headline and
    /// credits).
    Piece {
        /// `headline`, `heading`, `caption`, …
        kind: &'static str,
        /// The section, photo slot, chart, or the band's lede sub-columns.
        index: usize,
        /// Columns (the band's figures a row).
        span: u32,
    },
}

/// Measured kinds with no other field.
const WHOLE: [&str; 2] = ["headline", "credits"];
/// Measured kinds at a span.
const SPANNED: [&str; 8] = [
    "band-side",
    "heading",
    "caption",
    "lede",
    "figures",
    "data_box",
    "quote",
    "chart",
];

impl Entry for Measure {
    const LABEL: &'static str = "banmian-measure";

    fn parse(value: Value) -> Result<Self, Problem> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Whole {}
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Spanned {
            index: usize,
            span: u32,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Paragraph {
            index: usize,
            paragraph: usize,
        }
        let kinds: Vec<&'static str> = WHOLE
            .iter()
            .chain(&SPANNED)
            .chain(&["paragraph"])
            .copied()
            .collect();
        let (kind, rest) = self::kind(value, &kinds)?;
        Ok(if kind == "paragraph" {
            let Paragraph { index, paragraph } = de(rest)?;
            Self::Paragraph { index, paragraph }
        } else if WHOLE.contains(&kind) {
            let Whole {} = de(rest)?;
            Self::Piece {
                kind,
                index: 0,
                span: 0,
            }
        } else {
            let Spanned { index, span } = de(rest)?;
            Self::Piece { kind, index, span }
        })
    }

    fn check(&self) -> Result<(), Problem> {
        match self {
            Self::Piece { kind, span, .. } if !WHOLE.contains(kind) => {
                ensure(*span >= 1, "span", "must be at least 1")
            }
            _ => Ok(()),
        }
    }
}

// ---------------------------------------------------------------- deck

/// `<banmian-pptx>`: one element of the deck as the template drew it.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// The deck's colours and faces.
    Theme(ThemeItem),
    /// A new slide; the elements after it are on it.
    Slide(SlideItem),
    /// A text box.
    Text(TextItem),
    /// A filled rectangle.
    Rect(RectItem),
    /// A straight line.
    Line(LineItem),
    /// A photo.
    Picture(PictureItem),
}

/// The deck's colours and the faces' family names.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ThemeItem {
    /// The accent colour.
    pub accent: Colour,
    /// Text.
    pub ink: Colour,
    /// Secondary text.
    pub grey: Colour,
    /// Panels.
    pub tint: Colour,
    /// The background.
    pub paper: Colour,
    /// The body face.
    pub song: String,
    /// The heading face.
    pub hei: String,
    /// The quotation face.
    pub kai: String,
}

/// A slide's name and speaker notes.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SlideItem {
    /// Its title, or 标题/结束.
    pub name: String,
    /// Speaker notes, a paragraph a line.
    pub notes: String,
}

/// A text box, in points.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TextItem {
    /// What it holds (for warnings).
    pub name: String,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// Its paragraphs, at their final size.
    pub paras: Vec<ParaItem>,
    /// Where the text sits in the box.
    pub anchor: Anchor,
    /// The box's fill.
    #[serde(deserialize_with = "required")]
    pub fill: Option<Colour>,
    /// Space inside the box on each side.
    pub inset: f64,
    /// The size the text was shrunk to, to fit.
    pub scale: f64,
    /// Whether it does not fit even so.
    pub overflow: bool,
}

/// A filled rectangle, in points.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RectItem {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// Its colour.
    pub fill: Colour,
}

/// A straight line, in points.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LineItem {
    /// Start.
    pub x1: f64,
    /// Start.
    pub y1: f64,
    /// End.
    pub x2: f64,
    /// End.
    pub y2: f64,
    /// Its colour.
    pub color: Colour,
    /// Its stroke width.
    pub width: f64,
}

/// A photo, in points.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PictureItem {
    /// The photo slot (its index in the template data).
    pub slot: usize,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// The share cut from each side (left, top, right, bottom).
    pub crop: [f64; 4],
    /// The alternative text.
    pub descr: String,
}

/// A paragraph of a text box.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ParaItem {
    /// Its runs.
    pub runs: Vec<RunItem>,
    /// Its alignment.
    pub align: Align,
    /// Line pitch, in multiples of the largest size.
    pub line: f64,
    /// Space after, in points.
    pub after: f64,
    /// Its bullet, if any.
    #[serde(deserialize_with = "required")]
    pub bullet: Option<BulletItem>,
}

/// A paragraph's bullet: its character's run and the text's indent.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BulletItem {
    /// The bullet character, as a run.
    pub run: RunItem,
    /// Where every line of the text starts.
    pub indent: f64,
}

/// A run of text in one style.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RunItem {
    /// The text.
    pub text: String,
    /// Size in points.
    pub size: f64,
    /// The theme's face.
    pub face: FaceName,
    /// Bold.
    pub bold: bool,
    /// Its colour.
    pub color: Colour,
}

/// Where text sits in its box.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Anchor {
    /// At the top.
    Top,
    /// Centred.
    Middle,
    /// At the bottom.
    Bottom,
}

/// A paragraph's alignment.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
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

/// One of the theme's faces.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FaceName {
    /// 宋: the body.
    Song,
    /// 黑: headings.
    Hei,
    /// 楷: quotations.
    Kai,
}

/// A colour written `"#rrggbb"`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(try_from = "String")]
pub struct Colour(pub Rgb);

impl TryFrom<String> for Colour {
    type Error = String;

    fn try_from(hex: String) -> Result<Self, String> {
        let digits = hex.strip_prefix('#').unwrap_or("");
        let byte = |i: usize| u8::from_str_radix(digits.get(i..i + 2).unwrap_or(""), 16);
        match (digits.len(), byte(0), byte(2), byte(4)) {
            (6, Ok(r), Ok(g), Ok(b)) => Ok(Self(Rgb(r, g, b))),
            _ => Err(format!("invalid colour `{hex}`, expected `#rrggbb`")),
        }
    }
}

impl Entry for Item {
    const LABEL: &'static str = "banmian-pptx";

    fn parse(value: Value) -> Result<Self, Problem> {
        const KINDS: [&str; 6] = ["theme", "slide", "text", "rect", "line", "picture"];
        let (kind, rest) = self::kind(value, &KINDS)?;
        Ok(match kind {
            "theme" => Self::Theme(de(rest)?),
            "slide" => Self::Slide(de(rest)?),
            "text" => Self::Text(de(rest)?),
            "rect" => Self::Rect(de(rest)?),
            "line" => Self::Line(de(rest)?),
            _ => Self::Picture(de(rest)?),
        })
    }

    fn check(&self) -> Result<(), Problem> {
        match self {
            Self::Theme(_) | Self::Slide(_) => Ok(()),
            Self::Text(t) => {
                sizes(&[("w", t.w), ("h", t.h)], false)?;
                sizes(&[("inset", t.inset)], true)?;
                ensure(
                    t.scale > 0.0 && t.scale <= 1.0,
                    "scale",
                    "must be above 0 and at most 1",
                )?;
                for (i, para) in t.paras.iter().enumerate() {
                    para.check().map_err(|p| Problem {
                        field: format!("paras[{i}].{}", p.field),
                        ..p
                    })?;
                }
                Ok(())
            }
            Self::Rect(r) => sizes(&[("w", r.w), ("h", r.h)], true),
            Self::Line(l) => sizes(&[("width", l.width)], false),
            Self::Picture(p) => {
                sizes(&[("w", p.w), ("h", p.h)], false)?;
                ensure(
                    p.crop.iter().all(|c| (0.0..1.0).contains(c)),
                    "crop",
                    "must be four shares in [0, 1)",
                )
            }
        }
    }
}

impl ParaItem {
    fn check(&self) -> Result<(), Problem> {
        sizes(&[("line", self.line)], false)?;
        sizes(&[("after", self.after)], true)?;
        for (i, run) in self.runs.iter().enumerate() {
            sizes(&[(&format!("runs[{i}].size"), run.size)], false)?;
        }
        if let Some(bullet) = &self.bullet {
            sizes(&[("bullet.indent", bullet.indent)], true)?;
            sizes(&[("bullet.run.size", bullet.run.size)], false)?;
            ensure(
                bullet.run.text.chars().count() == 1,
                "bullet.run.text",
                "must be one character",
            )?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- reading

/// An entry as read, with its index among its label's entries and the
/// element it came from (for its page and its place in the template).
#[derive(Debug, Clone)]
pub struct Found<T> {
    /// The entry.
    pub value: T,
    /// Its index among the entries of its label, in document order.
    pub index: usize,
    /// The `metadata(...)` element.
    pub content: Content,
}

/// Reads the entries a compiled document holds, placing any problem in
/// the template.
pub struct Reader<'a> {
    world: &'a BanmianWorld,
    document: &'a PagedDocument,
}

impl<'a> Reader<'a> {
    /// A reader of `document`, compiled in `world`.
    pub fn new(world: &'a BanmianWorld, document: &'a PagedDocument) -> Self {
        Self { world, document }
    }

    /// The document read.
    pub fn document(&self) -> &'a PagedDocument {
        self.document
    }

    /// Every entry under `T`'s label, each read and checked: an error
    /// for every bad one. Entries emitted by the same call that fail the
    /// same way are one error (a template emits most entries from one
    /// helper); at most [`SHOWN`] are listed, then how many more.
    pub fn entries<T: Entry>(&self) -> Result<Vec<Found<T>>, Error> {
        let label = Label::new(PicoStr::intern(T::LABEL)).expect("labels are not empty");
        let elements = self.document.introspector().query(&Selector::Label(label));
        let mut found = Vec::new();
        // Each distinct problem: its first entry, and how many share it.
        let mut problems: Vec<(usize, &Content, Problem, usize)> = Vec::new();
        for (index, content) in elements.iter().enumerate() {
            match read::<T>(content) {
                Ok(value) => found.push(Found {
                    value,
                    index,
                    content: content.clone(),
                }),
                Err(problem) => match problems
                    .iter_mut()
                    .find(|(_, c, p, _)| c.span() == content.span() && *p == problem)
                {
                    Some((.., same)) => *same += 1,
                    None => problems.push((index, content, problem, 0)),
                },
            }
        }
        if problems.is_empty() {
            return Ok(found);
        }
        let more = problems.len().saturating_sub(SHOWN);
        let mut errors: Vec<Diagnostic> = problems
            .into_iter()
            .take(SHOWN)
            .map(|(index, content, mut problem, same)| {
                if same > 0 {
                    problem.message += &format!(" (and in {same} more entries like it)");
                }
                self.error::<T>(index, content, problem)
            })
            .collect();
        if more > 0 {
            errors.push(Diagnostic::error(format!(
                "{more} more problems with <{}> entries",
                T::LABEL
            )));
        }
        Err(Error::Template(errors))
    }

    /// A problem with an entry that reads but does not fit the others
    /// (a second theme, an element before any slide), as a template error.
    pub fn reject<T: Entry>(&self, found: &Found<T>, problem: Problem) -> Error {
        Error::Template(vec![self.error::<T>(found.index, &found.content, problem)])
    }

    /// An error about the whole of `T`'s entries (none, or too many),
    /// placed in the main template.
    pub fn missing<T: Entry>(&self, message: impl Into<String>) -> Error {
        use typst::World as _;
        use typst_kit::diagnostics::DiagnosticWorld as _;
        let file = self.world.name(self.world.main());
        Error::Template(vec![
            Diagnostic::file(std::path::Path::new(&file), message)
                .with_field(format!("<{}>", T::LABEL))
                .with_hint(hint()),
        ])
    }

    /// Refuses a document whose template does not speak [`VERSION`].
    pub fn version(&self) -> Result<(), Error> {
        if self.entries::<Version>()?.is_empty() {
            return Err(self.missing::<Version>(format!(
                "the template declares no protocol version (put `#metadata((version: {VERSION})) <banmian-protocol>` at its top)"
            )));
        }
        Ok(())
    }

    /// A diagnostic naming the label, entry and field, placed at the
    /// entry's `metadata(...)` call.
    fn error<T: Entry>(&self, index: usize, content: &Content, problem: Problem) -> Diagnostic {
        let mut field = format!("<{}>[{index}]", T::LABEL);
        if !problem.field.is_empty() {
            field = format!("{field}.{}", problem.field);
        }
        let diagnostic = Diagnostic::error(format!("bad template metadata: {}", problem.message))
            .with_field(field)
            .with_hint(hint());
        self.world.place(content.span(), diagnostic)
    }
}

/// Where to read what an entry must be.
fn hint() -> String {
    format!(
        "banmian speaks version {VERSION} of the template protocol; its reference is the documentation of `banmian::typeset::protocol`"
    )
}

/// Reads and checks one element's value.
fn read<T: Entry>(content: &Content) -> Result<T, Problem> {
    let value = content
        .get_by_name("value")
        .map_err(|_| Problem::new("", "the label is on something other than `metadata(...)`"))?;
    let json = serde_json::to_value(&value)
        .map_err(|err| Problem::new("", format!("the value cannot be read as data ({err})")))?;
    let entry = T::parse(json)?;
    entry.check()?;
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A text box as deck.typ emits it.
    fn text() -> Value {
        json!({
            "kind": "text", "name": "title", "x": 48.0, "y": 40.0, "w": 864.0, "h": 80.0,
            "paras": [{
                "runs": [{"text": "标题", "size": 40.0, "face": "hei", "bold": true, "color": "#1a1a1a"}],
                "align": "left", "line": 1.2, "after": 0.0, "bullet": null,
            }],
            "anchor": "middle", "fill": null, "inset": 0.0, "scale": 1.0, "overflow": false,
        })
    }

    /// The geometry spread.typ reports for a broadsheet.
    fn geometry() -> Value {
        json!({
            "cols": 8, "col": 117.0, "gutter": 9.0, "pitch": 12.5, "leading": 3.5,
            "page-width": 1000.0, "page-height": 1500.0, "type-height": 1400.0,
            "margin-x": 50.0, "margin-y": 50.0, "head": 30.0, "band-gap": 16.0,
            "headline-gap": 18.0, "banner": [300.0, 400.0, 480.0],
        })
    }

    /// Reads and checks a value as a `T`, as the reader does.
    fn read<T: Entry>(value: Value) -> Result<T, Problem> {
        let entry = T::parse(value)?;
        entry.check()?;
        Ok(entry)
    }

    fn problem<T: Entry + std::fmt::Debug>(value: Value) -> Problem {
        read::<T>(value).expect_err("the entry is refused")
    }

    #[test]
    fn good_entries_read() {
        let Item::Text(t) = read::<Item>(text()).unwrap() else {
            panic!("a text box")
        };
        assert_eq!(t.anchor, Anchor::Middle);
        assert_eq!(t.paras[0].runs[0].face, FaceName::Hei);
        assert_eq!(t.paras[0].runs[0].color, Colour(Rgb(0x1a, 0x1a, 0x1a)));
        assert_eq!(read::<Geometry>(geometry()).unwrap().cols, 8);
        assert_eq!(
            read::<Measure>(json!({"kind": "caption", "index": 2, "span": 3})).unwrap(),
            Measure::Piece {
                kind: "caption",
                index: 2,
                span: 3
            }
        );
        assert_eq!(
            read::<Version>(json!({"version": VERSION})).unwrap(),
            Version { version: VERSION }
        );
    }

    #[test]
    fn a_missing_field_is_named_with_its_entry() {
        let mut value = text();
        value.as_object_mut().unwrap().remove("anchor");
        let p = problem::<Item>(value);
        assert_eq!(
            (p.field.as_str(), p.message.as_str()),
            ("", "missing field `anchor`")
        );
        // Given as `none` is not left out.
        let mut value = text();
        value["paras"][0].as_object_mut().unwrap().remove("bullet");
        let p = problem::<Item>(value);
        assert_eq!(p.field, "paras[0]");
        assert!(p.message.contains("`bullet`"), "{p:?}");
    }

    #[test]
    fn a_misspelt_value_is_an_error_not_a_default() {
        let mut value = text();
        value["anchor"] = json!("midle");
        let p = problem::<Item>(value);
        assert_eq!(p.field, "anchor");
        assert!(p.message.contains("unknown variant `midle`"), "{p:?}");
        let mut value = text();
        value["paras"][0]["runs"][0]["face"] = json!("Hei");
        assert_eq!(problem::<Item>(value).field, "paras[0].runs[0].face");
        let p = problem::<Item>(json!({"kind": "txt"}));
        assert_eq!(p.field, "kind");
        assert!(p.message.contains("unknown kind `txt`"), "{p:?}");
        let p = problem::<Measure>(json!({"kind": "headlines"}));
        assert_eq!(p.field, "kind");
    }

    #[test]
    fn a_wrong_type_or_an_unknown_field_is_named() {
        let mut value = text();
        value["w"] = json!("864pt");
        let p = problem::<Item>(value);
        assert_eq!(p.field, "w");
        assert!(p.message.contains("invalid type"), "{p:?}");
        let mut value = text();
        value["paras"][0]["runs"][0]["color"] = json!("red");
        assert_eq!(problem::<Item>(value).field, "paras[0].runs[0].color");
        let mut value = geometry();
        value["colour"] = json!(1);
        assert!(
            problem::<Geometry>(value)
                .message
                .contains("unknown field `colour`")
        );
        let p = problem::<Measure>(json!({"kind": "headline", "index": 0}));
        assert!(p.message.contains("unknown field `index`"), "{p:?}");
        let p = problem::<Measure>(json!({"kind": "heading", "index": 0}));
        assert!(p.message.contains("missing field `span`"), "{p:?}");
    }

    #[test]
    fn values_that_would_mislead_are_refused() {
        for (field, bad) in [
            ("pitch", json!(0.0)),
            ("col", json!(-1.0)),
            ("cols", json!(0)),
        ] {
            let mut value = geometry();
            value[field] = bad;
            assert_eq!(problem::<Geometry>(value).field, field);
        }
        let mut value = geometry();
        value["banner"] = json!([400.0, 300.0, 480.0]);
        assert_eq!(problem::<Geometry>(value).field, "banner");
        let mut value = text();
        value["paras"][0]["runs"][0]["size"] = json!(0.0);
        assert_eq!(problem::<Item>(value).field, "paras[0].runs[0].size");
        let mut value = text();
        value["scale"] = json!(1.5);
        assert_eq!(problem::<Item>(value).field, "scale");
        let p = problem::<Measure>(json!({"kind": "quote", "index": 0, "span": 0}));
        assert_eq!(p.field, "span");
    }

    #[test]
    fn another_version_is_refused() {
        let p = problem::<Version>(json!({"version": VERSION + 1}));
        assert_eq!(p.field, "version");
        assert!(problem::<Version>(json!({"v": 1})).message.contains("`v`"));
    }
}
