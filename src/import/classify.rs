//! What a single line looks like: closed or cut, a subhead's two phrases,
//! a byline, a credit line, a caption's marks, a data-box row.
//!
//! These are the shapes a page editor reads at a glance; recognition
//! combines them with where a line stands.

use super::normalise::{is_han, is_wide_punct};

/// Labels of the lede box.
#[rustfmt::skip]
pub const LEDE_LABELS: &[&str] = &[
    "核心提示", "编者按", "编者的话", "内容提要", "阅读提示", "导读", "提要", "导语",
];

/// Labels of the quote box.
#[rustfmt::skip]
pub const QUOTE_LABELS: &[&str] = &[
    "地方声音", "一线声音", "代表声音", "委员声音", "基层声音", "企业声音", "群众声音", "声音", "专家观点", "专家点评",
    "观点", "访谈", "记者手记", "采访手记", "代表说", "委员说",
];

/// Labels of a list of key figures.
#[rustfmt::skip]
pub const FIGURE_LABELS: &[&str] = &[
    "关键数字", "数说", "数读", "数字看点", "数据看点", "一组数据", "数据", "数字",
];

/// Words that end a line naming a scene (a photo caption).
#[rustfmt::skip]
const SCENE_WORDS: &[&str] = &[
    "车间", "现场", "生产线", "装备", "设备", "工厂", "厂区", "基地", "园区", "厂房",
    "一角", "全景", "外景", "夜景", "鸟瞰", "航拍", "风光", "风貌", "景色", "码头",
    "港口", "大桥", "工地", "街景", "实验室", "展厅", "产品", "工人", "村民", "游客",
    "市民", "会场", "场景", "资料图", "示意图", "效果图", "生产", "作业", "施工", "运行",
    "运转", "投产", "建设中",
];

/// Words that say a phrase describes a picture (the banner's alt text).
#[rustfmt::skip]
const PICTURE_WORDS: &[&str] = &[
    "封面", "题图", "配图", "主图", "图片", "照片",
];

/// Prefixes of a byline.
#[rustfmt::skip]
const BYLINE_PREFIXES: &[&str] = &[
    "本报记者", "特约记者", "见习记者", "融媒体记者", "记者", "通讯员", "撰文", "文字", "文/", "文／",
    "文：",
];

/// Prefixes of a photographer's part of a byline ("文/赵晓 图/钱多").
pub const PHOTO_PREFIXES: &[&str] = &["图/", "图／", "摄影/", "摄影：", "图："];

/// Number of characters.
pub fn len(text: &str) -> usize {
    text.chars().count()
}

/// The last `n` characters of a text, to quote it in a message.
pub fn ending(text: &str, n: usize) -> &str {
    let start = text
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &text[start..]
}

/// The first `n` characters of a text.
pub fn opening(text: &str, n: usize) -> &str {
    let end = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    &text[..end]
}

/// Whether a line ends a sentence (。！？… or ；), looking through closing
/// quotes and brackets; a line that does not may have been cut.
pub fn is_closed(text: &str) -> bool {
    let core = text.trim_end_matches(['”', '’', '）', ')', '》', '】', ' ', '"']);
    core.ends_with(['。', '！', '？', '…', '；', '!', '?', '.', '：'])
}

/// Whether a line holds clause punctuation: prose, not a heading.
pub fn has_clause_punct(text: &str) -> bool {
    text.contains(['，', '、', '；', '。', '！', '？'])
}

/// The phrases of a heading, split at spaces.
pub fn phrases(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

/// Two or more phrases of two characters or more, with no clause
/// punctuation: the shape of a subhead ("突破发展 现代产业蓄积新优势").
pub fn is_subhead_shape(text: &str) -> bool {
    let parts = phrases(text);
    parts.len() >= 2
        && len(text) <= 32
        && parts.iter().all(|p| len(p) >= 2)
        && !has_clause_punct(text)
        && text.chars().any(is_han)
}

/// Whether a short line is a known label, returning it.
pub fn label<'a>(text: &str, labels: &[&'a str]) -> Option<&'a str> {
    let core = text.trim_matches(|c: char| {
        matches!(c, '【' | '】' | '■' | '●' | '◆' | '★' | ' ' | '：' | ':')
    });
    labels.iter().copied().find(|&l| core == l)
}

/// A label opening a paragraph: "编者按：今年是……" → ("编者按", "今年是……").
pub fn inline_label<'a>(text: &'a str, labels: &[&'static str]) -> Option<(&'static str, &'a str)> {
    let core = text.trim_start_matches(['【', ' ']);
    labels.iter().find_map(|&l| {
        let rest = core.strip_prefix(l)?;
        let rest = rest.trim_start_matches(['】', ' ']);
        let rest = rest.strip_prefix(['：', ':'])?.trim();
        (!rest.is_empty()).then_some((l, rest))
    })
}

/// Whether a line ends with a word naming a scene, as captions do.
pub fn names_scene(text: &str) -> bool {
    let core = text.trim_end_matches(['。', ' ']);
    SCENE_WORDS.iter().any(|w| core.ends_with(w)) || core.contains("正在")
}

/// A caption's own marks: "▲", "图为", "上图：", a "摄" credit.
pub fn caption_marked(text: &str) -> bool {
    let starts = [
        "▲", "△", "↑", "←", "→", "↓", "图为", "上图", "下图", "左图", "右图", "图①", "图：", "图:",
    ];
    starts.iter().any(|s| text.starts_with(s)) || split_credit(text).1.is_some()
}

/// Removes a caption's leading marks.
pub fn strip_caption_marks(text: &str) -> &str {
    let text = text.trim_start_matches(['▲', '△', '↑', '←', '→', '↓', ' ']);
    for prefix in ["上图：", "下图：", "左图：", "右图：", "图：", "图:"] {
        if let Some(rest) = text.strip_prefix(prefix) {
            return rest.trim();
        }
    }
    text
}

/// Splits a photographer's credit off a caption: "车间一角 记者 王某 摄"
/// → ("车间一角", Some("记者 王某 摄")).
pub fn split_credit(text: &str) -> (&str, Option<&str>) {
    let core = text.trim_end_matches([' ', '。']);
    let inner = core.trim_end_matches(['）', ')']);
    if !(inner.ends_with('摄') || inner.ends_with("供图")) {
        return (text, None);
    }
    let start = if inner.len() < core.len() {
        // "新华社发（李安 摄）": the agency's word belongs to the credit.
        core.rfind(['（', '(']).map(|open| {
            let before = &core[..open];
            ["新华社发", "中新社发", "本报发"]
                .iter()
                .find(|w| before.ends_with(*w))
                .map_or(open, |w| open - w.len())
        })
    } else {
        // After the caption's last sentence mark: from "记者" on, else the
        // name before "摄".
        let base = core.rfind(['。', '，']).map_or(0, |i| i + '。'.len_utf8());
        let tail = &core[base..];
        let prefixed = ["本报记者", "特约记者", "记者", "通讯员"]
            .iter()
            .filter_map(|p| tail.find(p))
            .min()
            .map(|at| agency_start(tail, at));
        let named = || {
            let body = tail
                .trim_end_matches('摄')
                .trim_end_matches("供图")
                .trim_end();
            body.rfind(' ').map(|i| i + 1)
        };
        prefixed
            .or_else(named)
            .map(|i| base + i)
            .or((base > 0).then_some(base))
    };
    let Some(start) = start.filter(|&s| s > 0) else {
        return (text, None);
    };
    let caption = core[..start].trim_end_matches([' ', '，', '。']).trim();
    let credit = core[start..].trim();
    // Brackets around the whole credit go; the agency's "（李安 摄）" stays.
    let credit = match credit.strip_prefix(['（', '(']) {
        Some(inner) => inner.trim_end_matches(['）', ')']).trim(),
        None => credit,
    };
    if caption.is_empty() || credit.is_empty() {
        (text, None)
    } else {
        (caption, Some(credit))
    }
}

/// Where a credit starting with "记者" at `at` really starts: at the
/// agency naming it ("新华社记者"), which follows a space or a mark.
fn agency_start(tail: &str, at: usize) -> usize {
    let before = &tail[..at];
    let agency = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_han(c))
        .last()
        .map_or(at, |(i, _)| i);
    if at > agency && len(&tail[agency..at]) <= 6 && agency_reporter(&tail[agency..]).is_some() {
        agency
    } else {
        at
    }
}

/// A person's name: two to four Han characters, or a transliterated name
/// joined by "·".
pub fn is_name(token: &str) -> bool {
    let n = len(token);
    let han = token.chars().filter(|&c| is_han(c)).count();
    if token.contains('·') {
        return n <= 16 && han + token.matches('·').count() == n && han >= 3;
    }
    (2..=4).contains(&n) && han == n
}

/// The reporters' names of a byline ("刘玉珮 龙搏 马菱涛", "本报记者 张三
/// 李四", "（记者 王某）"); `bare` allows a line of names with no prefix.
pub fn byline(text: &str, bare: bool) -> Option<Vec<String>> {
    let core = text.trim_matches(['（', '）', '(', ')', ' ']);
    let mut prefixed = false;
    let mut names = Vec::new();
    let mut photographer = false;
    for token in core.split([' ', '、', '，']).filter(|t| !t.is_empty()) {
        // The photographer's names are the photo credit's, not bylines.
        if PHOTO_PREFIXES.iter().any(|p| token.starts_with(p)) {
            photographer = true;
            continue;
        }
        if photographer && is_name(token) {
            continue;
        }
        photographer = false;
        let mut token = token;
        while let Some(p) = BYLINE_PREFIXES.iter().find(|p| token.starts_with(*p)) {
            token = token[p.len()..].trim_start_matches(['：', ':', '/']);
            prefixed = true;
        }
        if let Some(rest) = agency_reporter(token) {
            token = rest;
            prefixed = true;
        }
        if token.is_empty() {
            continue;
        }
        if !is_name(token) {
            return None;
        }
        names.push(token.to_owned());
    }
    (!names.is_empty() && (prefixed || bare) && names.len() <= 8).then_some(names)
}

/// A reporter of an agency or another paper: "新华社记者王鹏" → "王鹏",
/// "新华社记者" → "".
pub fn agency_reporter(token: &str) -> Option<&str> {
    let at = token.find("记者")?;
    let agency = &token[..at];
    (!agency.is_empty() && len(agency) <= 6 && agency.chars().all(is_han))
        .then(|| &token[at + "记者".len()..])
}

/// A photo credit line: "图片除署名外由涪陵区委宣传部提供".
pub fn is_credit_line(text: &str) -> bool {
    len(text) <= 60
        && (text.ends_with("提供")
            || text.starts_with("图片")
            || text.starts_with("摄影")
            || text.contains("供图")
            || text.starts_with("本版图片"))
        && !text.contains('。')
}

/// Splits a picture word off the end of a banner line:
/// "两江福地 神奇涪陵 报告封面" → ("两江福地 神奇涪陵", Some("报告封面")).
pub fn split_picture_words(text: &str) -> (String, Option<String>) {
    let parts = phrases(text);
    match parts.split_last() {
        Some((last, rest))
            if !rest.is_empty() && PICTURE_WORDS.iter().any(|w| last.ends_with(w)) =>
        {
            (rest.join(" "), Some((*last).to_owned()))
        }
        _ => (text.to_owned(), None),
    }
}

/// Whether a line looks like a display line rather than a headline: four
/// or more phrases, or one that names a picture.
pub fn is_display_shape(text: &str) -> bool {
    phrases(text).len() >= 4 || split_picture_words(text).1.is_some()
}

/// An edition label: "2024全国两会特别报道".
pub fn is_edition(text: &str) -> bool {
    let words = [
        "特别报道",
        "特刊",
        "专刊",
        "专版",
        "专题",
        "特辑",
        "周刊",
        "增刊",
        "报道",
    ];
    len(text) <= 24
        && words.iter().any(|w| text.contains(w))
        && !has_clause_punct(text)
        && !text.starts_with("——")
}

/// A data-box row: "总体规模：规上工业产值突破2700亿元。" → (label, text).
pub fn row(text: &str) -> Option<(&str, &str)> {
    let (label, rest) = text.split_once(['：', ':'])?;
    let label = label.trim();
    let rest = rest.trim();
    let n = len(label);
    let clean = !label
        .chars()
        .any(|c| is_wide_punct(c) || c.is_ascii_punctuation());
    ((1..=10).contains(&n) && clean && !rest.is_empty() && label.chars().any(is_han))
        .then_some((label, rest))
}

/// A date in the Chinese form "2024年3月5日" as `YYYY-MM-DD`.
pub fn date(text: &str) -> Option<String> {
    let (year, rest) = text.split_once('年')?;
    let year: String = year
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    let year: String = year.chars().rev().collect();
    let (month, rest) = rest.split_once('月')?;
    let (day, _) = rest.split_once(['日', '号'])?;
    let (m, d): (u32, u32) = (month.trim().parse().ok()?, day.trim().parse().ok()?);
    let date = format!("{year}-{m:02}-{d:02}");
    (year.len() == 4 && crate::report::is_iso_date(&date)).then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endings_and_openings_count_characters() {
        assert_eq!(ending("华峰勇闯技术", 2), "技术");
        assert_eq!(ending("技术", 5), "技术");
        assert_eq!(opening("“无人区”的发展", 4), "“无人区");
    }

    #[test]
    fn closed_lines_end_a_sentence() {
        assert!(is_closed("锻造新质生产力，现代产业是主力军。"));
        assert!(is_closed("“预计今年5月可以正式投产。”"));
        assert!(is_closed("数字经济核心产业规(限)上企业达40家……"));
        assert!(!is_closed("以创新为第一生产力，华峰勇闯技术"));
    }

    #[test]
    fn subheads_have_two_phrases() {
        assert!(is_subhead_shape("突破发展 现代产业蓄积新优势"));
        assert!(!is_subhead_shape("卡深科技生产车间"));
        assert!(!is_subhead_shape("以创新为第一生产力，华峰 勇闯技术"));
    }

    #[test]
    fn bylines_and_credits() {
        assert_eq!(
            byline("刘玉珮 龙搏 马菱涛", true).unwrap(),
            ["刘玉珮", "龙搏", "马菱涛"]
        );
        assert_eq!(
            byline("本报记者 张三 李四", false).unwrap(),
            ["张三", "李四"]
        );
        assert_eq!(byline("文/王𠮷", false).unwrap(), ["王𠮷"]);
        assert!(byline("刘玉珮 龙搏 马菱涛", false).is_none());
        assert!(byline("突破发展 现代产业蓄积新优势", true).is_none());
        assert!(is_credit_line("图片除署名外由涪陵区委宣传部提供"));
    }

    #[test]
    fn caption_credits_split_off() {
        assert_eq!(
            split_credit("工人在车间作业 记者 王某 摄"),
            ("工人在车间作业", Some("记者 王某 摄"))
        );
        assert_eq!(
            split_credit("码头一角（李四 摄）"),
            ("码头一角", Some("李四 摄"))
        );
        assert_eq!(split_credit("卡深科技生产车间"), ("卡深科技生产车间", None));
        assert_eq!(
            split_credit("农民在田里收获大豆。新华社记者 王建威 摄"),
            ("农民在田里收获大豆", Some("新华社记者 王建威 摄"))
        );
        assert_eq!(
            split_credit("无人机在麦田里作业。新华社发（李安 摄）"),
            ("无人机在麦田里作业", Some("新华社发（李安 摄）"))
        );
        assert_eq!(
            byline("本报记者 常青 新华社记者 王鹏", false).unwrap(),
            ["常青", "王鹏"]
        );
    }

    #[test]
    fn rows_labels_and_dates() {
        assert_eq!(
            row("总体规模：规上工业产值突破2700亿元。"),
            Some(("总体规模", "规上工业产值突破2700亿元。"))
        );
        assert_eq!(row("据介绍，今年：好"), None);
        assert_eq!(
            inline_label("编者按：今年是关键一年。", LEDE_LABELS),
            Some(("编者按", "今年是关键一年。"))
        );
        assert_eq!(label("【地方声音】", QUOTE_LABELS), Some("地方声音"));
        assert_eq!(date("2024年3月5日 星期二").as_deref(), Some("2024-03-05"));
        assert_eq!(
            split_picture_words("两江福地 神奇涪陵 报告封面")
                .1
                .as_deref(),
            Some("报告封面")
        );
    }
}
