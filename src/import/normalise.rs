//! Punctuation and spacing set the way mainland newspapers set them
//! (GB/T 15834-2011), and the stray markers extraction leaves behind.
//!
//! In Chinese text, punctuation is full width (，。：；！？（）“”), an
//! ellipsis is two ……, a dash two ——; letters and digits are half width
//! and need no spaces around them (the layout adds a quarter em). Between
//! Latin words, and between digits ("1,200", "10:30", "11.2"), the
//! half-width marks stay.

/// Whether a character is a Han ideograph (every CJK block, rare
/// extensions included, so names with rare characters count).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0x20000..=0x2FA1F | 0x30000..=0x323AF)
}

/// Whether a character is CJK punctuation or a full-width form.
pub fn is_wide_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20
        | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
        || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—' | '·')
}

/// Han characters and CJK punctuation: the context in which half-width
/// marks become full width.
pub fn is_wide(c: char) -> bool {
    is_han(c) || is_wide_punct(c)
}

/// How a line is used: prose loses spaces next to Chinese; a heading keeps
/// one space between its phrases (a subhead's two halves).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Body text, lede, quote, captions.
    Prose,
    /// Headlines, subheads, labels, the banner line.
    Heading,
}

/// Normalises punctuation, width and spacing; idempotent.
pub fn normalise(text: &str, style: Style) -> String {
    let mut current = widths(text);
    // Each rule sees the others' results (a bracket made full width makes
    // the quote beside it Chinese), so apply them until nothing changes.
    for _ in 0..6 {
        let next = spaces(&marks(&current), style);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

/// Full-width letters and digits to half width, stray markers and
/// invisible characters out, odd spaces to plain ones.
fn widths(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '％' | '＋' | '＆' | '＠' | '＃' => {
                out.push(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c))
            }
            '\u{3000}' | '\u{00A0}' | '\t' | '\u{2002}'..='\u{200A}' | '\u{202F}' => out.push(' '),
            '\u{200B}' | '\u{FEFF}' | '\u{00AD}' | '\u{200E}' | '\u{200F}' => {}
            '「' => out.push('“'),
            '」' => out.push('”'),
            '『' => out.push('‘'),
            '』' => out.push('’'),
            '•' | '・' | '‧' | '∙' | '･' => out.push('·'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    strip_markers(&out)
}

/// Removes Markdown emphasis markers that lost their partner (`**`, `__`,
/// `~~`, full-width `＊＊`).
pub fn strip_markers(text: &str) -> String {
    let mut out = text.to_owned();
    for marker in ["＊＊", "**", "__", "~~"] {
        if out.contains(marker) {
            out = out.replace(marker, "");
        }
    }
    out
}

/// One pass of the punctuation rules over a text.
fn marks(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut quotes = [false, false];
    let mut i = 0;
    while i < chars.len() {
        let (replacement, used) = mark(&chars, i, &mut quotes);
        match replacement {
            Some(text) => out.push_str(text),
            None => out.extend(&chars[i..i + used]),
        }
        i += used;
    }
    out
}

/// The rule for the mark at `i`: what replaces it (`None` keeps it) and
/// how many characters that consumes.
fn mark(chars: &[char], i: usize, quotes: &mut [bool; 2]) -> (Option<&'static str>, usize) {
    let c = chars[i];
    let prev = neighbour(chars, i, -1);
    let next = neighbour(chars, i, 1);
    let wide = prev.is_some_and(is_wide) || next.is_some_and(is_wide);
    let digits =
        prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit());
    let run = chars[i..].iter().take_while(|&&x| x == c).count();
    let one = |s| (Some(s), 1);
    match c {
        '.' | '。' if run >= 3 => (Some("……"), run),
        '…' if run == 1 => one("……"),
        '—' | '―' | '－' if run == 2 => (Some("——"), 2),
        '-' if run == 2 && wide => (Some("——"), 2),
        '—' | '―' if run == 1 && wide => one("——"),
        '―' => one("—"),
        ',' if wide && !digits => one("，"),
        ';' if wide => one("；"),
        ':' if wide && !digits => one("："),
        '?' if wide => one("？"),
        '!' if wide => one("！"),
        '.' if run == 1 && prev.is_some_and(is_han) && next.is_none_or(is_wide) => one("。"),
        '(' if bracket_is_chinese(chars, i) => one("（"),
        ')' if bracket_is_chinese(chars, i) => one("）"),
        '"' if wide => one(toggle(&mut quotes[0], "“", "”")),
        '\'' if prev.is_some_and(is_han) || next.is_some_and(is_han) => {
            one(toggle(&mut quotes[1], "‘", "’"))
        }
        _ => (None, run.max(1)),
    }
}

/// The nearest character before (`-1`) or after (`1`) `i` that is not a
/// space.
fn neighbour(chars: &[char], i: usize, step: isize) -> Option<char> {
    let mut j = i as isize + step;
    while j >= 0 && (j as usize) < chars.len() {
        let c = chars[j as usize];
        if c != ' ' {
            return Some(c);
        }
        j += step;
    }
    None
}

/// Flips a quote's state and returns the mark for it.
fn toggle(open: &mut bool, opening: &'static str, closing: &'static str) -> &'static str {
    *open = !*open;
    if *open { opening } else { closing }
}

/// Whether the half-width bracket at `i` belongs to Chinese text: its
/// pair encloses Han characters, or Chinese stands right outside it.
fn bracket_is_chinese(chars: &[char], i: usize) -> bool {
    let (open, close) = if chars[i] == '(' {
        let close = chars[i + 1..]
            .iter()
            .take(80)
            .position(|&c| c == ')' || c == '(');
        match close {
            Some(k) if chars[i + 1 + k] == ')' => (i, i + 1 + k),
            _ => return false,
        }
    } else {
        let open = chars[..i]
            .iter()
            .rev()
            .take(80)
            .position(|&c| c == '(' || c == ')');
        match open {
            Some(k) if chars[i - 1 - k] == '(' => (i - 1 - k, i),
            _ => return false,
        }
    };
    chars[open + 1..close].iter().any(|&c| is_han(c))
        || neighbour(chars, open, -1).is_some_and(is_wide)
        || neighbour(chars, close, 1).is_some_and(is_wide)
}

/// Collapses spaces; prose keeps them only between Latin words, headings
/// keep one between phrases.
fn spaces(text: &str, style: Style) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != ' ' {
            out.push(c);
            i += 1;
            continue;
        }
        let end = i + chars[i..].iter().take_while(|&&x| x == ' ').count();
        let prev = chars[i - 1];
        let next = chars[end];
        let keep = match style {
            Style::Prose => !is_wide(prev) && !is_wide(next),
            Style::Heading => !is_wide_punct(prev) && !is_wide_punct(next),
        };
        if keep {
            out.push(' ');
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(text: &str) -> String {
        normalise(text, Style::Prose)
    }

    #[test]
    fn half_width_marks_in_chinese_become_full_width() {
        assert_eq!(prose("涪陵,重庆;好:是?对!"), "涪陵，重庆；好：是？对！");
        assert_eq!(prose("项目(六期)装备"), "项目（六期）装备");
        assert_eq!(
            prose("HP-RTM(高压树脂传递工艺)"),
            "HP-RTM（高压树脂传递工艺）"
        );
        assert_eq!(prose("他说\"新花样\"。"), "他说“新花样”。");
        assert_eq!(prose("结束."), "结束。");
    }

    #[test]
    fn numbers_and_latin_keep_their_marks() {
        assert_eq!(prose("增长11.2%，达1,200亿元"), "增长11.2%，达1,200亿元");
        assert_eq!(
            prose("at 10:30 (UTC), it's fine."),
            "at 10:30 (UTC), it's fine."
        );
        assert_eq!(prose("ＧＤＰ增长５.２％"), "GDP增长5.2%");
    }

    #[test]
    fn ellipses_dashes_and_spaces() {
        assert_eq!(prose("等等...还有。。。"), "等等……还有……");
        assert_eq!(prose("企业—摩孚科技"), "企业——摩孚科技");
        assert_eq!(prose("企业--摩孚"), "企业——摩孚");
        assert_eq!(prose("　　涪陵 区 万凯 PET 三期"), "涪陵区万凯PET三期");
        assert_eq!(prose("iPhone 15 Pro 发布"), "iPhone 15 Pro发布");
        assert_eq!(prose("「新」"), "“新”");
        assert_eq!(prose("阿依古丽•买买提"), "阿依古丽·买买提");
    }

    #[test]
    fn headings_keep_one_space_between_phrases() {
        assert_eq!(
            normalise("突破发展　　现代产业蓄积新优势", Style::Heading),
            "突破发展 现代产业蓄积新优势"
        );
    }

    #[test]
    fn stray_markers_are_removed() {
        assert_eq!(prose("总体规模：**规上工业产值"), "总体规模：规上工业产值");
    }

    #[test]
    fn normalising_twice_changes_nothing() {
        for text in [
            "\"(中)\"",
            "a , 中 . b",
            "((中)",
            "中...",
            "中—",
            "\"中\"\"",
            "'中'",
        ] {
            let once = prose(text);
            assert_eq!(prose(&once), once, "{text}");
        }
    }
}
