//! What a laid-out page paints, in page coordinates (points, y down): text
//! runs, shapes and images, each with its rectangle and colours. The
//! flattener and the ink preflight read pages through this.

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::visualize::{Color, Image, Paint};

/// A rectangle: left, top, right, bottom.
pub type Rect = [f64; 4];

/// One painted thing.
#[derive(Debug, Clone)]
pub enum Painted {
    /// A text run filled with a colour.
    Text {
        /// Where its glyphs lie (from the ascender to below the baseline).
        rect: Rect,
        /// Its fill, when a plain colour.
        fill: Option<Color>,
    },
    /// A shape's fill and stroke.
    Shape {
        /// Its bounding box.
        rect: Rect,
        /// Its fill, when a plain colour.
        fill: Option<Color>,
        /// Its stroke, when a plain colour, and the stroke's width in
        /// points on the page.
        stroke: Option<(Color, f64)>,
    },
    /// An image.
    Image {
        /// Where it shows: where it is placed, within its clip.
        rect: Rect,
        /// The image.
        image: Image,
    },
}

/// Everything a page's frame paints, in painting order.
pub fn painted(frame: &Frame) -> Vec<Painted> {
    let mut out = Vec::new();
    walk(frame, Transform::identity(), &mut |item, ts, clip| {
        if let Some(mut p) = describe(item, ts) {
            if let Painted::Image { rect, .. } = &mut p {
                *rect = intersect(*rect, clip);
            }
            out.push(p);
        }
    });
    out
}

/// Everything, unclipped.
const UNCLIPPED: Rect = [
    f64::NEG_INFINITY,
    f64::NEG_INFINITY,
    f64::INFINITY,
    f64::INFINITY,
];

/// The part two rectangles share (empty, with min above max, when apart).
fn intersect(a: Rect, b: Rect) -> Rect {
    [
        a[0].max(b[0]),
        a[1].max(b[1]),
        a[2].min(b[2]),
        a[3].min(b[3]),
    ]
}

/// Visits every item that is not a group, in painting order, with the
/// transform from its own coordinates to the page's and the rectangle its
/// groups clip it to.
pub fn walk(frame: &Frame, ts: Transform, visit: &mut dyn FnMut(&FrameItem, Transform, Rect)) {
    walk_clipped(frame, ts, UNCLIPPED, visit);
}

fn walk_clipped(
    frame: &Frame,
    ts: Transform,
    clip: Rect,
    visit: &mut dyn FnMut(&FrameItem, Transform, Rect),
) {
    for (pos, item) in frame.items() {
        let at = ts.pre_concat(Transform::translate(pos.x, pos.y));
        match item {
            FrameItem::Group(group) => {
                let inner = at.pre_concat(group.transform);
                let clip = match &group.clip {
                    Some(curve) => {
                        let bbox = curve.bbox(None);
                        intersect(clip, rect(inner, bbox.min, bbox.max))
                    }
                    None => clip,
                };
                walk_clipped(&group.frame, inner, clip, visit)
            }
            other => visit(other, at, clip),
        }
    }
}

/// An item as painted; `None` for what paints nothing (links, tags).
pub fn describe(item: &FrameItem, ts: Transform) -> Option<Painted> {
    let solid = |paint: &Paint| match paint {
        Paint::Solid(colour) => Some(colour.clone()),
        _ => None,
    };
    match item {
        FrameItem::Text(text) => {
            let width = text.width();
            let (up, down) = (text.size, text.size * 0.3);
            Some(Painted::Text {
                rect: rect(ts, Point::new(Abs::zero(), -up), Point::new(width, down)),
                fill: solid(&text.fill),
            })
        }
        FrameItem::Shape(shape, _) => {
            let bbox = shape.geometry.bbox(None);
            let scale = (ts.sx.get() * ts.sy.get() - ts.kx.get() * ts.ky.get())
                .abs()
                .sqrt();
            let stroke = shape
                .stroke
                .as_ref()
                .and_then(|s| Some((solid(&s.paint)?, s.thickness.to_pt() * scale)));
            Some(Painted::Shape {
                rect: rect(ts, bbox.min, bbox.max),
                fill: shape.fill.as_ref().and_then(solid),
                stroke,
            })
        }
        FrameItem::Image(image, size, _) => Some(Painted::Image {
            rect: rect(ts, Point::zero(), Point::new(size.x, size.y)),
            image: image.clone(),
        }),
        _ => None,
    }
}

/// The page rectangle of a box given in an item's coordinates.
fn rect(ts: Transform, min: Point, max: Point) -> Rect {
    let corners =
        [min, Point::new(max.x, min.y), Point::new(min.x, max.y), max].map(|p| p.transform(ts));
    let xs = corners.map(|p| p.x.to_pt());
    let ys = corners.map(|p| p.y.to_pt());
    let lo = |v: [f64; 4]| v.into_iter().fold(f64::INFINITY, f64::min);
    let hi = |v: [f64; 4]| v.into_iter().fold(f64::NEG_INFINITY, f64::max);
    [lo(xs), lo(ys), hi(xs), hi(ys)]
}

/// The area two rectangles share (0 when apart).
pub fn overlap(a: Rect, b: Rect) -> f64 {
    let w = a[2].min(b[2]) - a[0].max(b[0]);
    let h = a[3].min(b[3]) - a[1].max(b[1]);
    if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
}
