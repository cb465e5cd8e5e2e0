//! A section's shapes: its heading over legs of text with its photos (and
//! a pull quote) in groups at the top of its body, searched at every width
//! and depth.
//!
//! [`Prepared`] holds what every shape needs, computed once per section:
//! each photo's fit at every width and depth, its natural depth at every
//! width, and the ways to group the photos at every width.

use super::grid::PhotoFit;
use super::items::{
    Ctx, DEEP, GAP, Group, HEAD_VARIANTS, MIN_PIECE, MIN_UNDER, PULL_PHOTOS, Piece, PlacedPhoto,
    SHORT_LEG, Section, SectionShape, cost,
};

/// The cost of `n` lines set in legs of the given capacities: the space
/// left spreads one line a leg from the last leg back (balanced legs).
pub fn text_cost(legs: &[u32], n: u32) -> (f64, u32) {
    let capacity: u32 = legs.iter().sum();
    if capacity < n {
        return (cost::OVERSET * f64::from(n - capacity), n - capacity);
    }
    let live = legs.iter().filter(|&&l| l > 0).count() as u32;
    let spare = capacity - n;
    let mut total = cost::HOLE * f64::from(spare);
    if live > 0 && spare.div_ceil(live) >= DEEP {
        total += cost::STRANDED * f64::from(spare);
    }
    for &leg in legs.iter().filter(|&&l| l > 0) {
        total += cost::SHORT_LEG * f64::from(SHORT_LEG.saturating_sub(leg));
    }
    (total, 0)
}

/// The ways to cut `n` photos, in order, into consecutive groups.
fn groupings(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for first in 1..=n {
        for mut rest in groupings(n - first) {
            rest.insert(0, first);
            out.push(rest);
        }
    }
    out
}

/// The ways to give `groups` groups widths of at least `min` columns in
/// total at most `most`.
fn widths(groups: usize, min: u32, most: u32) -> Vec<Vec<u32>> {
    if groups == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    let rest_min = min * (groups as u32 - 1);
    for w in min..=most.saturating_sub(rest_min) {
        for mut rest in widths(groups - 1, min, most - w) {
            rest.insert(0, w);
            out.push(rest);
        }
    }
    out
}

/// A pull quote's fit in a slot `w` columns by `lines` deep: only at its
/// own depth, at [`cost::PULL`] and the cells it fills at [`cost::OPEN`].
fn pull_fit(natural: Option<u32>, w: u32, lines: u32) -> Option<PhotoFit> {
    (lines > 0 && natural == Some(lines)).then_some(PhotoFit {
        cut_w: 0.0,
        cut_h: 0.0,
        ppi: 0.0,
        scale: 1.0,
        cost: cost::PULL + cost::OPEN * f64::from(w * lines),
    })
}

impl Section {
    /// Lines of text a piece sets (its jump lines included), `None` for a
    /// head piece (it sets what its legs hold).
    fn to_set(&self, piece: Piece) -> Option<u32> {
        match piece {
            Piece::Whole => Some(self.lines),
            Piece::Head => None,
            Piece::Tail { from } => Some(self.lines.saturating_sub(from) + 1),
        }
    }

    /// The section made ready to search shapes up to `lines` deep.
    pub fn prepare(&self, ctx: &Ctx, lines: u32) -> Prepared<'_> {
        let cols = ctx.grid.cols;
        let n = self.photos.len();
        let pull = self.pull.as_ref().filter(|_| n <= PULL_PHOTOS);
        let mut fits: Vec<Vec<Vec<Option<PhotoFit>>>> = self
            .photos
            .iter()
            .map(|p| {
                (0..=cols)
                    .map(|w| {
                        (0..=lines)
                            .map(|l| p.fit(&ctx.grid, &ctx.rules, w, l).filter(|_| w > 0))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let mut naturals: Vec<Vec<f64>> = self
            .photos
            .iter()
            .map(|p| (0..=cols).map(|w| p.natural_lines(&ctx.grid, w)).collect())
            .collect();
        if let Some(pull) = pull {
            let at = |w: u32| pull.lines.get(w as usize).copied().flatten();
            fits.push(
                (0..=cols)
                    .map(|w| (0..=lines).map(|l| pull_fit(at(w), w, l)).collect())
                    .collect(),
            );
            naturals.push((0..=cols).map(|w| at(w).map_or(0.0, f64::from)).collect());
        }
        let min = ctx.min_photo_cols();
        let counts = [n, n + 1];
        let figures = &counts[..if pull.is_some() { 2 } else { 1 }];
        let arrangements = (0..=cols)
            .map(|k| {
                let mut out = Vec::new();
                for &m in figures.iter().filter(|&&m| m > 0) {
                    for grouping in groupings(m) {
                        for ws in widths(grouping.len(), min, k) {
                            out.push((grouping.clone(), ws));
                        }
                    }
                }
                out
            })
            .collect();
        Prepared {
            section: self,
            ctx: *ctx,
            fits,
            naturals,
            arrangements,
        }
    }

    /// The best shape of a piece `k` columns wide and `h` lines deep.
    pub fn shape(&self, ctx: &Ctx, piece: Piece, k: u32, h: u32) -> Option<SectionShape> {
        self.prepare(ctx, h).shape(piece, k, h)
    }

    /// The shapes of a head piece holding different amounts of copy (see
    /// [`Prepared::head_shapes`]).
    pub fn head_shapes(&self, ctx: &Ctx, k: u32, h: u32) -> Vec<SectionShape> {
        self.prepare(ctx, h).head_shapes(k, h)
    }
}

/// A section with what every shape needs computed once: each photo's fit
/// at every width and depth, its natural depth at every width, and the
/// ways to group its photos at every width.
pub struct Prepared<'a> {
    section: &'a Section,
    ctx: Ctx,
    /// `[photo][width][lines]`.
    fits: Vec<Vec<Vec<Option<PhotoFit>>>>,
    /// `[photo][width]`, in lines.
    naturals: Vec<Vec<f64>>,
    /// `[width]`: (photos per group, group widths).
    arrangements: Vec<Vec<(Vec<usize>, Vec<u32>)>>,
}

impl Prepared<'_> {
    /// A photo's fit at `w` columns and `lines` deep.
    fn fit(&self, photo: usize, w: u32, lines: u32) -> Option<PhotoFit> {
        match self.fits[photo]
            .get(w as usize)
            .and_then(|f| f.get(lines as usize))
        {
            Some(fit) => *fit,
            None => match self.section.photos.get(photo) {
                Some(p) => p.fit(&self.ctx.grid, &self.ctx.rules, w, lines),
                None => None,
            },
        }
    }

    /// Whether figure `i` is the pull quote (it follows the photos).
    fn is_pull(&self, i: usize) -> bool {
        i >= self.section.photos.len()
    }

    /// Caption lines of figure `i` at `w` columns.
    fn caption_lines(&self, i: usize, w: u32) -> u32 {
        self.section.photos.get(i).map_or(0, |p| p.caption_lines(w))
    }

    /// The best shape of a piece `k` columns wide and `h` lines deep.
    pub fn shape(&self, piece: Piece, k: u32, h: u32) -> Option<SectionShape> {
        let mut best: Option<SectionShape> = None;
        self.shapes(piece, k, h, &mut |shape| {
            if best.as_ref().is_none_or(|b| shape.cost < b.cost) {
                best = Some(shape);
            }
        });
        best
    }

    /// Every shape tried for a piece `k` columns wide and `h` deep.
    fn shapes(&self, piece: Piece, k: u32, h: u32, consider: &mut dyn FnMut(SectionShape)) {
        let heading = match piece {
            Piece::Tail { .. } => 0,
            _ => match self.section.heading.get(k as usize) {
                Some(&heading) => heading,
                None => return,
            },
        };
        let Some(body) = h.checked_sub(heading).filter(|&b| b > 0) else {
            return;
        };
        let frame = Frame {
            piece,
            k,
            heading,
            body,
        };
        if matches!(piece, Piece::Tail { .. }) || self.section.photos.is_empty() {
            if let Some(shape) = self.finish(&frame, Vec::new()) {
                consider(shape);
            }
            if matches!(piece, Piece::Tail { .. }) {
                return;
            }
        }
        for (grouping, ws) in &self.arrangements[k as usize] {
            self.shapes_with(&frame, grouping, ws, consider);
        }
    }

    /// The shapes with photos cut into `grouping` of widths `ws`: groups as
    /// deep as the body beside the text; text under groups of one depth
    /// (their feet aligned); or under groups as deep as their photos' own
    /// proportions make them, scaled together.
    fn shapes_with(
        &self,
        frame: &Frame,
        grouping: &[usize],
        ws: &[u32],
        consider: &mut dyn FnMut(SectionShape),
    ) {
        let body = frame.body;
        let wide: u32 = ws.iter().sum();
        let text_cols = frame.k - wide;
        let mut try_depths = |depths: &[u32]| {
            if let Some(groups) = self.fill_groups(grouping, ws, depths, body)
                && let Some(shape) = self.finish(frame, groups)
            {
                consider(shape);
            }
        };
        if text_cols > 0 {
            try_depths(&vec![body; ws.len()]);
        }
        let beside = text_cols * body;
        let naturals = self.natural_depths(grouping, ws);
        if grouping.iter().sum::<usize>() > self.section.photos.len() {
            // With the pull quote: every group at its own proportions (a
            // pull quote is exactly as deep as it is set).
            try_depths(
                &naturals
                    .iter()
                    .map(|d| d.round() as u32)
                    .collect::<Vec<_>>(),
            );
        }
        match self.section.to_set(frame.piece) {
            Some(n) if n > beside => {
                // One depth for all: as little text under as fits the copy.
                let under = (n - beside).div_ceil(wide).max(MIN_UNDER);
                if let Some(depth) = body.checked_sub(under + GAP) {
                    try_depths(&vec![depth; ws.len()]);
                }
                // Their own proportions, scaled to leave the copy its room.
                let room = f64::from(wide * (body - GAP)) - f64::from(n - beside);
                let total: f64 = naturals
                    .iter()
                    .zip(ws)
                    .map(|(d, &w)| d * f64::from(w))
                    .sum();
                if room > 0.0 && total > 0.0 {
                    let depths: Vec<u32> = naturals
                        .iter()
                        .map(|d| (d * room / total).floor().max(1.0) as u32)
                        .collect();
                    try_depths(&depths);
                }
            }
            Some(_) => {}
            None => {
                // A head piece: the photos near their own proportions.
                for depths in [
                    naturals
                        .iter()
                        .map(|d| d.round() as u32)
                        .collect::<Vec<_>>(),
                    vec![naturals.iter().copied().fold(0.0, f64::max).round() as u32; ws.len()],
                ] {
                    try_depths(&depths);
                }
            }
        }
    }

    /// The shapes of a head piece `k` columns wide and `h` deep that hold
    /// different amounts of copy: the best shape's photos made deeper or
    /// shallower (at most [`HEAD_VARIANTS`] of them), so the search can
    /// choose how much of the story continues on the next page.
    pub fn head_shapes(&self, k: u32, h: u32) -> Vec<SectionShape> {
        let Some(best) = self.shape(Piece::Head, k, h) else {
            return Vec::new();
        };
        if best.groups.iter().all(|g| g.under == 0) {
            return vec![best];
        }
        let grouping: Vec<usize> = best.groups.iter().map(|g| g.photos.len()).collect();
        let ws: Vec<u32> = best.groups.iter().map(|g| g.width).collect();
        let frame = Frame {
            piece: Piece::Head,
            k,
            heading: best.heading,
            body: best.body,
        };
        let deepest = best.body.saturating_sub(GAP + 2);
        let range = deepest.saturating_sub(MIN_UNDER) + 1;
        let step = range.div_ceil(HEAD_VARIANTS).max(1);
        let mut out = vec![best.clone()];
        for under in (MIN_UNDER..=deepest).step_by(step as usize) {
            let depths = vec![best.body - under - GAP; ws.len()];
            let shape = self
                .fill_groups(&grouping, &ws, &depths, best.body)
                .and_then(|groups| self.finish(&frame, groups));
            if let Some(shape) = shape.filter(|s| s.set != best.set) {
                out.push(shape);
            }
        }
        out
    }

    /// Each group's depth at its photos' own proportions, in lines.
    fn natural_depths(&self, grouping: &[usize], ws: &[u32]) -> Vec<f64> {
        let mut start = 0;
        grouping
            .iter()
            .zip(ws)
            .map(|(&n, &w)| {
                let first = start;
                start += n;
                (first..first + n)
                    .map(|i| self.naturals[i][w as usize] + f64::from(self.caption_lines(i, w)))
                    .sum::<f64>()
                    + f64::from(GAP) * (n as f64 - 1.0)
            })
            .collect()
    }

    /// Sizes each group's photos to fill its depth (sharing a stack's image
    /// lines in proportion to the photos' own depths); a group as deep as
    /// the body has no text under it, any other at least [`MIN_UNDER`]
    /// lines.
    fn fill_groups(
        &self,
        grouping: &[usize],
        ws: &[u32],
        depths: &[u32],
        body: u32,
    ) -> Option<Vec<Group>> {
        let mut start = 0;
        let mut groups = Vec::with_capacity(grouping.len());
        for ((&n, &w), &depth) in grouping.iter().zip(ws).zip(depths) {
            let under = if depth >= body {
                0
            } else {
                body.checked_sub(depth + GAP).filter(|&u| u >= MIN_UNDER)?
            };
            let depth = depth.min(body);
            let figures = start..start + n;
            let captions: u32 = figures.clone().map(|i| self.caption_lines(i, w)).sum();
            // A pull quote takes its own depth; the photos share the rest.
            let fixed: u32 = figures
                .clone()
                .filter(|&i| self.is_pull(i))
                .map(|i| self.naturals[i][w as usize] as u32)
                .sum();
            let room = depth.checked_sub(captions + fixed + GAP * (n as u32 - 1))?;
            let elastic: Vec<usize> = figures.clone().filter(|&i| !self.is_pull(i)).collect();
            let total: f64 = elastic.iter().map(|&i| self.naturals[i][w as usize]).sum();
            let mut placed = Vec::with_capacity(n);
            let mut used = 0;
            for i in figures {
                let image = if self.is_pull(i) {
                    self.naturals[i][w as usize] as u32
                } else if elastic.last() == Some(&i) {
                    room.checked_sub(used)?
                } else {
                    let natural = self.naturals[i][w as usize];
                    let share = (f64::from(room) * natural / total).round() as u32;
                    used += share;
                    share
                };
                if elastic.is_empty() && room > 0 {
                    return None;
                }
                let fit = self.fit(i, w, image)?;
                placed.push(PlacedPhoto {
                    index: i,
                    pull: self.is_pull(i),
                    image,
                    caption: self.caption_lines(i, w),
                    fit,
                });
            }
            start += n;
            groups.push(Group {
                width: w,
                photos: placed,
                under,
            });
        }
        Some(groups)
    }

    /// Completes a shape: what its legs hold, what it sets, what it costs.
    fn finish(&self, frame: &Frame, groups: Vec<Group>) -> Option<SectionShape> {
        let wide: u32 = groups.iter().map(|g| g.width).sum();
        let text_cols = frame.k - wide;
        let mut legs: Vec<u32> = Vec::with_capacity(frame.k as usize);
        for g in &groups {
            legs.extend(std::iter::repeat_n(g.under, g.width as usize));
        }
        legs.extend(std::iter::repeat_n(frame.body, text_cols as usize));
        let capacity: u32 = legs.iter().sum();
        let set = match self.section.to_set(frame.piece) {
            Some(n) => n,
            None => {
                // A head piece fills its legs and leaves a real tail.
                let copy = capacity.checked_sub(1)?;
                if copy < MIN_PIECE || copy + MIN_PIECE > self.section.lines {
                    return None;
                }
                capacity
            }
        };
        let (text, overset) = text_cost(&legs, set);
        let photos: f64 = groups
            .iter()
            .flat_map(|g| &g.photos)
            .map(|p| p.fit.cost)
            .sum();
        Some(SectionShape {
            heading: frame.heading,
            body: frame.body,
            side: self.section.side,
            groups,
            text_cols,
            set,
            capacity,
            overset,
            cost: text + photos,
        })
    }
}

/// Where a section's shape is being fitted.
struct Frame {
    piece: Piece,
    k: u32,
    heading: u32,
    body: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::grid::Photo;
    use crate::compose::items::Side;

    fn ctx() -> Ctx {
        Ctx::sample(8)
    }

    fn section(lines: u32, photos: &[(u32, u32)]) -> Section {
        Section {
            heading: vec![3; 9],
            lines,
            photos: photos
                .iter()
                .enumerate()
                .map(|(slot, &pixels)| Photo::sample(slot, pixels, 2))
                .collect(),
            side: Side::Right,
            pull: None,
            heading_ink: Vec::new(),
        }
    }

    #[test]
    fn enumerations() {
        assert_eq!(groupings(3).len(), 4);
        assert_eq!(widths(2, 2, 5), vec![vec![2, 2], vec![2, 3], vec![3, 2]]);
    }

    #[test]
    fn text_only_sections_fill_balanced_legs() {
        let s = section(100, &[]);
        let shape = s.shape(&ctx(), Piece::Whole, 4, 3 + 25).unwrap();
        assert_eq!((shape.capacity, shape.overset), (100, 0));
        let shape = s.shape(&ctx(), Piece::Whole, 4, 3 + 24).unwrap();
        assert_eq!(shape.overset, 4);
    }

    #[test]
    fn a_photo_makes_a_section_elastic() {
        let s = section(120, &[(3000, 2000)]);
        let c = ctx();
        let depths: Vec<u32> = (20..60)
            .filter(|&h| {
                s.shape(&c, Piece::Whole, 6, h)
                    .is_some_and(|shape| shape.overset == 0 && shape.capacity - shape.set < 4)
            })
            .collect();
        assert!(depths.len() > 10, "{depths:?}");
    }

    #[test]
    fn a_head_piece_fills_its_legs_and_leaves_a_tail() {
        let s = section(400, &[(3000, 2000)]);
        let shape = s.shape(&ctx(), Piece::Head, 8, 40).unwrap();
        assert_eq!(shape.set, shape.capacity);
        assert!(shape.set < 400);
        let tail = s
            .shape(
                &ctx(),
                Piece::Tail {
                    from: shape.set - 1,
                },
                8,
                40,
            )
            .unwrap();
        assert_eq!(tail.heading, 0);
        assert!(tail.groups.is_empty());
    }
}
