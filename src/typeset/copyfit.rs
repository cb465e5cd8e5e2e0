//! Copyfitting beyond what one layout pass does.
//!
//! The template already fits copy within a designer's bounds: it picks
//! section shapes (how many columns the text and the photo span), moves
//! blocks between the pages and sizes photos and chart bars within their
//! limits, and reports each size it moved away from its design. What it
//! cannot do in one pass is change the body leading, because every block
//! is measured on the pitch. So when the copy still runs over (or leaves a
//! hole), the layout is tried again with the pitch up to 3 % tighter (or
//! looser), and the best fit wins. Beyond that the overset is reported,
//! never hidden by smaller type or cut copy.

use crate::Error;
use crate::report::LoadedReport;

use super::compile::{Adjustment, Typeset, TypesetOptions, Typesetter};
use super::data::LEADING_RANGE;

/// Empty lines at a page's foot that count as a hole (underset).
pub const UNDERSET_LINES: u32 = 3;

/// How badly a layout misses its pages: lines over, then lines of hole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Misfit {
    /// Lines of copy beyond the pages' feet, summed over the pages.
    pub over: u32,
    /// The largest hole at a page's foot, in lines.
    pub under: u32,
}

impl Misfit {
    /// Measures a layout.
    pub fn of(typeset: &Typeset) -> Self {
        let pages = typeset
            .flows
            .iter()
            .map(|f| f.page)
            .max()
            .map_or(0, |p| p + 1);
        let over = (0..pages)
            .map(|page| {
                typeset
                    .flows
                    .iter()
                    .filter(|f| f.page == page)
                    .map(|f| f.lines_over())
                    .max()
                    .unwrap_or(0)
            })
            .sum();
        let under = typeset
            .flows
            .iter()
            .map(|f| f.lines_under())
            .max()
            .unwrap_or(0);
        Self { over, under }
    }

    /// Whether the copy fits with no hole worth reporting.
    pub fn is_fit(self) -> bool {
        self.over == 0 && self.under < UNDERSET_LINES
    }
}

impl Typesetter {
    /// Typesets and, when the copy misses the pages, retries with the body
    /// leading up to [`LEADING_RANGE`] ‰ tighter or looser. The leading
    /// used is listed among the adjustments.
    pub fn typeset_fitted(
        &mut self,
        loaded: &LoadedReport,
        main: &str,
        options: &TypesetOptions,
    ) -> Result<Typeset, Error> {
        let first = self.typeset(loaded, main, options)?;
        let misfit = Misfit::of(&first);
        let direction = match misfit {
            m if m.is_fit() => return Ok(first),
            m if m.over > 0 => -1,
            _ => 1,
        };
        // Trials only measure photos; the winner is made for real below,
        // and its compile comes from Typst's cache.
        let mut best = (misfit, 0);
        for step in [LEADING_RANGE / 2, LEADING_RANGE] {
            let mut trial = options.clone();
            trial.pages.leading = direction * step;
            trial.measure_only = true;
            let misfit = Misfit::of(&self.typeset(loaded, main, &trial)?);
            if misfit < best.0 {
                best = (misfit, trial.pages.leading);
            }
            if misfit.is_fit() {
                break;
            }
        }
        if best.1 == 0 {
            return Ok(first);
        }
        let mut chosen = options.clone();
        chosen.pages.leading = best.1;
        let mut typeset = self.typeset(loaded, main, &chosen)?;
        let pitch = typeset.flows.first().map_or(0.0, |f| f.pitch);
        let designed = pitch / (1.0 + f64::from(best.1) / 1000.0);
        let range = f64::from(LEADING_RANGE) / 1000.0;
        typeset.adjustments.push(Adjustment {
            id: "body".into(),
            what: "leading".into(),
            used: pitch,
            natural: designed,
            min: designed * (1.0 - range),
            max: designed * (1.0 + range),
        });
        Ok(typeset)
    }
}
