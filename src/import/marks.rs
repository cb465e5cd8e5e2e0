//! The marks of a newsroom's copy that are not sentences: the edition
//! line, a series tag after a title, a dateline (电头) opening the first
//! paragraph, a run-in lead (段首小标题) ending in "——", a subhead with a
//! comma in it, a photographer's credit line.
//!
//! Like `classify`, these are shapes of single lines; where a line stands
//! decides what it is taken for.

use super::classify::{has_clause_punct, is_closed, is_name, len};
use super::normalise::is_han;

/// News agencies and papers that open a dateline ("新华社北京1月4日电").
#[rustfmt::skip]
const WIRES: &[&str] = &[
    "新华社", "中新社", "中新网", "本报", "本刊", "人民网", "新华网", "央视网", "央广网", "光明网",
    "国际在线", "中国日报网", "经济日报", "法治日报",
];

/// The byte length of a dateline opening a paragraph: "新华社北京12月11日电",
/// "本报北京1月4日电", "本报重庆3月5日讯", "本报讯". The reporters'
/// parenthesis after it ("（记者 于文婧）") is left to the text.
pub fn dateline(text: &str) -> Option<usize> {
    let wire = WIRES.iter().find(|w| text.starts_with(*w))?;
    let rest = &text[wire.len()..];
    if rest.starts_with('讯') {
        return Some(wire.len() + '讯'.len_utf8());
    }
    // A place of at most ten characters, then the day: "北京12月11日电".
    let place = rest
        .char_indices()
        .take_while(|&(_, c)| is_han(c) || c == '·')
        .take(10)
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    let day = &rest[place..];
    let digits = |s: &str| s.chars().take_while(char::is_ascii_digit).count();
    let month = digits(day);
    let after_month = day.get(month..)?.strip_prefix('月')?;
    let date = digits(after_month);
    let after_day = after_month.get(date..)?.strip_prefix('日')?;
    let mark = after_day
        .chars()
        .next()
        .filter(|c| matches!(c, '电' | '讯'))?;
    ((1..=2).contains(&month) && (1..=2).contains(&date))
        .then(|| text.len() - after_day.len() + mark.len_utf8())
}

/// Whether a whole line is a dateline (with the reporters' parenthesis, or
/// without), standing above the paragraph it opens.
pub fn is_dateline_line(text: &str) -> bool {
    dateline(text).is_some_and(|n| {
        let rest = text[n..].trim();
        rest.is_empty()
            || (rest.starts_with(['（', '(']) && rest.ends_with(['）', ')']) && len(rest) <= 30)
    })
}

/// A run-in lead on a line of its own: a short phrase ending in "——"
/// ("生产方式更绿色——").
pub fn is_lead_line(text: &str) -> bool {
    let core = text.strip_suffix("——").unwrap_or("");
    !core.is_empty()
        && len(core) <= 16
        && !core.contains("——")
        && !is_closed(core)
        && !core.contains(['。', '！', '？', '；'])
        && core.chars().any(is_han)
}

/// A subhead with a comma: two or three short parallel clauses, the line
/// open ("交通先行，一通百通", "产业带动出活力，黄土也能生“四金”").
/// Each clause has at least four characters, and the line does not end
/// the way a cut sentence does (on 的, 了, 在 …).
pub fn is_comma_subhead(text: &str) -> bool {
    let clauses: Vec<&str> = text.split('，').collect();
    let cut_ending = text.ends_with([
        '的', '了', '在', '和', '与', '及', '是', '把', '被', '为', '从', '向', '对', '将', '而',
        '并', '或', '，', '、', '：',
    ]);
    (2..=3).contains(&clauses.len())
        && len(text) <= 24
        && clauses.iter().all(|c| (4..=14).contains(&len(c)))
        && !is_closed(text)
        && !cut_ending
        && !text.contains(['。', '！', '？', '；', '：', '、'])
        && text.chars().any(is_han)
}

/// Whether a short line could be a subhead's main line or its kicker: a
/// subhead of two phrases, a comma subhead, or a short open line without
/// clause marks.
pub fn is_subhead_like(text: &str) -> bool {
    super::classify::is_subhead_shape(text)
        || is_comma_subhead(text)
        || (len(text) <= 20
            && !is_closed(text)
            && !has_clause_punct(text)
            && text.chars().any(is_han))
}

/// A series tag after a title, "回家的路更顺畅（新时代 新气象 新作为）" →
/// ("回家的路更顺畅", "新时代 新气象 新作为"); a tag has four characters or more
/// and no digits (a title's "（六期）" is part of it).
pub fn split_series_tag(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_suffix('）')?;
    let open = inner.rfind('（')?;
    let (title, tag) = (inner[..open].trim(), &inner[open + '（'.len_utf8()..]);
    (!title.is_empty() && is_tag(tag)).then_some((title, tag))
}

/// A series tag on a line of its own, in brackets: "（新时代 新气象 新作为）",
/// "【新春走基层】".
pub fn series_line(text: &str) -> Option<&str> {
    let inner = text
        .strip_prefix('（')
        .and_then(|t| t.strip_suffix('）'))
        .or_else(|| text.strip_prefix('【').and_then(|t| t.strip_suffix('】')))?;
    is_tag(inner).then_some(inner.trim())
}

/// The text of a series tag: a few words, no digits, no clause marks.
fn is_tag(tag: &str) -> bool {
    (4..=20).contains(&len(tag))
        && !tag.chars().any(|c| c.is_ascii_digit())
        && !has_clause_punct(tag)
        && !tag.contains(['（', '）'])
        && tag.chars().any(is_han)
}

/// What an edition line says: "《九州日报》（2024年01月26日 第04版）",
/// "第04版：经济", "2024年1月26日 星期五 第4版 要闻".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EditionLine {
    /// The paper's name, from 《…》.
    pub paper: Option<String>,
    /// The page number.
    pub page: Option<u32>,
    /// The page's name (版名): "经济", "要闻".
    pub name: Option<String>,
}

/// Reads an edition line: one naming a page ("第04版", "04版").
pub fn edition_line(text: &str) -> Option<EditionLine> {
    if len(text) > 40 || is_closed(text) {
        return None;
    }
    let page_at = text.find('版')?;
    let before = text[..page_at].trim_end();
    let digits: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || *c == ' ')
        .filter(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let page: u32 = digits.parse().ok().filter(|&p| p > 0)?;
    let paper = text
        .split_once('《')
        .and_then(|(_, rest)| rest.split_once('》'))
        .map(|(name, _)| name.trim().to_owned())
        .filter(|n| !n.is_empty());
    let name = text[page_at + '版'.len_utf8()..]
        .trim_matches(|c: char| c == '：' || c == ':' || c == '）' || c == ')' || c.is_whitespace())
        .to_owned();
    let name = (!name.is_empty() && len(&name) <= 8 && name.chars().all(is_han)).then_some(name);
    Some(EditionLine {
        paper,
        page: Some(page),
        name,
    })
}

/// A photographer's credit on a line of its own: "新华社记者 王建威 摄",
/// "记者 张喆 摄", "新华社发（李安 摄）", "本报记者 王某 供图".
pub fn is_photo_credit(text: &str) -> bool {
    let core = text.trim_matches(['（', '）', '(', ')', ' ']);
    let Some(body) = core
        .strip_suffix('摄')
        .or_else(|| core.strip_suffix("供图"))
    else {
        return false;
    };
    let body = body.trim_end_matches(['（', '(', ' ']);
    len(core) <= 30
        && body
            .split([' ', '（', '(', '、'])
            .filter(|t| !t.is_empty())
            .all(|token| {
                is_name(token)
                    || credit_prefix(token).is_some_and(|rest| rest.is_empty() || is_name(rest))
            })
}

/// A token's credit prefix removed: "新华社记者王建威" → "王建威",
/// "新华社发" → "".
fn credit_prefix(token: &str) -> Option<&str> {
    if let Some(at) = token.find("记者") {
        let agency = &token[..at];
        return (len(agency) <= 6 && agency.chars().all(is_han))
            .then(|| &token[at + "记者".len()..]);
    }
    ["通讯员", "新华社发", "中新社发", "本报发"]
        .iter()
        .find_map(|p| token.strip_prefix(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines() {
        fn at(s: &str) -> Option<&str> {
            dateline(s).map(|n| &s[..n])
        }
        assert_eq!(
            at("新华社北京12月11日电（记者 于文婧）国家统计局11日发布公告"),
            Some("新华社北京12月11日电")
        );
        assert_eq!(at("本报讯（记者 张三）近日，"), Some("本报讯"));
        assert_eq!(
            at("本报重庆3月5日讯 记者从市政府获悉"),
            Some("本报重庆3月5日讯")
        );
        assert_eq!(
            at("新华社华盛顿1月3日电 美国"),
            Some("新华社华盛顿1月3日电")
        );
        assert_eq!(at("本报记者从国铁集团获悉"), None);
        assert_eq!(at("新华社北京讲话精神"), None);
        assert!(is_dateline_line("新华社北京12月11日电（记者 于文婧）"));
        assert!(!is_dateline_line(
            "新华社北京12月11日电（记者 于文婧）国家统计局11日发布公告。"
        ));
    }

    #[test]
    fn leads_and_comma_subheads() {
        assert!(is_lead_line("生产方式更绿色——"));
        assert!(!is_lead_line("生产方式更绿色"));
        assert!(!is_lead_line(
            "他说，这是一个很长很长的句子不该算作小标题的——"
        ));
        assert!(is_comma_subhead("交通先行，一通百通"));
        assert!(is_comma_subhead("产业带动出活力，黄土也能生“四金”"));
        assert!(!is_comma_subhead("据介绍，今年"));
        assert!(!is_comma_subhead("锻造新质生产力，现代产业是主力军。"));
        assert!(!is_comma_subhead(
            "一年来，产业集群筋骨已初见雏形：在新能源汽车"
        ));
        assert!(!is_comma_subhead("去年以来，该区不断加大投入的"));
    }

    #[test]
    fn series_tags_and_edition_lines() {
        assert_eq!(
            split_series_tag("回家的路更顺畅（新时代 新气象 新作为）"),
            Some(("回家的路更顺畅", "新时代 新气象 新作为"))
        );
        assert_eq!(split_series_tag("华峰己二酸扩建项目（六期）"), None);
        assert_eq!(series_line("【新春走基层】"), Some("新春走基层"));
        assert_eq!(
            edition_line("《九州日报》（2024年01月26日 第04版）"),
            Some(EditionLine {
                paper: Some("九州日报".into()),
                page: Some(4),
                name: None
            })
        );
        assert_eq!(
            edition_line("第04版：经济"),
            Some(EditionLine {
                paper: None,
                page: Some(4),
                name: Some("经济".into())
            })
        );
        assert_eq!(edition_line("版面设计很好看"), None);
    }

    #[test]
    fn photo_credits() {
        assert!(is_photo_credit("新华社记者 王建威 摄"));
        assert!(is_photo_credit("记者 张喆 摄"));
        assert!(is_photo_credit("新华社发（李安 摄）"));
        assert!(is_photo_credit("（本报记者 王某 供图）"));
        assert!(!is_photo_credit("农民在田里收获大豆，记者在一旁拍摄"));
    }
}
