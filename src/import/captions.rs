//! Placing captions that came without their photo (text extracted from a
//! printed page) with the section they illustrate.
//!
//! Where a caption stood in the extracted text says little: a page is
//! laid out in blocks, and the text runs around the photos. What the
//! caption names says more: "国药太极涪陵制药厂生产车间" belongs to the
//! section that writes about 太极涪陵制药厂. So each caption is scored
//! against each section by the character pairs they share (pairs every
//! section has, such as the place's name, count for nothing), and the
//! captions are dealt out best match first, each section taking its share
//! of the photos. A caption that matches nothing stays where it stood.

use std::collections::HashMap;

use super::normalise::is_han;

/// Where each caption goes: its section and whether the match was weak
/// (no shared words, or a close second).
pub fn assign(
    captions: &[&str],
    homes: &[usize],
    sections: &[&str],
    taken: &[usize],
) -> Vec<(usize, bool)> {
    if sections.is_empty() {
        return captions.iter().map(|_| (0, true)).collect();
    }
    let rows = scores(captions, homes, sections);
    let last = sections.len() - 1;
    deal(&rows, homes, sections.len(), taken)
        .into_iter()
        .enumerate()
        .map(|(c, placed)| {
            let s = placed.unwrap_or(homes[c].min(last));
            (s, is_weak(&rows[c], s))
        })
        .collect()
}

/// The sections a caption may go to, best first: so many at most (every
/// section of any real report), so that a draft of hundreds of sections
/// and thousands of captions is dealt in time linear in practice.
const CANDIDATES: usize = 32;

/// A caption's matches: (section, score), best first (on a tie, the
/// section nearer where the caption stood); sections sharing nothing are
/// left out.
type Row = Vec<(usize, usize)>;

/// How many of each caption's character pairs each section's text has;
/// pairs that every section has count for nothing. Each pair is looked up
/// once in an index of the sections' pairs, not once per section.
fn scores(captions: &[&str], homes: &[usize], sections: &[&str]) -> Vec<Row> {
    let mut postings: HashMap<(char, char), Vec<(usize, usize)>> = HashMap::new();
    for (s, text) in sections.iter().enumerate() {
        for (pair, n) in pairs(text) {
            postings.entry(pair).or_default().push((s, n));
        }
    }
    let everywhere =
        |list: &Vec<(usize, usize)>| sections.len() > 1 && list.len() == sections.len();
    let mut totals = vec![0usize; sections.len()];
    let mut touched = Vec::new();
    captions
        .iter()
        .zip(homes)
        .map(|(caption, &home)| {
            for pair in pairs(caption).into_keys() {
                let Some(list) = postings.get(&pair).filter(|l| !everywhere(l)) else {
                    continue;
                };
                for &(s, n) in list {
                    if totals[s] == 0 {
                        touched.push(s);
                    }
                    totals[s] += n;
                }
            }
            let mut row: Row = touched
                .drain(..)
                .map(|s| (s, std::mem::take(&mut totals[s])))
                .collect();
            let key =
                |&(s, score): &(usize, usize)| (std::cmp::Reverse(score), s.abs_diff(home), s);
            if row.len() > CANDIDATES {
                row.select_nth_unstable_by_key(CANDIDATES, key);
                row.truncate(CANDIDATES);
            }
            row.sort_unstable_by_key(key);
            row
        })
        .collect()
}

/// Deals captions to `n` sections, best score first (on a tie, the
/// section nearer where the caption stood), each section taking its share
/// of the photos; `None` for a caption that matched no section with room.
fn deal(rows: &[Row], homes: &[usize], n: usize, taken: &[usize]) -> Vec<Option<usize>> {
    let share = (rows.len() + taken.iter().sum::<usize>()).div_ceil(n);
    let mut room: Vec<usize> = (0..n)
        .map(|s| share.saturating_sub(taken.get(s).copied().unwrap_or(0)))
        .collect();
    let mut order: Vec<(usize, usize, usize)> = Vec::new();
    for (c, row) in rows.iter().enumerate() {
        order.extend(row.iter().map(|&(s, score)| (score, c, s)));
    }
    order.sort_by_key(|&(score, c, s)| (std::cmp::Reverse(score), s.abs_diff(homes[c]), c, s));
    let mut placed: Vec<Option<usize>> = vec![None; rows.len()];
    for (_, c, s) in order {
        if placed[c].is_none() && room[s] > 0 {
            placed[c] = Some(s);
            room[s] -= 1;
        }
    }
    placed
}

/// A weak match: no shared words, a close second, or not the best match
/// (its best section had no room left).
fn is_weak(row: &Row, chosen: usize) -> bool {
    let best = row.first().map_or(0, |&(_, score)| score);
    let own = row
        .iter()
        .find(|&&(s, _)| s == chosen)
        .map_or(0, |&(_, score)| score);
    best == 0 || row.get(1).is_some_and(|&(_, second)| second * 4 > best * 3) || own < best
}

/// Counts of adjacent character pairs of Han characters, letters and
/// digits.
fn pairs(text: &str) -> HashMap<(char, char), usize> {
    let word = |c: char| is_han(c) || c.is_alphanumeric();
    let mut out = HashMap::new();
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if let Some(p) = prev
            && word(c)
        {
            *out.entry((p, c)).or_insert(0) += 1;
        }
        prev = word(c).then_some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_go_where_their_words_are() {
        let sections = [
            "涪陵的华峰己二酸项目建成投产，华峰己二酸六期。",
            "涪陵的太极涪陵制药厂建成数字化工厂。",
            "涪陵的卡深科技研发出新技术，科技创新。",
        ];
        let captions = [
            "国药太极涪陵制药厂生产车间",
            "卡深科技生产车间",
            "华峰己二酸扩建项目(六期)生产装备",
        ];
        let placed = assign(&captions, &[0, 1, 1], &sections, &[0, 0, 0]);
        assert_eq!(placed.iter().map(|p| p.0).collect::<Vec<_>>(), [1, 2, 0]);
    }

    #[test]
    fn a_caption_matching_nothing_stays_home() {
        let placed = assign(&["夜景"], &[1], &["甲乙丙", "丁戊己"], &[0, 0]);
        assert_eq!(placed, [(1, true)]);
    }
}
