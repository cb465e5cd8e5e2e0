//! The layout's measures as `check --json` reports them: structure, lines,
//! white space (gaps, the blank a reader sees, the open area), photos,
//! pull quotes, reserved areas, jumps, and the grid to find them on the
//! page.

use serde::Serialize;

use super::layout::{mm, pulls, size_mm};
use crate::compose::place::{Cell, Hole};
use crate::compose::solve::Shape;
use crate::report::Report;
use crate::spread::SpreadPlan;

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
    /// Holes (empty grid cells, the designed gaps between blocks aside, a
    /// box's air included), largest first; pages, columns and lines
    /// counted from 1.
    pub holes: Vec<HoleReport>,
    /// Cells in holes over the cells of the pages' bodies.
    pub hole_share: f64,
    /// White space a reader sees: every area of cells in a column's run of
    /// three lines or more with nothing printed (gaps, feathering, a box's
    /// air included; the band beside the banner too), largest first.
    pub blank: Vec<BlankReport>,
    /// Cells in `blank` over the cells of the pages' bodies (and the
    /// band's side).
    pub blank_share: f64,
    /// The open areas: where the white space that remains is gathered, at
    /// a page's foot, for an ad or a filler.
    pub open: Vec<OpenReport>,
    /// Every reserved area, where it was placed.
    pub reserved: Vec<ReservedReport>,
    /// Every pull quote set.
    pub pulls: Vec<PullReport>,
    /// The grid, in points, to find cells on the page.
    pub grid: GridReport,
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

/// Where the grid stands on the page, in points.
#[derive(Debug, Clone, Serialize)]
pub struct GridReport {
    /// The trimmed page's width and height.
    pub page: [f64; 2],
    /// The type area's left and top margins.
    pub margin: [f64; 2],
    /// A column's width and the gutter between two.
    pub col: f64,
    /// The gutter.
    pub gutter: f64,
    /// The body line pitch.
    pub pitch: f64,
    /// The body's first line, from the type area's top.
    pub body_top: f64,
    /// The band beside the banner, when it holds a composed side: its page
    /// (from 1), its first line's top from the type area's top, and its
    /// lines.
    pub side: Option<SideReport>,
}

/// The band's side on its page.
#[derive(Debug, Clone, Serialize)]
pub struct SideReport {
    /// Its page, from 1.
    pub page: usize,
    /// Its first line's top, from the type area's top.
    pub top: f64,
    /// Its lines.
    pub lines: u32,
}

/// An area of white space a reader sees.
#[derive(Debug, Clone, Serialize)]
pub struct BlankReport {
    /// Page, from 1.
    pub page: usize,
    /// First and last column, from 1.
    pub columns: [u32; 2],
    /// First and last line, from 1 (of the band's side when `band`).
    pub lines: [u32; 2],
    /// Empty cells.
    pub cells: u32,
    /// Its deepest run of lines in one column.
    pub depth: u32,
    /// Its bounding box's width and depth in millimetres.
    pub mm: [f64; 2],
    /// Its cells over the cells of the pages' bodies.
    pub share: f64,
    /// `open` (the open area), `band` (beside the banner), or `gap`.
    pub kind: &'static str,
}

/// An open area and what would fill it.
#[derive(Debug, Clone, Serialize)]
pub struct OpenReport {
    /// Page, from 1.
    pub page: usize,
    /// First and last column, from 1.
    pub columns: [u32; 2],
    /// First and last line, from 1.
    pub lines: [u32; 2],
    /// Its width and depth in millimetres.
    pub mm: [f64; 2],
    /// Its cells over the cells of the pages' bodies.
    pub share: f64,
    /// About how many characters of copy would fill it.
    pub fill_chars: u32,
}

/// A reserved area, where it was placed.
#[derive(Debug, Clone, Serialize)]
pub struct ReservedReport {
    /// The report field.
    pub field: String,
    /// Its label.
    pub label: String,
    /// Page, from 1.
    pub page: usize,
    /// First and last column, from 1.
    pub columns: [u32; 2],
    /// First and last line, from 1.
    pub lines: [u32; 2],
    /// Its width and depth in millimetres.
    pub mm: [f64; 2],
}

/// A pull quote set.
#[derive(Debug, Clone, Serialize)]
pub struct PullReport {
    /// The section it repeats.
    pub field: String,
    /// The sentence.
    pub text: String,
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

/// The measures of a spread's layout.
pub fn layout_report(report: &Report, plan: &SpreadPlan) -> LayoutReport {
    let c = &plan.composition;
    let q = &c.quality;
    let g = &plan.geometry;
    let side = c.band.as_ref().and_then(|b| b.side.as_ref());
    let body_cells: u32 = c.lines.iter().map(|&l| l * g.cols).sum();
    let side_cells = side.map_or(0, |s| s.lines * g.cols);
    let total = f64::from((body_cells + side_cells).max(1));
    let side_page = c.lines.len().min(2);
    let blank_of = |hole: &Hole, page: usize, kind: &'static str| {
        let (w, h) = size_mm(plan, &hole.at);
        BlankReport {
            page,
            columns: [hole.at.x + 1, hole.at.x + hole.at.w],
            lines: [hole.at.y + 1, hole.at.y + hole.at.h],
            cells: hole.cells,
            depth: hole.depth,
            mm: [w, h],
            share: f64::from(hole.cells) / total,
            kind,
        }
    };
    let mut blank: Vec<BlankReport> = q
        .blank
        .iter()
        .map(|hole| {
            let open = q.open.iter().any(|o| super::layout::overlaps(o, &hole.at));
            blank_of(hole, hole.at.page + 1, if open { "open" } else { "gap" })
        })
        .collect();
    if let Some(side) = side {
        blank.extend(
            side.quality
                .blank
                .iter()
                .map(|h| blank_of(h, side_page, "band")),
        );
    }
    blank.sort_by_key(|b| std::cmp::Reverse(b.cells));
    let chars = (g.col / (g.pitch - g.leading)).round() as u32;
    LayoutReport {
        pages: c.lines.len(),
        structure: if c.band.is_some() { "band" } else { "open" },
        lines: c.lines.clone(),
        columns: g.cols,
        holes: q.holes.iter().map(hole_report).collect(),
        hole_share: q.hole_share,
        blank_share: blank.iter().map(|b| f64::from(b.cells)).sum::<f64>() / total,
        blank,
        open: q
            .open
            .iter()
            .map(|o| {
                let (w, h) = size_mm(plan, o);
                OpenReport {
                    page: o.page + 1,
                    columns: [o.x + 1, o.x + o.w],
                    lines: [o.y + 1, o.y + o.h],
                    mm: [w, h],
                    share: f64::from(o.w * o.h) / total,
                    fill_chars: o.w * o.h * chars,
                }
            })
            .collect(),
        reserved: q
            .reserved
            .iter()
            .map(|(r, cell)| reserved_report(plan, report, r.id, cell))
            .collect(),
        pulls: pulls(plan)
            .into_iter()
            .map(|(item, text)| PullReport {
                field: c.items[item].id.field(),
                text: text.to_string(),
            })
            .collect(),
        grid: GridReport {
            page: [g.page_width, g.page_height],
            margin: [g.margin_x, g.margin_y],
            col: g.col,
            gutter: g.gutter,
            pitch: g.pitch,
            body_top: c.body_top,
            side: side.map(|s| SideReport {
                page: side_page,
                top: g.head,
                lines: s.lines,
            }),
        },
        leg_imbalance: q.leg_imbalance,
        short_legs: q.short_legs,
        photos: photo_reports(plan),
        jumps: q
            .jumps
            .iter()
            .map(|j| JumpReport {
                field: c.items[j.item].id.field(),
                from: j.from + 1,
                to: j.to + 1,
            })
            .collect(),
        reading_order: q.reading_order,
        overset_lines: c.overset.iter().map(|o| o.1).sum(),
    }
}

fn hole_report(h: &Hole) -> HoleReport {
    HoleReport {
        page: h.at.page + 1,
        columns: [h.at.x + 1, h.at.x + h.at.w],
        lines: [h.at.y + 1, h.at.y + h.at.h],
        cells: h.cells,
        depth: h.depth,
    }
}

fn reserved_report(plan: &SpreadPlan, report: &Report, id: usize, cell: &Cell) -> ReservedReport {
    let (w, h) = size_mm(plan, cell);
    ReservedReport {
        field: format!("reserved[{id}]"),
        label: report
            .reserved
            .get(id)
            .map_or(String::new(), |r| r.label.clone()),
        page: cell.page + 1,
        columns: [cell.x + 1, cell.x + cell.w],
        lines: [cell.y + 1, cell.y + cell.h],
        mm: [w, h],
    }
}

/// Every photo the composer placed, the banner's band included.
pub(super) fn photo_reports(plan: &SpreadPlan) -> Vec<PhotoReport> {
    let c = &plan.composition;
    let g = plan.geometry.grid();
    let mut out = Vec::new();
    if let Some(band) = &c.band {
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
                let id = c.items[block.item].id.field();
                for group in &shape.groups {
                    for p in group.photos.iter().filter(|p| !p.pull) {
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
