//! `<banmian-pptx>`: every element the deck template draws, for the PPTX; and
//! `<banmian-slide>`: the slide's size.

use serde::Deserialize;
use serde_json::Value;

use super::{Entry, Problem, de, ensure, kind, required, sizes};
use crate::assets::colour::Rgb;

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

/// `<banmian-slide>`: the deck's slide size, in points.
#[derive(Debug, Clone, Copy, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SlideSize {
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl Entry for SlideSize {
    const LABEL: &'static str = "banmian-slide";

    fn parse(value: Value) -> Result<Self, Problem> {
        de(value)
    }

    fn check(&self) -> Result<(), Problem> {
        sizes(&[("width", self.width), ("height", self.height)], false)
    }
}
