//! The page grid in the composer's units: columns across, body lines down.
//!
//! Every block sits on whole columns and whole lines of the body pitch, so
//! a story's depth is a line count and a photo's height is snapped to
//! lines. The numbers come from `layouts/theme.typ` (read back by the
//! measuring pass), so the grid Rust plans on is the one Typst draws on.

use serde::{Deserialize, Serialize};

/// The grid of a page's type area.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    /// Basic columns across the type area (8 on a broadsheet).
    pub cols: u32,
    /// Width of one basic column, in points (13 characters of 小五).
    pub col: f64,
    /// Space between two columns, in points (one character).
    pub gutter: f64,
    /// Body line pitch, in points.
    pub pitch: f64,
    /// Space below a line's box within its pitch, in points.
    pub leading: f64,
}

impl Grid {
    /// Width of a block over `k` columns, in points.
    pub fn span(&self, k: u32) -> f64 {
        f64::from(k) * self.col + f64::from(k.saturating_sub(1)) * self.gutter
    }

    /// Left edge of column `c` from the type area's left, in points.
    pub fn x(&self, c: u32) -> f64 {
        f64::from(c) * (self.col + self.gutter)
    }

    /// Visible height of a block `n` lines deep (its last line's leading is
    /// space, not ink), in points.
    pub fn depth(&self, n: u32) -> f64 {
        (f64::from(n) * self.pitch - self.leading).max(0.0)
    }

    /// Whole lines a block of `height` points needs.
    pub fn lines_for(&self, height: f64) -> u32 {
        ((height + self.leading) / self.pitch - 1e-6)
            .ceil()
            .max(0.0) as u32
    }
}

/// Which cells of a measured piece carry ink (a column by a body line, the
/// columns a few points in from their edges, as the pages' pixels are
/// read): a bit per column, an entry per line from the piece's top. A
/// heading whose text stops mid-width, a box whose rows are short, a chart
/// whose bars end early: the rest of their cells is white space a reader
/// sees, which the composer counts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash, serde::Serialize, serde::Deserialize)]
pub struct Ink(pub Vec<u16>);

impl Ink {
    /// Whether column `c` of line `l` carries ink (a line past its depth
    /// does not).
    pub fn at(&self, c: u32, l: u32) -> bool {
        self.0
            .get(l as usize)
            .is_some_and(|row| row & (1 << c) != 0)
    }

    /// Cells of the piece, `w` columns by `h` lines, in a column's run of
    /// `seen` lines or more without ink.
    pub fn blank(&self, w: u32, h: u32, seen: u32) -> u32 {
        let mut cells = 0;
        for c in 0..w.min(16) {
            let mut run = 0;
            for l in 0..=h {
                if l < h && !self.at(c, l) {
                    run += 1;
                } else {
                    if run >= seen {
                        cells += run;
                    }
                    run = 0;
                }
            }
        }
        cells
    }
}

/// Resolution, crop and size rules for placing photos.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PhotoRules {
    /// The resolution photos should reach (ppi); below it costs.
    pub target_ppi: f64,
    /// The resolution below which a photo is not placed that large.
    pub min_ppi: f64,
    /// The largest area one photo may take, in square points (the theme's
    /// share of the type area): within it a photo grows as far as its
    /// pixels allow at the target resolution.
    pub max_area: f64,
}

/// A photo as the composer sees it: its pixels and its limits.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Photo {
    /// Its slot in the template data (the report's photo order).
    pub slot: usize,
    /// Oriented pixel size.
    pub pixels: (u32, u32),
    /// The largest share of its width or height a crop may cut (0.4 keeps
    /// at least 60 % of each).
    pub crop: f64,
    /// Caption lines at each span (index = columns; 0 = no caption).
    pub caption: Vec<u32>,
    /// Which cells of its caption carry ink, at each span (`None`: all).
    pub caption_ink: Vec<Option<Ink>>,
    /// Its designed size (columns, points deep), when not the format's
    /// share at its own proportions (the banner's is its band).
    pub designed: Option<(u32, f64)>,
    /// Whether its scale bounds are relaxed (set when its section has no
    /// shape within them, e.g. four photos of clashing formats).
    pub relaxed: bool,
    /// The least resolution it is placed at, when not the rules' (the
    /// banner's size is the design's: it may fall to the warning level).
    pub min_ppi: Option<f64>,
    /// Whether it is the page's lead picture (the banner, or the first
    /// story's first photo): it grows first, at a lower cost.
    pub lead: bool,
}

/// A photo placed in a slot: its crop, resolution and cost.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PhotoFit {
    /// Share of the width cut away (left and right together).
    pub cut_w: f64,
    /// Share of the height cut away.
    pub cut_h: f64,
    /// Effective resolution of the source in the slot.
    pub ppi: f64,
    /// Placed area over the designed area.
    pub scale: f64,
    /// What the composer pays for it.
    pub cost: f64,
}

/// The smallest a photo is placed, in area against its design.
pub const MIN_SCALE: f64 = 0.2;
/// What a photo pays for each grid cell it grows by: less than a cell of
/// open area, so a photo grows rather than white space stays, but not for
/// nothing, so photos grow only to fill.
const GROWTH: f64 = 2.0;
/// What growing costs a lead picture against any other photo: the banner
/// and the lead photo grow first.
const LEAD_GROWTH: f64 = 0.5;

/// Photo formats, each with the share of the type area's width a designer
/// gives it.
fn designed_share(aspect: f64) -> f64 {
    match aspect {
        a if a >= 2.2 => 0.75,
        a if a >= 1.15 => 0.5,
        _ => 0.375,
    }
}

impl Photo {
    /// Width over height.
    pub fn aspect(&self) -> f64 {
        f64::from(self.pixels.0.max(1)) / f64::from(self.pixels.1.max(1))
    }

    /// Caption lines at `k` columns.
    pub fn caption_lines(&self, k: u32) -> u32 {
        self.caption.get(k as usize).copied().unwrap_or(0)
    }

    /// The designed size (columns, lines of image): the format's share of
    /// the width, at most what the pixels allow at the target resolution.
    pub fn designed(&self, grid: &Grid, rules: &PhotoRules) -> (u32, f64) {
        if let Some(designed) = self.designed {
            return designed;
        }
        let share = designed_share(self.aspect());
        let mut k = ((f64::from(grid.cols) * share).round() as u32).clamp(1, grid.cols);
        let widest = f64::from(self.pixels.0) / rules.target_ppi * 72.0;
        while k > 1 && grid.span(k) > widest {
            k -= 1;
        }
        let height = grid.span(k) / self.aspect();
        (k, height)
    }

    /// The photo in a slot `k` columns wide and `lines` lines deep, or
    /// `None` beyond its crop or resolution limits.
    pub fn fit(&self, grid: &Grid, rules: &PhotoRules, k: u32, lines: u32) -> Option<PhotoFit> {
        let design = self.designed(grid, rules);
        self.fit_size(grid, rules, (grid.span(k), grid.depth(lines)), design)
    }

    /// The photo in a slot `w` × `h` points against a designed size
    /// (columns, points deep).
    pub fn fit_size(
        &self,
        grid: &Grid,
        rules: &PhotoRules,
        (w, h): (f64, f64),
        (dk, dh): (u32, f64),
    ) -> Option<PhotoFit> {
        if w <= 0.0 || h <= 0.0 {
            return None;
        }
        let aspect = self.aspect();
        let slot = w / h;
        let (cut_w, cut_h, ppi) = if slot > aspect {
            (
                0.0,
                1.0 - aspect / slot,
                f64::from(self.pixels.0) / (w / 72.0),
            )
        } else {
            (
                1.0 - slot / aspect,
                0.0,
                f64::from(self.pixels.1) / (h / 72.0),
            )
        };
        if cut_w.max(cut_h) > self.crop + 1e-9 || ppi < self.floor_ppi(grid, rules) {
            return None;
        }
        let design = grid.span(dk) * dh;
        let scale = w * h / design;
        let least = if self.relaxed {
            MIN_SCALE / 4.0
        } else {
            MIN_SCALE
        };
        // Growth is bounded by the pixels (the resolution floor above) and
        // by the theme's share of the page; a relaxed photo's design is
        // out of reach anyway, so it may take what the pixels allow.
        if scale < least || (!self.relaxed && w * h > rules.max_area.max(design)) {
            return None;
        }
        let cells = design / (grid.col * grid.pitch);
        let cut = cut_w.max(cut_h);
        let soft = (1.0 - ppi / rules.target_ppi).max(0.0);
        let scaled = if scale >= 1.0 {
            let lead = if self.lead { LEAD_GROWTH } else { 1.0 };
            GROWTH * lead * (scale - 1.0)
        } else {
            0.3 * scale.ln().powi(2)
        };
        let cost = cells * (scaled + 0.5 * cut * cut) + 20.0 * soft;
        Some(PhotoFit {
            cut_w,
            cut_h,
            ppi,
            scale,
            cost,
        })
    }

    /// The lowest resolution the composer accepts for this photo: the
    /// rules' minimum, or what the photo has at two columns when it is
    /// smaller than that (preflight then warns about it).
    fn floor_ppi(&self, grid: &Grid, rules: &PhotoRules) -> f64 {
        let small = f64::from(self.pixels.0) / (grid.span(2.min(grid.cols)) / 72.0);
        let least = self.min_ppi.unwrap_or(rules.min_ppi);
        least.min(small * (1.0 - self.crop)) - 1e-9
    }

    /// Image lines at `k` columns that keep the photo's own proportions.
    pub fn natural_lines(&self, grid: &Grid, k: u32) -> f64 {
        (grid.span(k) / self.aspect() + grid.leading) / grid.pitch
    }
}

#[cfg(test)]
impl Photo {
    /// A photo for tests: the default crop limit, the same caption lines at
    /// every span.
    pub(crate) fn sample(slot: usize, pixels: (u32, u32), caption: u32) -> Self {
        Self {
            slot,
            pixels,
            crop: 0.4,
            caption: vec![caption; 9],
            caption_ink: Vec::new(),
            designed: None,
            relaxed: false,
            min_ppi: None,
            lead: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn broadsheet() -> (Grid, PhotoRules) {
        let ctx = crate::compose::items::Ctx::sample(8);
        (ctx.grid, ctx.rules)
    }

    fn photo(w: u32, h: u32) -> Photo {
        Photo::sample(0, (w, h), 0)
    }

    #[test]
    fn spans_and_lines() {
        let (g, _) = broadsheet();
        assert_eq!(g.span(8), 999.0);
        assert_eq!(g.span(1), 117.0);
        assert_eq!(g.lines_for(9.0), 1);
        assert_eq!(g.lines_for(23.0), 2);
        assert_eq!(g.lines_for(23.5), 3);
        assert_eq!(g.depth(2), 23.0);
    }

    #[test]
    fn crops_are_bounded_and_measured() {
        let (g, rules) = broadsheet();
        let p = photo(3000, 2000);
        // Four columns (495 pt) at its own proportions: 330 pt deep.
        let natural = p.natural_lines(&g, 4).round() as u32;
        let fit = p.fit(&g, &rules, 4, natural).unwrap();
        assert!(fit.cut_w < 0.03 && fit.cut_h < 0.03, "{fit:?}");
        // Half as deep cuts half the height: beyond the 40 % limit.
        assert!(p.fit(&g, &rules, 4, natural / 2).is_none());
        let fit = p.fit(&g, &rules, 4, natural * 3 / 4).unwrap();
        assert!((fit.cut_h - 0.25).abs() < 0.03, "{fit:?}");
        // Too wide for its pixels at 200 ppi.
        assert!(photo(800, 600).fit(&g, &rules, 8, 40).is_none());
    }
}
