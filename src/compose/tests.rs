//! The composer on synthetic sizes: the dynamic programs against brute
//! force on small cases, and the invariants of what they place.

use super::grid::Photo;
use super::items::{Block, Content, Ctx, GAP, Item, Piece, Section, Side, cost};
use super::place::{self, Element, LineRef};
use super::solve::{Placed, Problem, Shape, Solution, Solver, hole_cost};

/// A box `natural` lines deep at every width from 2 columns, `per_col`
/// fewer lines per column wider, growing by half.
fn block(id: &str, natural: u32, per_col: u32) -> Item {
    let natural = (0..=8)
        .map(|k| (k >= 2).then(|| natural.saturating_sub(per_col * k).max(2)))
        .collect();
    Item {
        id: id.into(),
        content: Content::Block(Block {
            natural,
            grow: 0.5,
            readable: 8,
        }),
    }
}

fn story(id: &str, lines: u32, photos: &[(u32, u32)]) -> Item {
    Item {
        id: id.into(),
        content: Content::Section(Section {
            heading: vec![2; 9],
            lines,
            photos: photos
                .iter()
                .enumerate()
                .map(|(slot, &pixels)| Photo::sample(slot, pixels, 1))
                .collect(),
            side: Side::Right,
        }),
    }
}

/// Brute force over the same layouts the solver searches: every strip,
/// every cut into modules, every depth of every stacked item.
struct Brute<'a> {
    solver: Solver<'a>,
    problem: &'a Problem,
}

impl Brute<'_> {
    /// The cheapest rest from a state; after `air` (feathering) a strip
    /// must follow.
    fn best(&self, p: usize, y: u32, i: usize, from: u32, air: bool) -> f64 {
        let pages = &self.problem.pages;
        let n = self.problem.items.len();
        let cols = self.problem.ctx.grid.cols;
        let used = y.saturating_sub(GAP).min(pages[p]);
        let hole = hole_cost(cols, pages[p] - used);
        let mut best = f64::INFINITY;
        if i == n {
            return if air {
                f64::INFINITY
            } else if p + 1 == pages.len() {
                hole
            } else {
                hole + self.best(p + 1, 0, n, 0, false)
            };
        }
        if !air && p + 1 < pages.len() {
            best = best.min(hole + self.best(p + 1, 0, i, from, false));
        } else if !air {
            let rest = f64::from(self.solver.left_over((i, from)));
            best = best.min(hole + cost::OVERSET * rest);
        }
        let room = pages[p].saturating_sub(y);
        for j in i + 1..=n.min(i + super::solve::STRIP_ITEMS) {
            for h in 1..=room {
                let strip = self.strip(i, from, j, h, cols);
                if strip.is_finite() {
                    best = best.min(strip + self.best(p, y + h + GAP, j, 0, false));
                    for extra in 1..=super::solve::FEATHER_LINES {
                        let next = y + h + GAP + extra;
                        if next < pages[p] {
                            let air = super::solve::feather_cost(cols, extra);
                            best = best.min(strip + air + self.best(p, next, j, 0, true));
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
                    let before = if c == 0 && j == i {
                        0.0
                    } else {
                        self.strip(i, from, j, room, c)
                    };
                    if before.is_infinite() {
                        continue;
                    }
                    for s in section.head_shapes(&self.problem.ctx, cols - c, room) {
                        let rest = self.best(p + 1, 0, j, s.set - 1, false);
                        best = best.min(before + s.cost + cost::JUMP + rest);
                    }
                }
            }
        }
        best
    }

    /// Items `i..j` in modules over exactly `cols` columns, `h` deep.
    fn strip(&self, i: usize, from: u32, j: usize, h: u32, cols: u32) -> f64 {
        if i == j {
            return if cols == 0 { 0.0 } else { f64::INFINITY };
        }
        let mut best = f64::INFINITY;
        for u in i + 1..=j.min(i + super::solve::MODULE_ITEMS) {
            for w in 1..=cols {
                let module = self.module(i, from, u, w, h);
                if module.is_finite() {
                    best = best.min(module + self.strip(u, 0, j, h, cols - w));
                }
            }
        }
        best
    }

    /// Items `i..u` stacked at width `w` in `h` lines, a hole at the foot
    /// unless the module spans the page.
    fn module(&self, i: usize, from: u32, u: usize, w: u32, h: u32) -> f64 {
        if w == self.problem.ctx.grid.cols {
            return self.stack(i, from, u, w, h);
        }
        (0..=h)
            .map(|x| self.stack(i, from, u, w, h - x) + hole_cost(w, x))
            .fold(f64::INFINITY, f64::min)
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
    brute.best(0, 0, 0, 0, false)
}

/// The cost of a solution, added up again from its blocks and holes.
fn recount(problem: &Problem, solution: &Solution) -> f64 {
    let solver = Solver::new(problem);
    let cols = problem.ctx.grid.cols;
    let mut total = 0.0;
    for (p, strips) in solution.pages.iter().enumerate() {
        let mut bottom = 0;
        for strip in strips {
            if bottom > 0 {
                let air = strip.y - bottom - GAP;
                total += super::solve::feather_cost(cols, air);
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
                total += hole_cost(module.w, strip.h - depth);
            }
            bottom = strip.y + strip.h;
        }
        total += hole_cost(cols, problem.pages[p] - bottom);
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
            vec![block("a", 5, 0), block("b", 3, 0), block("c", 4, 1)],
        ),
        (
            4,
            vec![12],
            vec![story("s", 20, &[]), block("b", 4, 0), story("t", 9, &[])],
        ),
        (
            4,
            vec![10, 8],
            vec![story("s", 26, &[]), block("b", 3, 0), story("t", 12, &[])],
        ),
        (
            3,
            vec![12, 10],
            vec![block("a", 4, 0), story("s", 40, &[]), block("b", 3, 0)],
        ),
    ];
    for (cols, pages, items) in cases {
        let problem = Problem {
            ctx: Ctx::sample(cols),
            items,
            pages: pages.clone(),
            jumps: pages.len() > 1,
        };
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
    Problem {
        ctx: Ctx::sample(8),
        items: vec![
            story("sections[0]", 300, &[(3000, 2000)]),
            story("sections[1]", 180, &[(2000, 3000), (3000, 3000)]),
            block("charts[0]", 12, 0),
            story("sections[2]", 260, &[(4000, 1200)]),
            story("sections[3]", 60, &[]),
            block("data_box", 20, 2),
            block("quote", 16, 1),
        ],
        pages: vec![80, 76],
        jumps: true,
    }
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
    let quality = place::quality(&elements, 8, &problem.pages, &solution);
    assert!(quality.reading_order);
    assert!(solution.cost < cost::OVERSET, "{:#?}", solution.pages);
}

#[test]
fn a_story_longer_than_a_page_continues_on_the_next() {
    let problem = Problem {
        ctx: Ctx::sample(8),
        items: vec![
            story("sections[0]", 900, &[(3000, 2000)]),
            block("quote", 10, 0),
        ],
        pages: vec![70, 66],
        jumps: true,
    };
    let solution = Solver::new(&problem).solve().unwrap();
    let elements = place::elements(&problem.items, &solution);
    let quality = place::quality(&elements, 8, &problem.pages, &solution);
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
    let fits = Problem {
        ctx: Ctx::sample(4),
        items: vec![story("a", 150, &[]), story("b", 100, &[])],
        pages: vec![80],
        jumps: false,
    };
    let solution = Solver::new(&fits).solve().unwrap();
    assert!(solution.cost < cost::OVERSET);
    let over = Problem {
        items: vec![story("a", 150, &[]), story("b", 100, &[])],
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
