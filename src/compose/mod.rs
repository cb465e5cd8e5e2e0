//! The page composer: decides what goes where on the spread.
//!
//! Typst measures (story line counts, heading, caption and box depths at
//! every span); this module decides, in whole columns and body lines, each
//! block's page, place and size, how photos are cropped, and where a long
//! story continues; Typst then draws the plan. Nothing here touches Typst,
//! so the search is tested on synthetic sizes.
//!
//! Two page structures are tried and the cheaper one kept:
//! - a top band: the banner photo on the left page, the lede and key
//!   figures beside it on the right (or the banner alone across a single
//!   page), then the headline across the fold, then the body;
//! - an open top: the headline first, and the banner, lede and figures as
//!   the first blocks of the body.
//!
//! The band's depth is elastic within the banner's bounds; each depth
//! leaves the body a whole number of lines, and the body is laid out by
//! [`solve`] for each.

pub mod grid;
pub mod items;
pub mod place;
pub mod solve;

use grid::{Grid, Photo, PhotoFit, PhotoRules};
use items::{Content, Ctx, Item, cost};
use place::{Element, Quality};
use solve::{Problem, Solution, Solver};

/// The page's vertical frame, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// Depth of the type area.
    pub type_height: f64,
    /// The running head's band at the top of the type area.
    pub head: f64,
    /// The headline block's depth.
    pub headline: f64,
    /// Space between the top band and the headline.
    pub band_gap: f64,
    /// Space at least between the headline and the body.
    pub headline_gap: f64,
    /// Lines the credit line takes at the foot of the last page, its gap
    /// included (0 when there is none).
    pub credits: u32,
    /// Pages: 2 for a spread, 1 for a single page.
    pub pages: usize,
}

/// The banner in a top band.
#[derive(Debug, Clone, PartialEq)]
pub struct Banner {
    /// The photo.
    pub photo: Photo,
    /// The band's depth in points: least, designed, most.
    pub bounds: (f64, f64, f64),
    /// On a spread, the lede and figures beside it (natural depth in
    /// points at full width); `None` when they are absent, and then the
    /// band is not used on a spread.
    pub side: Option<f64>,
}

/// Everything to compose, measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// The grid.
    pub grid: Grid,
    /// Photo limits.
    pub rules: PhotoRules,
    /// The vertical frame.
    pub frame: Frame,
    /// The banner, when the report has one.
    pub banner: Option<Banner>,
    /// Lede and key figures as body boxes (when not in the band).
    pub openers: Vec<Item>,
    /// The body in reading order: sections, charts, boxes.
    pub body: Vec<Item>,
}

/// The chosen top band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandPlan {
    /// Its depth in points.
    pub depth: f64,
    /// The banner's crop and resolution there.
    pub fit: PhotoFit,
}

/// The composer's decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Composition {
    /// The top band, when used.
    pub band: Option<BandPlan>,
    /// Where the headline starts, in points from the type area's top.
    pub headline_top: f64,
    /// Where the body's first line starts, in points from the type area's
    /// top.
    pub body_top: f64,
    /// Body lines of each page (the last page's without its credit line).
    pub lines: Vec<u32>,
    /// The items laid out, in reading order.
    pub items: Vec<Item>,
    /// The strips of each page.
    pub solution: Solution,
    /// What is drawn where, in reading order.
    pub elements: Vec<Element>,
    /// The layout's measures.
    pub quality: Quality,
    /// Stories that did not fit, with their lines left over.
    pub overset: Vec<(usize, u32)>,
}

/// Body lines left by a band `band` points deep (0: no band).
fn body_lines(input: &Input, band: f64) -> u32 {
    let f = &input.frame;
    let g = &input.grid;
    let above = f.head + if band > 0.0 { band + f.band_gap } else { 0.0 };
    let room = f.type_height - above - f.headline - f.headline_gap + g.leading;
    (room / g.pitch).floor().max(0.0) as u32
}

/// Each page's body lines for a body `lines` deep.
fn page_lines(frame: &Frame, lines: u32) -> Vec<u32> {
    let mut pages = vec![lines; frame.pages];
    if let Some(last) = pages.last_mut() {
        *last = last.saturating_sub(frame.credits);
    }
    pages
}

/// Composes the pages: the cheaper of a top band and an open top.
pub fn compose(input: &Input) -> Option<Composition> {
    let ctx = Ctx {
        grid: input.grid,
        rules: input.rules,
    };
    let mut best: Option<Composition> = None;
    let mut keep = |c: Composition| {
        if best
            .as_ref()
            .is_none_or(|b| c.solution.cost < b.solution.cost)
        {
            best = Some(c);
        }
    };
    if let Some(banner) = input.banner.as_ref().filter(|b| band_allowed(input, b)) {
        if let Some(c) = with_band(input, ctx, banner) {
            keep(c);
        }
    }
    if let Some(c) = open(input, ctx) {
        keep(c);
    }
    best
}

/// A band needs something beside the banner on a spread.
fn band_allowed(input: &Input, banner: &Banner) -> bool {
    input.frame.pages == 1 || banner.side.is_some()
}

/// The best layout with the banner in a top band, over the band's depths.
fn with_band(input: &Input, ctx: Ctx, banner: &Banner) -> Option<Composition> {
    let (lo, natural, hi) = banner.bounds;
    let lo = lo.max(banner.side.unwrap_or(0.0));
    let g = &input.grid;
    let depth = |lines: u32| {
        let f = &input.frame;
        f.type_height + g.leading
            - f64::from(lines) * g.pitch
            - f.head
            - f.band_gap
            - f.headline
            - f.headline_gap
    };
    let (most, least) = (body_lines(input, lo), body_lines(input, hi));
    let problem = Problem {
        ctx,
        items: input.body.clone(),
        pages: page_lines(&input.frame, most),
        jumps: input.frame.pages > 1,
    };
    let mut solver = Solver::new(&problem);
    let mut best: Option<(f64, u32, f64, PhotoFit, Solution)> = None;
    for lines in least..=most {
        let band = depth(lines);
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
        let air = banner
            .side
            .map_or(0.0, |side| cost::AIR * f64::from(g.cols) * (band - side) / g.pitch);
        let Some(solution) = solver.solve_for(&page_lines(&input.frame, lines)) else {
            continue;
        };
        let total = solution.cost + fit.cost + air;
        if best.as_ref().is_none_or(|b| total < b.0) {
            best = Some((total, lines, band, fit, solution));
        }
    }
    let (total, lines, band, fit, mut solution) = best?;
    solution.cost = total;
    let f = &input.frame;
    let band_plan = BandPlan { depth: band, fit };
    Some(finish(
        input,
        problem.items,
        lines,
        f.head + band + f.band_gap,
        Some(band_plan),
        solution,
    ))
}

/// The best layout with the headline on top and everything in the body.
fn open(input: &Input, ctx: Ctx) -> Option<Composition> {
    let mut items = Vec::new();
    if let Some(banner) = &input.banner {
        items.push(Item {
            id: "banner".into(),
            content: Content::Picture(banner.photo.clone()),
        });
    }
    items.extend(input.openers.iter().cloned());
    items.extend(input.body.iter().cloned());
    let lines = body_lines(input, 0.0);
    let problem = Problem {
        ctx,
        items,
        pages: page_lines(&input.frame, lines),
        jumps: input.frame.pages > 1,
    };
    let solution = Solver::new(&problem).solve()?;
    Some(finish(
        input,
        problem.items,
        lines,
        input.frame.head,
        None,
        solution,
    ))
}

/// Places a solution: elements, measures, overset, the frame's numbers.
fn finish(
    input: &Input,
    items: Vec<Item>,
    lines: u32,
    headline_top: f64,
    band: Option<BandPlan>,
    solution: Solution,
) -> Composition {
    let g = &input.grid;
    let pages = page_lines(&input.frame, lines);
    let elements = place::elements(&items, &solution);
    let quality = place::quality(&elements, g.cols, &pages, &solution);
    let mut overset: Vec<(usize, u32)> = Vec::new();
    for block in solution
        .pages
        .iter()
        .flatten()
        .flat_map(|s| &s.modules)
        .flat_map(|m| &m.blocks)
    {
        if let solve::Shape::Section(shape) = &block.shape
            && shape.overset > 0
        {
            overset.push((block.item, shape.overset));
        }
    }
    Composition {
        band,
        headline_top,
        body_top: input.frame.type_height + g.leading - f64::from(lines) * g.pitch,
        lines: pages,
        items,
        solution,
        elements,
        quality,
        overset,
    }
}

#[cfg(test)]
mod tests;
