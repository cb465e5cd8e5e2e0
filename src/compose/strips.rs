//! Strips: the cheapest cut of consecutive items into modules across the
//! page, at every depth, and each module's gaps.
//!
//! Where a strip stands decides what it may hold besides items (its
//! [`Edge`]): the first strip of a page holds the page's reserved areas at
//! the top, the strip that reaches a page's foot those at the foot, and it
//! may hold the open area (at one module's foot, or as a module with
//! nothing in it). A reserved area is a fixed module: its columns are
//! never shared with another module.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use super::items::{DEEP, GAP, Piece, cost, gap_cost, open_cost};
use super::solve::{
    Costs, MODULE_ITEMS, Module, Placed, Problem, Reserve, STRIP_ITEMS, Solver, Start, Strip,
};

/// A kind of strip, by where it stands on its page (an index into the
/// solver's edges).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Edge(usize);

impl Edge {
    /// Its place among the solver's kinds of strip.
    pub(super) fn index(self) -> usize {
        self.0
    }
}

/// What a kind of strip may hold besides items.
#[derive(Debug, Clone, PartialEq, Eq)]
struct EdgeSpec {
    /// Whether it may hold the open area (it reaches the page's foot).
    open: bool,
    /// Whether the open area may be a module with nothing in it (not in a
    /// page's first strip: a column empty from the page's top down is not
    /// white space gathered at its foot).
    empty: bool,
    /// The reserved areas it holds, left to right.
    fixed: Vec<Reserve>,
}

/// A strip table from one start: [`Table::cell`] `(t - i, c, f)` is the
/// cost per depth of items `i..t` cut into modules over exactly `c`
/// columns, with (`f` = 1) or without the open area; over every column,
/// a strip's costs.
pub(super) struct Table {
    /// The cells, row by row (`t - i`, then `c`, then `f`), each `depths`
    /// long, in one buffer.
    cells: Vec<f64>,
    /// Depths a cell holds (0 to the deepest page).
    depths: usize,
    /// Columns of the page.
    cols: usize,
}

impl Table {
    /// Where cell `(run, c, f)` is kept: later cells (more items, or as
    /// many over more columns) are further on.
    fn index(cols: usize, run: usize, c: usize, f: usize) -> usize {
        (run * (cols + 1) + c) * 2 + f
    }

    /// Items `i..i + run` over exactly `c` columns, with the open area
    /// (`f` = 1) or without: their cost per depth.
    fn cell(&self, run: usize, c: usize, f: usize) -> &[f64] {
        let at = Self::index(self.cols, run, c, f) * self.depths;
        &self.cells[at..at + self.depths]
    }
}

/// A strip's cost per depth: a row of its table, shared (not copied).
pub(super) struct StripCosts {
    table: Arc<Table>,
    at: usize,
}

impl std::ops::Deref for StripCosts {
    type Target = [f64];

    fn deref(&self) -> &[f64] {
        &self.table.cells[self.at..self.at + self.table.depths]
    }
}

/// A module's costs per depth: with a small (or stranded) gap at its
/// foot, and with the open area there.
type ModuleCosts = (Arc<Costs>, Arc<Costs>);

/// The strips' memory: the kinds of strip and their tables.
pub(super) struct Tables {
    edges: Vec<EdgeSpec>,
    /// Each page's edges by (first strip, reaching the foot).
    pages: Vec<[Edge; 4]>,
    tables: HashMap<(Start, Edge), Arc<Table>>,
    modules: HashMap<(Start, usize, u32), ModuleCosts>,
    /// An open area with nothing in it, by width (index = columns): its
    /// cost per depth.
    areas: Vec<Costs>,
}

/// How a module was found, to lay it out again.
#[derive(Debug, Clone, Copy)]
enum Found {
    /// Items `from..to`, maybe with the open area at their foot.
    Items { from: Start, to: usize, open: bool },
    /// Nothing but the open area.
    Empty,
    /// A reserved area, with items `from..to` (none when equal).
    Fixed {
        reserve: Reserve,
        from: Start,
        to: usize,
        open: bool,
    },
}

impl Tables {
    /// The kinds of strip of a problem's pages.
    pub(super) fn new(problem: &Problem, hmax: usize) -> Self {
        let mut edges: Vec<EdgeSpec> = Vec::new();
        let mut intern = |spec: EdgeSpec| -> Edge {
            match edges.iter().position(|e| *e == spec) {
                Some(i) => Edge(i),
                None => {
                    edges.push(spec);
                    Edge(edges.len() - 1)
                }
            }
        };
        let pages = (0..problem.pages.len())
            .map(|p| {
                let reserved = problem.reserved.get(p).map_or(&[][..], Vec::as_slice);
                let pick = |top: bool, foot: bool| {
                    let mut fixed: Vec<Reserve> = reserved
                        .iter()
                        .filter(|r| (r.top && top) || (!r.top && foot))
                        .copied()
                        .collect();
                    fixed.sort();
                    EdgeSpec {
                        open: foot && problem.open,
                        empty: foot && problem.open && !top,
                        fixed,
                    }
                };
                [
                    intern(pick(false, false)),
                    intern(pick(false, true)),
                    intern(pick(true, false)),
                    intern(pick(true, true)),
                ]
            })
            .collect();
        let areas = (0..=problem.ctx.grid.cols)
            .map(|w| {
                (0..=hmax as u32)
                    .map(|h| {
                        let empty = if h >= DEEP { 0.0 } else { f64::INFINITY };
                        empty + open_cost(w, h)
                    })
                    .collect()
            })
            .collect();
        Self {
            edges,
            pages,
            tables: HashMap::default(),
            modules: HashMap::default(),
            areas,
        }
    }

    /// Whether the table from `start` on this kind of strip is known.
    pub(super) fn has(&self, start: Start, edge: Edge) -> bool {
        self.tables.contains_key(&(start, edge))
    }

    /// Takes in what another solver of the same problem worked out.
    pub(super) fn absorb(&mut self, other: Tables) {
        for (key, table) in other.tables {
            self.tables.entry(key).or_insert(table);
        }
        for (key, costs) in other.modules {
            self.modules.entry(key).or_insert(costs);
        }
    }

    /// The kind of a strip on page `p`: its first, reaching its foot.
    pub(super) fn edge(&self, p: usize, first: bool, foot: bool) -> Edge {
        self.pages[p][usize::from(first) * 2 + usize::from(foot)]
    }

    /// Whether a strip of this kind may hold no item at all.
    pub(super) fn takes_nothing(&self, edge: Edge) -> bool {
        let spec = &self.edges[edge.0];
        spec.empty || !spec.fixed.is_empty()
    }

    /// The first column right of every reserved area of a kind of strip.
    pub(super) fn fixed_end(&self, edge: Edge) -> u32 {
        self.edges[edge.0]
            .fixed
            .iter()
            .map(|r| r.x + r.w)
            .max()
            .unwrap_or(0)
    }
}

/// `target = min(target, base + add)`, depth by depth. Written as a
/// select, not a conditional store, so that it compiles to vector minimums
/// (twice as fast: the strip tables are most of the composer's time).
fn relax(target: &mut [f64], base: &[f64], add: &[f64]) {
    for ((t, &b), &a) in target.iter_mut().zip(base).zip(add) {
        let v = b + a;
        *t = if v < *t { v } else { *t };
    }
}

/// `cells[to] = min(cells[to], cells[from] + add)`, depth by depth, for a
/// cell `from` before `to`, in a buffer of cells `depths` long.
fn relax_cell(cells: &mut [f64], depths: usize, from: usize, to: usize, add: &[f64]) {
    let (before, after) = cells.split_at_mut(to * depths);
    let base = &before[from * depths..(from + 1) * depths];
    relax(&mut after[..depths], base, add);
}

/// Whether two costs are the same, as the search computed them.
fn same(a: f64, b: f64) -> bool {
    a.is_finite() && b.is_finite() && (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

impl Solver<'_> {
    /// A module of items `start..u` at width `w`: its cost per depth with
    /// a gap at its foot that is small (or stranded), and with the open
    /// area at its foot. A full-width module is exactly as deep as its
    /// items (space below it is the strip's gap or the page's foot).
    fn module_costs(&mut self, start: Start, u: usize, w: u32) -> ModuleCosts {
        if let Some(found) = self.tables.modules.get(&(start, u, w)) {
            return found.clone();
        }
        let exact = self.stack(start, u, w);
        let found = if w == self.cols() {
            (exact.clone(), Arc::new(vec![f64::INFINITY; exact.len()]))
        } else {
            (
                Arc::new(with_gaps(&exact, w)),
                Arc::new(with_open(&exact, w)),
            )
        };
        self.tables.modules.insert((start, u, w), found.clone());
        found
    }

    /// A reserved area with items `start..u` below (a top reserve) or above
    /// it (a foot reserve), none when `u` is the start's item: its cost per
    /// depth, closed and with the open area.
    fn fixed_costs(&mut self, start: Start, u: usize, r: &Reserve) -> (Costs, Costs) {
        let n = self.hmax + 1;
        let (mut closed, mut open) = (vec![f64::INFINITY; n], vec![f64::INFINITY; n]);
        if u == start.0 {
            for h in r.h as usize..n {
                let left = h as u32 - r.h;
                closed[h] = if left == 0 { 0.0 } else { gap_cost(r.w, left) };
                if left >= DEEP {
                    open[h] = open_cost(r.w, left);
                }
            }
            return (closed, open);
        }
        let (items, items_open) = self.module_costs(start, u, r.w);
        let shift = (r.h + GAP) as usize;
        for h in shift..n {
            closed[h] = items[h - shift];
            open[h] = items_open[h - shift];
        }
        (closed, open)
    }

    /// The strip table of items from `start` on a kind of strip.
    pub(super) fn table(&mut self, start: Start, edge: Edge) -> Arc<Table> {
        if let Some(table) = self.tables.tables.get(&(start, edge)) {
            return table.clone();
        }
        let spec = self.tables.edges[edge.0].clone();
        let (i, _) = start;
        let n = self.problem.items.len();
        let cols = self.cols() as usize;
        let last = (i + STRIP_ITEMS).min(n);
        let depths = self.hmax + 1;
        let at = |run: usize, c: usize, f: usize| Table::index(cols, run, c, f);
        let mut cells = vec![f64::INFINITY; at(last - i + 1, 0, 0) * depths];
        cells[..depths].fill(0.0);
        for t in i..=last {
            let run = if t == i { start } else { (t, 0) };
            for c in 0..cols {
                for f in 0..2 {
                    let base = at(t - i, c, f);
                    let from = &cells[base * depths..(base + 1) * depths];
                    if from.iter().all(|v| v.is_infinite()) {
                        continue;
                    }
                    let opens = spec.open && f == 0;
                    if let Some(r) = spec.fixed.iter().find(|r| r.x as usize == c) {
                        let to = c + r.w as usize;
                        for u in t..=(t + MODULE_ITEMS).min(last) {
                            let (closed, open) = self.fixed_costs(run, u, r);
                            relax_cell(&mut cells, depths, base, at(u - i, to, f), &closed);
                            if opens {
                                relax_cell(&mut cells, depths, base, at(u - i, to, 1), &open);
                            }
                        }
                        continue;
                    }
                    for w in 1..=(cols - c) as u32 {
                        let to = c + w as usize;
                        if spec
                            .fixed
                            .iter()
                            .any(|r| (r.x as usize) < to && c < (r.x + r.w) as usize)
                        {
                            break;
                        }
                        for u in t + 1..=(t + MODULE_ITEMS).min(last) {
                            let (closed, open) = self.module_costs(run, u, w);
                            relax_cell(&mut cells, depths, base, at(u - i, to, f), &closed);
                            if opens {
                                relax_cell(&mut cells, depths, base, at(u - i, to, 1), &open);
                            }
                        }
                        if opens && spec.empty {
                            let area = &self.tables.areas[w as usize];
                            relax_cell(&mut cells, depths, base, at(t - i, to, 1), area);
                        }
                    }
                }
            }
        }
        let table = Arc::new(Table {
            cells,
            depths,
            cols,
        });
        self.tables.tables.insert((start, edge), table.clone());
        table
    }

    /// A strip of items `start.0..j` (from `start`) on a kind of strip,
    /// with the open area in it or not: its cost per depth.
    pub(super) fn strip(&mut self, start: Start, edge: Edge, j: usize, open: bool) -> StripCosts {
        let table = self.table(start, edge);
        let at =
            Table::index(table.cols, j - start.0, table.cols, usize::from(open)) * table.depths;
        StripCosts { table, at }
    }

    /// Items `start.0..j` in modules over exactly `c` columns (before a
    /// head piece), with the open area in them or not: their cost at depth
    /// `h`.
    pub(super) fn partial(
        &mut self,
        start: Start,
        edge: Edge,
        (j, c): (usize, u32),
        open: bool,
        h: u32,
    ) -> f64 {
        let table = self.table(start, edge);
        table.cell(j - start.0, c as usize, usize::from(open))[h as usize]
    }

    /// The modules of a strip at depth `h`, with the open area or not,
    /// found again at that depth; for a cut, ending with a head piece of
    /// item `j` holding `held` lines.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn rebuild_strip(
        &mut self,
        start: Start,
        edge: Edge,
        j: usize,
        y: u32,
        h: u32,
        cut: Option<u32>,
        open: bool,
    ) -> Strip {
        let cols = self.cols();
        let table = self.table(start, edge);
        let hi = h as usize;
        let (mut c, mut head) = (cols, None);
        if let Some(held) = cut {
            let mut best: Option<(f64, u32, Placed)> = None;
            for c0 in self.tables.fixed_end(edge)..cols.saturating_sub(1) {
                let before = self.partial(start, edge, (j, c0), open, h);
                if before.is_infinite() {
                    continue;
                }
                for shape in self.heads(j, cols - c0, h).iter() {
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
                        shape: super::solve::Shape::Section(shape.clone()),
                    };
                    best = Some((before + shape.cost, c0, placed));
                }
            }
            let (_, c0, placed) = best.expect("a cut strip found in the search exists");
            c = c0;
            head = Some(Module {
                x: c0,
                w: cols - c0,
                blocks: vec![placed],
                reserve: None,
                open: None,
            });
        }
        let f = usize::from(open);
        let target = table.cell(j - start.0, c as usize, f)[hi];
        let mut modules = Vec::new();
        let (mut t, mut f, mut target) = (j, f, target);
        while t > start.0 || c > 0 {
            let (found, x, w, from_f, before) =
                self.back(start, edge, &table, (t, c, f), hi, target);
            modules.push(self.lay_module(found, x, w, y, h));
            t = match found {
                Found::Items { from, .. } | Found::Fixed { from, .. } => from.0,
                Found::Empty => t,
            };
            c = x;
            f = from_f;
            target = before;
        }
        modules.reverse();
        modules.extend(head);
        Strip { y, h, modules }
    }

    /// The transition that reached cell `(t, c, f)` of a strip table at
    /// depth `h` for `target`: the module, its column and width, and the
    /// cell it came from with its cost.
    fn back(
        &mut self,
        start: Start,
        edge: Edge,
        table: &Table,
        (t, c, f): (usize, u32, usize),
        h: usize,
        target: f64,
    ) -> (Found, u32, u32, usize, f64) {
        let spec = self.tables.edges[edge.0].clone();
        let i = start.0;
        let run = |s: usize| if s == i { start } else { (s, 0) };
        let before = |s: usize, x: u32, g: usize| table.cell(s - i, x as usize, g)[h];
        if let Some(r) = spec.fixed.iter().find(|r| r.x + r.w == c) {
            for s in (t.saturating_sub(MODULE_ITEMS).max(i)..=t).rev() {
                let (closed, open) = self.fixed_costs(run(s), t, r);
                if same(before(s, r.x, f) + closed[h], target) {
                    let found = Found::Fixed {
                        reserve: *r,
                        from: run(s),
                        to: t,
                        open: false,
                    };
                    return (found, r.x, r.w, f, before(s, r.x, f));
                }
                if f == 1 && same(before(s, r.x, 0) + open[h], target) {
                    let found = Found::Fixed {
                        reserve: *r,
                        from: run(s),
                        to: t,
                        open: true,
                    };
                    return (found, r.x, r.w, 0, before(s, r.x, 0));
                }
            }
        }
        for w in 1..=c {
            let x = c - w;
            if spec.fixed.iter().any(|r| r.x < c && x < r.x + r.w) {
                break;
            }
            for s in (t.saturating_sub(MODULE_ITEMS).max(i)..t).rev() {
                let (closed, open) = self.module_costs(run(s), t, w);
                if same(before(s, x, f) + closed[h], target) {
                    let found = Found::Items {
                        from: run(s),
                        to: t,
                        open: false,
                    };
                    return (found, x, w, f, before(s, x, f));
                }
                if f == 1 && same(before(s, x, 0) + open[h], target) {
                    let found = Found::Items {
                        from: run(s),
                        to: t,
                        open: true,
                    };
                    return (found, x, w, 0, before(s, x, 0));
                }
            }
            if f == 1 && spec.empty && h as u32 >= DEEP {
                let area = open_cost(w, h as u32);
                if same(before(t, x, 0) + area, target) {
                    return (Found::Empty, x, w, 0, before(t, x, 0));
                }
            }
        }
        unreachable!("the strip table leads back")
    }

    /// A module found again, laid out `h` deep from line `y`.
    fn lay_module(&mut self, found: Found, x: u32, w: u32, y: u32, h: u32) -> Module {
        let module = |blocks, reserve, open| Module {
            x,
            w,
            blocks,
            reserve,
            open,
        };
        match found {
            Found::Empty => module(Vec::new(), None, Some((y, h))),
            Found::Items { from, to, open } => {
                let (blocks, gap) = self.lay_items(from, to, w, y, h, open);
                module(blocks, None, open.then_some(gap))
            }
            Found::Fixed {
                reserve,
                from,
                to,
                open,
            } => {
                let inner = h - reserve.h;
                if to == from.0 {
                    // Nothing but the reserve: the rest of its columns are
                    // a gap (the open area when it is deep) beside it.
                    let at = if reserve.top { y + reserve.h } else { y };
                    return module(
                        Vec::new(),
                        Some(reserve),
                        (open && inner > 0).then_some((at, inner)),
                    );
                }
                let top = if reserve.top { y + reserve.h + GAP } else { y };
                let (blocks, gap) = self.lay_items(from, to, w, top, inner - GAP, open);
                module(blocks, Some(reserve), open.then_some(gap))
            }
        }
    }

    /// Items `start..u` laid out `h` deep from line `y` at width `w`: their
    /// blocks, and the gap at their foot (first line, lines).
    fn lay_items(
        &mut self,
        start: Start,
        u: usize,
        w: u32,
        y: u32,
        h: u32,
        open: bool,
    ) -> (Vec<Placed>, (u32, u32)) {
        let exact = self.stack(start, u, w);
        let (closed, opened) = self.module_costs(start, u, w);
        let total = if open {
            opened[h as usize]
        } else {
            closed[h as usize]
        };
        let used = (0..=h)
            .rev()
            .find(|&e| {
                let left = h - e;
                let foot = match (open, left) {
                    (_, 0) => 0.0,
                    (true, l) if l >= DEEP => open_cost(w, l),
                    (true, _) => return false,
                    (false, l) => gap_cost(w, l),
                };
                same(exact[e as usize] + foot, total)
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
                    same(above[a as usize] + item[b], target)
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
        (blocks, (y + used, h - used))
    }
}

/// A module's cost per depth with a gap at its foot: a small one (under
/// [`DEEP`] lines), or a stranded one (linear in depth beyond, so a running
/// minimum covers every depth).
fn with_gaps(exact: &[f64], w: u32) -> Costs {
    let per_line = f64::from(w) * (cost::HOLE + cost::STRANDED);
    let mut best_deep = f64::INFINITY;
    (0..exact.len())
        .map(|h| {
            let mut v = exact[h];
            for x in 1..(DEEP as usize).min(h + 1) {
                v = v.min(exact[h - x] + gap_cost(w, x as u32));
            }
            if h >= DEEP as usize {
                let e = h - DEEP as usize;
                best_deep = best_deep.min(exact[e] - per_line * e as f64);
                v = v.min(best_deep + per_line * h as f64);
            }
            v
        })
        .collect()
}

/// A module's cost per depth with the open area at its foot ([`DEEP`]
/// lines or more).
fn with_open(exact: &[f64], w: u32) -> Costs {
    let per_line = f64::from(w) * cost::OPEN;
    let mut best = f64::INFINITY;
    (0..exact.len())
        .map(|h| {
            if h < DEEP as usize {
                return f64::INFINITY;
            }
            let e = h - DEEP as usize;
            best = best.min(exact[e] - per_line * e as f64);
            best + per_line * h as f64 + cost::OPEN_AREA
        })
        .collect()
}
