//! The bounds counted on the seed and on texts far beyond a page.

use std::path::Path;

use super::*;
use crate::report::{SourceFormat, parse};
use crate::typeset::data::Paper;

const SEED: &str = include_str!("../../../examples/fuling/report.toml");

fn loaded(text: &str) -> LoadedReport {
    parse(Path::new("r.toml"), text.to_owned(), SourceFormat::Toml).unwrap()
}

/// The seed with `change` made to its parsed table.
fn seed_with(change: impl FnOnce(&mut toml::Table)) -> LoadedReport {
    let mut table: toml::Table = toml::from_str(SEED).unwrap();
    change(&mut table);
    loaded(&toml::to_string(&table).unwrap())
}

/// The cells of the shipped templates' grid: 8 columns by 99 lines
/// on a broadsheet, 5 by 70 on a tabloid.
fn cells(paper: Paper, pages: Pages) -> Cells {
    let (cols, type_height) = match paper {
        Paper::Broadsheet => (8, 490.0),
        Paper::Tabloid => (5, 350.0),
    };
    let geometry = Geometry::sample(cols, type_height * 72.0 / 25.4);
    Cells::of(&geometry, pages)
}

const SLIDE: SlideSize = SlideSize {
    width: 960.0,
    height: 540.0,
};

fn spread_of(loaded: &LoadedReport) -> Result<(), Diagnostic> {
    spread(loaded, &cells(Paper::Broadsheet, Pages::Spread))
}

fn han(n: usize) -> String {
    "涪陵加快形成新质生产力。".chars().cycle().take(n).collect()
}

fn set(table: &mut toml::Table, path: &[&str], value: toml::Value) {
    let (last, parents) = path.split_last().unwrap();
    let mut at = table;
    for key in parents {
        at = at.get_mut(*key).unwrap().as_table_mut().unwrap();
    }
    at.insert((*last).into(), value);
}

#[test]
fn characters_are_counted_low() {
    assert_eq!(em('涪'), 1.0);
    assert_eq!(em('，'), 1.0);
    assert_eq!(em('a'), 0.5);
    assert_eq!(em('i'), 0.25);
    assert_eq!(em(' '), 0.0);
    assert_eq!(em('\u{2060}'), 0.0);
    // Thirteen Han characters of body text fill a column's line: less
    // than a cell (a cell counts the gutter too).
    let cell = cells(Paper::Broadsheet, Pages::Spread).cell;
    assert!(Count::of(&han(13), BODY, cell).cells < 1.0);
}

#[test]
fn the_seed_passes_on_every_format() {
    let seed = loaded(SEED);
    for paper in [Paper::Broadsheet, Paper::Tabloid] {
        for pages in [Pages::Spread, Pages::Single] {
            let cells = cells(paper, pages);
            spread(&seed, &cells).unwrap();
            let plan = crate::report::deck_plan::plan(&seed.report);
            deck(&seed, &plan, &cells, SLIDE).unwrap();
        }
    }
}

#[test]
fn a_text_far_beyond_a_page_is_named_with_its_cut() {
    let cases: [(&[&str], &str); 5] = [
        (&["lede", "text"], "lede.text"),
        (&["quote", "text"], "quote.text"),
        (&["headline", "title"], "headline.title"),
        (&["masthead", "series"], "masthead.series"),
        (&["banner", "display"], "banner.display"),
    ];
    for (path, field) in cases {
        let report = seed_with(|t| set(t, path, han(1_000_000).into()));
        let error = spread_of(&report).unwrap_err();
        assert_eq!(error.field.as_deref(), Some(field), "{error}");
        assert!(error.line.is_some(), "{error}");
        let text = error.to_string();
        assert!(text.contains("far beyond a page"), "{text}");
        assert!(text.contains("1000000 characters"), "{text}");
        assert!(text.contains("cut at least "), "{text}");
    }
}

#[test]
fn a_box_of_many_small_parts_is_named_as_a_box() {
    let report = seed_with(|t| {
        let row = t["data_box"]["rows"][0].clone();
        let rows = t["data_box"].as_table_mut().unwrap();
        rows.insert("rows".into(), toml::Value::Array(vec![row; 5000]));
    });
    let error = spread_of(&report).unwrap_err();
    assert_eq!(error.field.as_deref(), Some("data_box"), "{error}");
    assert!(error.to_string().contains("the data box"), "{error}");
    let report = seed_with(|t| {
        let figure = t["figures"][0].clone();
        t.insert("figures".into(), toml::Value::Array(vec![figure; 5000]));
    });
    let error = spread_of(&report).unwrap_err();
    assert_eq!(error.field.as_deref(), Some("figures"), "{error}");
}

#[test]
fn a_story_may_fill_the_pages_but_not_thrice() {
    let story = |n| seed_with(|t| set_section_text(t, 1, han(n)));
    // About two pages of text: the composer's to answer.
    spread_of(&story(20_000)).unwrap();
    let error = spread_of(&story(100_000)).unwrap_err();
    assert_eq!(error.field.as_deref(), Some("sections[1].text"), "{error}");
    assert!(
        error.to_string().contains("far beyond the pages"),
        "{error}"
    );
}

fn set_section_text(table: &mut toml::Table, i: usize, text: String) {
    let section = table["sections"].as_array_mut().unwrap()[i]
        .as_table_mut()
        .unwrap();
    section.insert("text".into(), text.into());
}

#[test]
fn many_stories_are_cut_where_the_pages_run_out() {
    let report = seed_with(|t| {
        let sections = t["sections"].as_array_mut().unwrap();
        let one = sections[0].clone();
        sections.extend(std::iter::repeat_n(one, 200));
    });
    let error = spread_of(&report).unwrap_err();
    let field = error.field.clone().unwrap();
    assert!(field.starts_with("sections["), "{error}");
    let text = error.to_string();
    assert!(text.contains("the pages hold the report up to"), "{text}");
    assert!(text.contains("to sections[202]"), "{text}");
}

#[test]
fn a_slide_far_beyond_its_room_is_refused_for_the_deck() {
    let slide = |report: &LoadedReport| {
        let plan = crate::report::deck_plan::plan(&report.report);
        deck(
            report,
            &plan,
            &cells(Paper::Broadsheet, Pages::Spread),
            SLIDE,
        )
    };
    // A point the spread never sets.
    let report = seed_with(|t| {
        let points = toml::Value::Array(vec![han(6_000).into(), "短".into()]);
        let deck = t["deck"].as_table_mut().unwrap();
        let first = deck["sections"][0].as_table_mut().unwrap();
        first.insert("points".into(), points);
    });
    spread_of(&report).unwrap();
    let error = slide(&report).unwrap_err();
    let field = "deck.sections[0].points[0]";
    assert_eq!(error.field.as_deref(), Some(field), "{error}");
    assert!(error.to_string().contains("a slide"), "{error}");
    // The quote's derived key sentence: a text without a full stop.
    let report = seed_with(|t| {
        set(t, &["quote", "text"], "很".repeat(7_000).into());
        t["deck"].as_table_mut().unwrap().remove("quote");
    });
    let error = slide(&report).unwrap_err();
    assert_eq!(error.field.as_deref(), Some("quote.text"), "{error}");
    assert!(error.hint_text().contains("[deck]"), "{error}");
}

#[test]
fn text_is_counted_at_the_templates_body_size_when_it_is_smaller() {
    let report = seed_with(|t| set(t, &["lede", "text"], han(10_000).into()));
    let at = |leading: f64| {
        let geometry = Geometry {
            leading,
            ..Geometry::sample(8, 490.0 * 72.0 / 25.4)
        };
        spread(&report, &Cells::of(&geometry, Pages::Spread))
    };
    // 9 pt body (the shipped theme's): 10,000 characters of lede are
    // beyond a page; set at 6 pt they are not; at 11 pt still beyond.
    let error = at(5.0).unwrap_err();
    assert_eq!(error.field.as_deref(), Some("lede.text"), "{error}");
    at(8.0).unwrap();
    at(3.0).unwrap_err();
}
