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

use super::grid::PhotoFit;
use super::items::{Ctx, Item};
use super::place::{self, Element, Quality};
use super::solve::{Problem, Solution, Solver};
use super::{BandPlan, Banner, Composition, Input, body_lines, finish, page_lines};

/// What stands beside the banner, composed as a region as deep as the band.
#[derive(Debug, Clone, PartialEq)]
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
pub fn compose(input: &Input, ctx: Ctx, banner: &Banner) -> Option<Composition> {
    let spread = input.frame.pages > 1;
    let takes = if spread && !input.fillers.is_empty() {
        vec![0, input.fillers.len()]
    } else {
        vec![0]
    };
    let mut best: Option<(f64, Composition)> = None;
    for take in takes {
        if let Some(found) = with_side(input, ctx, banner, take)
            && best.as_ref().is_none_or(|b| found.0 < b.0)
        {
            best = Some(found);
        }
    }
    best.map(|(_, c)| c)
}

/// The best band found so far: its cost, depth in lines, depth in points,
/// the banner's fit, the side's (lines, solution) and the body's solution.
type Best = (f64, u32, f64, PhotoFit, Option<(u32, Solution)>, Solution);

/// The best layout with the first `take` fillers beside the banner.
fn with_side(input: &Input, ctx: Ctx, banner: &Banner, take: usize) -> Option<(f64, Composition)> {
    let (lo, natural, hi) = banner.bounds;
    let g = &input.grid;
    let spread = input.frame.pages > 1;
    let moved = &input.fillers[..take];
    let body: Vec<Item> = input
        .body
        .iter()
        .enumerate()
        .filter(|(i, _)| !moved.contains(i))
        .map(|(_, item)| item.clone())
        .collect();
    let (most, least) = (body_lines(input, lo), body_lines(input, hi));
    let problem = Problem {
        ctx,
        items: body,
        pages: page_lines(&input.frame, most),
        jumps: spread,
        reserved: input.reserved.clone(),
        open: true,
    };
    let side_lines = |band: f64| ((band + g.leading) / g.pitch).floor().max(0.0) as u32;
    let side_problem = Problem {
        ctx,
        items: input
            .openers
            .iter()
            .chain(moved.iter().map(|&i| &input.body[i]))
            .cloned()
            .collect(),
        pages: vec![side_lines(hi)],
        jumps: false,
        reserved: vec![Vec::new()],
        open: false,
    };
    let mut solver = Solver::new(&problem);
    let mut side_solver = Solver::new(&side_problem);
    let mut best: Option<Best> = None;
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
        let side = if spread {
            let n = side_lines(band);
            match side_solver.solve_for(&[n]) {
                Some(solution) => Some((n, solution)),
                None => continue,
            }
        } else {
            None
        };
        let Some(solution) = solver.solve_for(&page_lines(&input.frame, lines)) else {
            continue;
        };
        let side_cost = side.as_ref().map_or(0.0, |(_, s)| s.cost);
        let total = solution.cost + fit.cost + side_cost;
        if best.as_ref().is_none_or(|b| total < b.0) {
            best = Some((total, lines, band, fit, side, solution));
        }
    }
    let (total, lines, band, fit, side, mut solution) = best?;
    solution.cost = total;
    let side = side.map(|(n, solution)| {
        let items = side_problem.items.clone();
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
        depth: band,
        fit,
        side,
    };
    let f = &input.frame;
    let composition = finish(
        input,
        problem.items,
        lines,
        f.head + band + f.band_gap,
        Some(plan),
        solution,
    );
    Some((total, composition))
}
