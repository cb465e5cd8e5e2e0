//! Chinese word boundaries, by jieba-rs's segmenter.
//!
//! Loading its dictionary takes a few hundred milliseconds, so one
//! segmenter serves the whole process (the headline's split and the deck's
//! points), loaded on first use and only when a text needs it (a headline
//! with no space to split at, points to derive); [`prepare`] starts the
//! load on another thread so that it overlaps other work.

use std::sync::OnceLock;

use jieba_rs::Jieba;

static JIEBA: OnceLock<Jieba> = OnceLock::new();

/// The segmenter, loaded on first use, with its model of the parts of
/// speech of words it does not know (the deck's points tag words; the
/// first unknown word would load it).
pub fn jieba() -> &'static Jieba {
    JIEBA.get_or_init(|| {
        let jieba = Jieba::new();
        let _ = jieba.tag("冯学军", true);
        jieba
    })
}

/// Whether the segmenter is loaded.
pub fn loaded() -> bool {
    JIEBA.get().is_some()
}

/// Starts loading the segmenter on another thread, if it is not loaded.
pub fn prepare() {
    if !loaded() {
        std::thread::spawn(|| {
            jieba();
        });
    }
}

/// The byte offsets inside `text` where one word ends and the next begins.
pub fn boundaries(text: &str) -> Vec<usize> {
    jieba()
        .cut(text, true)
        .iter()
        .map(|token| token.byte_end)
        .filter(|&end| end > 0 && end < text.len())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found() {
        let text = "加快形成新质生产力";
        let cuts = boundaries(text);
        // 加快 | 形成 | 新质 | 生产力
        assert_eq!(cuts, vec![6, 12, 18], "{cuts:?}");
    }
}
