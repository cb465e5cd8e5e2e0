//! The plan as the spread template draws it (`plan.json`): every element
//! in points from the type area's top left, each leg with the text of its
//! lines, the fitted headline, the band, pull quotes and reserved areas.

use serde_json::{Value, json};

use crate::compose::grid::Grid;
use crate::compose::items::Content;
use crate::compose::place::{Cell, Element, LineRef};
use crate::report::{self, Report};

use crate::compose::items::Item;

use super::SpreadPlan;

/// The plan as the template reads it; `proof` draws the reserved areas as
/// labelled keyline frames (print leaves them blank).
pub fn plan_json(
    report: &Report,
    plan: &SpreadPlan,
    paragraphs: &[Vec<String>],
    proof: bool,
) -> Value {
    let c = &plan.composition;
    let g = plan.geometry.grid();
    let pages: Vec<Value> = c
        .lines
        .iter()
        .enumerate()
        .map(|(page, _)| {
            let body = Origin {
                items: &c.items,
                top: c.body_top,
            };
            let mut elements: Vec<Value> = c
                .elements
                .iter()
                .filter(|e| e.at().page == page)
                .map(|e| element_json(report, plan, paragraphs, &body, e))
                .collect();
            for (reserve, at) in c.quality.reserved.iter().filter(|(_, at)| at.page == page) {
                let (x, y, w, h) = body.place(&g, at);
                elements.push(json!({
                    "kind": "reserved", "index": reserve.id, "columns": at.w, "lines": at.h,
                    "x": x, "y": y, "w": w, "h": h,
                }));
            }
            let last = page + 1 == c.lines.len();
            let credits = plan.credits.filter(|_| last);
            json!({
                "elements": elements,
                "credits": credits.map(|depth| plan.geometry.type_height - depth),
            })
        })
        .collect();
    let band = c.band.as_ref().map(|b| {
        let side: Vec<Value> = b.side.as_ref().map_or(Vec::new(), |side| {
            let origin = Origin {
                items: &side.items,
                top: plan.geometry.head,
            };
            side.elements
                .iter()
                .map(|e| element_json(report, plan, paragraphs, &origin, e))
                .collect()
        });
        json!({ "depth": b.depth, "side": side })
    });
    json!({
        "mode": "draw",
        "proof": proof,
        "band": band,
        "headline-top": c.headline_top,
        "headline": plan.headline,
        "pulls": plan.pulls,
        "pages": pages,
    })
}

/// Where a grid's elements stand: the body's, or the band's beside the
/// banner.
struct Origin<'a> {
    /// The items its elements refer to.
    items: &'a [Item],
    /// Its first line's top, in points from the type area's top.
    top: f64,
}

impl Origin<'_> {
    /// A cell's place and size in points: x, y from the type area's top
    /// left, width, visible depth.
    fn place(&self, g: &Grid, at: &Cell) -> (f64, f64, f64, f64) {
        let y = self.top + f64::from(at.y) * g.pitch;
        (g.x(at.x), y, g.span(at.w), g.depth(at.h))
    }
}

fn element_json(
    report: &Report,
    plan: &SpreadPlan,
    paragraphs: &[Vec<String>],
    origin: &Origin,
    e: &Element,
) -> Value {
    let g = &plan.geometry.grid();
    let items = origin.items;
    let at = e.at();
    let (x, y, w, h) = origin.place(g, at);
    let index = |item: usize| items[item].index();
    match e {
        Element::Heading { item, .. } => {
            json!({ "kind": "heading", "index": index(*item), "x": x, "y": y, "w": w })
        }
        Element::Leg { item, lines, .. } => {
            let section = index(*item);
            let texts: Vec<Value> = lines
                .iter()
                .map(|l| line_json(report, plan, paragraphs, section, at.page, *l))
                .collect();
            json!({ "kind": "leg", "x": x, "y": y, "lines": texts })
        }
        Element::Photo {
            item,
            photo,
            caption,
            ..
        } => json!({
            "kind": "photo", "index": index(*item), "photo": photo,
            "x": x, "y": y, "w": w, "h": h,
            "caption": caption, "caption-y": y + f64::from(at.h) * g.pitch,
        }),
        Element::Pull { item, .. } => {
            json!({ "kind": "pull", "index": index(*item), "span": at.w, "x": x, "y": y, "w": w, "h": h })
        }
        Element::Picture { .. } => json!({ "kind": "picture", "x": x, "y": y, "w": w, "h": h }),
        Element::Block {
            item,
            natural,
            variant,
            ..
        } => {
            let name = items[*item].id.as_str();
            let kind = if matches!(items[*item].content, Content::Block(_))
                && name.starts_with("charts[")
            {
                "chart"
            } else {
                name
            };
            json!({
                "kind": kind, "index": index(*item), "span": at.w, "variant": variant,
                "x": x, "y": y, "w": w, "h": h, "natural": g.depth(*natural),
            })
        }
    }
}

/// A line of a leg: its text and how it is set, or a jump line.
fn line_json(
    report: &Report,
    plan: &SpreadPlan,
    paragraphs: &[Vec<String>],
    section: usize,
    page: usize,
    line: LineRef,
) -> Value {
    let number = |p: usize| report.masthead.pages.get(p).copied();
    match line {
        LineRef::Story(n) => {
            let l = plan.stories[section][n as usize];
            let paragraph = &paragraphs[section][l.paragraph];
            let raw = &paragraph[l.span.start..l.span.end];
            let text = raw.trim();
            let start = l.span.start + (raw.len() - raw.trim_start().len());
            let opening = opening_json(
                &report.sections[section],
                l.paragraph,
                paragraph,
                start,
                text,
            );
            json!({
                "text": text, "indent": l.first, "justify": !l.last, "jump": null, "page": null,
                "opening": opening,
            })
        }
        LineRef::JumpDown => json!({ "jump": "down", "page": number(page + 1) }),
        LineRef::JumpUp => json!({ "jump": "up", "page": page.checked_sub(1).and_then(number) }),
    }
}

/// The part of a line that belongs to its paragraph's dateline or run-in
/// lead (set in the heading face), in bytes of the line's text from its
/// start; the line starts at byte `start` of the paragraph. `null` when
/// none of it does.
fn opening_json(
    section: &report::Section,
    index: usize,
    paragraph: &str,
    start: usize,
    text: &str,
) -> Value {
    let Some((bytes, kind)) = section.opening(index, paragraph) else {
        return Value::Null;
    };
    let n = bytes.saturating_sub(start).min(text.len());
    if n == 0 {
        return Value::Null;
    }
    json!({ "bytes": n, "kind": kind.name() })
}
