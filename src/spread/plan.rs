//! The plan as the spread template draws it (`plan.json`): every element
//! in points from the type area's top left, each leg with the text of its
//! lines, the fitted headline, the band, pull quotes and reserved areas.
//!
//! This is the Rust → template half of the protocol (the template → Rust
//! half is [`crate::typeset::protocol`]): `layouts/spread.typ` reads these
//! types as `plan.json`, the names as serialised here. In the measuring
//! pass the file holds a [`MeasurePlan`], in the drawing pass a
//! [`DrawPlan`]. Both are written through a JSON value, so their keys are
//! sorted: the bytes (and with them Typst's cache) do not depend on the
//! order of the fields here.

use serde::Serialize;

use crate::compose::grid::Grid;
use crate::compose::place::{Cell, Element, LineRef};
use crate::report::{self, Report};
use crate::typeset::headline::Fitted;

use crate::compose::items::Item;

use super::SpreadPlan;

/// `plan.json` in the measuring pass: what to measure beyond the report.
#[derive(Debug, Serialize)]
pub struct MeasurePlan<'a> {
    /// Always `measure`.
    pub mode: &'static str,
    /// The headline's possible splits at the fold (the lines before and
    /// after it).
    pub title: &'a [(String, String)],
    /// Each section's pull quote candidate.
    pub pulls: &'a [Option<String>],
    /// The pieces to measure, by name as keys (`p/0/3`, `h/2`, `lede`: see
    /// [`crate::typeset::protocol`]); none: every piece.
    pub only: Option<std::collections::BTreeMap<String, bool>>,
}

/// `plan.json` in the drawing pass.
#[derive(Debug, Serialize)]
pub struct DrawPlan<'a> {
    /// Always `draw`.
    pub mode: &'static str,
    /// Reserved areas drawn as labelled keyline frames (a proof).
    pub proof: bool,
    /// The banner's band, when there is one.
    pub band: Option<Band>,
    /// The headline's top, in points from the type area's top.
    #[serde(rename = "headline-top")]
    pub headline_top: f64,
    /// The main headline, fitted.
    pub headline: &'a Fitted,
    /// Each section's pull quote, when it may have one.
    pub pulls: &'a [Option<String>],
    /// The pages, in order.
    pub pages: Vec<Page>,
}

/// The banner's band: its depth and what stands beside the banner.
#[derive(Debug, Serialize)]
pub struct Band {
    /// Its depth in points.
    pub depth: f64,
    /// The elements beside the banner.
    pub side: Vec<PlacedElement>,
}

/// One page: its elements and the credit line's top on the last page.
#[derive(Debug, Serialize)]
pub struct Page {
    /// Every element, in reading order, then the reserved areas.
    pub elements: Vec<PlacedElement>,
    /// The credit line's top, on the last page only.
    pub credits: Option<f64>,
}

/// An element as the template draws it, by its `kind`.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum PlacedElement {
    /// A section's heading (`kind`: `heading`).
    Heading {
        /// `heading`.
        kind: &'static str,
        /// The section.
        index: usize,
        /// Place and width.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
    },
    /// A text leg (`kind`: `leg`), line for line.
    Leg {
        /// `leg`.
        kind: &'static str,
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Its lines.
        lines: Vec<Line>,
    },
    /// A section's photo with its caption (`kind`: `photo`).
    Photo {
        /// `photo`.
        kind: &'static str,
        /// The section.
        index: usize,
        /// Which of its photos.
        photo: usize,
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Visible depth.
        h: f64,
        /// Caption lines.
        caption: u32,
        /// The caption's top.
        #[serde(rename = "caption-y")]
        caption_y: f64,
    },
    /// A pull quote (`kind`: `pull`).
    Pull {
        /// `pull`.
        kind: &'static str,
        /// The section.
        index: usize,
        /// Its span in columns.
        span: u32,
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Depth.
        h: f64,
    },
    /// A picture standing alone (`kind`: `picture`).
    Picture {
        /// `picture`.
        kind: &'static str,
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Depth.
        h: f64,
    },
    /// A block (`kind`: the measured kind it is drawn as): the lede,
    /// figures, data box, quote, a chart.
    Block {
        /// What it is.
        kind: &'static str,
        /// Which of its kind.
        index: usize,
        /// Its span in columns.
        span: u32,
        /// Its type variant (0: the designed size).
        variant: usize,
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Depth.
        h: f64,
        /// Its natural depth in points.
        natural: f64,
    },
    /// A reserved area (`kind`: `reserved`).
    Reserved {
        /// `reserved`.
        kind: &'static str,
        /// The reserved area.
        index: usize,
        /// Its width in columns.
        columns: u32,
        /// Its depth in lines.
        lines: u32,
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Depth.
        h: f64,
    },
}

/// A line of a leg: story text, or a jump line.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Line {
    /// A line of the story, set as measured.
    Story {
        /// Its text.
        text: String,
        /// A paragraph's first line.
        indent: bool,
        /// Justified (all but a paragraph's last line).
        justify: bool,
        /// Always null.
        jump: Option<&'static str>,
        /// Always null.
        page: Option<u32>,
        /// The part set in the heading face, if any.
        opening: Option<Opening>,
    },
    /// A jump line (`down` or `up`) to or from a page number.
    Jump {
        /// `down` or `up`.
        jump: &'static str,
        /// The page it names.
        page: Option<u32>,
    },
}

/// The part of a line that is its paragraph's dateline or run-in lead.
#[derive(Debug, Serialize)]
pub struct Opening {
    /// Bytes of the line's text, from its start.
    pub bytes: usize,
    /// `dateline` or `lead`.
    pub kind: &'static str,
}

/// The plan as the template reads it; `proof` draws the reserved areas as
/// labelled keyline frames (print leaves them blank).
pub fn draw_plan<'a>(
    report: &Report,
    plan: &'a SpreadPlan,
    paragraphs: &[Vec<String>],
    proof: bool,
) -> DrawPlan<'a> {
    let c = &plan.composition;
    let g = plan.geometry.grid();
    let pages: Vec<Page> = c
        .lines
        .iter()
        .enumerate()
        .map(|(page, _)| {
            let body = Origin {
                items: &c.items,
                top: c.body_top,
            };
            let mut elements: Vec<PlacedElement> = c
                .elements
                .iter()
                .filter(|e| e.at().page == page)
                .map(|e| element(report, plan, paragraphs, &body, e))
                .collect();
            for (reserve, at) in c.quality.reserved.iter().filter(|(_, at)| at.page == page) {
                let (x, y, w, h) = body.place(&g, at);
                elements.push(PlacedElement::Reserved {
                    kind: "reserved",
                    index: reserve.id,
                    columns: at.w,
                    lines: at.h,
                    x,
                    y,
                    w,
                    h,
                });
            }
            let last = page + 1 == c.lines.len();
            let credits = plan.credits.filter(|_| last);
            Page {
                elements,
                credits: credits.map(|depth| plan.geometry.type_height - depth),
            }
        })
        .collect();
    let band = c.band.as_ref().map(|b| {
        let side: Vec<PlacedElement> = b.side.as_ref().map_or(Vec::new(), |side| {
            let origin = Origin {
                items: &side.items,
                top: plan.geometry.head,
            };
            side.elements
                .iter()
                .map(|e| element(report, plan, paragraphs, &origin, e))
                .collect()
        });
        Band {
            depth: b.depth,
            side,
        }
    });
    DrawPlan {
        mode: "draw",
        proof,
        band,
        headline_top: c.headline_top,
        headline: &plan.headline,
        pulls: &plan.pulls,
        pages,
    }
}

/// `plan.json`'s bytes: any plan, through a JSON value (sorted keys).
pub fn to_json(plan: &impl Serialize) -> Vec<u8> {
    let value = serde_json::to_value(plan).expect("the plan serialises");
    serde_json::to_vec(&value).expect("the plan serialises")
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

fn element(
    report: &Report,
    plan: &SpreadPlan,
    paragraphs: &[Vec<String>],
    origin: &Origin,
    e: &Element,
) -> PlacedElement {
    let g = &plan.geometry.grid();
    let items = origin.items;
    let at = e.at();
    let (x, y, w, h) = origin.place(g, at);
    let index = |item: usize| items[item].index();
    match e {
        Element::Heading { item, .. } => PlacedElement::Heading {
            kind: "heading",
            index: index(*item),
            x,
            y,
            w,
        },
        Element::Leg { item, lines, .. } => {
            let section = index(*item);
            let lines = lines
                .iter()
                .map(|l| line(report, plan, paragraphs, section, at.page, *l))
                .collect();
            PlacedElement::Leg {
                kind: "leg",
                x,
                y,
                lines,
            }
        }
        Element::Photo {
            item,
            photo,
            caption,
            ..
        } => PlacedElement::Photo {
            kind: "photo",
            index: index(*item),
            photo: *photo,
            x,
            y,
            w,
            h,
            caption: *caption,
            caption_y: y + f64::from(at.h) * g.pitch,
        },
        Element::Pull { item, .. } => PlacedElement::Pull {
            kind: "pull",
            index: index(*item),
            span: at.w,
            x,
            y,
            w,
            h,
        },
        Element::Picture { .. } => PlacedElement::Picture {
            kind: "picture",
            x,
            y,
            w,
            h,
        },
        Element::Block {
            item,
            natural,
            variant,
            ..
        } => {
            let id = items[*item].id;
            let kind = super::box_kind(id).expect("only boxes are placed as blocks");
            PlacedElement::Block {
                kind: kind.name(),
                index: index(*item),
                span: at.w,
                variant: *variant,
                x,
                y,
                w,
                h,
                natural: g.depth(*natural),
            }
        }
    }
}

/// A line of a leg: its text and how it is set, or a jump line.
fn line(
    report: &Report,
    plan: &SpreadPlan,
    paragraphs: &[Vec<String>],
    section: usize,
    page: usize,
    line: LineRef,
) -> Line {
    let number = |p: usize| report.masthead.pages.get(p).copied();
    match line {
        LineRef::Story(n) => {
            let l = plan.stories[section][n as usize];
            let paragraph = &paragraphs[section][l.paragraph];
            let raw = &paragraph[l.span.start..l.span.end];
            let text = raw.trim();
            let start = l.span.start + (raw.len() - raw.trim_start().len());
            let opening = opening(
                &report.sections[section],
                l.paragraph,
                paragraph,
                start,
                text,
            );
            Line::Story {
                text: text.to_owned(),
                indent: l.first,
                justify: !l.last,
                jump: None,
                page: None,
                opening,
            }
        }
        LineRef::JumpDown => Line::Jump {
            jump: "down",
            page: number(page + 1),
        },
        LineRef::JumpUp => Line::Jump {
            jump: "up",
            page: page.checked_sub(1).and_then(number),
        },
    }
}

/// The part of a line that belongs to its paragraph's dateline or run-in
/// lead (set in the heading face), in bytes of the line's text from its
/// start; the line starts at byte `start` of the paragraph. `None` when
/// none of it does.
fn opening(
    section: &report::Section,
    index: usize,
    paragraph: &str,
    start: usize,
    text: &str,
) -> Option<Opening> {
    let (bytes, kind) = section.opening(index, paragraph)?;
    let n = bytes.saturating_sub(start).min(text.len());
    (n > 0).then(|| Opening {
        bytes: n,
        kind: kind.name(),
    })
}
