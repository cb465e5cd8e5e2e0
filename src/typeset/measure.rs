//! The measuring pass: the spread template in `measure` mode puts every
//! piece on a page of its own, tagged `<banmian-measure>`; this reads back
//! each page's depth and, for story paragraphs, where Typst broke the lines.
//!
//! A paragraph measured in one column breaks into lines; each line's text
//! is mapped back to a byte range of the paragraph, so the draw pass can set
//! any leg of a story line for line as it was measured (and every leg comes
//! out exactly as deep as planned).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use typst::introspection::Introspector;
use typst::layout::{Abs, Frame, FrameItem, Point, Rect};
use typst::visualize::{
    Cmyk, Color, CurveItem, FixedStroke, Geometry as Shape, LineCap, Paint, ProcessColor,
};

use crate::Error;
use crate::compose::grid::{Grid, Ink};

use super::protocol::{Kind, Measure, Problem, Reader};

pub use super::protocol::Geometry;

impl Geometry {
    /// The grid the composer plans on.
    pub fn grid(&self) -> Grid {
        Grid {
            cols: self.cols,
            col: self.col,
            gutter: self.gutter,
            pitch: self.pitch,
            leading: self.leading,
        }
    }
}

/// A line of a paragraph as measured: its byte range in the paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineSpan {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// Everything the measuring pass found. It serialises (for the measure
/// cache, [`super::measure_cache`]) exactly: a depth read back is the same
/// `f64`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Measures {
    /// The grid and frame.
    pub geometry: Option<Geometry>,
    /// Sizes in points (width, depth) by (kind, index, span, variant).
    #[serde(with = "pairs")]
    sizes: HashMap<(Kind, usize, u32, usize), (f64, f64)>,
    /// Line breaks by (section, paragraph).
    #[serde(with = "pairs")]
    lines: HashMap<(usize, usize), Vec<LineSpan>>,
    /// Which cells carry ink, by (kind, index, span, variant), for pieces
    /// that can leave white inside them.
    #[serde(with = "pairs")]
    inks: HashMap<(Kind, usize, u32, usize), Ink>,
}

impl Measures {
    /// The depth of a measured piece, in points (a box in its designed
    /// type).
    pub fn depth(&self, kind: Kind, index: usize, span: u32) -> Option<f64> {
        self.depth_in(kind, index, span, 0)
    }

    /// The depth of a measured box in a type variant, in points.
    pub fn depth_in(&self, kind: Kind, index: usize, span: u32, variant: usize) -> Option<f64> {
        self.sizes.get(&(kind, index, span, variant)).map(|s| s.1)
    }

    /// The width of a measured piece (set on a page as wide as it), in
    /// points.
    pub fn width(&self, kind: Kind, index: usize, span: u32) -> Option<f64> {
        self.sizes.get(&(kind, index, span, 0)).map(|s| s.0)
    }

    /// Which cells of a measured piece carry ink.
    pub fn ink(&self, kind: Kind, index: usize, span: u32, variant: usize) -> Option<&Ink> {
        self.inks.get(&(kind, index, span, variant))
    }

    /// The lines of a section's paragraph.
    pub fn lines(&self, section: usize, paragraph: usize) -> Option<&[LineSpan]> {
        self.lines.get(&(section, paragraph)).map(Vec::as_slice)
    }

    /// Deals what was measured out by the piece `owner` says each entry is
    /// of (entries it owns to none are dropped); the grid stays here.
    pub fn split(self, owner: impl Fn(Entry) -> Option<String>) -> (Self, HashMap<String, Self>) {
        let mut parts: HashMap<String, Self> = HashMap::new();
        for (key, size) in self.sizes {
            if let Some(name) = owner(Entry::Piece(key.0, key.1)) {
                parts.entry(name).or_default().sizes.insert(key, size);
            }
        }
        for (key, ink) in self.inks {
            if let Some(name) = owner(Entry::Piece(key.0, key.1)) {
                parts.entry(name).or_default().inks.insert(key, ink);
            }
        }
        for (key, lines) in self.lines {
            if let Some(name) = owner(Entry::Lines(key.0, key.1)) {
                parts.entry(name).or_default().lines.insert(key, lines);
            }
        }
        let grid = Self {
            geometry: self.geometry,
            ..Self::default()
        };
        (grid, parts)
    }

    /// Adds what a pass over other pieces found (the grid stays this
    /// one's).
    pub fn merge(&mut self, other: &Measures) {
        if self.geometry.is_none() {
            self.geometry.clone_from(&other.geometry);
        }
        self.sizes.extend(&other.sizes);
        self.lines
            .extend(other.lines.iter().map(|(k, v)| (*k, v.clone())));
        self.inks
            .extend(other.inks.iter().map(|(k, v)| (*k, v.clone())));
    }
}

/// What a measured entry is of: a piece of a kind and index (a caption's
/// index is its photo slot), or the lines of a section's paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A sized piece.
    Piece(Kind, usize),
    /// Section, paragraph.
    Lines(usize, usize),
}

/// Reads the measuring document; `paragraph` gives a section paragraph's
/// text, to map its lines back to it.
pub fn read(
    protocol: &Reader,
    paragraph: impl Fn(usize, usize) -> Option<String>,
) -> Result<Measures, Error> {
    let document = protocol.document();
    let introspector = document.introspector();
    let mut geometry = protocol.entries::<Geometry>()?;
    if geometry.len() != 1 {
        return Err(protocol.missing::<Geometry>(format!(
            "the template reported {} grids in its measuring pass, not one",
            geometry.len()
        )));
    }
    let mut measures = Measures {
        geometry: geometry.pop().map(|found| found.value),
        ..Measures::default()
    };
    for found in protocol.entries::<Measure>()? {
        let page = found
            .content
            .location()
            .and_then(|loc| introspector.page(loc))
            .ok_or_else(|| Error::Internal(format!("measured {:?} has no page", found.value)))?;
        let frame = &document.pages()[page.get() - 1].frame;
        match found.value {
            Measure::Paragraph {
                index,
                paragraph: j,
            } => {
                let text = paragraph(index, j).ok_or_else(|| {
                    let problem = Problem::new(
                        "",
                        format!("the report has no paragraph {j} in sections[{index}]"),
                    );
                    protocol.reject(&found, problem)
                })?;
                let spans = map_lines(&text, &frame_lines(frame)).ok_or_else(|| {
                    let problem = Problem::new(
                        "",
                        format!("the lines measured do not add up to paragraph {j} of sections[{index}] (the page must hold the paragraph alone, as given)"),
                    );
                    protocol.reject(&found, problem)
                })?;
                measures.lines.insert((index, j), spans);
            }
            Measure::Piece {
                kind,
                index,
                span,
                variant,
            } => {
                let size = (frame.width().to_pt(), frame.height().to_pt());
                measures.sizes.insert((kind, index, span, variant), size);
                if INKED.contains(&kind)
                    && let Some(geometry) = &measures.geometry
                {
                    let stretched = STRETCHED.contains(&kind);
                    let ink = ink(frame, &geometry.grid(), span, stretched);
                    measures.inks.insert((kind, index, span, variant), ink);
                }
            }
        }
    }
    Ok(measures)
}

/// Pieces whose ink is read cell by cell.
const INKED: [Kind; 8] = [
    Kind::Heading,
    Kind::Caption,
    Kind::Lede,
    Kind::Figures,
    Kind::DataBox,
    Kind::Quote,
    Kind::Chart,
    Kind::Pull,
];

/// Boxes the spread draws as deep as the whole lines they take (`height:`
/// in `spread.typ`'s `draw-element`), not at their natural depth: their
/// frame and fill reach the foot of their last line.
const STRETCHED: [Kind; 4] = [Kind::Lede, Kind::DataBox, Kind::Quote, Kind::Chart];

/// Which cells of a piece `span` columns wide carry ink: text, strokes,
/// fills that are not paper-light (a tint is paper), images. A column's
/// cell is read a few points in from its edges, so a box's side rules are
/// not ink, as the pages' pixels are read. A `stretched` piece is drawn
/// as deep as its whole lines: what reaches its natural foot (its frame's
/// lower rule, its fill) is read at the foot of its last line.
pub fn ink(frame: &Frame, grid: &Grid, span: u32, stretched: bool) -> Ink {
    let height = frame.height().to_pt();
    let lines = grid.lines_for(height);
    let mut rows = vec![0u16; lines as usize];
    let mut boxes = Vec::new();
    collect_ink(frame, Point::zero(), &mut boxes);
    if stretched {
        let foot = grid.depth(lines).max(height);
        for (_, y0, _, y1) in &mut boxes {
            if *y1 >= height - 1.0 {
                let shift = foot - height;
                *y1 += shift;
                if *y0 >= height - 1.0 {
                    *y0 += shift;
                }
            }
        }
    }
    const INSET: f64 = 2.0;
    for (x0, y0, x1, y1) in boxes {
        for c in 0..span.min(16) {
            let left = grid.x(c) + INSET;
            let right = grid.x(c) + grid.col - INSET;
            if x1 <= left || x0 >= right {
                continue;
            }
            for (l, row) in rows.iter_mut().enumerate() {
                let top = l as f64 * grid.pitch;
                if y1 > top && y0 < top + grid.pitch {
                    *row |= 1 << c;
                }
            }
        }
    }
    Ink(rows)
}

/// The boxes (x0, y0, x1, y1) of everything inked in a frame.
fn collect_ink(frame: &Frame, offset: Point, out: &mut Vec<(f64, f64, f64, f64)>) {
    for (pos, item) in frame.items() {
        let at = offset + *pos;
        let (x, y) = (at.x.to_pt(), at.y.to_pt());
        match item {
            FrameItem::Group(group) => {
                let t = group.transform;
                collect_ink(&group.frame, Point::new(at.x + t.tx, at.y + t.ty), out);
            }
            FrameItem::Text(text) => {
                let size = text.size.to_pt();
                out.push((
                    x,
                    y - 0.85 * size,
                    x + text.width().to_pt(),
                    y + 0.15 * size,
                ));
            }
            FrameItem::Shape(shape, _) => {
                let paper = shape.fill.as_ref().is_none_or(is_paper);
                if paper && shape.stroke.is_none() {
                    continue;
                }
                let stroked = shape.stroke.as_ref();
                let b = stroked_bbox(&shape.geometry, stroked);
                if paper && matches!(shape.geometry, Shape::Rect(_)) {
                    // A paper box's strokes only: its four edges.
                    let w = stroked.map_or(0.0, |s| s.thickness.to_pt());
                    let (bx0, by0) = (x + b.min.x.to_pt(), y + b.min.y.to_pt());
                    let (bx1, by1) = (x + b.max.x.to_pt(), y + b.max.y.to_pt());
                    out.push((bx0, by0, bx1, by0 + w));
                    out.push((bx0, by1 - w, bx1, by1));
                    out.push((bx0, by0, bx0 + w, by1));
                    out.push((bx1 - w, by0, bx1, by1));
                    continue;
                }
                out.push((
                    x + b.min.x.to_pt(),
                    y + b.min.y.to_pt(),
                    x + b.max.x.to_pt(),
                    y + b.max.y.to_pt(),
                ));
            }
            FrameItem::Image(_, size, _) => {
                out.push((x, y, x + size.x.to_pt(), y + size.y.to_pt()));
            }
            _ => {}
        }
    }
}

/// The box a shape inks with its stroke, as Typst's `Geometry::bbox`
/// gives it. Typst outlines a stroked curve with kurbo to box it, some 50
/// µs a curve, which was nearly all of reading a measuring pass (12 ms of
/// 13); a block's rules are curves of one straight segment, whose stroked
/// box is its four corners, worked out here.
fn stroked_bbox(geometry: &Shape, stroke: Option<&FixedStroke>) -> Rect {
    if let (Shape::Curve(curve), Some(stroke)) = (geometry, stroke)
        && let [CurveItem::Move(a), CurveItem::Line(b)] = curve.0.as_slice()
        && stroke.dash.is_none()
        && matches!(stroke.cap, LineCap::Butt | LineCap::Square)
    {
        let (ax, ay, bx, by) = (a.x.to_raw(), a.y.to_raw(), b.x.to_raw(), b.y.to_raw());
        let length = (bx - ax).hypot(by - ay);
        if length > 0.0 {
            // Half the width along the segment (u) and across it (the
            // normal, u turned); a square cap reaches u past each end.
            let half = stroke.thickness.to_raw() / 2.0;
            let (ux, uy) = ((bx - ax) / length * half, (by - ay) / length * half);
            let (ex, ey) = match stroke.cap {
                LineCap::Square => (ux, uy),
                _ => (0.0, 0.0),
            };
            let corners = [
                (ax - ex - uy, ay - ey + ux),
                (ax - ex + uy, ay - ey - ux),
                (bx + ex - uy, by + ey + ux),
                (bx + ex + uy, by + ey - ux),
            ];
            let fold = |f: fn(f64, f64) -> f64, start: f64, pick: fn(&(f64, f64)) -> f64| {
                corners.iter().map(pick).fold(start, f)
            };
            let min = Point::new(
                Abs::raw(fold(f64::min, f64::INFINITY, |c| c.0)),
                Abs::raw(fold(f64::min, f64::INFINITY, |c| c.1)),
            );
            let max = Point::new(
                Abs::raw(fold(f64::max, f64::NEG_INFINITY, |c| c.0)),
                Abs::raw(fold(f64::max, f64::NEG_INFINITY, |c| c.1)),
            );
            return Rect::new(min, max);
        }
    }
    geometry.bbox(stroke)
}

/// Whether a fill is as light as paper (white, or the theme's tint): each
/// of red, green and blue at least 90 %. A CMYK fill's are its inks'
/// complements multiplied (as inks on paper darken it), not Typst's ICC
/// conversion: that builds a transform on first use (12–20 ms of CPU),
/// while both cores measure, for a question a tint answers as well.
fn is_paper(paint: &Paint) -> bool {
    let Paint::Solid(color) = paint else {
        return false;
    };
    let process = match color {
        Color::Process(process) => *process,
        Color::Spot(spot) => spot.fallback(),
    };
    let rgb = match process {
        ProcessColor::Cmyk(Cmyk { c, m, y, k }) => [c, m, y].map(|ink| (1.0 - ink) * (1.0 - k)),
        other => {
            let rgb = other.to_rgb();
            [rgb.red, rgb.green, rgb.blue]
        }
    };
    rgb.into_iter().all(|v| v >= 0.9)
}

/// A map as a list of (key, value) pairs, in key order (JSON objects
/// only have string keys).
mod pairs {
    use std::collections::HashMap;
    use std::hash::Hash;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<K, V, S>(map: &HashMap<K, V>, serializer: S) -> Result<S::Ok, S::Error>
    where
        K: Serialize + Ord,
        V: Serialize,
        S: Serializer,
    {
        let mut pairs: Vec<(&K, &V)> = map.iter().collect();
        pairs.sort_by(|a, b| a.0.cmp(b.0));
        pairs.serialize(serializer)
    }

    pub fn deserialize<'de, K, V, D>(deserializer: D) -> Result<HashMap<K, V>, D::Error>
    where
        K: Deserialize<'de> + Eq + Hash,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Ok(Vec::<(K, V)>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

/// The text of each line of a frame, top to bottom (text items grouped by
/// their baseline, left to right).
pub fn frame_lines(frame: &Frame) -> Vec<String> {
    let mut items: Vec<(f64, f64, String)> = Vec::new();
    collect_text(frame, Point::zero(), &mut items);
    items.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut lines: Vec<(f64, String)> = Vec::new();
    for (y, _, text) in items {
        match lines.last_mut() {
            Some((ly, line)) if (y - *ly).abs() < 0.5 => line.push_str(&text),
            _ => lines.push((y, text)),
        }
    }
    lines.into_iter().map(|(_, text)| text).collect()
}

fn collect_text(frame: &Frame, offset: Point, out: &mut Vec<(f64, f64, String)>) {
    for (pos, item) in frame.items() {
        let at = offset + *pos;
        match item {
            FrameItem::Group(group) => {
                let t = group.transform;
                collect_text(&group.frame, Point::new(at.x + t.tx, at.y + t.ty), out);
            }
            FrameItem::Text(text) => out.push((at.y.to_pt(), at.x.to_pt(), text.text.to_string())),
            _ => {}
        }
    }
}

/// Glue that layout adds and the source does not have.
fn is_glue(c: char) -> bool {
    c.is_whitespace() || c == '\u{2060}'
}

/// Maps line texts back to byte ranges of the paragraph they break,
/// counting the characters each line holds (white space and joiners aside).
/// `None` when they do not add up to the paragraph.
pub fn map_lines(paragraph: &str, lines: &[String]) -> Option<Vec<LineSpan>> {
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    let mut at = 0;
    let mut spans = Vec::with_capacity(lines.len());
    for line in lines {
        let count = line.chars().filter(|&c| !is_glue(c)).count();
        while at < chars.len() && is_glue(chars[at].1) {
            at += 1;
        }
        let start = chars.get(at).map_or(paragraph.len(), |c| c.0);
        let mut taken = 0;
        while taken < count {
            let (_, c) = *chars.get(at)?;
            if !is_glue(c) {
                taken += 1;
            }
            at += 1;
        }
        let end = chars.get(at).map_or(paragraph.len(), |c| c.0);
        spans.push(LineSpan { start, end });
    }
    let rest = chars[at.min(chars.len())..]
        .iter()
        .all(|&(_, c)| is_glue(c));
    rest.then_some(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stroked segment's box is Typst's own, to the bit where the rule
    /// lies along an axis (as a block's rules do) and within a hair's
    /// breadth otherwise; with either cap the fast path takes, and at
    /// widths from a hairline to a heavy rule.
    #[test]
    fn a_stroked_segment_is_boxed_as_typst_boxes_it() {
        use typst::visualize::Curve;
        let pt = Abs::pt;
        let segments = [
            ((0.0, 0.0), (100.0, 0.0)),
            ((12.5, 3.0), (-40.0, 3.0)),
            ((5.0, -2.0), (5.0, 80.0)),
            ((0.0, 0.0), (30.0, 40.0)),
            ((-7.0, 9.0), (11.0, -13.0)),
        ];
        for ((ax, ay), (bx, by)) in segments {
            for cap in [LineCap::Butt, LineCap::Square] {
                for width in [0.5, 0.8, 2.0, 6.0] {
                    let curve = Curve(vec![
                        CurveItem::Move(Point::new(pt(ax), pt(ay))),
                        CurveItem::Line(Point::new(pt(bx), pt(by))),
                    ]);
                    let geometry = Shape::Curve(curve);
                    let mut stroke = FixedStroke::from_pair(
                        Paint::Solid(typst::visualize::Color::BLACK),
                        pt(width),
                    );
                    stroke.cap = cap;
                    let ours = stroked_bbox(&geometry, Some(&stroke));
                    let typst = geometry.bbox(Some(&stroke));
                    let along_axis = ax == bx || ay == by;
                    for (a, b) in [
                        (ours.min.x, typst.min.x),
                        (ours.min.y, typst.min.y),
                        (ours.max.x, typst.max.x),
                        (ours.max.y, typst.max.y),
                    ] {
                        let (a, b) = (a.to_pt(), b.to_pt());
                        let exact = if along_axis {
                            a == b
                        } else {
                            (a - b).abs() < 1e-9
                        };
                        assert!(
                            exact,
                            "{ax},{ay} -> {bx},{by}, {cap:?}, {width} pt: {a} against {b}"
                        );
                    }
                }
            }
        }
    }

    /// Measures read back from the cache are exactly those written, to the
    /// last bit of every depth (a depth a bit off could move a line).
    #[test]
    fn measures_round_trip_exactly() {
        let mut measures = Measures::default();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..2000 {
            // Depths as layout makes them: sums of scaled font units.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let depth = (x % 100_000) as f64 / 7.0 + 0.1 * (i % 7) as f64 + 204.81650000000002;
            measures
                .sizes
                .insert((Kind::Heading, i, 3, 0), (depth / 3.0, depth));
        }
        measures
            .lines
            .insert((0, 1), vec![LineSpan { start: 0, end: 39 }]);
        let json = serde_json::to_vec(&measures).unwrap();
        let back: Measures = serde_json::from_slice(&json).unwrap();
        assert!(back == measures, "a depth changed on its way through JSON");
    }

    #[test]
    fn lines_map_back_to_their_paragraph() {
        let text = "锻造新质生产力，现代产业是主力军。走进 HP-RTM 项目2471亿元";
        let lines = vec![
            "锻造新质生产力，现代产业是".to_string(),
            "主力军。走进 HP-RTM 项目".to_string(),
            "2\u{2060}4\u{2060}7\u{2060}1\u{2060}亿\u{2060}元".to_string(),
        ];
        let spans = map_lines(text, &lines).unwrap();
        let pieces: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(
            pieces,
            vec![
                "锻造新质生产力，现代产业是",
                "主力军。走进 HP-RTM 项目",
                "2471亿元"
            ]
        );
        assert!(map_lines(text, &lines[..2]).is_none(), "lines left over");
        assert!(map_lines("短", &lines).is_none(), "too few characters");
    }

    /// Paper is told from ink without Typst's ICC conversion, and as that
    /// conversion tells it for the theme's colours (the paper white, the
    /// box tint, the chart track, the greys, the accent, black) and for
    /// tints of the grey and the accent around the line.
    #[test]
    fn paper_is_told_from_ink_as_the_icc_conversion_tells_it() {
        let cmyk = |c: f32, m: f32, y: f32, k: f32| Color::Process(Cmyk { c, m, y, k }.into());
        let by_icc = |color: &Color| {
            let rgb = color.to_rgb();
            rgb.red.min(rgb.green).min(rgb.blue) >= 0.9
        };
        let theme = [
            (cmyk(0.0, 0.0, 0.0, 0.0), true),
            (cmyk(0.0, 0.04, 0.08, 0.0), true),
            (cmyk(0.0, 0.0, 0.0, 0.12), false),
            (cmyk(0.0, 0.0, 0.0, 0.35), false),
            (cmyk(0.0, 0.0, 0.0, 0.6), false),
            (cmyk(0.0, 0.95, 0.9, 0.2), false),
            (cmyk(0.0, 0.0, 0.0, 1.0), false),
            (cmyk(0.0, 0.0, 0.0, 0.03), true),
            (cmyk(0.0, 0.2, 0.2, 0.0), false),
            (cmyk(0.0, 0.05, 0.05, 0.0), true),
            (Color::WHITE, true),
            (Color::BLACK, false),
        ];
        for (color, paper) in theme {
            assert_eq!(is_paper(&Paint::Solid(color.clone())), paper, "{color:?}");
            assert_eq!(by_icc(&color), paper, "{color:?}, as Typst converts it");
        }
    }
}
