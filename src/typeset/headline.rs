//! The main headline, fitted to its lines: set at the largest size in the
//! theme's range at which it fits, and on a spread split where the fold
//! falls between two words.
//!
//! The measuring pass measures the title's parts at the most size, for
//! every place it could split (the plan offers them), and the headline
//! block's depth at the least and the most size, on one and two lines. A
//! title's width scales with its size, and the block's depth is linear in
//! it, so Rust fits the size without measuring again.

use serde::Serialize;

use super::measure::{Geometry, Measures};
use super::protocol::Kind;

/// Titles longer than this many places to split are offered only the
/// places nearest their middle.
const MOST_SPLITS: usize = 40;

/// The ways to split a title the measuring pass measures: at every space
/// (an editor's break), else at every place a line may break; the whole
/// title last (an empty second part).
pub fn splits(title: &str) -> Vec<(String, String)> {
    let title = title.trim();
    let spaced: Vec<usize> = title
        .char_indices()
        .filter(|(_, c)| c.is_whitespace())
        .map(|(i, _)| i)
        .collect();
    let mut out: Vec<(String, String)> = if spaced.is_empty() {
        let places = break_places(title);
        let middle = title.len() / 2;
        let mut near: Vec<usize> = places;
        near.sort_by_key(|&b| b.abs_diff(middle));
        near.truncate(MOST_SPLITS);
        near.sort_unstable();
        near.into_iter()
            .map(|b| (title[..b].to_string(), title[b..].to_string()))
            .collect()
    } else {
        let mut parts: Vec<(String, String)> = spaced
            .iter()
            .map(|&b| {
                let rest = &title[b..];
                (
                    title[..b].trim_end().to_string(),
                    rest.trim_start().to_string(),
                )
            })
            .filter(|(a, b)| !a.is_empty() && !b.is_empty())
            .collect();
        parts.dedup();
        parts
    };
    out.push((title.to_string(), String::new()));
    out
}

/// Closing marks: no line starts with one.
const CLOSING: &str = "、，。：；！？）》」』】〕〉”’·／…—%‰";
/// Opening marks: no line ends with one.
const OPENING: &str = "（《「『【〔〈“‘";

/// Places in a title without spaces where a line may break: not before a
/// closing mark, after an opening one, or inside a number or a Latin word.
fn break_places(title: &str) -> Vec<usize> {
    let chars: Vec<(usize, char)> = title.char_indices().collect();
    chars
        .windows(2)
        .filter(|w| {
            let (a, c) = (w[0].1, w[1].1);
            let latin = |ch: char| ch.is_ascii_alphanumeric() || ".,".contains(ch);
            !(CLOSING.contains(c) || OPENING.contains(a) || latin(a) || latin(c))
        })
        .map(|w| w[1].0)
        .collect()
}

/// The headline as fitted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fitted {
    /// The title's size, in points.
    pub size: f64,
    /// Its first part: before the fold on a spread, its first line on a
    /// single page.
    pub first: String,
    /// Its second part (empty when it is not split).
    pub second: String,
    /// Lines the title takes in its deepest part.
    pub lines: u32,
    /// The headline block's depth, in points.
    pub depth: f64,
}

/// Fits the title measured with `splits`: on a spread the split where both
/// parts set largest (between two words: at a space, or where `words` says
/// a word ends), on a single page one line when it fits at the least size,
/// else two.
pub fn fit(
    splits: &[(String, String)],
    measures: &Measures,
    geometry: &Geometry,
    spread: bool,
    words: impl FnOnce(&str) -> Vec<usize>,
) -> Fitted {
    let [least, most] = geometry.title;
    let room = f64::from(geometry.cols) * geometry.col
        + f64::from(geometry.cols.saturating_sub(1)) * geometry.gutter;
    let width = |i: usize, part: u32| measures.width(Kind::Title, i, part).unwrap_or(0.0);
    // The size at which widths `w` (measured at the most size) fit.
    let size_for = |w: f64| {
        if w <= 0.0 {
            most
        } else {
            (room * most / w).min(most)
        }
    };
    let whole = splits.len() - 1;
    let title = &splits[whole].0;
    let single = size_for(width(whole, 1));
    let choice = if !spread && single >= least {
        whole
    } else {
        best_split(splits, title, words, |i| {
            size_for(width(i, 1).max(width(i, 2)))
        })
        .unwrap_or(whole)
    };
    let widest = width(choice, 1).max(width(choice, 2));
    let size = size_for(widest).max(least);
    // Lines of the deepest part: one, unless it is wider than the page at
    // the least size.
    let part_lines = (widest * size / most / room - 1e-9).ceil().max(1.0) as u32;
    let stacked = !spread && !splits[choice].1.is_empty();
    let lines = part_lines * if stacked { 2 } else { 1 };
    Fitted {
        size,
        first: splits[choice].0.clone(),
        second: splits[choice].1.clone(),
        lines,
        depth: depth(measures, geometry, size, lines),
    }
}

/// The split (an index into `splits`) whose parts set largest, the most
/// even of those; only between words.
fn best_split(
    splits: &[(String, String)],
    title: &str,
    words: impl FnOnce(&str) -> Vec<usize>,
    size: impl Fn(usize) -> f64,
) -> Option<usize> {
    let candidates = splits.len() - 1;
    let spaced = title.chars().any(char::is_whitespace);
    let between_words: Vec<usize> = if spaced {
        (0..candidates).collect()
    } else {
        let ends = words(title);
        (0..candidates)
            .filter(|&i| ends.contains(&splits[i].0.len()))
            .collect()
    };
    let balance = |i: usize| {
        let count = |s: &str| s.chars().count() as i64;
        (count(&splits[i].0) - count(&splits[i].1)).abs()
    };
    between_words.into_iter().max_by(|&a, &b| {
        let (sa, sb) = (size(a), size(b));
        if (sa - sb).abs() > 0.5 {
            sa.total_cmp(&sb)
        } else {
            balance(b).cmp(&balance(a)).then(b.cmp(&a))
        }
    })
}

/// The headline block's depth with the title at `size` on `lines` lines,
/// from its depths measured at the least and most size on one and two.
pub fn depth(measures: &Measures, geometry: &Geometry, size: f64, lines: u32) -> f64 {
    let [least, most] = geometry.title;
    let at = |index: usize, lines: u32| measures.depth(Kind::Headline, index, lines).unwrap_or(0.0);
    let t = if most > least {
        (size - least) / (most - least)
    } else {
        0.0
    };
    let one = at(0, 1) + t * (at(1, 1) - at(0, 1));
    let two = at(0, 2) + t * (at(1, 2) - at(0, 2));
    one + f64::from(lines.saturating_sub(1)) * (two - one)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spaced_title_splits_at_its_spaces() {
        let s = splits("涪陵 加快形成新质生产力");
        assert_eq!(s[0], ("涪陵".into(), "加快形成新质生产力".into()));
        assert_eq!(s.last().unwrap().1, "");
    }

    #[test]
    fn a_title_without_spaces_splits_where_lines_may_break() {
        let s = splits("交通先行，一通百通");
        let firsts: Vec<&str> = s.iter().map(|(a, _)| a.as_str()).collect();
        assert!(firsts.contains(&"交通先行，"), "{firsts:?}");
        // Never before the comma.
        assert!(!firsts.contains(&"交通先行"), "{firsts:?}");
        // Never inside a number.
        let s = splits("产值2471亿元");
        assert!(!s.iter().any(|(a, _)| a == "产值24"), "{s:?}");
    }
}
