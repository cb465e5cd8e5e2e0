//! From the compiled deck to its outputs. `layouts/deck.typ` leaves a
//! description of every element it draws in `<banmian-pptx>` metadata; the
//! same description becomes the PPTX's text boxes, pictures and shapes, so
//! the PDF and the PPTX show the same slides.

use crate::Error;
use crate::export::pptx::{self, Bullet, Element, Face, Para, Rect, Run, TextBox};
use crate::report::{LoadedReport, deck_plan};
use crate::typeset::bounds::Cells;
use crate::typeset::protocol::{
    self, FaceName, Item, ParaItem, Problem, Reader, RunItem, SlideSize, ThemeItem,
};
use crate::typeset::{Medium, Typeset, TypesetOptions, Typesetter};
use typst::foundations::Bytes;

/// The template.
pub const TEMPLATE: &str = "deck.typ";

/// A slide: its name, speaker notes and elements.
#[derive(Debug, Clone)]
pub struct Slide {
    /// The slide's name (its title, or 标题/结束).
    pub name: String,
    /// Speaker notes, a paragraph a line.
    pub notes: String,
    items: Vec<Item>,
}

/// The compiled deck.
pub struct Deck {
    /// The slides as Typst laid them out (for the PDF), photos made for a
    /// screen.
    pub typeset: Typeset,
    /// Each slide's name, notes and elements, in order.
    pub slides: Vec<Slide>,
    /// What the slides hold, with what banmian derived for them.
    pub plan: deck_plan::DeckPlan,
    theme: ThemeItem,
}

/// Lays out the deck (`layouts/deck.typ`). `cells` is what the spread's
/// grid holds ([`crate::spread::cells`]): the whole report is handed to
/// the deck's template too, and one far beyond the pages is refused.
pub fn build(
    typesetter: &mut Typesetter,
    loaded: &LoadedReport,
    options: &TypesetOptions,
    cells: &Cells,
) -> Result<Deck, Error> {
    let sections = loaded.report.sections.len();
    if sections > deck_plan::MAX_SECTION_SLIDES {
        let first = format!("sections[{}]", deck_plan::MAX_SECTION_SLIDES);
        return Err(Error::Report(vec![
            loaded
                .field_error(
                    &first,
                    format!(
                        "the deck would have {sections} section slides; it holds at most {}",
                        deck_plan::MAX_SECTION_SLIDES
                    ),
                )
                .with_hint("make the deck of a shorter report, or split the report in two"),
        ]));
    }
    let plan = deck_plan::plan(&loaded.report);
    let size: SlideSize = typesetter.geometry(TEMPLATE, options, true)?;
    crate::typeset::bounds::deck(loaded, &plan, cells, size).map_err(|e| Error::Report(vec![e]))?;
    typesetter.set_file("plan.json", Bytes::new(br#"{"mode":"draw"}"#.to_vec()));
    let mut options = options.clone();
    options.medium = Medium::Screen;
    let mut typeset = typesetter.typeset(loaded, TEMPLATE, &options)?;
    let (theme, slides) = read_slides(&typesetter.protocol(&typeset.document))?;
    for (number, slide) in slides.iter().enumerate() {
        for item in &slide.items {
            if let Item::Text(text) = item
                && text.overflow
            {
                let (name, scale) = (&text.name, text.scale);
                typeset.warnings.push(
                    crate::Diagnostic::warning(format!(
                        "deck slide {} ({}): the {name} text does not fit even at {:.0} % of its size",
                        number + 1,
                        crate::diagnostic::shorten(&slide.name, 24),
                        scale * 100.0
                    ))
                    .with_hint("shorten it in the report's [deck]"),
                );
            }
        }
    }
    Ok(Deck {
        typeset,
        slides,
        plan,
        theme,
    })
}

impl Deck {
    /// Text boxes that were shrunk to fit, as (slide, box, scale).
    pub fn shrunk(&self) -> Vec<(usize, String, f64)> {
        let mut out = Vec::new();
        for (i, slide) in self.slides.iter().enumerate() {
            for item in &slide.items {
                if let Item::Text(text) = item
                    && text.scale < 0.999
                {
                    out.push((i + 1, text.name.clone(), text.scale));
                }
            }
        }
        out
    }

    /// The editable PPTX. `modified` is the W3CDTF date written as the
    /// document's date.
    pub fn pptx(&self, loaded: &LoadedReport, modified: Option<String>) -> Result<Vec<u8>, Error> {
        let ThemeItem {
            accent,
            ink,
            grey,
            tint,
            paper,
            song,
            hei,
            kai,
        } = &self.theme;
        let theme = pptx::Theme {
            name: "banmian".into(),
            major_latin: hei.clone(),
            major_ea: hei.clone(),
            minor_latin: song.clone(),
            minor_ea: song.clone(),
            accent: accent.0,
            ink: ink.0,
            paper: paper.0,
            tint: tint.0,
            grey: grey.0,
        };
        let fonts = font_files(&self.typeset.document);
        let kai_file = fonts.iter().find(|f| &f.family == kai && !f.bold);
        let faces = Faces {
            kai: kai.clone(),
            kai_face: kai_file.and_then(|f| ttf_parser::Face::parse(&f.data, f.index).ok()),
        };
        let slides = self
            .slides
            .iter()
            .map(|slide| pptx::Slide {
                name: slide.name.clone(),
                elements: slide
                    .items
                    .iter()
                    .filter_map(|item| self.element(item, &faces))
                    .collect(),
                notes: slide.notes.clone(),
            })
            .collect();
        let report = &loaded.report;
        // The slide size is the template's (`deck.typ`'s pages), so that
        // a designer who changes it changes the PPTX too.
        let size = self
            .typeset
            .document
            .pages()
            .first()
            .map(|page| page.frame.size())
            .ok_or_else(|| Error::Internal("the deck has no slides".into()))?;
        let deck = pptx::Deck {
            title: report.headline.title.clone(),
            author: report.credits.reporters.join("、"),
            width: size.x.to_pt(),
            height: size.y.to_pt(),
            theme,
            slides,
            modified,
            fonts,
        };
        Ok(pptx::write(&deck)?)
    }

    /// Speaker notes for a PDF presenter (pdfpc's JSON format).
    pub fn pdfpc(&self, pdf_name: &str) -> String {
        let pages: Vec<serde_json::Value> = self
            .slides
            .iter()
            .enumerate()
            .map(|(i, slide)| {
                serde_json::json!({
                    "idx": i, "label": (i + 1).to_string(), "overlay": 0,
                    "forcedOverlay": false, "hidden": false, "note": slide.notes,
                })
            })
            .collect();
        let file = serde_json::json!({
            "pdfpcFormat": 2, "disableMarkdown": true, "file": pdf_name, "pages": pages,
        });
        serde_json::to_string_pretty(&file).expect("JSON values serialise")
    }

    fn element(&self, item: &Item, faces: &Faces) -> Option<Element> {
        Some(match item {
            Item::Text(text) => Element::Text(TextBox {
                frame: frame(text.x, text.y, text.w, text.h),
                name: text.name.clone(),
                paragraphs: text.paras.iter().map(|p| para(p, faces)).collect(),
                fill: text.fill.map(|c| c.0),
                anchor: match text.anchor {
                    protocol::Anchor::Top => pptx::Anchor::Top,
                    protocol::Anchor::Middle => pptx::Anchor::Middle,
                    protocol::Anchor::Bottom => pptx::Anchor::Bottom,
                },
                inset: text.inset,
            }),
            Item::Rect(r) => Element::Shape {
                frame: frame(r.x, r.y, r.w, r.h),
                fill: Some(r.fill.0),
                line: None,
            },
            Item::Line(l) => Element::Line {
                x1: l.x1,
                y1: l.y1,
                x2: l.x2,
                y2: l.y2,
                color: l.color.0,
                width: l.width,
            },
            Item::Picture(p) => {
                let placed = self
                    .typeset
                    .photos
                    .iter()
                    .find(|placed| placed.slot == p.slot)?;
                let bytes = placed.bytes.as_ref()?;
                Element::Picture {
                    frame: frame(p.x, p.y, p.w, p.h),
                    jpeg: bytes.to_vec(),
                    px_w: placed.plan.pixels.0,
                    px_h: placed.plan.pixels.1,
                    descr: p.descr.clone(),
                    crop: p.crop,
                }
            }
            Item::Theme(_) | Item::Slide(_) => return None,
        })
    }
}

/// The deck's theme and slides from its `<banmian-pptx>` entries: one
/// theme, and a slide for each page, each with the elements after it.
fn read_slides(protocol: &Reader) -> Result<(ThemeItem, Vec<Slide>), Error> {
    let mut theme = None;
    let mut slides: Vec<Slide> = Vec::new();
    for found in protocol.entries::<Item>()? {
        match &found.value {
            Item::Theme(_) if theme.is_some() => {
                let problem = Problem::new("kind", "a second theme (the deck has one)");
                return Err(protocol.reject(&found, problem));
            }
            Item::Theme(t) => theme = Some(t.clone()),
            Item::Slide(s) => slides.push(Slide {
                name: s.name.clone(),
                notes: s.notes.clone(),
                items: Vec::new(),
            }),
            other => match slides.last_mut() {
                Some(slide) => slide.items.push(other.clone()),
                None => {
                    let problem = Problem::new("", "an element before any slide");
                    return Err(protocol.reject(&found, problem));
                }
            },
        }
    }
    let theme = theme.ok_or_else(|| protocol.missing::<Item>("the deck template left no theme"))?;
    let pages = protocol.document().pages().len();
    if slides.len() != pages {
        return Err(protocol.missing::<Item>(format!(
            "{} slides described for {pages} pages (every page needs one `slide` entry)",
            slides.len()
        )));
    }
    Ok((theme, slides))
}

/// A frame in points.
fn frame(x: f64, y: f64, w: f64, h: f64) -> Rect {
    Rect { x, y, w, h }
}

/// The Kai face and what it covers: Typst sets what it lacks in the body
/// face (the theme's `kai` fallback), and so must the PPTX, or a reader
/// would fall back to a face of its own for it.
struct Faces<'a> {
    kai: String,
    kai_face: Option<ttf_parser::Face<'a>>,
}

impl Faces<'_> {
    fn kai_covers(&self, c: char) -> bool {
        c.is_whitespace()
            || self
                .kai_face
                .as_ref()
                .is_none_or(|face| face.glyph_index(c).is_some())
    }
}

fn para(p: &ParaItem, faces: &Faces) -> Para {
    let size = p.runs.iter().map(|r| r.size).fold(0.0, f64::max);
    // The protocol checked that a bullet is one character.
    let bullet = p.bullet.as_ref().and_then(|b| {
        let run = run(&b.run, faces);
        Some(Bullet {
            char: run.text.chars().next()?,
            size: run.size,
            color: run.color,
            face: run.face,
            indent: b.indent,
        })
    });
    Para {
        runs: p.runs.iter().flat_map(|r| runs(r, faces)).collect(),
        align: match p.align {
            protocol::Align::Left => pptx::Align::Left,
            protocol::Align::Center => pptx::Align::Center,
            protocol::Align::Right => pptx::Align::Right,
            protocol::Align::Justify => pptx::Align::Justify,
        },
        line_spacing: Some(size * p.line),
        space_after: p.after,
        bullet,
    }
}

/// A run, split where its Kai face lacks characters: those are set in the
/// body face, as Typst set them.
fn runs(r: &RunItem, faces: &Faces) -> Vec<Run> {
    let whole = run(r, faces);
    if !matches!(whole.face, Face::Kai(_)) || r.text.chars().all(|c| faces.kai_covers(c)) {
        return vec![whole];
    }
    let mut out: Vec<Run> = Vec::new();
    for c in r.text.chars() {
        let face = if faces.kai_covers(c) {
            whole.face.clone()
        } else {
            Face::Body
        };
        match out.last_mut() {
            Some(last) if last.face == face => last.text.push(c),
            _ => out.push(Run {
                text: c.to_string(),
                face,
                ..whole.clone()
            }),
        }
    }
    out
}

fn run(r: &RunItem, faces: &Faces) -> Run {
    Run {
        text: r.text.clone(),
        size: r.size,
        bold: r.bold,
        color: r.color.0,
        face: match r.face {
            FaceName::Song => Face::Body,
            FaceName::Hei => Face::Heading,
            FaceName::Kai => Face::Kai(faces.kai.clone()),
        },
    }
}

/// The font files of the faces Typst set the deck in, one a family and
/// weight (regular or bold), in the order first met.
fn font_files(document: &typst_layout::PagedDocument) -> Vec<pptx::FontFile> {
    let mut files: Vec<pptx::FontFile> = Vec::new();
    for font in crate::typeset::embedding::document_fonts(document) {
        let info = font.info();
        let bold = info.variant.weight.to_number() >= 600;
        if !files
            .iter()
            .any(|f| f.family == info.family && f.bold == bold)
        {
            files.push(pptx::FontFile {
                family: info.family.clone(),
                bold,
                data: font.data().clone(),
                index: font.index(),
            });
        }
    }
    files
}
