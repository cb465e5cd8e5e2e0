//! The search: strips of modules down each page, by dynamic programming.
//!
//! A page is a stack of strips across its full width; a strip is a row of
//! modules side by side, all as deep as the strip; a module is a stack of
//! consecutive items at one width. Items keep their reading order: strips
//! top to bottom, modules left to right, a module's items top to bottom.
//! (A guillotine layout three cuts deep, as in Gange, Marriott & Stuckey.)
//!
//! Three dynamic programs, each over depths in lines:
//! - a module's cost at every depth: its items' costs convolved with the
//!   gaps between them, plus any gap left at its foot;
//! - a strip's cost at every depth: the cheapest way to cut its items into
//!   modules whose widths fill the page's columns ([`super::strips`]);
//! - the pages: states (page, line, next item, line of a continued story),
//!   strips as transitions. A story may end a page with a head piece and
//!   continue at the top of the next page (a jump, 转版).
//!
//! White space is gathered, as a page designer gathers it: a gap of one or
//! two lines may stand anywhere (a module a line shallower than the one
//! beside it, feathering between strips), but a deeper one only in the
//! *open area* at a page's foot: below the page's last strip, at the foot
//! of one module of a strip that reaches the page's foot, or as a module
//! with nothing in it there. Anywhere else a deep gap is stranded, and
//! costs more than any bend of the design. Reserved areas (an ad) are
//! fixed modules in the first or the last strip of their page.
//!
//! Everything is polynomial in the items, columns and lines; the number of
//! items in a strip and in a module is capped.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use super::grid::PhotoFit;
use super::items::{
    BoxFit, Content, Ctx, DEEP, GAP, Item, Piece, SectionShape, cost, gap_cost, open_cost,
};
use super::section::Prepared;
use super::strips::{Edge, Tables};

/// How much worse leaving a box, photo or heading off is than cutting a
/// line of copy, per cell.
pub const LEFT_OFF: u32 = 8;

/// Items in one strip at most.
pub const STRIP_ITEMS: usize = 6;
/// Items stacked in one module at most.
pub const MODULE_ITEMS: usize = 4;

/// A cost per depth in lines (index = lines); infinite where impossible.
pub(super) type Costs = Vec<f64>;

/// What to lay out.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The grid and photo rules.
    pub ctx: Ctx,
    /// Everything to place, in reading order.
    pub items: Vec<Item>,
    /// Body lines of each page (the last one's foot reserve taken off).
    pub pages: Vec<u32>,
    /// Whether a story may continue on the next page.
    pub jumps: bool,
    /// Areas reserved on each page (an ad, a filler): kept free.
    pub reserved: Vec<Vec<Reserve>>,
    /// Whether white space may gather in an open area at a page's foot;
    /// where it may not (the band beside the banner), a deep gap anywhere
    /// is stranded.
    pub open: bool,
}

/// An area reserved on a page, at its top or its foot.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Reserve {
    /// First column.
    pub x: u32,
    /// Columns.
    pub w: u32,
    /// Lines.
    pub h: u32,
    /// At the top of the page's body (else at its foot).
    pub top: bool,
    /// Which of the report's reserved areas it is.
    pub id: usize,
}

/// A laid-out set of pages.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Solution {
    /// Each page's strips, top to bottom.
    pub pages: Vec<Vec<Strip>>,
    /// What it costs.
    pub cost: f64,
    /// Items left off the pages at the end (a story's tail from its line),
    /// when not even cutting every story to its heading makes room.
    pub dropped: Vec<(usize, u32)>,
}

/// A row of modules across the page.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Strip {
    /// First line.
    pub y: u32,
    /// Depth in lines.
    pub h: u32,
    /// Modules from the left.
    pub modules: Vec<Module>,
}

/// Items stacked in a run of columns.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Module {
    /// First column.
    pub x: u32,
    /// Columns.
    pub w: u32,
    /// Its blocks from the top.
    pub blocks: Vec<Placed>,
    /// The reserved area it holds, above its blocks (a top reserve) or
    /// below them.
    pub reserve: Option<Reserve>,
    /// The open area in it (first line, lines), if any: the white space
    /// the page gathers for an ad or a filler, below its blocks (above a
    /// reserve at the foot).
    pub open: Option<(u32, u32)>,
}

/// An item (or a piece of a story) placed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Placed {
    /// Index into the problem's items.
    pub item: usize,
    /// Which part of it.
    pub piece: Piece,
    /// First line.
    pub y: u32,
    /// Depth in lines.
    pub h: u32,
    /// How it sits.
    pub shape: Shape,
}

/// How a placed item sits.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Shape {
    /// A story's piece.
    Section(SectionShape),
    /// A box in a type variant, at its natural depth plus air.
    Block(BoxFit),
    /// A photo on its own.
    Picture(PhotoFit),
}

/// Lines of air that may be added between two strips (feathering, as
/// page make-up does to fill a page without a hole): one, so that with
/// the strips' gap and a leg a line short above it no column shows three
/// empty lines.
pub const FEATHER_LINES: u32 = 1;

/// The cost of `lines` of air added between strips across `cols` columns.
pub fn feather_cost(cols: u32, lines: u32) -> f64 {
    cost::FEATHER * f64::from(cols * lines)
}

/// What the space at a page's foot costs, full width, when its strips end
/// at `y`, with the open area still `free` (or not) where the problem has
/// one (`allowed`); and whether that takes the open area. A page with
/// nothing on it is a blank page of its own, apart from the open area: a
/// report too short for a spread sets its copy compactly on one page
/// (its white space gathered at that page's foot) and leaves the other
/// blank, rather than stretching its copy over a page in stranded gaps.
/// The first page of a spread costs more left blank.
pub fn page_end(
    cols: u32,
    lines: u32,
    y: u32,
    free: bool,
    allowed: bool,
    first: bool,
) -> (f64, bool) {
    if y == 0 && allowed && lines >= DEEP {
        let first = if first { cost::EMPTY_FIRST } else { 0.0 };
        return (cost::EMPTY_PAGE + first + open_cost(cols, lines), false);
    }
    let open = allowed && free;
    let left = lines - y.saturating_sub(GAP).min(lines);
    (page_foot(cols, lines, y, open), open && left >= DEEP)
}

/// The cost of the space at a page's foot, full width, when its strips end
/// at `y` (a gap below the last strip included): the open area when it is
/// deep (and may be), a gap otherwise; and a body with nothing on it.
pub fn page_foot(cols: u32, lines: u32, y: u32, open: bool) -> f64 {
    let used = y.saturating_sub(GAP).min(lines);
    let empty = if y == 0 { cost::EMPTY_PAGE } else { 0.0 };
    match lines - used {
        0 => empty,
        left if left >= DEEP && open => empty + open_cost(cols, left),
        left => empty + gap_cost(cols, left),
    }
}

/// The start of a strip: an item, maybe the tail of a continued story.
pub(super) type Start = (usize, u32);

/// A state of the page program: page, line, next item, whether air was
/// just added (feathering) so that a strip must follow, and whether the
/// open area is used (there is one, at most).
type At = (usize, u32, Start, bool, bool);

/// The states: by air just added, by the open area used, then by page and
/// line.
type States = [[Vec<Vec<Bucket>>; 2]; 2];

/// How a state of the page program was reached.
#[derive(Debug, Clone, Copy)]
enum Back {
    Start,
    Strip {
        from: At,
        j: usize,
        h: u32,
        edge: Edge,
        open: bool,
    },
    Cut {
        from: At,
        j: usize,
        h: u32,
        held: u32,
        edge: Edge,
        open: bool,
    },
    PageEnd {
        from: At,
    },
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    cost: f64,
    back: Back,
}

/// The states at one line of one page: by next item, and the tails of
/// continued stories apart (there are few).
#[derive(Debug, Clone)]
struct Bucket {
    whole: Vec<Option<Entry>>,
    tails: BTreeMap<Start, Entry>,
}

impl Bucket {
    fn new(items: usize) -> Self {
        Self {
            whole: vec![None; items + 1],
            tails: BTreeMap::new(),
        }
    }

    fn get(&self, start: Start) -> Option<&Entry> {
        if start.1 == 0 {
            self.whole[start.0].as_ref()
        } else {
            self.tails.get(&start)
        }
    }

    /// Keeps the cheaper way to reach a state.
    fn relax(&mut self, start: Start, cost: f64, back: Back) {
        if self.get(start).is_some_and(|old| old.cost <= cost) {
            return;
        }
        let entry = Entry { cost, back };
        if start.1 == 0 {
            self.whole[start.0] = Some(entry);
        } else {
            self.tails.insert(start, entry);
        }
    }

    /// Every state, in order of item and line, into `out` (a buffer): the
    /// whole items and the tails, each in order already, merged.
    fn entries(&self, out: &mut Vec<(Start, Entry)>) {
        out.clear();
        let mut tails = self.tails.iter().peekable();
        for (i, e) in self.whole.iter().enumerate() {
            while let Some((&start, &tail)) = tails.next_if(|(start, _)| start.0 < i) {
                out.push((start, tail));
            }
            if let Some(e) = e {
                out.push(((i, 0), *e));
            }
        }
        out.extend(tails.map(|(k, v)| (*k, *v)));
    }
}

/// The search's memory: costs per depth, kept while one problem is solved.
pub struct Solver<'a> {
    pub(super) problem: &'a Problem,
    pub(super) hmax: usize,
    /// Each section item made ready to search (shared with a helper).
    prepared: Arc<Vec<Option<Prepared<'a>>>>,
    items: HashMap<(usize, Piece, u32), Arc<Costs>>,
    pub(super) stacks: HashMap<(Start, usize, u32), Arc<Costs>>,
    pub(super) tables: Tables,
    heads: HashMap<(usize, u32, u32), Arc<Vec<SectionShape>>>,
    /// Whether the strip tables each page needs are worked out before it,
    /// on a second thread beside this one.
    helper: bool,
    /// The cuts worked out at one line of one page (by start, kind of
    /// strip, story, depth and open area): the states there with and
    /// without air, the open area used or not, ask for the same ones.
    cuts: Cuts,
}

/// What a set of cut strips is found for: the start, the kind of strip,
/// the story cut, the depth and whether the strip holds the open area.
type Cut = (Start, Edge, usize, u32, bool);

/// The cut strips found at one line of one page: for each amount of copy
/// the head can hold, the cheapest strip's cost.
#[derive(Default)]
struct Cuts {
    /// The page and line.
    line: Option<(usize, u32)>,
    found: HashMap<Cut, Vec<(f64, u32)>>,
}

/// What a helper thread worked out: its items' costs, stacks and strips.
struct Memo {
    items: HashMap<(usize, Piece, u32), Arc<Costs>>,
    stacks: HashMap<(Start, usize, u32), Arc<Costs>>,
    tables: Tables,
}

/// Strip tables fewer than this are left to the search (a thread costs
/// more than they do).
const SHARED_TABLES: usize = 8;

impl<'a> Solver<'a> {
    /// A solver for `problem`.
    pub fn new(problem: &'a Problem) -> Self {
        let hmax = problem.pages.iter().copied().max().unwrap_or(0);
        let prepared = problem
            .items
            .iter()
            .map(|item| match &item.content {
                Content::Section(s) => Some(s.prepare(&problem.ctx, hmax)),
                _ => None,
            })
            .collect();
        Self::with_prepared(problem, Arc::new(prepared))
    }

    /// A solver for `problem` with its sections made ready already.
    fn with_prepared(problem: &'a Problem, prepared: Arc<Vec<Option<Prepared<'a>>>>) -> Self {
        let hmax = problem.pages.iter().copied().max().unwrap_or(0) as usize;
        Self {
            problem,
            hmax,
            prepared,
            items: HashMap::default(),
            stacks: HashMap::default(),
            tables: Tables::new(problem, hmax),
            heads: HashMap::default(),
            helper: false,
            cuts: Cuts::default(),
        }
    }

    /// This solver, working out the strip tables a page needs before the
    /// search reaches it, half of them on a second thread (the same
    /// tables, so the same solution, sooner on two cores).
    pub fn with_helper(mut self) -> Self {
        self.helper = true;
        self
    }

    /// The strip tables page `p` will need that can be known before the
    /// search reaches it: on the first page, those from every item on
    /// every kind of strip below a page's top (and at the top of the pages
    /// after it); on a later page, those from the stories continued at
    /// its top.
    fn wanted(&self, states: &States, p: usize) -> Vec<(Start, Edge)> {
        let t = &self.tables;
        if p == 0 {
            let mut edges: Vec<Edge> = (0..self.problem.pages.len())
                .flat_map(|q| {
                    let top = [t.edge(q, true, false), t.edge(q, true, true)];
                    let below = [t.edge(q, false, false), t.edge(q, false, true)];
                    below
                        .into_iter()
                        .chain(top.into_iter().filter(move |_| q > 0))
                })
                .collect();
            edges.sort_by_key(|e| e.index());
            edges.dedup();
            let n = self.problem.items.len();
            return (0..n)
                .flat_map(|i| edges.iter().map(move |&e| ((i, 0), e)))
                .collect();
        }
        let mut entries = Vec::new();
        let mut wanted = Vec::new();
        for used in &states[0] {
            used[p][0].entries(&mut entries);
            for &(start, _) in &entries {
                if start.1 > 0 {
                    wanted.extend(
                        [t.edge(p, true, false), t.edge(p, true, true)].map(|e| (start, e)),
                    );
                }
            }
        }
        wanted
    }

    /// Works out the strip tables `wanted` not known yet, on two threads:
    /// first the costs of the items they stack, whole, each item on one
    /// thread; then the tables, those from one item on one thread.
    fn fill(&mut self, mut wanted: Vec<(Start, Edge)>) {
        wanted.retain(|&(start, edge)| !self.tables.has(start, edge));
        if wanted.len() < SHARED_TABLES {
            return;
        }
        wanted.sort_by_key(|&(start, edge)| (start, edge.index()));
        wanted.dedup();
        let n = self.problem.items.len();
        let first = wanted[0].0.0;
        let last = wanted[wanted.len() - 1].0.0;
        let cols = self.cols();
        let items: Vec<usize> = (first..(last + STRIP_ITEMS).min(n))
            .filter(|&i| (1..=cols).any(|k| !self.items.contains_key(&(i, Piece::Whole, k))))
            .collect();
        if !items.is_empty() {
            self.share(&items, |solver, &item| {
                for k in 1..=cols {
                    solver.item_costs(item, Piece::Whole, k);
                }
            });
        }
        let groups: Vec<&[(Start, Edge)]> = wanted.chunk_by(|a, b| a.0.0 == b.0.0).collect();
        self.share(&groups, |solver, group| {
            for &(start, edge) in *group {
                solver.table(start, edge);
            }
        });
    }

    /// Works through `work` on two threads: this one from the first on,
    /// a helper (a solver of its own, from the items' costs known) from
    /// the last back, until they meet; what the helper found is then
    /// taken in.
    fn share<T: Sync>(&mut self, work: &[T], each: impl Fn(&mut Solver<'a>, &T) + Sync) {
        let ends = std::sync::Mutex::new((0, work.len()));
        let take = |front: bool| {
            let mut ends = ends.lock().unwrap_or_else(|e| e.into_inner());
            let (lo, hi) = &mut *ends;
            (*lo < *hi).then(|| {
                if front {
                    *lo += 1;
                    &work[*lo - 1]
                } else {
                    *hi -= 1;
                    &work[*hi]
                }
            })
        };
        let (problem, prepared, items) = (self.problem, self.prepared.clone(), self.items.clone());
        let memo = std::thread::scope(|scope| {
            let helper = scope.spawn(|| {
                let mut other = Solver::with_prepared(problem, prepared);
                other.items = items;
                while let Some(unit) = take(false) {
                    each(&mut other, unit);
                }
                Memo {
                    items: other.items,
                    stacks: other.stacks,
                    tables: other.tables,
                }
            });
            while let Some(unit) = take(true) {
                each(self, unit);
            }
            helper
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        for (key, costs) in memo.items {
            self.items.entry(key).or_insert(costs);
        }
        for (key, costs) in memo.stacks {
            self.stacks.entry(key).or_insert(costs);
        }
        self.tables.absorb(memo.tables);
    }

    pub(super) fn cols(&self) -> u32 {
        self.problem.ctx.grid.cols
    }

    pub(super) fn piece(from: u32) -> Piece {
        if from == 0 {
            Piece::Whole
        } else {
            Piece::Tail { from }
        }
    }

    /// Cost and shape of an item's piece `k` columns wide, `h` lines deep.
    pub fn item_shape(&self, item: usize, piece: Piece, k: u32, h: u32) -> Option<(f64, Shape)> {
        let ctx = &self.problem.ctx;
        match &self.problem.items[item].content {
            Content::Section(_) => {
                if k < 2 {
                    return None;
                }
                self.prepared[item]
                    .as_ref()?
                    .shape(piece, k, h)
                    .map(|shape| (shape.cost, Shape::Section(shape)))
            }
            Content::Block(b) => b.fit(k, h).map(|(c, fit)| (c, Shape::Block(fit))),
            Content::Picture(p) => {
                // A banner in the body spans at least three eighths of the
                // page (a portrait one is narrow and deep).
                if 8 * k < 3 * ctx.grid.cols {
                    return None;
                }
                p.fit(&ctx.grid, &ctx.rules, k, h)
                    .map(|fit| (fit.cost, Shape::Picture(fit)))
            }
        }
    }

    /// What [`Solver::item_shape`] costs, without building the shape.
    fn item_cost(&self, item: usize, piece: Piece, k: u32, h: u32) -> Option<f64> {
        match &self.problem.items[item].content {
            Content::Section(_) if k >= 2 => self.prepared[item].as_ref()?.cost(piece, k, h),
            Content::Section(_) => None,
            _ => self.item_shape(item, piece, k, h).map(|(c, _)| c),
        }
    }

    /// An item's cost at every depth.
    pub(super) fn item_costs(&mut self, item: usize, piece: Piece, k: u32) -> Arc<Costs> {
        if let Some(costs) = self.items.get(&(item, piece, k)) {
            return costs.clone();
        }
        let costs: Costs = (0..=self.hmax as u32)
            .map(|h| self.item_cost(item, piece, k, h).unwrap_or(f64::INFINITY))
            .collect();
        let costs = Arc::new(costs);
        self.items.insert((item, piece, k), costs.clone());
        costs
    }

    /// Items `start..u` stacked exactly `h` deep at width `w`.
    pub(super) fn stack(&mut self, start: Start, u: usize, w: u32) -> Arc<Costs> {
        if let Some(costs) = self.stacks.get(&(start, u, w)) {
            return costs.clone();
        }
        let (t, from) = start;
        let costs = if u == t + 1 {
            self.item_costs(t, Self::piece(from), w)
        } else {
            let above = self.stack(start, u - 1, w);
            let last = self.item_costs(u - 1, Piece::Whole, w);
            Arc::new(convolve(&above, &last, GAP as usize))
        };
        self.stacks.insert((start, u, w), costs.clone());
        costs
    }

    /// What leaving off the items from `start` on takes from the reader,
    /// in lines of copy: a story's tail lines, and for anything left off
    /// whole (a story with its heading and photos, a box, a photo) its
    /// cells at its smallest, [`LEFT_OFF`] times over. Cutting copy is the
    /// remedy the composer looks for first; leaving things off is the last.
    pub(crate) fn left_over(&self, start: Start) -> u32 {
        let (i, from) = start;
        self.problem.items[i..]
            .iter()
            .enumerate()
            .map(|(k, item)| match &item.content {
                Content::Section(s) if k == 0 && from > 0 => s.lines - from.min(s.lines),
                Content::Section(s) => {
                    let heading = s.heading.get(2).copied().unwrap_or(2) * 2;
                    s.lines + LEFT_OFF * (heading + 16 * s.photos.len() as u32)
                }
                Content::Block(b) => {
                    let cells = (1..=self.cols()).filter_map(|w| b.least(w).map(|n| n * w));
                    LEFT_OFF * cells.min().unwrap_or(0)
                }
                Content::Picture(_) => LEFT_OFF * 10 * self.cols(),
            })
            .sum()
    }

    /// The head pieces of item `j` at width `k`, depth `h`.
    pub(super) fn heads(&mut self, j: usize, k: u32, h: u32) -> Arc<Vec<SectionShape>> {
        if let Some(heads) = self.heads.get(&(j, k, h)) {
            return heads.clone();
        }
        let heads = match &self.prepared[j] {
            Some(prepared) if k >= 2 => prepared.head_shapes(k, h),
            _ => Vec::new(),
        };
        let heads = Arc::new(heads);
        self.heads.insert((j, k, h), heads.clone());
        heads
    }

    /// Strips of items `start.0..j` ending with a head piece of item `j`,
    /// `h` deep, at the page's foot, with the open area in them (`open`) or
    /// not: for each amount of copy the head can hold, the cheapest such
    /// strip's cost.
    fn cut_options(
        &mut self,
        start: Start,
        edge: Edge,
        j: usize,
        h: u32,
        open: bool,
    ) -> Vec<(f64, u32)> {
        let cols = self.cols();
        let after = self.tables.fixed_end(edge);
        let mut best: HashMap<u32, f64> = HashMap::default();
        for c in after..cols.saturating_sub(1) {
            let before = self.partial(start, edge, (j, c), open, h);
            if before.is_infinite() {
                continue;
            }
            for shape in self.heads(j, cols - c, h).iter() {
                let total = before + shape.cost;
                let held = shape.set - 1;
                let entry = best.entry(held).or_insert(f64::INFINITY);
                if total < *entry {
                    *entry = total;
                }
            }
        }
        let mut out: Vec<(f64, u32)> = best.into_iter().map(|(held, c)| (c, held)).collect();
        out.sort_by_key(|&(_, held)| held);
        out
    }

    /// What the space at a page's foot costs when its strips end at `y`
    /// with the open area `used` already, and whether it is used after.
    fn foot(&self, p: usize, pages: usize, lines: u32, y: u32, used: bool) -> (f64, bool) {
        let first = p == 0 && pages > 1;
        let (cost, takes) = page_end(self.cols(), lines, y, !used, self.problem.open, first);
        (cost, used || takes)
    }

    /// Solves the problem: the cheapest layout of every item.
    pub fn solve(&mut self) -> Option<Solution> {
        let pages = self.problem.pages.clone();
        self.solve_for(&pages)
    }

    /// Solves for pages of these depths (at most the problem's), reusing
    /// what earlier solves computed.
    pub fn solve_for(&mut self, pages: &[u32]) -> Option<Solution> {
        let pages = pages.to_vec();
        let n = self.problem.items.len();
        let buckets = |pages: &[u32]| -> Vec<Vec<Bucket>> {
            pages
                .iter()
                .map(|&h| vec![Bucket::new(n); (h + GAP + 1) as usize])
                .collect()
        };
        let mut states: States = [
            [buckets(&pages), buckets(&pages)],
            [buckets(&pages), buckets(&pages)],
        ];
        states[0][0][0][0].relax((0, 0), 0.0, Back::Start);
        let mut best: Option<(f64, At)> = None;
        let mut entries = Vec::new();
        for p in 0..pages.len() {
            if self.helper {
                let wanted = self.wanted(&states, p);
                self.fill(wanted);
            }
            for y in 0..=(pages[p] + GAP) {
                for air in [false, true] {
                    for used in [false, true] {
                        let bucket = &states[usize::from(air)][usize::from(used)][p][y as usize];
                        bucket.entries(&mut entries);
                        for &(start, entry) in &entries {
                            let at = (p, y, start, air, used);
                            if !air && self.may_end_page(p, pages[p], y) {
                                let (foot, used) = self.foot(p, pages.len(), pages[p], y, used);
                                if p + 1 == pages.len() {
                                    // The end: what is left over is overset.
                                    let total = entry.cost
                                        + foot
                                        + cost::OVERSET * f64::from(self.left_over(start));
                                    if best.is_none_or(|(b, _)| total < b) {
                                        best = Some((total, at));
                                    }
                                } else {
                                    let next = &mut states[0][usize::from(used)][p + 1][0];
                                    next.relax(
                                        start,
                                        entry.cost + foot,
                                        Back::PageEnd { from: at },
                                    );
                                }
                            }
                            self.expand(&mut states, &pages, at, entry.cost);
                        }
                    }
                }
            }
        }
        let (cost, end) = best?;
        let (_, _, (i, from), _, _) = end;
        let dropped = (i..n).map(|j| (j, if j == i { from } else { 0 })).collect();
        Some(Solution {
            pages: self.rebuild(&states, end, pages.len()),
            cost,
            dropped,
        })
    }

    /// Whether page `p` (`lines` deep) may end with its strips ending at
    /// `y`: its reserved areas must have been placed (a page that reserves
    /// any ends with a strip reaching its foot).
    fn may_end_page(&self, p: usize, lines: u32, y: u32) -> bool {
        let reserved = self.problem.reserved.get(p).is_some_and(|r| !r.is_empty());
        !reserved || y >= lines + GAP
    }

    /// Every transition out of one state. After air only a strip may
    /// follow (feathering is space between strips, not at a page's foot).
    /// A strip that holds the open area is taken only while it is unused.
    fn expand(&mut self, states: &mut States, pages: &[u32], at: At, cost: f64) {
        let (p, y, start, _, used) = at;
        let n = self.problem.items.len();
        let room = pages[p].saturating_sub(y);
        let opens: &[bool] = if used { &[false] } else { &[false, true] };
        if y <= pages[p] && room > 0 {
            let inner = self.tables.edge(p, y == 0, false);
            let foot = self.tables.edge(p, y == 0, true);
            let first = if self.tables.takes_nothing(foot) {
                start.0
            } else {
                start.0 + 1
            };
            for j in first..=(start.0 + STRIP_ITEMS).min(n) {
                let inner_strip = self.strip(start, inner, j, false);
                let inner_costs: &[f64] = &inner_strip;
                let next_start = if j == start.0 { start } else { (j, 0) };
                for &open in opens {
                    let foot_strip = self.strip(start, foot, j, open);
                    let foot_costs: &[f64] = &foot_strip;
                    let after = usize::from(used || open);
                    // A strip that holds the open area reaches the foot.
                    let least = if open { room } else { 1 };
                    for h in least..=room {
                        let reaches = h == room;
                        let v = if reaches {
                            foot_costs[h as usize]
                        } else {
                            inner_costs[h as usize]
                        };
                        if v.is_infinite() {
                            continue;
                        }
                        let edge = if reaches { foot } else { inner };
                        let back = Back::Strip {
                            from: at,
                            j,
                            h,
                            edge,
                            open,
                        };
                        let next = y + h + GAP;
                        states[0][after][p][next as usize].relax(next_start, cost + v, back);
                        // Feathering: a line more below the strip; another
                        // strip must then follow.
                        for extra in 1..=FEATHER_LINES {
                            if next + extra < pages[p] {
                                let air = cost + v + feather_cost(self.cols(), extra);
                                states[1][after][p][(next + extra) as usize]
                                    .relax(next_start, air, back);
                            }
                        }
                    }
                }
            }
        }
        if p + 1 < pages.len() && self.problem.jumps && room > 0 {
            if self.cuts.line != Some((p, y)) {
                self.cuts.line = Some((p, y));
                self.cuts.found.clear();
            }
            let edge = self.tables.edge(p, y == 0, true);
            for j in start.0..(start.0 + STRIP_ITEMS).min(n) {
                let is_story = matches!(self.problem.items[j].content, Content::Section(_));
                if !is_story || (j == start.0 && start.1 > 0) {
                    continue;
                }
                for &open in opens {
                    let after = usize::from(used || open);
                    let key = (start, edge, j, room, open);
                    if !self.cuts.found.contains_key(&key) {
                        let options = self.cut_options(start, edge, j, room, open);
                        self.cuts.found.insert(key, options);
                    }
                    for &(v, held) in &self.cuts.found[&key] {
                        let back = Back::Cut {
                            from: at,
                            j,
                            h: room,
                            held,
                            edge,
                            open,
                        };
                        // A cut strip reaches the page's foot: the page ends.
                        states[0][after][p + 1][0].relax((j, held), cost + v + cost::JUMP, back);
                    }
                }
            }
        }
    }

    /// Follows the back pointers from the final state to the pages.
    fn rebuild(&mut self, states: &States, end: At, count: usize) -> Vec<Vec<Strip>> {
        let mut pages: Vec<Vec<Strip>> = vec![Vec::new(); count];
        let mut at = end;
        loop {
            let (p, y, start, air, used) = at;
            let entry = *states[usize::from(air)][usize::from(used)][p][y as usize]
                .get(start)
                .expect("a state on the path was reached");
            match entry.back {
                Back::Start => break,
                Back::PageEnd { from } => at = from,
                Back::Strip {
                    from,
                    j,
                    h,
                    edge,
                    open,
                } => {
                    let strip = self.rebuild_strip(from.2, edge, j, from.1, h, None, open);
                    pages[from.0].push(strip);
                    at = from;
                }
                Back::Cut {
                    from,
                    j,
                    h,
                    held,
                    edge,
                    open,
                } => {
                    let strip = self.rebuild_strip(from.2, edge, j, from.1, h, Some(held), open);
                    pages[from.0].push(strip);
                    at = from;
                }
            }
        }
        for page in &mut pages {
            page.reverse();
        }
        pages
    }
}

/// Depths `a + gap + b` of two stacked things, at the cheapest split.
/// Only the depths where `b` is possible are tried (a box's are few).
pub(super) fn convolve(a: &[f64], b: &[f64], gap: usize) -> Costs {
    let n = a.len();
    let mut out = vec![f64::INFINITY; n];
    let (Some(first), Some(last)) = (
        b.iter().position(|y| y.is_finite()),
        b.iter().rposition(|y| y.is_finite()),
    ) else {
        return out;
    };
    for (i, &x) in a.iter().enumerate() {
        if x.is_infinite() {
            continue;
        }
        let lo = i + gap + first;
        if lo >= n {
            break;
        }
        let hi = (i + gap + last).min(n - 1);
        // A select, not a conditional store, so that it compiles to vector
        // minimums (`x` is finite: where `y` is not, neither is the sum).
        for (o, &y) in out[lo..=hi].iter_mut().zip(&b[first..]) {
            let v = x + y;
            *o = if v < *o { v } else { *o };
        }
    }
    out
}
