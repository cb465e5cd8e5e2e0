//! The Chinese typesetting rules of typography.md, each checked on glyph
//! positions of a laid-out report (the compiled document's frames).

use crate::common;

use std::sync::OnceLock;

use typst::layout::{Frame, FrameItem, Point};

/// One glyph as laid out: page, position, advance, text, size, family.
#[derive(Debug, Clone)]
struct Glyph {
    page: usize,
    x: f64,
    y: f64,
    w: f64,
    text: String,
    size: f64,
    family: String,
}

/// A line of body text: its glyphs left to right.
#[derive(Debug)]
struct Line {
    glyphs: Vec<Glyph>,
}

impl Line {
    fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.text.as_str()).collect()
    }
    fn first(&self) -> char {
        self.text().chars().next().unwrap()
    }
    fn start(&self) -> f64 {
        self.glyphs[0].x
    }
    fn end(&self) -> f64 {
        ink_end(self.glyphs.last().unwrap())
    }
}

/// The right edge of a glyph's ink box (a CJK glyph is at most 1 em;
/// spacing the justifier hung after it is not ink).
fn ink_end(g: &Glyph) -> f64 {
    // Marks set in the left half of their em box (GB style).
    if g.text.chars().count() == 1 && "，。、：；！？）》」』】〕〉”’".contains(g.text.as_str())
    {
        return g.x + g.w.min(g.size / 2.0);
    }
    let cjk = g.text.chars().filter(|&c| is_cjk(c)).count() as f64;
    g.x + if cjk > 0.0 {
        g.w.min(g.size * cjk)
    } else {
        g.w
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}' | '\u{2018}'..='\u{201d}' | '\u{2014}' | '\u{2026}')
}

fn walk(frame: &Frame, page: usize, offset: Point, out: &mut Vec<Glyph>) {
    for (pos, item) in frame.items() {
        let at = offset + *pos;
        match item {
            FrameItem::Group(group) => {
                let t = group.transform;
                let shifted = Point::new(at.x + t.tx, at.y + t.ty);
                walk(&group.frame, page, shifted, out)
            }
            FrameItem::Text(text) => {
                let size = text.size.to_pt();
                let family = text.font.info().family.clone();
                let mut x = at.x.to_pt();
                for glyph in &text.glyphs {
                    let w = glyph.x_advance.get() * size;
                    out.push(Glyph {
                        page,
                        x: x + glyph.x_offset.get() * size,
                        y: at.y.to_pt(),
                        w,
                        text: text.text[glyph.range()].to_string(),
                        size,
                        family: family.clone(),
                    });
                    x += w;
                }
            }
            _ => {}
        }
    }
}

/// Typesets a report (TOML text) and returns its glyphs.
fn glyphs_of(toml: &str) -> Vec<Glyph> {
    let dir = tempfile::tempdir().unwrap();
    let path = common::write_report(dir.path(), toml);
    glyphs_of_file(&path, dir.path())
}

/// Typesets a report file inside `root` with the bundled fonts only.
fn glyphs_of_file(path: &std::path::Path, root: &std::path::Path) -> Vec<Glyph> {
    let typeset = common::typeset_spread(path, root, false);
    let mut out = Vec::new();
    for (i, page) in typeset.document.pages().iter().enumerate() {
        walk(&page.frame, i, Point::zero(), &mut out);
    }
    out
}

/// The grid column a glyph sits in: columns are 117 pt wide with 9 pt
/// gutters from the type area's left edge (53.26 pt on a broadsheet); an
/// opening mark at a line start may begin half an em early.
fn grid_column(g: &Glyph) -> i64 {
    ((g.x - 53.26 + 5.0) / 126.0).floor() as i64
}

/// Body lines (小五 宋体), split at the grid's column gutters.
fn body_lines(glyphs: &[Glyph]) -> Vec<Line> {
    let mut body: Vec<&Glyph> = glyphs
        .iter()
        .filter(|g| (g.size - 9.0).abs() < 0.01 && g.family == "Noto Serif CJK SC")
        .collect();
    body.sort_by(|a, b| {
        (a.page, (a.y * 10.0).round() as i64)
            .cmp(&(b.page, (b.y * 10.0).round() as i64))
            .then(a.x.total_cmp(&b.x))
    });
    let mut lines: Vec<Line> = Vec::new();
    for g in body {
        let joined = lines.last().is_some_and(|line| {
            let last = line.glyphs.last().unwrap();
            last.page == g.page
                && (last.y - g.y).abs() < 0.05
                && grid_column(last) == grid_column(g)
        });
        if joined {
            lines.last_mut().unwrap().glyphs.push(g.clone());
        } else {
            lines.push(Line {
                glyphs: vec![g.clone()],
            });
        }
    }
    lines
}

const PARAGRAPHS: &str = "
甲乙丙丁戊己庚辛壬癸子，丑寅卯辰巳午未申酉戌亥一二三四五六七八九十。

规上工业产值达到2471亿元，增长11.2%，建成50万吨/年己二酸项目和72GWh动力电池基地。

采用5G全连接工厂与HP-RTM工艺，引进PET三期项目，推动数字化车间改造。

他说：“工业是涪陵发展的‘根’和‘魂’。”（见《涪陵日报》）这是他的原话。

一年来，涪陵制造因技改向“高”攀升——实现新增创新型中小企业53家……数量全市第一。

甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥一二三四五六七八九十百千万亿兆京垓秭穰沟涧正载极甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥。

甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥一，二三四五六七八九十。

甲乙丙丁戊己庚辛壬癸子（丑寅卯辰巳午）未申酉戌亥一二三四五六七八九十。

甲乙，丙丁戊己庚辛壬癸，子丑寅卯辰巳午未申酉戌亥。
";

fn lines() -> &'static Vec<Line> {
    static LINES: OnceLock<Vec<Line>> = OnceLock::new();
    LINES.get_or_init(|| {
        let text = PARAGRAPHS.repeat(3);
        body_lines(&glyphs_of(&common::small_report(&text)))
    })
}

/// Lines grouped per column: (column left edge, lines top to bottom).
fn columns() -> Vec<(f64, Vec<&'static Line>)> {
    let mut out: Vec<(f64, Vec<&'static Line>)> = Vec::new();
    for line in lines() {
        let left = line.start();
        // An indented line belongs to the column 2 em to its left.
        let col = out.iter_mut().find(|(x, l)| {
            l[0].glyphs[0].page == line.glyphs[0].page
                && [0.0, INDENT, -INDENT, -4.5, INDENT - 4.5, -INDENT - 4.5]
                    .iter()
                    .any(|d| (left - d - *x).abs() < 0.5)
        });
        match col {
            Some((_, l)) => l.push(line),
            None => out.push((left, vec![line])),
        }
    }
    // The column's edge is its leftmost line that does not start with an
    // opening mark (those start half an em early); lines read top to bottom.
    for (x, l) in &mut out {
        *x = l
            .iter()
            .filter(|l| !"（《「『【〔〈“‘".contains(l.first()))
            .map(|l| l.start())
            .fold(f64::MAX, f64::min);
        l.sort_by(|a, b| a.glyphs[0].y.total_cmp(&b.glyphs[0].y));
    }
    out
}

const COLUMN: f64 = 117.0;
const INDENT: f64 = 18.0;

#[test]
fn no_forbidden_mark_starts_or_ends_a_line() {
    let no_start = "、，。：；！？）》」』】〕〉”’·／";
    let no_end = "（《「『【〔〈“‘";
    for line in lines() {
        let text = line.text().replace('\u{2060}', "");
        let first = text.chars().next().unwrap();
        let last = text.chars().last().unwrap();
        assert!(
            !no_start.contains(first),
            "line starts with {first}: {text}"
        );
        assert!(!no_end.contains(last), "line ends with {last}: {text}");
    }
}

#[test]
fn dashes_ellipses_and_numbers_with_units_stay_whole() {
    let all: Vec<String> = lines()
        .iter()
        .map(|l| l.text().replace('\u{2060}', ""))
        .collect();
    for pair in all.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        for mark in ['—', '…'] {
            assert!(
                !(a.ends_with(mark) && b.starts_with(mark)),
                "{mark}{mark} split: {a} | {b}"
            );
        }
        let a_end = a.chars().last().unwrap();
        let b_start = b.chars().next().unwrap();
        let digitish = |c: char| c.is_ascii_digit() || c == '.' || c == '%';
        assert!(
            !(a_end.is_ascii_digit() && (digitish(b_start) || "亿万元吨家%".contains(b_start))),
            "number split: {a} | {b}"
        );
    }
    for whole in ["2471亿元", "11.2%", "50万吨/年", "72GWh", "53家"] {
        assert!(
            all.iter().any(|l| l.contains(whole)),
            "{whole} is not on one line"
        );
    }
}

#[test]
fn paragraphs_start_with_a_two_em_indent() {
    let mut indented = 0;
    for (x, col) in columns() {
        for line in col {
            let offset = line.start() - x;
            let opening = "（《「『【〔〈“‘".contains(line.first());
            let offset = if opening { offset + 4.5 } else { offset };
            assert!(
                offset.abs() < 0.5 || (offset - INDENT).abs() < 0.5,
                "odd indent {offset}: {}",
                line.text()
            );
            if (offset - INDENT).abs() < 0.5 {
                indented += 1;
            }
        }
    }
    // Nine paragraphs, three times over: every one starts indented.
    assert_eq!(indented, 27);
}

#[test]
fn lines_are_justified_and_last_lines_ragged() {
    let mut full = 0;
    for (x, col) in columns() {
        for (i, line) in col.iter().enumerate() {
            let end = line.end() - x;
            assert!(
                end <= COLUMN + 0.3,
                "hangs past the column ({end:.2} pt): {}",
                line.text()
            );
            let next_indented = col
                .get(i + 1)
                .is_some_and(|n| (n.start() - x - INDENT).abs() < 0.5);
            let paragraph_end =
                line.text().ends_with('。') && (next_indented || i + 1 == col.len());
            if !paragraph_end {
                // A full line reaches the right edge (a final half-width
                // mark may stop half an em short).
                assert!(
                    end >= COLUMN - 4.6,
                    "ragged inside a paragraph ({end:.2}): {}",
                    line.text()
                );
                full += 1;
            }
        }
    }
    assert!(full > 30, "too few full lines checked: {full}");
}

#[test]
fn no_last_line_holds_a_lone_character() {
    for (x, col) in columns() {
        for (i, line) in col.iter().enumerate() {
            let next_indented = col
                .get(i + 1)
                .is_some_and(|n| (n.start() - x - INDENT).abs() < 0.5);
            if next_indented || i + 1 == col.len() {
                let chars = line.text().replace('\u{2060}', "").chars().count();
                assert!(chars >= 2, "lone character on a last line: {}", line.text());
            }
        }
    }
}

#[test]
fn han_and_latin_are_spaced_a_quarter_em() {
    let line = lines()
        .iter()
        .find(|l| l.text().contains("采用5G"))
        .unwrap();
    let g = &line.glyphs;
    let at = |s: &str| g.iter().position(|x| x.text == s).unwrap();
    let (yong, five, gee, quan) = (at("用"), at("5"), at("G"), at("全"));
    let before = g[five].x - (g[yong].x + 9.0);
    let after = g[quan].x - (g[gee].x + g[gee].w);
    for gap in [before, after] {
        assert!(
            (9.0 / 8.0..=9.0 / 2.0).contains(&gap),
            "Han–Latin gap {gap:.2} pt: {}",
            line.text()
        );
    }
    // None at a line start: lines beginning with Latin start flush.
    for line in lines().iter().filter(|l| l.text().starts_with("HP")) {
        assert!(
            columns()
                .iter()
                .any(|(x, _)| (line.start() - x).abs() < 0.3)
        );
    }
}

#[test]
fn adjacent_marks_take_one_and_a_half_em() {
    let line = lines().iter().find(|l| l.text().contains("。”")).unwrap();
    let g = &line.glyphs;
    let i = g.iter().position(|x| x.text == "。").unwrap();
    assert_eq!(g[i + 1].text, "”");
    let pair = g[i + 2].x - g[i].x;
    assert!(
        pair <= 13.5 + 0.3,
        "。” takes {pair:.2} pt, more than 1.5 em: {}",
        line.text()
    );
}

#[test]
fn body_text_is_xiaowu_song_with_kai_captions() {
    let glyphs = glyphs_of(&common::small_report("正文。"));
    let body = glyphs.iter().find(|g| g.text == "正").unwrap();
    assert_eq!(body.size, 9.0, "小五 is 9 pt");
    assert_eq!(body.family, "Noto Serif CJK SC");
    let heading = glyphs.iter().find(|g| g.text == "小").unwrap();
    assert_eq!(heading.family, "Noto Sans CJK SC");
}

#[test]
fn marks_are_squeezed_before_a_character_is_pushed() {
    // "甲乙，丙丁戊己庚辛壬癸，" is 12 em after a 2 em indent in 13: it fits
    // only if both commas are set half width (先挤进), instead of pushing
    // "癸，" to the next line (后推出).
    let line = lines()
        .iter()
        .find(|l| l.text().starts_with("甲乙，丙"))
        .expect("crafted line");
    assert!(
        line.text().ends_with("癸，"),
        "pushed instead of squeezed: {}",
        line.text()
    );
    let last = line.glyphs.last().unwrap();
    assert!(
        last.w <= 4.5 + 0.1,
        "line-end comma is {:.2} pt wide",
        last.w
    );
}

#[test]
fn an_opening_bracket_at_line_start_loses_its_leading_half_em() {
    let columns = columns();
    let line = lines()
        .iter()
        .find(|l| l.text().starts_with('（'))
        .expect("a line starts with （");
    let (x, _) = columns
        .iter()
        .find(|(_, l)| l.iter().any(|m| std::ptr::eq(*m, line)))
        .unwrap();
    let second = line.glyphs[1].x - x;
    assert!(
        (second - 4.5).abs() < 0.3,
        "（ takes {second:.2} pt at line start: {}",
        line.text()
    );
}

#[test]
fn nothing_but_the_headline_crosses_the_fold() {
    let glyphs = glyphs_of_file(&common::example(), &common::repo());
    let width = 390.0 / 25.4 * 72.0;
    let margin = (width - 999.0) / 2.0;
    let mut body = 0;
    for g in &glyphs {
        let edge = if g.page == 0 { width } else { 0.0 };
        let straddles = g.x < edge - 0.01 && g.x + g.w > edge + 0.01;
        assert!(
            !straddles || g.size >= 40.0,
            "{:?} ({} pt) crosses the fold",
            g.text,
            g.size
        );
        if (g.size - 9.0).abs() < 0.01 && g.family == "Noto Serif CJK SC" {
            body += 1;
            assert!(
                g.x >= margin - 5.0 && ink_end(g) <= width - margin + 0.5,
                "body text outside the type area: {g:?}"
            );
        }
    }
    assert!(
        body > 2000,
        "the example's body text was found ({body} glyphs)"
    );
    // Faces: captions and the lede in 楷体, figures in 黑体, and digits in
    // body text from the body face's own Latin (no mismatched fallback).
    let family_of = |text: &str, size: f64| {
        glyphs
            .iter()
            .find(|g| g.text == text && (g.size - size).abs() < 0.01)
            .map(|g| g.family.as_str())
    };
    assert!(family_of("华", 9.0).is_some());
    let caption = glyphs
        .iter()
        .find(|g| g.text == "装" && g.family != "Noto Serif CJK SC");
    assert_eq!(
        caption.map(|g| g.family.as_str()),
        Some("LXGW WenKai"),
        "caption face"
    );
    assert_eq!(family_of("眼", 10.5), Some("LXGW WenKai"), "lede face");
    assert_eq!(
        family_of("2", 26.0),
        Some("Noto Sans CJK SC"),
        "figure face"
    );
    // "50万吨/年" in the body: its digits come from the body face.
    let wan = glyphs
        .windows(3)
        .filter(|w| {
            w[0].text == "5"
                && w[1].text == "0"
                && w[2].text == "万"
                && (w[2].size - 9.0).abs() < 0.01
        })
        .collect::<Vec<_>>();
    assert!(!wan.is_empty(), "50万 not found in the body");
    for w in wan {
        assert_eq!(
            (w[0].family.as_str(), w[1].family.as_str()),
            ("Noto Serif CJK SC", "Noto Serif CJK SC")
        );
    }
    // The main headline does cross it, split at the space: 涪陵 | 加快形成….
    let left: String = glyphs
        .iter()
        .filter(|g| g.page == 0 && g.size > 40.0 && g.x < width)
        .map(|g| g.text.as_str())
        .collect();
    assert_eq!(left, "涪陵");
}
