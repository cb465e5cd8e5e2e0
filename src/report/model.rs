//! The report format: every element a special-report spread carries.
//!
//! The same types read TOML, JSON and YAML. Unknown fields are errors
//! (`deny_unknown_fields`), so a misspelt key never silently vanishes.

use serde::{Deserialize, Serialize};

/// A structured special report (专版), as an editor writes it.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// The running head (报眉) on every page.
    pub masthead: Masthead,
    /// Kicker, main headline and subhead (引题, 主题, 副题).
    pub headline: Headline,
    /// The banner photo across the top, with its display line.
    #[serde(default)]
    pub banner: Option<Banner>,
    /// The boxed summary (核心提示).
    #[serde(default)]
    pub lede: Option<Lede>,
    /// Key figures to highlight (label, value, unit, note).
    #[serde(default)]
    pub figures: Vec<Figure>,
    /// Body sections, each under its own subhead.
    pub sections: Vec<Section>,
    /// A box of label → text rows (e.g. "2024发展目标").
    #[serde(default)]
    pub data_box: Option<DataBox>,
    /// A quote box (e.g. "地方声音").
    #[serde(default)]
    pub quote: Option<Quote>,
    /// Byline and photo credit line at the foot of the spread.
    #[serde(default)]
    pub credits: Credits,
    /// Chart data: titled series of label → value.
    #[serde(default)]
    pub charts: Vec<Chart>,
    /// What the briefing deck presents; where absent, derived from the text.
    #[serde(default)]
    pub deck: Option<Deck>,
    /// Areas of the pages reserved for something else (an ad, a filler),
    /// which the layout keeps free.
    #[serde(default)]
    pub reserved: Vec<Reserved>,
    /// How the spread may bend its design to fit the copy.
    #[serde(default)]
    pub layout: Layout,
}

/// An area reserved on a page (an ad, 广告), on the grid: the layout plans
/// around it, a proof draws it as a labelled keyline frame, print leaves it
/// blank.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Reserved {
    /// The page, from 1 (2 is the right page of a spread).
    pub page: u32,
    /// Its width in columns of the grid.
    pub columns: u32,
    /// Its depth in body lines.
    pub lines: u32,
    /// Where on the page it stands.
    pub place: ReservedPlace,
    /// What it is for, e.g. "广告".
    #[serde(default)]
    pub label: String,
}

/// Where a reserved area stands on its page.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ReservedPlace {
    /// At the foot, centred (across the page when it is as wide).
    Foot,
    /// At the foot, on the left.
    FootLeft,
    /// At the foot, on the right.
    FootRight,
    /// At the top of the body (below the headline), on the left.
    TopLeft,
    /// At the top of the body, on the right.
    TopRight,
}

/// How the spread may bend its design to fit the copy.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// Whether the composer may set a sentence of a story as a pull quote
    /// (引语) to take up a gap (default true).
    #[serde(default = "yes")]
    pub pull_quotes: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Self { pull_quotes: true }
    }
}

fn yes() -> bool {
    true
}

/// The running head: paper name, edition label, date and page numbers.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Masthead {
    /// The newspaper's name.
    pub paper: String,
    /// The edition label, e.g. "2024全国两会特别报道".
    #[serde(default)]
    pub edition: String,
    /// A series or column title, e.g. "3万亿后再出发".
    #[serde(default)]
    pub series: String,
    /// Publication date, `YYYY-MM-DD`.
    pub date: String,
    /// Page numbers, one per page of the spread (the first is the left page).
    #[serde(default)]
    pub pages: Vec<u32>,
}

/// The headline block (通栏标题).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Headline {
    /// 引题: the line above the main headline.
    #[serde(default)]
    pub kicker: String,
    /// 主题: the main headline.
    pub title: String,
    /// 副题: the line below the main headline.
    #[serde(default)]
    pub subtitle: String,
}

/// The banner photo and the display line set over it.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Banner {
    /// Path of the photo, relative to the report file.
    pub photo: String,
    /// A line of display type over the photo.
    #[serde(default)]
    pub display: String,
    /// A description of the photo for readers who cannot see it.
    #[serde(default)]
    pub alt: String,
    /// Focal point as fractions of width and height; crops keep it in view.
    #[serde(default)]
    pub focus: Option<[f64; 2]>,
    /// The largest share of its width or height a crop may cut (0 keeps it
    /// whole; default 0.5 for the banner, a strip across the page).
    #[serde(default)]
    pub crop: Option<f64>,
    /// Credit for this photo, when it differs from the credit line.
    #[serde(default)]
    pub credit: String,
}

/// The lede box (核心提示).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Lede {
    /// The box's label.
    #[serde(default = "default_lede_label")]
    pub label: String,
    /// Paragraphs, separated by blank lines.
    pub text: String,
}

fn default_lede_label() -> String {
    "核心提示".into()
}

/// A key figure: 规上工业产值 2471 亿元 区县第二.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// What is counted.
    pub label: String,
    /// The number, as written (a string keeps "11.2" and "2471" exactly).
    pub value: FigureValue,
    /// The unit, e.g. "亿元" or "%".
    #[serde(default)]
    pub unit: String,
    /// A short note, e.g. "区县第二".
    #[serde(default)]
    pub note: String,
}

/// A figure's value: written as a string or a number.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum FigureValue {
    /// As written.
    Text(String),
    /// A bare number.
    Number(f64),
}

impl FigureValue {
    /// The value as it is printed.
    pub fn display(&self) -> String {
        match self {
            Self::Text(s) => s.clone(),
            Self::Number(n) => format_number(*n),
        }
    }
}

/// Formats a number without a trailing `.0`.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A body section under its own subhead; the first may go without one
/// (the story's opening).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// A two-line subhead's upper line (肩题 of the subhead, often ending
    /// in "——"), set smaller over `heading`.
    #[serde(default)]
    pub kicker: String,
    /// The section's subhead; empty only for the first section, the
    /// story's opening, which is set without one.
    #[serde(default)]
    pub heading: String,
    /// The dateline (电头) that opens the section's first paragraph, as it
    /// stands there: "新华社北京1月4日电", "本报讯". The text keeps it; this
    /// says to set it as papers do.
    #[serde(default)]
    pub dateline: String,
    /// Paragraphs, separated by blank lines.
    pub text: String,
    /// Run-in leads (段首小标题): each opens one of the section's
    /// paragraphs ("生产方式更绿色——"), stays in the text and is set in
    /// the heading face.
    #[serde(default)]
    pub leads: Vec<String>,
    /// Photos placed with this section.
    #[serde(default)]
    pub photos: Vec<Photo>,
}

/// A photo with its caption (图片说明).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Photo {
    /// Path of the photo, relative to the report file.
    pub path: String,
    /// The caption.
    #[serde(default)]
    pub caption: String,
    /// The photographer's credit, e.g. "记者 王某 摄".
    #[serde(default)]
    pub credit: String,
    /// Focal point as fractions of width and height; crops keep it in view.
    #[serde(default)]
    pub focus: Option<[f64; 2]>,
    /// The largest share of its width or height a crop may cut (0 keeps it
    /// whole; default 0.4).
    #[serde(default)]
    pub crop: Option<f64>,
}

/// A box of label → text rows.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DataBox {
    /// The box's title.
    pub title: String,
    /// Its rows.
    pub rows: Vec<DataRow>,
}

/// One row of a data box.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DataRow {
    /// The row's label (set bold).
    pub label: String,
    /// The row's text.
    pub text: String,
}

/// A quote box.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    /// The box's label.
    #[serde(default = "default_quote_label")]
    pub label: String,
    /// Paragraphs, separated by blank lines.
    pub text: String,
    /// Who is speaking, when the text does not say.
    #[serde(default)]
    pub source: String,
}

fn default_quote_label() -> String {
    "地方声音".into()
}

/// Byline and credit line.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Credits {
    /// The reporters' names.
    #[serde(default)]
    pub reporters: Vec<String>,
    /// The photo credit line.
    #[serde(default)]
    pub photos: String,
}

/// Chart data: a titled series of label → value with a unit.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Chart {
    /// The chart's title.
    pub title: String,
    /// The unit of every value.
    #[serde(default)]
    pub unit: String,
    /// Whether the spread shows this chart (the deck always does).
    #[serde(default)]
    pub in_spread: bool,
    /// The bars.
    pub items: Vec<ChartItem>,
}

/// One bar of a chart.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ChartItem {
    /// The bar's label.
    pub label: String,
    /// Its value.
    pub value: f64,
}

/// The briefing deck, as an editor chose it. Every part is optional: what
/// is left out is derived from the report's text (and `banmian check` lists
/// the derived points for review).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Deck {
    /// Labels of the key figures to feature, 1 to 8 (default: the first
    /// eight).
    #[serde(default)]
    pub figures: Vec<String>,
    /// The key-figures slide's title (default: 关键数字).
    #[serde(default)]
    pub figures_title: String,
    /// One entry per section, in order: its points and photo.
    #[serde(default)]
    pub sections: Vec<DeckSection>,
    /// The quote slide's key sentence (default: the quote's first statement).
    #[serde(default)]
    pub quote: String,
}

/// A section's slide.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DeckSection {
    /// Two to four short points (default: derived from the section's text).
    #[serde(default)]
    pub points: Vec<String>,
    /// Which of the section's photos to show, from 0 (default: the first).
    #[serde(default)]
    pub photo: Option<usize>,
}

/// Splits body text into paragraphs: blank lines separate them, and line
/// breaks inside one are joined without a space (Chinese has none).
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        join_line(&mut current, line);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// How a paragraph's opening is set apart from the rest of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Opening {
    /// A dateline (电头), the first paragraph's.
    Dateline,
    /// A run-in lead (段首小标题).
    Lead,
}

impl Opening {
    /// Its name for the templates: `dateline` or `lead`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Dateline => "dateline",
            Self::Lead => "lead",
        }
    }
}

impl Section {
    /// The opening of each of the section's paragraphs set apart (the
    /// dateline of the first, a run-in lead), as a byte length and its
    /// kind: `None` for a paragraph that opens plainly. A dateline or lead
    /// that opens no paragraph marks none (validation names it).
    pub fn openings(&self) -> Vec<Option<(usize, Opening)>> {
        paragraphs(&self.text)
            .iter()
            .enumerate()
            .map(|(i, p)| self.opening(i, p))
            .collect()
    }

    /// The opening set apart of paragraph `index`, whose text is
    /// `paragraph`: the dateline of the first, else its longest run-in lead.
    pub fn opening(&self, index: usize, paragraph: &str) -> Option<(usize, Opening)> {
        let dateline = self.dateline.as_str();
        if index == 0 && !dateline.is_empty() && paragraph.starts_with(dateline) {
            return Some((dateline.len(), Opening::Dateline));
        }
        self.leads
            .iter()
            .filter(|l| !l.is_empty() && paragraph.starts_with(l.as_str()))
            .map(|l| (l.len(), Opening::Lead))
            .max()
    }
}

/// Appends a wrapped line, keeping a space only between two Latin words
/// (also how the importer joins the parts of a cut paragraph).
pub(crate) fn join_line(current: &mut String, line: &str) {
    let ascii_edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if ascii_edge(current.chars().last()) && ascii_edge(line.chars().next()) {
        current.push(' ');
    }
    current.push_str(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_on_blank_lines_and_join_wraps() {
        let text = "\n第一段第一行\n第一段第二行\n\n\n第二段 with\nLatin\n";
        assert_eq!(
            paragraphs(text),
            vec!["第一段第一行第一段第二行", "第二段 with Latin"]
        );
    }

    #[test]
    fn numbers_print_without_trailing_zero() {
        assert_eq!(format_number(1200.0), "1200");
        assert_eq!(format_number(243.9), "243.9");
    }
}
