//! Key figures: a number with a unit (亿元, 万吨, %, GWh …) and the label
//! it belongs to, read from a sentence or from a row of a 关键数字 list.
//!
//! The label is the clause before the number, less what is not part of
//! what was counted: the subject and verb ("涪陵累计完成规上工业产值" →
//! "规上工业产值"), the scope ("全区"), a trailing verb ("已突破"). Long
//! statistical terms take their usual newsroom short form (规模以上 → 规上).

use crate::report::{Figure, FigureValue};

use super::classify::len;
use super::normalise::is_han;

/// Units of the figures worth a figure card, longest first.
#[rustfmt::skip]
const UNITS: &[&str] = &[
    "万亿元", "亿美元", "万美元", "亿千瓦时", "万千瓦时", "万平方米", "平方公里", "千瓦时", "万千瓦", "亿人次",
    "万人次", "万标箱", "万TEU", "亿元", "万元", "亿吨", "万吨", "万亩", "万辆", "万人",
    "万台", "万件", "标箱", "TEU", "GWh", "MWh", "kWh", "GW", "MW", "%",
    "‰",
];

/// Verbs that end the subject: the label follows them.
const LEAD_VERBS: &[&str] = &["累计完成", "完成", "实现", "拥有"];

/// Verbs and adverbs between a label and its number.
#[rustfmt::skip]
const TRAIL_WORDS: &[&str] = &[
    "已突破", "突破", "已达到", "达到", "已达", "达", "为", "超过", "超", "约",
    "近", "逾", "共计", "总计", "累计", "合计", "约为", "分别", "同比", "已经",
    "已", "是",
];

/// Scope words before a label.
#[rustfmt::skip]
const SCOPE_WORDS: &[&str] = &[
    "全区", "全市", "全县", "全省", "全国", "全镇", "该区", "该市", "该县", "去年",
    "今年", "一年来", "其中",
];

/// Newsroom short forms of statistical terms.
const SHORT_FORMS: &[(&str, &str)] = &[("规模以上", "规上"), ("限额以上", "限上")];

/// Marks that end a clause.
const CLAUSE_ENDS: &[char] = &[
    '。', '，', '、', '；', '：', '！', '？', '“', '”', '（', '）', '\n', '—',
];

/// A figure found in text, with how sure the label is.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The figure.
    pub figure: Figure,
    /// The label was shortened from the clause (an editor should look).
    pub shortened: bool,
}

/// A number with a unit in a text, at byte offsets.
struct Number<'a> {
    start: usize,
    end: usize,
    value: &'a str,
    unit: &'static str,
}

/// Numbers with a figure unit in `text`.
fn numbers(text: &str) -> Vec<Number<'_>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit() && (i == 0 || !is_number_byte(bytes[i - 1]));
        if !starts {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < bytes.len() && is_number_byte(bytes[end]) {
            end += 1;
        }
        while end > i && !bytes[end - 1].is_ascii_digit() {
            end -= 1;
        }
        let rest = &text[end..];
        if let Some(unit) = UNITS.iter().find(|u| rest.starts_with(*u)) {
            out.push(Number {
                start: i,
                end: end + unit.len(),
                value: &text[i..end],
                unit,
            });
        }
        i = end.max(i + 1);
    }
    out
}

fn is_number_byte(b: u8) -> bool {
    b.is_ascii_digit() || b == b'.' || b == b','
}

/// Figures in a sentence of prose; `need_note` keeps only those set off by
/// a note after "、" ("770亿元、增长8.7%"), the way a report stresses a
/// figure in its body.
pub fn in_prose(text: &str, need_note: bool) -> Vec<Found> {
    let mut out = Vec::new();
    // A number inside the note of the figure before ("、增长9.1%") is
    // part of that figure.
    let mut noted_until = 0;
    for number in numbers(text) {
        if number.start < noted_until {
            continue;
        }
        let note = note_after(text, number.end);
        if let Some(note) = &note {
            noted_until = number.end + '、'.len_utf8() + note.len();
        }
        if need_note && note.is_none() {
            continue;
        }
        let Some((label, shortened)) = label_before(&text[..number.start]) else {
            continue;
        };
        out.push(Found {
            figure: Figure {
                label,
                value: FigureValue::Text(number.value.replace(',', "")),
                unit: number.unit.to_owned(),
                note: note.unwrap_or_default(),
            },
            shortened,
        });
    }
    out
}

/// The note after a figure: "、区县第二" → "区县第二". Not another figure
/// of a list ("243.9亿元、443.7亿元").
fn note_after(text: &str, end: usize) -> Option<String> {
    let rest = text[end..].strip_prefix('、')?;
    let note: String = rest
        .chars()
        .take_while(|c| !CLAUSE_ENDS.contains(c))
        .collect();
    let starts_with_number = note.starts_with(|c: char| c.is_ascii_digit());
    let counted = numbers(&note).iter().any(|n| n.start == 0) || ends_with_count(&note);
    (!note.is_empty() && len(&note) <= 10 && !starts_with_number && !counted).then_some(note)
}

/// "市级绿色工厂7家": a second counted item, not a note ("超全市20%" is).
fn ends_with_count(note: &str) -> bool {
    let number_end = note.trim_end_matches(|c: char| !c.is_ascii_digit());
    let unit = &note[number_end.len()..];
    !number_end.is_empty() && !unit.is_empty() && !["%", "‰", "倍"].contains(&unit)
}

/// The label of a figure from the text before its number; `true` when it
/// had to be shortened.
fn label_before(before: &str) -> Option<(String, bool)> {
    let clause_start = before.rfind(CLAUSE_ENDS).map_or(0, |i| {
        i + before[i..].chars().next().map_or(1, char::len_utf8)
    });
    let clause = before[clause_start..].trim();
    let mut label = clause;
    if let Some((i, verb)) = LEAD_VERBS
        .iter()
        .filter_map(|v| label.rfind(v).map(|i| (i, v)))
        .max()
    {
        label = &label[i + verb.len()..];
    }
    let mut changed = label != clause;
    loop {
        let before = label;
        label = label.trim_end_matches(['了', ' ']);
        if let Some(w) = TRAIL_WORDS.iter().find(|w| label.ends_with(*w)) {
            label = &label[..label.len() - w.len()];
        }
        if let Some(w) = SCOPE_WORDS.iter().find(|w| label.starts_with(*w)) {
            label = &label[w.len()..];
            changed = true;
        }
        if label == before {
            break;
        }
    }
    let mut label = label.trim().to_owned();
    for (long, short) in SHORT_FORMS {
        if label.contains(long) {
            label = label.replace(long, short);
            changed = true;
        }
    }
    let han = label.chars().filter(|&c| is_han(c)).count();
    (han >= 2 && len(&label) <= 16).then_some((label, changed))
}

/// A figure from a row of a 关键数字 list: "2471亿元 规上工业产值（区县第二）",
/// "规上工业产值：2471亿元，区县第二".
pub fn in_row(text: &str) -> Option<Figure> {
    let number = numbers(text).into_iter().next()?;
    let before =
        text[..number.start].trim_matches(|c: char| c == '：' || c == ':' || c.is_whitespace());
    let after = text[number.end..].trim_start_matches(|c: char| "：:，、 ".contains(c));
    let (label, note) = if before.chars().any(is_han) {
        (
            before.to_owned(),
            after.trim_matches(['（', '）', '。']).to_owned(),
        )
    } else {
        let (label, note) = match after.split_once(['（', '，', '、']) {
            Some((label, note)) => (label, note.trim_end_matches(['）', '。'])),
            None => (after.trim_end_matches('。'), ""),
        };
        (label.trim().to_owned(), note.trim().to_owned())
    };
    (!label.is_empty()).then(|| Figure {
        label,
        value: FigureValue::Text(number.value.replace(',', "")),
        unit: number.unit.to_owned(),
        note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str, need_note: bool) -> Vec<(String, String, String, String)> {
        in_prose(text, need_note)
            .into_iter()
            .map(|f| {
                (
                    f.figure.label,
                    f.figure.value.display(),
                    f.figure.unit,
                    f.figure.note,
                )
            })
            .collect()
    }

    #[test]
    fn lede_figures_with_labels_and_notes() {
        let lede = "去年，涪陵累计完成规上工业产值2471亿元、区县第二，工业增加值771亿元、区县第一，规上工业增加值增长11.2%、主城区第一。";
        let found = labels(lede, false);
        assert_eq!(found.len(), 3);
        assert_eq!(
            found[0],
            (
                "规上工业产值".into(),
                "2471".into(),
                "亿元".into(),
                "区县第二".into()
            )
        );
        assert_eq!(found[2].0, "规上工业增加值增长");
        assert_eq!(found[2].2, "%");
    }

    #[test]
    fn body_figures_need_a_note_and_lists_are_not_notes() {
        let text = "全区规模以上工业企业研发费用达44.5亿元、增长10.3%。产值分别达243.9亿元、443.7亿元。新增国家级绿色工厂8家、市级绿色工厂7家。打造72GWh动力电池产业集群。";
        let found = labels(text, true);
        assert_eq!(
            found,
            [(
                "规上工业企业研发费用".into(),
                "44.5".into(),
                "亿元".into(),
                "增长10.3%".into()
            )]
        );
    }

    #[test]
    fn rows_of_a_key_figure_list() {
        let f = in_row("2471亿元 规上工业产值（区县第二）").unwrap();
        assert_eq!(
            (f.label.as_str(), f.unit.as_str(), f.note.as_str()),
            ("规上工业产值", "亿元", "区县第二")
        );
        let f = in_row("研发投入：12.5亿元，增长9%").unwrap();
        assert_eq!(
            (
                f.label.as_str(),
                f.value.display().as_str(),
                f.note.as_str()
            ),
            ("研发投入", "12.5", "增长9%")
        );
    }
}
