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

/// A section's legs of text, summed: what they hold, how many hold any
/// line, and the lines by which they fall short of [`SHORT_LEG`] together.
#[derive(Debug, Clone, Copy, Default)]
struct Legs {
    capacity: u32,
    live: u32,
    short: u32,
}

impl Legs {
    /// Adds `count` legs of `lines` each.
    fn add(&mut self, lines: u32, count: u32) {
        self.capacity += lines * count;
        if lines > 0 {
            self.live += count;
            self.short += count * SHORT_LEG.saturating_sub(lines);
        }
    }
}

/// The cost of `n` lines set in `legs`: the space left spreads one line a
/// leg from the last leg back (balanced legs). (Every term is a whole
/// number of cost units, so summing the short legs' costs leg by leg or at
/// once comes to the same.)
fn text_cost(legs: &Legs, n: u32) -> (f64, u32) {
    let capacity = legs.capacity;
    if capacity < n {
        return (cost::OVERSET * f64::from(n - capacity), n - capacity);
    }
    let spare = capacity - n;
    let mut total = cost::HOLE * f64::from(spare);
    if legs.live > 0 && spare.div_ceil(legs.live) >= DEEP {
        total += cost::STRANDED * f64::from(spare);
    }
    total += cost::SHORT_LEG * f64::from(legs.short);
    (total, 0)
}

/// The most figures a group stacks: a deeper stack of photos is a photo
/// page, not a story's. With at most a group a column, it bounds the ways
/// to group a section's photos (fewer than 10,000 on a broadsheet, for
/// any number of photos) where there would be 2^(n−1): a story of 20
/// photos took 7 s and 250 MB, one of 30 would not have ended. (A report
/// gives a section at most 8 photos; this holds whatever the caller.)
pub const STACK: usize = 4;

/// The ways to cut `n` photos, in order, into at most `groups`
/// consecutive groups of at most [`STACK`] each.
fn groupings(n: usize, groups: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    if groups == 0 || n > groups * STACK {
        return out;
    }
    for first in 1..=n.min(STACK) {
        for mut rest in groupings(n - first, groups - 1) {
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
        let mut prepared = Prepared {
            section: self,
            ctx: *ctx,
            fits,
            naturals,
            arrangements: Vec::new(),
        };
        prepared.arrangements = (0..=cols)
            .map(|k| prepared.arrangements(figures, min, k))
            .collect();
        prepared
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
    /// `[width]`: the ways to group the figures there.
    arrangements: Vec<Vec<Arrangement>>,
}

/// One way to set a section's figures (its photos, and maybe its pull
/// quote) in groups side by side.
struct Arrangement {
    /// Figures per group.
    grouping: Vec<usize>,
    /// Each group's columns.
    ws: Vec<u32>,
    /// Each group's depth at its figures' own proportions, in lines.
    naturals: Vec<f64>,
}

/// What a candidate shape comes to, before it is built: kept only when it
/// is the best so far, so the search allocates little.
#[derive(Debug, Clone, Copy)]
struct Verdict {
    /// Columns of text beside the groups.
    text_cols: u32,
    /// Lines of text set (jump lines included).
    set: u32,
    /// Lines the legs hold.
    capacity: u32,
    /// Lines of copy that did not fit.
    overset: u32,
    /// What it costs.
    cost: f64,
}

impl Verdict {
    /// The verdict on a candidate whose text is judged `self`, with the
    /// cost of the photos in its groups added.
    fn with_photos(self, groups: &[Group]) -> Self {
        let photos: f64 = groups
            .iter()
            .flat_map(|g| &g.photos)
            .map(|p| p.fit.cost)
            .sum();
        Self {
            cost: self.cost + photos,
            ..self
        }
    }
}

/// Lines of text under a group `depth` lines deep in a body `body` deep:
/// none when it is as deep as the body, else at least [`MIN_UNDER`]
/// (`None` when fewer).
fn under(depth: u32, body: u32) -> Option<u32> {
    if depth >= body {
        Some(0)
    } else {
        body.checked_sub(depth + GAP).filter(|&u| u >= MIN_UNDER)
    }
}

/// Where a section's shape is being fitted.
struct Frame {
    piece: Piece,
    k: u32,
    heading: u32,
    body: u32,
}

/// What the search is shown of each candidate: its frame, its groups (in
/// a buffer reused from candidate to candidate) and its verdict. It
/// answers what a later candidate must cost less than to be worth showing
/// (infinite: any).
type Consider<'c> = dyn FnMut(&Frame, &[Group], Verdict) -> f64 + 'c;

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

    /// The ways to group `counts` figures (the photos, and with the pull
    /// quote) at `k` columns, groups at least `min` wide.
    fn arrangements(&self, counts: &[usize], min: u32, k: u32) -> Vec<Arrangement> {
        let mut out = Vec::new();
        // A group is at least `min` columns wide: no more groups than fit.
        let groups = (k / min.max(1)) as usize;
        for &m in counts.iter().filter(|&&m| m > 0) {
            for grouping in groupings(m, groups) {
                for ws in widths(grouping.len(), min, k) {
                    let naturals = self.natural_depths(&grouping, &ws);
                    out.push(Arrangement {
                        grouping: grouping.clone(),
                        ws,
                        naturals,
                    });
                }
            }
        }
        out
    }

    /// The best shape of a piece `k` columns wide and `h` lines deep.
    pub fn shape(&self, piece: Piece, k: u32, h: u32) -> Option<SectionShape> {
        let mut best: Option<SectionShape> = None;
        self.shapes(piece, k, h, &mut |frame, groups, verdict| {
            if best.as_ref().is_none_or(|b| verdict.cost < b.cost) {
                best = Some(self.build(frame, groups, verdict));
            }
            best.as_ref().map_or(f64::INFINITY, |b| b.cost)
        });
        best
    }

    /// The cost of the best shape of a piece `k` columns wide and `h`
    /// lines deep (what [`Prepared::shape`] finds, without building it).
    pub fn cost(&self, piece: Piece, k: u32, h: u32) -> Option<f64> {
        let mut best: Option<f64> = None;
        self.shapes(piece, k, h, &mut |_, _, verdict| {
            if best.is_none_or(|b| verdict.cost < b) {
                best = Some(verdict.cost);
            }
            best.unwrap_or(f64::INFINITY)
        });
        best
    }

    /// Every shape tried for a piece `k` columns wide and `h` deep.
    fn shapes(&self, piece: Piece, k: u32, h: u32, consider: &mut Consider) {
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
        let mut bound = f64::INFINITY;
        if matches!(piece, Piece::Tail { .. }) || self.section.photos.is_empty() {
            if let Some(verdict) = self.judge(&frame, &[]) {
                bound = consider(&frame, &[], verdict);
            }
            if matches!(piece, Piece::Tail { .. }) {
                return;
            }
        }
        let mut groups = Vec::new();
        for arrangement in &self.arrangements[k as usize] {
            self.shapes_with(&frame, arrangement, (&mut groups, &mut bound), consider);
        }
    }

    /// The shapes with the figures set in `arrangement`: groups as deep as
    /// the body beside the text; text under groups of one depth (their
    /// feet aligned); or under groups as deep as their photos' own
    /// proportions make them, scaled together. `groups` is a buffer;
    /// `bound` what a candidate must cost less than to be shown. A
    /// candidate's text is priced before its photos are fitted, and
    /// photos never cost less than nothing, so one whose text alone costs
    /// the bound is not fitted.
    fn shapes_with(
        &self,
        frame: &Frame,
        arrangement: &Arrangement,
        (groups, bound): (&mut Vec<Group>, &mut f64),
        consider: &mut Consider,
    ) {
        let Arrangement {
            grouping,
            ws,
            naturals,
        } = arrangement;
        let body = frame.body;
        let wide: u32 = ws.iter().sum();
        let text_cols = frame.k - wide;
        let mut depths: Vec<u32> = Vec::with_capacity(ws.len());
        let mut try_depths = |each: &mut dyn Iterator<Item = u32>| {
            depths.clear();
            depths.extend(each);
            let unders = ws.iter().zip(&depths).map(|(&w, &d)| (under(d, body), w));
            if let Some(text) = self.text(frame, unders)
                && text.cost < *bound
                && self
                    .fill_groups(grouping, ws, &depths, body, groups)
                    .is_some()
            {
                *bound = consider(frame, groups, text.with_photos(groups));
            }
        };
        let rounded = || naturals.iter().map(|d| d.round() as u32);
        if text_cols > 0 {
            try_depths(&mut std::iter::repeat_n(body, ws.len()));
        }
        let beside = text_cols * body;
        if grouping.iter().sum::<usize>() > self.section.photos.len() {
            // With the pull quote: every group at its own proportions (a
            // pull quote is exactly as deep as it is set).
            try_depths(&mut rounded());
        }
        match self.section.to_set(frame.piece) {
            Some(n) if n > beside => {
                // One depth for all: as little text under as fits the copy.
                let under = (n - beside).div_ceil(wide).max(MIN_UNDER);
                if let Some(depth) = body.checked_sub(under + GAP) {
                    try_depths(&mut std::iter::repeat_n(depth, ws.len()));
                }
                // Their own proportions, scaled to leave the copy its room.
                let room = f64::from(wide * (body - GAP)) - f64::from(n - beside);
                let total: f64 = naturals
                    .iter()
                    .zip(ws)
                    .map(|(d, &w)| d * f64::from(w))
                    .sum();
                if room > 0.0 && total > 0.0 {
                    try_depths(
                        &mut naturals
                            .iter()
                            .map(|d| (d * room / total).floor().max(1.0) as u32),
                    );
                }
            }
            Some(_) => {}
            None => {
                // A head piece: the photos near their own proportions.
                try_depths(&mut rounded());
                let deepest = naturals.iter().copied().fold(0.0, f64::max).round() as u32;
                try_depths(&mut std::iter::repeat_n(deepest, ws.len()));
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
        let mut groups = Vec::new();
        let mut out = vec![best.clone()];
        for under in (MIN_UNDER..=deepest).step_by(step as usize) {
            let depths = vec![best.body - under - GAP; ws.len()];
            if self
                .fill_groups(&grouping, &ws, &depths, best.body, &mut groups)
                .is_some()
                && let Some(verdict) = self.judge(&frame, &groups)
                && verdict.set != best.set
            {
                out.push(self.build(&frame, &groups, verdict));
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
    /// lines in proportion to the photos' own depths), into `groups` (a
    /// buffer: its groups and their photo lists are reused); a group as
    /// deep as the body has no text under it, any other at least
    /// [`MIN_UNDER`] lines. `None` (the buffer then holds nothing of use)
    /// where the photos cannot fill the depths.
    fn fill_groups(
        &self,
        grouping: &[usize],
        ws: &[u32],
        depths: &[u32],
        body: u32,
        groups: &mut Vec<Group>,
    ) -> Option<()> {
        groups.truncate(grouping.len());
        let mut start = 0;
        for (g, ((&n, &w), &depth)) in grouping.iter().zip(ws).zip(depths).enumerate() {
            let under = under(depth, body)?;
            if groups.len() == g {
                groups.push(Group {
                    width: w,
                    photos: Vec::with_capacity(n),
                    under,
                });
            }
            let group = &mut groups[g];
            group.width = w;
            group.under = under;
            group.photos.clear();
            self.fill_group(start..start + n, w, depth.min(body), &mut group.photos)?;
            start += n;
        }
        Some(())
    }

    /// Sizes the figures of one group `w` columns wide to fill `depth`
    /// lines, into `placed`.
    fn fill_group(
        &self,
        figures: std::ops::Range<usize>,
        w: u32,
        depth: u32,
        placed: &mut Vec<PlacedPhoto>,
    ) -> Option<()> {
        let n = figures.len() as u32;
        let captions: u32 = figures.clone().map(|i| self.caption_lines(i, w)).sum();
        // A pull quote takes its own depth; the photos share the rest.
        let fixed: u32 = figures
            .clone()
            .filter(|&i| self.is_pull(i))
            .map(|i| self.naturals[i][w as usize] as u32)
            .sum();
        let room = depth.checked_sub(captions + fixed + GAP * (n - 1))?;
        let elastic = figures.clone().filter(|&i| !self.is_pull(i));
        let last_elastic = elastic.clone().next_back();
        let total: f64 = elastic.map(|i| self.naturals[i][w as usize]).sum();
        let mut used = 0;
        for i in figures {
            let image = if self.is_pull(i) {
                self.naturals[i][w as usize] as u32
            } else if last_elastic == Some(i) {
                room.checked_sub(used)?
            } else {
                let natural = self.naturals[i][w as usize];
                let share = (f64::from(room) * natural / total).round() as u32;
                used += share;
                share
            };
            if last_elastic.is_none() && room > 0 {
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
        Some(())
    }

    /// Judges a candidate: what its legs hold, what it sets, what it costs.
    fn judge(&self, frame: &Frame, groups: &[Group]) -> Option<Verdict> {
        let unders = groups.iter().map(|g| (Some(g.under), g.width));
        Some(self.text(frame, unders)?.with_photos(groups))
    }

    /// A candidate's text beside and under groups of (lines of text under,
    /// columns): what its legs hold, what it sets and what that costs (a
    /// verdict but for its photos). `None` where a group leaves too little
    /// text under it, or a head piece too little copy.
    fn text(
        &self,
        frame: &Frame,
        groups: impl Iterator<Item = (Option<u32>, u32)>,
    ) -> Option<Verdict> {
        let mut legs = Legs::default();
        let mut wide = 0;
        for (under, width) in groups {
            legs.add(under?, width);
            wide += width;
        }
        let text_cols = frame.k - wide;
        legs.add(frame.body, text_cols);
        let capacity = legs.capacity;
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
        let (cost, overset) = text_cost(&legs, set);
        Some(Verdict {
            text_cols,
            set,
            capacity,
            overset,
            cost,
        })
    }

    /// The shape a candidate judged `verdict` makes.
    fn build(&self, frame: &Frame, groups: &[Group], verdict: Verdict) -> SectionShape {
        SectionShape {
            heading: frame.heading,
            body: frame.body,
            side: self.section.side,
            groups: groups.to_vec(),
            text_cols: verdict.text_cols,
            set: verdict.set,
            capacity: verdict.capacity,
            overset: verdict.overset,
            cost: verdict.cost,
        }
    }
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
        assert_eq!(groupings(3, 3).len(), 4);
        assert_eq!(groupings(3, 2), vec![vec![1, 2], vec![2, 1], vec![3]]);
        // Bounded however many photos: a stack of at most four, a group a
        // column.
        assert_eq!(groupings(5, 1), Vec::<Vec<usize>>::new());
        assert_eq!(groupings(33, 8).len(), 0);
        assert!(groupings(19, 8).len() < 10_000);
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
