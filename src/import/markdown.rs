//! Markdown: headings, `**bold**`, `![caption](file)`, lists, block
//! quotes and tables, read line by line.
//!
//! A CommonMark parser is not used on purpose: its emphasis rules do not
//! close `**总体规模：**规上…` (a `**` after CJK punctuation and before a
//! Han character is not "right-flanking"), which is how Chinese authors
//! write a bold label. Here `**` pairs on a line are simply matched.

use super::blocks::{Block, ImageRef, Kind};

/// Where a Markdown file's pictures are and where the report goes.
pub struct Places<'a> {
    /// The Markdown file's folder: image paths are relative to it.
    pub source_dir: &'a std::path::Path,
    /// The output report's folder: photo paths are written relative to it.
    pub output_dir: &'a std::path::Path,
}

/// The blocks of a Markdown text (a few more than `MAX_BLOCKS` at most:
/// the import refuses more).
pub fn blocks(text: &str, places: &Places) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<Block> = Vec::new();
    let mut gap = 0;
    let mut i = skip_front_matter(&lines);
    while i < lines.len() && out.len() <= super::MAX_BLOCKS {
        let trimmed = lines[i].trim();
        i += 1;
        let number = i;
        if trimmed.is_empty() {
            gap += 1;
            continue;
        }
        if let Some(next) = skipped(&lines, i, trimmed) {
            i = next;
            continue;
        }
        let (kind, body, used) = with_underline(trimmed, lines.get(i).map(|l| l.trim()));
        i += used;
        for mut block in line_blocks(kind, &body, number, places) {
            block.gap = std::mem::take(&mut gap);
            out.push(block);
        }
    }
    out
}

/// Lines that are not copy: a fenced code block or an HTML comment (the
/// index after it), a thematic break (the next index).
fn skipped(lines: &[&str], next: usize, line: &str) -> Option<usize> {
    if line.starts_with("<!--") {
        return Some(skip_until(lines, next, "-->", line));
    }
    if line.starts_with("```") || line.starts_with("~~~") {
        return Some(skip_until(lines, next, &line[..3], line));
    }
    is_rule(line).then_some(next)
}

/// A line's kind, looking at the line under it: `===`/`---` make a
/// heading, a table rule makes a header row (plain text: a box title at
/// most). Returns the kind, the text and how many lines under it it used.
fn with_underline(line: &str, under: Option<&str>) -> (Kind, String, usize) {
    if let Some(level) = under.and_then(setext_level)
        && !line.starts_with(['>', '-', '*', '|', '#'])
    {
        return (Kind::Heading(level), line.to_owned(), 1);
    }
    let (kind, body) = line_kind(line);
    if matches!(kind, Kind::Row(_)) && under.is_some_and(is_table_rule) {
        let cells: Vec<&str> = line
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        return (Kind::Plain, cells.join(" "), 1);
    }
    (kind, body.to_owned(), 0)
}

/// YAML front matter (`---` … `---` at the top) is metadata, not copy.
fn skip_front_matter(lines: &[&str]) -> usize {
    if lines.first().map(|l| l.trim()) != Some("---") {
        return 0;
    }
    lines[1..]
        .iter()
        .position(|l| l.trim() == "---")
        .map_or(0, |end| end + 2)
}

/// Skips a fenced code block or an HTML comment; returns the next line.
fn skip_until(lines: &[&str], from: usize, end: &str, first: &str) -> usize {
    if end == "-->" && first.len() > 4 && first.ends_with("-->") {
        return from;
    }
    lines[from..]
        .iter()
        .position(|l| l.trim().contains(end))
        .map_or(lines.len(), |k| from + k + 1)
}

/// A thematic break: `---`, `***`, `___`.
fn is_rule(line: &str) -> bool {
    let marks: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    marks.len() >= 3
        && ['-', '*', '_']
            .iter()
            .any(|&m| marks.chars().all(|c| c == m))
}

/// `===` under a line makes it a level-1 heading, `---` level 2.
fn setext_level(line: &str) -> Option<u8> {
    if line.len() >= 2 && line.chars().all(|c| c == '=') {
        Some(1)
    } else if line.len() >= 2 && line.chars().all(|c| c == '-') {
        Some(2)
    } else {
        None
    }
}

/// `|---|:--:|`: the rule under a table's header.
fn is_table_rule(line: &str) -> bool {
    line.starts_with('|') && line.contains('-') && line.chars().all(|c| "|-: ".contains(c))
}

/// The kind a line's own marker gives it, and the text after the marker.
fn line_kind(line: &str) -> (Kind, &str) {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
        let text = line[hashes..].trim().trim_end_matches('#').trim();
        return (Kind::Heading(hashes as u8), text);
    }
    if line.starts_with('>') {
        return (Kind::Quote, line.trim_start_matches(['>', ' ']));
    }
    for mark in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(mark) {
            return (
                Kind::Item,
                rest.trim_start_matches("[ ] ").trim_start_matches("[x] "),
            );
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=3).contains(&digits)
        && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
    {
        return (Kind::Item, line[digits + 2..].trim());
    }
    if line.starts_with('|') {
        let cells = line
            .trim_matches('|')
            .split('|')
            .map(|c| strip_inline(c.trim()).text)
            .collect();
        return (Kind::Row(cells), line);
    }
    (Kind::Plain, line)
}

/// The blocks of one line: its text, and a picture of its own for every
/// image in it (a picture is a block, whatever line it sits on).
fn line_blocks(kind: Kind, body: &str, line: usize, places: &Places) -> Vec<Block> {
    let inline = strip_inline(body);
    let mut out = Vec::new();
    for (alt, src) in &inline.images {
        out.push(Block::new(
            Kind::Image(image(alt, src, places)),
            alt.clone(),
            line,
        ));
    }
    let text = inline.text.trim();
    if !text.is_empty() || matches!(kind, Kind::Row(_)) {
        let mut block = Block::new(kind, text, line);
        block.lead_bold = inline.lead_bold;
        block.all_bold = inline.all_bold;
        out.push(block);
    }
    out
}

/// A picture's path rewritten relative to the output report.
fn image(alt: &str, src: &str, places: &Places) -> ImageRef {
    let src = src.trim().trim_start_matches('<').trim_end_matches('>');
    if src.contains("://") || src.starts_with("data:") {
        return ImageRef {
            path: String::new(),
            alt: alt.to_owned(),
            missing: Some(format!(
                "the picture is on the web ({src}): save it beside the report and write its file name here"
            )),
        };
    }
    let source = places.source_dir.join(src);
    let path = super::paths::relative(&source, places.output_dir);
    let missing = (!source.is_file())
        .then(|| format!("the picture `{src}` was not found beside the Markdown file"));
    ImageRef {
        path,
        alt: alt.to_owned(),
        missing,
    }
}

/// A line's text without inline markup.
#[derive(Debug, Default, PartialEq)]
pub struct Inline {
    /// The text.
    pub text: String,
    /// Images: (alt, src).
    pub images: Vec<(String, String)>,
    /// Text of a bold run at the start.
    pub lead_bold: Option<String>,
    /// The whole line is bold.
    pub all_bold: bool,
}

/// Removes emphasis, links, code marks and HTML tags; collects images and
/// where bold runs were.
pub fn strip_inline(line: &str) -> Inline {
    let chars: Vec<char> = line.chars().collect();
    let (strong, emphasis) = delimiters(&chars);
    let mut out = Inline::default();
    let mut bold: Vec<(usize, usize)> = Vec::new();
    let mut bold_from: Option<usize> = None;
    let mut text: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && chars.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) {
            text.push(chars[i + 1]);
            i += 2;
        } else if strong[i] {
            match bold_from.take() {
                Some(from) => bold.push((from, text.len())),
                None => bold_from = Some(text.len()),
            }
            i += 2;
        } else if let Some((label, target, used)) = link(&chars, i) {
            if c == '!' {
                out.images.push((label, target));
            } else {
                text.extend(label.chars());
            }
            i += used;
        } else if let Some(used) = tag(&chars, i) {
            i += used;
        } else if c == '`' || emphasis[i] {
            i += 1;
        } else {
            text.push(c);
            i += 1;
        }
    }
    if let Some(&(from, to)) = bold.first()
        && text[..from].iter().all(|c| c.is_whitespace())
        && to > from
    {
        out.lead_bold = Some(text[from..to].iter().collect::<String>().trim().to_owned());
        out.all_bold = bold.len() == 1 && text[to..].iter().all(|c| c.is_whitespace());
    }
    out.text = text.into_iter().collect();
    out
}

/// Where paired `**`/`__` (strong) and paired single `*` (emphasis)
/// start, as a flag for each character; a marker without a partner is
/// left as text.
fn delimiters(chars: &[char]) -> (Vec<bool>, Vec<bool>) {
    let mut doubles = Vec::new();
    let mut singles = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let run = chars[i..].iter().take_while(|&&x| x == c).count();
        if (c == '*' || c == '_') && run == 2 {
            doubles.push(i);
        } else if c == '*' && run == 1 {
            singles.push(i);
        }
        i += if c == '*' || c == '_' { run } else { 1 };
    }
    let paired = |mut v: Vec<usize>| {
        v.truncate(v.len() / 2 * 2);
        let mut flags = vec![false; chars.len()];
        for i in v {
            flags[i] = true;
        }
        flags
    };
    (paired(doubles), paired(singles))
}

/// An HTML tag at `i` (`<br>`, `</span>`): its length.
fn tag(chars: &[char], i: usize) -> Option<usize> {
    if chars[i] != '<' {
        return None;
    }
    let end = chars[i..].iter().take(200).position(|&x| x == '>')?;
    let inside = &chars[i + 1..i + end];
    let name = inside.strip_prefix(&['/']).unwrap_or(inside);
    name.first()
        .is_some_and(|c| c.is_ascii_alphabetic())
        .then_some(end + 1)
}

/// A link or image at `i`: `[label](target)` or `![alt](src "title")`.
fn link(chars: &[char], i: usize) -> Option<(String, String, usize)> {
    let start = if chars[i] == '!' { i + 1 } else { i };
    if chars.get(start) != Some(&'[') {
        return None;
    }
    let close = start + chars[start..].iter().position(|&c| c == ']')?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = close + 1 + chars[close + 1..].iter().position(|&c| c == ')')?;
    let label: String = chars[start + 1..close].iter().collect();
    let target: String = chars[close + 2..end].iter().collect();
    let target = target.split(" \"").next().unwrap_or("").trim().to_owned();
    Some((strip_inline(&label).text, target, end + 1 - i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn md(text: &str) -> Vec<Block> {
        let places = Places {
            source_dir: Path::new("/src"),
            output_dir: Path::new("/src"),
        };
        blocks(text, &places)
    }

    #[test]
    fn bold_labels_after_cjk_punctuation_close() {
        let inline = strip_inline("**总体规模：**规上工业产值突破2700亿元。");
        assert_eq!(inline.text, "总体规模：规上工业产值突破2700亿元。");
        assert_eq!(inline.lead_bold.as_deref(), Some("总体规模："));
        assert!(!inline.all_bold);
        assert!(strip_inline("**小标题**").all_bold);
    }

    #[test]
    fn headings_lists_quotes_images_and_tables() {
        let blocks = md(
            "# 主题\n\n## 小标题\n\n正文。\n\n- 一项\n> 引文\n\n![车间一角](photos/a.jpg)\n\n| 指标 | 数值 |\n|---|---|\n| 产值 | 2471亿元 |\n\n小标题二\n---\n",
        );
        let kinds: Vec<_> = blocks
            .iter()
            .map(|b| (b.kind.clone(), b.text.as_str()))
            .collect();
        assert_eq!(kinds[0], (Kind::Heading(1), "主题"));
        assert_eq!(kinds[1], (Kind::Heading(2), "小标题"));
        assert_eq!(kinds[3], (Kind::Item, "一项"));
        assert_eq!(kinds[4], (Kind::Quote, "引文"));
        let Kind::Image(image) = &kinds[5].0 else {
            panic!("{kinds:?}")
        };
        assert_eq!(
            (image.path.as_str(), image.alt.as_str()),
            ("photos/a.jpg", "车间一角")
        );
        assert_eq!(kinds[6], (Kind::Plain, "指标 数值"));
        assert_eq!(
            kinds[7].0,
            Kind::Row(vec!["产值".into(), "2471亿元".into()])
        );
        assert_eq!(kinds[8], (Kind::Heading(2), "小标题二"));
    }

    #[test]
    fn thematic_breaks_are_three_of_one_mark() {
        assert!(is_rule("---") && is_rule("* * *") && is_rule("___ _"));
        assert!(!is_rule("--") && !is_rule("-*-") && !is_rule("——"));
    }

    #[test]
    fn links_code_and_tags_leave_their_text() {
        let inline = strip_inline("见[报告](http://x.cn)的`第3页`<br>与 *重点*，2*3");
        assert_eq!(inline.text, "见报告的第3页与 重点，2*3");
    }
}
