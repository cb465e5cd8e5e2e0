//! The body of a report: sections under their subheads, photos and their
//! captions, the data box, a list of key figures, the quote box, and the
//! byline and credit line at the foot.
//!
//! Extraction from a printed page cuts paragraphs where a subhead or a
//! caption stood between two columns: a paragraph that ends without
//! closing punctuation stays open, and the next paragraph of prose, after
//! whatever intruded, is joined to it.

use crate::report::{DataBox, Figure, join_line};

use super::blocks::{Block, ImageRef, Kind};
use super::classify::{
    self, FIGURE_LABELS, LEDE_LABELS, QUOTE_LABELS, ending, is_closed, len, opening,
};
use super::draft::Notes;
use super::front::{self, Lede, is_prose};
use super::leads::Credited;
use super::marks;
use super::normalise::{Style, normalise};

/// A section as read, before its field path is known.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SectionDraft {
    /// A two-line subhead's upper line.
    pub kicker: String,
    pub heading: String,
    /// The dateline opening the first paragraph.
    pub dateline: String,
    pub paragraphs: Vec<String>,
    /// Run-in leads opening paragraphs.
    pub leads: Vec<String>,
    pub photos: Vec<PhotoDraft>,
    /// Guesses about the section.
    pub notes: Vec<String>,
}

/// A photo with its caption.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PhotoDraft {
    pub path: String,
    pub caption: String,
    pub credit: String,
    pub notes: Vec<String>,
    /// The caption is the picture's description: a caption line under
    /// the picture says it better.
    pub caption_from_alt: bool,
}

/// A caption with no picture (plain text): placed with a section later.
#[derive(Debug, Clone, PartialEq)]
pub struct CaptionDraft {
    pub photo: PhotoDraft,
    /// The section it stood in, if any.
    pub home: Option<usize>,
}

/// The quote box.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuoteDraft {
    pub label: String,
    pub paragraphs: Vec<String>,
    pub source: String,
}

/// Everything the body held.
#[derive(Debug, Default)]
pub struct Body {
    pub sections: Vec<SectionDraft>,
    pub captions: Vec<CaptionDraft>,
    pub data_box: Option<DataBox>,
    pub quote: Option<QuoteDraft>,
    /// Figures of a 关键数字 list.
    pub figures: Vec<Figure>,
    /// A lede box found below the headline.
    pub lede: Option<Lede>,
    pub reporters: Vec<String>,
    pub credit: Option<String>,
    /// The first subhead cut an open paragraph of the text above it:
    /// extraction from print put it out of reading order, so that text is
    /// the first section's, not a story opening of its own.
    pub opening_cut: bool,
    /// Guesses about fields outside the sections.
    pub notes: Notes,
}

/// What a block is taken for.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Role {
    Para,
    Subhead {
        sure: bool,
    },
    Caption {
        why: Option<&'static str>,
    },
    Image(ImageRef),
    DataBox,
    Figures,
    Quote {
        label: String,
        first: Option<String>,
    },
    Lede,
    Byline(Vec<String>),
    Credit,
    /// A subhead with its kicker line over it: two blocks.
    TwoLine {
        sure: bool,
    },
    /// A run-in lead on a line of its own, and the paragraph it opens.
    LeadLine,
    /// A dateline on a line of its own, and the paragraph it opens.
    DatelineLine,
    /// A photographer's credit line under a caption.
    PhotoCredit,
}

/// Reads blocks into a body.
pub(super) struct Reader<'a> {
    pub(super) blocks: &'a [Block],
    /// Blocks from here on are the byline and credit line.
    pub(super) tail: usize,
    pub(super) body: Body,
    /// The paragraph that ended without closing punctuation.
    pub(super) open: Option<(usize, usize)>,
    /// What stood between it and now.
    pub(super) cut_by: Vec<String>,
    /// The photo that a caption right after it describes.
    last_image: Option<(usize, usize)>,
    /// The photo or caption a credit line right after it belongs to.
    pub(super) last_credited: Option<Credited>,
}

/// Reads the body.
pub fn read(blocks: &[Block]) -> Body {
    let tail = tail_start(blocks);
    let mut reader = Reader {
        blocks,
        tail,
        body: Body::default(),
        open: None,
        cut_by: Vec::new(),
        last_image: None,
        last_credited: None,
    };
    let mut i = 0;
    while i < tail {
        i = reader.step(i);
    }
    reader.foot();
    reader.finish();
    reader.body
}

/// Where the foot starts: from there on, only bylines and credit lines.
fn tail_start(blocks: &[Block]) -> usize {
    let foot =
        |b: &Block| classify::byline(&b.text, true).is_some() || classify::is_credit_line(&b.text);
    blocks.len()
        - blocks
            .iter()
            .rev()
            .take_while(|b| b.kind == Kind::Plain && foot(b))
            .count()
}

impl Reader<'_> {
    /// Handles the block at `i`; returns the index of the next one.
    fn step(&mut self, i: usize) -> usize {
        let block = &self.blocks[i];
        let role = self.role(i);
        if !matches!(
            role,
            Role::Image(_) | Role::Caption { .. } | Role::PhotoCredit
        ) {
            self.last_image = None;
            self.last_credited = None;
        }
        match role {
            Role::Para => self.paragraph(block),
            Role::Subhead { sure } => self.subhead(block, sure),
            Role::Caption { why } => self.caption(block, why),
            Role::Image(image) => self.image(image, &block.text),
            Role::DataBox => return self.data_box(i),
            Role::Figures => return self.figure_list(i),
            Role::Quote { label, first } => return self.quote(i, label, first),
            Role::Lede => return self.lede(i),
            Role::Byline(names) => self.body.reporters = names,
            Role::Credit => self.body.credit = Some(normalise(&block.text, Style::Prose)),
            Role::TwoLine { sure } => return self.two_line(i, sure),
            Role::LeadLine => return self.lead_line(i),
            Role::DatelineLine => return self.dateline_line(i),
            Role::PhotoCredit => self.photo_credit(block),
        }
        i + 1
    }

    /// Decides what the block at `i` is.
    fn role(&self, i: usize) -> Role {
        let block = &self.blocks[i];
        let text = block.text.as_str();
        match &block.kind {
            Kind::Image(image) => return Role::Image(image.clone()),
            Kind::Caption => return Role::Caption { why: None },
            Kind::Row(_) if super::boxes::row_of(block).is_some() => return Role::Para,
            _ => {}
        }
        if let Some(role) = self.box_role(i) {
            return role;
        }
        if let Some(names) = classify::byline(text, false) {
            return Role::Byline(names);
        }
        if classify::is_credit_line(text) {
            return Role::Credit;
        }
        if marks::is_photo_credit(text) {
            return Role::PhotoCredit;
        }
        if classify::caption_marked(text) && len(text) <= 100 {
            return Role::Caption { why: None };
        }
        if let Some(role) = self.newsroom_role(i) {
            return role;
        }
        if block.is_heading() || (block.all_bold && len(text) <= 32) {
            return Role::Subhead { sure: true };
        }
        if is_prose(text) || block.kind == Kind::Quote || block.kind == Kind::Item {
            return Role::Para;
        }
        if self.last_image.is_some() && !classify::is_subhead_shape(text) {
            return Role::Caption {
                why: Some("it stands right under a picture"),
            };
        }
        short_line_role(block)
    }

    /// A label that opens a box: the quote box, a lede box, a list of key
    /// figures, or a short line over data-box rows.
    fn box_role(&self, i: usize) -> Option<Role> {
        let block = &self.blocks[i];
        let text = block.text.as_str();
        let short = len(text) <= 32 && !is_closed(text);
        if let Some(label) = classify::label(text, QUOTE_LABELS) {
            return Some(Role::Quote {
                label: label.into(),
                first: None,
            });
        }
        if let Some((label, first)) = classify::inline_label(text, QUOTE_LABELS) {
            return Some(Role::Quote {
                label: label.into(),
                first: Some(first.to_owned()),
            });
        }
        if self.body.lede.is_none()
            && classify::label(text, LEDE_LABELS).is_some()
            && front::lede(self.blocks, i).is_some()
        {
            return Some(Role::Lede);
        }
        if classify::label(text, FIGURE_LABELS).is_some() && self.figure_rows_from(i + 1) > 0 {
            return Some(Role::Figures);
        }
        if short && !matches!(block.kind, Kind::Item | Kind::Quote) && self.has_rows(i + 1, 2) {
            return Some(Role::DataBox);
        }
        if block.kind == Kind::Quote && self.body.quote.is_none() {
            return Some(Role::Quote {
                label: String::new(),
                first: Some(text.to_owned()),
            });
        }
        None
    }

    /// A paragraph of prose, joined to an open one before it; one opened
    /// by a bold run-in lead starts a paragraph of its own.
    fn paragraph(&mut self, block: &Block) {
        let text = match &block.kind {
            Kind::Row(cells) => cells.join(" "),
            _ => block.text.clone(),
        };
        let text = normalise(&text, Style::Prose);
        if text.is_empty() {
            return;
        }
        if let Some(lead) = block.lead_bold.as_deref().filter(|_| !block.all_bold) {
            let lead = normalise(lead, Style::Prose);
            if marks::is_lead_line(&lead) && text.starts_with(&lead) {
                self.open = None;
                self.new_paragraph(text, Some(lead));
                return;
            }
        }
        if let Some((s, p)) = self.open.take() {
            self.rejoin(s, p, &text, block.gap);
        } else {
            self.new_paragraph(text, None);
        }
        self.cut_by.clear();
    }

    /// Joins `text` to the open paragraph `p` of section `s`, saying so
    /// when something stood between them or a blank line did.
    fn rejoin(&mut self, s: usize, p: usize, text: &str, gap: usize) {
        let section = &mut self.body.sections[s];
        let para = &mut section.paragraphs[p];
        let (tail, head) = (ending(para, 8), opening(text, 8));
        if !self.cut_by.is_empty() {
            section.notes.push(format!(
                "a paragraph cut by “{}” was rejoined (“…{tail}” + “{head}…”)",
                self.cut_by.join("”, “")
            ));
        } else if gap > 0 {
            section.notes.push(format!(
                "a paragraph broken at “…{tail}” was joined with the next one (“{head}…”)"
            ));
        }
        join_line(para, text);
        if !is_closed(para) {
            self.open = Some((s, p));
        }
    }

    /// A subhead starts a section.
    pub(super) fn subhead(&mut self, block: &Block, sure: bool) {
        let heading = normalise(&block.text, Style::Heading);
        // The first subhead cutting a paragraph of the text above it.
        let sections = &self.body.sections;
        if sections.len() == 1 && sections[0].heading.is_empty() && self.open.is_some() {
            self.body.opening_cut = true;
        }
        let mut section = SectionDraft {
            heading: heading.clone(),
            ..SectionDraft::default()
        };
        if !sure {
            section.notes.push(format!(
                "“{heading}” was taken as a subhead; if it is a photo caption, make it a [[sections.photos]] caption instead"
            ));
        }
        self.body.sections.push(section);
        self.intruded(&heading);
    }

    /// A caption: of the picture right above it, else one to place.
    fn caption(&mut self, block: &Block, why: Option<&'static str>) {
        // A credit keeps its spaces ("记者 张喆 摄"); the caption is prose.
        let text = normalise(classify::strip_caption_marks(&block.text), Style::Heading);
        let (caption, credit) = classify::split_credit(&text);
        let caption = normalise(caption, Style::Prose);
        let caption = caption.as_str();
        let mut photo = PhotoDraft {
            caption: caption.to_owned(),
            credit: credit.unwrap_or_default().to_owned(),
            ..PhotoDraft::default()
        };
        if let Some(why) = why {
            photo.notes.push(format!("“{caption}” was taken as a photo caption ({why}); if it is body text, move it into the section's text"));
        }
        self.intruded(caption);
        if let Some((s, p)) = self.last_image.take() {
            let target = &mut self.body.sections[s].photos[p];
            if target.caption.is_empty() || target.caption_from_alt {
                target.caption_from_alt = false;
                target.caption = photo.caption;
                if !photo.credit.is_empty() {
                    target.credit = photo.credit;
                }
                target.notes.extend(photo.notes);
                self.last_credited = Some(Credited::Photo(s, p));
                return;
            }
        }
        let home = self.body.sections.len().checked_sub(1);
        self.body.captions.push(CaptionDraft { photo, home });
        self.last_credited = Some(Credited::Caption(self.body.captions.len() - 1));
    }

    /// A picture (Markdown, Word): a photo of the current section.
    fn image(&mut self, image: ImageRef, alt: &str) {
        let s = self.current();
        let mut photo = PhotoDraft {
            path: image.path,
            ..PhotoDraft::default()
        };
        // A credit keeps its spaces ("新华社记者 王建威 摄"); the caption is prose.
        let alt = normalise(alt, Style::Heading);
        let (caption, credit) = classify::split_credit(&alt);
        let caption = normalise(caption, Style::Prose);
        if is_caption_like(&caption) {
            photo.caption = caption;
            photo.credit = credit.unwrap_or_default().to_owned();
            photo.caption_from_alt = true;
        }
        if let Some(why) = image.missing {
            photo.notes.push(why);
        }
        let photos = &mut self.body.sections[s].photos;
        photos.push(photo);
        self.last_image = Some((s, photos.len() - 1));
        self.last_credited = Some(Credited::Photo(s, photos.len() - 1));
    }

    /// Something between two parts of a paragraph.
    pub(super) fn intruded(&mut self, what: &str) {
        if self.open.is_some() {
            self.cut_by.push(what.to_owned());
        }
    }

    /// The current section, made (without a heading) when there is none.
    pub(super) fn current(&mut self) -> usize {
        if self.body.sections.is_empty() {
            self.body.sections.push(SectionDraft::default());
        }
        self.body.sections.len() - 1
    }
}

/// A short line without closing punctuation or clause marks: a subhead of
/// two phrases, else a caption when it stood apart (a wide gap, where a
/// photo was) or names a scene, else a subhead, unsure.
fn short_line_role(block: &Block) -> Role {
    let text = block.text.as_str();
    if classify::is_subhead_shape(text) {
        Role::Subhead { sure: true }
    } else if block.gap >= 2 {
        Role::Caption {
            why: Some("a short line standing apart between paragraphs"),
        }
    } else if classify::names_scene(text) {
        Role::Caption {
            why: Some("a short line naming a scene"),
        }
    } else {
        Role::Subhead { sure: false }
    }
}

/// Whether a picture's description reads as a caption (not Word's
/// "图片 1" or a file name).
fn is_caption_like(alt: &str) -> bool {
    let generic = ["图片", "图像", "Picture", "Image", "image", "photo"];
    let rest = generic
        .iter()
        .find_map(|g| alt.strip_prefix(g))
        .unwrap_or("x");
    !alt.is_empty()
        && alt.chars().any(super::normalise::is_han)
        && !rest.trim().chars().all(|c| c.is_ascii_digit())
        && !alt.contains('.')
}
