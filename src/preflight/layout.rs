//! What the composer's layout tells an editor: copy that does not fit (with
//! the smallest cut that does); else white space: gaps stranded mid-page,
//! the open area gathered at a page's foot, each with what would fill it;
//! sizes moved from their design, pull quotes, reserved areas, jumps.

use super::unplaced;
use crate::compose::items::{GAP, ItemId};
use crate::compose::place::{Cell, Element, Hole, Quality};
use crate::report::LoadedReport;
use crate::spread::SpreadPlan;
use crate::{Diagnostic, Severity};

/// Gaps at least this many lines deep are reported.
pub const HOLE_LINES: u32 = crate::compose::place::SEEN;
/// The share of the type area that may be empty in small gaps.
pub const HOLE_SHARE: f64 = 0.03;

/// Everything the layout says: overset, or else its white space (one
/// verdict, never both), and the notes.
pub fn review(loaded: &LoadedReport, plan: &SpreadPlan) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    match overset(loaded, plan) {
        Some(overset) => out.push(overset),
        None => out.extend(white_space(loaded, plan)),
    }
    out.extend(notes(loaded, plan));
    loaded.place(&mut out);
    out
}

/// The overset, if any: one error naming the stories to cut, by the
/// smallest cut the composer found that fits.
fn overset(loaded: &LoadedReport, plan: &SpreadPlan) -> Option<Diagnostic> {
    let c = &plan.composition;
    let mut cuts: Vec<(String, usize, u32, usize)> = c
        .overset
        .iter()
        .map(|&(item, lines)| {
            let id = c.items[item].id.field();
            let section = c.items[item].index();
            let chars = plan.tail_chars(&loaded.report, section, lines);
            (id, section, lines, chars)
        })
        .collect();
    let boxes: Vec<String> = c
        .dropped
        .iter()
        .filter(|(item, _)| !matches!(c.items[*item].id, ItemId::Section(_)))
        .map(|(item, _)| c.items[*item].id.field())
        .collect();
    if cuts.is_empty() && boxes.is_empty() {
        return None;
    }
    if cuts.is_empty() {
        return Some(
            unplaced(
                loaded,
                Severity::Error,
                Some(&boxes[0]),
                format!("{} do not fit on the pages", boxes.join(", ")),
            )
            .with_hint("cut copy or drop a photo to make room"),
        );
    }
    cuts.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
    let lines: u32 = cuts.iter().map(|c| c.2).sum();
    let chars: usize = cuts.iter().map(|c| c.3).sum();
    let each: Vec<String> = cuts
        .iter()
        .map(|(id, _, l, ch)| format!("{id}: {l} lines, about {ch} characters"))
        .collect();
    let (id, ..) = &cuts[0];
    let left_off = if boxes.is_empty() {
        String::new()
    } else {
        format!("; left off: {}", boxes.join(", "))
    };
    Some(
        unplaced(
            loaded,
            Severity::Error,
            Some(id),
            format!(
                "the copy does not fit: {lines} lines over ({}){left_off}",
                each.join("; ")
            ),
        )
        .with_hint(format!(
            "the smallest cut that fits: cut about {chars} characters ({}){}; or drop a photo",
            cuts.iter()
                .map(|(id, _, _, ch)| format!("{ch} from {id}"))
                .collect::<Vec<_>>()
                .join(", "),
            if boxes.is_empty() {
                String::new()
            } else {
                format!(" and leave out {}", boxes.join(", "))
            }
        )),
    )
}

/// Characters of body copy a column's line holds.
fn chars_per_line(plan: &SpreadPlan) -> u32 {
    let g = &plan.geometry;
    (g.col / (g.pitch - g.leading)).round() as u32
}

/// Whether a hole is (part of) an open area.
fn in_open(q: &Quality, hole: &Hole) -> bool {
    q.open.iter().any(|o| overlaps(o, &hole.at))
}

/// Whether two cells of the grid overlap.
pub(super) fn overlaps(a: &Cell, b: &Cell) -> bool {
    a.page == b.page && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/// Every gap of [`HOLE_LINES`] or more stranded mid-page (beside the
/// banner too), the open area, and a summary when the pages are underset;
/// each with what would fill it.
fn white_space(loaded: &LoadedReport, plan: &SpreadPlan) -> Vec<Diagnostic> {
    let c = &plan.composition;
    let g = &plan.geometry;
    let chars = chars_per_line(plan);
    let mut out = Vec::new();
    let cells_used: u32 = c.lines.iter().map(|&l| l * g.cols).sum::<u32>()
        - c.quality.holes.iter().map(|h| h.cells).sum::<u32>();
    let one_page = c.lines.len() > 1 && cells_used <= c.lines[0] * g.cols;
    let single = if one_page {
        "; the copy would fill one page: try --pages single"
    } else {
        ""
    };
    for hole in c.quality.holes.iter().filter(|h| h.depth >= HOLE_LINES) {
        if in_open(&c.quality, hole) {
            continue;
        }
        let above = element_above(&c.elements, &hole.at).map(|item| c.items[item].id.field());
        let message = format!(
            "page {} has a gap of {} lines at columns {}–{}, lines {}–{} ({} cells), stranded mid-page",
            hole.at.page + 1,
            hole.depth,
            hole.at.x + 1,
            hole.at.x + hole.at.w,
            hole.at.y + 1,
            hole.at.y + hole.at.h,
            hole.cells
        );
        let hint = fill_hint(plan, hole.cells, &hole.at, chars);
        out.push(
            unplaced(loaded, Severity::Warning, above.as_deref(), message).with_hint(hint + single),
        );
    }
    if let Some(side) = c.band.as_ref().and_then(|b| b.side.as_ref()) {
        for hole in side.quality.holes.iter().filter(|h| h.depth >= HOLE_LINES) {
            let message = format!(
                "the band beside the banner has a gap of {} lines at columns {}–{} ({} cells)",
                hole.depth,
                hole.at.x + 1,
                hole.at.x + hole.at.w,
                hole.cells
            );
            out.push(
                unplaced(loaded, Severity::Warning, Some("banner"), message)
                    .with_hint("lengthen the lede, add key figures, or draw a chart in the spread (in_spread = true)"),
            );
        }
    }
    let type_area: u32 = c.lines.iter().map(|&l| l * g.cols).sum();
    for area in &c.quality.open {
        let (w, h) = size_mm(plan, area);
        let blank = area.y == 0 && area.w == g.cols && Some(&area.h) == c.lines.get(area.page);
        let message = if blank {
            format!(
                "page {} is blank: the copy is set on the other page, and the whole body ({w:.0} × {h:.0} mm, {:.1} % of the type area) is an open area",
                area.page + 1,
                100.0 * f64::from(area.w * area.h) / f64::from(type_area.max(1)),
            )
        } else {
            format!(
                "page {} has an open area at its foot: {} columns × {} lines ({w:.0} × {h:.0} mm, {:.1} % of the type area), at columns {}–{}, lines {}–{}",
                area.page + 1,
                area.w,
                area.h,
                100.0 * f64::from(area.w * area.h) / f64::from(type_area.max(1)),
                area.x + 1,
                area.x + area.w,
                area.y + 1,
                area.y + area.h,
            )
        };
        let hint = format!(
            "the white space is gathered there for an ad or a filler; {}",
            fill_hint(plan, area.w * area.h, area, chars)
        );
        out.push(unplaced(loaded, Severity::Warning, None, message).with_hint(hint + single));
    }
    out.extend(underset(loaded, plan, chars, one_page));
    out
}

/// What would fill `cells` empty cells in an area: copy, or a photo.
fn fill_hint(plan: &SpreadPlan, cells: u32, area: &Cell, chars: u32) -> String {
    format!(
        "about {} characters of copy would fill it, or a photo of {} columns by {} lines ({:.0} mm deep)",
        cells * chars,
        area.w,
        area.h,
        mm(plan.geometry.grid().depth(area.h))
    )
}

/// An area's width and depth in millimetres.
pub(super) fn size_mm(plan: &SpreadPlan, area: &Cell) -> (f64, f64) {
    let g = plan.geometry.grid();
    (mm(g.span(area.w)), mm(g.depth(area.h)))
}

/// One summary when the pages are underset: gaps of three lines or more,
/// or more than [`HOLE_SHARE`] of the type area empty in small gaps; with
/// how much copy, or how many photos, would fill them.
fn underset(
    loaded: &LoadedReport,
    plan: &SpreadPlan,
    chars_per_line: u32,
    one_page: bool,
) -> Option<Diagnostic> {
    let c = &plan.composition;
    let q = &c.quality;
    // White space gathered in the open area is said there, once; what is
    // left is what a reader sees as blank beyond it (else, with no such
    // measure, every empty cell beyond it).
    let outside: Vec<&Hole> = q.holes.iter().filter(|h| !in_open(q, h)).collect();
    let deep = outside.iter().any(|h| h.depth >= HOLE_LINES);
    let outside_cells: u32 = if q.blank.is_empty() {
        outside.iter().map(|h| h.cells).sum()
    } else {
        q.blank
            .iter()
            .filter(|h| !in_open(q, h))
            .map(|h| h.cells)
            .sum()
    };
    let type_area: u32 = c.lines.iter().map(|&l| l * plan.geometry.cols).sum();
    if !deep && f64::from(outside_cells) <= HOLE_SHARE * f64::from(type_area.max(1)) {
        return None;
    }
    // What a reader sees as blank (a box's air and feathering included),
    // else every empty cell.
    let (cells, share) = if q.blank.is_empty() {
        (q.holes.iter().map(|h| h.cells).sum::<u32>(), q.hole_share)
    } else {
        (q.blank.iter().map(|h| h.cells).sum::<u32>(), q.blank_share)
    };
    // A photo of half the page's width at its own proportions (3:2).
    let half = plan.geometry.cols.div_ceil(2);
    let photo_cells = half * (half * 13 * 2 / 3 / 2).max(1);
    let mut hint = format!(
        "about {} characters of copy, or {} photos of {half} columns, would fill the pages",
        cells * chars_per_line,
        cells.div_ceil(photo_cells)
    );
    if one_page {
        hint.push_str("; the copy would fill one page: try --pages single");
    }
    Some(
        unplaced(
            loaded,
            Severity::Warning,
            None,
            format!(
                "the pages are underset: {cells} grid cells ({:.1} % of the type area) are blank",
                share * 100.0
            ),
        )
        .with_hint(hint),
    )
}

/// The item of the element right above a cell (same page, overlapping
/// columns, ending above it), for the hole's place in the report.
fn element_above(elements: &[Element], at: &Cell) -> Option<usize> {
    elements
        .iter()
        .filter_map(|e| {
            let cell = e.at();
            let overlaps = cell.x < at.x + at.w && at.x < cell.x + cell.w;
            let bottom = cell.y + cell.h;
            (cell.page == at.page && overlaps && bottom <= at.y + GAP).then_some((bottom, e.item()))
        })
        .max()
        .map(|(_, item)| item)
}

/// What the composer sized away from its design, and where stories jump.
fn notes(loaded: &LoadedReport, plan: &SpreadPlan) -> Vec<Diagnostic> {
    let c = &plan.composition;
    let g = &plan.geometry;
    let mut out = Vec::new();
    if let Some(band) = &c.band {
        let [lo, natural, hi] = g.banner;
        let change = band.depth / natural - 1.0;
        if change.abs() >= 0.02 {
            out.push(unplaced(
                loaded,
                Severity::Note,
                Some("banner"),
                format!(
                    "the banner's band set to {:.0} mm ({:+.0} % of the designed {:.0} mm, bounds {:.0}–{:.0} mm)",
                    mm(band.depth),
                    change * 100.0,
                    mm(natural),
                    mm(lo),
                    mm(hi)
                ),
            ));
        }
    }
    for photo in super::report::photo_reports(plan) {
        let cut = photo.crop_width.max(photo.crop_height);
        if cut >= 0.1 || !(0.6..=1.7).contains(&photo.scale) {
            let side = if photo.crop_width > photo.crop_height {
                "width"
            } else {
                "height"
            };
            out.push(unplaced(
                loaded,
                Severity::Note,
                Some(&photo.field),
                format!(
                    "photo placed at {} columns, {:.0} × {:.0} mm ({:.1}× its designed area), {:.0} % of its {side} cropped around its focus",
                    photo.columns, photo.width_mm, photo.height_mm, photo.scale, cut * 100.0
                ),
            ));
        }
    }
    for (item, text) in pulls(plan) {
        let id = c.items[item].id.field();
        out.push(
            unplaced(
                loaded,
                Severity::Note,
                Some(&id),
                format!(
                    "a sentence of {id} is set as a pull quote (引语) to take up a gap: “{text}”"
                ),
            )
            .with_hint(
                "review it; set `pull_quotes = false` under [layout] to leave pull quotes out",
            ),
        );
    }
    for (reserve, cell) in &c.quality.reserved {
        let field = format!("reserved[{}]", reserve.id);
        let (w, h) = size_mm(plan, cell);
        out.push(unplaced(
            loaded,
            Severity::Note,
            Some(&field),
            format!(
                "{field} kept free on page {}: columns {}–{}, lines {}–{} ({w:.0} × {h:.0} mm)",
                cell.page + 1,
                cell.x + 1,
                cell.x + cell.w,
                cell.y + 1,
                cell.y + cell.h,
            ),
        ));
    }
    for jump in &c.quality.jumps {
        let id = c.items[jump.item].id.field();
        out.push(unplaced(
            loaded,
            Severity::Note,
            Some(&id),
            format!(
                "{id} continues from page {} on page {} (with 下转/上接 lines)",
                jump.from + 1,
                jump.to + 1
            ),
        ));
    }
    out
}

/// The pull quotes set: each section's item and the sentence.
pub(super) fn pulls(plan: &SpreadPlan) -> Vec<(usize, &str)> {
    let c = &plan.composition;
    c.elements
        .iter()
        .filter_map(|e| match e {
            Element::Pull { item, .. } => {
                let section = c.items[*item].index();
                let text = plan.pulls.get(section)?.as_deref()?;
                Some((*item, text))
            }
            _ => None,
        })
        .collect()
}

/// Points in millimetres.
pub(super) fn mm(pt: f64) -> f64 {
    pt / 72.0 * 25.4
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::Composition;
    use crate::compose::place::Quality;
    use crate::compose::solve::Solution;
    use crate::typeset::measure::{Geometry, Measures};

    /// A plan whose only measures are these holes, on pages 10 lines deep.
    fn plan_with(holes: Vec<Hole>) -> SpreadPlan {
        let cells: u32 = holes.iter().map(|h| h.cells).sum();
        let composition = Composition {
            band: None,
            headline_top: 0.0,
            body_top: 0.0,
            lines: vec![10, 10],
            items: Vec::new(),
            solution: Solution {
                pages: vec![Vec::new(), Vec::new()],
                cost: 0.0,
                dropped: Vec::new(),
            },
            elements: Vec::new(),
            quality: Quality {
                hole_share: f64::from(cells) / 160.0,
                holes,
                blank: Vec::new(),
                blank_share: 0.0,
                open: Vec::new(),
                reserved: Vec::new(),
                leg_imbalance: 0,
                short_legs: 0,
                jumps: Vec::new(),
                reading_order: true,
            },
            overset: Vec::new(),
            dropped: Vec::new(),
        };
        SpreadPlan {
            composition,
            geometry: Geometry::sample(8, 1389.0),
            stories: Vec::new(),
            credits: None,
            measures: Measures::default(),
            headline: crate::typeset::headline::Fitted {
                size: 84.0,
                first: "题".into(),
                second: String::new(),
                lines: 1,
                depth: 100.0,
            },
            pulls: Vec::new(),
        }
    }

    fn hole(page: usize, y: u32, depth: u32) -> Hole {
        let at = Cell {
            page,
            x: 2,
            y,
            w: 3,
            h: depth,
        };
        Hole {
            at,
            cells: 3 * depth,
            depth,
        }
    }

    #[test]
    fn every_hole_three_lines_deep_is_warned_with_what_would_fill_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.toml");
        let toml = "[masthead]\npaper = \"报\"\ndate = \"2024-03-05\"\n[headline]\ntitle = \"题\"\n\
                    [[sections]]\nheading = \"小\"\ntext = \"正文。\"\n";
        std::fs::write(&path, toml).unwrap();
        let loaded = crate::report::load(&path).unwrap();
        let plan = plan_with(vec![hole(0, 1, 2), hole(1, 4, 3), hole(1, 0, 5)]);
        let found = white_space(&loaded, &plan);
        let each: Vec<&str> = found
            .iter()
            .map(|f| f.message.as_str())
            .filter(|m| m.contains("stranded mid-page"))
            .collect();
        assert_eq!(each.len(), 2, "{each:?}");
        let three = "page 2 has a gap of 3 lines at columns 3–5, lines 5–7";
        assert!(each.iter().any(|m| m.starts_with(three)), "{each:?}");
        for finding in &found {
            let hint = finding.hint_text();
            assert!(
                hint.contains("characters of copy") && hint.contains("photo"),
                "{hint}"
            );
        }
        // The summary says the pages are underset.
        assert!(found.iter().any(|f| f.message.contains("underset")));
        // Shallower holes alone, under 3 % of the pages: nothing to say.
        let quiet = plan_with(vec![hole(0, 1, 1)]);
        assert!(white_space(&loaded, &quiet).is_empty());
        // A gap in the open area is that area, reported once as such.
        let mut open = plan_with(vec![hole(1, 0, 5)]);
        open.composition.quality.open = vec![hole(1, 0, 5).at];
        let found = white_space(&loaded, &open);
        assert!(
            !found.iter().any(|f| f.message.contains("stranded")),
            "{found:?}"
        );
        let area = found
            .iter()
            .find(|f| f.message.contains("open area"))
            .unwrap();
        assert!(
            area.message.contains("3 columns × 5 lines"),
            "{}",
            area.message
        );
        assert!(area.hint_text().contains("characters of copy"));
    }
}
