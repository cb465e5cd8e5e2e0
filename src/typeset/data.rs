//! The report as data for the templates (`report.json` in the virtual
//! package). Text goes in as JSON strings, so `#`, `$`, `*` and friends stay
//! literal: nothing here is ever parsed as markup.

use serde::Serialize;

use crate::assets::photos::PhotoInfo;
use crate::report::{self, Report};

/// Page options the template reads.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
pub struct PageOptions {
    /// `broadsheet` (对开) or `tabloid` (四开).
    pub paper: Paper,
    /// `spread` (跨版, two facing pages) or `single`.
    pub pages: Pages,
    /// Target photo resolution (ppi).
    pub ppi: u32,
    /// An archival copy (PDF/A): RGB and grey instead of the plant's CMYK.
    pub archival: bool,
}

/// Page size.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash, Default)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// 对开, 390 × 545 mm.
    #[default]
    Broadsheet,
    /// 四开, 270 × 390 mm.
    Tabloid,
}

/// One page or a facing-page spread.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash, Default)]
#[serde(rename_all = "lowercase")]
pub enum Pages {
    /// Two facing pages designed as one (跨版).
    #[default]
    Spread,
    /// A single page.
    Single,
}

/// A photo slot: which report field it comes from and its source.
#[derive(Debug, Clone)]
pub struct PhotoSlot {
    /// The report field (`banner.photo`, `sections[0].photos[1].path`).
    pub field: String,
    /// Header information of the source.
    pub info: PhotoInfo,
    /// Its focal point, as fractions of width and height.
    pub focus: [f64; 2],
}

#[derive(Serialize, Clone)]
struct PhotoData<'a> {
    src: String,
    w: u32,
    h: u32,
    focus: [f64; 2],
    caption: &'a str,
    credit: &'a str,
    alt: &'a str,
    slot: usize,
}

#[derive(Serialize)]
struct Data<'a> {
    options: PageOptions,
    masthead: &'a report::Masthead,
    headline: &'a report::Headline,
    banner: Option<BannerData<'a>>,
    lede: Option<TextBox<'a>>,
    figures: Vec<FigureData<'a>>,
    sections: Vec<SectionData<'a>>,
    data_box: Option<&'a report::DataBox>,
    quote: Option<QuoteData<'a>>,
    credits: &'a report::Credits,
    charts: Vec<&'a report::Chart>,
    deck: DeckData<'a>,
    /// Areas reserved on the pages: their labels, for a proof.
    reserved: &'a [report::Reserved],
}

/// What the briefing deck shows (see [`crate::report::deck_plan`]).
#[derive(Serialize)]
struct DeckData<'a> {
    figures: Vec<FigureData<'a>>,
    figures_title: String,
    sections: Vec<DeckSectionData<'a>>,
    quote: Option<String>,
    charts: Vec<&'a report::Chart>,
}

#[derive(Serialize)]
struct DeckSectionData<'a> {
    id: String,
    kicker: &'a str,
    /// The subhead; empty for the story's opening (the introduction).
    heading: &'a str,
    points: Vec<String>,
    photo: Option<PhotoData<'a>>,
    notes: String,
}

#[derive(Serialize)]
struct BannerData<'a> {
    photo: PhotoData<'a>,
    display: &'a str,
}

#[derive(Serialize)]
struct TextBox<'a> {
    label: &'a str,
    paragraphs: Vec<String>,
}

#[derive(Serialize)]
struct QuoteData<'a> {
    label: &'a str,
    paragraphs: Vec<String>,
    source: &'a str,
}

#[derive(Serialize, Clone)]
struct FigureData<'a> {
    label: &'a str,
    value: String,
    unit: &'a str,
    note: &'a str,
}

#[derive(Serialize)]
struct SectionData<'a> {
    id: String,
    kicker: &'a str,
    heading: &'a str,
    dateline: &'a str,
    leads: &'a [String],
    paragraphs: Vec<String>,
    /// How each paragraph opens: `null`, or the bytes of its dateline or
    /// run-in lead, set in the heading face.
    openings: Vec<Option<OpeningData>>,
    photos: Vec<PhotoData<'a>>,
}

/// A paragraph's opening set apart: its length in bytes and what it is.
#[derive(Serialize, Clone, Copy)]
struct OpeningData {
    /// Bytes of the paragraph it takes.
    bytes: usize,
    /// `dateline` or `lead`.
    kind: &'static str,
}

impl OpeningData {
    /// Each paragraph's opening of a section.
    fn of(section: &report::Section) -> Vec<Option<Self>> {
        section
            .openings()
            .into_iter()
            .map(|o| {
                o.map(|(bytes, kind)| Self {
                    bytes,
                    kind: kind.name(),
                })
            })
            .collect()
    }
}

/// The path of a photo slot's file in the virtual package.
pub fn photo_path(slot: usize) -> String {
    format!("photos/{slot}.svg")
}

/// An empty report (no text, no photo, a valid date) as JSON for a
/// template, with the real options: what a template's `geometry` pass
/// reads, which depends on the options alone.
pub fn empty_report_json(options: PageOptions, deck: bool) -> Vec<u8> {
    let empty = Report {
        masthead: report::Masthead {
            paper: String::new(),
            edition: String::new(),
            series: String::new(),
            date: "2000-01-01".into(),
            pages: Vec::new(),
        },
        headline: report::Headline {
            kicker: String::new(),
            title: String::new(),
            subtitle: String::new(),
        },
        banner: None,
        lede: None,
        figures: Vec::new(),
        sections: Vec::new(),
        data_box: None,
        quote: None,
        credits: report::Credits::default(),
        charts: Vec::new(),
        deck: None,
        reserved: Vec::new(),
        layout: report::Layout::default(),
    };
    report_json(&empty, options, &[], deck)
}

/// Builds `report.json`. `slots` holds the photos in slot order: the
/// banner first (if any), then each section's photos in order. The
/// deck's content is planned (and its points derived) only for the deck
/// (`deck`): the spread does not show it.
pub fn report_json(
    report: &Report,
    options: PageOptions,
    slots: &[PhotoSlot],
    deck: bool,
) -> Vec<u8> {
    let mut next = 0;
    let mut take = |caption, credit, alt, focus: Option<[f64; 2]>| {
        let slot = next;
        next += 1;
        let info = &slots[slot].info;
        PhotoData {
            src: photo_path(slot),
            w: info.width,
            h: info.height,
            focus: focus.unwrap_or([0.5, 0.5]),
            caption,
            credit,
            alt,
            slot,
        }
    };
    let banner = report.banner.as_ref().map(|b| BannerData {
        photo: take("", b.credit.as_str(), b.alt.as_str(), b.focus),
        display: &b.display,
    });
    let sections: Vec<SectionData> = report
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| SectionData {
            id: format!("sections[{i}]"),
            kicker: &s.kicker,
            heading: &s.heading,
            dateline: &s.dateline,
            leads: &s.leads,
            paragraphs: report::paragraphs(&s.text),
            openings: OpeningData::of(s),
            photos: s
                .photos
                .iter()
                .map(|p| take(&p.caption, &p.credit, &p.caption, p.focus))
                .collect(),
        })
        .collect();
    let figures: Vec<FigureData> = report
        .figures
        .iter()
        .map(|f| FigureData {
            label: &f.label,
            value: f.value.display(),
            unit: &f.unit,
            note: &f.note,
        })
        .collect();
    let plan = if deck {
        crate::report::deck_plan::plan(report)
    } else {
        crate::report::deck_plan::DeckPlan::default()
    };
    let deck = DeckData {
        figures: plan.figures.iter().map(|&i| figures[i].clone()).collect(),
        figures_title: plan.figures_title,
        sections: plan
            .sections
            .into_iter()
            .zip(&sections)
            .map(|(slide, section)| DeckSectionData {
                id: section.id.clone(),
                kicker: section.kicker,
                heading: section.heading,
                points: slide.points.into_iter().map(|p| p.text).collect(),
                photo: slide.photo.and_then(|i| section.photos.get(i).cloned()),
                notes: slide.notes,
            })
            .collect(),
        quote: plan.quote.map(|q| q.text),
        charts: report.charts.iter().collect(),
    };
    let data = Data {
        options,
        masthead: &report.masthead,
        headline: &report.headline,
        banner,
        lede: report.lede.as_ref().map(|l| TextBox {
            label: &l.label,
            paragraphs: report::paragraphs(&l.text),
        }),
        figures,
        sections,
        data_box: report.data_box.as_ref(),
        quote: report.quote.as_ref().map(|q| QuoteData {
            label: &q.label,
            paragraphs: report::paragraphs(&q.text),
            source: &q.source,
        }),
        credits: &report.credits,
        charts: report.charts.iter().filter(|c| c.in_spread).collect(),
        deck,
        reserved: &report.reserved,
    };
    serde_json::to_vec(&data).expect("report data always serialises")
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::report::walk;

    /// Every text the walk finds printed reaches the templates: a report
    /// whose every string is a marker of its own, handed off, holds each
    /// printed marker as a JSON string of its own.
    #[test]
    fn the_hand_off_carries_every_printed_text() {
        let report = crate::report::fixtures::marked();
        let slots: Vec<PhotoSlot> = walk::photos(&report)
            .map(|(field, _)| PhotoSlot {
                field,
                info: PhotoInfo {
                    path: PathBuf::new(),
                    hash: 0,
                    width: 1200,
                    height: 800,
                    bytes: 0,
                    passthrough: false,
                },
                focus: [0.5, 0.5],
            })
            .collect();
        let options = PageOptions {
            paper: Paper::Broadsheet,
            pages: Pages::Spread,
            ppi: 300,
            archival: false,
        };
        let json = String::from_utf8(report_json(&report, options, &slots, true)).unwrap();
        let texts: Vec<(String, String)> = walk::texts(&report)
            .map(|(path, text)| (path, text.into_owned()))
            .collect();
        assert!(texts.len() > 40, "{texts:?}");
        for (path, text) in texts {
            assert!(
                json.contains(&format!("\"{text}\"")),
                "`{path}` ({text}) is not handed to the templates"
            );
        }
    }
}
