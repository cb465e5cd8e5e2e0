//! The briefing deck's content: which figures, points, photos and quote it
//! shows. An editor may write them in the report's `[deck]`; whatever is
//! left out is derived from the text, and marked as derived so that
//! `banmian check` can list it for review.

mod slides;

pub use slides::{Deck, Slide, build};

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
#[derive(Debug, Clone, PartialEq)]
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

/// Points at most this many characters long, so a slide reads at a glance.
const POINT_CHARS: usize = 48;
/// Points per section slide, when derived.
const POINTS: usize = 3;
/// Key figures on the figures slide at most.
pub const FIGURES: usize = 8;
/// Section slides at most: a briefing deck is read in a meeting, and each
/// slide costs layout time, so a report of thousands of sections is refused
/// before any is laid out.
pub const MAX_SECTION_SLIDES: usize = 60;
/// The key-figures slide's title unless the editor gives one: the figures'
/// own name, not the lede's label (编者按 would head a slide of numbers).
const FIGURES_TITLE: &str = "关键数字";

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
                None => derive_points(&section.text),
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

/// Derives a section's points: its first sentence (the topic), then the
/// sentences that carry the most figures, each cut to whole clauses that
/// read alone, in the order of the text.
pub fn derive_points(text: &str) -> Vec<Point> {
    let all = sentences(text);
    let usable = |s: &str| s.chars().count() >= 8 && !is_quoted(s);
    let mut chosen: Vec<(usize, String)> = Vec::new();
    if let Some(first) = all.first().filter(|s| usable(s)).and_then(|s| shorten(s)) {
        chosen.push((0, first));
    }
    let mut rest: Vec<(usize, i32, String)> = all
        .iter()
        .enumerate()
        .skip(chosen.len())
        .filter(|(_, s)| usable(s))
        .filter_map(|(i, s)| shorten(s).map(|short| (i, short)))
        .map(|(i, short)| {
            let figures = short.chars().filter(char::is_ascii_digit).count().min(6) as i32;
            let score = figures * 4 - i32::from(starts_with_reference(&short)) * 12 - i as i32;
            (i, score, short)
        })
        .collect();
    rest.sort_by_key(|&(i, score, _)| (-score, i));
    for (i, _, text) in rest {
        if chosen.len() == POINTS {
            break;
        }
        if !chosen.iter().any(|(_, t)| t == &text) {
            chosen.push((i, text));
        }
    }
    chosen.sort_by_key(|&(i, _)| i);
    chosen
        .into_iter()
        .map(|(_, text)| Point {
            text,
            derived: true,
        })
        .collect()
}

/// Whether a point starts by referring back (该、这、此、其), which reads
/// badly without the sentence before it.
fn starts_with_reference(text: &str) -> bool {
    text.starts_with(['该', '这', '此', '其'])
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
fn is_quoted(sentence: &str) -> bool {
    sentence.starts_with('“') && sentence.ends_with('”')
}

/// Cuts a long sentence to the run of whole clauses (split at `，`) that
/// fits a point, preferring the run that starts the sentence and carries a
/// figure; drops the closing mark, as slide points do. `None` when no whole
/// clause fits: a point is never cut mid-clause.
fn shorten(sentence: &str) -> Option<String> {
    let body = sentence.trim_end_matches(['。', '；', '！', '!', '，']);
    if body.chars().count() <= POINT_CHARS {
        return Some(body.to_owned());
    }
    let clauses: Vec<&str> = body.split('，').collect();
    let mut best: Option<(i32, String)> = None;
    for start in 0..clauses.len() {
        let mut run = String::new();
        for clause in &clauses[start..] {
            let next = if run.is_empty() {
                (*clause).to_owned()
            } else {
                format!("{run}，{clause}")
            };
            if next.chars().count() > POINT_CHARS {
                break;
            }
            run = next;
        }
        if run.chars().count() < 8 {
            continue;
        }
        let figures = run.chars().filter(char::is_ascii_digit).count() as i32;
        let score = figures.min(4) * 3 + i32::from(start == 0) * 5 + run.chars().count() as i32 / 8
            - i32::from(starts_with_reference(&run)) * 8;
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, run));
        }
    }
    best.map(|(_, run)| run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_keep_their_closing_quotes() {
        let s = sentences("他说：“好。”然后走了。\n\n第二段？是的");
        assert_eq!(s, vec!["他说：“好。”", "然后走了。", "第二段？", "是的"]);
    }

    #[test]
    fn derived_points_prefer_figures_and_stay_short() {
        let text = "涪陵区坚持工业强区。这里风景很好，人们很勤劳，大家都很喜欢这里的生活和工作环境。\
                    去年全区规上工业产值达到2471亿元，同比增长11.2%，位居全市区县第二，主城区第一，\
                    工业增加值771亿元，继续保持全市区县第一的位置不动摇。";
        let points = derive_points(text);
        assert!(points.iter().all(|p| p.derived));
        assert_eq!(
            points[0].text, "涪陵区坚持工业强区",
            "the topic sentence leads"
        );
        let figure = points
            .iter()
            .find(|p| p.text.contains("2471"))
            .expect("the figure sentence");
        assert!(
            figure.text.chars().count() <= POINT_CHARS,
            "{}",
            figure.text
        );
        assert!(!figure.text.ends_with('，'));
    }
}
