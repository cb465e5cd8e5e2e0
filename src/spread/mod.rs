//! The spread: measure every piece in Typst, compose the pages in Rust
//! ([`crate::compose`]), then draw the plan in Typst. It drives the
//! typesetter as the deck does, and gives its typeset pages and the plan
//! ([`Spread`]).
//!
//! Both passes compile `spread.typ`; `plan.json` tells it which: in the
//! measuring pass it holds only `{"mode": "measure"}`, in the drawing pass
//! the plan. The report itself (`report.json`) is the same for both, so
//! Typst reuses the layout of every piece the plan does not change.

use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use typst::foundations::Bytes;

use crate::Error;
use crate::compose::grid::{Grid, Ink, Photo, PhotoRules};
use crate::compose::items::{Block, Content, GAP, Item, ItemId, Pull, Section, Side, cost};
use crate::compose::place::Element;
use crate::compose::solve::Reserve;
use crate::compose::{self, Banner, Composition, Frame, Input};
use crate::report::{self, LoadedReport, Report, ReservedPlace};
use crate::words::Words;

use crate::assets::photos::{PhotoOptions, PhotoStore};
use crate::typeset::bounds::Cells;
use crate::typeset::data::{Pages, PhotoSlot};
use crate::typeset::headline::{self, Fitted};
use crate::typeset::measure::{Geometry, LineSpan, Measures};
use crate::typeset::measure_cache::MeasureCache;
use crate::typeset::protocol::{Kind, Placed};
use crate::typeset::{Medium, Typeset, TypesetOptions, Typesetter};

mod ahead;
mod plan;

pub use ahead::{Ahead, Export};
pub use plan::{DrawPlan, MeasurePlan, draw_plan};

use ahead::Key;

/// The template.
pub const TEMPLATE: &str = "spread.typ";

/// A typeset spread: its pages and what the composer decided.
pub struct Spread {
    /// The laid-out pages, with final photos.
    pub typeset: Typeset,
    /// What the composer decided and how good it is.
    pub plan: SpreadPlan,
}

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
    /// The main headline, fitted.
    pub headline: Fitted,
    /// Each section's pull quote, when it may have one.
    pub pulls: Vec<Option<String>>,
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

/// Measures, composes and draws the spread. Photos that need making
/// (cropped or downsampled) are made on another thread while Typst draws,
/// once the composer has sized them.
pub fn typeset(
    typesetter: &mut Typesetter,
    loaded: &LoadedReport,
    options: &TypesetOptions,
) -> Result<Spread, Error> {
    let cells = cells(typesetter, options)?;
    typeset_with(typesetter, loaded, options, &cells)
}

/// [`typeset`], with what the template's grid holds already read (a
/// build reads it once, for the spread and the deck).
pub fn typeset_with(
    typesetter: &mut Typesetter,
    loaded: &LoadedReport,
    options: &TypesetOptions,
    cells: &Cells,
) -> Result<Spread, Error> {
    typeset_inner(typesetter, None, loaded, options, cells, None).map(|(spread, _)| spread)
}

/// [`typeset_with`] for a long-lived typesetter (a watch): while another
/// thread measures and composes the edit, the last build's plan (kept in
/// `ahead`, with a typesetter to draw it) is drawn with the new report
/// (and made a PDF by `export`), and used when the plan comes out the same
/// (see [`Ahead`]). Gives the spread and, when drawn ahead, `export`'s
/// bytes of it.
pub fn typeset_ahead(
    typesetter: &mut Typesetter,
    ahead: &mut Option<Ahead>,
    loaded: &LoadedReport,
    options: &TypesetOptions,
    cells: &Cells,
    export: Option<Export<'_>>,
) -> Result<(Spread, Option<Vec<u8>>), Error> {
    typeset_inner(typesetter, Some(ahead), loaded, options, cells, export)
}

/// The spread measured, composed and drawn; with a `slot` to keep the
/// last plan in, drawn ahead from it (and made a PDF by `export`).
fn typeset_inner(
    typesetter: &mut Typesetter,
    slot: Option<&mut Option<Ahead>>,
    loaded: &LoadedReport,
    options: &TypesetOptions,
    cells: &Cells,
    export: Option<Export<'_>>,
) -> Result<(Spread, Option<Vec<u8>>), Error> {
    let started = Instant::now();
    crate::typeset::bounds::spread(loaded, cells).map_err(|e| Error::Report(vec![e]))?;
    let slots = typesetter.check(loaded)?;
    let checked = started.elapsed();
    let data = typesetter.load_data(loaded, options, &slots, false);
    let early = !options.measure_only && options.medium == Medium::Print;
    let two_cores = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    let mut slot = slot.filter(|_| early && two_cores && !typesetter.is_one_shot());
    let last = slot.as_mut().and_then(|slot| slot.take());
    let (Some(slot), Some(last)) = (slot.as_deref_mut(), last) else {
        // Drawn once measured and composed.
        let (plan, paragraphs, mut timings) =
            measure_and_compose(typesetter, loaded, options, &slots, &data)?;
        timings.insert(0, ("check", checked));
        let key = Key::of(loaded, options, &plan, &paragraphs, &slots);
        let drawn = draw(typesetter, loaded, options, &slots, &data, &key, early);
        if let Some(slot) = slot {
            let drawer = typesetter.sibling();
            let plan = plan.clone();
            *slot = Some(Ahead { drawer, plan });
        }
        let (mut typeset, drew, placed) = drawn?;
        timings.extend([("draw", drew), ("photos", placed)]);
        typeset.timings = timings;
        return Ok((Spread { typeset, plan }, None));
    };
    // This thread draws the last plan while another measures and composes
    // the edit (and draws it, when its plan is another): the memory a
    // drawing and its PDF take is this thread's, as after a measure.
    let (drawing, drawn_key) = channel();
    let (ahead, composed) = std::thread::scope(|scope| {
        let (slots, data, typesetter) = (&slots, &data, &mut *typesetter);
        let measuring = scope.spawn(move || {
            let mut measure = || measure_and_compose(typesetter, loaded, options, slots, data);
            let (plan, paragraphs, timings) = match ahead::measuring_pool() {
                Some(pool) => pool.install(measure),
                None => measure(),
            }?;
            let key = Key::of(loaded, options, &plan, &paragraphs, slots);
            let own = match drawn_key.recv() {
                Ok(drawn) if drawn == key => None,
                _ => Some(draw(typesetter, loaded, options, slots, data, &key, early)),
            };
            Ok::<_, Error>((plan, timings, key, own))
        });
        let ahead = last.draw(loaded, options, slots, data, export, drawing);
        let composed = measuring.join();
        (ahead, composed)
    });
    let (mut ahead, drawn) = ahead;
    let composed = composed.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let (plan, mut timings, key, own) = match composed {
        Ok(composed) => composed,
        Err(error) => {
            // The last plan stays the one to draw ahead from.
            *slot = Some(ahead);
            return Err(error);
        }
    };
    timings.insert(0, ("check", checked));
    ahead.plan = plan.clone();
    *slot = Some(ahead);
    let (mut typeset, more, pdf) = match (own, drawn) {
        (None, Some(drawn)) => drawn,
        // Drawn here (the plan is another), or drawn ahead and failed.
        (own, _) => {
            let own = own
                .unwrap_or_else(|| draw(typesetter, loaded, options, &slots, &data, &key, early));
            let (typeset, drew, placed) = own?;
            (typeset, vec![("draw", drew), ("photos", placed)], None)
        }
    };
    timings.extend(more);
    typeset.timings = timings;
    Ok((Spread { typeset, plan }, pdf))
}

/// The drawing pass of `key`'s plan: its photos made meanwhile (for
/// print, once the composer has sized them), the pages compiled, the
/// photos placed; and how long it took to draw and to place.
fn draw(
    typesetter: &mut Typesetter,
    loaded: &LoadedReport,
    options: &TypesetOptions,
    slots: &[PhotoSlot],
    data: &Bytes,
    key: &Key,
    early: bool,
) -> Result<(Typeset, Duration, Duration), Error> {
    let store = typesetter.print_store();
    std::thread::scope(|scope| {
        let photos = early.then(|| {
            let (store, sizes) = (&store, &key.sizes);
            scope.spawn(move || prepare_photos(store, slots, sizes))
        });
        typesetter.set_file("plan.json", key.plan());
        let at = Instant::now();
        let compiled = typesetter.compile(TEMPLATE, options);
        let drew = at.elapsed();
        let at = Instant::now();
        // Joined before placing photos, so none is made twice.
        photos.map(|h| h.join());
        let (document, warnings) = compiled?;
        let (data, left_off) = (data.clone(), &key.left_off);
        let typeset =
            typesetter.finish(loaded, options, document, warnings, slots, data, left_off)?;
        Ok((typeset, drew, at.elapsed()))
    })
}

/// What the template's grid holds on the pages (its `geometry` pass),
/// to refuse a report far beyond them before any of it is measured.
pub fn cells(typesetter: &mut Typesetter, options: &TypesetOptions) -> Result<Cells, Error> {
    let geometry: Geometry = typesetter.geometry(TEMPLATE, options, false)?;
    Ok(Cells::of(&geometry, options.pages.pages))
}

/// The measuring pass and the composer: the plan, each section's
/// paragraphs, and how long each took.
#[allow(clippy::type_complexity)]
fn measure_and_compose(
    typesetter: &mut Typesetter,
    loaded: &LoadedReport,
    options: &TypesetOptions,
    slots: &[PhotoSlot],
    data: &[u8],
) -> Result<(SpreadPlan, Vec<Vec<String>>, Vec<(&'static str, Duration)>), Error> {
    let at = Instant::now();
    let report = &loaded.report;
    let splits = headline::splits(&report.headline.title);
    if splits.len() > 1 && !report.headline.title.chars().any(char::is_whitespace) {
        // The fold falls between words: segmenting them needs a
        // dictionary, made ready while Typst measures.
        Words::prepare(vec![report.headline.title.clone()]);
    }
    let pulls = pulls(report);
    let paragraphs: Vec<Vec<String>> = report
        .sections
        .iter()
        .map(|s| report::paragraphs(&s.text))
        .collect();
    // After a build in the same design, only the pieces an edit changed
    // are measured again.
    let design = typesetter.design();
    let pieces = crate::typeset::pieces::Pieces::of(data, &splits, &pulls, design);
    let only = pieces.as_ref().and_then(|p| typesetter.measured.changed(p));
    let (found, measuring) = match &only {
        Some(only) if only.is_empty() => (Measures::default(), "measures kept"),
        _ => {
            let asked = MeasurePlan {
                mode: "measure",
                title: &splits,
                pulls: &pulls,
                only: only.clone(),
            };
            let (found, cached) = typesetter.measure(
                TEMPLATE,
                options,
                Bytes::new(plan::to_json(&asked)),
                |i, j| paragraphs.get(i)?.get(j).cloned(),
            )?;
            let measuring = match (cached, &only) {
                (true, _) => "measures cached",
                (false, Some(_)) => "measure changed",
                (false, None) => "measure",
            };
            (found, measuring)
        }
    };
    let measures = match &pieces {
        Some(pieces) => typesetter.measured.update(pieces, found, only.is_some()),
        None => {
            typesetter.measured = Default::default();
            found
        }
    };
    let geometry = measures
        .geometry
        .clone()
        .ok_or_else(|| Error::Internal("the template reported no grid".into()))?;
    let stories = stories(&paragraphs, &measures)?;
    let spread = options.pages.pages == Pages::Spread;
    let headline = headline::fit(&splits, &measures, &geometry, spread, |title| {
        Words::for_texts(&[title]).boundaries(title)
    });
    let found = Found {
        geometry: &geometry,
        measures: &measures,
        stories: &stories,
        slots,
        headline: headline.depth,
    };
    let input = input(report, options, &found, typesetter.print_options());
    let input = match input {
        Ok(input) => input,
        Err((field, message, hint)) => {
            return Err(Error::Report(vec![
                loaded.field_error(&field, message).with_hint(hint),
            ]));
        }
    };
    let measured = at.elapsed();
    let at = Instant::now();
    let (composition, cached) = compose(typesetter, &input).map_err(|err| match &err {
        compose::ComposeError::Photos(id) => Error::Report(vec![
            loaded.field_error(&id.field(), err.to_string()).with_hint(
                "drop a photo, move one to another section, or give the section more copy",
            ),
        ]),
        compose::ComposeError::Nothing => Error::Internal(err.to_string()),
    })?;
    let plan = SpreadPlan {
        composition,
        geometry,
        stories,
        credits: measures.depth(Kind::Credits, 0, 0),
        measures,
        headline,
        pulls,
    };
    let composing = if cached {
        "composition cached"
    } else {
        "compose"
    };
    let timings = vec![(measuring, measured), (composing, at.elapsed())];
    Ok((plan, paragraphs, timings))
}

/// Each section's pull quote, when the report has them and the section
/// one to pull.
fn pulls(report: &Report) -> Vec<Option<String>> {
    report
        .sections
        .iter()
        .map(|s| {
            report
                .layout
                .pull_quotes
                .then(|| crate::typeset::pull::candidate(&s.text))
                .flatten()
        })
        .collect()
}

/// The composition of `input`: the last build's when it was composed from
/// the same (most edits change no depth the composer plans on; the
/// typesetter keeps it between builds), else one cached on disk for it (a
/// known report), else composed (and then cached); and whether it came
/// from the disk.
fn compose(
    typesetter: &mut Typesetter,
    input: &Input,
) -> Result<(Composition, bool), compose::ComposeError> {
    if let Some((last, composition)) = &typesetter.kept
        && last == input
    {
        return Ok((composition.clone(), false));
    }
    // Keyed by the input's every number as JSON (floats read back exactly);
    // with no cache, not worked out at all.
    let key = typesetter
        .cache()
        .is_on()
        .then(|| serde_json::to_vec(input).ok())
        .flatten()
        .map(|json| MeasureCache::other_key(&json));
    let cached = key.and_then(|key| typesetter.cache().load_other(COMPOSITIONS, key));
    let from_disk = cached.is_some();
    let composition = match cached {
        Some(composition) => composition,
        None => {
            let composition = compose::compose(input)?;
            if let Some(key) = key {
                typesetter
                    .cache()
                    .store_other(COMPOSITIONS, key, &composition);
            }
            composition
        }
    };
    typesetter.kept = Some((input.clone(), composition.clone()));
    Ok((composition, from_disk))
}

/// The cache folder of compositions, beside the measures'.
const COMPOSITIONS: &str = "compositions";

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
    if let Some(band) = &c.band {
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

/// Lines at each span of a measured piece (`None` where not measured), in
/// a type variant.
fn spans(
    grid: &Grid,
    measures: &Measures,
    kind: Kind,
    index: usize,
    variant: usize,
) -> Vec<Option<u32>> {
    (0..=grid.cols)
        .map(|k| {
            measures
                .depth_in(kind, index, k, variant)
                .map(|d| grid.lines_for(d))
        })
        .collect()
}

/// A box item, in every type variant the theme allows: its air, and the
/// widest it reads well (running text in a data box or quote across more
/// than half the page is hard to follow).
fn block(geometry: &Geometry, measures: &Measures, id: ItemId) -> Item {
    let grid = geometry.grid();
    let index = id.index();
    let kind = box_kind(id).expect("only boxes are made into blocks");
    // A chart's bars across the whole page stand mostly empty.
    let readable = match kind {
        Kind::DataBox | Kind::Quote => grid.cols.div_ceil(2),
        Kind::Chart => grid.cols.div_ceil(2) + 1,
        _ => grid.cols,
    };
    let scales = &geometry.box_scales;
    Item {
        id,
        content: Content::Block(Block {
            natural: (0..scales.len())
                .map(|v| spans(&grid, measures, kind, index, v))
                .collect(),
            steps: scales.iter().map(|&s| type_step(s)).collect(),
            air: geometry.box_air,
            readable,
            ink: (0..scales.len())
                .map(|v| inks(&grid, measures, kind, index, v))
                .collect(),
        }),
    }
}

/// The kind a box item is measured and drawn as (`None` for the banner
/// and a section, which are not boxes).
pub(crate) fn box_kind(id: ItemId) -> Option<Kind> {
    match id {
        ItemId::Lede => Some(Kind::Lede),
        ItemId::Figures => Some(Kind::Figures),
        ItemId::DataBox => Some(Kind::DataBox),
        ItemId::Quote => Some(Kind::Quote),
        ItemId::Chart(_) => Some(Kind::Chart),
        ItemId::Banner | ItemId::Section(_) => None,
    }
}

/// Which cells a measured piece inks at each span.
fn inks(
    grid: &Grid,
    measures: &Measures,
    kind: Kind,
    index: usize,
    variant: usize,
) -> Vec<Option<Ink>> {
    (0..=grid.cols)
        .map(|k| measures.ink(kind, index, k, variant).cloned())
        .collect()
}

/// What setting a box at `scale` of its designed type costs per cell: a
/// step for every 6 % off.
fn type_step(scale: f64) -> f64 {
    cost::TYPE_STEP * (scale.ln().abs() / 1.06f64.ln())
}

/// What the measuring pass and the photo check found.
#[derive(Clone, Copy)]
struct Found<'a> {
    geometry: &'a Geometry,
    measures: &'a Measures,
    stories: &'a [Vec<StoryLine>],
    slots: &'a [PhotoSlot],
    /// The fitted headline's depth.
    headline: f64,
}

/// A problem with the report found while planning: its field, message
/// and hint.
type Refusal = (String, String, String);

/// What the composer needs, from the report, its measures and photos.
fn input(
    report: &Report,
    options: &TypesetOptions,
    found: &Found,
    photos: &PhotoOptions,
) -> Result<Input, Refusal> {
    let Found {
        geometry,
        measures,
        slots,
        headline,
        ..
    } = *found;
    let grid = geometry.grid();
    let spread = options.pages.pages == Pages::Spread;
    let crops = crate::typeset::photos::crop_limits(report, geometry.crop);
    // Photos reach the target resolution and grow at most to the theme's
    // share of the type area; the banner's band, whose size is the
    // design's, may take it down to the warning level.
    let rules = PhotoRules {
        target_ppi: photos.target_ppi,
        min_ppi: photos.target_ppi,
        max_area: geometry.photo_share * grid.span(grid.cols) * geometry.type_height,
    };
    let banner_ppi = photos.warn_ppi;
    let has_banner = report.banner.is_some();
    // The lead pictures: the banner, and the first story's first photo.
    let lead = usize::from(has_banner);
    let first_has_photo = report
        .sections
        .first()
        .is_some_and(|s| !s.photos.is_empty());
    let photo = |slot: usize, captioned: bool| Photo {
        slot,
        designed: (has_banner && slot == 0).then_some((grid.cols, geometry.banner[1])),
        relaxed: false,
        min_ppi: (has_banner && slot == 0).then_some(banner_ppi),
        lead: (has_banner && slot == 0) || (slot == lead && first_has_photo),
        pixels: (slots[slot].info.width, slots[slot].info.height),
        crop: crops.get(slot).copied().unwrap_or(geometry.crop.photo),
        caption: (0..=grid.cols)
            .map(|k| {
                let depth = measures.depth(Kind::Caption, slot, k).filter(|_| captioned);
                depth.map_or(0, |d| grid.lines_for(d))
            })
            .collect(),
        caption_ink: inks(&grid, measures, Kind::Caption, slot, 0),
    };
    let banner = report.banner.as_ref().map(|_| Banner {
        photo: photo(0, false),
        bounds: (geometry.banner[0], geometry.banner[1], geometry.banner[2]),
    });
    // The boxes the report has, as the template orders them.
    let boxed = |placed: Placed| {
        let id = match placed {
            Placed::Lede => report.lede.is_some().then_some(ItemId::Lede),
            Placed::Figures => (!report.figures.is_empty()).then_some(ItemId::Figures),
            Placed::DataBox => report.data_box.is_some().then_some(ItemId::DataBox),
            Placed::Quote => report.quote.is_some().then_some(ItemId::Quote),
            Placed::Sections => None,
        };
        id.map(|id| block(geometry, measures, id))
    };
    let order = &geometry.order;
    let openers = order.openers.iter().filter_map(|&p| boxed(p)).collect();
    let charts = report.charts.iter().filter(|c| c.in_spread).count();
    let charts_after = (order.charts_after as usize).min(report.sections.len());
    let chart_items = || (0..charts).map(|c| block(geometry, measures, ItemId::Chart(c)));
    let mut body = Vec::new();
    for &placed in &order.body {
        if placed != Placed::Sections {
            body.extend(boxed(placed));
            continue;
        }
        let mut slot = usize::from(has_banner);
        if charts_after == 0 {
            body.extend(chart_items());
        }
        for (i, section) in report.sections.iter().enumerate() {
            body.push(section_item(found, i, section, &mut slot, &photo));
            if i + 1 == charts_after {
                body.extend(chart_items());
            }
        }
    }
    let credits = measures
        .depth(Kind::Credits, 0, 0)
        .map_or(0, |d| grid.lines_for(d) + GAP);
    let pages = if spread { 2 } else { 1 };
    Ok(Input {
        grid,
        rules,
        frame: Frame {
            type_height: geometry.type_height,
            head: geometry.head,
            headline,
            band_gap: geometry.band_gap,
            headline_gap: geometry.headline_gap,
            credits,
            pages,
        },
        banner,
        openers,
        fillers: body
            .iter()
            .enumerate()
            .filter(|(_, item)| matches!(item.id, ItemId::Chart(_)))
            .map(|(i, _)| i)
            .collect(),
        body,
        reserved: reserved(report, grid.cols, pages)?,
    })
}

/// A story as the composer takes it: its heading's depth at each span,
/// its lines, photos (from slot `slot` on, which it moves past them) and
/// pull quote.
fn section_item(
    found: &Found,
    i: usize,
    section: &report::Section,
    slot: &mut usize,
    photo: &impl Fn(usize, bool) -> Photo,
) -> Item {
    let Found {
        geometry,
        measures,
        stories,
        ..
    } = *found;
    let grid = geometry.grid();
    let photos = section
        .photos
        .iter()
        .map(|p| {
            *slot += 1;
            photo(*slot - 1, !p.caption.is_empty() || !p.credit.is_empty())
        })
        .collect();
    // The story's opening has no subhead: nothing to measure, no depth.
    let heading = if section.heading.is_empty() {
        vec![0; grid.cols as usize + 1]
    } else {
        spans(&grid, measures, Kind::Heading, i, 0)
            .into_iter()
            .map(|l| l.unwrap_or(u32::MAX / 4))
            .collect()
    };
    let [least, most] = geometry.pull;
    let pull = spans(&grid, measures, Kind::Pull, i, 0);
    let pull = pull.iter().any(Option::is_some).then(|| Pull {
        lines: pull
            .into_iter()
            .map(|l| l.filter(|l| (least..=most).contains(l)))
            .collect(),
        ink: inks(&grid, measures, Kind::Pull, i, 0),
    });
    Item {
        id: ItemId::Section(i),
        content: Content::Section(Section {
            heading,
            lines: stories[i].len() as u32,
            photos,
            side: if i.is_multiple_of(2) {
                Side::Right
            } else {
                Side::Left
            },
            pull,
            heading_ink: inks(&grid, measures, Kind::Heading, i, 0),
        }),
    }
}

/// The report's reserved areas on the grid, page by page.
fn reserved(report: &Report, cols: u32, pages: usize) -> Result<Vec<Vec<Reserve>>, Refusal> {
    let mut out = vec![Vec::new(); pages];
    for (id, r) in report.reserved.iter().enumerate() {
        let field = |f: &str| format!("reserved[{id}].{f}");
        let page = r.page as usize;
        if page == 0 || page > pages {
            return Err((
                field("page"),
                format!("page {page} is not on a single page"),
                "reserve it on page 1, or lay the report out as a spread".into(),
            ));
        }
        if r.columns > cols {
            return Err((
                field("columns"),
                format!("{} columns is wider than the page's {cols}", r.columns),
                format!("reserve at most {cols} columns"),
            ));
        }
        let x = match r.place {
            ReservedPlace::Foot => (cols - r.columns) / 2,
            ReservedPlace::FootLeft | ReservedPlace::TopLeft => 0,
            ReservedPlace::FootRight | ReservedPlace::TopRight => cols - r.columns,
        };
        let top = matches!(r.place, ReservedPlace::TopLeft | ReservedPlace::TopRight);
        out[page - 1].push(Reserve {
            x,
            w: r.columns,
            h: r.lines,
            top,
            id,
        });
    }
    Ok(out)
}
