//! Pull quotes (引语): the sentence of a story the composer may set large,
//! in a group of its own beside the text, to take up a gap the copy would
//! leave. It is derived from the story and repeats it word for word; a
//! report turns pull quotes off with `layout.pull_quotes = false`.

/// Sentences shorter than this read as a fragment when set large.
const LEAST: usize = 12;
/// Sentences longer than this no longer read as a pull quote.
const MOST: usize = 36;

/// The sentence of a story's text best set as its pull quote, if any: a
/// direct quote, else one that carries a figure, else the fullest, never
/// the story's opening sentence.
pub fn candidate(text: &str) -> Option<String> {
    let sentences = sentences(text);
    sentences
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, s)| (LEAST..=MOST).contains(&s.chars().count()))
        .max_by_key(|(i, s)| (score(s), std::cmp::Reverse(*i)))
        .map(|(_, s)| s.to_string())
}

/// How well a sentence reads as a pull quote.
fn score(sentence: &str) -> u32 {
    let quoted = sentence.contains('“') && sentence.contains('”');
    let figures = sentence.chars().any(|c| c.is_ascii_digit());
    let length = sentence.chars().count();
    u32::from(quoted) * 4 + u32::from(figures) * 2 + u32::from((18..=30).contains(&length))
}

/// A text's sentences, each ending with its closing mark (and a closing
/// quote after it).
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !"。！？".contains(c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, next)) = chars.peek() {
            if "”’）".contains(next) {
                end = j + next.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let sentence = text[start..end].trim();
        if !sentence.is_empty() {
            out.push(sentence);
        }
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_is_chosen_over_a_figure_and_never_the_opening() {
        let text = "开篇第一句话在这里说明了整个故事的背景和起因。去年全区规上工业产值达到2471亿元。\
                    “我们要把创新摆在发展全局的核心位置。”他说。";
        assert_eq!(
            candidate(text).as_deref(),
            Some("“我们要把创新摆在发展全局的核心位置。”")
        );
        let text =
            "开篇第一句话在这里说明了整个故事的背景和起因。去年全区规上工业产值达到2471亿元。";
        assert_eq!(
            candidate(text).as_deref(),
            Some("去年全区规上工业产值达到2471亿元。")
        );
        assert_eq!(candidate("只有一句话，没有别的可以引用的内容了。"), None);
    }
}
