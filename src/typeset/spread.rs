//! The spread: measure every piece in Typst, compose the pages in Rust
//! ([`crate::compose`]), then draw the plan in Typst.
//!
//! Both passes compile `spread.typ`; `plan.json` tells it which: in the
//! measuring pass it holds only `{"mode": "measure"}`, in the drawing pass
//! the plan. The report itself (`report.json`) is the same for both, so
//! Typst reuses the layout of every piece the plan does not change.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use typst::foundations::Bytes;

use crate::Error;
use crate::compose::grid::{Grid, Photo, PhotoRules};
use crate::compose::items::{Block, Content, GAP, Item, Section, Side};
use crate::compose::place::{Element, LineRef};
use crate::compose::{self, Banner, Composition, Frame, Input};
use crate::report::{self, LoadedReport, Report};

use super::compile::{Medium, Typeset, TypesetOptions, Typesetter};
use super::data::{Pages, PhotoSlot};
use super::measure::{self, Geometry, LineSpan, Measures};
use crate::assets::photos::{PhotoOptions, PhotoStore};

/// The template.
pub const TEMPLATE: &str = "spread.typ";

/// The share of its depth a box may grow by, as air.
const BOX_AIR: f64 = 0.6;

/// What the composer decided for a spread, and what it planned with.
#[derive(Debug, Clone)]
pub struct SpreadPlan {
    /// The decision.
    pub composition: Composition,
    /// The grid and frame, in points.
    pub geometry: Geometry,
    /// Each section's lines as measured.
    pub stories: Vec<Vec<StoryLine>>,
    /// The credit line's depth at the foot of the last page, if any.
    pub credits: Option<f64>,
    /// What the measuring pass found.
    pub measures: Measures,
}

/// A line of a story: which paragraph, which bytes of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoryLine {
    /// The paragraph.
    pub paragraph: usize,
    /// Its bytes in the paragraph.
    pub span: LineSpan,
    /// The paragraph's first line (indented).
    pub first: bool,
    /// The paragraph's last line (set ragged).
    pub last: bool,
}

impl SpreadPlan {
    /// Characters (white space aside) of a section's last `lines` lines.
    pub fn tail_chars(&self, report: &Report, section: usize, lines: u32) -> usize {
        let Some(story) = self.stories.get(section) else {
            return 0;
        };
        let paragraphs = report::paragraphs(&report.sections[section].text);
        let from = story.len().saturating_sub(lines as usize);
        story[from..]
            .iter()
            .map(|l| {
                paragraphs[l.paragraph][l.span.start..l.span.end]
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .count()
            })
            .sum()
    }
}

impl Typesetter {
    /// Measures, composes and draws the spread. Photos that need making
    /// (cropped or downsampled) are made on another thread while Typst
    /// draws, once the composer has sized them.
    pub(super) fn spread(
        &mut self,
        loaded: &LoadedReport,
        options: &TypesetOptions,
    ) -> Result<Typeset, Error> {
        let started = Instant::now();
        super::bounds::spread(loaded, &options.pages).map_err(|e| Error::Report(vec![e]))?;
        let slots = self.check(loaded)?;
        let checked = started.elapsed();
        let data = self.load_data(loaded, options, &slots);
        let store = self.print_store();
        let early = !options.measure_only && options.medium == Medium::Print;
        std::thread::scope(|scope| {
            let (plan, paragraphs, mut timings) =
                self.measure_and_compose(loaded, options, &slots)?;
            let photos = early.then(|| {
                let sizes = photo_sizes(&plan, &slots);
                let (store, slots) = (&store, &slots);
                scope.spawn(move || prepare_photos(store, slots, &sizes))
            });
            let json = plan_json(&loaded.report, &plan, &paragraphs);
            let bytes = Bytes::new(serde_json::to_vec(&json).expect("the plan serialises"));
            self.set_file("plan.json", bytes);
            let at = Instant::now();
            let (document, warnings) = self.compile(TEMPLATE, options)?;
            timings.push(("draw", at.elapsed()));
            let at = Instant::now();
            // Join before placing photos, so none is made twice.
            photos.map(|h| h.join());
            let mut typeset = self.finish(
                loaded,
                options,
                document,
                warnings,
                &slots,
                data,
                Some(plan),
            )?;
            timings.push(("photos", at.elapsed()));
            timings.insert(0, ("check", checked));
            typeset.timings = timings;
            Ok(typeset)
        })
    }

    /// The measuring pass and the composer: the plan, each section's
    /// paragraphs, and how long each took.
    #[allow(clippy::type_complexity)]
    fn measure_and_compose(
        &mut self,
        loaded: &LoadedReport,
        options: &TypesetOptions,
        slots: &[PhotoSlot],
    ) -> Result<(SpreadPlan, Vec<Vec<String>>, Vec<(&'static str, Duration)>), Error> {
        let at = Instant::now();
        self.set_file("plan.json", Bytes::from_string(r#"{"mode":"measure"}"#));
        let (measuring, _) = self.compile(TEMPLATE, options)?;
        let report = &loaded.report;
        let paragraphs: Vec<Vec<String>> = report
            .sections
            .iter()
            .map(|s| report::paragraphs(&s.text))
            .collect();
        let measures = measure::read(&self.protocol(&measuring), |i, j| {
            paragraphs.get(i)?.get(j).cloned()
        })?;
        let geometry = measures
            .geometry
            .clone()
            .ok_or_else(|| Error::Internal("the template reported no grid".into()))?;
        let stories = stories(&paragraphs, &measures)?;
        let found = Found {
            geometry: &geometry,
            measures: &measures,
            stories: &stories,
            slots,
        };
        let input = input(report, options, &found, self.print_options());
        let measured = at.elapsed();
        let at = Instant::now();
        let composition = self.compose(&input).map_err(|err| match &err {
            compose::ComposeError::Photos(id) => {
                Error::Report(vec![loaded.field_error(id, err.to_string()).with_hint(
                    "drop a photo, move one to another section, or give the section more copy",
                )])
            }
            compose::ComposeError::Nothing => Error::Internal(err.to_string()),
        })?;
        let plan = SpreadPlan {
            composition,
            geometry,
            stories,
            credits: measures.depth("credits", 0, 0),
            measures,
        };
        let timings = vec![("measure", measured), ("compose", at.elapsed())];
        Ok((plan, paragraphs, timings))
    }
}

impl Typesetter {
    /// Composes, or reuses the last composition when nothing it was made
    /// from changed (most edits change no depth the composer plans on).
    fn compose(&mut self, input: &Input) -> Result<Composition, compose::ComposeError> {
        if let Some((last, composition)) = &self.composed
            && last == input
        {
            return Ok(composition.clone());
        }
        let composition = compose::compose(input)?;
        self.composed = Some((input.clone(), composition.clone()));
        Ok(composition)
    }
}

/// Makes each photo at the size the plan gives it (the store caches the
/// results for the pages' finishing).
fn prepare_photos(store: &PhotoStore, slots: &[PhotoSlot], sizes: &[(usize, (f64, f64))]) {
    for &(slot, size) in sizes {
        let _ = store.finalize(&slots[slot].info, size, slots[slot].focus);
    }
}

/// Each placed photo's image size in points, as the template places it:
/// the whole photo covering its slot (the slot then crops it).
fn photo_sizes(plan: &SpreadPlan, slots: &[PhotoSlot]) -> Vec<(usize, (f64, f64))> {
    let c = &plan.composition;
    let g = plan.geometry.grid();
    let cover = |slot: usize, (w, h): (f64, f64)| {
        let info = &slots[slot].info;
        let ratio = f64::from(info.width) / f64::from(info.height.max(1));
        let size = if w / h > ratio {
            (w, w / ratio)
        } else {
            (h * ratio, h)
        };
        (slot, size)
    };
    let mut out = Vec::new();
    if let Some(band) = c.band {
        out.push(cover(0, (g.span(g.cols), band.depth)));
    }
    for e in &c.elements {
        match e {
            Element::Photo {
                item, photo, at, ..
            } => {
                if let Content::Section(s) = &c.items[*item].content {
                    out.push(cover(s.photos[*photo].slot, (g.span(at.w), g.depth(at.h))));
                }
            }
            Element::Picture { item, at } => {
                if let Content::Picture(p) = &c.items[*item].content {
                    out.push(cover(p.slot, (g.span(at.w), g.depth(at.h))));
                }
            }
            _ => {}
        }
    }
    out
}

/// Each section's lines, paragraph after paragraph.
fn stories(paragraphs: &[Vec<String>], measures: &Measures) -> Result<Vec<Vec<StoryLine>>, Error> {
    let mut out = Vec::with_capacity(paragraphs.len());
    for (i, section) in paragraphs.iter().enumerate() {
        let mut story = Vec::new();
        for j in 0..section.len() {
            let lines = measures.lines(i, j).ok_or_else(|| {
                Error::Internal(format!("sections[{i}] paragraph {j} was not measured"))
            })?;
            let n = lines.len();
            story.extend(lines.iter().enumerate().map(|(k, &span)| StoryLine {
                paragraph: j,
                span,
                first: k == 0,
                last: k + 1 == n,
            }));
        }
        out.push(story);
    }
    Ok(out)
}

/// Lines at each span of a measured piece (`None` where not measured).
fn spans(grid: &Grid, measures: &Measures, kind: &str, index: usize) -> Vec<Option<u32>> {
    (0..=grid.cols)
        .map(|k| measures.depth(kind, index, k).map(|d| grid.lines_for(d)))
        .collect()
}

/// A box item: its air, and the widest it reads well (running text in a
/// data box or quote across more than half the page is hard to follow).
fn block(grid: &Grid, measures: &Measures, id: &str, kind: &str, index: usize) -> Item {
    let (grow, readable) = match kind {
        // Key figures take no air in the body: one row would only stand
        // taller than its numbers.
        "figures" => (0.0, grid.cols),
        // Rows of a data box and a quote's paragraphs may open further.
        "data_box" | "quote" => (2.0 * BOX_AIR, grid.cols.div_ceil(2)),
        // The lede's air would stand as an empty foot of its tinted box.
        "lede" => (0.0, grid.cols),
        _ => (BOX_AIR, grid.cols),
    };
    Item {
        id: id.into(),
        content: Content::Block(Block {
            natural: spans(grid, measures, kind, index),
            grow,
            readable,
        }),
    }
}

/// What the measuring pass and the photo check found.
#[derive(Clone, Copy)]
struct Found<'a> {
    geometry: &'a Geometry,
    measures: &'a Measures,
    stories: &'a [Vec<StoryLine>],
    slots: &'a [PhotoSlot],
}

/// What the composer needs, from the report, its measures and photos.
fn input(report: &Report, options: &TypesetOptions, found: &Found, photos: &PhotoOptions) -> Input {
    let Found {
        geometry,
        measures,
        stories,
        slots,
    } = *found;
    let grid = geometry.grid();
    let spread = options.pages.pages == Pages::Spread;
    let crops = super::compile::crop_limits(report);
    // Photos reach the target resolution; the banner's band, whose size is
    // the design's, may take it down to the warning level.
    let rules = PhotoRules {
        target_ppi: photos.target_ppi,
        min_ppi: photos.target_ppi,
    };
    let banner_ppi = photos.warn_ppi;
    let photo = |slot: usize, captioned: bool| Photo {
        slot,
        designed: (report.banner.is_some() && slot == 0).then_some((grid.cols, geometry.banner[1])),
        relaxed: false,
        min_ppi: (report.banner.is_some() && slot == 0).then_some(banner_ppi),
        pixels: (slots[slot].info.width, slots[slot].info.height),
        crop: crops
            .get(slot)
            .copied()
            .unwrap_or(super::compile::PHOTO_CROP),
        caption: (0..=grid.cols)
            .map(|k| {
                let depth = measures.depth("caption", slot, k).filter(|_| captioned);
                depth.map_or(0, |d| grid.lines_for(d))
            })
            .collect(),
    };
    let side = if spread {
        band_variants(measures)
    } else {
        Vec::new()
    };
    let banner = report.banner.as_ref().map(|_| Banner {
        photo: photo(0, false),
        bounds: (geometry.banner[0], geometry.banner[1], geometry.banner[2]),
        side: side.iter().map(|v| v.2).collect(),
    });
    let mut openers = Vec::new();
    if report.lede.is_some() {
        openers.push(block(&grid, measures, "lede", "lede", 0));
    }
    if !report.figures.is_empty() {
        openers.push(block(&grid, measures, "figures", "figures", 0));
    }
    let mut body = Vec::new();
    let mut slot = usize::from(report.banner.is_some());
    for (i, section) in report.sections.iter().enumerate() {
        let photos = section
            .photos
            .iter()
            .map(|p| {
                slot += 1;
                photo(slot - 1, !p.caption.is_empty() || !p.credit.is_empty())
            })
            .collect();
        let heading = spans(&grid, measures, "heading", i)
            .into_iter()
            .map(|l| l.unwrap_or(u32::MAX / 4))
            .collect();
        body.push(Item {
            id: format!("sections[{i}]"),
            content: Content::Section(Section {
                heading,
                lines: stories[i].len() as u32,
                photos,
                side: if i % 2 == 0 { Side::Right } else { Side::Left },
            }),
        });
        // Charts stand after the first section.
        if i == 0 {
            for c in 0..report.charts.iter().filter(|c| c.in_spread).count() {
                body.push(block(&grid, measures, &format!("charts[{c}]"), "chart", c));
            }
        }
    }
    if report.data_box.is_some() {
        body.push(block(&grid, measures, "data_box", "data_box", 0));
    }
    if report.quote.is_some() {
        body.push(block(&grid, measures, "quote", "quote", 0));
    }
    let credits = measures
        .depth("credits", 0, 0)
        .map_or(0, |d| grid.lines_for(d) + GAP);
    Input {
        grid,
        rules,
        frame: Frame {
            type_height: geometry.type_height,
            head: geometry.head,
            headline: measures.depth("headline", 0, 0).unwrap_or(0.0),
            band_gap: geometry.band_gap,
            headline_gap: geometry.headline_gap,
            credits,
            pages: if spread { 2 } else { 1 },
        },
        banner,
        openers,
        body,
    }
}

/// The measured ways to set the band's side: (lede sub-columns, figures a
/// row, depth).
fn band_variants(measures: &Measures) -> Vec<(usize, u32, f64)> {
    let mut out = Vec::new();
    for n in 1..=3 {
        for r in 1..=4 {
            if let Some(depth) = measures.depth("band-side", n, r) {
                out.push((n, r, depth));
            }
        }
    }
    out
}

/// The plan as the template reads it: every element in points from the
/// type area's top left, each leg with the text of its lines.
fn plan_json(report: &Report, plan: &SpreadPlan, paragraphs: &[Vec<String>]) -> Value {
    let c = &plan.composition;
    let g = plan.geometry.grid();
    let pages: Vec<Value> = c
        .lines
        .iter()
        .enumerate()
        .map(|(page, _)| {
            let elements: Vec<Value> = c
                .elements
                .iter()
                .filter(|e| e.at().page == page)
                .map(|e| element_json(report, plan, paragraphs, &g, e))
                .collect();
            let last = page + 1 == c.lines.len();
            let credits = plan.credits.filter(|_| last);
            json!({
                "elements": elements,
                "credits": credits.map(|depth| plan.geometry.type_height - depth),
            })
        })
        .collect();
    let variants = band_variants(&plan.measures);
    let band = c.band.map(|b| {
        let (n, r, _) = b
            .side
            .and_then(|i| variants.get(i).copied())
            .unwrap_or((3, 4, 0.0));
        json!({ "depth": b.depth, "lede-cols": n, "per-row": r })
    });
    json!({
        "mode": "draw",
        "band": band,
        "headline-top": c.headline_top,
        "pages": pages,
    })
}

fn element_json(
    report: &Report,
    plan: &SpreadPlan,
    paragraphs: &[Vec<String>],
    g: &Grid,
    e: &Element,
) -> Value {
    let c = &plan.composition;
    let at = e.at();
    let x = g.x(at.x);
    let y = c.body_top + f64::from(at.y) * g.pitch;
    let (w, h) = (g.span(at.w), g.depth(at.h));
    let id = |item: usize| c.items[item].id.as_str();
    match e {
        Element::Heading { item, .. } => {
            json!({ "kind": "heading", "index": c.items[*item].index(), "x": x, "y": y, "w": w })
        }
        Element::Leg { item, lines, .. } => {
            let section = c.items[*item].index();
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
            "kind": "photo", "index": c.items[*item].index(), "photo": photo,
            "x": x, "y": y, "w": w, "h": h,
            "caption": caption, "caption-y": y + f64::from(at.h) * g.pitch,
        }),
        Element::Picture { .. } => json!({ "kind": "picture", "x": x, "y": y, "w": w, "h": h }),
        Element::Block { item, natural, .. } => {
            let name = id(*item);
            let kind = if name.starts_with("charts[") {
                "chart"
            } else {
                name
            };
            json!({
                "kind": kind, "index": c.items[*item].index(), "span": at.w,
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
            let text = paragraphs[section][l.paragraph][l.span.start..l.span.end].trim();
            json!({ "text": text, "indent": l.first, "justify": !l.last, "jump": null, "page": null })
        }
        LineRef::JumpDown => json!({ "jump": "down", "page": number(page + 1) }),
        LineRef::JumpUp => json!({ "jump": "up", "page": page.checked_sub(1).and_then(number) }),
    }
}
