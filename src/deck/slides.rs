//! From the compiled deck to its outputs. `layouts/deck.typ` leaves a
//! description of every element it draws in `<banmian-pptx>` metadata; the
//! same description becomes the PPTX's text boxes, pictures and shapes, so
//! the PDF and the PPTX show the same slides.

use serde::Deserialize;

use crate::Error;
use crate::export::pptx::{
    self, Align, Anchor, Bullet, Element, Face, Para, Rect, Rgb, Run, TextBox,
};
use crate::report::LoadedReport;
use crate::typeset::{Medium, Typeset, TypesetOptions, Typesetter, read_metadata};

/// One element as the template described it (points, colours as hex).
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum Item {
    Theme {
        accent: String,
        ink: String,
        grey: String,
        tint: String,
        paper: String,
        song: String,
        hei: String,
        kai: String,
    },
    Slide {
        name: String,
        notes: String,
    },
    Text {
        name: String,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        paras: Vec<ParaItem>,
        anchor: String,
        fill: Option<String>,
        inset: f64,
        scale: f64,
        overflow: bool,
    },
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: String,
    },
    Line {
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        color: String,
        width: f64,
    },
    Picture {
        slot: usize,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        crop: [f64; 4],
        descr: String,
    },
}

#[derive(Debug, Clone, Deserialize)]
struct ParaItem {
    runs: Vec<RunItem>,
    align: String,
    line: f64,
    after: f64,
    bullet: Option<BulletItem>,
}

/// A paragraph's bullet: its character's run and the text's indent.
#[derive(Debug, Clone, Deserialize)]
struct BulletItem {
    run: RunItem,
    indent: f64,
}

#[derive(Debug, Clone, Deserialize)]
struct RunItem {
    text: String,
    size: f64,
    face: String,
    bold: bool,
    color: String,
}

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
    theme: Option<Item>,
}

/// Lays out the deck (`layouts/deck.typ`).
pub fn build(
    typesetter: &mut Typesetter,
    loaded: &LoadedReport,
    options: &TypesetOptions,
) -> Result<Deck, Error> {
    let mut options = options.clone();
    options.medium = Medium::Screen;
    let mut typeset = typesetter.typeset(loaded, "deck.typ", &options)?;
    let mut theme = None;
    let mut slides: Vec<Slide> = Vec::new();
    for item in read_metadata::<Item>(&typeset.document, "banmian-pptx") {
        match item {
            Item::Theme { .. } => theme = Some(item),
            Item::Slide { name, notes } => slides.push(Slide {
                name,
                notes,
                items: Vec::new(),
            }),
            other => match slides.last_mut() {
                Some(slide) => slide.items.push(other),
                None => return Err(Error::Internal("deck element before any slide".into())),
            },
        }
    }
    if slides.len() != typeset.document.pages().len() {
        return Err(Error::Internal(format!(
            "{} slides described for {} pages",
            slides.len(),
            typeset.document.pages().len()
        )));
    }
    for (number, slide) in slides.iter().enumerate() {
        for item in &slide.items {
            if let Item::Text {
                name,
                overflow: true,
                scale,
                ..
            } = item
            {
                typeset.warnings.push(
                    crate::Diagnostic::warning(format!(
                        "deck slide {} ({}): the {name} text does not fit even at {:.0} % of its size",
                        number + 1,
                        slide.name,
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
        theme,
    })
}

impl Deck {
    /// Text boxes that were shrunk to fit, as (slide, box, scale).
    pub fn shrunk(&self) -> Vec<(usize, String, f64)> {
        let mut out = Vec::new();
        for (i, slide) in self.slides.iter().enumerate() {
            for item in &slide.items {
                if let Item::Text { name, scale, .. } = item
                    && *scale < 0.999
                {
                    out.push((i + 1, name.clone(), *scale));
                }
            }
        }
        out
    }

    /// The editable PPTX. `modified` is the W3CDTF date written as the
    /// document's date.
    pub fn pptx(&self, loaded: &LoadedReport, modified: Option<String>) -> Result<Vec<u8>, Error> {
        let Some(Item::Theme {
            accent,
            ink,
            grey,
            tint,
            paper,
            song,
            hei,
            kai,
        }) = &self.theme
        else {
            return Err(Error::Internal("the deck template left no theme".into()));
        };
        let theme = pptx::Theme {
            name: "banmian".into(),
            major_latin: hei.clone(),
            major_ea: hei.clone(),
            minor_latin: song.clone(),
            minor_ea: song.clone(),
            accent: rgb(accent)?,
            ink: rgb(ink)?,
            paper: rgb(paper)?,
            tint: rgb(tint)?,
            grey: rgb(grey)?,
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
            .map(|slide| {
                let elements = slide
                    .items
                    .iter()
                    .map(|item| self.element(item, &faces))
                    .collect::<Result<Vec<_>, Error>>()?;
                Ok(pptx::Slide {
                    name: slide.name.clone(),
                    elements: elements.into_iter().flatten().collect(),
                    notes: slide.notes.clone(),
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let report = &loaded.report;
        let deck = pptx::Deck {
            title: report.headline.title.clone(),
            author: report.credits.reporters.join("、"),
            width: 960.0,
            height: 540.0,
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

    fn element(&self, item: &Item, faces: &Faces) -> Result<Option<Element>, Error> {
        Ok(Some(match item {
            Item::Text {
                name,
                x,
                y,
                w,
                h,
                paras,
                anchor,
                fill,
                inset,
                ..
            } => Element::Text(TextBox {
                frame: Rect {
                    x: *x,
                    y: *y,
                    w: *w,
                    h: *h,
                },
                name: name.clone(),
                paragraphs: paras
                    .iter()
                    .map(|p| para(p, faces))
                    .collect::<Result<_, _>>()?,
                fill: fill.as_deref().map(rgb).transpose()?,
                anchor: match anchor.as_str() {
                    "middle" => Anchor::Middle,
                    "bottom" => Anchor::Bottom,
                    _ => Anchor::Top,
                },
                inset: *inset,
            }),
            Item::Rect { x, y, w, h, fill } => Element::Shape {
                frame: Rect {
                    x: *x,
                    y: *y,
                    w: *w,
                    h: *h,
                },
                fill: Some(rgb(fill)?),
                line: None,
            },
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                color,
                width,
            } => Element::Line {
                x1: *x1,
                y1: *y1,
                x2: *x2,
                y2: *y2,
                color: rgb(color)?,
                width: *width,
            },
            Item::Picture {
                slot,
                x,
                y,
                w,
                h,
                crop,
                descr,
            } => {
                let placed = self.typeset.photos.iter().find(|p| p.slot == *slot);
                let Some((placed, bytes)) = placed.and_then(|p| p.bytes.as_ref().map(|b| (p, b)))
                else {
                    return Ok(None);
                };
                Element::Picture {
                    frame: Rect {
                        x: *x,
                        y: *y,
                        w: *w,
                        h: *h,
                    },
                    jpeg: bytes.to_vec(),
                    px_w: placed.plan.pixels.0,
                    px_h: placed.plan.pixels.1,
                    descr: descr.clone(),
                    crop: *crop,
                }
            }
            Item::Theme { .. } | Item::Slide { .. } => return Ok(None),
        }))
    }
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

fn para(p: &ParaItem, faces: &Faces) -> Result<Para, Error> {
    let size = p.runs.iter().map(|r| r.size).fold(0.0, f64::max);
    let bullet = match &p.bullet {
        Some(b) => {
            let run = run(&b.run, faces)?;
            let char =
                run.text.chars().next().ok_or_else(|| {
                    Error::Internal("the deck template gave an empty bullet".into())
                })?;
            Some(Bullet {
                char,
                size: run.size,
                color: run.color,
                face: run.face,
                indent: b.indent,
            })
        }
        None => None,
    };
    Ok(Para {
        runs: p
            .runs
            .iter()
            .map(|r| runs(r, faces))
            .collect::<Result<Vec<_>, Error>>()?
            .into_iter()
            .flatten()
            .collect(),
        align: match p.align.as_str() {
            "center" => Align::Center,
            "right" => Align::Right,
            "justify" => Align::Justify,
            _ => Align::Left,
        },
        line_spacing: Some(size * p.line),
        space_after: p.after,
        bullet,
    })
}

/// A run, split where its Kai face lacks characters: those are set in the
/// body face, as Typst set them.
fn runs(r: &RunItem, faces: &Faces) -> Result<Vec<Run>, Error> {
    let whole = run(r, faces)?;
    if !matches!(whole.face, Face::Kai(_)) || r.text.chars().all(|c| faces.kai_covers(c)) {
        return Ok(vec![whole]);
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
    Ok(out)
}

fn run(r: &RunItem, faces: &Faces) -> Result<Run, Error> {
    Ok(Run {
        text: r.text.clone(),
        size: r.size,
        bold: r.bold,
        color: rgb(&r.color)?,
        face: match r.face.as_str() {
            "hei" => Face::Heading,
            "kai" => Face::Kai(faces.kai.clone()),
            _ => Face::Body,
        },
    })
}

/// `#rrggbb` as a colour.
fn rgb(hex: &str) -> Result<Rgb, Error> {
    let digits = hex.trim_start_matches('#');
    let byte = |i: usize| u8::from_str_radix(digits.get(i..i + 2).unwrap_or(""), 16);
    match (byte(0), byte(2), byte(4)) {
        (Ok(r), Ok(g), Ok(b)) => Ok(Rgb(r, g, b)),
        _ => Err(Error::Internal(format!(
            "the deck template gave the colour `{hex}`"
        ))),
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
