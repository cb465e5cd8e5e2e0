//! One walk over every text a report prints and every photo it places,
//! each with its field path (`sections[1].photos[0].caption`,
//! `deck.sections[2].points[0]`), in the order of the model.
//!
//! Glyph coverage, validation and the photo slots all read the report
//! through this walk, so they cannot drift apart. Each struct is taken
//! apart with every field named: a field added to the model does not
//! compile until the walk says whether it is printed, a photo, or neither.

use std::borrow::Cow;

use super::model::{
    Banner, Chart, ChartItem, Credits, DataBox, DataRow, Deck, DeckSection, Figure, Headline, Lede,
    Masthead, Photo, Quote, Report, Section,
};

/// A field of the report that is printed or placed.
#[derive(Debug, Clone)]
pub struct Field<'a> {
    /// Its path, as errors name it.
    pub path: String,
    /// What it holds.
    pub value: Value<'a>,
}

/// What a walked field holds.
#[derive(Debug, Clone)]
pub enum Value<'a> {
    /// Text set in the report's fonts, on the spread, the deck or both.
    Text(Text<'a>),
    /// A description of a photo for readers who cannot see it: kept in
    /// the PDF's tags, never drawn, so it needs no font.
    Alt(&'a str),
    /// A photo; its path is the field's path.
    Photo(PhotoField<'a>),
}

/// A printed text.
#[derive(Debug, Clone)]
pub struct Text<'a> {
    /// The text as printed (a numeric figure value is formatted).
    pub text: Cow<'a, str>,
    /// Whether the report is incomplete without it.
    pub required: bool,
}

/// A photo field: the path as written, with its focus and crop limit.
#[derive(Debug, Clone, Copy)]
pub struct PhotoField<'a> {
    /// The path as written, relative to the report (empty: to supply).
    pub path: &'a str,
    /// Focal point, as fractions of width and height.
    pub focus: Option<[f64; 2]>,
    /// The largest share of width or height a crop may cut.
    pub crop: Option<f64>,
    /// Where the photo is.
    pub place: PhotoPlace<'a>,
}

/// Where a photo is placed, with the texts that describe it.
#[derive(Debug, Clone, Copy)]
pub enum PhotoPlace<'a> {
    /// The banner across the top.
    Banner(&'a Banner),
    /// A section's photo.
    Section {
        /// The section.
        section: &'a Section,
        /// The photo.
        photo: &'a Photo,
        /// Its index among the section's photos.
        index: usize,
    },
}

impl Field<'_> {
    /// The path of a sibling field (`sections[0].photos[1].path` →
    /// `sections[0].photos[1].focus`).
    pub fn sibling(&self, name: &str) -> String {
        match self.path.rsplit_once('.') {
            Some((parent, _)) => format!("{parent}.{name}"),
            None => name.to_owned(),
        }
    }

    /// The text, if the field is printed text.
    pub fn text(&self) -> Option<&Text<'_>> {
        match &self.value {
            Value::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The photo, if the field is one.
    pub fn photo(&self) -> Option<&PhotoField<'_>> {
        match &self.value {
            Value::Photo(photo) => Some(photo),
            _ => None,
        }
    }
}

/// Every printed text and every photo of a report, in model order (so the
/// photos come in slot order: the banner, then each section's).
pub fn walk(report: &Report) -> Vec<Field<'_>> {
    let mut walker = Walker { out: Vec::new() };
    walker.report(report);
    walker.out
}

/// Every printed text with its path, empty ones included.
pub fn texts(report: &Report) -> impl Iterator<Item = (String, Cow<'_, str>)> {
    walk(report)
        .into_iter()
        .filter_map(|field| match field.value {
            Value::Text(text) => Some((field.path, text.text)),
            _ => None,
        })
}

/// Every photo with the path of its file's field, in slot order.
pub fn photos(report: &Report) -> impl Iterator<Item = (String, PhotoField<'_>)> {
    walk(report)
        .into_iter()
        .filter_map(|field| match field.value {
            Value::Photo(photo) => Some((field.path, photo)),
            _ => None,
        })
}

struct Walker<'a> {
    out: Vec<Field<'a>>,
}

impl<'a> Walker<'a> {
    fn push(&mut self, path: String, value: Value<'a>) {
        self.out.push(Field { path, value });
    }

    fn text(&mut self, path: String, text: &'a str) {
        self.text_as(path, Cow::Borrowed(text), false);
    }

    fn required(&mut self, path: String, text: &'a str) {
        self.text_as(path, Cow::Borrowed(text), true);
    }

    fn text_as(&mut self, path: String, text: Cow<'a, str>, required: bool) {
        self.push(path, Value::Text(Text { text, required }));
    }

    fn report(&mut self, report: &'a Report) {
        let Report {
            masthead,
            headline,
            banner,
            lede,
            figures,
            sections,
            data_box,
            quote,
            credits,
            charts,
            deck,
            reserved,
            // Switches, no text.
            layout: _,
        } = report;
        self.masthead(masthead);
        self.headline(headline);
        if let Some(banner) = banner {
            self.banner(banner);
        }
        if let Some(lede) = lede {
            let Lede { label, text } = lede;
            self.text("lede.label".into(), label);
            self.required("lede.text".into(), text);
        }
        for (i, figure) in figures.iter().enumerate() {
            self.figure(&format!("figures[{i}]"), figure);
        }
        for (i, section) in sections.iter().enumerate() {
            self.section(&format!("sections[{i}]"), section);
        }
        if let Some(data_box) = data_box {
            self.data_box(data_box);
        }
        if let Some(quote) = quote {
            let Quote {
                label,
                text,
                source,
            } = quote;
            self.text("quote.label".into(), label);
            self.text("quote.text".into(), text);
            self.text("quote.source".into(), source);
        }
        self.credits(credits);
        for (i, chart) in charts.iter().enumerate() {
            self.chart(&format!("charts[{i}]"), chart);
        }
        if let Some(deck) = deck {
            self.deck(deck);
        }
        for (i, area) in reserved.iter().enumerate() {
            // Printed on proofs, inside the area's keyline frame.
            self.text(format!("reserved[{i}].label"), &area.label);
        }
    }

    fn masthead(&mut self, masthead: &'a Masthead) {
        let Masthead {
            paper,
            edition,
            series,
            // Checked as YYYY-MM-DD; the templates print it formatted.
            date: _,
            pages: _,
        } = masthead;
        self.required("masthead.paper".into(), paper);
        self.text("masthead.edition".into(), edition);
        self.text("masthead.series".into(), series);
    }

    fn headline(&mut self, headline: &'a Headline) {
        let Headline {
            kicker,
            title,
            subtitle,
        } = headline;
        self.text("headline.kicker".into(), kicker);
        self.required("headline.title".into(), title);
        self.text("headline.subtitle".into(), subtitle);
    }

    fn banner(&mut self, banner: &'a Banner) {
        let Banner {
            photo,
            display,
            alt,
            focus,
            crop,
            credit,
        } = banner;
        let place = PhotoPlace::Banner(banner);
        self.photo("banner.photo".into(), photo, *focus, *crop, place);
        self.text("banner.display".into(), display);
        self.push("banner.alt".into(), Value::Alt(alt));
        self.text("banner.credit".into(), credit);
    }

    fn photo(
        &mut self,
        path: String,
        file: &'a str,
        focus: Option<[f64; 2]>,
        crop: Option<f64>,
        place: PhotoPlace<'a>,
    ) {
        let photo = PhotoField {
            path: file,
            focus,
            crop,
            place,
        };
        self.push(path, Value::Photo(photo));
    }

    fn figure(&mut self, at: &str, figure: &'a Figure) {
        let Figure {
            label,
            value,
            unit,
            note,
        } = figure;
        self.required(format!("{at}.label"), label);
        let value = match value {
            super::FigureValue::Text(text) => Cow::Borrowed(text.as_str()),
            number => Cow::Owned(number.display()),
        };
        self.text_as(format!("{at}.value"), value, true);
        self.text(format!("{at}.unit"), unit);
        self.text(format!("{at}.note"), note);
    }

    fn section(&mut self, at: &str, section: &'a Section) {
        let Section {
            kicker,
            heading,
            dateline,
            text,
            leads,
            photos,
        } = section;
        self.text(format!("{at}.kicker"), kicker);
        // Only the first section may go without one: validation says so.
        self.text(format!("{at}.heading"), heading);
        self.text(format!("{at}.dateline"), dateline);
        self.required(format!("{at}.text"), text);
        for (j, lead) in leads.iter().enumerate() {
            self.required(format!("{at}.leads[{j}]"), lead);
        }
        for (index, photo) in photos.iter().enumerate() {
            let Photo {
                path,
                caption,
                credit,
                focus,
                crop,
            } = photo;
            let at = format!("{at}.photos[{index}]");
            let place = PhotoPlace::Section {
                section,
                photo,
                index,
            };
            self.photo(format!("{at}.path"), path, *focus, *crop, place);
            self.text(format!("{at}.caption"), caption);
            self.text(format!("{at}.credit"), credit);
        }
    }

    fn data_box(&mut self, data_box: &'a DataBox) {
        let DataBox { title, rows } = data_box;
        self.text("data_box.title".into(), title);
        for (i, row) in rows.iter().enumerate() {
            let DataRow { label, text } = row;
            self.text(format!("data_box.rows[{i}].label"), label);
            self.text(format!("data_box.rows[{i}].text"), text);
        }
    }

    fn credits(&mut self, credits: &'a Credits) {
        let Credits { reporters, photos } = credits;
        for (i, reporter) in reporters.iter().enumerate() {
            self.text(format!("credits.reporters[{i}]"), reporter);
        }
        self.text("credits.photos".into(), photos);
    }

    fn chart(&mut self, at: &str, chart: &'a Chart) {
        let Chart {
            title,
            unit,
            in_spread: _,
            items,
        } = chart;
        self.text(format!("{at}.title"), title);
        self.text(format!("{at}.unit"), unit);
        for (j, item) in items.iter().enumerate() {
            // The value is drawn as a bar and printed by the template.
            let ChartItem { label, value: _ } = item;
            self.text(format!("{at}.items[{j}].label"), label);
        }
    }

    fn deck(&mut self, deck: &'a Deck) {
        let Deck {
            // Labels of figures, printed as those figures.
            figures: _,
            figures_title,
            sections,
            quote,
        } = deck;
        self.text("deck.figures_title".into(), figures_title);
        for (i, section) in sections.iter().enumerate() {
            // `photo` is an index into the section's photos.
            let DeckSection { points, photo: _ } = section;
            for (j, point) in points.iter().enumerate() {
                self.text(format!("deck.sections[{i}].points[{j}]"), point);
            }
        }
        self.text("deck.quote".into(), quote);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// String fields the walk leaves out on purpose, with why.
    const NOT_PRINTED: &[(&str, &str)] = &[
        (
            "masthead.date",
            "checked as YYYY-MM-DD; the templates format it",
        ),
        (
            "deck.figures[0]",
            "a figure's label, printed as that figure",
        ),
        ("reserved[0].place", "where the area stands, a keyword"),
    ];

    /// Every string leaf of a JSON value, with its path.
    fn leaves(value: &serde_json::Value, at: &str, out: &mut BTreeSet<(String, String)>) {
        use serde_json::Value as Json;
        match value {
            Json::String(s) => {
                out.insert((at.to_owned(), s.clone()));
            }
            Json::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    leaves(item, &format!("{at}[{i}]"), out);
                }
            }
            Json::Object(map) => {
                for (key, item) in map {
                    let path = if at.is_empty() {
                        key.clone()
                    } else {
                        format!("{at}.{key}")
                    };
                    leaves(item, &path, out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn the_walk_visits_every_string_of_the_report() {
        let report = crate::report::fixtures::marked();
        let mut strings = BTreeSet::new();
        leaves(&serde_json::to_value(&report).unwrap(), "", &mut strings);
        let distinct: BTreeSet<&String> = strings.iter().map(|(_, s)| s).collect();
        assert_eq!(distinct.len(), strings.len(), "markers are distinct");
        for (path, why) in NOT_PRINTED {
            assert!(
                strings.iter().any(|(p, _)| p == path),
                "`{path}` ({why}) is no string field of the model"
            );
            strings.retain(|(p, _)| p != path);
        }
        let walked: BTreeSet<(String, String)> = walk(&report)
            .into_iter()
            .map(|field| {
                let value = match field.value {
                    Value::Text(text) => text.text.into_owned(),
                    Value::Alt(alt) => alt.to_owned(),
                    Value::Photo(photo) => photo.path.to_owned(),
                };
                (field.path, value)
            })
            .collect();
        assert_eq!(walked, strings);
    }

    #[test]
    fn photos_come_in_slot_order_with_their_siblings() {
        let report = crate::report::fixtures::marked();
        let photos: Vec<String> = photos(&report).map(|(path, _)| path).collect();
        assert_eq!(
            photos,
            [
                "banner.photo",
                "sections[0].photos[0].path",
                "sections[0].photos[1].path",
                "sections[1].photos[0].path",
                "sections[1].photos[1].path",
            ]
        );
        let fields = walk(&report);
        let banner = fields.iter().find(|f| f.photo().is_some()).unwrap();
        assert_eq!(banner.sibling("focus"), "banner.focus");
    }
}
