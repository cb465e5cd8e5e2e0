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

pub mod band;
pub mod grid;
pub mod items;
pub mod place;
pub mod section;
pub mod solve;
mod strips;

use grid::{Grid, Photo, PhotoFit, PhotoRules};
use items::{Content, Ctx, Item, cost};
use place::{Element, Quality};
use solve::{Problem, Reserve, Solution, Solver};

/// The page's vertical frame, in points.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Banner {
    /// The photo.
    pub photo: Photo,
    /// The band's depth in points: least, designed, most.
    pub bounds: (f64, f64, f64),
}

/// Everything to compose, measured.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Input {
    /// The grid.
    pub grid: Grid,
    /// Photo limits.
    pub rules: PhotoRules,
    /// The vertical frame.
    pub frame: Frame,
    /// The banner, when the report has one.
    pub banner: Option<Banner>,
    /// Lede and key figures: beside the banner in its band on a spread,
    /// else the body's first boxes.
    pub openers: Vec<Item>,
    /// The body in reading order: sections, charts, boxes.
    pub body: Vec<Item>,
    /// Boxes of the body (indices into it, charts) that may stand beside
    /// the banner too, after the lede and figures, to fill its band.
    pub fillers: Vec<usize>,
    /// Areas reserved on each page (an ad), kept free.
    pub reserved: Vec<Vec<Reserve>>,
}

/// The chosen top band.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BandPlan {
    /// Its depth in points.
    pub depth: f64,
    /// The banner's crop and resolution there.
    pub fit: PhotoFit,
    /// What stands beside the banner on a spread.
    pub side: Option<band::Side>,
}

/// The composer's decision.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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
    /// Items left off the pages entirely (from a line, for a story's
    /// tail).
    pub dropped: Vec<(usize, u32)>,
}

/// Body lines left by a band `band` points deep (0: no band, and the
/// headline stands a band's gap below the running head).
pub(crate) fn body_lines(input: &Input, band: f64) -> u32 {
    let f = &input.frame;
    let g = &input.grid;
    let above = f.head + band + f.band_gap;
    let room = f.type_height - above - f.headline - f.headline_gap + g.leading;
    (room / g.pitch).floor().max(0.0) as u32
}

/// Each page's body lines for a body `lines` deep.
pub(crate) fn page_lines(frame: &Frame, lines: u32) -> Vec<u32> {
    let mut pages = vec![lines; frame.pages];
    if let Some(last) = pages.last_mut() {
        *last = last.saturating_sub(frame.credits);
    }
    pages
}

/// Why no layout exists.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    /// A section's photos fit no shape together, at any width or depth.
    #[error("the photos of `{0}` cannot be placed together within their crop limits")]
    Photos(items::ItemId),
    /// Nothing could be laid out (a bug, or a template that measured
    /// nothing).
    #[error("no layout was found")]
    Nothing,
}

/// Composes the pages: the cheaper of a top band and an open top.
pub fn compose(input: &Input) -> Result<Composition, ComposeError> {
    let ctx = Ctx {
        grid: input.grid,
        rules: input.rules,
    };
    let mut input = input.clone();
    let lines = body_lines(&input, 0.0);
    for item in &mut input.body {
        place_photos_somehow(&ctx, item, lines)?;
    }
    if let Some(banner) = &mut input.banner {
        let mut photo = Photo {
            min_ppi: None,
            ..banner.photo.clone()
        };
        place_banner_somehow(&ctx, &mut photo, lines)?;
        banner.photo.relaxed = photo.relaxed;
    }
    let found = compose_checked(&input, ctx);
    found.ok_or(ComposeError::Nothing)
}

/// Makes sure a section's photos have some shape: within their bounds,
/// else with the scale bounds relaxed, else an error naming the section.
fn place_photos_somehow(ctx: &Ctx, item: &mut Item, lines: u32) -> Result<(), ComposeError> {
    let Content::Section(section) = &mut item.content else {
        return Ok(());
    };
    if section.photos.is_empty() || has_shape(ctx, section, lines) {
        return Ok(());
    }
    for photo in &mut section.photos {
        photo.relaxed = true;
    }
    if has_shape(ctx, section, lines) {
        Ok(())
    } else {
        Err(ComposeError::Photos(item.id))
    }
}

/// Makes sure the banner fits somewhere in the body: within its bounds,
/// else with them relaxed, else an error.
fn place_banner_somehow(ctx: &Ctx, photo: &mut Photo, lines: u32) -> Result<(), ComposeError> {
    let fits = |p: &Photo| {
        (1..=ctx.grid.cols)
            .any(|k| (1..=lines).any(|h| p.fit(&ctx.grid, &ctx.rules, k, h).is_some()))
    };
    if fits(photo) {
        return Ok(());
    }
    photo.relaxed = true;
    if fits(photo) {
        Ok(())
    } else {
        Err(ComposeError::Photos(items::ItemId::Banner))
    }
}

/// Whether a section has any shape on a page `lines` deep.
fn has_shape(ctx: &Ctx, section: &items::Section, lines: u32) -> bool {
    let prepared = section.prepare(ctx, lines);
    (2..=ctx.grid.cols)
        .rev()
        .any(|k| (1..=lines).any(|h| prepared.cost(items::Piece::Whole, k, h).is_some()))
}

/// Composes input whose every section has a shape.
fn compose_checked(input: &Input, ctx: Ctx) -> Option<Composition> {
    let mut best: Option<Composition> = None;
    let mut keep = |c: Composition| {
        if best
            .as_ref()
            .is_none_or(|b| c.solution.cost < b.solution.cost)
        {
            best = Some(c);
        }
    };
    // The two structures are independent: the band on a thread of its
    // own, the open top on this one; with no band to try, the open top's
    // search has a helper thread.
    let band_tried = input.banner.is_some() && band::allowed(input);
    let two_cores = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    let (banded, opened) = std::thread::scope(|scope| {
        let banded = scope.spawn(|| {
            let banner = input.banner.as_ref().filter(|_| band_tried)?;
            band::compose(input, ctx, banner)
        });
        let opened = open(input, ctx, band_tried, two_cores);
        let banded = banded
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (banded, opened)
    });
    // The band first, so that it wins a tie as before.
    banded.into_iter().chain(opened).for_each(&mut keep);
    best
}

/// The best layout with the headline on top and everything in the body,
/// priced against the band when one is tried beside it (`band_tried`);
/// with no band, its search is helped by a second thread (`two_cores`).
fn open(input: &Input, ctx: Ctx, band_tried: bool, two_cores: bool) -> Option<Composition> {
    let mut items = Vec::new();
    if let Some(banner) = &input.banner {
        // In the body the composer chooses its size: the target resolution
        // holds, as for any photo.
        let photo = Photo {
            min_ppi: None,
            ..banner.photo.clone()
        };
        items.push(Item {
            id: items::ItemId::Banner,
            content: Content::Picture(photo),
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
        reserved: input.reserved.clone(),
        open: true,
    };
    let solver = Solver::new(&problem);
    let helper = two_cores && !band_tried;
    let mut solver = if helper { solver.with_helper() } else { solver };
    let mut solution = solver.solve()?;
    if band_tried {
        solution.cost += cost::BANNER_OFF_BAND;
    }
    Some(finish(
        input,
        problem.items,
        lines,
        input.frame.head + input.frame.band_gap,
        None,
        solution,
    ))
}

/// Places a solution: elements, measures, overset, the frame's numbers.
pub(crate) fn finish(
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
    let quality = place::quality(&items, &elements, g.cols, &pages, &solution);
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
    for &(item, from) in &solution.dropped {
        if let Content::Section(s) = &items[item].content {
            overset.push((item, s.lines - from.min(s.lines)));
        }
    }
    Composition {
        dropped: solution.dropped.clone(),
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
