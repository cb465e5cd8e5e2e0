//! Chinese word boundaries and parts of speech, by jieba-rs's segmenter.
//!
//! jieba's dictionary holds 349,045 words; loading all of them into a
//! segmenter took 110–170 ms, on every render whose deck derives points
//! (an imported article's) or whose headline folds between words. But a
//! text is cut and tagged from the dictionary's words that occur in it and
//! the dictionary's total frequency alone (each word's probability is its
//! frequency over that total). So a segmenter is made for the texts at
//! hand ([`Words::for_texts`]): the dictionary's words each of whose
//! characters, and each pair of neighbouring characters, occurs in the
//! texts (every word that occurs in them, and some that do not, which never
//! match), and one word no text holds carrying the rest of the total. It
//! cuts and tags those texts, and any part of them, exactly as the whole
//! dictionary does, for a few milliseconds. The dictionary is the one
//! jieba-rs ships (`src/data/dict.txt` of its sources, found by `build.rs`;
//! where it is not found, the whole dictionary is loaded as before).
//!
//! Segmenters are kept by their texts, so the several plans of one build
//! (and a watch's builds while the texts stand) make each once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use jieba_rs::{Jieba, Tag};
#[cfg(banmian_jieba_dict)]
use rustc_hash::FxHashSet;

/// jieba's dictionary: `word frequency tag` a line.
#[cfg(banmian_jieba_dict)]
static DICT: &str = include_str!(env!("BANMIAN_JIEBA_DICT"));

/// The word that carries the frequency of the words left out: two
/// noncharacters, which no text holds (and no font draws).
#[cfg(banmian_jieba_dict)]
const REST: &str = "\u{FFFF}\u{FFFE}";

/// Segmenters kept, by their texts.
const KEEP: usize = 4;

/// A segmenter for some texts (and any part of them).
pub struct Words {
    jieba: Jieba,
}

/// A segmenter being made or made, by the hash of its texts.
type Cell = Arc<OnceLock<Arc<Words>>>;

static MADE: OnceLock<Mutex<HashMap<u128, (u64, Cell)>>> = OnceLock::new();

impl Words {
    /// The segmenter for `texts`: made now, or by the thread already
    /// making it (this one waits), or kept from before.
    pub fn for_texts<S: AsRef<str>>(texts: &[S]) -> Arc<Words> {
        let key = typst::utils::hash128(&texts.iter().map(AsRef::as_ref).collect::<Vec<_>>());
        let cell = {
            let made = MADE.get_or_init(Mutex::default);
            let mut made = made.lock().unwrap_or_else(|p| p.into_inner());
            let next = made.values().map(|(age, _)| age + 1).max().unwrap_or(0);
            if !made.contains_key(&key) && made.len() >= KEEP {
                let oldest = made
                    .iter()
                    .min_by_key(|(_, (age, _))| *age)
                    .map(|(k, _)| *k);
                oldest.map(|k| made.remove(&k));
            }
            let entry = made.entry(key).or_insert_with(|| (next, Cell::default()));
            entry.0 = next;
            entry.1.clone()
        };
        cell.get_or_init(|| Arc::new(Words::make(texts))).clone()
    }

    /// Makes the segmenter for `texts` on another thread, so that it is
    /// ready when they are cut.
    pub fn prepare(texts: Vec<String>) {
        std::thread::spawn(move || {
            Words::for_texts(&texts);
        });
    }

    #[cfg(not(banmian_jieba_dict))]
    fn make<S: AsRef<str>>(_: &[S]) -> Words {
        Words {
            jieba: Jieba::new(),
        }
    }

    #[cfg(banmian_jieba_dict)]
    fn make<S: AsRef<str>>(texts: &[S]) -> Words {
        let mut chars = vec![false; 0x11_0000];
        let mut pairs: FxHashSet<(char, char)> = FxHashSet::default();
        for text in texts {
            let mut before = None;
            for c in text.as_ref().chars() {
                chars[c as usize] = true;
                if let Some(b) = before {
                    pairs.insert((b, c));
                }
                before = Some(c);
            }
        }
        let occurs = |word: &str| {
            let mut before = None;
            word.chars().all(|c| {
                let seen = chars[c as usize] && before.is_none_or(|b| pairs.contains(&(b, c)));
                before = Some(c);
                seen
            })
        };
        let mut kept = String::new();
        let mut kept_total = 0u64;
        for line in DICT.lines() {
            let mut fields = line.split_ascii_whitespace();
            let Some(word) = fields.next() else { continue };
            if occurs(word) {
                kept_total += fields.next().and_then(|f| f.parse().ok()).unwrap_or(0);
                kept.push_str(line);
                kept.push('\n');
            }
        }
        let rest = total().saturating_sub(kept_total);
        if rest > 0 {
            kept.push_str(&format!("{REST} {rest} x\n"));
        }
        let jieba = Jieba::with_dict(&mut kept.as_bytes())
            .expect("lines of jieba's dictionary are dictionary lines");
        Words { jieba }
    }

    /// The byte offsets inside `text` where one word ends and the next
    /// begins.
    pub fn boundaries(&self, text: &str) -> Vec<usize> {
        self.jieba
            .cut(text, true)
            .iter()
            .map(|token| token.byte_end)
            .filter(|&end| end > 0 && end < text.len())
            .collect()
    }

    /// The words of `text` with their parts of speech.
    pub fn tag<'a>(&'a self, text: &'a str) -> Vec<Tag<'a>> {
        self.jieba.tag(text, true)
    }
}

/// The dictionary's total frequency.
#[cfg(banmian_jieba_dict)]
fn total() -> u64 {
    static TOTAL: OnceLock<u64> = OnceLock::new();
    *TOTAL.get_or_init(|| {
        DICT.lines()
            .filter_map(|line| line.split_ascii_whitespace().nth(1)?.parse::<u64>().ok())
            .sum()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found() {
        let text = "加快形成新质生产力";
        let cuts = Words::for_texts(&[text]).boundaries(text);
        // 加快 | 形成 | 新质 | 生产力
        assert_eq!(cuts, vec![6, 12, 18], "{cuts:?}");
    }

    /// Texts of every kind a report holds: news copy with names, places,
    /// organisations and figures, a quote, Latin and digits, rare words of
    /// the dictionary, words it lacks, punctuation and spaces.
    const TEXTS: [&str; 5] = [
        "涪陵区委书记冯学军在重庆市两会上说，华峰集团己二酸六期投产后年产能150万吨，规上工业产值增长11.2%。",
        "“我们要发挥科技创新的增量器作用，”他说。太极集团涪陵制药厂数字化改造后效率提升50%，用工减少30%。",
        "2024年3月5日，全国人大代表、CEO张三丰在北京人民大会堂接受新华社、China Daily记者采访，谈到AI与5G。",
        "龟龄鹤算，龟龙麟凤；龢龠之声。鸡零狗碎的琐事里，也有一丝不苟的匠心。",
        "在车间里，工人们正在调试新设备　　产线满负荷运转\n\n新产品下线。",
    ];

    #[cfg(banmian_jieba_dict)]
    #[test]
    fn a_segmenter_for_the_texts_cuts_and_tags_as_the_whole_dictionary() {
        let whole = Jieba::new();
        let words = Words::for_texts(&TEXTS);
        for word in ["涪陵", "龟龄鹤算", "一丝不苟", "人民大会堂"] {
            assert!(
                words.jieba.has_word(word),
                "{word}: the texts' words are kept"
            );
        }
        for text in TEXTS {
            // Each text, and parts of it (the clauses a point is cut to).
            let parts = std::iter::once(text).chain(text.split(['，', '。', '；']));
            for part in parts {
                assert_eq!(words.boundaries(part), {
                    let cut = whole.cut(part, true);
                    cut.iter()
                        .map(|t| t.byte_end)
                        .filter(|&e| e > 0 && e < part.len())
                        .collect::<Vec<_>>()
                });
                let tags = |tags: Vec<Tag<'_>>| {
                    tags.iter()
                        .map(|t| (t.word.to_owned(), t.tag.to_owned()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(tags(words.tag(part)), tags(whole.tag(part, true)), "{part}");
            }
        }
    }

    #[cfg(banmian_jieba_dict)]
    #[test]
    fn the_rest_of_the_total_is_carried_and_segmenters_are_kept() {
        let words = Words::for_texts(&["生产力"]);
        assert!(words.jieba.has_word(REST));
        assert!(!words.jieba.has_word("涪陵"));
        let again = Words::for_texts(&["生产力"]);
        assert!(Arc::ptr_eq(&words, &again));
        assert_eq!(total(), 60_101_964);
    }
}
