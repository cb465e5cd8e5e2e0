//! What a newsroom's copy marks in the body besides subheads: a two-line
//! subhead (a kicker line, often ending in "——", over the subhead), a
//! run-in lead on a line of its own ("生产方式更绿色——") that opens the
//! paragraph after it, a subhead with a comma in it, the dateline that
//! opens the story's first paragraph, and a photographer's credit line
//! under a caption.

use super::blocks::{Block, Kind};
use super::body::{Reader, Role};
use super::classify::{self, is_closed, len};
use super::front::is_prose;
use super::marks;
use super::normalise::{Style, normalise};

/// Where the last photo or caption went, for a credit line right after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credited {
    /// A section's photo: (section, photo).
    Photo(usize, usize),
    /// A caption still to place: its index.
    Caption(usize),
}

impl Reader<'_> {
    /// The block at `i` if it is prose that a paragraph is made of.
    fn prose_at(&self, i: usize) -> bool {
        i < self.tail
            && self.blocks[i].kind == Kind::Plain
            && is_prose(&self.blocks[i].text)
            && !marks::is_lead_line(&self.blocks[i].text)
    }

    /// A role only a newsroom's marks give: a two-line subhead, a run-in
    /// lead or a dateline on a line of its own, a comma subhead, a caption
    /// over a credit line.
    pub(super) fn newsroom_role(&self, i: usize) -> Option<Role> {
        let block = &self.blocks[i];
        let text = block.text.as_str();
        if let Some(sure) = self.two_line_at(i) {
            return Some(Role::TwoLine { sure });
        }
        if block.kind == Kind::Plain && marks::is_lead_line(text) && self.prose_at(i + 1) {
            return Some(Role::LeadLine);
        }
        if block.kind == Kind::Plain && marks::is_dateline_line(text) && self.prose_at(i + 1) {
            return Some(Role::DatelineLine);
        }
        if block.kind == Kind::Plain
            && self.open.is_none()
            && marks::is_comma_subhead(text)
            && self.prose_at(i + 1)
        {
            return Some(Role::Subhead { sure: true });
        }
        let credit_under = self
            .blocks
            .get(i + 1)
            .is_some_and(|b| marks::is_photo_credit(&b.text));
        (credit_under
            && block.kind == Kind::Plain
            && len(text) <= 100
            && text.matches('。').count() <= 1)
            .then_some(Role::Caption {
                why: Some("a photographer's credit stands under it"),
            })
    }

    /// Whether blocks `i` and `i + 1` are a two-line subhead, and how sure:
    /// a kicker ending in "——" over a subhead line (two headings of one
    /// level in Markdown or Word); or, in plain text, a short kicker line
    /// without one over a subhead-shaped line, the text following.
    fn two_line_at(&self, i: usize) -> Option<bool> {
        let (upper, lower) = (
            &self.blocks[i],
            self.blocks.get(i + 1).filter(|_| i + 1 < self.tail)?,
        );
        let dashed = upper.text.ends_with("——") && len(&upper.text) <= 20;
        let text_follows = self.prose_at(i + 2)
            || self
                .blocks
                .get(i + 2)
                .is_some_and(|b| matches!(b.kind, Kind::Image(_)));
        match (&upper.kind, &lower.kind) {
            (Kind::Heading(a), Kind::Heading(b)) if a == b && dashed => Some(true),
            (Kind::Plain, Kind::Plain) if !marks::is_subhead_like(&lower.text) || !text_follows => {
                None
            }
            (Kind::Plain, Kind::Plain) if dashed => Some(true),
            (Kind::Plain, Kind::Plain) if self.bare_kicker(upper, lower) => Some(false),
            _ => None,
        }
    }

    /// A kicker line without a dash: short, without marks, standing close
    /// (not a caption, which stands apart or names a scene), over a line
    /// with a subhead's own shape, after a paragraph that closed.
    fn bare_kicker(&self, upper: &Block, lower: &Block) -> bool {
        let text = upper.text.as_str();
        self.open.is_none()
            && upper.gap < 2
            && len(text) <= 12
            && !classify::has_clause_punct(text)
            && !is_closed(text)
            && !classify::names_scene(text)
            && !classify::caption_marked(text)
            && (classify::is_subhead_shape(&lower.text) || marks::is_comma_subhead(&lower.text))
    }

    /// A two-line subhead at `i`: a section under the lower line, with the
    /// upper as its kicker. Returns the index after it.
    pub(super) fn two_line(&mut self, i: usize, sure: bool) -> usize {
        let blocks = self.blocks;
        self.subhead(&blocks[i + 1], true);
        let kicker = normalise(&self.blocks[i].text, Style::Heading);
        let section = self
            .body
            .sections
            .last_mut()
            .expect("a section was just made");
        if !sure {
            section.notes.push(format!(
                "“{kicker}” over the subhead was taken as its kicker (a two-line subhead); if it is a subhead of its own, move it to a section's heading"
            ));
        }
        section.kicker = kicker;
        i + 2
    }

    /// A run-in lead on a line of its own at `i`, and the paragraph after
    /// it, which it opens. Returns the index after them.
    pub(super) fn lead_line(&mut self, i: usize) -> usize {
        let lead = normalise(&self.blocks[i].text, Style::Prose);
        let text = normalise(
            &format!("{}{}", self.blocks[i].text, self.blocks[i + 1].text),
            Style::Prose,
        );
        self.open = None;
        self.cut_by.clear();
        self.new_paragraph(text, Some(lead));
        i + 2
    }

    /// A dateline on a line of its own at `i`: it opens the paragraph
    /// after it. Returns the index after them.
    pub(super) fn dateline_line(&mut self, i: usize) -> usize {
        let text = normalise(
            &format!("{}{}", self.blocks[i].text, self.blocks[i + 1].text),
            Style::Prose,
        );
        self.open = None;
        self.cut_by.clear();
        self.new_paragraph(text, None);
        i + 2
    }

    /// A paragraph of its own, opened by `lead` when it has one; the
    /// story's first paragraph keeps its dateline.
    pub(super) fn new_paragraph(&mut self, text: String, lead: Option<String>) {
        let first = self.body.sections.iter().all(|s| s.paragraphs.is_empty());
        let s = self.current();
        let section = &mut self.body.sections[s];
        if first && let Some(n) = marks::dateline(&text) {
            section.dateline = text[..n].to_owned();
        }
        if let Some(lead) = lead.filter(|l| text.starts_with(l.as_str()) && text.len() > l.len())
            && !section.leads.contains(&lead)
        {
            section.leads.push(lead);
        }
        let closed = is_closed(&text);
        section.paragraphs.push(text);
        if !closed {
            self.open = Some((s, section.paragraphs.len() - 1));
        }
    }

    /// A photographer's credit line: the credit of the photo or caption
    /// right above it, else the credit line at the foot.
    pub(super) fn photo_credit(&mut self, block: &Block) {
        let text = block.text.trim();
        let bare = text
            .strip_prefix(['（', '('])
            .and_then(|t| t.strip_suffix(['）', ')']))
            .unwrap_or(text);
        let credit = normalise(bare, Style::Heading);
        let target = match self.last_credited {
            Some(Credited::Photo(s, p)) => Some(&mut self.body.sections[s].photos[p]),
            Some(Credited::Caption(c)) => self.body.captions.get_mut(c).map(|c| &mut c.photo),
            None => None,
        };
        match target {
            Some(photo) if photo.credit.is_empty() => photo.credit = credit,
            _ => {
                self.body.notes.add(
                    "credits.photos",
                    format!("the credit “{credit}” stood under no photo: taken as the page's photo credit"),
                );
                self.body.credit = Some(credit);
            }
        }
    }
}
