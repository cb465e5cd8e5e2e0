//! Bounds on what a report may ask of Typst, counted before anything is
//! measured.
//!
//! What the pages and a slide hold comes from the templates' `geometry`
//! passes (the spread's grid, the deck's slide size, see
//! [`super::protocol`]), so a designer who changes the grid changes the
//! bounds with it.
//!
//! Typst measures every box at every span it may take and every story
//! paragraph line by line, so what measuring costs grows with the text, and
//! faster than the text for one long paragraph (a lede of 8,000 characters
//! took 4 s, one of a million 496 s and 4.9 GB). So each printed text is
//! first counted, cheaply and low, as the grid cells (a column by a line,
//! gutter included) it needs at least at the built-in theme's sizes, and a
//! report that cannot fit is refused at once, naming the field and the cut:
//!
//! - a box (lede, key figures, data box, quote, chart, headline, banner
//!   line, credit line, running head) is set whole on one page: any of
//!   them, or any one text in it, that needs more than a page holds;
//! - a story (subhead, text, captions and photos of a section) may run on
//!   to the facing page: one that needs more than the pages hold;
//! - the boxes together need more than the pages hold (no story set), or
//!   the whole report more than three times what they hold (the composer
//!   answers closer cases with the smallest cut that fits).
//!
//! Counted low: every character of a Han face is an em wide, a Latin
//! letter or digit half an em, a narrow mark (`i`, `.`) a quarter, white
//! space nothing; each text at the smaller of its broadsheet and tabloid
//! sizes (smaller still, in proportion, where the template's body type is
//! smaller than the shipped theme's 9 pt), its lines no deeper than its
//! pitch; a photo at least 6 cells, a
//! figure 2, a row or a bar 1. So a refused report is overset whatever the
//! layout; what passes is measured and composed (and answered within
//! seconds: `scripts/hostile_bench.py`).
//!
//! The deck's slides are bounded the same way ([`deck`]): no text set on
//! a slide may need more than a whole slide at 10 pt.

use crate::Diagnostic;
use crate::report::{LoadedReport, Report};

use super::data::Pages;
use super::protocol::{Geometry, Order, Placed, SlideSize};

/// How the built-in theme sets a text: type size and line pitch, points.
#[derive(Debug, Clone, Copy)]
struct Setting {
    size: f64,
    line: f64,
}

/// Body text, captions, data box rows: 小五 on the 14 pt grid.
const BODY: Setting = Setting {
    size: 9.0,
    line: 14.0,
};
/// Lede and quote: 五号 楷体 on 17 pt lines.
const KAI: Setting = Setting {
    size: 10.5,
    line: 17.0,
};
/// Subheads (四号 on a tabloid).
const SUBHEAD: Setting = Setting {
    size: 14.0,
    line: 14.0,
};
/// The headline's main line (40 pt on a tabloid).
const TITLE: Setting = Setting {
    size: 40.0,
    line: 40.0,
};
/// Kicker, subtitle, the banner's display line, a figure's value.
const DISPLAY: Setting = Setting {
    size: 16.0,
    line: 16.0,
};
/// Labels, credits, the running head, chart labels: 六号.
const SMALL: Setting = Setting {
    size: 7.5,
    line: 7.5,
};

/// Cells a photo takes at least, however far it is scaled down.
const PHOTO_CELLS: f64 = 6.0;
/// Stories and the whole report are refused at this many times the room
/// (closer cases are the composer's, which names the smallest cut).
const FAR: f64 = 3.0;

/// The widest em a character takes, counted low: Han and full-width
/// forms 1, narrow marks 1/4, white space and marks that join 0, the rest
/// (Latin letters, digits) 1/2.
fn em(c: char) -> f64 {
    let u = u32::from(c);
    let wide = matches!(u,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
    if wide {
        1.0
    } else if c.is_whitespace()
        || c.is_control()
        || matches!(u, 0x200B..=0x200F | 0x2060..=0x206F | 0xFE00..=0xFE0F | 0x0300..=0x036F)
    {
        0.0
    } else if matches!(
        c,
        'i' | 'l' | 'I' | 'j' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' | '`'
    ) {
        0.25
    } else {
        0.5
    }
}

/// A text as counted: its characters and the cells it needs at least.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Count {
    chars: usize,
    cells: f64,
}

impl Count {
    fn of(text: &str, setting: Setting, cell: f64) -> Self {
        let (mut chars, mut ems) = (0, 0.0);
        for c in text.chars() {
            chars += usize::from(!c.is_whitespace());
            ems += em(c);
        }
        Self {
            chars,
            cells: ems * setting.size * setting.line / cell,
        }
    }

    fn plus(self, other: Self) -> Self {
        Self {
            chars: self.chars + other.chars,
            cells: self.cells + other.cells,
        }
    }
}

/// One text of a piece, with its field.
#[derive(Debug)]
struct Part {
    field: String,
    count: Count,
}

/// A piece the composer places: a box, set whole on one page, or a story.
#[derive(Debug)]
struct Piece {
    /// Its field (`lede`, `sections[3]`).
    field: String,
    /// What it is called in messages.
    name: String,
    story: bool,
    parts: Vec<Part>,
    /// Cells it takes beyond its texts (photos, rows, bars).
    extra: f64,
    /// A cell's area, in square points.
    cell: f64,
}

impl Piece {
    fn new(field: &str, name: &str, story: bool, grid: &Cells) -> Self {
        Self {
            field: field.into(),
            name: name.into(),
            story,
            parts: Vec::new(),
            extra: 0.0,
            cell: grid.text_cell,
        }
    }

    fn text(mut self, field: impl Into<String>, text: &str, setting: Setting) -> Self {
        self.parts.push(Part {
            field: field.into(),
            count: Count::of(text, setting, self.cell),
        });
        self
    }

    fn count(&self) -> Count {
        let texts = self
            .parts
            .iter()
            .fold(Count::default(), |a, p| a.plus(p.count));
        Count {
            chars: texts.chars,
            cells: texts.cells + self.extra,
        }
    }
}

/// Every piece of a report, in the order the composer sets them.
fn pieces(report: &Report, grid: &Cells) -> Vec<Piece> {
    let order = &grid.order;
    let mut out = Vec::new();
    let m = &report.masthead;
    out.push(
        Piece::new("masthead", "the running head", false, grid)
            .text("masthead.paper", &m.paper, SMALL)
            .text("masthead.edition", &m.edition, SMALL)
            .text("masthead.series", &m.series, SMALL),
    );
    let h = &report.headline;
    out.push(
        Piece::new("headline", "the headline", false, grid)
            .text("headline.kicker", &h.kicker, DISPLAY)
            .text("headline.title", &h.title, TITLE)
            .text("headline.subtitle", &h.subtitle, DISPLAY),
    );
    if let Some(b) = &report.banner {
        let mut piece = Piece::new("banner", "the banner", false, grid)
            .text("banner.display", &b.display, DISPLAY)
            .text("banner.credit", &b.credit, SMALL);
        piece.extra = PHOTO_CELLS;
        out.push(piece);
    }
    let boxed = |placed| match placed {
        Placed::Lede => report.lede.as_ref().map(|lede| {
            Piece::new("lede", "the lede", false, grid)
                .text("lede.label", &lede.label, SMALL)
                .text("lede.text", &lede.text, KAI)
        }),
        Placed::Figures => (!report.figures.is_empty()).then(|| figures(report, grid)),
        Placed::DataBox => report.data_box.as_ref().map(|d| {
            let mut piece = Piece::new("data_box", "the data box", false, grid).text(
                "data_box.title",
                &d.title,
                SMALL,
            );
            for (r, row) in d.rows.iter().enumerate() {
                piece = piece
                    .text(format!("data_box.rows[{r}].label"), &row.label, BODY)
                    .text(format!("data_box.rows[{r}].text"), &row.text, BODY);
            }
            piece.extra = d.rows.len() as f64;
            piece
        }),
        Placed::Quote => report.quote.as_ref().map(|q| {
            Piece::new("quote", "the quote", false, grid)
                .text("quote.label", &q.label, SMALL)
                .text("quote.text", &q.text, KAI)
                .text("quote.source", &q.source, KAI)
        }),
        Placed::Sections => None,
    };
    out.extend(order.openers.iter().filter_map(|&p| boxed(p)));
    let charts = || {
        let spread = report
            .charts
            .iter()
            .enumerate()
            .filter(|(_, c)| c.in_spread);
        spread.map(|(c, chart)| chart_piece(c, chart, SMALL, grid))
    };
    let charts_after = (order.charts_after as usize).min(report.sections.len());
    for &placed in &order.body {
        if placed != Placed::Sections {
            out.extend(boxed(placed));
            continue;
        }
        if charts_after == 0 {
            out.extend(charts());
        }
        for (i, section) in report.sections.iter().enumerate() {
            out.push(section_piece(i, section, grid));
            if i + 1 == charts_after {
                out.extend(charts());
            }
        }
    }
    let c = &report.credits;
    let mut credits = Piece::new("credits", "the credit line", false, grid).text(
        "credits.photos",
        &c.photos,
        SMALL,
    );
    for (r, name) in c.reporters.iter().enumerate() {
        credits = credits.text(format!("credits.reporters[{r}]"), name, SMALL);
    }
    out.push(credits);
    out
}

fn figures(report: &Report, grid: &Cells) -> Piece {
    let mut piece = Piece::new("figures", "the key-figures panel", false, grid);
    for (i, f) in report.figures.iter().enumerate() {
        piece = figure_texts(piece, i, f, (SMALL, DISPLAY));
    }
    piece.extra = 2.0 * report.figures.len() as f64;
    piece
}

fn section_piece(i: usize, section: &crate::report::Section, grid: &Cells) -> Piece {
    let mut piece = Piece::new(
        &format!("sections[{i}]"),
        &format!("sections[{i}]"),
        true,
        grid,
    )
    .text(format!("sections[{i}].heading"), &section.heading, SUBHEAD)
    .text(format!("sections[{i}].text"), &section.text, BODY);
    for (p, photo) in section.photos.iter().enumerate() {
        piece = piece
            .text(
                format!("sections[{i}].photos[{p}].caption"),
                &photo.caption,
                BODY,
            )
            .text(
                format!("sections[{i}].photos[{p}].credit"),
                &photo.credit,
                BODY,
            );
    }
    piece.extra = PHOTO_CELLS * section.photos.len() as f64;
    piece
}

/// A chart: its title, unit and bars, every text at `setting`.
fn chart_piece(c: usize, chart: &crate::report::Chart, setting: Setting, grid: &Cells) -> Piece {
    let mut piece = Piece::new(
        &format!("charts[{c}]"),
        &format!("charts[{c}]"),
        false,
        grid,
    )
    .text(format!("charts[{c}].title"), &chart.title, setting)
    .text(format!("charts[{c}].unit"), &chart.unit, setting);
    for (i, item) in chart.items.iter().enumerate() {
        piece = piece.text(
            format!("charts[{c}].items[{i}].label"),
            &item.label,
            setting,
        );
    }
    piece.extra = chart.items.len() as f64;
    piece
}

/// What the spread's template holds, in grid cells (a column with its
/// gutter by a body line), with the order it sets the pieces in.
#[derive(Debug, Clone)]
pub struct Cells {
    /// A cell's area, in square points.
    cell: f64,
    /// The area a text's square points are counted against: a cell's,
    /// made smaller by the square of how much smaller than the shipped
    /// theme's the template sets its body type (never larger: the counts
    /// stay low).
    text_cell: f64,
    /// Cells a page's type area holds at most.
    page: f64,
    /// Cells all the pages hold together.
    pages: f64,
    /// The order the composer sets the pieces in.
    order: Order,
}

impl Cells {
    /// The cells of the grid the template reports, on `pages`.
    pub fn of(geometry: &Geometry, pages: Pages) -> Self {
        let lines = (geometry.type_height / geometry.pitch).floor();
        let page = f64::from(geometry.cols) * lines;
        let cell = (geometry.col + geometry.gutter) * geometry.pitch;
        // The body's size is the pitch less the leading.
        let scale = ((geometry.pitch - geometry.leading) / BODY.size).min(1.0);
        Self {
            cell,
            text_cell: cell / (scale * scale),
            page,
            pages: match pages {
                Pages::Spread => 2.0 * page,
                Pages::Single => page,
            },
            order: geometry.order.clone(),
        }
    }
}

/// Refuses a report whose copy cannot fit the pages, before any of it is
/// measured: the first box or story (or text in one) beyond its room, else
/// the boxes together, else the whole report far beyond the pages.
pub fn spread(loaded: &LoadedReport, grid: &Cells) -> Result<(), Diagnostic> {
    let (page, all_pages) = (grid.page, grid.pages);
    let pieces = pieces(&loaded.report, grid);
    for piece in &pieces {
        let room = Room {
            cells: if piece.story { all_pages * FAR } else { page },
            name: if piece.story { "the pages" } else { "a page" },
            holds: match piece.story {
                true => "three times what the pages hold is",
                false => "a page holds",
            },
            lead: "the copy does not fit",
            then: " for the exact cut",
        };
        if let Some(part) = piece.parts.iter().find(|p| p.count.cells > room.cells) {
            let what = format!("`{}`", part.field);
            return Err(beyond(loaded, &part.field, &what, part.count, room));
        }
        let whole = piece.count();
        if whole.cells > room.cells {
            let what = format!("{} (`{}`)", piece.name, piece.field);
            return Err(beyond(loaded, &piece.field, &what, whole, room));
        }
    }
    let boxes: Vec<&Piece> = pieces.iter().filter(|p| !p.story).collect();
    let room = all_pages;
    if boxes.iter().map(|p| p.count().cells).sum::<f64>() > room {
        return Err(overflow(loaded, &boxes, room, "the boxes together need"));
    }
    let all: Vec<&Piece> = pieces.iter().collect();
    if all.iter().map(|p| p.count().cells).sum::<f64>() > FAR * room {
        return Err(overflow(loaded, &all, room, "the copy needs"));
    }
    Ok(())
}

/// A text or box beyond its room: how much it needs and what to cut.
fn beyond(loaded: &LoadedReport, field: &str, what: &str, count: Count, room: Room) -> Diagnostic {
    let keep = (count.chars as f64 * room.cells / count.cells).floor() as usize;
    loaded
        .field_error(
            field,
            format!(
                "{}: {what} is far beyond {} ({} characters need at least {} grid cells, columns by lines; {} {})",
                room.lead,
                room.name,
                count.chars,
                count.cells.ceil() as usize,
                room.holds,
                room.cells as usize
            ),
        )
        .with_hint(format!(
            "cut at least {} characters (to about {keep} at most), then check again{}; nothing was laid out",
            count.chars - keep.min(count.chars),
            room.then
        ))
}

/// The room a piece is measured against, and how messages speak of it.
#[derive(Debug, Clone, Copy)]
struct Room {
    cells: f64,
    /// `a page`, `the pages`, `a slide`.
    name: &'static str,
    /// `a page holds`.
    holds: &'static str,
    /// What the refusal means.
    lead: &'static str,
    /// What the next check tells.
    then: &'static str,
}

/// The pieces together beyond the pages: where the room runs out, and
/// what follows it.
fn overflow(loaded: &LoadedReport, pieces: &[&Piece], room: f64, what: &str) -> Diagnostic {
    let total: f64 = pieces.iter().map(|p| p.count().cells).sum();
    let mut used = 0.0;
    let first = pieces
        .iter()
        .position(|p| {
            used += p.count().cells;
            used > room
        })
        .unwrap_or(0);
    let field = &pieces[first].field;
    let chars: usize = pieces[first..].iter().map(|p| p.count().chars).sum();
    // Stories are left out from the first on (the boxes after them too);
    // else the boxes, up to the credit line, which stays.
    let story = pieces[first].story;
    let last = pieces[first..]
        .iter()
        .rev()
        .find(|p| if story { p.story } else { p.field != "credits" })
        .map_or(field, |p| &p.field);
    loaded
        .field_error(
            field,
            format!(
                "the copy does not fit: {what} at least {} grid cells (columns by lines), and the pages hold {}",
                total.ceil() as usize,
                room as usize
            ),
        )
        .with_hint(format!(
            "cut about {chars} characters: the pages hold the report up to {field} at most; leave out {field} to {last}, or split the report over more pages"
        ))
}

/// The smallest a slide's text is counted at: 10 pt, solid.
const SLIDE_TEXT: Setting = Setting {
    size: 10.0,
    line: 10.0,
};

/// Refuses a deck with a slide whose text cannot fit it even at 10 pt
/// (the deck shrinks text to fit, and each try is a layout): the first
/// such text, else the first such slide, before any slide is laid out.
/// The whole report is handed to the deck's template too, so one far
/// beyond the spread's pages (`grid`, as for [`spread`]) is refused as
/// well.
pub fn deck(
    loaded: &LoadedReport,
    plan: &crate::report::deck_plan::DeckPlan,
    grid: &Cells,
    size: SlideSize,
) -> Result<(), Diagnostic> {
    let slide_cells = size.width * size.height / grid.cell;
    for slide in slides(&loaded.report, plan, grid) {
        let room = Room {
            cells: slide_cells,
            name: "a slide",
            holds: "a slide holds",
            lead: "the deck cannot show it",
            then: " (or give the slide a text of its own in [deck])",
        };
        if let Some(part) = slide.parts.iter().find(|p| p.count.cells > slide_cells) {
            let what = format!("`{}` on {}", part.field, slide.name);
            return Err(beyond(loaded, &part.field, &what, part.count, room));
        }
        let whole = slide.count();
        if whole.cells > slide_cells {
            let what = format!("{} (`{}`)", slide.name, slide.field);
            return Err(beyond(loaded, &slide.field, &what, whole, room));
        }
    }
    let all = pieces(&loaded.report, grid);
    let room = grid.pages;
    if all.iter().map(|p| p.count().cells).sum::<f64>() > FAR * room {
        let all: Vec<&Piece> = all.iter().collect();
        return Err(overflow(loaded, &all, room, "the copy needs"));
    }
    Ok(())
}

/// Every slide's texts as the deck sets them.
fn slides(report: &Report, plan: &crate::report::deck_plan::DeckPlan, grid: &Cells) -> Vec<Piece> {
    // A slide's text is counted at its own least size, whatever the page's.
    let grid = &Cells {
        text_cell: grid.cell,
        ..grid.clone()
    };
    let mut out = Vec::new();
    let (m, h) = (&report.masthead, &report.headline);
    let mut title = Piece::new("headline", "the title slide", false, grid)
        .text("masthead.paper", &m.paper, SLIDE_TEXT)
        .text("masthead.edition", &m.edition, SLIDE_TEXT)
        .text("masthead.series", &m.series, SLIDE_TEXT)
        .text("headline.kicker", &h.kicker, SLIDE_TEXT)
        .text("headline.title", &h.title, SLIDE_TEXT)
        .text("headline.subtitle", &h.subtitle, SLIDE_TEXT);
    if let Some(b) = &report.banner {
        title = title.text("banner.display", &b.display, SLIDE_TEXT);
    }
    out.push(title);
    let mut figures = Piece::new("figures", "the key-figures slide", false, grid).text(
        "deck.figures_title",
        &plan.figures_title,
        SLIDE_TEXT,
    );
    for &i in &plan.figures {
        figures = figure_texts(figures, i, &report.figures[i], (SLIDE_TEXT, SLIDE_TEXT));
    }
    out.push(figures);
    for (i, (section, slide)) in report.sections.iter().zip(&plan.sections).enumerate() {
        let name = format!("the slide of sections[{i}]");
        let mut piece = Piece::new(&format!("sections[{i}]"), &name, false, grid).text(
            format!("sections[{i}].heading"),
            &section.heading,
            SLIDE_TEXT,
        );
        for (j, point) in slide.points.iter().enumerate() {
            let field = match point.derived {
                true => format!("sections[{i}].text"),
                false => format!("deck.sections[{i}].points[{j}]"),
            };
            piece = piece.text(field, &point.text, SLIDE_TEXT);
        }
        if let Some(p) = slide
            .photo
            .and_then(|p| section.photos.get(p).map(|photo| (p, photo)))
        {
            let (p, photo) = p;
            piece = piece
                .text(
                    format!("sections[{i}].photos[{p}].caption"),
                    &photo.caption,
                    SLIDE_TEXT,
                )
                .text(
                    format!("sections[{i}].photos[{p}].credit"),
                    &photo.credit,
                    SLIDE_TEXT,
                );
        }
        out.push(piece);
    }
    for (c, chart) in report.charts.iter().enumerate() {
        out.push(chart_piece(c, chart, SLIDE_TEXT, grid));
    }
    if let Some(d) = &report.data_box {
        let mut piece = Piece::new("data_box", "the data box slide", false, grid).text(
            "data_box.title",
            &d.title,
            SLIDE_TEXT,
        );
        for (r, row) in d.rows.iter().enumerate() {
            piece = piece
                .text(format!("data_box.rows[{r}].label"), &row.label, SLIDE_TEXT)
                .text(format!("data_box.rows[{r}].text"), &row.text, SLIDE_TEXT);
        }
        piece.extra = d.rows.len() as f64;
        out.push(piece);
    }
    if let (Some(q), Some(key)) = (&report.quote, &plan.quote) {
        let field = match key.derived {
            true => "quote.text",
            false => "deck.quote",
        };
        out.push(
            Piece::new("quote", "the quote slide", false, grid)
                .text(field, &key.text, SLIDE_TEXT)
                .text("quote.source", &q.source, SLIDE_TEXT),
        );
    }
    let c = &report.credits;
    let mut credits = Piece::new("credits", "the closing slide", false, grid).text(
        "credits.photos",
        &c.photos,
        SLIDE_TEXT,
    );
    for (r, name) in c.reporters.iter().enumerate() {
        credits = credits.text(format!("credits.reporters[{r}]"), name, SLIDE_TEXT);
    }
    out.push(credits);
    out
}

/// A key figure's texts: its value at `value`, the rest at `small`.
fn figure_texts(
    piece: Piece,
    i: usize,
    f: &crate::report::Figure,
    (small, value): (Setting, Setting),
) -> Piece {
    piece
        .text(format!("figures[{i}].label"), &f.label, small)
        .text(format!("figures[{i}].value"), &f.value.display(), value)
        .text(format!("figures[{i}].unit"), &f.unit, small)
        .text(format!("figures[{i}].note"), &f.note, small)
}

#[cfg(test)]
mod tests;
