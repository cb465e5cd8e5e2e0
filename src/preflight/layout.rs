//! What the composer's layout tells an editor: copy that does not fit (with
//! the smallest cut that does), holes with what would fill them, sizes moved
//! from their design, jumps; and the layout's measures for `check --json`.

use serde::Serialize;

use super::at;
use crate::compose::items::GAP;
use crate::compose::place::{Cell, Element, Hole};
use crate::compose::solve::Shape;
use crate::report::LoadedReport;
use crate::typeset::{SpreadPlan, Typeset};
use crate::{Diagnostic, Severity};

/// Holes at least this many lines deep are reported.
pub const HOLE_LINES: u32 = 3;
/// The share of the type area that may be empty in small gaps.
pub const HOLE_SHARE: f64 = 0.03;

/// Everything the layout says.
pub fn review(loaded: &LoadedReport, plan: &SpreadPlan) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    out.extend(overset(loaded, plan));
    out.extend(holes(loaded, plan));
    out.extend(notes(loaded, plan));
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
            let id = c.items[item].id.clone();
            let section = c.items[item].index();
            let chars = plan.tail_chars(&loaded.report, section, lines);
            (id, section, lines, chars)
        })
        .collect();
    let boxes: Vec<&str> = c
        .dropped
        .iter()
        .filter(|(item, _)| !c.items[*item].id.starts_with("sections["))
        .map(|(item, _)| c.items[*item].id.as_str())
        .collect();
    if cuts.is_empty() && boxes.is_empty() {
        return None;
    }
    if cuts.is_empty() {
        return Some(
            at(
                loaded,
                Severity::Error,
                Some(boxes[0]),
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
        at(
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

/// Every hole of [`HOLE_LINES`] or more, with what would fill it.
fn holes(loaded: &LoadedReport, plan: &SpreadPlan) -> Vec<Diagnostic> {
    let c = &plan.composition;
    let g = &plan.geometry;
    let chars_per_line = (g.col / (g.pitch - g.leading)).round() as u32;
    let mut out = Vec::new();
    let deep: Vec<&Hole> = c
        .quality
        .holes
        .iter()
        .filter(|h| h.depth >= HOLE_LINES)
        .collect();
    let used: u32 = c.lines.iter().map(|&l| l * g.cols).sum::<u32>()
        - c.quality.holes.iter().map(|h| h.cells).sum::<u32>();
    let one_page = c.lines.len() > 1 && used <= c.lines[0] * g.cols;
    for hole in deep {
        let above = element_above(&c.elements, &hole.at).map(|item| c.items[item].id.as_str());
        let mut hint = format!(
            "about {} characters of copy would fill it, or a photo of {} columns by {} lines ({:.0} mm deep)",
            hole.cells * chars_per_line,
            hole.at.w,
            hole.at.h,
            mm(plan.geometry.grid().depth(hole.at.h))
        );
        if one_page {
            hint.push_str("; the copy would fill one page: try --pages single");
        }
        out.push(
            at(
                loaded,
                Severity::Warning,
                above,
                format!(
                    "page {} has a hole of {} lines at columns {}–{}, lines {}–{} ({} cells)",
                    hole.at.page + 1,
                    hole.depth,
                    hole.at.x + 1,
                    hole.at.x + hole.at.w,
                    hole.at.y + 1,
                    hole.at.y + hole.at.h,
                    hole.cells
                ),
            )
            .with_hint(hint),
        );
    }
    out.extend(underset(loaded, plan, chars_per_line, one_page));
    out
}

/// One summary when the pages are underset: holes of three lines or more,
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
    let deep = q.holes.iter().any(|h| h.depth >= HOLE_LINES);
    if !deep && q.hole_share <= HOLE_SHARE {
        return None;
    }
    let cells: u32 = q.holes.iter().map(|h| h.cells).sum();
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
        at(
            loaded,
            Severity::Warning,
            None,
            format!(
                "the pages are underset: {cells} grid cells ({:.1} % of the type area) are empty",
                q.hole_share * 100.0
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
    if let Some(band) = c.band {
        let [lo, natural, hi] = g.banner;
        let change = band.depth / natural - 1.0;
        if change.abs() >= 0.02 {
            out.push(at(
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
    for photo in photo_reports(plan) {
        let cut = photo.crop_width.max(photo.crop_height);
        if cut >= 0.1 || !(0.6..=1.7).contains(&photo.scale) {
            let side = if photo.crop_width > photo.crop_height {
                "width"
            } else {
                "height"
            };
            out.push(at(
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
    for jump in &c.quality.jumps {
        let id = &c.items[jump.item].id;
        out.push(at(
            loaded,
            Severity::Note,
            Some(id),
            format!(
                "{id} continues from page {} on page {} (with 下转/上接 lines)",
                jump.from + 1,
                jump.to + 1
            ),
        ));
    }
    out
}

/// Points in millimetres.
fn mm(pt: f64) -> f64 {
    pt / 72.0 * 25.4
}

/// The layout's measures, as `check --json` reports them.
#[derive(Debug, Clone, Serialize)]
pub struct LayoutReport {
    /// Pages.
    pub pages: usize,
    /// `band` (banner, lede and figures on top) or `open` (headline on
    /// top).
    pub structure: &'static str,
    /// Body lines of each page.
    pub lines: Vec<u32>,
    /// Columns across.
    pub columns: u32,
    /// Holes (empty grid cells), largest first; pages, columns and lines
    /// counted from 1.
    pub holes: Vec<HoleReport>,
    /// Cells in holes over the cells of the pages' bodies.
    pub hole_share: f64,
    /// The most the legs of one story block end apart, in lines.
    pub leg_imbalance: u32,
    /// Legs shorter than six lines.
    pub short_legs: u32,
    /// Every placed photo.
    pub photos: Vec<PhotoReport>,
    /// Stories continued on another page.
    pub jumps: Vec<JumpReport>,
    /// Whether everything reads in the report's order.
    pub reading_order: bool,
    /// Lines of copy that do not fit.
    pub overset_lines: u32,
}

/// A hole.
#[derive(Debug, Clone, Serialize)]
pub struct HoleReport {
    /// Page, from 1.
    pub page: usize,
    /// First and last column, from 1.
    pub columns: [u32; 2],
    /// First and last line, from 1.
    pub lines: [u32; 2],
    /// Empty cells.
    pub cells: u32,
    /// Its deepest run of lines in one column.
    pub depth: u32,
}

/// A placed photo.
#[derive(Debug, Clone, Serialize)]
pub struct PhotoReport {
    /// The report field.
    pub field: String,
    /// Columns it spans.
    pub columns: u32,
    /// Placed width.
    pub width_mm: f64,
    /// Placed depth.
    pub height_mm: f64,
    /// Placed area over its designed area.
    pub scale: f64,
    /// Share of its width cropped.
    pub crop_width: f64,
    /// Share of its height cropped.
    pub crop_height: f64,
    /// Effective resolution of the source there.
    pub ppi: f64,
}

/// A story continued on another page.
#[derive(Debug, Clone, Serialize)]
pub struct JumpReport {
    /// The report field.
    pub field: String,
    /// Page it starts on, from 1.
    pub from: usize,
    /// Page it continues on, from 1.
    pub to: usize,
}

/// The measures of a spread's layout; `None` for other documents.
pub fn layout_report(typeset: &Typeset) -> Option<LayoutReport> {
    let plan = typeset.composition.as_ref()?;
    let c = &plan.composition;
    let q = &c.quality;
    Some(LayoutReport {
        pages: c.lines.len(),
        structure: if c.band.is_some() { "band" } else { "open" },
        lines: c.lines.clone(),
        columns: plan.geometry.cols,
        holes: q
            .holes
            .iter()
            .map(|h| HoleReport {
                page: h.at.page + 1,
                columns: [h.at.x + 1, h.at.x + h.at.w],
                lines: [h.at.y + 1, h.at.y + h.at.h],
                cells: h.cells,
                depth: h.depth,
            })
            .collect(),
        hole_share: q.hole_share,
        leg_imbalance: q.leg_imbalance,
        short_legs: q.short_legs,
        photos: photo_reports(plan),
        jumps: q
            .jumps
            .iter()
            .map(|j| JumpReport {
                field: c.items[j.item].id.clone(),
                from: j.from + 1,
                to: j.to + 1,
            })
            .collect(),
        reading_order: q.reading_order,
        overset_lines: c.overset.iter().map(|o| o.1).sum(),
    })
}

/// Every photo the composer placed, the banner's band included.
fn photo_reports(plan: &SpreadPlan) -> Vec<PhotoReport> {
    let c = &plan.composition;
    let g = plan.geometry.grid();
    let mut out = Vec::new();
    if let Some(band) = c.band {
        out.push(PhotoReport {
            field: "banner.photo".into(),
            columns: g.cols,
            width_mm: mm(g.span(g.cols)),
            height_mm: mm(band.depth),
            scale: band.fit.scale,
            crop_width: band.fit.cut_w,
            crop_height: band.fit.cut_h,
            ppi: band.fit.ppi,
        });
    }
    for block in c
        .solution
        .pages
        .iter()
        .flatten()
        .flat_map(|s| &s.modules)
        .flat_map(|m| m.blocks.iter().map(move |b| (m.w, b)))
    {
        let (w, block) = block;
        match &block.shape {
            Shape::Picture(fit) => out.push(PhotoReport {
                field: "banner.photo".into(),
                columns: w,
                width_mm: mm(g.span(w)),
                height_mm: mm(g.depth(block.h)),
                scale: fit.scale,
                crop_width: fit.cut_w,
                crop_height: fit.cut_h,
                ppi: fit.ppi,
            }),
            Shape::Section(shape) => {
                let id = &c.items[block.item].id;
                for group in &shape.groups {
                    for p in &group.photos {
                        out.push(PhotoReport {
                            field: format!("{id}.photos[{}].path", p.index),
                            columns: group.width,
                            width_mm: mm(g.span(group.width)),
                            height_mm: mm(g.depth(p.image)),
                            scale: p.fit.scale,
                            crop_width: p.fit.cut_w,
                            crop_height: p.fit.cut_h,
                            ppi: p.fit.ppi,
                        });
                    }
                }
            }
            Shape::Block { .. } => {}
        }
    }
    out
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
            geometry: Geometry {
                cols: 8,
                col: 117.0,
                gutter: 9.0,
                pitch: 14.0,
                leading: 5.0,
                page_width: 1105.5,
                page_height: 1545.0,
                type_height: 1389.0,
                margin_x: 53.0,
                margin_y: 78.0,
                head: 30.0,
                band_gap: 16.0,
                headline_gap: 18.0,
                banner: [326.0, 397.0, 482.0],
            },
            stories: Vec::new(),
            credits: None,
            measures: Measures::default(),
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
        let found = holes(&loaded, &plan);
        let each: Vec<&str> = found
            .iter()
            .map(|f| f.message.as_str())
            .filter(|m| m.contains("hole of"))
            .collect();
        assert_eq!(each.len(), 2, "{each:?}");
        let three = "page 2 has a hole of 3 lines at columns 3–5, lines 5–7";
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
        assert!(holes(&loaded, &quiet).is_empty());
    }
}
