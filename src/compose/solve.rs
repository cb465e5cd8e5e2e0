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
//!   gaps between them, plus any hole left at its foot;
//! - a strip's cost at every depth: the cheapest way to cut its items into
//!   modules whose widths fill the page's columns;
//! - the pages: states (page, line, next item, line of a continued story),
//!   strips as transitions. A story may end a page with a head piece and
//!   continue at the top of the next page (a jump, 转版).
//!
//! Everything is polynomial in the items, columns and lines; the number of
//! items in a strip and in a module is capped.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use super::grid::PhotoFit;
use super::items::{Content, Ctx, GAP, Item, Piece, Prepared, SectionShape, cost};

/// How much worse leaving a box, photo or heading off is than cutting a
/// line of copy, per cell.
pub const LEFT_OFF: u32 = 8;

/// Items in one strip at most.
pub const STRIP_ITEMS: usize = 6;
/// Items stacked in one module at most.
pub const MODULE_ITEMS: usize = 4;

/// A cost per depth in lines (index = lines); infinite where impossible.
type Costs = Vec<f64>;

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
}

/// A laid-out set of pages.
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, PartialEq)]
pub struct Strip {
    /// First line.
    pub y: u32,
    /// Depth in lines.
    pub h: u32,
    /// Modules from the left.
    pub modules: Vec<Module>,
}

/// Items stacked in a run of columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// First column.
    pub x: u32,
    /// Columns.
    pub w: u32,
    /// Its blocks from the top.
    pub blocks: Vec<Placed>,
}

/// An item (or a piece of a story) placed.
#[derive(Debug, Clone, PartialEq)]
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
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A story's piece.
    Section(SectionShape),
    /// A box at its natural depth plus air.
    Block {
        /// Its depth without air.
        natural: u32,
    },
    /// A photo on its own.
    Picture(PhotoFit),
}

/// Lines of air that may be added between two strips (feathering, as
/// page make-up does to fill a page without a hole).
pub const FEATHER_LINES: u32 = 2;

/// The cost of `lines` of air added between strips across `cols` columns.
pub fn feather_cost(cols: u32, lines: u32) -> f64 {
    cost::FEATHER * f64::from(cols * lines)
}

/// The cost of a hole `lines` deep and `w` columns wide.
pub fn hole_cost(w: u32, lines: u32) -> f64 {
    let cells = f64::from(w * lines);
    if lines >= 3 {
        cells * (cost::HOLE + cost::DEEP_HOLE)
    } else {
        cells * cost::HOLE
    }
}

/// The start of a strip: an item, maybe the tail of a continued story.
type Start = (usize, u32);

/// A state of the page program: page, line, next item, and whether air
/// was just added (feathering) so that a strip must follow.
type At = (usize, u32, Start, bool);

/// How a state of the page program was reached.
#[derive(Debug, Clone, Copy)]
enum Back {
    Start,
    Strip {
        from: At,
        j: usize,
        h: u32,
    },
    Cut {
        from: At,
        j: usize,
        h: u32,
        held: u32,
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

    /// Every state, in order of item and line.
    fn entries(&self) -> Vec<(Start, Entry)> {
        let mut out: Vec<(Start, Entry)> = self
            .whole
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.map(|e| ((i, 0), e)))
            .collect();
        out.extend(self.tails.iter().map(|(k, v)| (*k, *v)));
        out.sort_by_key(|(k, _)| *k);
        out
    }
}

/// The search's memory: costs per depth, kept while one problem is solved.
pub struct Solver<'a> {
    problem: &'a Problem,
    hmax: usize,
    /// Each section item made ready to search.
    prepared: Vec<Option<Prepared<'a>>>,
    items: HashMap<(usize, Piece, u32), Rc<Costs>>,
    stacks: HashMap<(Start, usize, u32), Rc<Costs>>,
    modules: HashMap<(Start, usize, u32), Rc<Costs>>,
    partitions: HashMap<Start, Rc<Vec<Vec<Costs>>>>,
    heads: HashMap<(usize, u32, u32), Rc<Vec<SectionShape>>>,
}

impl<'a> Solver<'a> {
    /// A solver for `problem`.
    pub fn new(problem: &'a Problem) -> Self {
        let hmax = problem.pages.iter().copied().max().unwrap_or(0) as usize;
        let prepared = problem
            .items
            .iter()
            .map(|item| match &item.content {
                Content::Section(s) => Some(s.prepare(&problem.ctx, hmax as u32)),
                _ => None,
            })
            .collect();
        Self {
            problem,
            hmax,
            prepared,
            items: HashMap::new(),
            stacks: HashMap::new(),
            modules: HashMap::new(),
            partitions: HashMap::new(),
            heads: HashMap::new(),
        }
    }

    fn cols(&self) -> u32 {
        self.problem.ctx.grid.cols
    }

    fn piece(from: u32) -> Piece {
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
            Content::Block(b) => b.cost(k, h).map(|c| {
                (
                    c,
                    Shape::Block {
                        natural: b.range(k).map_or(h, |r| r.0),
                    },
                )
            }),
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

    /// An item's cost at every depth.
    fn item_costs(&mut self, item: usize, piece: Piece, k: u32) -> Rc<Costs> {
        if let Some(costs) = self.items.get(&(item, piece, k)) {
            return costs.clone();
        }
        let costs: Costs = (0..=self.hmax as u32)
            .map(|h| {
                self.item_shape(item, piece, k, h)
                    .map_or(f64::INFINITY, |(c, _)| c)
            })
            .collect();
        let costs = Rc::new(costs);
        self.items.insert((item, piece, k), costs.clone());
        costs
    }

    /// Items `start..u` stacked exactly `h` deep at width `w`.
    fn stack(&mut self, start: Start, u: usize, w: u32) -> Rc<Costs> {
        if let Some(costs) = self.stacks.get(&(start, u, w)) {
            return costs.clone();
        }
        let (t, from) = start;
        let costs = if u == t + 1 {
            self.item_costs(t, Self::piece(from), w)
        } else {
            let above = self.stack(start, u - 1, w);
            let last = self.item_costs(u - 1, Piece::Whole, w);
            Rc::new(convolve(&above, &last, GAP as usize))
        };
        self.stacks.insert((start, u, w), costs.clone());
        costs
    }

    /// A module of items `start..u` at width `w`, a hole at its foot
    /// allowed beside another module (across the whole page, space at a
    /// strip's foot is the next strip's gap or the page's foot: counted
    /// there, where it is seen).
    fn module(&mut self, start: Start, u: usize, w: u32) -> Rc<Costs> {
        if let Some(costs) = self.modules.get(&(start, u, w)) {
            return costs.clone();
        }
        let exact = self.stack(start, u, w);
        let costs = if w == self.cols() {
            exact
        } else {
            Rc::new(with_holes(&exact, w))
        };
        self.modules.insert((start, u, w), costs.clone());
        costs
    }

    /// Strips from `start`: entry `[t - i][c]` is the cost per depth of
    /// items `i..t` cut into modules using exactly `c` columns.
    fn partitions(&mut self, start: Start) -> Rc<Vec<Vec<Costs>>> {
        if let Some(table) = self.partitions.get(&start) {
            return table.clone();
        }
        let (i, _) = start;
        let n = self.problem.items.len();
        let cols = self.cols() as usize;
        let last = (i + STRIP_ITEMS).min(n);
        let inf = vec![f64::INFINITY; self.hmax + 1];
        let mut table = vec![vec![inf; cols + 1]; last - i + 1];
        table[0][0] = vec![0.0; self.hmax + 1];
        for t in i..last {
            let run_start = if t == i { start } else { (t, 0) };
            for c in 0..cols {
                if table[t - i][c].iter().all(|v| v.is_infinite()) {
                    continue;
                }
                for u in t + 1..=(t + MODULE_ITEMS).min(last) {
                    for w in 1..=(cols - c) as u32 {
                        let module = self.module(run_start, u, w);
                        // Rows t and u are apart (u > t): borrow both.
                        let (before, after) = table.split_at_mut(u - i);
                        let base = &before[t - i][c];
                        let target = &mut after[0][c + w as usize];
                        for ((t, &b), &m) in target.iter_mut().zip(base).zip(module.iter()) {
                            let v = b + m;
                            if v < *t {
                                *t = v;
                            }
                        }
                    }
                }
            }
        }
        let table = Rc::new(table);
        self.partitions.insert(start, table.clone());
        table
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
                    let cells = (1..=self.cols()).filter_map(|w| b.range(w).map(|r| r.0 * w));
                    LEFT_OFF * cells.min().unwrap_or(0)
                }
                Content::Picture(_) => LEFT_OFF * 10 * self.cols(),
            })
            .sum()
    }

    /// The head pieces of item `j` at width `k`, depth `h`.
    fn heads(&mut self, j: usize, k: u32, h: u32) -> Rc<Vec<SectionShape>> {
        if let Some(heads) = self.heads.get(&(j, k, h)) {
            return heads.clone();
        }
        let heads = match &self.prepared[j] {
            Some(prepared) if k >= 2 => prepared.head_shapes(k, h),
            _ => Vec::new(),
        };
        let heads = Rc::new(heads);
        self.heads.insert((j, k, h), heads.clone());
        heads
    }

    /// Strips of items `start.0..j` ending with a head piece of item `j`,
    /// `h` deep: for each amount of copy the head can hold, the cheapest
    /// such strip's cost.
    fn cut_options(&mut self, start: Start, j: usize, h: u32) -> Vec<(f64, u32)> {
        let table = self.partitions(start);
        let row = &table[j - start.0];
        let cols = self.cols();
        let mut best: HashMap<u32, f64> = HashMap::new();
        for c in 0..cols.saturating_sub(1) {
            let before = row[c as usize][h as usize];
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
        // Normal states, and states just after feathering (air).
        let mut states = [buckets(&pages), buckets(&pages)];
        states[0][0][0].relax((0, 0), 0.0, Back::Start);
        let mut best: Option<(f64, At)> = None;
        for p in 0..pages.len() {
            for y in 0..=(pages[p] + GAP) {
                for air in [false, true] {
                    for (start, entry) in states[usize::from(air)][p][y as usize].entries() {
                        let at = (p, y, start, air);
                        if !air && p + 1 == pages.len() {
                            // The end: what is left over is overset.
                            let total = entry.cost
                                + page_hole(self.cols(), pages[p], y)
                                + cost::OVERSET * f64::from(self.left_over(start));
                            if best.is_none_or(|(b, _)| total < b) {
                                best = Some((total, at));
                            }
                        }
                        if start.0 == n {
                            if !air && p + 1 < pages.len() {
                                let cost = entry.cost + page_hole(self.cols(), pages[p], y);
                                states[0][p + 1][0].relax(start, cost, Back::PageEnd { from: at });
                            }
                            continue;
                        }
                        self.expand(&mut states, &pages, at, entry.cost);
                    }
                }
            }
        }
        let (cost, end) = best?;
        let (_, _, (i, from), _) = end;
        let dropped = (i..n).map(|j| (j, if j == i { from } else { 0 })).collect();
        Some(Solution {
            pages: self.rebuild(&states, end, pages.len()),
            cost,
            dropped,
        })
    }

    /// Every transition out of one state. After air only a strip may
    /// follow (feathering is space between strips, not at a page's foot).
    fn expand(&mut self, states: &mut [Vec<Vec<Bucket>>; 2], pages: &[u32], at: At, cost: f64) {
        let (p, y, start, air) = at;
        let n = self.problem.items.len();
        let room = pages[p].saturating_sub(y);
        if y <= pages[p] {
            for j in start.0 + 1..=(start.0 + STRIP_ITEMS).min(n) {
                let table = self.partitions(start);
                let row = &table[j - start.0][self.cols() as usize];
                for h in 1..=room {
                    let v = row[h as usize];
                    if v.is_finite() {
                        let back = Back::Strip { from: at, j, h };
                        let next = y + h + GAP;
                        states[0][p][next as usize].relax((j, 0), cost + v, back);
                        // Feathering: a line or two more below the strip;
                        // another strip must then follow.
                        for extra in 1..=FEATHER_LINES {
                            if next + extra < pages[p] {
                                let air = cost + v + feather_cost(self.cols(), extra);
                                states[1][p][(next + extra) as usize].relax((j, 0), air, back);
                            }
                        }
                    }
                }
            }
        }
        if p + 1 < pages.len() {
            if self.problem.jumps && room > 0 {
                for j in start.0..(start.0 + STRIP_ITEMS).min(n) {
                    let is_story = matches!(self.problem.items[j].content, Content::Section(_));
                    if !is_story || (j == start.0 && start.1 > 0) {
                        continue;
                    }
                    for (v, held) in self.cut_options(start, j, room) {
                        let back = Back::Cut {
                            from: at,
                            j,
                            h: room,
                            held,
                        };
                        states[0][p + 1][0].relax((j, held), cost + v + cost::JUMP, back);
                    }
                }
            }
            if !air {
                let hole = page_hole(self.cols(), pages[p], y);
                states[0][p + 1][0].relax(start, cost + hole, Back::PageEnd { from: at });
            }
        }
    }

    /// Follows the back pointers from the final state to the pages.
    fn rebuild(
        &mut self,
        states: &[Vec<Vec<Bucket>>; 2],
        end: At,
        count: usize,
    ) -> Vec<Vec<Strip>> {
        let mut pages: Vec<Vec<Strip>> = vec![Vec::new(); count];
        let mut at = end;
        loop {
            let (p, y, start, air) = at;
            let entry = *states[usize::from(air)][p][y as usize]
                .get(start)
                .expect("a state on the path was reached");
            match entry.back {
                Back::Start => break,
                Back::PageEnd { from } => at = from,
                Back::Strip { from, j, h } => {
                    let strip = self.rebuild_strip(from.2, j, from.1, h, None);
                    pages[from.0].push(strip);
                    at = from;
                }
                Back::Cut { from, j, h, held } => {
                    let strip = self.rebuild_strip(from.2, j, from.1, h, Some(held));
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

    /// The modules of a strip at depth `h`, found again at that depth; for
    /// a cut, ending with a head piece of item `j` holding `held` lines.
    fn rebuild_strip(&mut self, start: Start, j: usize, y: u32, h: u32, cut: Option<u32>) -> Strip {
        let cols = self.cols();
        let table = self.partitions(start);
        let hi = h as usize;
        // The columns the modules before a head piece use.
        let (mut c, mut head) = (cols as usize, None);
        if let Some(held) = cut {
            let mut best: Option<(f64, usize, Placed)> = None;
            for c0 in 0..cols.saturating_sub(1) as usize {
                let before = table[j - start.0][c0][hi];
                if before.is_infinite() {
                    continue;
                }
                for shape in self.heads(j, cols - c0 as u32, h).iter() {
                    if shape.set - 1 != held
                        || best.as_ref().is_some_and(|b| before + shape.cost >= b.0)
                    {
                        continue;
                    }
                    let placed = Placed {
                        item: j,
                        piece: Piece::Head,
                        y,
                        h,
                        shape: Shape::Section(shape.clone()),
                    };
                    best = Some((before + shape.cost, c0, placed));
                }
            }
            let (_, c0, placed) = best.expect("a cut strip found in the search exists");
            c = c0;
            head = Some(Module {
                x: c0 as u32,
                w: cols - c0 as u32,
                blocks: vec![placed],
            });
        }
        // Walk the partition table back from (j, c).
        let mut modules = Vec::new();
        let (mut u, mut target) = (j, table[j - start.0][c][hi]);
        while u > start.0 || c > 0 {
            let mut found = None;
            'search: for t in (start.0..u).rev() {
                if u - t > MODULE_ITEMS {
                    break;
                }
                let run_start = if t == start.0 { start } else { (t, 0) };
                for w in 1..=c as u32 {
                    let before = table[t - start.0][c - w as usize][hi];
                    let module = self.module(run_start, u, w)[hi];
                    if before.is_finite()
                        && (before + module - target).abs() <= 1e-6 * target.abs().max(1.0)
                    {
                        found = Some((t, run_start, w, before));
                        break 'search;
                    }
                }
            }
            let (t, run_start, w, before) = found.expect("the partition table leads back");
            c -= w as usize;
            modules.push(self.rebuild_module(run_start, u, c as u32, w, y, h));
            u = t;
            target = before;
        }
        modules.reverse();
        modules.extend(head);
        Strip { y, h, modules }
    }

    /// A module's blocks at depth `h`: the hole at its foot and each item's
    /// depth, found again.
    fn rebuild_module(&mut self, start: Start, u: usize, x: u32, w: u32, y: u32, h: u32) -> Module {
        let exact = self.stack(start, u, w);
        let total = self.module(start, u, w)[h as usize];
        let used = (0..=h)
            .rev()
            .find(|&e| {
                let v = exact[e as usize] + hole_cost(w, h - e);
                (v - total).abs() <= 1e-6 * total.abs().max(1.0)
            })
            .expect("a module's depth leads back");
        let mut depths = Vec::new();
        let (mut last, mut depth) = (u, used);
        while last > start.0 + 1 {
            let above = self.stack(start, last - 1, w);
            let item = self.item_costs(last - 1, Piece::Whole, w);
            let target = self.stack(start, last, w)[depth as usize];
            let split = (0..depth.saturating_sub(GAP))
                .find(|&a| {
                    let b = (depth - a - GAP) as usize;
                    (above[a as usize] + item[b] - target).abs() <= 1e-6 * target.abs().max(1.0)
                })
                .expect("a stack's depths lead back");
            depths.push((last - 1, Piece::Whole, depth - split - GAP));
            last -= 1;
            depth = split;
        }
        depths.push((start.0, Self::piece(start.1), depth));
        depths.reverse();
        let mut blocks = Vec::new();
        let mut top = y;
        for (item, piece, d) in depths {
            let (_, shape) = self
                .item_shape(item, piece, w, d)
                .expect("a block found in the search has a shape");
            blocks.push(Placed {
                item,
                piece,
                y: top,
                h: d,
                shape,
            });
            top += d + GAP;
        }
        Module { x, w, blocks }
    }
}

/// The hole at a page's foot when its strips end at `y` (a gap below the
/// last strip included).
fn page_hole(cols: u32, lines: u32, y: u32) -> f64 {
    let used = y.saturating_sub(GAP).min(lines);
    hole_cost(cols, lines - used)
}

/// Depths `a + gap + b` of two stacked things, at the cheapest split.
fn convolve(a: &[f64], b: &[f64], gap: usize) -> Costs {
    let n = a.len();
    let mut out = vec![f64::INFINITY; n];
    for (i, &x) in a.iter().enumerate() {
        if x.is_infinite() {
            continue;
        }
        for (j, &y) in b.iter().enumerate() {
            let h = i + gap + j;
            if h >= n {
                break;
            }
            if y.is_finite() && x + y < out[h] {
                out[h] = x + y;
            }
        }
    }
    out
}

/// A module's cost per depth when a hole may stay at its foot: the
/// cheapest of its exact depths plus the hole below (linear in depth: a
/// hole of three lines or more costs the same per cell, so a running
/// minimum covers them).
fn with_holes(exact: &[f64], w: u32) -> Costs {
    let deep = f64::from(w) * (cost::HOLE + cost::DEEP_HOLE);
    let mut best_deep = f64::INFINITY;
    (0..exact.len())
        .map(|h| {
            let mut v = exact[h];
            for x in 1..=2.min(h) {
                v = v.min(exact[h - x] + hole_cost(w, x as u32));
            }
            if h >= 3 {
                let e = h - 3;
                best_deep = best_deep.min(exact[e] - deep * e as f64);
                v = v.min(best_deep + deep * h as f64);
            }
            v
        })
        .collect()
}
