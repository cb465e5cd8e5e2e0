//! The metadata protocol between the templates and banmian, version 3: the
//! reference for what a template in `layouts/` (or a `--layouts` folder)
//! leaves for Rust.
//!
//! A template leaves data in `metadata(...)` elements under labels. With
//! `--layouts DIR` the templates are the user's, so every entry is checked
//! as user input: read into a typed struct (every field required, unknown
//! fields refused, kinds and enum values spelt exactly), then checked for
//! values that would make banmian silently wrong (a grid without a positive
//! line pitch, a text box of no size). A bad entry is a template error
//! ([`crate::Error::Template`]) naming the entry and field
//! (`<banmian-pptx>[3].anchor`: the label, the entry's index among that
//! label's entries in document order, the path inside it), serde's message,
//! and the file, line and column of the `metadata(...)` call.
//!
//! Numbers are points unless said otherwise; colours are `"#rrggbb"`.
//! Fields written `T?` must be given, as `none` or a `T`.
//!
//! The other way, Rust hands the templates `report.json` (the report, see
//! [`super::data`]) and, to `spread.typ`, `plan.json`: typed in
//! `crate::spread::plan` ([`MeasurePlan`](crate::spread::MeasurePlan) in
//! the measuring pass, [`DrawPlan`](crate::spread::DrawPlan) in the
//! drawing pass).
//!
//! # `<banmian-protocol>`: every template, once ([`Version`])
//!
//! `(version: 3)`: the version of this protocol the template speaks.
//! banmian refuses a template that declares another version, or none. Put
//! `#metadata((version: 3)) <banmian-protocol>` at the top of the template.
//! Version 2 added the design's elastic bounds to the geometry, measured
//! the headline at its sizes and the title's widths, boxes in their type
//! variants, and pull quotes. Version 3 added the default crop limits and
//! the items' order to the geometry, the spread's and the deck's
//! `geometry` passes, and `<banmian-slide>`.
//!
//! # Passes
//!
//! Rust hands each template a `plan.json` whose `mode` names the pass:
//! - `geometry`: the template's numbers alone, before anything of the
//!   report is measured (banmian refuses a report far beyond the pages or
//!   a slide from them). `report.json` then holds an empty report, with
//!   the real options. `spread.typ` leaves `<banmian-geometry>`, `deck.typ`
//!   `<banmian-slide>`; neither needs to draw anything;
//! - `measure` (`spread.typ`): the pieces, see below. The plan's `only`,
//!   when it is not `none`, is a dictionary whose keys name the pieces to
//!   measure, the others being left out (`watch` measures again only the
//!   pieces an edit changed): `headline` (the headline and the title's
//!   parts), `credits`, `p/I/J` (paragraph J of section I), `h/I` (section
//!   I's heading), `c/I` (the captions of its photos), `q/I` (its pull
//!   quote), `lede`, `figures`, `data_box`, `quote`, `chart/I`. A template
//!   that ignores `only` measures too much, never wrongly; one that honours
//!   it must draw each piece from its own data and the design alone:
//!   `p/I/J` from `sections[I].paragraphs[J]` and `.openings[J]`, `h/I`
//!   and `c/I` from `sections[I]`, `q/I` from the plan's `pulls[I]`,
//!   `headline` from `headline` and the plan's `title`, the others from
//!   their own field; and the design from anything of `report.json` but
//!   those (the options, the masthead, the banner, …), whose change has
//!   every piece measured again;
//! - `draw`: the pages (`spread.typ`) or the slides (`deck.typ`).
//!
//! # `<banmian-geometry>`: `spread.typ` measuring, once ([`Geometry`])
//!
//! `cols` (integer ≥ 1), `col`, `pitch`, `page-width`, `page-height`,
//! `type-height` (> 0), `gutter`, `leading` (≥ 0, below `pitch`),
//! `margin-x`, `margin-y`, `head`, `band-gap`, `headline-gap` (≥ 0),
//! `banner` (three depths > 0: least ≤ designed ≤ most); and the bounds
//! within which banmian bends the design to fit the copy: `title` (the
//! main headline's least and most size, > 0), `box-air` (lines of air a
//! box may take below its natural depth, integer ≥ 0), `box-scales` (the
//! type sizes a box may be set at, as scales of its design, each > 0, the
//! first 1), `photo-share` (the largest share of the type area one photo
//! may take, in (0, 1]), `pull` (the least and most body lines a pull
//! quote may take, integers, least ≥ 1); `crop` (`photo`, `banner`: the
//! share of a photo's width or height a crop may cut where the report sets
//! none, each in [0, 1)); `order` (the order the composer reads the items
//! in: `openers`, the boxes beside the banner or first under the
//! headline, and `body`, the rest, each an array of `lede`, `figures`,
//! `data-box`, `quote` and, in `body` only, `sections`, every one named
//! once; `charts-after`, the story the charts follow, integer ≥ 0, 0
//! before the first, beyond the last after it).
//!
//! # `<banmian-slide>`: `deck.typ`, once ([`SlideSize`])
//!
//! `width`, `height` (> 0): the slide's size, which the PPTX takes too.
//!
//! # `<banmian-measure>`: `spread.typ` measuring, one a page ([`Measure`])
//!
//! The page's height is the depth of the piece on it (for `title`, its
//! width). By `kind`:
//! - `credits`: no other field;
//! - `paragraph`: `index` (the section), `paragraph` (its paragraph), both
//!   integers ≥ 0; the page holds the paragraph in one column, and its
//!   lines must add up to the paragraph's text;
//! - `headline` (`index`: 0 at the least title size, 1 at the most; `span`:
//!   the title's lines), `title` (`index`: the way to split the title the
//!   plan offers, `span`: 1 its first part, 2 its second, set on one line
//!   at the most size on a page as wide as the text), `heading`, `caption`
//!   (`index`: the photo slot), `pull` (`index`: the section): `index`
//!   (integer ≥ 0), `span` (columns, integer ≥ 1);
//! - `lede`, `figures`, `data_box`, `quote`, `chart` (`index`: the chart):
//!   the same and `variant` (an index into the geometry's `box-scales`).
//!
//! # `<banmian-pptx>`: `deck.typ`, one an element drawn ([`Item`])
//!
//! In order: one `theme`, then each slide's `slide` followed by its
//! elements; as many `slide`s as the deck has pages. By `kind`:
//! - `theme`: `accent`, `ink`, `grey`, `tint`, `paper` (colours), `song`,
//!   `hei`, `kai` (font family names);
//! - `slide`: `name`, `notes` (strings);
//! - `text`: `name` (string), `x`, `y`, `w`, `h` (`w`, `h` > 0), `paras`
//!   (array of paragraphs), `anchor` (`top`, `middle` or `bottom`), `fill`
//!   (colour?), `inset` (≥ 0), `scale` (the size it was shrunk to, in
//!   (0, 1]), `overflow` (bool: does not fit even so);
//! - `rect`: `x`, `y`, `w`, `h` (≥ 0), `fill` (colour);
//! - `line`: `x1`, `y1`, `x2`, `y2`, `color` (colour), `width` (> 0);
//! - `picture`: `slot` (the photo slot, integer ≥ 0), `x`, `y`, `w`, `h`
//!   (> 0), `crop` (the share cut from each side, four numbers in [0, 1)),
//!   `descr` (string: the alternative text).
//!
//! A paragraph is `runs` (array of runs), `align` (`left`, `center`,
//! `right` or `justify`), `line` (line pitch in multiples of the largest
//! size, > 0), `after` (space after, ≥ 0), `bullet` (`none` or `(run: run,
//! indent: ≥ 0)`, the run one character). A run is `text` (string), `size`
//! (> 0), `face` (`song`, `hei` or `kai`), `bold` (bool), `color` (colour).

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use typst::foundations::{Content, Label, Selector};
use typst::introspection::Introspector;
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

use crate::{Diagnostic, Error};

use super::world::BanmianWorld;

/// The version of the protocol banmian speaks.
pub const VERSION: u32 = 3;

/// At most this many bad entries of a label are reported one by one.
const SHOWN: usize = 8;

/// An entry a template leaves under a label.
pub trait Entry: Sized {
    /// The label, without angle brackets.
    const LABEL: &'static str;

    /// Reads the entry from its value as JSON.
    fn parse(value: Value) -> Result<Self, Problem>;

    /// What the entry may not be although it reads: sizes and counts out of
    /// range.
    fn check(&self) -> Result<(), Problem> {
        Ok(())
    }
}

/// What is wrong with an entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The field's path inside the entry (`paras[0].align`), empty for the
    /// entry as a whole.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl Problem {
    /// A problem with a field (empty: the whole entry).
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Reads a value into `T`, naming the failing field.
fn de<T: DeserializeOwned>(value: Value) -> Result<T, Problem> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let field = if path == "." { String::new() } else { path };
        Problem::new(field, err.into_inner().to_string())
    })
}

/// Splits an entry's `kind`, which must be one of `kinds`, from its other
/// fields (read apart, so that serde names the field that fails inside).
fn kind(value: Value, kinds: &[&'static str]) -> Result<(&'static str, Value), Problem> {
    let Value::Object(mut map) = value else {
        return Err(Problem::new(
            "",
            format!("invalid type: {value}, expected a dictionary"),
        ));
    };
    let kind = match map.remove("kind") {
        Some(Value::String(kind)) => kinds.iter().find(|k| **k == kind).ok_or_else(|| {
            let expected: Vec<String> = kinds.iter().map(|k| format!("`{k}`")).collect();
            Problem::new(
                "kind",
                format!(
                    "unknown kind `{kind}`, expected one of {}",
                    expected.join(", ")
                ),
            )
        })?,
        Some(other) => {
            return Err(Problem::new(
                "kind",
                format!("invalid type: {other}, expected a string"),
            ));
        }
        None => return Err(Problem::new("", "missing field `kind`")),
    };
    Ok((kind, Value::Object(map)))
}

/// `Ok` when `ok`, else a problem with `field`.
fn ensure(ok: bool, field: &str, message: &str) -> Result<(), Problem> {
    if ok {
        Ok(())
    } else {
        Err(Problem::new(field, message))
    }
}

/// Each named value must be above zero (`false`) or at least zero (`true`).
fn sizes(values: &[(&str, f64)], zero_ok: bool) -> Result<(), Problem> {
    for &(field, value) in values {
        if zero_ok {
            ensure(
                value >= 0.0,
                field,
                &format!("must be at least 0, not {value}"),
            )?;
        } else {
            ensure(value > 0.0, field, &format!("must be above 0, not {value}"))?;
        }
    }
    Ok(())
}

/// Deserialises a field that must be given, even as `none`.
fn required<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::deserialize(deserializer)
}

// ---------------------------------------------------------------- version

/// `<banmian-protocol>`: the protocol version a template speaks.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Version {
    /// The version.
    pub version: u32,
}

impl Entry for Version {
    const LABEL: &'static str = "banmian-protocol";

    fn parse(value: Value) -> Result<Self, Problem> {
        de(value)
    }

    fn check(&self) -> Result<(), Problem> {
        ensure(
            self.version == VERSION,
            "version",
            &format!(
                "the template speaks version {} of the template protocol",
                self.version
            ),
        )
    }
}

// ---------------------------------------------------------------- reading

/// An entry as read, with its index among its label's entries and the
/// element it came from (for its page and its place in the template).
#[derive(Debug, Clone)]
pub struct Found<T> {
    /// The entry.
    pub value: T,
    /// Its index among the entries of its label, in document order.
    pub index: usize,
    /// The `metadata(...)` element.
    pub content: Content,
}

/// Reads the entries a compiled document holds, placing any problem in
/// the template.
pub struct Reader<'a> {
    world: &'a BanmianWorld,
    document: &'a PagedDocument,
}

impl<'a> Reader<'a> {
    /// A reader of `document`, compiled in `world`.
    pub fn new(world: &'a BanmianWorld, document: &'a PagedDocument) -> Self {
        Self { world, document }
    }

    /// The document read.
    pub fn document(&self) -> &'a PagedDocument {
        self.document
    }

    /// Every entry under `T`'s label, each read and checked: an error
    /// for every bad one. Entries emitted by the same call that fail the
    /// same way are one error (a template emits most entries from one
    /// helper); at most `SHOWN` are listed, then how many more.
    pub fn entries<T: Entry>(&self) -> Result<Vec<Found<T>>, Error> {
        let label = Label::new(PicoStr::intern(T::LABEL)).expect("labels are not empty");
        let elements = self.document.introspector().query(&Selector::Label(label));
        let mut found = Vec::new();
        // Each distinct problem: its first entry, and how many share it.
        let mut problems: Vec<(usize, &Content, Problem, usize)> = Vec::new();
        for (index, content) in elements.iter().enumerate() {
            match read::<T>(content) {
                Ok(value) => found.push(Found {
                    value,
                    index,
                    content: content.clone(),
                }),
                Err(problem) => match problems
                    .iter_mut()
                    .find(|(_, c, p, _)| c.span() == content.span() && *p == problem)
                {
                    Some((.., same)) => *same += 1,
                    None => problems.push((index, content, problem, 0)),
                },
            }
        }
        if problems.is_empty() {
            return Ok(found);
        }
        let more = problems.len().saturating_sub(SHOWN);
        let mut errors: Vec<Diagnostic> = problems
            .into_iter()
            .take(SHOWN)
            .map(|(index, content, mut problem, same)| {
                if same > 0 {
                    problem.message += &format!(" (and in {same} more entries like it)");
                }
                self.error::<T>(index, content, problem)
            })
            .collect();
        if more > 0 {
            errors.push(Diagnostic::error(format!(
                "{more} more problems with <{}> entries",
                T::LABEL
            )));
        }
        Err(Error::Template(errors))
    }

    /// A problem with an entry that reads but does not fit the others
    /// (a second theme, an element before any slide), as a template error.
    pub fn reject<T: Entry>(&self, found: &Found<T>, problem: Problem) -> Error {
        Error::Template(vec![self.error::<T>(found.index, &found.content, problem)])
    }

    /// An error about the whole of `T`'s entries (none, or too many),
    /// placed in the main template.
    pub fn missing<T: Entry>(&self, message: impl Into<String>) -> Error {
        use typst::World as _;
        use typst_kit::diagnostics::DiagnosticWorld as _;
        let file = self.world.name(self.world.main());
        Error::Template(vec![
            Diagnostic::file(std::path::Path::new(&file), message)
                .with_field(format!("<{}>", T::LABEL))
                .with_hint(hint()),
        ])
    }

    /// Refuses a document whose template does not speak [`VERSION`].
    pub fn version(&self) -> Result<(), Error> {
        if self.entries::<Version>()?.is_empty() {
            return Err(self.missing::<Version>(format!(
                "the template declares no protocol version (put `#metadata((version: {VERSION})) <banmian-protocol>` at its top)"
            )));
        }
        Ok(())
    }

    /// A diagnostic naming the label, entry and field, placed at the
    /// entry's `metadata(...)` call.
    fn error<T: Entry>(&self, index: usize, content: &Content, problem: Problem) -> Diagnostic {
        let mut field = format!("<{}>[{index}]", T::LABEL);
        if !problem.field.is_empty() {
            field = format!("{field}.{}", problem.field);
        }
        let diagnostic = Diagnostic::error(format!("bad template metadata: {}", problem.message))
            .with_field(field)
            .with_hint(hint());
        self.world.place(content.span(), diagnostic)
    }
}

/// Where to read what an entry must be.
fn hint() -> String {
    format!(
        "banmian speaks version {VERSION} of the template protocol; its reference is the documentation of `banmian::typeset::protocol`"
    )
}

/// Reads and checks one element's value.
fn read<T: Entry>(content: &Content) -> Result<T, Problem> {
    let value = content
        .get_by_name("value")
        .map_err(|_| Problem::new("", "the label is on something other than `metadata(...)`"))?;
    let json = serde_json::to_value(&value)
        .map_err(|err| Problem::new("", format!("the value cannot be read as data ({err})")))?;
    let entry = T::parse(json)?;
    entry.check()?;
    Ok(entry)
}

mod deck;
mod spread;

pub use deck::*;
pub use spread::*;

#[cfg(test)]
mod tests;
