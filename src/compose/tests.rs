//! The composer on synthetic sizes: the dynamic programs against brute
//! force on small cases, and the invariants of what they place.

use super::grid::Photo;
use super::items::{
    Block, Content, Ctx, DEEP, GAP, Item, ItemId, Piece, Section, Side, cost, gap_cost, open_cost,
};
use super::place::{self, Element, LineRef};
use super::solve::{Placed, Problem, Reserve, Shape, Solution, Solver, page_end};

/// A box `natural` lines deep at every width from 2 columns, `per_col`
/// fewer lines per column wider.
fn block(id: ItemId, natural: u32, per_col: u32) -> Item {
    let natural = (0..=8)
        .map(|k| (k >= 2).then(|| natural.saturating_sub(per_col * k).max(2)))
        .collect();
    Item {
        id,
        content: Content::Block(Block::fixed(natural, 8)),
    }
}

fn story(id: ItemId, lines: u32, photos: &[(u32, u32)]) -> Item {
    Item {
        id,
        content: Content::Section(Section {
            heading: vec![2; 9],
            lines,
            photos: photos
                .iter()
                .enumerate()
                .map(|(slot, &pixels)| Photo::sample(slot, pixels, 1))
                .collect(),
            side: Side::Right,
            pull: None,
            heading_ink: Vec::new(),
        }),
    }
}

fn problem(cols: u32, pages: Vec<u32>, items: Vec<Item>) -> Problem {
    Problem {
        ctx: Ctx::sample(cols),
        jumps: pages.len() > 1,
        items,
        pages,
        reserved: Vec::new(),
        open: true,
    }
}

/// Brute force over the same layouts the solver searches: every strip,
/// every cut into modules (the open area in at most one of a foot strip's,
/// an empty module only below a page's first strip), every depth of every
/// stacked item.
struct Brute<'a> {
    solver: Solver<'a>,
    problem: &'a Problem,
}

impl Brute<'_> {
    /// The cheapest rest from a state; after `air` (feathering) a strip
    /// must follow; once the open area is `used`, there is no other.
    fn best(&self, p: usize, y: u32, i: usize, from: u32, air: bool, used: bool) -> f64 {
        let pages = &self.problem.pages;
        let n = self.problem.items.len();
        let cols = self.problem.ctx.grid.cols;
        let first = p == 0 && pages.len() > 1;
        let (foot, takes) = page_end(cols, pages[p], y, !used, self.problem.open, first);
        let after = used || takes;
        let mut best = f64::INFINITY;
        if !air && p + 1 < pages.len() {
            best = best.min(foot + self.best(p + 1, 0, i, from, false, after));
        } else if !air {
            let rest = f64::from(self.solver.left_over((i, from)));
            best = best.min(foot + cost::OVERSET * rest);
        }
        let room = pages[p].saturating_sub(y);
        for h in 1..=room {
            let reaches = h == room;
            let open = reaches && self.problem.open;
            let empty = open && y > 0;
            let first = if empty { i } else { i + 1 };
            for j in first..=n.min(i + super::solve::STRIP_ITEMS) {
                let next_from = if j == i { from } else { 0 };
                // Without the open area, and (while unused) with it.
                let closed = self.strip(i, from, j, h, cols, false, false);
                let opened = match open && !used {
                    true => self.strip(i, from, j, h, cols, true, empty),
                    false => f64::INFINITY,
                };
                for (strip, after) in [(closed, used), (opened, true)] {
                    if strip.is_infinite() {
                        continue;
                    }
                    let rest = self.best(p, y + h + GAP, j, next_from, false, after);
                    best = best.min(strip + rest);
                    for extra in 1..=super::solve::FEATHER_LINES {
                        let next = y + h + GAP + extra;
                        if next < pages[p] {
                            let air = super::solve::feather_cost(cols, extra);
                            best = best.min(strip + air + self.best(p, next, j, 0, true, after));
                        }
                    }
                }
            }
        }
        if self.problem.jumps && p + 1 < pages.len() && room > 0 {
            for j in i..n.min(i + super::solve::STRIP_ITEMS) {
                if j == i && from > 0 {
                    continue;
                }
                let Content::Section(section) = &self.problem.items[j].content else {
                    continue;
                };
                for c in 0..cols - 1 {
                    let (closed, opened) = if c == 0 && j == i {
                        (0.0, f64::INFINITY)
                    } else {
                        let open = self.problem.open && !used;
                        let opened = match open {
                            true => self.strip(i, from, j, room, c, true, y > 0),
                            false => f64::INFINITY,
                        };
                        (self.strip(i, from, j, room, c, false, false), opened)
                    };
                    for (before, after) in [(closed, used), (opened, true)] {
                        if before.is_infinite() {
                            continue;
                        }
                        for s in section.head_shapes(&self.problem.ctx, cols - c, room) {
                            let rest = self.best(p + 1, 0, j, s.set - 1, false, after);
                            best = best.min(before + s.cost + cost::JUMP + rest);
                        }
                    }
                }
            }
        }
        best
    }

    /// Items `i..j` in modules over exactly `cols` columns, `h` deep; when
    /// `open`, exactly one of them holds the open area (maybe an empty
    /// one, when `empty`).
    #[allow(clippy::too_many_arguments)]
    fn strip(
        &self,
        i: usize,
        from: u32,
        j: usize,
        h: u32,
        cols: u32,
        open: bool,
        empty: bool,
    ) -> f64 {
        if cols == 0 {
            return if i == j { 0.0 } else { f64::INFINITY };
        }
        let mut best = f64::INFINITY;
        for w in 1..=cols {
            if empty && h >= DEEP {
                best =
                    best.min(open_cost(w, h) + self.strip(i, from, j, h, cols - w, false, false));
            }
            for u in i + 1..=j.min(i + super::solve::MODULE_ITEMS) {
                let (closed, opened) = self.module(i, from, u, w, h);
                let rest = |open| self.strip(u, 0, j, h, cols - w, open, empty);
                if closed.is_finite() {
                    best = best.min(closed + rest(open));
                }
                if open && opened.is_finite() {
                    best = best.min(opened + rest(false));
                }
            }
        }
        best
    }

    /// Items `i..u` stacked at width `w` in `h` lines: with a gap at the
    /// foot (unless the module spans the page), and with the open area
    /// there.
    fn module(&self, i: usize, from: u32, u: usize, w: u32, h: u32) -> (f64, f64) {
        if w == self.problem.ctx.grid.cols {
            return (self.stack(i, from, u, w, h), f64::INFINITY);
        }
        let closed = (0..=h)
            .map(|x| self.stack(i, from, u, w, h - x) + if x == 0 { 0.0 } else { gap_cost(w, x) })
            .fold(f64::INFINITY, f64::min);
        let opened = (DEEP..=h)
            .map(|x| self.stack(i, from, u, w, h - x) + open_cost(w, x))
            .fold(f64::INFINITY, f64::min);
        (closed, opened)
    }

    fn stack(&self, i: usize, from: u32, u: usize, w: u32, h: u32) -> f64 {
        let piece = if from == 0 {
            Piece::Whole
        } else {
            Piece::Tail { from }
        };
        let one = |d: u32| {
            self.solver
                .item_shape(i, piece, w, d)
                .map_or(f64::INFINITY, |(c, _)| c)
        };
        if u == i + 1 {
            return one(h);
        }
        (1..h.saturating_sub(GAP))
            .map(|d| one(d) + self.stack(i + 1, 0, u, w, h - d - GAP))
            .fold(f64::INFINITY, f64::min)
    }
}

fn brute(problem: &Problem) -> f64 {
    let brute = Brute {
        solver: Solver::new(problem),
        problem,
    };
    brute.best(0, 0, 0, 0, false, false)
}

/// The cost of a solution, added up again from its blocks and gaps.
fn recount(problem: &Problem, solution: &Solution) -> f64 {
    let solver = Solver::new(problem);
    let cols = problem.ctx.grid.cols;
    let mut total = 0.0;
    for (p, strips) in solution.pages.iter().enumerate() {
        let mut bottom = 0;
        for strip in strips {
            if bottom > 0 {
                total += super::solve::feather_cost(cols, strip.y - bottom);
            }
            for module in &strip.modules {
                let mut depth = 0;
                for block in &module.blocks {
                    let (c, _) = solver
                        .item_shape(block.item, block.piece, module.w, block.h)
                        .unwrap();
                    total += c;
                    if block.piece == Piece::Head {
                        total += cost::JUMP;
                    }
                    depth = block.y + block.h - strip.y;
                }
                let left = strip.h - depth;
                total += match module.open {
                    Some((_, lines)) => {
                        assert_eq!(lines, left, "the open area is the module's foot");
                        open_cost(module.w, lines)
                    }
                    None if left > 0 => gap_cost(module.w, left),
                    None => 0.0,
                };
            }
            bottom = strip.y + strip.h + GAP;
        }
        let first = p == 0 && problem.pages.len() > 1;
        total += page_end(cols, problem.pages[p], bottom, true, problem.open, first).0;
    }
    if let Some(&first) = solution.dropped.first() {
        total += cost::OVERSET * f64::from(solver.left_over(first));
    }
    total
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(1.0)
}

#[test]
fn the_program_matches_brute_force_on_small_pages() {
    let cases = vec![
        (
            3,
            vec![14],
            vec![
                block(ItemId::Chart(0), 5, 0),
                block(ItemId::DataBox, 3, 0),
                block(ItemId::Quote, 4, 1),
            ],
        ),
        (
            4,
            vec![12],
            vec![
                story(ItemId::Section(0), 20, &[]),
                block(ItemId::DataBox, 4, 0),
                story(ItemId::Section(1), 9, &[]),
            ],
        ),
        (
            4,
            vec![10, 8],
            vec![
                story(ItemId::Section(0), 26, &[]),
                block(ItemId::DataBox, 3, 0),
                story(ItemId::Section(1), 12, &[]),
            ],
        ),
        (
            3,
            vec![12, 10],
            vec![
                block(ItemId::Chart(0), 4, 0),
                story(ItemId::Section(0), 40, &[]),
                block(ItemId::DataBox, 3, 0),
            ],
        ),
        (
            4,
            vec![14],
            vec![
                story(ItemId::Section(0), 12, &[]),
                block(ItemId::DataBox, 3, 0),
            ],
        ),
    ];
    for (cols, pages, items) in cases {
        let problem = problem(cols, pages.clone(), items);
        let solution = Solver::new(&problem).solve().unwrap();
        let brute = brute(&problem);
        assert!(
            close(solution.cost, brute),
            "{cols} columns, pages {pages:?}: program {} against brute force {brute}",
            solution.cost
        );
        let again = recount(&problem, &solution);
        assert!(
            close(again, solution.cost),
            "recounted {again} for {}: {:#?}",
            solution.cost,
            solution.pages
        );
    }
}

/// The cells each element covers, to find overlaps.
fn cells(element: &Element) -> Vec<(usize, u32, u32)> {
    let (at, extra) = match element {
        Element::Photo { at, caption, .. } => (at, *caption),
        other => (other.at(), 0),
    };
    let mut out = Vec::new();
    for y in at.y..at.y + at.h + extra {
        for x in at.x..at.x + at.w {
            out.push((at.page, x, y));
        }
    }
    out
}

fn spread_problem() -> Problem {
    problem(
        8,
        vec![80, 76],
        vec![
            story(ItemId::Section(0), 300, &[(3000, 2000)]),
            story(ItemId::Section(1), 180, &[(2000, 3000), (3000, 3000)]),
            block(ItemId::Chart(0), 12, 0),
            story(ItemId::Section(2), 260, &[(4000, 1200)]),
            story(ItemId::Section(3), 60, &[]),
            block(ItemId::DataBox, 20, 2),
            block(ItemId::Quote, 16, 1),
        ],
    )
}

#[test]
fn placed_blocks_do_not_overlap_and_every_line_is_set_once() {
    let problem = spread_problem();
    let solution = Solver::new(&problem).solve().unwrap();
    let elements = place::elements(&problem.items, &solution);
    let mut seen = std::collections::HashSet::new();
    for element in &elements {
        for cell in cells(element) {
            assert!(seen.insert(cell), "{cell:?} covered twice");
            assert!(cell.2 < problem.pages[cell.0], "{cell:?} below the foot");
            assert!(cell.1 < 8);
        }
    }
    for (index, item) in problem.items.iter().enumerate() {
        let Content::Section(section) = &item.content else {
            continue;
        };
        let lines: Vec<u32> = elements
            .iter()
            .filter_map(|e| match e {
                Element::Leg { item, lines, .. } if *item == index => Some(lines.clone()),
                _ => None,
            })
            .flatten()
            .filter_map(|l| match l {
                LineRef::Story(n) => Some(n),
                _ => None,
            })
            .collect();
        let expected: Vec<u32> = (0..section.lines).collect();
        assert_eq!(lines, expected, "{} sets each line once, in order", item.id);
        let photos = elements
            .iter()
            .filter(|e| matches!(e, Element::Photo { item, .. } if *item == index))
            .count();
        assert_eq!(
            photos,
            section.photos.len(),
            "{}: every photo placed",
            item.id
        );
    }
    let quality = place::quality(&problem.items, &elements, 8, &problem.pages, &solution);
    assert!(quality.reading_order);
    assert!(solution.cost < cost::OVERSET, "{:#?}", solution.pages);
}

#[test]
fn a_story_longer_than_a_page_continues_on_the_next() {
    let problem = problem(
        8,
        vec![70, 66],
        vec![
            story(ItemId::Section(0), 900, &[(3000, 2000)]),
            block(ItemId::Quote, 10, 0),
        ],
    );
    let solution = Solver::new(&problem).solve().unwrap();
    let elements = place::elements(&problem.items, &solution);
    let quality = place::quality(&problem.items, &elements, 8, &problem.pages, &solution);
    assert_eq!(quality.jumps.len(), 1, "{:?}", solution.pages);
    let jumps: Vec<&LineRef> = elements
        .iter()
        .filter_map(|e| match e {
            Element::Leg { lines, .. } => Some(lines),
            _ => None,
        })
        .flatten()
        .filter(|l| !matches!(l, LineRef::Story(_)))
        .collect();
    assert_eq!(jumps, vec![&LineRef::JumpDown, &LineRef::JumpUp]);
    let deep: Vec<_> = quality.holes.iter().filter(|h| h.depth >= 3).collect();
    assert!(deep.is_empty(), "{deep:?}");
}

#[test]
fn copy_beyond_the_pages_is_overset_by_the_smallest_cut() {
    let fits = problem(
        4,
        vec![80],
        vec![
            story(ItemId::Section(0), 150, &[]),
            story(ItemId::Section(1), 100, &[]),
        ],
    );
    let solution = Solver::new(&fits).solve().unwrap();
    assert!(solution.cost < cost::OVERSET);
    let over = Problem {
        items: vec![
            story(ItemId::Section(0), 150, &[]),
            story(ItemId::Section(1), 100, &[]),
        ],
        pages: vec![30],
        ..fits
    };
    let solution = Solver::new(&over).solve().unwrap();
    let overset: u32 = solution
        .pages
        .iter()
        .flatten()
        .flat_map(|s| &s.modules)
        .flat_map(|m| &m.blocks)
        .filter_map(|b: &Placed| match &b.shape {
            Shape::Section(s) => Some(s.overset),
            _ => None,
        })
        .sum();
    // Side by side at 2 columns each, under 2 heading lines, 28 lines hold
    // 2 × 2 × 28 = 112 of the 250 lines; stacked at 4 columns, only 100.
    assert_eq!(overset, 250 - 112, "{:?}", solution.pages);
}

/// Cells each element covers (a photo with its caption), for overlaps.
fn covered(elements: &[Element]) -> std::collections::HashSet<(usize, u32, u32)> {
    elements.iter().flat_map(cells).collect()
}

#[test]
fn white_space_that_remains_is_gathered_in_one_open_area_at_a_foot() {
    // Copy for about a page and a half of a spread.
    let problem = problem(
        8,
        vec![60, 60],
        vec![
            story(ItemId::Section(0), 180, &[(3000, 2000)]),
            story(ItemId::Section(1), 150, &[]),
            block(ItemId::DataBox, 14, 1),
            story(ItemId::Section(2), 90, &[]),
        ],
    );
    let solution = Solver::new(&problem).solve().unwrap();
    let elements = place::elements(&problem.items, &solution);
    let quality = place::quality(&problem.items, &elements, 8, &problem.pages, &solution);
    assert_eq!(quality.open.len(), 1, "{:#?}", solution.pages);
    let open = quality.open[0];
    // At a page's foot, and nothing printed in it.
    assert_eq!(open.y + open.h, problem.pages[open.page], "{open:?}");
    let taken = covered(&elements);
    for y in open.y..open.y + open.h {
        for x in open.x..open.x + open.w {
            assert!(
                !taken.contains(&(open.page, x, y)),
                "{open:?} holds ({x}, {y})"
            );
        }
    }
    // Anywhere else no gap of two lines or more stands.
    let stranded: Vec<_> = quality
        .holes
        .iter()
        .filter(|h| h.depth >= DEEP && !overlaps(&h.at, &open))
        .collect();
    assert!(stranded.is_empty(), "{stranded:?}");
}

fn overlaps(a: &super::place::Cell, b: &super::place::Cell) -> bool {
    a.page == b.page && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

#[test]
fn a_reserved_area_stays_free_where_it_was_asked_for() {
    let mut spread = spread_problem();
    // An ad of 4 columns by 30 lines at the foot of the right page.
    let ad = Reserve {
        x: 4,
        w: 4,
        h: 30,
        top: false,
        id: 0,
    };
    spread.reserved = vec![Vec::new(), vec![ad]];
    let solution = Solver::new(&spread).solve().unwrap();
    let elements = place::elements(&spread.items, &solution);
    let quality = place::quality(&spread.items, &elements, 8, &spread.pages, &solution);
    let placed: Vec<_> = quality.reserved.iter().map(|(_, at)| *at).collect();
    assert_eq!(placed.len(), 1, "{:#?}", solution.pages);
    let at = placed[0];
    assert_eq!((at.page, at.x, at.w, at.h), (1, 4, 4, 30));
    assert_eq!(at.y + at.h, spread.pages[1], "at the foot: {at:?}");
    let taken = covered(&elements);
    for y in at.y..at.y + at.h {
        for x in at.x..at.x + at.w {
            assert!(
                !taken.contains(&(1, x, y)),
                "the ad's cell ({x}, {y}) is taken"
            );
        }
    }
    // Its cells count as filled: no hole there.
    assert!(!quality.holes.iter().any(|h| overlaps(&h.at, &at)));
    // A report too long beside it is overset.
    let fits = Solver::new(&spread_problem()).solve().unwrap().cost;
    let mut long = spread_problem();
    long.items[0] = story(ItemId::Section(0), 400, &[(3000, 2000)]);
    let free = Solver::new(&long).solve().unwrap().cost;
    long.reserved = vec![Vec::new(), vec![Reserve { h: 60, ..ad }]];
    let beside = Solver::new(&long).solve().unwrap().cost;
    assert!(
        fits < cost::OVERSET && free < cost::OVERSET,
        "{fits} {free}"
    );
    assert!(beside >= cost::OVERSET, "overset beside the ad: {beside}");
}

#[test]
fn a_box_takes_no_air_its_theme_does_not_allow_and_air_is_white_space() {
    let mut item = block(ItemId::Quote, 10, 0);
    let Content::Block(b) = &mut item.content else {
        unreachable!()
    };
    assert!(b.fit(4, 10).is_some());
    assert!(b.fit(4, 11).is_none(), "no air by default");
    b.air = 2;
    let (with_air, fit) = b.fit(4, 12).unwrap();
    assert_eq!(fit.natural, 10);
    assert!(with_air > b.fit(4, 10).unwrap().0, "air costs");
    // Placed with its air, the air is white space the measures see.
    let problem = problem(4, vec![12], vec![item]);
    let solution = Solver::new(&problem).solve().unwrap();
    let elements = place::elements(&problem.items, &solution);
    let quality = place::quality(&problem.items, &elements, 4, &problem.pages, &solution);
    let empty: u32 = quality.holes.iter().map(|h| h.cells).sum();
    assert_eq!(empty, 4 * 2, "{:?} {:?}", solution.pages, quality.holes);
}

#[test]
fn a_pull_quote_takes_up_a_gap_and_only_a_gap() {
    let with_pull = |lines: u32| {
        let mut item = story(ItemId::Section(0), lines, &[]);
        if let Content::Section(s) = &mut item.content {
            s.pull = Some(super::items::Pull {
                lines: (0..=8u32)
                    .map(|k| (2..=3).contains(&k).then(|| 8 / k + 4))
                    .collect(),
                ink: Vec::new(),
            });
        }
        item
    };
    let pulls = |lines: u32, page: u32| {
        let problem = problem(4, vec![page], vec![with_pull(lines)]);
        let solution = Solver::new(&problem).solve().unwrap();
        place::elements(&problem.items, &solution)
            .iter()
            .filter(|e| matches!(e, Element::Pull { .. }))
            .count()
    };
    // 96 lines fill 4 legs of 24 under a 2-line heading: no pull quote.
    assert_eq!(pulls(96, 26), 0);
    // 78 lines leave a gap of 18 cells: a pull quote of 8 lines by 2
    // columns and the line under it take it up.
    assert_eq!(pulls(78, 26), 1);
    // 40 lines on a page of 40 leave some 27 lines open at its foot: that
    // is the open area, kept for an ad; a pull quote would only eat into
    // it (a page of pull quotes reads as padding).
    assert_eq!(pulls(40, 40), 0);
    assert_eq!(pulls(50, 40), 0);
}

#[test]
fn a_helper_thread_changes_nothing_the_search_finds() {
    // A spread, a story continued over the fold (tails at the next page's
    // top), and a reserved area (other kinds of strip on one page).
    let mut reserved = spread_problem();
    reserved.reserved = vec![
        Vec::new(),
        vec![Reserve {
            x: 4,
            w: 4,
            h: 30,
            top: false,
            id: 0,
        }],
    ];
    let continued = problem(
        8,
        vec![70, 66],
        vec![
            story(ItemId::Section(0), 900, &[(3000, 2000)]),
            block(ItemId::Quote, 10, 0),
            story(ItemId::Section(1), 120, &[]),
        ],
    );
    for problem in [spread_problem(), continued, reserved] {
        let alone = Solver::new(&problem).solve().unwrap();
        let helped = Solver::new(&problem).with_helper().solve().unwrap();
        assert_eq!(alone, helped);
    }
}
