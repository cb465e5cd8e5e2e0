//! The boxes set apart from the body: the data box (`label：text` rows
//! under a title, with or without bold), a 关键数字 list, the quote box and
//! a lede box below the headline; then the foot (byline, credit line) and
//! the tidying of sections once everything is read.

use crate::report::{DataBox, DataRow, join_line};

use super::blocks::{Block, Kind};
use super::body::{Body, QuoteDraft, Reader};
use super::classify::{self, ending, is_closed};
use super::figures;
use super::front::{self, is_prose};
use super::marks;
use super::normalise::{Style, normalise};

/// A data-box row from a block: a table row's cells, a bold label, or
/// "label：text".
pub(super) fn row_of(block: &Block) -> Option<DataRow> {
    let (label, text) = match &block.kind {
        Kind::Row(cells) if cells.iter().filter(|c| !c.is_empty()).count() >= 2 => {
            (cells[0].clone(), cells[1..].join(" "))
        }
        Kind::Item | Kind::Plain => match block.lead_bold.as_deref() {
            // A bold run-in lead ("生产方式更绿色——") opens a paragraph.
            Some(lead) if marks::is_lead_line(lead.trim()) => return None,
            Some(lead) if !block.all_bold => {
                let rest = block
                    .text
                    .trim_start()
                    .strip_prefix(lead.trim())
                    .unwrap_or(&block.text);
                (lead.to_owned(), rest.to_owned())
            }
            _ => {
                let (label, text) = classify::row(&block.text)?;
                (label.to_owned(), text.to_owned())
            }
        },
        _ => return None,
    };
    let label = normalise(label.trim_end_matches(['：', ':']), Style::Heading);
    let text = normalise(text.trim_start_matches(['：', ':', ' ']), Style::Prose);
    (!label.is_empty() && !text.is_empty() && classify::len(&label) <= 12)
        .then_some(DataRow { label, text })
}

impl Reader<'_> {
    /// How many data-box rows follow from `j`.
    pub(super) fn rows_from(&self, j: usize) -> usize {
        self.blocks[j.min(self.tail)..self.tail]
            .iter()
            .take_while(|b| row_of(b).is_some())
            .count()
    }

    /// Whether at least `n` data-box rows follow from `j` (counting no
    /// further).
    pub(super) fn has_rows(&self, j: usize, n: usize) -> bool {
        self.blocks[j.min(self.tail)..self.tail]
            .iter()
            .take_while(|b| row_of(b).is_some())
            .take(n)
            .count()
            >= n
    }

    /// How many key-figure rows follow from `j`.
    pub(super) fn figure_rows_from(&self, j: usize) -> usize {
        let figure = |b: &Block| !b.is_heading() && figures::in_row(&row_text(b)).is_some();
        self.blocks[j.min(self.tail)..self.tail]
            .iter()
            .take_while(|b| figure(b))
            .count()
    }

    /// A data box: its title at `i`, rows after it. The report holds one;
    /// a second one's rows become paragraphs of the current section.
    pub(super) fn data_box(&mut self, i: usize) -> usize {
        let title = normalise(&self.blocks[i].text, Style::Heading);
        let end = i + 1 + self.rows_from(i + 1);
        let rows: Vec<DataRow> = self.blocks[i + 1..end].iter().filter_map(row_of).collect();
        if self.body.data_box.is_none() {
            self.body.data_box = Some(DataBox {
                title: title.clone(),
                rows,
            });
        } else {
            let s = self.current();
            let section = &mut self.body.sections[s];
            section.notes.push(format!("a second data box “{title}” was put into this section's text (a report has one data box)"));
            section.paragraphs.push(title.clone());
            section
                .paragraphs
                .extend(rows.into_iter().map(|r| format!("{}：{}", r.label, r.text)));
        }
        self.intruded(&title);
        end
    }

    /// A list of key figures (关键数字) at `i`.
    pub(super) fn figure_list(&mut self, i: usize) -> usize {
        let end = i + 1 + self.figure_rows_from(i + 1);
        let found = self.blocks[i + 1..end]
            .iter()
            .filter_map(|b| figures::in_row(&normalise(&row_text(b), Style::Prose)));
        self.body.figures.extend(found);
        let title = self.blocks[i].text.clone();
        self.intruded(&title);
        end
    }

    /// The quote box: a label (or a Markdown quote) and its paragraphs, up
    /// to what is not prose; a last line "——某某" names the speaker.
    pub(super) fn quote(&mut self, i: usize, label: String, first: Option<String>) -> usize {
        let quoted = self.blocks[i].kind == Kind::Quote;
        let mut draft = QuoteDraft {
            label: normalise(&label, Style::Heading),
            ..QuoteDraft::default()
        };
        let mut j = i + 1;
        if let Some(first) = first {
            push_quote(&mut draft, &first);
        }
        let quoted = quoted || self.blocks.get(j).is_some_and(|b| b.kind == Kind::Quote);
        while j < self.tail {
            let block = &self.blocks[j];
            let fits = if quoted {
                block.kind == Kind::Quote
            } else {
                block.kind == Kind::Plain && is_prose(&block.text)
            };
            if !fits {
                break;
            }
            push_quote(&mut draft, &block.text);
            j += 1;
        }
        if draft.label.is_empty() {
            self.body.notes.add("quote", "a block quote without a label became the quote box: write its label (地方声音, 专家观点 …)");
            draft.label = "声音".into();
        } else if draft.paragraphs.len() > 3 {
            self.body.notes.add("quote", "the quote box runs to the next subhead or the foot; move paragraphs back into a section if they are body text");
        }
        if self.body.quote.is_some() || draft.paragraphs.is_empty() {
            let s = self.current();
            let section = &mut self.body.sections[s];
            section.notes.push(format!("a second quote box “{}” was put into this section's text (a report has one quote box)", draft.label));
            section.paragraphs.extend(draft.paragraphs);
        } else {
            self.body.quote = Some(draft);
        }
        self.intruded(&label);
        j
    }

    /// A lede box below the headline.
    pub(super) fn lede(&mut self, i: usize) -> usize {
        match front::lede(self.blocks, i) {
            Some((lede, next)) => {
                self.body.lede = Some(lede);
                next.min(self.tail)
            }
            None => i + 1,
        }
    }

    /// The byline and credit line at the foot.
    pub(super) fn foot(&mut self) {
        for block in &self.blocks[self.tail..] {
            if let Some(names) = classify::byline(&block.text, true) {
                self.body.reporters = names;
                let photos = classify::PHOTO_PREFIXES
                    .iter()
                    .filter_map(|p| block.text.find(p))
                    .min();
                if let Some(at) = photos {
                    self.body.credit = Some(block.text[at..].trim().to_owned());
                }
                self.body.notes.add(
                    "credits.reporters",
                    "the names at the foot were taken as the reporters' byline",
                );
            } else {
                self.body.credit = Some(normalise(&block.text, Style::Prose));
            }
        }
    }

    /// Tidies the sections: paragraphs before the first subhead are the
    /// story's opening (or join the first section), a subhead with no text of its own joins the next one,
    /// an unclosed last paragraph is pointed out.
    pub(super) fn finish(&mut self) {
        if let Some((s, p)) = self.open {
            let tail = ending(&self.body.sections[s].paragraphs[p], 10).to_owned();
            self.body.sections[s].notes.push(format!(
                "the paragraph ending “…{tail}” has no closing punctuation: check that nothing is missing"
            ));
        }
        merge_intro(&mut self.body);
        merge_empty(&mut self.body);
    }
}

/// Paragraphs before the first subhead are the story's opening, a section
/// without a subhead; unless the first subhead cut one of them (text
/// extracted from print, the subhead out of reading order): then they
/// start the first section.
fn merge_intro(body: &mut Body) {
    if body.sections.len() < 2 || !body.sections[0].heading.is_empty() || !body.opening_cut {
        return;
    }
    let intro = body.sections.remove(0);
    shift_homes(&mut body.captions, 0, true);
    let n = intro.paragraphs.len();
    let first = &mut body.sections[0];
    first.notes.push(format!(
        "the {n} paragraph(s) before the first subhead were put at the start of this section: the subhead cut one of them, so it stood out of reading order; if they are the story's opening, move them to a section without a heading"
    ));
    first.notes.extend(intro.notes);
    first.photos.splice(0..0, intro.photos);
    first.paragraphs.splice(0..0, intro.paragraphs);
    first.leads.splice(0..0, intro.leads);
    if first.dateline.is_empty() {
        first.dateline = intro.dateline;
    }
}

/// A subhead with no text of its own joins the next one (a place's name
/// over its subhead); a lone line at the end joins the section before.
/// A run of them joins as one: their headings in order, their photos
/// first. Linear in the number of sections.
fn merge_empty(body: &mut Body) {
    let sections = std::mem::take(&mut body.sections);
    let count = sections.len();
    // Where each section's content went.
    let mut moved_to = vec![0; count];
    // The empty sections waiting to join the next one.
    let mut waiting: Option<Waiting> = None;
    for (i, mut section) in sections.into_iter().enumerate() {
        let last = i + 1 == count;
        let alone = last && body.sections.is_empty();
        if section.paragraphs.is_empty() && !alone {
            let run = match waiting.take() {
                Some(mut run) => {
                    join_heading(&mut run.heading, &section.heading);
                    run.photos.append(&mut section.photos);
                    run.members.push(i);
                    run
                }
                None => Waiting {
                    kicker: section.kicker,
                    heading: section.heading,
                    photos: section.photos,
                    members: vec![i],
                },
            };
            if !last {
                waiting = Some(run);
                continue;
            }
            let before = body.sections.len() - 1;
            let previous = &mut body.sections[before];
            previous.notes.push(format!(
                "the line “{}” stood alone after this section's text and was added to it",
                run.heading
            ));
            previous.paragraphs.push(run.heading);
            previous.photos.extend(run.photos);
            for member in run.members {
                moved_to[member] = before;
            }
            continue;
        }
        let at = body.sections.len();
        if let Some(mut run) = waiting.take() {
            section.notes.push(format!(
                "the subhead “{}” had no text of its own and was joined to the next one",
                run.heading
            ));
            join_heading(&mut run.heading, &section.heading);
            section.heading = run.heading;
            if section.kicker.is_empty() {
                section.kicker = run.kicker;
            }
            run.photos.append(&mut section.photos);
            section.photos = run.photos;
            for member in run.members {
                moved_to[member] = at;
            }
        }
        moved_to[i] = at;
        body.sections.push(section);
    }
    let removed = count - body.sections.len();
    for caption in &mut body.captions {
        caption.home = caption
            .home
            .map(|h| moved_to.get(h).copied().unwrap_or_else(|| h - removed));
    }
}

/// Empty sections on their way to the next one.
struct Waiting {
    /// The first one's kicker, if it had one.
    kicker: String,
    heading: String,
    photos: Vec<super::body::PhotoDraft>,
    /// Their indices.
    members: Vec<usize>,
}

/// `heading` followed by `next`, a space between, trimmed, in place.
fn join_heading(heading: &mut String, next: &str) {
    heading.push(' ');
    heading.push_str(next);
    let end = heading.trim_end().len();
    heading.truncate(end);
    let start = heading.len() - heading.trim_start().len();
    heading.drain(..start);
}

/// Keeps captions' homes right when section `at` is removed, its content
/// joined to the next section (`joins_next`) or to the one before.
fn shift_homes(captions: &mut [super::body::CaptionDraft], at: usize, joins_next: bool) {
    for caption in captions {
        caption.home = caption.home.map(|h| {
            if h > at || (h == at && !joins_next) {
                h.saturating_sub(1)
            } else {
                h
            }
        });
    }
}

/// A row's text for a key-figure list.
fn row_text(block: &Block) -> String {
    match &block.kind {
        Kind::Row(cells) => cells.join(" "),
        _ => block.text.clone(),
    }
}

/// Adds a quote paragraph, or the speaker's line ("——某某").
fn push_quote(draft: &mut QuoteDraft, text: &str) {
    // The speaker's line keeps its spaces ("教授 陈某某"); the rest is prose.
    let line = normalise(text, Style::Heading);
    if let Some(source) = line
        .strip_prefix("——")
        .filter(|_| !draft.paragraphs.is_empty())
    {
        draft.source = source.trim().to_owned();
        return;
    }
    let text = normalise(text, Style::Prose);
    match draft.paragraphs.last_mut() {
        Some(last) if !is_closed(last) => join_line(last, &text),
        _ => draft.paragraphs.push(text),
    }
}

#[cfg(test)]
mod tests {
    use super::super::body::{CaptionDraft, PhotoDraft, SectionDraft};
    use super::*;

    fn section(heading: &str, paragraphs: &[&str], photo: Option<&str>) -> SectionDraft {
        SectionDraft {
            heading: heading.into(),
            paragraphs: paragraphs.iter().map(|p| (*p).to_owned()).collect(),
            photos: photo.map(photo_draft).into_iter().collect(),
            notes: vec![format!("own note of “{heading}”")],
            ..SectionDraft::default()
        }
    }

    fn photo_draft(path: &str) -> PhotoDraft {
        PhotoDraft {
            path: path.into(),
            ..PhotoDraft::default()
        }
    }

    fn body(sections: Vec<SectionDraft>, homes: &[Option<usize>]) -> Body {
        Body {
            sections,
            captions: homes
                .iter()
                .map(|&home| CaptionDraft {
                    photo: PhotoDraft::default(),
                    home,
                })
                .collect(),
            ..Body::default()
        }
    }

    fn paths(section: &SectionDraft) -> Vec<&str> {
        section.photos.iter().map(|p| p.path.as_str()).collect()
    }

    fn homes(body: &Body) -> Vec<Option<usize>> {
        body.captions.iter().map(|c| c.home).collect()
    }

    #[test]
    fn empty_subheads_join_the_next_section_and_a_last_one_the_section_before() {
        let mut b = body(
            vec![
                section("甲", &[], Some("a.jpg")),
                section("乙", &[], Some("b.jpg")),
                section("丙", &["正文一。"], Some("c.jpg")),
                section("丁", &["正文二。"], None),
                section("戊", &[], None),
                section("己", &[], Some("f.jpg")),
            ],
            &[Some(0), Some(1), Some(2), Some(3), Some(4), Some(5), None],
        );
        merge_empty(&mut b);
        let [first, second] = b.sections.as_slice() else {
            panic!("{:?}", b.sections)
        };
        assert_eq!(first.heading, "甲 乙 丙");
        assert_eq!(first.paragraphs, ["正文一。"]);
        assert_eq!(paths(first), ["a.jpg", "b.jpg", "c.jpg"]);
        assert_eq!(
            first.notes,
            [
                "own note of “丙”",
                "the subhead “甲 乙” had no text of its own and was joined to the next one"
            ]
        );
        assert_eq!(second.heading, "丁");
        assert_eq!(second.paragraphs, ["正文二。", "戊 己"]);
        assert_eq!(paths(second), ["f.jpg"]);
        assert_eq!(
            second.notes,
            [
                "own note of “丁”",
                "the line “戊 己” stood alone after this section's text and was added to it"
            ]
        );
        assert_eq!(
            homes(&b),
            [Some(0), Some(0), Some(0), Some(1), Some(1), Some(1), None]
        );
    }

    #[test]
    fn sections_without_text_keep_the_last_one() {
        let mut b = body(
            vec![
                section("", &[], Some("a.jpg")),
                section(" 乙", &[], None),
                section("丙", &[], Some("c.jpg")),
            ],
            &[Some(2), Some(0)],
        );
        merge_empty(&mut b);
        let [only] = b.sections.as_slice() else {
            panic!("{:?}", b.sections)
        };
        assert_eq!(only.heading, "乙 丙");
        assert!(only.paragraphs.is_empty());
        assert_eq!(paths(only), ["a.jpg", "c.jpg"]);
        assert_eq!(
            only.notes,
            [
                "own note of “丙”",
                "the subhead “乙” had no text of its own and was joined to the next one"
            ]
        );
        assert_eq!(homes(&b), [Some(0), Some(0)]);
        let mut alone = body(vec![section("甲", &[], None)], &[Some(0)]);
        merge_empty(&mut alone);
        assert_eq!(alone.sections, [section("甲", &[], None)]);
    }
}
