//! The top of a report, before its body: running head and edition label,
//! the banner's display line (and photo), the lede box, the headline
//! (kicker, title, subtitle), a date and a byline.
//!
//! These are short lines without closing punctuation. Word's Title and
//! Markdown's `#` name the title outright; in plain text their order
//! tells: the edition label names itself (特别报道, 特刊 …), the line
//! above it is the series, the lede box splits the banner line from the
//! headline, and of two headline lines the first is the kicker.

use super::blocks::{Block, ImageRef, Kind};
use super::classify::{self, LEDE_LABELS, has_clause_punct, is_closed, len};
use super::draft::Notes;
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
    let mut head: Vec<&Block> = Vec::new();
    let mut lede_at = None;
    // Whether a head line is a title or heading.
    let mut titled = false;
    let mut i = 0;
    while i < blocks.len() {
        let block = &blocks[i];
        if front.lede.is_none()
            && let Some((lede, next)) = lede(blocks, i)
        {
            front.lede = Some(lede);
            lede_at = Some(head.len());
            i = next;
            continue;
        }
        match &block.kind {
            Kind::Image(image) if front.banner_photo.is_none() => {
                front.banner_photo = Some(image.clone())
            }
            // A subhead ends the front once its headline has begun.
            Kind::Heading(level) if titled || (*level >= 2 && !head.is_empty()) => break,
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
                    break;
                }
            }
            _ if is_head_line(block, blocks.get(i + 1)) => {
                titled |= matches!(block.kind, Kind::Title | Kind::Heading(_));
                head.push(block);
            }
            _ => break,
        }
        i += 1;
    }
    front.end = i;
    assign(&mut front, &head, lede_at);
    front
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

/// The part a head line plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Series,
    Edition,
    Display,
    Kicker,
    Title,
    Subtitle,
}

/// Gives the head lines their roles and fills the front with them.
fn assign(front: &mut Front, head: &[&Block], lede_at: Option<usize>) {
    let (roles, guessed) = roles(head, lede_at);
    let text = |role: Role| -> Vec<String> {
        (0..head.len())
            .filter(|&i| roles[i] == Some(role))
            .map(|i| normalise(&head[i].text, Style::Heading))
            .collect()
    };
    let first = |role| text(role).into_iter().next();
    front.series = first(Role::Series);
    front.edition = first(Role::Edition);
    front.kicker = first(Role::Kicker);
    front.title = first(Role::Title);
    front.subtitle = first(Role::Subtitle);
    if front.series.is_some() {
        front.notes.add(
            "masthead.series",
            "the line above the edition label was taken as the series title of the running head",
        );
    }
    if guessed && front.subtitle.is_some() {
        front.notes.add("headline.subtitle", "the third short line above the body was taken as the subtitle (副题); if it is the first subhead, move it to a [[sections]] heading");
    } else if guessed {
        front.notes.add("headline", "of the short lines above the body, the first was taken as the kicker (引题) and the second as the title (主题); swap them if the print set them the other way");
    }
    let display = text(Role::Display).join(" ");
    if !display.is_empty() {
        let (display, alt) = classify::split_picture_words(&display);
        front.notes.add(
            "banner.display",
            "a short line at the top was taken as the banner's display line",
        );
        if alt.is_some() {
            front.notes.add("banner.alt", "the display line ended with words naming a picture: taken as the photo's description");
        }
        front.display = Some(display);
        front.alt = alt;
    }
}

/// Roles by kind (Word's Title, Markdown's `#`), by name (the edition
/// label) and by order; `true` when kicker and title were told apart by
/// order alone.
fn roles(head: &[&Block], lede_at: Option<usize>) -> (Vec<Option<Role>>, bool) {
    let mut roles = vec![None; head.len()];
    let title = head
        .iter()
        .position(|b| matches!(b.kind, Kind::Title | Kind::Heading(_)));
    let subtitle = head.iter().position(|b| b.kind == Kind::Subtitle);
    if let Some(t) = title {
        roles[t] = Some(Role::Title);
    }
    if let Some(s) = subtitle {
        roles[s] = Some(Role::Subtitle);
    }
    let edition =
        (0..head.len()).find(|&i| roles[i].is_none() && classify::is_edition(&head[i].text));
    if let Some(e) = edition {
        roles[e] = Some(Role::Edition);
        if e > 0 && roles[e - 1].is_none() {
            roles[e - 1] = Some(Role::Series);
        }
    }
    let rest: Vec<usize> = (0..head.len()).filter(|&i| roles[i].is_none()).collect();
    let Some(t) = title else {
        let guessed = by_order(head, &rest, lede_at, &mut roles);
        return (roles, guessed);
    };
    for &i in &rest {
        roles[i] = Some(match i {
            _ if i + 1 == t => Role::Kicker,
            _ if i == t + 1 && subtitle.is_none() => Role::Subtitle,
            _ => Role::Display,
        });
    }
    (roles, false)
}

/// Without a marked title: of up to three headline lines, one is the
/// title, two are kicker and title (title and subtitle when the second
/// starts with a dash), three are kicker, title and subtitle. Returns
/// whether that was a guess.
fn by_order(
    head: &[&Block],
    rest: &[usize],
    lede_at: Option<usize>,
    roles: &mut [Option<Role>],
) -> bool {
    let (display, headline) = split_headline(head, rest, lede_at);
    for i in display {
        roles[i] = Some(Role::Display);
    }
    let dash = |i: usize| head[i].text.starts_with("——");
    let parts: &[Role] = match headline.as_slice() {
        [_] => &[Role::Title],
        [_, b] if dash(*b) => &[Role::Title, Role::Subtitle],
        [_, _] => &[Role::Kicker, Role::Title],
        _ => &[Role::Kicker, Role::Title, Role::Subtitle],
    };
    for (&i, &role) in headline.iter().zip(parts) {
        roles[i] = Some(role);
    }
    match headline.as_slice() {
        [_, b] => !dash(*b),
        [_, _, c] => !dash(*c),
        _ => false,
    }
}

/// Splits the unassigned head lines into the banner's display line and
/// the headline (at most three lines): the lede box stands between them;
/// without one, a display-shaped first line is the banner's.
fn split_headline(
    head: &[&Block],
    rest: &[usize],
    lede_at: Option<usize>,
) -> (Vec<usize>, Vec<usize>) {
    let (mut display, mut headline): (Vec<usize>, Vec<usize>) = match lede_at {
        Some(at) if rest.iter().any(|&i| i >= at) && rest.iter().any(|&i| i < at) => {
            rest.iter().partition(|&&i| i < at)
        }
        _ => (Vec::new(), rest.to_vec()),
    };
    if display.is_empty()
        && headline.len() >= 2
        && classify::is_display_shape(&head[headline[0]].text)
    {
        display.push(headline.remove(0));
    }
    let extra = headline.len().saturating_sub(3);
    display.extend(headline.drain(..extra));
    (display, headline)
}
