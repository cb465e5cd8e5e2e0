//! The measuring pass: the spread template in `measure` mode puts every
//! piece on a page of its own, tagged `<banmian-measure>`; this reads back
//! each page's depth and, for story paragraphs, where Typst broke the lines.
//!
//! A paragraph measured in one column breaks into lines; each line's text
//! is mapped back to a byte range of the paragraph, so the draw pass can set
//! any leg of a story line for line as it was measured (and every leg comes
//! out exactly as deep as planned).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use typst::introspection::Introspector;
use typst::layout::{Frame, FrameItem, Point};

use crate::Error;
use crate::compose::grid::Grid;

use super::protocol::{Measure, Problem, Reader};

pub use super::protocol::Geometry;

impl Geometry {
    /// The grid the composer plans on.
    pub fn grid(&self) -> Grid {
        Grid {
            cols: self.cols,
            col: self.col,
            gutter: self.gutter,
            pitch: self.pitch,
            leading: self.leading,
        }
    }
}

/// A line of a paragraph as measured: its byte range in the paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineSpan {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// Everything the measuring pass found. It serialises (for the measure
/// cache, [`super::measure_cache`]) exactly: a depth read back is the same
/// `f64`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Measures {
    /// The grid and frame.
    pub geometry: Option<Geometry>,
    /// Depths in points by (kind, index, span).
    #[serde(with = "pairs")]
    depths: HashMap<(String, usize, u32), f64>,
    /// Line breaks by (section, paragraph).
    #[serde(with = "pairs")]
    lines: HashMap<(usize, usize), Vec<LineSpan>>,
}

impl Measures {
    /// The depth of a measured piece, in points.
    pub fn depth(&self, kind: &str, index: usize, span: u32) -> Option<f64> {
        self.depths.get(&(kind.to_owned(), index, span)).copied()
    }

    /// The lines of a section's paragraph.
    pub fn lines(&self, section: usize, paragraph: usize) -> Option<&[LineSpan]> {
        self.lines.get(&(section, paragraph)).map(Vec::as_slice)
    }
}

/// Reads the measuring document; `paragraph` gives a section paragraph's
/// text, to map its lines back to it.
pub fn read(
    protocol: &Reader,
    paragraph: impl Fn(usize, usize) -> Option<String>,
) -> Result<Measures, Error> {
    let document = protocol.document();
    let introspector = document.introspector();
    let mut geometry = protocol.entries::<Geometry>()?;
    if geometry.len() != 1 {
        return Err(protocol.missing::<Geometry>(format!(
            "the template reported {} grids in its measuring pass, not one",
            geometry.len()
        )));
    }
    let mut measures = Measures {
        geometry: geometry.pop().map(|found| found.value),
        ..Measures::default()
    };
    for found in protocol.entries::<Measure>()? {
        let page = found
            .content
            .location()
            .and_then(|loc| introspector.page(loc))
            .ok_or_else(|| Error::Internal(format!("measured {:?} has no page", found.value)))?;
        let frame = &document.pages()[page.get() - 1].frame;
        match found.value {
            Measure::Paragraph {
                index,
                paragraph: j,
            } => {
                let text = paragraph(index, j).ok_or_else(|| {
                    let problem = Problem::new(
                        "",
                        format!("the report has no paragraph {j} in sections[{index}]"),
                    );
                    protocol.reject(&found, problem)
                })?;
                let spans = map_lines(&text, &frame_lines(frame)).ok_or_else(|| {
                    let problem = Problem::new(
                        "",
                        format!("the lines measured do not add up to paragraph {j} of sections[{index}] (the page must hold the paragraph alone, as given)"),
                    );
                    protocol.reject(&found, problem)
                })?;
                measures.lines.insert((index, j), spans);
            }
            Measure::Piece { kind, index, span } => {
                let depth = frame.height().to_pt();
                measures
                    .depths
                    .insert((kind.to_owned(), index, span), depth);
            }
        }
    }
    Ok(measures)
}

/// A map as a list of (key, value) pairs, in key order (JSON objects
/// only have string keys).
mod pairs {
    use std::collections::HashMap;
    use std::hash::Hash;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<K, V, S>(map: &HashMap<K, V>, serializer: S) -> Result<S::Ok, S::Error>
    where
        K: Serialize + Ord,
        V: Serialize,
        S: Serializer,
    {
        let mut pairs: Vec<(&K, &V)> = map.iter().collect();
        pairs.sort_by(|a, b| a.0.cmp(b.0));
        pairs.serialize(serializer)
    }

    pub fn deserialize<'de, K, V, D>(deserializer: D) -> Result<HashMap<K, V>, D::Error>
    where
        K: Deserialize<'de> + Eq + Hash,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Ok(Vec::<(K, V)>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

/// The text of each line of a frame, top to bottom (text items grouped by
/// their baseline, left to right).
pub fn frame_lines(frame: &Frame) -> Vec<String> {
    let mut items: Vec<(f64, f64, String)> = Vec::new();
    collect_text(frame, Point::zero(), &mut items);
    items.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut lines: Vec<(f64, String)> = Vec::new();
    for (y, _, text) in items {
        match lines.last_mut() {
            Some((ly, line)) if (y - *ly).abs() < 0.5 => line.push_str(&text),
            _ => lines.push((y, text)),
        }
    }
    lines.into_iter().map(|(_, text)| text).collect()
}

fn collect_text(frame: &Frame, offset: Point, out: &mut Vec<(f64, f64, String)>) {
    for (pos, item) in frame.items() {
        let at = offset + *pos;
        match item {
            FrameItem::Group(group) => {
                let t = group.transform;
                collect_text(&group.frame, Point::new(at.x + t.tx, at.y + t.ty), out);
            }
            FrameItem::Text(text) => out.push((at.y.to_pt(), at.x.to_pt(), text.text.to_string())),
            _ => {}
        }
    }
}

/// Glue that layout adds and the source does not have.
fn is_glue(c: char) -> bool {
    c.is_whitespace() || c == '\u{2060}'
}

/// Maps line texts back to byte ranges of the paragraph they break,
/// counting the characters each line holds (white space and joiners aside).
/// `None` when they do not add up to the paragraph.
pub fn map_lines(paragraph: &str, lines: &[String]) -> Option<Vec<LineSpan>> {
    let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
    let mut at = 0;
    let mut spans = Vec::with_capacity(lines.len());
    for line in lines {
        let count = line.chars().filter(|&c| !is_glue(c)).count();
        while at < chars.len() && is_glue(chars[at].1) {
            at += 1;
        }
        let start = chars.get(at).map_or(paragraph.len(), |c| c.0);
        let mut taken = 0;
        while taken < count {
            let (_, c) = *chars.get(at)?;
            if !is_glue(c) {
                taken += 1;
            }
            at += 1;
        }
        let end = chars.get(at).map_or(paragraph.len(), |c| c.0);
        spans.push(LineSpan { start, end });
    }
    let rest = chars[at.min(chars.len())..]
        .iter()
        .all(|&(_, c)| is_glue(c));
    rest.then_some(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Measures read back from the cache are exactly those written, to the
    /// last bit of every depth (a depth a bit off could move a line).
    #[test]
    fn measures_round_trip_exactly() {
        let mut measures = Measures::default();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..2000 {
            // Depths as layout makes them: sums of scaled font units.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let depth = (x % 100_000) as f64 / 7.0 + 0.1 * (i % 7) as f64 + 204.81650000000002;
            measures.depths.insert(("heading".into(), i, 3), depth);
        }
        measures.lines.insert((0, 1), vec![LineSpan { start: 0, end: 39 }]);
        let json = serde_json::to_vec(&measures).unwrap();
        let back: Measures = serde_json::from_slice(&json).unwrap();
        assert!(back == measures, "a depth changed on its way through JSON");
    }

    #[test]
    fn lines_map_back_to_their_paragraph() {
        let text = "锻造新质生产力，现代产业是主力军。走进 HP-RTM 项目2471亿元";
        let lines = vec![
            "锻造新质生产力，现代产业是".to_string(),
            "主力军。走进 HP-RTM 项目".to_string(),
            "2\u{2060}4\u{2060}7\u{2060}1\u{2060}亿\u{2060}元".to_string(),
        ];
        let spans = map_lines(text, &lines).unwrap();
        let pieces: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(
            pieces,
            vec![
                "锻造新质生产力，现代产业是",
                "主力军。走进 HP-RTM 项目",
                "2471亿元"
            ]
        );
        assert!(map_lines(text, &lines[..2]).is_none(), "lines left over");
        assert!(map_lines("短", &lines).is_none(), "too few characters");
    }
}
