//! Reports made for unit tests (compiled only with them).

use crate::report::*;

/// A report whose every string holds a marker of its own.
pub(crate) fn marked() -> Report {
    let mut n = 0;
    let mut m = || {
        n += 1;
        format!("marker{n}")
    };
    let photo = |m: &mut dyn FnMut() -> String| Photo {
        path: m(),
        caption: m(),
        credit: m(),
        focus: Some([0.5, 0.5]),
        crop: Some(0.2),
    };
    let section = |m: &mut dyn FnMut() -> String| Section {
        kicker: m(),
        heading: m(),
        dateline: m(),
        text: m(),
        leads: vec![m(), m()],
        photos: vec![photo(m), photo(m)],
    };
    Report {
        masthead: Masthead {
            paper: m(),
            edition: m(),
            series: m(),
            date: m(),
            pages: vec![6, 7],
        },
        headline: Headline {
            kicker: m(),
            title: m(),
            subtitle: m(),
        },
        banner: Some(Banner {
            photo: m(),
            display: m(),
            alt: m(),
            focus: None,
            crop: None,
            credit: m(),
        }),
        lede: Some(Lede {
            label: m(),
            text: m(),
        }),
        figures: vec![Figure {
            label: m(),
            value: FigureValue::Text(m()),
            unit: m(),
            note: m(),
        }],
        sections: vec![section(&mut m), section(&mut m)],
        data_box: Some(DataBox {
            title: m(),
            rows: vec![
                DataRow {
                    label: m(),
                    text: m(),
                },
                DataRow {
                    label: m(),
                    text: m(),
                },
            ],
        }),
        quote: Some(Quote {
            label: m(),
            text: m(),
            source: m(),
        }),
        credits: Credits {
            reporters: vec![m(), m()],
            photos: m(),
        },
        charts: vec![Chart {
            title: m(),
            unit: m(),
            in_spread: true,
            items: vec![ChartItem {
                label: m(),
                value: 1.0,
            }],
        }],
        deck: Some(Deck {
            figures: vec![m()],
            figures_title: m(),
            sections: vec![
                DeckSection {
                    points: vec![m(), m()],
                    photo: Some(1),
                },
                DeckSection {
                    points: vec![m(), m(), m()],
                    photo: None,
                },
            ],
            quote: m(),
        }),
        reserved: vec![crate::report::Reserved {
            page: 2,
            columns: 4,
            lines: 30,
            place: crate::report::ReservedPlace::FootRight,
            label: m(),
        }],
        layout: Default::default(),
    }
}
