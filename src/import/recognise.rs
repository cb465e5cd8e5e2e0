//! From blocks to a report: the front and the body are read, captions are
//! placed, key figures are picked, and what the text does not hold (the
//! paper's name, a date) is filled in so that the report loads, each such
//! stand-in and every unsure guess noted for the editor.

use crate::report::{
    Banner, Credits, Figure, Headline, Lede, Masthead, Photo, Quote, Report, Section,
};

use super::blocks::{Block, Kind};
use super::body::{self, Body, PhotoDraft, SectionDraft};
use super::captions;
use super::draft::Notes;
use super::figures;
use super::front::{self, Front};
use super::normalise::{Style, normalise};
use super::traditional;

/// What the text itself does not say.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The paper's name (`--paper`).
    pub paper: Option<String>,
    /// The date (`--date`), `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The date used when neither `--date` nor the text gives one.
    pub fallback_date: String,
}

/// Stand-ins for required fields the text does not fill.
pub const NO_PAPER: &str = "（报名）";
const NO_TITLE: &str = "（标题）";
const NO_HEADING: &str = "（小标题）";
const NO_TEXT: &str = "（正文）\n";

/// Recognises a report in blocks.
pub fn recognise(blocks: Vec<Block>, context: &Context) -> (Report, Notes) {
    let blocks: Vec<Block> = blocks.into_iter().filter_map(tidy).collect();
    let front = front::read(&blocks);
    let mut body = body::read(&blocks[front.end..]);
    let mut notes = front.notes.clone();
    notes.0.append(&mut body.notes.0);
    place_captions(&mut body);
    let lede = front.lede.clone().or_else(|| body.lede.clone());
    let figures = key_figures(&lede, &body, &mut notes);
    let report = Report {
        masthead: masthead(&front, context, &mut notes),
        headline: headline(&front, &mut notes),
        banner: banner(&front, &mut notes),
        lede: lede.map(|l| Lede {
            label: l.label,
            text: text_of(&l.paragraphs),
        }),
        figures,
        sections: sections(&body.sections, &mut notes),
        data_box: body.data_box.clone(),
        quote: body.quote.clone().map(|q| Quote {
            label: q.label,
            text: text_of(&q.paragraphs),
            source: q.source,
        }),
        credits: Credits {
            reporters: if body.reporters.is_empty() {
                front.reporters.clone()
            } else {
                body.reporters.clone()
            },
            photos: body.credit.clone().unwrap_or_default(),
        },
        charts: Vec::new(),
        deck: None,
        reserved: Vec::new(),
        layout: Default::default(),
    };
    for (field, text) in texts(&report) {
        if let Some(note) = traditional::note(&text) {
            notes.add(field, note);
        }
    }
    (report, notes)
}

/// Every text of a report with its field, for the checks that read text.
fn texts(report: &Report) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![
        ("masthead.series".into(), report.masthead.series.clone()),
        ("masthead.edition".into(), report.masthead.edition.clone()),
        ("headline.kicker".into(), report.headline.kicker.clone()),
        ("headline.title".into(), report.headline.title.clone()),
        ("headline.subtitle".into(), report.headline.subtitle.clone()),
        (
            "credits.reporters".into(),
            report.credits.reporters.concat(),
        ),
    ];
    if let Some(banner) = &report.banner {
        out.push(("banner.display".into(), banner.display.clone()));
    }
    if let Some(lede) = &report.lede {
        out.push(("lede.text".into(), lede.text.clone()));
    }
    for (i, section) in report.sections.iter().enumerate() {
        out.push((format!("sections[{i}].kicker"), section.kicker.clone()));
        out.push((format!("sections[{i}].heading"), section.heading.clone()));
        out.push((format!("sections[{i}].text"), section.text.clone()));
        for (j, photo) in section.photos.iter().enumerate() {
            out.push((
                format!("sections[{i}].photos[{j}].caption"),
                photo.caption.clone(),
            ));
        }
    }
    if let Some(data_box) = &report.data_box {
        let rows: Vec<String> = data_box
            .rows
            .iter()
            .map(|r| format!("{}{}", r.label, r.text))
            .collect();
        out.push(("data_box.rows".into(), rows.concat()));
    }
    if let Some(quote) = &report.quote {
        out.push(("quote.text".into(), quote.text.clone()));
    }
    out
}

/// Normalises a block's text (as a heading: prose is normalised again
/// where it is used); drops blocks left empty.
fn tidy(mut block: Block) -> Option<Block> {
    block.text = normalise(&block.text, Style::Heading);
    block.lead_bold = block
        .lead_bold
        .map(|l| normalise(&l, Style::Heading))
        .filter(|l| !l.is_empty());
    if let Kind::Row(cells) = &mut block.kind {
        for cell in cells.iter_mut() {
            *cell = normalise(cell, Style::Heading);
        }
    }
    let keep = !block.text.is_empty() || matches!(block.kind, Kind::Image(_) | Kind::Row(_));
    keep.then_some(block)
}

/// Paragraphs as a report's text field: blank lines between them.
fn text_of(paragraphs: &[String]) -> String {
    let mut text = paragraphs.join("\n\n");
    text.push('\n');
    text
}

/// Deals the captions that came without a photo out to the sections.
fn place_captions(body: &mut Body) {
    if body.captions.is_empty() || body.sections.is_empty() {
        return;
    }
    let texts: Vec<String> = body
        .sections
        .iter()
        .map(|s| s.paragraphs.join(""))
        .collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let captions: Vec<&str> = body
        .captions
        .iter()
        .map(|c| c.photo.caption.as_str())
        .collect();
    let last = body.sections.len() - 1;
    let homes: Vec<usize> = body
        .captions
        .iter()
        .map(|c| c.home.unwrap_or(0).min(last))
        .collect();
    let taken: Vec<usize> = body.sections.iter().map(|s| s.photos.len()).collect();
    let placed = captions::assign(&captions, &homes, &texts, &taken);
    for ((draft, (s, weak)), home) in body.captions.drain(..).zip(placed).zip(homes) {
        let mut photo = draft.photo;
        if s != home {
            photo.notes.push(format!(
                "the caption stood by “{}” but names what this section writes about: placed here",
                body.sections[home].heading
            ));
        } else if weak {
            photo.notes.push("no section's text clearly names what this caption shows: placed with the section it stood in".into());
        }
        body.sections[s].photos.push(photo);
    }
}

/// Key figures: a 关键数字 list when there is one; else those of the lede,
/// those the body sets off with a note, and (when the lede has none) the
/// data box's.
fn key_figures(lede: &Option<front::Lede>, body: &Body, notes: &mut Notes) -> Vec<Figure> {
    if !body.figures.is_empty() {
        return body.figures.clone();
    }
    let mut found: Vec<(figures::Found, Option<String>)> = Vec::new();
    let mut take = |text: &str, need_note: bool, why: Option<String>| {
        found.extend(
            figures::in_prose(text, need_note)
                .into_iter()
                .map(|f| (f, why.clone())),
        );
    };
    for para in lede.iter().flat_map(|l| &l.paragraphs) {
        take(para, false, None);
    }
    for (i, section) in body.sections.iter().enumerate() {
        let why = format!(
            "a figure the text of section {} sets off with a note: keep it or delete this [[figures]] table",
            i + 1
        );
        for para in &section.paragraphs {
            take(para, true, Some(why.clone()));
        }
    }
    if found.is_empty()
        && let Some(data_box) = &body.data_box
    {
        for row in &data_box.rows {
            let why = format!("a figure from the data box's row “{}”", row.label);
            found.extend(
                figures::in_prose(&row.text, false)
                    .into_iter()
                    .map(|f| (f, Some(why.clone()))),
            );
        }
    }
    distinct(found, notes)
}

/// The figures with distinct labels, in order, their notes given fields.
fn distinct(found: Vec<(figures::Found, Option<String>)>, notes: &mut Notes) -> Vec<Figure> {
    let mut out: Vec<Figure> = Vec::new();
    for (f, why) in found {
        if out.iter().any(|o| o.label == f.figure.label) {
            continue;
        }
        let field = format!("figures[{}]", out.len());
        if let Some(why) = why {
            notes.add(&field, why);
        }
        if f.shortened {
            notes.add(&field, format!("the label “{}” was cut from the sentence around the number: check it reads right", f.figure.label));
        }
        out.push(f.figure);
    }
    out
}

fn masthead(front: &Front, context: &Context, notes: &mut Notes) -> Masthead {
    let from_line = front.paper.clone().filter(|_| context.paper.is_none());
    if from_line.is_some() {
        notes.add(
            "masthead.paper",
            "the paper's name was taken from the edition line at the top",
        );
    }
    let pages: Vec<u32> = front.page.into_iter().collect();
    if !pages.is_empty() {
        notes.add("masthead.pages", "the page number was taken from the edition line; a spread has two pages: give both, [left, right]");
    }
    let paper = context.paper.clone().or(from_line).unwrap_or_else(|| {
        notes.add(
            "masthead.paper",
            "the text does not name the paper: write its name here (or import with --paper)",
        );
        NO_PAPER.into()
    });
    let date = context.date.clone().or_else(|| front.date.clone()).unwrap_or_else(|| {
        notes.add("masthead.date", "the text has no date: the date of the import was used; write the publication date (or import with --date)");
        context.fallback_date.clone()
    });
    Masthead {
        paper,
        edition: front.edition.clone().unwrap_or_default(),
        series: front.series.clone().unwrap_or_default(),
        date,
        pages,
    }
}

fn headline(front: &Front, notes: &mut Notes) -> Headline {
    let title = front.title.clone().unwrap_or_else(|| {
        notes.add(
            "headline.title",
            "no headline was found above the body: write the title here",
        );
        NO_TITLE.into()
    });
    Headline {
        kicker: front.kicker.clone().unwrap_or_default(),
        title,
        subtitle: front.subtitle.clone().unwrap_or_default(),
    }
}

fn banner(front: &Front, notes: &mut Notes) -> Option<Banner> {
    if front.display.is_none() && front.banner_photo.is_none() {
        return None;
    }
    let photo = front.banner_photo.clone();
    let path = photo.as_ref().map(|p| p.path.clone()).unwrap_or_default();
    if let Some(why) = photo.as_ref().and_then(|p| p.missing.clone()) {
        notes.add("banner.photo", why);
    }
    if path.is_empty() {
        notes.add("banner.photo", "no banner photo in the input: write its file name here (render --placeholders draws a grey box for a first proof)");
    }
    let alt = front
        .alt
        .clone()
        .or_else(|| photo.map(|p| normalise(&p.alt, Style::Prose)))
        .unwrap_or_default();
    Some(Banner {
        photo: path,
        display: front.display.clone().unwrap_or_default(),
        alt,
        focus: None,
        crop: None,
        credit: String::new(),
    })
}

/// `text`, or a stand-in (and a note) when it is blank.
fn or_stand_in(text: &str, stand_in: &str, note: impl FnOnce()) -> String {
    if text.trim().is_empty() {
        note();
        stand_in.to_owned()
    } else {
        text.to_owned()
    }
}

/// The sections as report sections, their notes given field paths.
fn sections(drafts: &[SectionDraft], notes: &mut Notes) -> Vec<Section> {
    let mut out = Vec::new();
    for (i, draft) in drafts.iter().enumerate() {
        notes.add_all(&format!("sections[{i}]"), &draft.notes);
        // The story's opening, before the first subhead, has none.
        let opening = i == 0 && draft.heading.trim().is_empty() && !draft.paragraphs.is_empty();
        let heading = if opening {
            String::new()
        } else {
            or_stand_in(&draft.heading, NO_HEADING, || {
                notes.add(
                    format!("sections[{i}].heading"),
                    "no subhead was found: write one here",
                )
            })
        };
        let photos = draft
            .photos
            .iter()
            .enumerate()
            .map(|(j, photo)| section_photo(i, j, photo, notes))
            .collect();
        let text = or_stand_in(&text_of(&draft.paragraphs), NO_TEXT, || {
            notes.add(
                format!("sections[{i}].text"),
                "the section has no text: write it here",
            )
        });
        out.push(section(draft, heading, text, photos));
    }
    if out.is_empty() {
        notes.add(
            "sections[0]",
            "the text has no body: write the section's text here",
        );
        out.push(Section {
            kicker: String::new(),
            heading: NO_HEADING.into(),
            dateline: String::new(),
            text: NO_TEXT.into(),
            leads: Vec::new(),
            photos: Vec::new(),
        });
    }
    out
}

/// A section from its draft: the kicker only over a subhead, and the
/// dateline and run-in leads only where they open a paragraph.
fn section(draft: &SectionDraft, heading: String, text: String, photos: Vec<Photo>) -> Section {
    let paragraphs = crate::report::paragraphs(&text);
    let opens = |s: &str| paragraphs.iter().any(|p| p.starts_with(s));
    let first = paragraphs.first().map_or("", String::as_str);
    Section {
        kicker: if heading.is_empty() {
            String::new()
        } else {
            draft.kicker.clone()
        },
        heading,
        dateline: if first.starts_with(draft.dateline.as_str()) {
            draft.dateline.clone()
        } else {
            String::new()
        },
        leads: draft.leads.iter().filter(|l| opens(l)).cloned().collect(),
        text,
        photos,
    }
}

fn section_photo(i: usize, j: usize, photo: &PhotoDraft, notes: &mut Notes) -> Photo {
    let field = format!("sections[{i}].photos[{j}]");
    notes.add_all(&field, &photo.notes);
    if photo.path.is_empty() {
        notes.add(format!("{field}.path"), "no photo file: write the file name of the photo this caption describes (render --placeholders draws a grey box for a first proof)");
    }
    Photo {
        path: photo.path.clone(),
        caption: photo.caption.clone(),
        credit: photo.credit.clone(),
        focus: None,
        crop: None,
    }
}
