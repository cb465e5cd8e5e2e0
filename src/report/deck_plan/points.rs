//! A section's derived deck points: its key facts, ranked TextRank-style.
//!
//! Each sentence is cut into words with jieba (the maintained Chinese
//! segmenter, with its parts of speech); sentences are the nodes of a
//! graph whose edges weigh the words two sentences share (Mihalcea &
//! Tarau 2004), and PageRank over it says which sentences the section
//! keeps coming back to. That rank is weighed by what a briefing needs:
//! figures, decisions and named subjects (people, places, bodies) count
//! for a sentence, direct speech and a sentence that leans on the one
//! before it count against it, and a scene-setting opener ("冬季，观鸟的
//! 最佳时节。") is never taken. Each point is cut to whole clauses of at
//! most [`POINT_CHARS`] characters, so no point ends mid-word.

use std::collections::HashSet;

use super::{Point, is_quoted, sentences};
use crate::report::{Opening, Section, paragraphs};
use crate::words::Words;

/// Points at most this many characters long, so a slide reads at a glance.
pub const POINT_CHARS: usize = 40;
/// Points per section slide, when derived.
const POINTS: usize = 3;
/// Fewer characters than this make no point.
const SHORTEST: usize = 8;
/// PageRank's damping factor and rounds.
const DAMPING: f64 = 0.85;
const ROUNDS: usize = 30;

/// Words that say something was decided or done.
#[rustfmt::skip]
const DECISIONS: &[&str] = &[
    "决定", "出台", "印发", "发布", "部署", "提出", "明确", "要求", "实施", "推出", "启动",
    "建成", "开通", "投产", "签约", "批准", "设立", "实行", "确保", "将", "计划", "推进",
    "落实", "开工", "投用", "上线", "获批", "完成", "达到", "突破", "增长", "下降",
];

/// How a scene-setting sentence starts: a season, a time of day, a walk in.
#[rustfmt::skip]
const SCENE_OPENERS: &[&str] = &[
    "冬季", "初冬", "隆冬", "寒冬", "初春", "早春", "春日", "盛夏", "金秋", "深秋", "清晨", "早上",
    "傍晚", "夜幕", "暮色", "眼下", "时下", "时值", "正值", "腊月", "走进", "来到", "站在",
    "驱车", "漫步", "放眼", "远眺", "夜晚", "午后", "很难想象", "记者走进", "记者来到",
];

/// Word endings that name a place or a body.
#[rustfmt::skip]
const NAMED_ENDINGS: &[&str] = &[
    "省", "市", "县", "区", "镇", "乡", "村", "州", "港", "站", "湖", "局", "部", "委", "厅",
    "院", "办", "公司", "集团", "中心", "大学", "银行", "政府", "基地", "园区", "协会",
];

/// A candidate: a sentence cut to a point, with what the ranking reads.
struct Candidate {
    /// Its place in the section.
    index: usize,
    /// The point as shown.
    text: String,
    /// Its content words.
    words: HashSet<String>,
    /// How much it is worth beyond its rank.
    weight: f64,
    /// It carries a figure or a decision.
    factual: bool,
}

/// Sentences of a section ranked for its points, at most.
const RANKED: usize = 400;

/// The texts the points of `sections` are cut from: what a segmenter for
/// them must be made for ([`Words::for_texts`]).
pub fn texts<'a>(sections: impl IntoIterator<Item = &'a Section>) -> Vec<String> {
    sections.into_iter().map(bare_text).collect()
}

/// Derives a section's points: its key facts, in the order of the text.
/// `words` is a segmenter made for the section's text ([`texts`]).
pub fn derive(section: &Section, words: &Words) -> Vec<Point> {
    let all = sentences(&bare_text(section));
    // TextRank compares every pair of sentences: a section is ranked on
    // its first [`RANKED`] (some pages of copy), so a pasted accident of a
    // million characters costs no more than a long story.
    let candidates: Vec<Candidate> = all
        .iter()
        .take(RANKED)
        .enumerate()
        .filter_map(|(i, s)| candidate(i, s, words))
        .collect();
    let ranks = text_rank(&candidates);
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    let score = |i: usize| ranks[i] * candidates[i].weight;
    order.sort_by(|&a, &b| score(b).total_cmp(&score(a)).then(a.cmp(&b)));
    let mut chosen: Vec<&Candidate> = Vec::new();
    for i in order {
        let c = &candidates[i];
        if chosen.len() == POINTS {
            break;
        }
        // A sentence of neither figures nor decisions is a point only when
        // the section has too few facts to make two.
        if !c.factual && chosen.len() >= 2 {
            continue;
        }
        // A point that repeats one already taken says nothing new.
        if chosen
            .iter()
            .all(|k| overlap(&k.words, &c.words) < 0.6 && k.text != c.text)
        {
            chosen.push(c);
        }
    }
    chosen.sort_by_key(|c| c.index);
    chosen
        .into_iter()
        .map(|c| Point {
            text: c.text.clone(),
            derived: true,
        })
        .collect()
}

/// The section's text without what opens its paragraphs set apart: the
/// dateline (and the reporters' parenthesis after it) and run-in leads.
fn bare_text(section: &Section) -> String {
    let paragraphs: Vec<String> = paragraphs(&section.text)
        .iter()
        .enumerate()
        .map(|(i, p)| match section.opening(i, p) {
            Some((n, Opening::Dateline)) => skip_parenthesis(&p[n..]).to_owned(),
            Some((n, Opening::Lead)) => p[n..].trim_start().to_owned(),
            None => p.clone(),
        })
        .collect();
    paragraphs.join("\n\n")
}

/// Text after a leading "（记者 某某）".
fn skip_parenthesis(text: &str) -> &str {
    let text = text.trim_start_matches([' ', '\u{3000}']);
    match text.strip_prefix(['（', '(']) {
        Some(rest) => rest
            .find(['）', ')'])
            .map_or(text, |at| rest[at..].trim_start_matches(['）', ')']))
            .trim_start_matches([' ', '\u{3000}']),
        None => text,
    }
}

/// A sentence as a candidate point, or `None` when it makes none: too
/// short, all direct speech, a scene-setting opener, or no run of whole
/// clauses short enough.
fn candidate(index: usize, sentence: &str, words: &Words) -> Option<Candidate> {
    if sentence.chars().count() < SHORTEST || is_quoted(sentence) {
        return None;
    }
    let text = shorten(sentence)?;
    let tags = words.tag(&text);
    let words: HashSet<String> = tags
        .iter()
        .filter(|t| is_content(t.word, t.tag))
        .map(|t| t.word.to_owned())
        .collect();
    let figure = has_figure(&text);
    let named = tags.iter().any(|t| is_named(t.word, t.tag));
    let decided = tags.iter().any(|t| DECISIONS.contains(&t.word));
    let scene = SCENE_OPENERS.iter().any(|w| text.starts_with(w)) || (!figure && is_scene(&text));
    if scene || (!figure && !decided && index == 0) {
        return None;
    }
    let mut weight = 1.0;
    weight *= if figure { 1.8 } else { 1.0 };
    weight *= if named { 1.5 } else { 1.0 };
    weight *= if decided { 1.2 } else { 1.0 };
    // A whole sentence says all it meant to; a run of its clauses may not.
    let body = sentence.trim_end_matches(['。', '；', '！', '!', '，', '…']);
    if text == body {
        weight *= 1.3;
    }
    // Without a figure or a decision, a sentence tells a scene or a view.
    if !figure && !decided {
        weight *= 0.4;
    }
    // Words in quotation marks are someone's view, not the fact.
    if text.contains('“') && (text.ends_with('说') || text.contains("”")) && !figure {
        weight *= 0.6;
    }
    // A point that leans on the sentence before it reads badly alone.
    let leaning = ["当天", "当日", "随后", "同时", "此外", "对此", "为此"];
    if text.starts_with([
        '该', '这', '此', '其', '他', '她', '它', '并', '而', '但', '且', '还', '也', '又',
    ]) || leaning.iter().any(|w| text.starts_with(w))
    {
        weight *= 0.4;
    }
    Some(Candidate {
        index,
        text,
        words,
        weight,
        factual: figure || decided,
    })
}

/// A scene: something going on at a place ("在…车间里，工人们正在…"),
/// told without a figure.
fn is_scene(text: &str) -> bool {
    let first = text.split('，').next().unwrap_or("");
    let at_a_place = first.starts_with('在')
        && first.ends_with(['里', '中', '上', '旁', '前', '内', '外', '边']);
    at_a_place || text.contains("正在")
}

/// Whether a word carries content: a noun, verb, place, name or number of
/// two characters or more (digits count from one).
fn is_content(word: &str, tag: &str) -> bool {
    let digits = word.chars().any(|c| c.is_ascii_digit());
    let long = word.chars().count() >= 2;
    (long || digits)
        && word.chars().any(char::is_alphanumeric)
        && matches!(
            tag.chars().next(),
            Some('n' | 'v' | 'm' | 'e' | 'a' | 'j' | 'l' | 'i')
        )
        && !matches!(tag, "vshi" | "vyou")
}

/// Whether a word names a person, place or body.
fn is_named(word: &str, tag: &str) -> bool {
    let long = word.chars().count() >= 2;
    (long && matches!(tag, "nr" | "nrt" | "nrfg" | "ns" | "nt" | "nz"))
        || (word.chars().count() >= 3 && NAMED_ENDINGS.iter().any(|e| word.ends_with(e)))
}

/// Whether a text carries a figure: a number that is not a date or a
/// time of day ("2023年", "1月25日", "8点" are none), or a Chinese numeral
/// with 成 or 倍 ("四成", "两倍").
pub fn has_figure(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let digit = |c: char| c.is_ascii_digit() || c == '.';
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let end = i + chars[i..].iter().take_while(|&&c| digit(c)).count();
        let when = chars.get(end).is_some_and(|c| "年月日点时".contains(*c));
        if !when {
            return true;
        }
        i = end;
    }
    chars
        .windows(2)
        .any(|w| "一二三四五六七八九十两半".contains(w[0]) && matches!(w[1], '成' | '倍'))
}

/// The share of the smaller set's words the two share.
fn overlap(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let shared = a.intersection(b).count() as f64;
    shared / a.len().min(b.len()).max(1) as f64
}

/// Each candidate's TextRank: PageRank over the graph of sentences whose
/// edges weigh the words they share, normalised by their lengths.
fn text_rank(candidates: &[Candidate]) -> Vec<f64> {
    let n = candidates.len();
    let length = |c: &Candidate| (c.words.len() as f64 + 1.0).ln();
    let mut weights = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in (i + 1)..n {
            let shared = candidates[i]
                .words
                .intersection(&candidates[j].words)
                .count();
            let norm = length(&candidates[i]) + length(&candidates[j]);
            if shared > 0 && norm > 0.0 {
                let w = shared as f64 / norm;
                weights[i][j] = w;
                weights[j][i] = w;
            }
        }
    }
    let out: Vec<f64> = weights.iter().map(|row| row.iter().sum()).collect();
    let mut rank = vec![1.0; n];
    for _ in 0..ROUNDS {
        rank = (0..n)
            .map(|i| {
                let inflow: f64 = (0..n)
                    .filter(|&j| out[j] > 0.0)
                    .map(|j| weights[j][i] / out[j] * rank[j])
                    .sum();
                (1.0 - DAMPING) + DAMPING * inflow
            })
            .collect();
    }
    rank
}

/// Where a sentence may be cut: after a clause's mark. Not after "、",
/// which lists things that belong together.
fn is_clause_mark(c: char) -> bool {
    matches!(c, '，' | '；' | '：' | ',' | ';')
}

/// Cuts a sentence to the run of whole clauses that fits a point,
/// preferring the run that starts the sentence and carries a figure; drops
/// the closing mark, as slide points do. `None` when no run of whole
/// clauses fits, or every run leaves a quotation mark or bracket open: a
/// point is never cut mid-clause.
pub fn shorten(sentence: &str) -> Option<String> {
    let body = sentence.trim_end_matches(['。', '；', '！', '!', '，', '…']);
    if body.chars().count() <= POINT_CHARS && balanced(body) {
        return Some(body.to_owned());
    }
    let clauses = clauses(body);
    let mut best: Option<(i32, String)> = None;
    for start in 0..clauses.len() {
        let mut run = String::new();
        for (k, clause) in clauses[start..].iter().enumerate() {
            let next = format!("{run}{clause}");
            let trimmed = next.trim_end_matches(is_clause_mark);
            if trimmed.chars().count() > POINT_CHARS {
                break;
            }
            run = next;
            let piece = run.trim_end_matches(is_clause_mark);
            if piece.chars().count() < SHORTEST || !balanced(piece) {
                continue;
            }
            // A run from the sentence's start keeps its subject: it beats
            // a later run with figures, all else equal.
            let figures = piece.chars().filter(char::is_ascii_digit).count().min(3) as i32;
            let score = figures * 2
                + i32::from(start == 0) * 8
                + k as i32 * 2
                + piece.chars().count() as i32 / 8;
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, piece.to_owned()));
            }
        }
    }
    best.map(|(_, run)| run)
}

/// A sentence's clauses, each with the mark that closes it.
fn clauses(body: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (at, c) in body.char_indices() {
        if is_clause_mark(c) {
            let end = at + c.len_utf8();
            out.push(&body[start..end]);
            start = end;
        }
    }
    if start < body.len() {
        out.push(&body[start..]);
    }
    out
}

/// Whether every quotation mark and bracket opened in a text is closed.
fn balanced(text: &str) -> bool {
    let count = |c: char| text.chars().filter(|&x| x == c).count();
    count('“') == count('”') && count('（') == count('）') && count('《') == count('》')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The points derived for a section, with a segmenter made for it.
    fn points_of(section: &Section) -> Vec<Point> {
        derive(section, &Words::for_texts(&texts([section])))
    }

    fn section(text: &str) -> Section {
        Section {
            kicker: String::new(),
            heading: "小标题".into(),
            dateline: String::new(),
            text: text.into(),
            leads: Vec::new(),
            photos: Vec::new(),
        }
    }

    #[test]
    fn key_facts_lead_and_a_scene_setting_opener_never_does() {
        let text = "冬季，观鸟的最佳时节。清晨，湖边的芦苇荡里，成群的白鹤在浅滩觅食。\
                    江西省林业局发布的监测结果显示，今年鄱阳湖区越冬候鸟数量达到78.2万只，其中白鹤5600余只。\
                    “候鸟越来越多，说明生态越来越好。”副局长刘卫民说。\
                    2020年起，鄱阳湖全面实施禁捕退捕，全省退捕渔船1.8万艘，安置退捕渔民4.2万人。";
        let points = points_of(&section(text));
        let texts: Vec<&str> = points.iter().map(|p| p.text.as_str()).collect();
        assert!(points.iter().all(|p| p.derived));
        assert!(
            !texts.iter().any(|t| t.contains("观鸟的最佳时节")),
            "{texts:?}"
        );
        assert!(!texts.iter().any(|t| t.starts_with("清晨")), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("78.2万只")), "{texts:?}");
        assert!(
            texts.iter().all(|t| t.chars().count() <= POINT_CHARS),
            "{texts:?}"
        );
    }

    #[test]
    fn a_scene_is_no_point_even_with_figures() {
        let text = "清晨6点，湖边的芦苇荡里，3000多只白鹤在浅滩觅食。\
                    走进保护区监控中心，236个监控点位的画面实时显示在大屏幕上。\
                    江西省林业局发布的监测结果显示，今年鄱阳湖区越冬候鸟数量达到78.2万只。\
                    2020年起，鄱阳湖全面实施禁捕退捕，全省安置退捕渔民4.2万人。";
        let texts: Vec<String> = points_of(&section(text))
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(
            texts
                .iter()
                .all(|t| !t.starts_with("清晨") && !t.starts_with("走进")),
            "{texts:?}"
        );
    }

    #[test]
    fn the_section_s_central_facts_outrank_its_asides() {
        let text = "去年，镇上新建公厕12座。今年，村里新修道路3公里。\
                    鄱阳湖区越冬候鸟数量达到78.2万只，候鸟种类增加到156种。\
                    鄱阳湖白鹤数量达到5600余只，占全球白鹤种群的98%。\
                    江西修复鄱阳湖湿地12万亩，为越冬候鸟留足栖息地。";
        let texts: Vec<String> = points_of(&section(text))
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(texts.len(), 3, "{texts:?}");
        assert!(texts.iter().all(|t| t.contains("鄱阳湖")), "{texts:?}");
    }

    #[test]
    fn points_are_cut_at_clauses_with_quotes_closed() {
        let long = "去年全区规上工业产值达到2471亿元，同比增长11.2%，位居全市区县第二，\
                    工业增加值771亿元，继续保持全市区县第一的位置不动摇。";
        let point = shorten(long).unwrap();
        assert!(point.chars().count() <= POINT_CHARS, "{point}");
        assert!(long.starts_with(&point), "{point}");
        assert!(!point.ends_with('，'), "{point}");
        let quoted = "他说“我们的目标是，到2025年建成全省最大的智能制造基地，带动就业一万人以上”，大家都很振奋。";
        let point = shorten(quoted).unwrap();
        assert!(balanced(&point), "{point}");
        assert!(shorten(&"很长的一个分句没有任何停顿".repeat(5)).is_none());
    }

    #[test]
    fn datelines_and_leads_are_no_part_of_a_point() {
        let mut s = section(
            "新华社北京12月11日电（记者 于文婧）国家统计局11日发布公告，全国粮食总产量13908.2亿斤。\n\n\
             生产方式更绿色——工厂每年可减少标准煤消耗1.2万吨。",
        );
        s.dateline = "新华社北京12月11日电".into();
        s.leads = vec!["生产方式更绿色——".into()];
        let texts: Vec<String> = points_of(&s).into_iter().map(|p| p.text).collect();
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("国家统计局11日发布公告")),
            "{texts:?}"
        );
        assert!(texts.iter().any(|t| t.starts_with("工厂每年")), "{texts:?}");
    }

    #[test]
    fn figures_in_digits_and_in_words() {
        assert!(has_figure("增长11.2%"));
        assert!(has_figure("1至10月，吞吐量1.6亿吨"));
        assert!(!has_figure("2023年12月5日早上8点"));
        assert!(has_figure("占比超过六成"));
        assert!(has_figure("是去年的两倍"));
        assert!(!has_figure("成效明显，成果丰硕"));
    }
}
