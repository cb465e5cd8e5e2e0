//! The PPTX writer's text path: any text (split at 0xFF bytes, read as
//! UTF-8 with replacements) as a deck's title, author, slide name, runs,
//! box name and notes. Whatever is written must be a zip whose every XML
//! part is well-formed.
#![no_main]

use std::io::Read as _;

use banmian::export::pptx::{
    self, Align, Anchor, Bullet, Deck, Element, Face, Para, Rect, Rgb, Run, Slide, TextBox, Theme,
};
use libfuzzer_sys::fuzz_target;

fn run(text: &str, face: Face) -> Run {
    Run { text: text.into(), size: 20.0, bold: text.len() % 2 == 0, color: Rgb(1, 2, 3), face }
}

fuzz_target!(|bytes: &[u8]| {
    let texts: Vec<String> =
        bytes.split(|&b| b == 0xFF).map(|t| String::from_utf8_lossy(t).into_owned()).collect();
    let at = |i: usize| texts.get(i).cloned().unwrap_or_default();
    let paragraphs = texts
        .iter()
        .enumerate()
        .map(|(i, t)| Para {
            runs: vec![run(t, if i % 2 == 0 { Face::Body } else { Face::Kai(at(1)) })],
            align: Align::Justify,
            line_spacing: Some(24.0),
            space_after: 6.0,
            bullet: (i % 3 == 0).then(|| Bullet {
                char: t.chars().next().unwrap_or('■'),
                size: 12.0,
                color: Rgb(200, 0, 0),
                face: Face::Heading,
                indent: 20.0,
            }),
        })
        .collect();
    let text = TextBox {
        frame: Rect { x: 10.0, y: 10.0, w: 500.0, h: 300.0 },
        name: at(2),
        paragraphs,
        fill: None,
        anchor: Anchor::Top,
        inset: 4.0,
    };
    let theme = Theme {
        name: at(3),
        major_latin: "Noto Sans CJK SC".into(),
        major_ea: "Noto Sans CJK SC".into(),
        minor_latin: "Noto Serif CJK SC".into(),
        minor_ea: "Noto Serif CJK SC".into(),
        accent: Rgb(200, 0, 0),
        ink: Rgb(0, 0, 0),
        paper: Rgb(255, 255, 255),
        tint: Rgb(250, 240, 230),
        grey: Rgb(100, 100, 100),
    };
    let deck = Deck {
        title: at(0),
        author: at(4),
        width: 960.0,
        height: 540.0,
        theme,
        slides: vec![Slide { name: at(5), elements: vec![Element::Text(text)], notes: texts.join("\n") }],
        modified: Some("2024-03-05T00:00:00Z".into()),
        fonts: Vec::new(),
    };
    let Ok(file) = pptx::write(&deck) else {
        return;
    };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(file)).expect("a zip");
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let mut xml = String::new();
            part.read_to_string(&mut xml).expect("UTF-8 XML");
            if let Err(err) = roxmltree::Document::parse(&xml) {
                panic!("{name} is not well-formed: {err}");
            }
        }
    }
});
