//! Drawing the spread ahead of its measure, in a long-lived typesetter (a
//! watch).
//!
//! Most edits change no line the composer plans with (a figure, a caption,
//! a word for a word as long, a photo's bytes), and the plan comes out as
//! it was. So while another thread measures and composes an edit, the
//! build's thread draws the new report with the last build's plan (its
//! lines cut where they were, and its PDF made), with a typesetter of its
//! own. When the new plan is the same (the bytes of `plan.json`, the
//! photos' sizes and the photos left off), those pages are the ones the
//! drawing pass would make, and are used; when not, the measuring thread
//! draws the new plan as ever, and the pages drawn ahead are dropped.
//!
//! The drawing stays on the build's thread, and the measure moves: a
//! drawing's memory (its PDF's above all) is then taken where it always
//! is. The other way round, the watch kept 25-30 MB more (another
//! allocator arena's worth); this way, 1-3 MB (and the measuring pool's
//! threads, below, 3-7 MB).
//!
//! A drawing is a function of the templates, the fonts, `report.json`, the
//! photo stand-ins and `plan.json` alone, all of which both typesetters
//! are given alike, so the output is the same bytes either way.

use std::sync::OnceLock;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use typst::foundations::Bytes;

use super::{SpreadPlan, draw, draw_plan, photo_sizes, plan, pulls};
use crate::Error;
use crate::compose::items::Content;
use crate::report::{self, LoadedReport};
use crate::typeset::data::PhotoSlot;
use crate::typeset::{Typeset, TypesetOptions, Typesetter};

/// The PDF a build makes of the drawn spread, made ahead with it.
pub type Export<'a> = &'a (dyn Fn(&Typeset) -> Result<Vec<u8>, Error> + Sync);

/// A typesetter to draw ahead with, and the last build's plan.
pub struct Ahead {
    pub(super) drawer: Typesetter,
    pub(super) plan: SpreadPlan,
}

/// What a drawing pass is drawn from, beside the report and the templates.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Key {
    /// `plan.json`.
    plan: Bytes,
    /// Each placed photo's slot and size, as the composer sized it.
    pub(super) sizes: Vec<(usize, (f64, f64))>,
    /// The photo slots of the stories left off.
    pub(super) left_off: Vec<usize>,
}

impl Key {
    /// What `plan` is drawn from.
    pub(super) fn of(
        loaded: &LoadedReport,
        options: &TypesetOptions,
        plan: &SpreadPlan,
        paragraphs: &[Vec<String>],
        slots: &[PhotoSlot],
    ) -> Self {
        let drawn = draw_plan(&loaded.report, plan, paragraphs, options.proof);
        // Every photo is placed, but those of the stories the composer
        // had to leave off (reported as overset).
        let c = &plan.composition;
        let left_off = c
            .dropped
            .iter()
            .flat_map(|(item, _)| match &c.items[*item].content {
                Content::Section(section) => section.photos.iter().map(|p| p.slot).collect(),
                Content::Picture(photo) => vec![photo.slot],
                Content::Block(_) => Vec::new(),
            })
            .collect();
        Self {
            plan: Bytes::new(plan::to_json(&drawn)),
            sizes: photo_sizes(plan, slots),
            left_off,
        }
    }

    /// `plan.json`'s bytes.
    pub(super) fn plan(&self) -> Bytes {
        self.plan.clone()
    }
}

/// The pages drawn, how long that took, and their PDF when made.
pub(super) type Drawn = (Typeset, Vec<(&'static str, Duration)>, Option<Vec<u8>>);

impl Ahead {
    /// Draws the last plan with the report `data` and `slots` (and makes
    /// its PDF), having first sent what it draws to `drawing`; sends
    /// nothing and draws nothing when the last plan does not fit the
    /// report (its stories' lines would cut its paragraphs elsewhere than
    /// at characters' bounds). Gives itself back, and the pages unless
    /// they failed.
    pub(super) fn draw(
        mut self,
        loaded: &LoadedReport,
        options: &TypesetOptions,
        slots: &[PhotoSlot],
        data: &Bytes,
        export: Option<Export<'_>>,
        drawing: Sender<Key>,
    ) -> (Self, Option<Drawn>) {
        let paragraphs: Vec<Vec<String>> = loaded
            .report
            .sections
            .iter()
            .map(|s| report::paragraphs(&s.text))
            .collect();
        if !fits(&self.plan, &paragraphs) {
            return (self, None);
        }
        // The pull quotes are the report's, as the new plan's are.
        self.plan.pulls = pulls(&loaded.report);
        let key = Key::of(loaded, options, &self.plan, &paragraphs, slots);
        let _ = drawing.send(key.clone());
        drop(drawing);
        let drawer = &mut self.drawer;
        drawer.serve(data.clone(), slots);
        let drawn = draw(drawer, loaded, options, slots, data, &key, true);
        let drawn = drawn.ok().map(|(typeset, drew, placed)| {
            let mut timings = vec![("draw ahead", drew), ("photos", placed)];
            let at = Instant::now();
            // A PDF that failed is made again, and fails, the way every
            // build makes it.
            let pdf = export.and_then(|export| export(&typeset).ok());
            if pdf.is_some() {
                timings.push(("pdf ahead", at.elapsed()));
            }
            (typeset, timings, pdf)
        });
        (self, drawn)
    }
}

/// Whether each line of `plan`'s stories is a run of whole characters of
/// its paragraph in `paragraphs`.
fn fits(plan: &SpreadPlan, paragraphs: &[Vec<String>]) -> bool {
    plan.stories.len() == paragraphs.len()
        && plan
            .stories
            .iter()
            .zip(paragraphs)
            .all(|(story, paragraphs)| {
                story.iter().all(|l| {
                    let paragraph = paragraphs.get(l.paragraph);
                    paragraph.is_some_and(|p| p.get(l.span.start..l.span.end).is_some())
                })
            })
}

/// The threads an edit is measured and composed on while the build's
/// thread draws ahead, at a lower scheduling priority: the drawing and
/// its PDF are the edit's critical path, and the measure (done some 13 ms
/// before them on two cores) has time to spare. Typst lays out on the
/// pool its work is started from, so the measure's page layouts stay on
/// these threads. `None` where the pool cannot be made.
pub(super) fn measuring_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .thread_name(|i| format!("banmian-measure-{i}"))
            .start_handler(|_| lower_priority())
            .build()
            .ok()
    })
    .as_ref()
}

/// Lowers this thread's scheduling priority (its nice value, by 10).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 10);
    }
}
