//! `<banmian-geometry>` and `<banmian-measure>`: what the spread template
//! reports of its grid and measures of the report's pieces.

use serde::Deserialize;
use serde_json::Value;

use super::{Entry, Problem, de, ensure, kind, sizes};

/// `<banmian-geometry>`: the grid and frame the template reports, in points.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
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
    /// The main headline's least and most size.
    pub title: [f64; 2],
    /// Lines of air a box may take below its natural depth.
    pub box_air: u32,
    /// Type sizes a box may be set at, as scales of its design (the first
    /// is 1).
    pub box_scales: Vec<f64>,
    /// The largest share of the type area one photo may take.
    pub photo_share: f64,
    /// The least and most body lines a pull quote may take.
    pub pull: [u32; 2],
    /// The share of a photo's width or height a crop may cut, where the
    /// report sets none.
    pub crop: Crops,
    /// The order the composer reads the items in.
    pub order: Order,
}

#[cfg(test)]
impl Geometry {
    /// The shipped broadsheet's grid and frame with `cols` columns and a
    /// type area `type_height` deep, for tests.
    pub(crate) fn sample(cols: u32, type_height: f64) -> Self {
        Self {
            cols,
            col: 117.0,
            gutter: 9.0,
            pitch: 14.0,
            leading: 5.0,
            page_width: 1105.5,
            page_height: 1545.0,
            type_height,
            margin_x: 53.0,
            margin_y: 78.0,
            head: 30.0,
            band_gap: 16.0,
            headline_gap: 18.0,
            banner: [326.0, 397.0, 482.0],
            title: [48.0, 84.0],
            box_air: 0,
            box_scales: vec![1.0],
            photo_share: 0.4,
            pull: [6, 20],
            crop: Crops {
                photo: 0.4,
                banner: 0.5,
            },
            order: Order {
                openers: vec![Placed::Lede, Placed::Figures],
                body: vec![Placed::Sections, Placed::DataBox, Placed::Quote],
                charts_after: 1,
            },
        }
    }
}

/// The share of a photo's width or height a crop may cut by default (0.4
/// keeps at least 60 % of each).
#[derive(Debug, Clone, Copy, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Crops {
    /// A story's photo.
    pub photo: f64,
    /// The banner.
    pub banner: f64,
}

/// The order the composer reads the spread's items in.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Order {
    /// The boxes beside the banner, or first under the headline.
    pub openers: Vec<Placed>,
    /// The rest, in reading order.
    pub body: Vec<Placed>,
    /// The story the charts follow (0: before the first; beyond the last:
    /// after it).
    pub charts_after: u32,
}

/// An item (or the stories) as [`Order`] names it.
#[derive(Debug, Clone, Copy, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Placed {
    /// The lede box.
    Lede,
    /// The key figures.
    Figures,
    /// The data box.
    DataBox,
    /// The quote box.
    Quote,
    /// The stories, in the report's order.
    Sections,
}

impl Placed {
    /// Every item an order names.
    pub const ALL: [Placed; 5] = [
        Placed::Lede,
        Placed::Figures,
        Placed::DataBox,
        Placed::Quote,
        Placed::Sections,
    ];
}

impl Order {
    /// Each item named once, the stories not among the openers.
    fn check(&self) -> Result<(), Problem> {
        if self.openers.contains(&Placed::Sections) {
            return Err(Problem::new(
                "order.openers",
                "`sections` stand in the body, not among the openers",
            ));
        }
        for placed in Placed::ALL {
            let named = self.openers.iter().chain(&self.body);
            let times = named.filter(|&&p| p == placed).count();
            if times != 1 {
                let name = serde_json::to_value(placed).unwrap_or_default();
                return Err(Problem::new(
                    "order",
                    format!("must name {name} once, not {times} times"),
                ));
            }
        }
        Ok(())
    }
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
        )?;
        let [least, most] = self.title;
        ensure(
            least > 0.0 && least <= most,
            "title",
            "must be two sizes above 0, least ≤ most",
        )?;
        ensure(
            self.box_scales.first() == Some(&1.0) && self.box_scales.iter().all(|&s| s > 0.0),
            "box-scales",
            "must be scales above 0, the first 1 (the designed size)",
        )?;
        ensure(
            self.photo_share > 0.0 && self.photo_share <= 1.0,
            "photo-share",
            "must be a share above 0, at most 1",
        )?;
        let [least, most] = self.pull;
        ensure(
            least >= 1 && least <= most,
            "pull",
            "must be two depths in lines, 1 ≤ least ≤ most",
        )?;
        for (field, share) in [
            ("crop.photo", self.crop.photo),
            ("crop.banner", self.crop.banner),
        ] {
            ensure(
                (0.0..1.0).contains(&share),
                field,
                "must be a share at least 0, below 1",
            )?;
        }
        self.order.check()
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
    /// Any other piece: its kind, index, span and variant (0 where the
    /// kind has none).
    Piece {
        /// What it is.
        kind: Kind,
        /// The section, photo slot, chart, title size or split.
        index: usize,
        /// Columns (the title's lines or part).
        span: u32,
        /// The type variant of a box.
        variant: usize,
    },
}

/// What a measured piece is, as the template names it (`kind`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The credit line (no other field).
    Credits,
    /// The headline's depth at a title size (index) on 1 or 2 lines (span).
    Headline,
    /// A part (span 1 or 2) of a way (index) to split the title.
    Title,
    /// A section's heading at a span.
    Heading,
    /// A photo's caption at a span.
    Caption,
    /// A section's pull quote at a span.
    Pull,
    /// The lede box, at a span and in a type variant.
    Lede,
    /// The key figures.
    Figures,
    /// The data box.
    DataBox,
    /// The quote box.
    Quote,
    /// A chart.
    Chart,
}

impl Kind {
    /// Every kind, in the protocol's order.
    pub const ALL: [Kind; 11] = [
        Kind::Credits,
        Kind::Headline,
        Kind::Title,
        Kind::Heading,
        Kind::Caption,
        Kind::Pull,
        Kind::Lede,
        Kind::Figures,
        Kind::DataBox,
        Kind::Quote,
        Kind::Chart,
    ];

    /// The name the template writes.
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Credits => "credits",
            Kind::Headline => "headline",
            Kind::Title => "title",
            Kind::Heading => "heading",
            Kind::Caption => "caption",
            Kind::Pull => "pull",
            Kind::Lede => "lede",
            Kind::Figures => "figures",
            Kind::DataBox => "data_box",
            Kind::Quote => "quote",
            Kind::Chart => "chart",
        }
    }

    /// Which fields the kind carries besides its index: none, a span, or a
    /// span and a type variant (the boxes).
    fn fields(self) -> Fields {
        match self {
            Kind::Credits => Fields::Whole,
            Kind::Headline | Kind::Title | Kind::Heading | Kind::Caption | Kind::Pull => {
                Fields::Spanned
            }
            Kind::Lede | Kind::Figures | Kind::DataBox | Kind::Quote | Kind::Chart => {
                Fields::Varied
            }
        }
    }
}

/// The fields a measured kind carries.
#[derive(PartialEq)]
enum Fields {
    Whole,
    Spanned,
    Varied,
}

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
        struct Varied {
            index: usize,
            span: u32,
            variant: usize,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Paragraph {
            index: usize,
            paragraph: usize,
        }
        let kinds: Vec<&'static str> = Kind::ALL
            .iter()
            .map(|k| k.name())
            .chain(["paragraph"])
            .collect();
        let (name, rest) = self::kind(value, &kinds)?;
        let Some(kind) = Kind::ALL.into_iter().find(|k| k.name() == name) else {
            let Paragraph { index, paragraph } = de(rest)?;
            return Ok(Self::Paragraph { index, paragraph });
        };
        Ok(if kind.fields() == Fields::Whole {
            let Whole {} = de(rest)?;
            Self::Piece {
                kind,
                index: 0,
                span: 0,
                variant: 0,
            }
        } else if kind.fields() == Fields::Spanned {
            let Spanned { index, span } = de(rest)?;
            Self::Piece {
                kind,
                index,
                span,
                variant: 0,
            }
        } else {
            let Varied {
                index,
                span,
                variant,
            } = de(rest)?;
            Self::Piece {
                kind,
                index,
                span,
                variant,
            }
        })
    }

    fn check(&self) -> Result<(), Problem> {
        match self {
            Self::Piece { kind, span, .. } if kind.fields() != Fields::Whole => {
                ensure(*span >= 1, "span", "must be at least 1")
            }
            _ => Ok(()),
        }
    }
}
