//! The top band: the banner across the left page (or the only page), and
//! on a spread the lede and key figures beside it on the right page.
//!
//! The band's depth is elastic within the banner's bounds; each depth
//! leaves the body a whole number of lines. On a spread the side beside
//! the banner is composed like a small page as deep as the band, with the
//! same search: the lede and figures at any span and type variant, side
//! by side or stacked, and charts the report draws in the spread may join
//! them there (they then leave the body). White space may not gather in
//! the side: it stands mid-page, between the band and the headline.

use super::grid::{Grid, PhotoFit};
use super::items::{Ctx, Item};
use super::place::{self, Element, Quality};
use super::solve::{Problem, Solution, Solver};
use super::{BandPlan, Banner, Composition, Input, body_lines, finish, page_lines};

/// What stands beside the banner, composed as a region as deep as the band.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Side {
    /// Its body lines, from the band's top.
    pub lines: u32,
    /// Its items: the lede, the figures and any charts.
    pub items: Vec<Item>,
    /// Its strips.
    pub solution: Solution,
    /// What is drawn where, on its own grid (page 0, lines from the band's
    /// top).
    pub elements: Vec<Element>,
    /// Its measures (white space in it included).
    pub quality: Quality,
}

/// Whether the band may be used: on a spread it needs something beside the
/// banner.
pub fn allowed(input: &Input) -> bool {
    input.frame.pages == 1 || !input.openers.is_empty()
}

/// The depth of a band that leaves the body `lines` lines, in points.
fn depth(input: &Input, lines: u32) -> f64 {
    let f = &input.frame;
    let g = &input.grid;
    f.type_height + g.leading
        - f64::from(lines) * g.pitch
        - f.head
        - f.band_gap
        - f.headline
        - f.headline_gap
}

/// The best layout with the banner in a top band, over the band's depths
/// and, on a spread, with and without the charts beside the banner.
///
/// Each way to set the band (a take of charts beside the banner, a depth)
/// is priced first by what it costs besides the body, the banner's fit
/// and the side beside it (each a small search); the body is then laid
/// out for the cheapest of them first, and no more once what a way costs
/// besides the body passes the best total found: a body never costs less
/// than nothing, so such a way cannot win. Ties go to the fewer charts
/// moved and then to the shallower band, as when every way was laid out.
pub fn compose(input: &Input, ctx: Ctx, banner: &Banner) -> Option<Composition> {
    let spread = input.frame.pages > 1;
    let counts = if spread && !input.fillers.is_empty() {
        vec![0, input.fillers.len()]
    } else {
        vec![0]
    };
    let takes: Vec<Take> = counts
        .iter()
        .map(|&n| Take::new(input, ctx, banner, n))
        .collect();
    let mut ways: Vec<Way> = Vec::new();
    for (t, take) in takes.iter().enumerate() {
        ways.extend(take.ways(input, banner, t));
    }
    // A stable sort: among ways that cost the same beside the body, the
    // order above (take, then depth) stands.
    ways.sort_by(|a, b| a.beside.total_cmp(&b.beside));
    let mut solvers: Vec<Option<Solver>> = takes.iter().map(|_| None).collect();
    let mut best: Option<(f64, usize, Solution)> = None;
    for (i, way) in ways.iter().enumerate() {
        if best.as_ref().is_some_and(|b| way.beside > b.0) {
            break;
        }
        let solver = solvers[way.take].get_or_insert_with(|| Solver::new(&takes[way.take].body));
        let Some(solution) = solver.solve_for(&page_lines(&input.frame, way.lines)) else {
            continue;
        };
        debug_assert!(solution.cost >= 0.0, "a body costs nothing or more");
        let side_cost = way.side.as_ref().map_or(0.0, |(_, s)| s.cost);
        let total = solution.cost + way.fit.cost + side_cost;
        let first = |b: &(f64, usize, Solution)| (way.take, way.lines) < ways[b.1].key();
        if best
            .as_ref()
            .is_none_or(|b| total < b.0 || (total == b.0 && first(b)))
        {
            best = Some((total, i, solution));
        }
    }
    let (total, i, mut solution) = best?;
    solution.cost = total;
    Some(ways.swap_remove(i).compose(input, &takes, solution))
}

/// The problems of one take: the first `moved` fillers beside the banner.
struct Take {
    /// The body without them.
    body: Problem,
    /// The side: the lede, the figures and them.
    side: Problem,
}

/// One way to set the band, priced but for its body.
struct Way {
    /// Which take (an index into the takes).
    take: usize,
    /// Body lines it leaves.
    lines: u32,
    /// Its depth in points.
    band: f64,
    /// The banner's fit.
    fit: PhotoFit,
    /// The side's lines and strips, on a spread.
    side: Option<(u32, Solution)>,
    /// What it costs besides the body: the banner's fit and the side.
    beside: f64,
}

impl Take {
    /// The problems with the first `moved` fillers beside the banner.
    fn new(input: &Input, ctx: Ctx, banner: &Banner, moved: usize) -> Self {
        let g = &input.grid;
        let (lo, _, hi) = banner.bounds;
        let moved = &input.fillers[..moved];
        let body: Vec<Item> = input
            .body
            .iter()
            .enumerate()
            .filter(|(i, _)| !moved.contains(i))
            .map(|(_, item)| item.clone())
            .collect();
        let body = Problem {
            ctx,
            items: body,
            pages: page_lines(&input.frame, body_lines(input, lo)),
            jumps: input.frame.pages > 1,
            reserved: input.reserved.clone(),
            open: true,
        };
        let side = Problem {
            ctx,
            items: input
                .openers
                .iter()
                .chain(moved.iter().map(|&i| &input.body[i]))
                .cloned()
                .collect(),
            pages: vec![side_lines(g, hi)],
            jumps: false,
            reserved: vec![Vec::new()],
            open: false,
        };
        Self { body, side }
    }

    /// Every depth of the band within the banner's bounds at which the
    /// banner fits and, on a spread, the side has a layout: priced but for
    /// the body, in order of depth.
    fn ways(&self, input: &Input, banner: &Banner, take: usize) -> Vec<Way> {
        let (lo, natural, hi) = banner.bounds;
        let g = &input.grid;
        let (most, least) = (body_lines(input, lo), body_lines(input, hi));
        let mut side_solver = Solver::new(&self.side);
        let mut ways = Vec::new();
        for lines in least..=most {
            let band = depth(input, lines);
            if !(lo - 1e-6..=hi + 1e-6).contains(&band) {
                continue;
            }
            let design = (g.cols, natural);
            let Some(fit) = banner
                .photo
                .fit_size(g, &input.rules, (g.span(g.cols), band), design)
            else {
                continue;
            };
            let side = if input.frame.pages > 1 {
                let n = side_lines(g, band);
                match side_solver.solve_for(&[n]) {
                    Some(solution) => Some((n, solution)),
                    None => continue,
                }
            } else {
                None
            };
            let beside = fit.cost + side.as_ref().map_or(0.0, |(_, s)| s.cost);
            ways.push(Way {
                take,
                lines,
                band,
                fit,
                side,
                beside,
            });
        }
        ways
    }
}

/// The side's lines beside a band `band` points deep.
fn side_lines(g: &Grid, band: f64) -> u32 {
    ((band + g.leading) / g.pitch).floor().max(0.0) as u32
}

impl Way {
    /// Which take and depth, the order ties are broken in.
    fn key(&self) -> (usize, u32) {
        (self.take, self.lines)
    }

    /// The composition with the body laid out as `solution`.
    fn compose(self, input: &Input, takes: &[Take], solution: Solution) -> Composition {
        let g = &input.grid;
        let take = &takes[self.take];
        let side = self.side.map(|(n, solution)| {
            let items = take.side.items.clone();
            let elements = place::elements(&items, &solution);
            let quality = place::quality(&items, &elements, g.cols, &[n], &solution);
            Side {
                lines: n,
                items,
                solution,
                elements,
                quality,
            }
        });
        let plan = BandPlan {
            depth: self.band,
            fit: self.fit,
            side,
        };
        let f = &input.frame;
        finish(
            input,
            take.body.items.clone(),
            self.lines,
            f.head + self.band + f.band_gap,
            Some(plan),
            solution,
        )
    }
}
