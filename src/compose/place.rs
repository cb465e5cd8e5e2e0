//! From a solution to what is drawn where, on the grid, and how good it is.
//!
//! Every block becomes elements with a page, a column, a line and a size in
//! columns and lines: headings, legs of text (each with the story lines it
//! sets), photos with their captions, boxes. The same elements give the
//! layout's measures a page designer checks: holes (grid cells nothing
//! covers), leg balance, photo scale, jumps and reading order.

use serde::Serialize;

use super::grid::Ink;
use super::items::{Content, DEEP, GAP, Item, Piece, SectionShape, Side};
use super::solve::{Placed, Reserve, Shape, Solution};

/// One line a leg sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "line")]
pub enum LineRef {
    /// A line of the story, by its index at one column.
    Story(u32),
    /// The jump line at the end of a head piece (下转).
    JumpDown,
    /// The jump line at the start of a tail piece (上接).
    JumpUp,
}

/// Something drawn, on the grid.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Element {
    /// A section's heading.
    Heading {
        /// The item.
        item: usize,
        /// Where, in columns and lines.
        at: Cell,
    },
    /// A leg of text in one column.
    Leg {
        /// The item.
        item: usize,
        /// Where (one column wide, as deep as its lines).
        at: Cell,
        /// The lines it sets, top to bottom.
        lines: Vec<LineRef>,
    },
    /// A section's photo and its caption below it.
    Photo {
        /// The item.
        item: usize,
        /// The photo's index in its section.
        photo: usize,
        /// Where the image is.
        at: Cell,
        /// Caption lines below the image.
        caption: u32,
    },
    /// A box (lede, figures, data box, quote, chart).
    Block {
        /// The item.
        item: usize,
        /// Where.
        at: Cell,
        /// Its depth without air.
        natural: u32,
        /// Its type variant (0: the designed size).
        variant: usize,
    },
    /// A photo on its own (the banner in the body).
    Picture {
        /// The item.
        item: usize,
        /// Where.
        at: Cell,
    },
    /// A section's pull quote.
    Pull {
        /// The item.
        item: usize,
        /// Where.
        at: Cell,
    },
}

impl Element {
    /// The item it belongs to.
    pub fn item(&self) -> usize {
        self.parts().0
    }

    /// Where it is on the grid.
    pub fn at(&self) -> &Cell {
        self.parts().1
    }

    fn parts(&self) -> (usize, &Cell) {
        match self {
            Element::Heading { item, at }
            | Element::Leg { item, at, .. }
            | Element::Photo { item, at, .. }
            | Element::Block { item, at, .. }
            | Element::Picture { item, at }
            | Element::Pull { item, at } => (*item, at),
        }
    }
}

/// A rectangle of the grid on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Cell {
    /// Page (0-based).
    pub page: usize,
    /// First column.
    pub x: u32,
    /// First line.
    pub y: u32,
    /// Columns.
    pub w: u32,
    /// Lines.
    pub h: u32,
}

/// Turns a solution into elements, in reading order.
pub fn elements(items: &[Item], solution: &Solution) -> Vec<Element> {
    let mut out = Vec::new();
    for (page, strips) in solution.pages.iter().enumerate() {
        for strip in strips {
            for module in &strip.modules {
                for block in &module.blocks {
                    place_block(items, page, module.x, module.w, block, &mut out);
                }
            }
        }
    }
    out
}

fn place_block(
    items: &[Item],
    page: usize,
    x: u32,
    w: u32,
    block: &Placed,
    out: &mut Vec<Element>,
) {
    let at = Cell {
        page,
        x,
        y: block.y,
        w,
        h: block.h,
    };
    let item = block.item;
    match &block.shape {
        Shape::Section(shape) => {
            let Content::Section(section) = &items[item].content else {
                return;
            };
            place_section(item, section.lines, block.piece, shape, at, out);
        }
        Shape::Block(fit) => out.push(Element::Block {
            item,
            at,
            natural: fit.natural,
            variant: fit.variant,
        }),
        Shape::Picture(_) => out.push(Element::Picture { item, at }),
    }
}

/// A section piece: heading, photo groups and legs.
fn place_section(
    item: usize,
    total: u32,
    piece: Piece,
    shape: &SectionShape,
    at: Cell,
    out: &mut Vec<Element>,
) {
    if shape.heading > 0 {
        out.push(Element::Heading {
            item,
            at: Cell {
                h: shape.heading,
                ..at
            },
        });
    }
    let top = at.y + shape.heading;
    let wide: u32 = shape.groups.iter().map(|g| g.width).sum();
    let (mut gx, text_x) = match shape.side {
        Side::Left => (at.x, at.x + wide),
        Side::Right => (at.x + shape.text_cols, at.x),
    };
    // Legs: (column, first line, depth), left to right.
    let mut legs = Vec::new();
    for group in &shape.groups {
        let mut y = top;
        for photo in &group.photos {
            if photo.pull {
                out.push(Element::Pull {
                    item,
                    at: Cell {
                        page: at.page,
                        x: gx,
                        y,
                        w: group.width,
                        h: photo.image,
                    },
                });
                y += photo.image + GAP;
                continue;
            }
            out.push(Element::Photo {
                item,
                photo: photo.index,
                at: Cell {
                    page: at.page,
                    x: gx,
                    y,
                    w: group.width,
                    h: photo.image,
                },
                caption: photo.caption,
            });
            y += photo.image + photo.caption + GAP;
        }
        if group.under > 0 {
            let first = top + shape.body - group.under;
            legs.extend((gx..gx + group.width).map(|c| (c, first, group.under)));
        }
        gx += group.width;
    }
    legs.extend((text_x..text_x + shape.text_cols).map(|c| (c, top, shape.body)));
    legs.sort_by_key(|&(c, _, _)| c);
    let lines = piece_lines(total, piece, shape.set);
    let depths = balance(
        &legs.iter().map(|l| l.2).collect::<Vec<_>>(),
        lines.len() as u32,
    );
    let mut next = 0usize;
    for (&(c, y, _), depth) in legs.iter().zip(depths) {
        let end = (next + depth as usize).min(lines.len());
        out.push(Element::Leg {
            item,
            at: Cell {
                page: at.page,
                x: c,
                y,
                w: 1,
                h: depth,
            },
            lines: lines[next..end].to_vec(),
        });
        next = end;
    }
}

/// The lines a piece sets, jump lines included.
fn piece_lines(total: u32, piece: Piece, set: u32) -> Vec<LineRef> {
    match piece {
        Piece::Whole => (0..total).map(LineRef::Story).collect(),
        Piece::Head => {
            let mut lines: Vec<LineRef> = (0..set.saturating_sub(1)).map(LineRef::Story).collect();
            lines.push(LineRef::JumpDown);
            lines
        }
        Piece::Tail { from } => std::iter::once(LineRef::JumpUp)
            .chain((from..total).map(LineRef::Story))
            .collect(),
    }
}

/// Leg depths for `n` lines in legs of these capacities: full legs first,
/// the space left taken a line at a time from the last legs (so the legs
/// end within a line of each other), and what does not fit left off.
pub fn balance(capacities: &[u32], n: u32) -> Vec<u32> {
    let capacity: u32 = capacities.iter().sum();
    let mut depths = capacities.to_vec();
    let mut spare = capacity.saturating_sub(n);
    while spare > 0 {
        let before = spare;
        for d in depths.iter_mut().rev() {
            if spare == 0 {
                break;
            }
            if *d > 0 {
                *d -= 1;
                spare -= 1;
            }
        }
        if spare == before {
            break;
        }
    }
    depths
}

/// A hole: grid cells of a page that nothing covers.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Hole {
    /// Its bounding rectangle.
    pub at: Cell,
    /// Cells in it.
    pub cells: u32,
    /// Its deepest run of lines in one column.
    pub depth: u32,
}

/// Empty runs of this many lines in a column are white space a reader
/// sees, whatever they are made of (gaps and feathering included): what
/// the pages' pixels show, and what `check` reports.
pub const SEEN: u32 = 3;

/// What a page designer would check, counted on the grid.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Quality {
    /// Holes (cells nothing covers, the designed gaps between blocks and
    /// strips aside; a box's air included), largest first.
    pub holes: Vec<Hole>,
    /// Cells in holes over the cells of the pages' bodies.
    pub hole_share: f64,
    /// White space a reader sees: every area of cells in a column's run of
    /// [`SEEN`] lines or more with nothing printed (gaps, feathering, a
    /// box's air and a leg's foot included), largest first. The open area
    /// is one of them.
    pub blank: Vec<Hole>,
    /// Cells in `blank` over the cells of the pages' bodies.
    pub blank_share: f64,
    /// The open areas: where the white space that remains is gathered, at
    /// a page's foot.
    pub open: Vec<Cell>,
    /// The reserved areas, where they were placed.
    pub reserved: Vec<(Reserve, Cell)>,
    /// The most that the ends of one text block's legs differ, in lines.
    pub leg_imbalance: u32,
    /// Legs shorter than a readable leg.
    pub short_legs: u32,
    /// Stories continued on another page.
    pub jumps: Vec<Jump>,
    /// Whether the blocks read in the report's order.
    pub reading_order: bool,
}

/// A story continued on another page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Jump {
    /// The item.
    pub item: usize,
    /// The page it starts on.
    pub from: usize,
    /// The page it continues on.
    pub to: usize,
}

/// Cells of each page, a column by a line.
struct Sheet {
    cols: u32,
    pages: Vec<u32>,
    cells: Vec<Vec<bool>>,
}

impl Sheet {
    fn new(cols: u32, pages: &[u32]) -> Self {
        let cells = pages
            .iter()
            .map(|&h| vec![false; (cols * h) as usize])
            .collect();
        Self {
            cols,
            pages: pages.to_vec(),
            cells,
        }
    }

    /// Marks the cells of `at` (`depth` lines) that a piece inks: the
    /// first `top` lines whole (a photo above a caption), then the
    /// piece's ink line by line.
    fn mark_ink(&mut self, at: &Cell, top: u32, depth: u32, piece: &Ink) {
        self.mark(&Cell {
            h: top.min(depth),
            ..*at
        });
        for l in top..depth {
            for c in 0..at.w {
                if piece.at(c, l - top) {
                    self.mark(&Cell {
                        x: at.x + c,
                        y: at.y + l,
                        w: 1,
                        h: 1,
                        ..*at
                    });
                }
            }
        }
    }

    /// Marks a rectangle of cells.
    fn mark(&mut self, c: &Cell) {
        let h = self.pages[c.page];
        for y in c.y..(c.y + c.h).min(h) {
            for x in c.x..(c.x + c.w).min(self.cols) {
                self.cells[c.page][(y * self.cols + x) as usize] = true;
            }
        }
    }

    /// A sheet with every cell marked but those in a column's run of
    /// `deep` lines or more left unmarked here.
    fn deep_runs(&self, deep: u32) -> Self {
        let mut out = Self::new(self.cols, &self.pages);
        for cells in &mut out.cells {
            cells.fill(true);
        }
        for (page, cells) in self.cells.iter().enumerate() {
            let lines = self.pages[page];
            for x in 0..self.cols {
                let mut y = 0;
                while y < lines {
                    let empty = |y: u32| !cells[(y * self.cols + x) as usize];
                    if !empty(y) {
                        y += 1;
                        continue;
                    }
                    let run = (y..lines).take_while(|&l| empty(l)).count() as u32;
                    if run >= deep {
                        for l in y..y + run {
                            out.cells[page][(l * self.cols + x) as usize] = false;
                        }
                    }
                    y += run;
                }
            }
        }
        out
    }
}

/// Measures a layout `cols` columns wide on pages of these body lines
/// (the last page's above its foot reserve).
pub fn quality(
    items: &[Item],
    elements: &[Element],
    cols: u32,
    pages: &[u32],
    solution: &Solution,
) -> Quality {
    // What is printed, cell by cell: a box only to its natural depth (its
    // air is white space), a photo with its caption, and in headings,
    // captions, boxes and pull quotes only the cells they ink.
    let mut ink = Sheet::new(cols, pages);
    for element in elements {
        let (at, depth) = match element {
            Element::Photo { at, caption, .. } => (at, at.h + caption),
            Element::Block { at, natural, .. } => (at, (*natural).min(at.h)),
            other => (other.at(), other.at().h),
        };
        match piece_ink(items, element) {
            Some((top, piece)) => ink.mark_ink(at, top, depth, piece),
            None => ink.mark(&Cell { h: depth, ..*at }),
        }
    }
    let reserved = reserved_cells(solution);
    for (_, cell) in &reserved {
        ink.mark(cell);
    }
    let mut covered = Sheet {
        cells: ink.cells.clone(),
        ..Sheet::new(cols, pages)
    };
    for gap in designed_gaps(solution, cols) {
        covered.mark(&gap);
    }
    let holes = find_holes(&covered.cells, cols, pages);
    let blank = find_holes(&ink.deep_runs(SEEN).cells, cols, pages);
    let share = |holes: &[Hole]| {
        let empty: u32 = holes.iter().map(|h| h.cells).sum();
        let total: u32 = pages.iter().map(|&h| h * cols).sum();
        f64::from(empty) / f64::from(total.max(1))
    };
    Quality {
        hole_share: share(&holes),
        blank_share: share(&blank),
        holes,
        blank,
        open: open_areas(solution, cols, pages),
        reserved,
        leg_imbalance: leg_imbalance(elements),
        short_legs: elements
            .iter()
            .filter(|e| matches!(e, Element::Leg { at, lines, .. } if !lines.is_empty() && at.h < super::items::SHORT_LEG))
            .count() as u32,
        jumps: jumps(solution),
        reading_order: reading_order(elements),
    }
}

/// The ink of an element's piece, when it was read: lines inked whole
/// above it (a photo over its caption), and the piece's cells.
fn piece_ink<'a>(items: &'a [Item], element: &Element) -> Option<(u32, &'a Ink)> {
    match (element, &items.get(element.item())?.content) {
        (Element::Heading { at, .. }, Content::Section(s)) => {
            Some((0, s.heading_ink.get(at.w as usize)?.as_ref()?))
        }
        (Element::Pull { at, .. }, Content::Section(s)) => {
            Some((0, s.pull.as_ref()?.ink.get(at.w as usize)?.as_ref()?))
        }
        (Element::Photo { photo, at, .. }, Content::Section(s)) => {
            let p = s.photos.get(*photo)?;
            Some((at.h, p.caption_ink.get(at.w as usize)?.as_ref()?))
        }
        (Element::Block { variant, at, .. }, Content::Block(b)) => {
            Some((0, b.ink(*variant, at.w)?))
        }
        _ => None,
    }
}

/// Designed space: the gap below every block but a strip's last, and the
/// gap below every strip but a page's last (there it is the page's foot)
/// with any feathering.
fn designed_gaps(solution: &Solution, cols: u32) -> Vec<Cell> {
    let mut out = Vec::new();
    for (page, strips) in solution.pages.iter().enumerate() {
        for (k, strip) in strips.iter().enumerate() {
            if let Some(next) = strips.get(k + 1) {
                // The strips' gap, and feathering below it.
                out.push(Cell {
                    page,
                    x: 0,
                    y: strip.y + strip.h,
                    w: cols,
                    h: next.y - strip.y - strip.h,
                });
            }
            for module in &strip.modules {
                let bottom = strip.y + strip.h;
                let mut gaps: Vec<u32> = module
                    .blocks
                    .iter()
                    .map(|b| b.y + b.h)
                    .filter(|&end| end < bottom)
                    .collect();
                if let Some(r) = module.reserve {
                    // The gap between a reserve and the blocks beside it.
                    gaps.push(if r.top {
                        strip.y + r.h
                    } else {
                        bottom - r.h - GAP
                    });
                }
                for y in gaps {
                    out.push(Cell {
                        page,
                        x: module.x,
                        y,
                        w: module.w,
                        h: GAP,
                    });
                }
            }
        }
    }
    out
}

/// Every reserved area, where it was placed.
pub fn reserved_cells(solution: &Solution) -> Vec<(Reserve, Cell)> {
    let mut out = Vec::new();
    for (page, strips) in solution.pages.iter().enumerate() {
        for strip in strips {
            for module in &strip.modules {
                if let Some(r) = module.reserve {
                    let y = if r.top {
                        strip.y
                    } else {
                        strip.y + strip.h - r.h
                    };
                    let at = Cell {
                        page,
                        x: r.x,
                        y,
                        w: r.w,
                        h: r.h,
                    };
                    out.push((r, at));
                }
            }
        }
    }
    out.sort_by_key(|(r, _)| r.id);
    out
}

/// The open areas: in a module of a strip at a page's foot, or across the
/// page below its last strip.
pub fn open_areas(solution: &Solution, cols: u32, pages: &[u32]) -> Vec<Cell> {
    let mut out = Vec::new();
    for (page, strips) in solution.pages.iter().enumerate() {
        for strip in strips {
            for module in &strip.modules {
                if let Some((y, h)) = module.open {
                    out.push(Cell {
                        page,
                        x: module.x,
                        y,
                        w: module.w,
                        h,
                    });
                }
            }
        }
        let end = strips.last().map_or(0, |s| s.y + s.h);
        let left = pages[page].saturating_sub(end);
        if left >= DEEP {
            out.push(Cell {
                page,
                x: 0,
                y: end,
                w: cols,
                h: left,
            });
        }
    }
    out
}

/// Connected empty cells of each page, largest first.
fn find_holes(covered: &[Vec<bool>], cols: u32, pages: &[u32]) -> Vec<Hole> {
    let mut holes = Vec::new();
    for (page, cells) in covered.iter().enumerate() {
        let lines = pages[page];
        let mut seen = cells.clone();
        for start in 0..cells.len() {
            if seen[start] {
                continue;
            }
            seen[start] = true;
            let mut queue = vec![start];
            let mut members = Vec::new();
            while let Some(i) = queue.pop() {
                members.push(i);
                let (x, y) = (i as u32 % cols, i as u32 / cols);
                let neighbours = [
                    (x > 0).then(|| i - 1),
                    (x + 1 < cols).then(|| i + 1),
                    (y > 0).then(|| i - cols as usize),
                    (y + 1 < lines).then(|| i + cols as usize),
                ];
                for n in neighbours.into_iter().flatten() {
                    if !seen[n] {
                        seen[n] = true;
                        queue.push(n);
                    }
                }
            }
            holes.push(hole(page, cols, members));
        }
    }
    holes.sort_by(|a, b| b.cells.cmp(&a.cells).then(a.at.page.cmp(&b.at.page)));
    holes
}

/// A hole from its cells (indices `y * cols + x`): its bounds, size and
/// deepest run of lines in one column.
fn hole(page: usize, cols: u32, mut members: Vec<usize>) -> Hole {
    // Column by column, top to bottom: a run is consecutive lines.
    members.sort_unstable_by_key(|&i| (i % cols as usize, i));
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    let (mut depth, mut run) = (0, 0);
    let mut last: Option<(u32, u32)> = None;
    for &i in &members {
        let (x, y) = (i as u32 % cols, i as u32 / cols);
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        run = match last {
            Some((lx, ly)) if lx == x && ly + 1 == y => run + 1,
            _ => 1,
        };
        depth = depth.max(run);
        last = Some((x, y));
    }
    Hole {
        at: Cell {
            page,
            x: x0,
            y: y0,
            w: x1 - x0 + 1,
            h: y1 - y0 + 1,
        },
        cells: members.len() as u32,
        depth,
    }
}

/// The most the legs of one story piece end apart, in lines.
fn leg_imbalance(elements: &[Element]) -> u32 {
    let mut worst = 0;
    let mut current: Option<(usize, usize, u32, u32)> = None;
    for element in elements {
        if let Element::Leg { item, at, lines } = element {
            if lines.is_empty() {
                continue;
            }
            let end = at.y + at.h;
            current = match current {
                Some((i, p, lo, hi)) if i == *item && p == at.page => {
                    Some((i, p, lo.min(end), hi.max(end)))
                }
                _ => Some((*item, at.page, end, end)),
            };
            if let Some((_, _, lo, hi)) = current {
                worst = worst.max(hi - lo);
            }
        }
    }
    worst
}

fn jumps(solution: &Solution) -> Vec<Jump> {
    let mut out = Vec::new();
    for (page, strips) in solution.pages.iter().enumerate() {
        for block in strips
            .iter()
            .flat_map(|s| &s.modules)
            .flat_map(|m| &m.blocks)
        {
            if block.piece == Piece::Head {
                out.push(Jump {
                    item: block.item,
                    from: page,
                    to: page + 1,
                });
            }
        }
    }
    out
}

/// Whether items appear in order (a story's pieces in turn).
fn reading_order(elements: &[Element]) -> bool {
    elements.windows(2).all(|w| w[0].item() <= w[1].item())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balanced_legs_end_within_a_line() {
        assert_eq!(balance(&[25, 25, 25, 25], 97), vec![25, 24, 24, 24]);
        assert_eq!(balance(&[10, 10], 25), vec![10, 10]);
        assert_eq!(balance(&[4, 10, 10], 20), vec![3, 9, 8]);
    }

    #[test]
    fn holes_are_measured_by_their_cells_and_deepest_column() {
        // A page 3 columns by 5 lines: an L of empty cells down column 0
        // and along the foot, and one empty cell apart at the top right.
        let rows = ["#.x", "#..", "#..", "#..", "###"];
        let covered: Vec<bool> = rows.concat().chars().map(|c| c == '.').collect();
        let holes = find_holes(&[covered], 3, &[5]);
        assert_eq!(holes.len(), 2, "{holes:?}");
        let l = &holes[0];
        assert_eq!((l.cells, l.depth), (7, 5));
        assert_eq!((l.at.x, l.at.y, l.at.w, l.at.h), (0, 0, 3, 5));
        let dot = &holes[1];
        assert_eq!((dot.cells, dot.depth), (1, 1));
        assert_eq!((dot.at.x, dot.at.y), (2, 0));
    }
}
