//! Plain text: one block a line. What text has to say is blank lines (a
//! wide gap where a photo stood), list markers, and the marks Chinese
//! papers put before subheads (■, 【…】, 一、).

use super::blocks::{Block, Kind};
use super::classify::{has_clause_punct, is_closed, len};

/// The blocks of a plain text (a few more than `MAX_BLOCKS` at most:
/// the import refuses more).
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut gap = 0;
    for (i, raw) in text.lines().enumerate() {
        if out.len() > super::MAX_BLOCKS {
            break;
        }
        let line = raw.trim_matches(|c: char| c.is_whitespace());
        if line.is_empty() {
            gap += 1;
            continue;
        }
        let mut block = line_block(line, i + 1);
        block.gap = gap;
        gap = 0;
        out.push(block);
    }
    out
}

/// A line with its marker read and removed.
fn line_block(line: &str, number: usize) -> Block {
    if let Some(rest) = heading_mark(line) {
        return Block::new(Kind::Heading(2), rest, number);
    }
    if let Some((level, rest)) = hashes(line) {
        return Block::new(Kind::Heading(level), rest, number);
    }
    if let Some(rest) = item_mark(line) {
        return Block::new(Kind::Item, rest, number);
    }
    Block::new(Kind::Plain, line, number)
}

/// A short line set off as a subhead: "【渝中区】", "■ 产业强区", "一、产业强区".
fn heading_mark(line: &str) -> Option<&str> {
    let short = |s: &str| len(s) <= 30 && !is_closed(s) && !has_clause_punct(s);
    if let Some(inner) = line.strip_prefix('【').and_then(|l| l.strip_suffix('】')) {
        return short(inner).then_some(inner.trim());
    }
    if let Some(rest) = line.strip_prefix(['■', '◆', '★', '●', '□', '◇']) {
        return short(rest.trim()).then_some(rest.trim());
    }
    let numeral = line
        .split_once('、')
        .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| "一二三四五六七八九十".contains(c)));
    numeral.and_then(|(_, rest)| short(rest).then_some(rest.trim()))
}

/// A Markdown heading pasted into text: "## 小标题".
fn hashes(line: &str) -> Option<(u8, &str)> {
    let level = line.chars().take_while(|&c| c == '#').count();
    let rest = line[level..].strip_prefix(' ')?;
    ((1..=6).contains(&level) && !rest.trim().is_empty()).then(|| (level as u8, rest.trim()))
}

/// A list item: "- ", "* ", "• ", "1. ", "1、", "（1）".
fn item_mark(line: &str) -> Option<&str> {
    for mark in ["- ", "* ", "+ ", "• ", "· ", "● ", "○ ", "◆ ", "■ "] {
        if let Some(rest) = line.strip_prefix(mark) {
            return Some(rest.trim());
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits <= 2 {
        let rest = &line[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix('、')) {
            return Some(rest.trim());
        }
    }
    let inner = line.strip_prefix('（')?;
    let (n, rest) = inner.split_once('）')?;
    (!n.is_empty()
        && len(n) <= 2
        && n.chars()
            .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c)))
    .then_some(rest.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_blocks_with_gaps_and_marks() {
        let blocks =
            blocks("标题\n\n\n\n▲车间\n- 总体规模：**目标。\n【渝中区】\n一、产业强区\n1. 第一条");
        let kinds: Vec<_> = blocks
            .iter()
            .map(|b| (&b.kind, b.text.as_str(), b.gap))
            .collect();
        assert_eq!(
            kinds,
            [
                (&Kind::Plain, "标题", 0),
                (&Kind::Plain, "▲车间", 3),
                (&Kind::Item, "总体规模：**目标。", 0),
                (&Kind::Heading(2), "渝中区", 0),
                (&Kind::Heading(2), "产业强区", 0),
                (&Kind::Item, "第一条", 0),
            ]
        );
        assert_eq!(blocks[1].line, 5);
    }
}
