//! What the composer places, and what each item costs where it stands.
//!
//! A section is a heading over a body of text columns with its photos in
//! groups at the top of the body: beside the text (a photo column as deep
//! as the body) or above legs of text that run on under them. Because the
//! photos' depth is elastic within their crop limits, a section can take
//! almost any depth at a given width, and the text still fills its legs
//! (its shapes are searched in [`super::section`]). Boxes (lede, figures,
//! data box, quote, chart) have a measured depth per width and may take a
//! little air.

use super::grid::{Grid, Ink, Photo, PhotoFit, PhotoRules};

/// What the composer pays for each fault, in grid cells (a column by a
/// line) of empty page.
pub mod cost {
    /// An empty cell in a gap of a line (a leg a line short, a module a
    /// line shallower than its neighbour): a little dearer than a cell of
    /// the open area, so that white space gathers there when it can.
    pub const HOLE: f64 = 9.0;
    /// A cell of air added between strips (feathering): dearer than a cell
    /// of the open area, since white space is gathered at the page's foot;
    /// what is left for it is a page that must end exactly (a reserved
    /// area at its foot).
    pub const FEATHER: f64 = 10.0;
    /// An empty cell stranded in a gap three or more lines deep anywhere
    /// but the open area at a page's foot: a designer never leaves one, so
    /// it costs more than any bend of the design.
    pub const STRANDED: f64 = 160.0;
    /// A cell of the open area, the one rectangle at a page's foot where
    /// the white space that remains is gathered (for an ad or a filler).
    pub const OPEN: f64 = 8.0;
    /// Each open area, on top of its cells: one is better than two.
    pub const OPEN_AREA: f64 = 600.0;
    /// A page whose body holds nothing at all, on top of its open area: a
    /// blank page under the headline, for a report too short for a
    /// spread. Less than a second open area: one page full and the other
    /// empty reads better than two half pages (and `check` says to try a
    /// single page).
    pub const EMPTY_PAGE: f64 = 100.0;
    /// The first page of a spread left blank, on top: reading starts on
    /// it (under the headline's first half), so the copy goes there and
    /// the blank page is the second.
    pub const EMPTY_FIRST: f64 = 200.0;
    /// A line of copy that does not fit: overset dwarfs everything.
    pub const OVERSET: f64 = 100_000.0;
    /// A story continued on the other page.
    pub const JUMP: f64 = 200.0;
    /// A leg of text shorter than [`super::SHORT_LEG`] lines, per missing
    /// line.
    pub const SHORT_LEG: f64 = 6.0;
    /// A line of a box set wider than it reads well, per column too wide.
    pub const WIDE: f64 = 10.0;
    /// A box set off its designed type size, per cell and step of the
    /// theme's range: a small bend.
    pub const TYPE_STEP: f64 = 0.5;
    /// A pull quote drawn from a story (it repeats copy): worth it only
    /// where it fills a gap. On top of it, each of its cells costs what a
    /// cell of the open area costs, so a pull quote never eats into the
    /// open area (that space is left for an ad or a filler, and a page of
    /// pull quotes reads as padding): it takes up only a gap that would
    /// otherwise be stranded mid-page.
    pub const PULL: f64 = 60.0;
    /// A banner in the body rather than in its band beside the lede and
    /// figures, the special report's designed top.
    pub const BANNER_OFF_BAND: f64 = 40.0;
}

/// The cost of `lines` empty lines across `w` columns that are not the
/// open area: a small gap, or a stranded one.
pub fn gap_cost(w: u32, lines: u32) -> f64 {
    let cells = f64::from(w * lines);
    if lines >= DEEP {
        cells * (cost::HOLE + cost::STRANDED)
    } else {
        cells * cost::HOLE
    }
}

/// The cost of an open area `w` columns by `lines` at a page's foot.
pub fn open_cost(w: u32, lines: u32) -> f64 {
    cost::OPEN_AREA + cost::OPEN * f64::from(w * lines)
}

/// Gaps this many lines deep or more are white space a reader sees: the
/// open area, or stranded. (A gap of two lines is deep already: a leg a
/// line short may stand above it, and the reader sees three.)
pub const DEEP: u32 = 2;

/// Legs shorter than this read badly (a ribbon).
pub const SHORT_LEG: u32 = 6;
/// Legs of text under a photo are at least this deep.
pub const MIN_UNDER: u32 = 3;
/// Lines between stacked photos, and between a photo group and text.
pub const GAP: u32 = 1;
/// A story is cut for a jump only where both pieces hold this many lines
/// of copy: a few lines carried over to the other page are not worth the
/// reader's turn.
pub const MIN_PIECE: u32 = 24;
/// Head pieces tried per place, holding different amounts of copy.
pub const HEAD_VARIANTS: u32 = 12;

/// One thing in reading order.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Item {
    /// The part of the report it comes from.
    pub id: ItemId,
    /// What it is.
    pub content: Content,
}

impl Item {
    /// The index in its field (`sections[3]` → 3; 0 for a field without
    /// one).
    pub fn index(&self) -> usize {
        self.id.index()
    }
}

/// The part of the report an item comes from, named in diagnostics by its
/// [`field`](ItemId::field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ItemId {
    /// The banner photo, set in the body (an open top).
    Banner,
    /// The lede (编者按).
    Lede,
    /// The key figures.
    Figures,
    /// `sections[i]`: a story with its heading and photos.
    Section(usize),
    /// `charts[i]`.
    Chart(usize),
    /// The data box.
    DataBox,
    /// The quote box.
    Quote,
}

impl ItemId {
    /// The report field, as diagnostics name it (`sections[2]`, `quote`).
    pub fn field(&self) -> String {
        match self {
            Self::Section(i) => format!("sections[{i}]"),
            Self::Chart(i) => format!("charts[{i}]"),
            Self::Banner => "banner".into(),
            Self::Lede => "lede".into(),
            Self::Figures => "figures".into(),
            Self::DataBox => "data_box".into(),
            Self::Quote => "quote".into(),
        }
    }

    /// The index in its field (0 for a field without one).
    pub fn index(&self) -> usize {
        match self {
            Self::Section(i) | Self::Chart(i) => *i,
            _ => 0,
        }
    }
}

impl std::fmt::Display for ItemId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.field())
    }
}

/// The kinds of things a page holds.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Content {
    /// A story with its heading and photos.
    Section(Section),
    /// A box with a measured depth per width.
    Block(Block),
    /// A photo on its own (the banner, when it is not in the top band).
    Picture(Photo),
}

/// A story.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Section {
    /// Heading lines at each span (index = columns).
    pub heading: Vec<u32>,
    /// Lines of copy set in one column.
    pub lines: u32,
    /// Its photos, in order.
    pub photos: Vec<Photo>,
    /// Which side of the text its photos stand on.
    pub side: Side,
    /// A pull quote the composer may set in it, if any.
    pub pull: Option<Pull>,
    /// Which cells of its heading carry ink, at each span (`None`: all).
    pub heading_ink: Vec<Option<Ink>>,
}

/// A pull quote (引语): a sentence of the story set large in a group of its
/// own beside or above the text, which the composer sets only where it
/// takes up a gap the copy would leave.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Pull {
    /// Lines at each span (index = columns); `None` where it may not stand
    /// (outside the theme's range of depths, or too narrow).
    pub lines: Vec<Option<u32>>,
    /// Which of its cells carry ink, at each span (`None`: all).
    pub ink: Vec<Option<Ink>>,
}

/// Sections with more photos than this get no pull quote: their photos
/// already make them elastic.
pub const PULL_PHOTOS: usize = 2;

/// A box.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Block {
    /// Lines at each span (index = columns), in each type variant the
    /// theme allows (index = variant); `None` where it cannot stand.
    pub natural: Vec<Vec<Option<u32>>>,
    /// What each variant costs per cell (0 for the designed size).
    pub steps: Vec<f64>,
    /// Lines of air it may take below its natural depth (the theme's).
    pub air: u32,
    /// The widest it reads well, in columns (running text across more is
    /// a strain: it costs).
    pub readable: u32,
    /// Which of its cells carry ink, by variant and span (`None`: all).
    pub ink: Vec<Vec<Option<Ink>>>,
}

/// A box as placed: its variant and its natural depth there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BoxFit {
    /// The type variant.
    pub variant: usize,
    /// Its depth without air, in lines.
    pub natural: u32,
}

/// Where a section's photos stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Left of the text.
    Left,
    /// Right of the text.
    Right,
}

/// Which part of a story a block holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Piece {
    /// All of it.
    Whole,
    /// Its start, up to the foot of a page, ending with a jump line (下转).
    Head,
    /// Its rest from line `from`, starting with a jump line (上接).
    Tail {
        /// The first line of copy it holds.
        from: u32,
    },
}

/// A photo (or the pull quote) as placed in a group.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PlacedPhoto {
    /// The photo's index in its section; the section's photo count for its
    /// pull quote.
    pub index: usize,
    /// Whether it is the pull quote.
    pub pull: bool,
    /// Lines of image.
    pub image: u32,
    /// Lines of caption below it.
    pub caption: u32,
    /// Its crop, resolution and cost.
    pub fit: PhotoFit,
}

/// Photos stacked in a run of columns at the top of a section's body.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Group {
    /// Columns it spans.
    pub width: u32,
    /// Its photos from the top.
    pub photos: Vec<PlacedPhoto>,
    /// Lines of text under it (0: it is as deep as the body).
    pub under: u32,
}

impl Group {
    /// Lines it takes, captions and gaps included.
    pub fn depth(&self) -> u32 {
        let n = self.photos.len() as u32;
        self.photos.iter().map(|p| p.image + p.caption).sum::<u32>() + GAP * n.saturating_sub(1)
    }
}

/// How a section sits in a block `width` columns wide.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SectionShape {
    /// Heading lines (0 for a continued story's tail).
    pub heading: u32,
    /// Body lines below the heading.
    pub body: u32,
    /// Which side its photo groups stand on.
    pub side: Side,
    /// Photo groups, in order from the side's edge inwards.
    pub groups: Vec<Group>,
    /// Columns of text beside the groups.
    pub text_cols: u32,
    /// Lines of text set (jump lines included).
    pub set: u32,
    /// Lines the legs hold.
    pub capacity: u32,
    /// Lines of copy that did not fit.
    pub overset: u32,
    /// What it costs.
    pub cost: f64,
}

/// The composer's fixed inputs.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// The grid.
    pub grid: Grid,
    /// Photo limits.
    pub rules: PhotoRules,
}

impl Ctx {
    /// The narrowest a photo group may be.
    pub fn min_photo_cols(&self) -> u32 {
        2.min(self.grid.cols)
    }
}

#[cfg(test)]
impl Ctx {
    /// For tests: a broadsheet's grid (13-character columns, 14 pt pitch)
    /// `cols` columns wide, photos wanted at 300 ppi, at least 200.
    pub(crate) fn sample(cols: u32) -> Self {
        Self {
            grid: Grid {
                cols,
                col: 117.0,
                gutter: 9.0,
                pitch: 14.0,
                leading: 5.0,
            },
            rules: PhotoRules {
                target_ppi: 300.0,
                min_ppi: 200.0,
                // 40 % of a type area 8 columns by 99 lines.
                max_area: 0.4 * 999.0 * 1389.0,
            },
        }
    }
}

impl Block {
    /// A box with one variant, its designed type, and no air.
    pub fn fixed(natural: Vec<Option<u32>>, readable: u32) -> Self {
        Self {
            natural: vec![natural],
            steps: vec![0.0],
            air: 0,
            readable,
            ink: Vec::new(),
        }
    }

    /// Its natural depth at `k` columns in a variant.
    pub fn natural(&self, variant: usize, k: u32) -> Option<u32> {
        *self.natural.get(variant)?.get(k as usize)?
    }

    /// Which of its cells carry ink in a variant at `k` columns.
    pub fn ink(&self, variant: usize, k: u32) -> Option<&Ink> {
        self.ink.get(variant)?.get(k as usize)?.as_ref()
    }

    /// Cells inside the box, `k` columns by `natural` lines, that stand in
    /// a column's run of white a reader sees (rows shorter than the box is
    /// wide, bars that end early).
    pub fn blank(&self, variant: usize, k: u32, natural: u32) -> u32 {
        self.ink(variant, k)
            .map_or(0, |ink| ink.blank(k, natural, super::place::SEEN))
    }

    /// Its shallowest depth at `k` columns, any variant.
    pub fn least(&self, k: u32) -> Option<u32> {
        (0..self.natural.len())
            .filter_map(|v| self.natural(v, k))
            .min()
    }

    /// The cheapest way to set the box `k` columns wide and `h` lines
    /// deep: a variant whose natural depth, plus at most [`Block::air`]
    /// lines of air (counted as a gap), is `h`.
    pub fn fit(&self, k: u32, h: u32) -> Option<(f64, BoxFit)> {
        let wide = cost::WIDE * f64::from(k.saturating_sub(self.readable)) * f64::from(h);
        let mut best: Option<(f64, BoxFit)> = None;
        for variant in 0..self.natural.len() {
            let Some(natural) = self.natural(variant, k).filter(|&n| n <= h) else {
                continue;
            };
            if h - natural > self.air {
                continue;
            }
            let step = self.steps.get(variant).copied().unwrap_or(0.0);
            let white = f64::from(self.blank(variant, k, natural));
            let total = wide
                + gap_cost(k, h - natural)
                + step * f64::from(k * natural)
                + white * (cost::HOLE + cost::STRANDED);
            if best.is_none_or(|(b, _)| total < b) {
                best = Some((total, BoxFit { variant, natural }));
            }
        }
        best
    }
}
