//! The briefing deck's content plan: which figures, points, photos and
//! quote it shows, decided from the report alone (so it sits beside the
//! report, below everything that typesets or writes). An editor may write them in the report's `[deck]`; whatever is
//! left out is derived from the text, and marked as derived so that
//! `banmian check` can list it for review.

mod points;

pub use points::{POINT_CHARS, has_figure};

use crate::report::{Report, paragraphs};

/// A point on a slide and where it came from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Point {
    /// The text shown.
    pub text: String,
    /// Whether banmian derived it from the report's text.
    pub derived: bool,
}

/// One section's slide.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionSlide {
    /// Two to four points (fewer only when the text has fewer sentences).
    pub points: Vec<Point>,
    /// Which of the section's photos it shows.
    pub photo: Option<usize>,
    /// The speaker notes: the section's full text, a paragraph a line.
    pub notes: String,
}

/// What the deck presents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeckPlan {
    /// Indices into the report's figures, 1 to 8 where the report has them.
    pub figures: Vec<usize>,
    /// Whether the figures were chosen by banmian (the first eight).
    pub figures_derived: bool,
    /// The key-figures slide's title: the editor's, or 关键数字.
    pub figures_title: String,
    /// One slide per section.
    pub sections: Vec<SectionSlide>,
    /// The quote slide's key sentence.
    pub quote: Option<Point>,
}

/// Key figures on the figures slide at most.
pub const FIGURES: usize = 8;
/// Section slides at most: a briefing deck is read in a meeting, and each
/// slide costs layout time, so a report of thousands of sections is refused
/// before any is laid out.
pub const MAX_SECTION_SLIDES: usize = 60;
/// The key-figures slide's title unless the editor gives one: the figures'
/// own name, not the lede's label (编者按 would head a slide of numbers).
const FIGURES_TITLE: &str = "关键数字";

/// Whether planning the deck derives points for any section: the report's
/// `[deck]` does not give them all.
pub fn derives_points(report: &Report) -> bool {
    derived(report).next().is_some()
}

/// Makes the word segmenter on a thread of its own when the deck will
/// derive points, so that it is ready while the spread is laid out rather
/// than after.
pub fn warm_up(report: &Report) {
    if derives_points(report) {
        crate::words::Words::prepare(points::texts(derived(report)));
    }
}

/// The sections whose points the deck derives: those the editor wrote
/// none for, up to the most slides a deck has.
fn derived(report: &Report) -> impl Iterator<Item = &crate::report::Section> {
    let written = report
        .deck
        .as_ref()
        .map_or(&[][..], |d| d.sections.as_slice());
    report
        .sections
        .iter()
        .take(MAX_SECTION_SLIDES)
        .enumerate()
        .filter(move |(i, _)| written.get(*i).is_none_or(|w| w.points.is_empty()))
        .map(|(_, s)| s)
}

/// Plans the deck: the editor's choices where given, derived otherwise.
pub fn plan(report: &Report) -> DeckPlan {
    let deck = report.deck.clone().unwrap_or_default();
    let (figures, figures_derived) = if deck.figures.is_empty() {
        ((0..report.figures.len().min(FIGURES)).collect(), true)
    } else {
        let chosen = deck
            .figures
            .iter()
            .filter_map(|label| report.figures.iter().position(|f| &f.label == label))
            .collect();
        (chosen, false)
    };
    // One segmenter for every section whose points are derived.
    let words = derives_points(report)
        .then(|| crate::words::Words::for_texts(&points::texts(derived(report))));
    let sections = report
        .sections
        .iter()
        .enumerate()
        .map(|(i, section)| {
            let written = deck.sections.get(i);
            let points = match written.filter(|w| !w.points.is_empty()) {
                Some(w) => w
                    .points
                    .iter()
                    .map(|p| Point {
                        text: p.clone(),
                        derived: false,
                    })
                    .collect(),
                // Past the most slides a deck has, the deck is refused:
                // nothing is derived for it.
                None if i >= MAX_SECTION_SLIDES => Vec::new(),
                None => words
                    .as_ref()
                    .map_or_else(Vec::new, |words| points::derive(section, words)),
            };
            let photo = written
                .and_then(|w| w.photo)
                .or((!section.photos.is_empty()).then_some(0));
            SectionSlide {
                points,
                photo,
                notes: paragraphs(&section.text).join("\n"),
            }
        })
        .collect();
    let quote = report.quote.as_ref().map(|q| {
        if deck.quote.is_empty() {
            let key = sentences(&q.text)
                .into_iter()
                .find(|s| !s.ends_with('？') && !s.ends_with('?') && !is_quoted(s))
                .unwrap_or_default();
            Point {
                text: key,
                derived: true,
            }
        } else {
            Point {
                text: deck.quote.clone(),
                derived: false,
            }
        }
    });
    let figures_title = match deck.figures_title.trim() {
        "" => FIGURES_TITLE.to_owned(),
        title => title.to_owned(),
    };
    DeckPlan {
        figures,
        figures_derived,
        figures_title,
        sections,
        quote,
    }
}

/// The text's sentences, each with its closing mark.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in paragraphs(text) {
        let mut current = String::new();
        let mut chars = paragraph.chars().peekable();
        while let Some(c) = chars.next() {
            current.push(c);
            let closes = matches!(c, '。' | '！' | '？' | '；' | '!' | '?');
            // A closing quote after the mark belongs to the sentence.
            if closes {
                while let Some(&next) = chars.peek() {
                    if matches!(next, '”' | '’' | '」' | '』' | '）') {
                        current.push(next);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(std::mem::take(&mut current).trim().to_owned());
            }
        }
        if !current.trim().is_empty() {
            out.push(current.trim().to_owned());
        }
    }
    out
}

/// Whether a sentence is all direct speech (“…”), which reads badly alone.
pub(crate) fn is_quoted(sentence: &str) -> bool {
    sentence.starts_with('“') && sentence.ends_with('”')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_keep_their_closing_quotes() {
        let s = sentences("他说：“好。”然后走了。\n\n第二段？是的");
        assert_eq!(s, vec!["他说：“好。”", "然后走了。", "第二段？", "是的"]);
    }
}
