//! What the composer places, and the shapes each item can take.
//!
//! A section is a heading over a body of text columns with its photos in
//! groups at the top of the body: beside the text (a photo column as deep
//! as the body) or above legs of text that run on under them. Because the
//! photos' depth is elastic within their crop limits, a section can take
//! almost any depth at a given width, and the text still fills its legs.
//! Boxes (lede, figures, data box, quote, chart) have a measured depth per
//! width and may take a little air.

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
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// A story with its heading and photos.
    Section(Section),
    /// A box with a measured depth per width.
    Block(Block),
    /// A photo on its own (the banner, when it is not in the top band).
    Picture(Photo),
}

/// A story.
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoxFit {
    /// The type variant.
    pub variant: usize,
    /// Its depth without air, in lines.
    pub natural: u32,
}

/// Where a section's photos stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Left of the text.
    Left,
    /// Right of the text.
    Right,
}

/// Which part of a story a block holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
#[derive(Debug, Clone, Copy, PartialEq)]
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
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, PartialEq)]
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

/// The cost of `n` lines set in legs of the given capacities: the space
/// left spreads one line a leg from the last leg back (balanced legs).
pub fn text_cost(legs: &[u32], n: u32) -> (f64, u32) {
    let capacity: u32 = legs.iter().sum();
    if capacity < n {
        return (cost::OVERSET * f64::from(n - capacity), n - capacity);
    }
    let live = legs.iter().filter(|&&l| l > 0).count() as u32;
    let spare = capacity - n;
    let mut total = cost::HOLE * f64::from(spare);
    if live > 0 && spare.div_ceil(live) >= DEEP {
        total += cost::STRANDED * f64::from(spare);
    }
    for &leg in legs.iter().filter(|&&l| l > 0) {
        total += cost::SHORT_LEG * f64::from(SHORT_LEG.saturating_sub(leg));
    }
    (total, 0)
}

/// The ways to cut `n` photos, in order, into consecutive groups.
fn groupings(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for first in 1..=n {
        for mut rest in groupings(n - first) {
            rest.insert(0, first);
            out.push(rest);
        }
    }
    out
}

/// The ways to give `groups` groups widths of at least `min` columns in
/// total at most `most`.
fn widths(groups: usize, min: u32, most: u32) -> Vec<Vec<u32>> {
    if groups == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    let rest_min = min * (groups as u32 - 1);
    for w in min..=most.saturating_sub(rest_min) {
        for mut rest in widths(groups - 1, min, most - w) {
            rest.insert(0, w);
            out.push(rest);
        }
    }
    out
}

/// A pull quote's fit in a slot `w` columns by `lines` deep: only at its
/// own depth, at [`cost::PULL`] and the cells it fills at [`cost::OPEN`].
fn pull_fit(natural: Option<u32>, w: u32, lines: u32) -> Option<PhotoFit> {
    (lines > 0 && natural == Some(lines)).then_some(PhotoFit {
        cut_w: 0.0,
        cut_h: 0.0,
        ppi: 0.0,
        scale: 1.0,
        cost: cost::PULL + cost::OPEN * f64::from(w * lines),
    })
}

impl Section {
    /// Lines of text a piece sets (its jump lines included), `None` for a
    /// head piece (it sets what its legs hold).
    fn to_set(&self, piece: Piece) -> Option<u32> {
        match piece {
            Piece::Whole => Some(self.lines),
            Piece::Head => None,
            Piece::Tail { from } => Some(self.lines.saturating_sub(from) + 1),
        }
    }

    /// The section made ready to search shapes up to `lines` deep.
    pub fn prepare(&self, ctx: &Ctx, lines: u32) -> Prepared<'_> {
        let cols = ctx.grid.cols;
        let n = self.photos.len();
        let pull = self.pull.as_ref().filter(|_| n <= PULL_PHOTOS);
        let mut fits: Vec<Vec<Vec<Option<PhotoFit>>>> = self
            .photos
            .iter()
            .map(|p| {
                (0..=cols)
                    .map(|w| {
                        (0..=lines)
                            .map(|l| p.fit(&ctx.grid, &ctx.rules, w, l).filter(|_| w > 0))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let mut naturals: Vec<Vec<f64>> = self
            .photos
            .iter()
            .map(|p| (0..=cols).map(|w| p.natural_lines(&ctx.grid, w)).collect())
            .collect();
        if let Some(pull) = pull {
            let at = |w: u32| pull.lines.get(w as usize).copied().flatten();
            fits.push(
                (0..=cols)
                    .map(|w| (0..=lines).map(|l| pull_fit(at(w), w, l)).collect())
                    .collect(),
            );
            naturals.push((0..=cols).map(|w| at(w).map_or(0.0, f64::from)).collect());
        }
        let min = ctx.min_photo_cols();
        let counts = [n, n + 1];
        let figures = &counts[..if pull.is_some() { 2 } else { 1 }];
        let arrangements = (0..=cols)
            .map(|k| {
                let mut out = Vec::new();
                for &m in figures.iter().filter(|&&m| m > 0) {
                    for grouping in groupings(m) {
                        for ws in widths(grouping.len(), min, k) {
                            out.push((grouping.clone(), ws));
                        }
                    }
                }
                out
            })
            .collect();
        Prepared {
            section: self,
            ctx: *ctx,
            fits,
            naturals,
            arrangements,
        }
    }

    /// The best shape of a piece `k` columns wide and `h` lines deep.
    pub fn shape(&self, ctx: &Ctx, piece: Piece, k: u32, h: u32) -> Option<SectionShape> {
        self.prepare(ctx, h).shape(piece, k, h)
    }

    /// The shapes of a head piece holding different amounts of copy (see
    /// [`Prepared::head_shapes`]).
    pub fn head_shapes(&self, ctx: &Ctx, k: u32, h: u32) -> Vec<SectionShape> {
        self.prepare(ctx, h).head_shapes(k, h)
    }
}

/// A section with what every shape needs computed once: each photo's fit
/// at every width and depth, its natural depth at every width, and the
/// ways to group its photos at every width.
pub struct Prepared<'a> {
    section: &'a Section,
    ctx: Ctx,
    /// `[photo][width][lines]`.
    fits: Vec<Vec<Vec<Option<PhotoFit>>>>,
    /// `[photo][width]`, in lines.
    naturals: Vec<Vec<f64>>,
    /// `[width]`: (photos per group, group widths).
    arrangements: Vec<Vec<(Vec<usize>, Vec<u32>)>>,
}

impl Prepared<'_> {
    /// A photo's fit at `w` columns and `lines` deep.
    fn fit(&self, photo: usize, w: u32, lines: u32) -> Option<PhotoFit> {
        match self.fits[photo]
            .get(w as usize)
            .and_then(|f| f.get(lines as usize))
        {
            Some(fit) => *fit,
            None => match self.section.photos.get(photo) {
                Some(p) => p.fit(&self.ctx.grid, &self.ctx.rules, w, lines),
                None => None,
            },
        }
    }

    /// Whether figure `i` is the pull quote (it follows the photos).
    fn is_pull(&self, i: usize) -> bool {
        i >= self.section.photos.len()
    }

    /// Caption lines of figure `i` at `w` columns.
    fn caption_lines(&self, i: usize, w: u32) -> u32 {
        self.section.photos.get(i).map_or(0, |p| p.caption_lines(w))
    }

    /// The best shape of a piece `k` columns wide and `h` lines deep.
    pub fn shape(&self, piece: Piece, k: u32, h: u32) -> Option<SectionShape> {
        let mut best: Option<SectionShape> = None;
        self.shapes(piece, k, h, &mut |shape| {
            if best.as_ref().is_none_or(|b| shape.cost < b.cost) {
                best = Some(shape);
            }
        });
        best
    }

    /// Every shape tried for a piece `k` columns wide and `h` deep.
    fn shapes(&self, piece: Piece, k: u32, h: u32, consider: &mut dyn FnMut(SectionShape)) {
        let heading = match piece {
            Piece::Tail { .. } => 0,
            _ => match self.section.heading.get(k as usize) {
                Some(&heading) => heading,
                None => return,
            },
        };
        let Some(body) = h.checked_sub(heading).filter(|&b| b > 0) else {
            return;
        };
        let frame = Frame {
            piece,
            k,
            heading,
            body,
        };
        if matches!(piece, Piece::Tail { .. }) || self.section.photos.is_empty() {
            if let Some(shape) = self.finish(&frame, Vec::new()) {
                consider(shape);
            }
            if matches!(piece, Piece::Tail { .. }) {
                return;
            }
        }
        for (grouping, ws) in &self.arrangements[k as usize] {
            self.shapes_with(&frame, grouping, ws, consider);
        }
    }

    /// The shapes with photos cut into `grouping` of widths `ws`: groups as
    /// deep as the body beside the text; text under groups of one depth
    /// (their feet aligned); or under groups as deep as their photos' own
    /// proportions make them, scaled together.
    fn shapes_with(
        &self,
        frame: &Frame,
        grouping: &[usize],
        ws: &[u32],
        consider: &mut dyn FnMut(SectionShape),
    ) {
        let body = frame.body;
        let wide: u32 = ws.iter().sum();
        let text_cols = frame.k - wide;
        let mut try_depths = |depths: &[u32]| {
            if let Some(groups) = self.fill_groups(grouping, ws, depths, body)
                && let Some(shape) = self.finish(frame, groups)
            {
                consider(shape);
            }
        };
        if text_cols > 0 {
            try_depths(&vec![body; ws.len()]);
        }
        let beside = text_cols * body;
        let naturals = self.natural_depths(grouping, ws);
        if grouping.iter().sum::<usize>() > self.section.photos.len() {
            // With the pull quote: every group at its own proportions (a
            // pull quote is exactly as deep as it is set).
            try_depths(
                &naturals
                    .iter()
                    .map(|d| d.round() as u32)
                    .collect::<Vec<_>>(),
            );
        }
        match self.section.to_set(frame.piece) {
            Some(n) if n > beside => {
                // One depth for all: as little text under as fits the copy.
                let under = (n - beside).div_ceil(wide).max(MIN_UNDER);
                if let Some(depth) = body.checked_sub(under + GAP) {
                    try_depths(&vec![depth; ws.len()]);
                }
                // Their own proportions, scaled to leave the copy its room.
                let room = f64::from(wide * (body - GAP)) - f64::from(n - beside);
                let total: f64 = naturals
                    .iter()
                    .zip(ws)
                    .map(|(d, &w)| d * f64::from(w))
                    .sum();
                if room > 0.0 && total > 0.0 {
                    let depths: Vec<u32> = naturals
                        .iter()
                        .map(|d| (d * room / total).floor().max(1.0) as u32)
                        .collect();
                    try_depths(&depths);
                }
            }
            Some(_) => {}
            None => {
                // A head piece: the photos near their own proportions.
                for depths in [
                    naturals
                        .iter()
                        .map(|d| d.round() as u32)
                        .collect::<Vec<_>>(),
                    vec![naturals.iter().copied().fold(0.0, f64::max).round() as u32; ws.len()],
                ] {
                    try_depths(&depths);
                }
            }
        }
    }

    /// The shapes of a head piece `k` columns wide and `h` deep that hold
    /// different amounts of copy: the best shape's photos made deeper or
    /// shallower (at most [`HEAD_VARIANTS`] of them), so the search can
    /// choose how much of the story continues on the next page.
    pub fn head_shapes(&self, k: u32, h: u32) -> Vec<SectionShape> {
        let Some(best) = self.shape(Piece::Head, k, h) else {
            return Vec::new();
        };
        if best.groups.iter().all(|g| g.under == 0) {
            return vec![best];
        }
        let grouping: Vec<usize> = best.groups.iter().map(|g| g.photos.len()).collect();
        let ws: Vec<u32> = best.groups.iter().map(|g| g.width).collect();
        let frame = Frame {
            piece: Piece::Head,
            k,
            heading: best.heading,
            body: best.body,
        };
        let deepest = best.body.saturating_sub(GAP + 2);
        let range = deepest.saturating_sub(MIN_UNDER) + 1;
        let step = range.div_ceil(HEAD_VARIANTS).max(1);
        let mut out = vec![best.clone()];
        for under in (MIN_UNDER..=deepest).step_by(step as usize) {
            let depths = vec![best.body - under - GAP; ws.len()];
            let shape = self
                .fill_groups(&grouping, &ws, &depths, best.body)
                .and_then(|groups| self.finish(&frame, groups));
            if let Some(shape) = shape.filter(|s| s.set != best.set) {
                out.push(shape);
            }
        }
        out
    }

    /// Each group's depth at its photos' own proportions, in lines.
    fn natural_depths(&self, grouping: &[usize], ws: &[u32]) -> Vec<f64> {
        let mut start = 0;
        grouping
            .iter()
            .zip(ws)
            .map(|(&n, &w)| {
                let first = start;
                start += n;
                (first..first + n)
                    .map(|i| self.naturals[i][w as usize] + f64::from(self.caption_lines(i, w)))
                    .sum::<f64>()
                    + f64::from(GAP) * (n as f64 - 1.0)
            })
            .collect()
    }

    /// Sizes each group's photos to fill its depth (sharing a stack's image
    /// lines in proportion to the photos' own depths); a group as deep as
    /// the body has no text under it, any other at least [`MIN_UNDER`]
    /// lines.
    fn fill_groups(
        &self,
        grouping: &[usize],
        ws: &[u32],
        depths: &[u32],
        body: u32,
    ) -> Option<Vec<Group>> {
        let mut start = 0;
        let mut groups = Vec::with_capacity(grouping.len());
        for ((&n, &w), &depth) in grouping.iter().zip(ws).zip(depths) {
            let under = if depth >= body {
                0
            } else {
                body.checked_sub(depth + GAP).filter(|&u| u >= MIN_UNDER)?
            };
            let depth = depth.min(body);
            let figures = start..start + n;
            let captions: u32 = figures.clone().map(|i| self.caption_lines(i, w)).sum();
            // A pull quote takes its own depth; the photos share the rest.
            let fixed: u32 = figures
                .clone()
                .filter(|&i| self.is_pull(i))
                .map(|i| self.naturals[i][w as usize] as u32)
                .sum();
            let room = depth.checked_sub(captions + fixed + GAP * (n as u32 - 1))?;
            let elastic: Vec<usize> = figures.clone().filter(|&i| !self.is_pull(i)).collect();
            let total: f64 = elastic.iter().map(|&i| self.naturals[i][w as usize]).sum();
            let mut placed = Vec::with_capacity(n);
            let mut used = 0;
            for i in figures {
                let image = if self.is_pull(i) {
                    self.naturals[i][w as usize] as u32
                } else if elastic.last() == Some(&i) {
                    room.checked_sub(used)?
                } else {
                    let natural = self.naturals[i][w as usize];
                    let share = (f64::from(room) * natural / total).round() as u32;
                    used += share;
                    share
                };
                if elastic.is_empty() && room > 0 {
                    return None;
                }
                let fit = self.fit(i, w, image)?;
                placed.push(PlacedPhoto {
                    index: i,
                    pull: self.is_pull(i),
                    image,
                    caption: self.caption_lines(i, w),
                    fit,
                });
            }
            start += n;
            groups.push(Group {
                width: w,
                photos: placed,
                under,
            });
        }
        Some(groups)
    }

    /// Completes a shape: what its legs hold, what it sets, what it costs.
    fn finish(&self, frame: &Frame, groups: Vec<Group>) -> Option<SectionShape> {
        let wide: u32 = groups.iter().map(|g| g.width).sum();
        let text_cols = frame.k - wide;
        let mut legs: Vec<u32> = Vec::with_capacity(frame.k as usize);
        for g in &groups {
            legs.extend(std::iter::repeat_n(g.under, g.width as usize));
        }
        legs.extend(std::iter::repeat_n(frame.body, text_cols as usize));
        let capacity: u32 = legs.iter().sum();
        let set = match self.section.to_set(frame.piece) {
            Some(n) => n,
            None => {
                // A head piece fills its legs and leaves a real tail.
                let copy = capacity.checked_sub(1)?;
                if copy < MIN_PIECE || copy + MIN_PIECE > self.section.lines {
                    return None;
                }
                capacity
            }
        };
        let (text, overset) = text_cost(&legs, set);
        let photos: f64 = groups
            .iter()
            .flat_map(|g| &g.photos)
            .map(|p| p.fit.cost)
            .sum();
        Some(SectionShape {
            heading: frame.heading,
            body: frame.body,
            side: self.section.side,
            groups,
            text_cols,
            set,
            capacity,
            overset,
            cost: text + photos,
        })
    }
}

/// Where a section's shape is being fitted.
struct Frame {
    piece: Piece,
    k: u32,
    heading: u32,
    body: u32,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Ctx {
        Ctx::sample(8)
    }

    fn section(lines: u32, photos: &[(u32, u32)]) -> Section {
        Section {
            heading: vec![3; 9],
            lines,
            photos: photos
                .iter()
                .enumerate()
                .map(|(slot, &pixels)| Photo::sample(slot, pixels, 2))
                .collect(),
            side: Side::Right,
            pull: None,
            heading_ink: Vec::new(),
        }
    }

    #[test]
    fn enumerations() {
        assert_eq!(groupings(3).len(), 4);
        assert_eq!(widths(2, 2, 5), vec![vec![2, 2], vec![2, 3], vec![3, 2]]);
    }

    #[test]
    fn text_only_sections_fill_balanced_legs() {
        let s = section(100, &[]);
        let shape = s.shape(&ctx(), Piece::Whole, 4, 3 + 25).unwrap();
        assert_eq!((shape.capacity, shape.overset), (100, 0));
        let shape = s.shape(&ctx(), Piece::Whole, 4, 3 + 24).unwrap();
        assert_eq!(shape.overset, 4);
    }

    #[test]
    fn a_photo_makes_a_section_elastic() {
        let s = section(120, &[(3000, 2000)]);
        let c = ctx();
        let depths: Vec<u32> = (20..60)
            .filter(|&h| {
                s.shape(&c, Piece::Whole, 6, h)
                    .is_some_and(|shape| shape.overset == 0 && shape.capacity - shape.set < 4)
            })
            .collect();
        assert!(depths.len() > 10, "{depths:?}");
    }

    #[test]
    fn a_head_piece_fills_its_legs_and_leaves_a_tail() {
        let s = section(400, &[(3000, 2000)]);
        let shape = s.shape(&ctx(), Piece::Head, 8, 40).unwrap();
        assert_eq!(shape.set, shape.capacity);
        assert!(shape.set < 400);
        let tail = s
            .shape(
                &ctx(),
                Piece::Tail {
                    from: shape.set - 1,
                },
                8,
                40,
            )
            .unwrap();
        assert_eq!(tail.heading, 0);
        assert!(tail.groups.is_empty());
    }
}
