//! Chinese word boundaries, by jieba-rs's segmenter.
//!
//! Loading its dictionary takes a few hundred milliseconds, so it is
//! loaded once a process, on first use, and only when a text needs it (a
//! headline with no space to split at); [`prepare`] starts the load on
//! another thread so that it overlaps other work.

use std::sync::OnceLock;

use jieba_rs::Jieba;

static JIEBA: OnceLock<Jieba> = OnceLock::new();

/// The segmenter, loaded on first use.
pub fn jieba() -> &'static Jieba {
    JIEBA.get_or_init(Jieba::new)
}

/// Starts loading the segmenter on another thread, if it is not loaded.
pub fn prepare() {
    if JIEBA.get().is_none() {
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
