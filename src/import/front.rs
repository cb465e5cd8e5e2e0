//! The top of a report, before its body: running head and edition line,
//! the banner's display line (and photo), the lede box, the headline group
//! (kicker, title, subtitle, a series tag), a date and a byline.
//!
//! These are short lines without closing punctuation; which part each
//! plays is decided in `headline`. Lines right above the text may be its
//! first subhead rather than part of the headline: unless a byline, a
//! dateline, the lede box or a marked subhead closes the headline group,
//! they are given back to the body.

use super::blocks::{Block, ImageRef, Kind};
use super::classify::{self, LEDE_LABELS, has_clause_punct, is_closed, len};
use super::draft::Notes;
use super::headline;
use super::marks;
use super::normalise::{Style, normalise};

/// What the top of a report held.
#[derive(Debug, Default)]
pub struct Front {
    pub series: Option<String>,
    pub edition: Option<String>,
    pub date: Option<String>,
    pub kicker: Option<String>,
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub display: Option<String>,
    pub alt: Option<String>,
    pub banner_photo: Option<ImageRef>,
    pub lede: Option<Lede>,
    pub reporters: Vec<String>,
    /// The paper's name, from the edition line.
    pub paper: Option<String>,
    /// The page number, from the edition line.
    pub page: Option<u32>,
    /// Guesses, by report field.
    pub notes: Notes,
    /// Index of the first block of the body.
    pub end: usize,
}

/// The lede box: its label and paragraphs.
#[derive(Debug, Clone, PartialEq)]
pub struct Lede {
    pub label: String,
    pub paragraphs: Vec<String>,
}

/// Reads the front of a report.
pub fn read(blocks: &[Block]) -> Front {
    let mut front = Front::default();
    let mut head: Vec<usize> = Vec::new();
    let mut lede_at = None;
    // Whether a head line is a title or heading.
    let mut titled = false;
    // Whether something closed the headline group (a byline, a marked
    // subhead, a dateline): then no head line is the first subhead.
    let mut closed = false;
    let mut i = 0;
    while i < blocks.len() {
        let block = &blocks[i];
        if let Some(next) = take_lede(&mut front, blocks, i, &head) {
            lede_at = Some(head.len());
            i = next;
            continue;
        }
        match &block.kind {
            Kind::Image(image) if front.banner_photo.is_none() => {
                front.banner_photo = Some(image.clone())
            }
            // A subhead ends the front once its headline has begun.
            Kind::Heading(level) if titled || (*level >= 2 && !head.is_empty()) => {
                closed = true;
                break;
            }
            _ if front.page.is_none() && head.is_empty() && edition_line(&mut front, block) => {}
            _ if front.date.is_none()
                && len(&block.text) <= 20
                && classify::date(&block.text).is_some() =>
            {
                front.date = classify::date(&block.text);
            }
            _ if front.reporters.is_empty() && classify::byline(&block.text, false).is_some() => {
                front.reporters = classify::byline(&block.text, false).unwrap_or_default();
                // The byline stands between the headline and the body.
                if !head.is_empty() {
                    i += 1;
                    closed = true;
                    break;
                }
            }
            _ if is_head_line(block, blocks.get(i + 1)) => {
                titled |= matches!(block.kind, Kind::Title | Kind::Heading(_));
                head.push(i);
            }
            _ => {
                closed = marks::dateline(&block.text).is_some();
                break;
            }
        }
        i += 1;
    }
    // A lede box may stand under the byline too.
    if closed && let Some(next) = take_lede(&mut front, blocks, i, &head) {
        lede_at = Some(head.len());
        i = next;
    }
    front.end = i;
    closed |= lede_at.is_some_and(|at| at == head.len() && at > 0);
    let lines: Vec<&Block> = head.iter().map(|&h| &blocks[h]).collect();
    let kept = headline::assign(&mut front, &lines, lede_at, closed);
    if let Some(&first) = head.get(kept) {
        // The lines given back start the body.
        front.end = first;
    }
    front
}

/// An edition line at the top ("《九州日报》（2024年01月26日 第04版）",
/// "第04版：经济"): the paper, date, page and page name it gives.
fn edition_line(front: &mut Front, block: &Block) -> bool {
    let Some(line) = marks::edition_line(&block.text) else {
        return false;
    };
    front.page = line.page;
    front.paper = line.paper;
    if front.date.is_none() {
        front.date = classify::date(&block.text);
    }
    if let Some(name) = line.name {
        front.edition = Some(name);
    }
    true
}

/// A short line without closing punctuation (or a line Word or Markdown
/// marks as a title); a comma is allowed in a short line followed by
/// another such line ("发展向“新”而行，产业向“高”攀登" over the title).
fn is_head_line(block: &Block, next: Option<&Block>) -> bool {
    match block.kind {
        Kind::Title | Kind::Subtitle | Kind::Heading(_) => true,
        Kind::Plain => {
            let text = &block.text;
            let short = len(text) <= 32 && !is_closed(text);
            let next_short = next.is_some_and(|n| {
                len(&n.text) <= 32 && !is_closed(&n.text) && !has_clause_punct(&n.text)
            });
            short && (!has_clause_punct(text) || (len(text) <= 20 && next_short))
        }
        _ => false,
    }
}

/// A lede box starting at `i`: a label line and the paragraphs under it,
/// or a label opening a paragraph ("编者按：…"). Returns it and the index
/// after it.
pub fn lede(blocks: &[Block], i: usize) -> Option<(Lede, usize)> {
    let block = &blocks[i];
    let prose = |b: &Block| matches!(b.kind, Kind::Plain | Kind::Quote) && is_prose(&b.text);
    if let Some(label) = classify::label(&block.text, LEDE_LABELS) {
        let end = i + 1 + blocks[i + 1..].iter().take_while(|b| prose(b)).count();
        let paragraphs: Vec<String> = blocks[i + 1..end]
            .iter()
            .map(|b| normalise(&b.text, Style::Prose))
            .collect();
        return (!paragraphs.is_empty()).then(|| {
            (
                Lede {
                    label: label.into(),
                    paragraphs,
                },
                end,
            )
        });
    }
    let (label, first) = inline(block)?;
    let quoted = blocks[i + 1..]
        .iter()
        .take_while(|b| b.kind == Kind::Quote && block.kind == Kind::Quote && prose(b));
    let mut paragraphs = vec![normalise(first, Style::Prose)];
    paragraphs.extend(quoted.map(|b| normalise(&b.text, Style::Prose)));
    let end = i + paragraphs.len();
    Some((
        Lede {
            label: label.into(),
            paragraphs,
        },
        end,
    ))
}

/// The note on a lede box the format marked without a label.
const QUOTED_LEDE: &str = "the block quote under the headline was taken as the lede box: write its label (核心提示, 编者按 …), or move its text into the story";

/// The front's lede box, when one starts at `i` and the front has none
/// yet (labelled, or marked by the format only, with a note); returns the
/// index after it.
fn take_lede(front: &mut Front, blocks: &[Block], i: usize, head: &[usize]) -> Option<usize> {
    if front.lede.is_some() || i >= blocks.len() {
        return None;
    }
    let (lede, next) = match lede(blocks, i) {
        Some(found) => found,
        None => {
            let found = quoted_lede(blocks, i, head)?;
            front.notes.add("lede.label", QUOTED_LEDE);
            found
        }
    };
    front.lede = Some(lede);
    Some(next)
}

/// A lede box marked by the format, without a label: the block quotes
/// (Markdown's `>`, Word's Quote style or a style named 核心提示, 导语 …)
/// right under the headline, before any text.
fn quoted_lede(blocks: &[Block], i: usize, head: &[usize]) -> Option<(Lede, usize)> {
    if head.is_empty() || blocks[i].kind != Kind::Quote {
        return None;
    }
    let end = i + blocks[i..]
        .iter()
        .take_while(|b| b.kind == Kind::Quote && is_prose(&b.text))
        .count();
    let paragraphs: Vec<String> = blocks[i..end]
        .iter()
        .map(|b| normalise(&b.text, Style::Prose))
        .collect();
    (!paragraphs.is_empty()).then(|| {
        let lede = Lede {
            label: LEDE_LABELS[0].into(),
            paragraphs,
        };
        (lede, end)
    })
}

/// A lede label opening a paragraph: "编者按：…" or a bold "**编者按**…".
fn inline(block: &Block) -> Option<(&'static str, &str)> {
    if let Some(found) = classify::inline_label(&block.text, LEDE_LABELS) {
        return Some(found);
    }
    let lead = block.lead_bold.as_deref()?.trim_end_matches(['：', ':']);
    let label = classify::label(lead, LEDE_LABELS)?;
    let rest = block
        .text
        .trim_start()
        .strip_prefix(block.lead_bold.as_deref()?.trim())?;
    let rest = rest.trim_start_matches(['：', ':', ' ']);
    (!rest.is_empty()).then_some((label, rest))
}

/// Prose: a sentence, not a heading.
pub fn is_prose(text: &str) -> bool {
    is_closed(text) || len(text) > 40 || has_clause_punct(text)
}
