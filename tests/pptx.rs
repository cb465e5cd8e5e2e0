//! Writes a sample deck and checks the package: its structure (here), and
//! what python-pptx, lxml and LibreOffice make of it when they are present.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::common;

use common::package::{
    READ_BULLETS, check_package, libreoffice_text, openxml_audit, python, relationships, tags,
};

use banmian::export::pptx::{
    Align, Anchor, Bullet, Deck, Element, Face, FontFile, Para, Rect, Rgb, Run, Slide, TextBox,
    Theme, write,
};

const TITLE: &str = "涪陵区加快形成新质生产力";
const NOTES: &str = "第一段\n第二段";
const RED_JPEG: &[u8] = include_bytes!("fixtures/red.jpg");
const BLUE_JPEG: &[u8] = include_bytes!("fixtures/blue.jpg");

const ACCENT: Rgb = Rgb(0xC8, 0x10, 0x2E);
const INK: Rgb = Rgb(0x1A, 0x1A, 0x1A);

fn theme() -> Theme {
    Theme {
        name: "banmian".into(),
        major_latin: "Noto Sans CJK SC".into(),
        major_ea: "Noto Sans CJK SC".into(),
        minor_latin: "Noto Serif CJK SC".into(),
        minor_ea: "Noto Serif CJK SC".into(),
        accent: ACCENT,
        ink: INK,
        paper: Rgb(0xFF, 0xFF, 0xFF),
        tint: Rgb(0xF6, 0xE7, 0xE9),
        grey: Rgb(0x66, 0x66, 0x66),
    }
}

fn run(text: &str, size: f64, bold: bool, color: Rgb, face: Face) -> Run {
    Run {
        text: text.into(),
        size,
        bold,
        color,
        face,
    }
}

fn para(runs: Vec<Run>, align: Align) -> Para {
    Para {
        runs,
        align,
        line_spacing: None,
        space_after: 0.0,
        bullet: None,
    }
}

fn text_box(frame: Rect, paragraphs: Vec<Para>) -> Element {
    Element::Text(TextBox {
        frame,
        name: String::new(),
        paragraphs,
        fill: None,
        anchor: Anchor::Top,
        inset: 0.0,
    })
}

fn picture(frame: Rect, jpeg: &[u8], crop: [f64; 4]) -> Element {
    Element::Picture {
        frame,
        jpeg: jpeg.to_vec(),
        px_w: 2,
        px_h: 2,
        descr: "红色 \"示例\" 图片 & more".into(),
        crop,
    }
}

fn rect(x: f64, y: f64, w: f64, h: f64) -> Rect {
    Rect { x, y, w, h }
}

fn sample_deck() -> Deck {
    let title_slide = Slide {
        name: "封面".into(),
        elements: vec![
            Element::Shape {
                frame: rect(0.0, 0.0, 960.0, 12.0),
                fill: Some(ACCENT),
                line: None,
            },
            Element::Text(TextBox {
                frame: rect(60.0, 150.0, 840.0, 80.0),
                name: "标题".into(),
                paragraphs: vec![para(
                    vec![run(TITLE, 40.0, true, INK, Face::Heading)],
                    Align::Center,
                )],
                fill: None,
                anchor: Anchor::Middle,
                inset: 0.0,
            }),
            text_box(
                rect(60.0, 250.0, 840.0, 70.0),
                vec![para(
                    vec![
                        run("2026年3月 · 专题汇报", 20.0, false, ACCENT, Face::Body),
                        run("\n第二行 Latin text", 20.0, false, INK, Face::Body),
                    ],
                    Align::Center,
                )],
            ),
            Element::Line {
                x1: 280.0,
                y1: 240.0,
                x2: 680.0,
                y2: 240.0,
                color: ACCENT,
                width: 1.5,
            },
            picture(
                rect(780.0, 400.0, 120.0, 90.0),
                RED_JPEG,
                [0.0, 0.125, 0.0, 0.125],
            ),
        ],
        notes: NOTES.into(),
    };
    let body_slide = Slide {
        name: "要点".into(),
        elements: vec![
            Element::Text(TextBox {
                frame: rect(40.0, 30.0, 880.0, 50.0),
                name: String::new(),
                paragraphs: vec![para(
                    vec![run(
                        "一、总体情况",
                        28.0,
                        true,
                        Rgb(0xFF, 0xFF, 0xFF),
                        Face::Heading,
                    )],
                    Align::Left,
                )],
                fill: Some(ACCENT),
                anchor: Anchor::Middle,
                inset: 8.0,
            }),
            text_box(
                rect(40.0, 100.0, 520.0, 380.0),
                vec![
                    Para {
                        runs: vec![run(
                            "全区规上工业增加值增长百分之八点五，战略性新兴产业占比持续提升。",
                            18.0,
                            false,
                            INK,
                            Face::Body,
                        )],
                        align: Align::Justify,
                        line_spacing: Some(30.0),
                        space_after: 12.0,
                        bullet: Some(Bullet {
                            char: '■',
                            size: 12.0,
                            color: ACCENT,
                            face: Face::Heading,
                            indent: 24.0,
                        }),
                    },
                    para(
                        vec![run(
                            "“创新是第一动力。”",
                            18.0,
                            false,
                            INK,
                            Face::Kai("LXGW WenKai".into()),
                        )],
                        Align::Right,
                    ),
                    para(Vec::new(), Align::Left),
                ],
            ),
            picture(rect(600.0, 100.0, 320.0, 240.0), RED_JPEG, [0.0; 4]),
            picture(
                rect(600.0, 360.0, 160.0, 120.0),
                BLUE_JPEG,
                [0.1666, 0.0, 0.1666, 0.0],
            ),
            Element::Shape {
                frame: rect(590.0, 90.0, 340.0, 400.0),
                fill: None,
                line: Some((Rgb(0x66, 0x66, 0x66), 0.75)),
            },
            Element::Line {
                x1: 920.0,
                y1: 520.0,
                x2: 40.0,
                y2: 500.0,
                color: INK,
                width: 0.5,
            },
        ],
        notes: NOTES.into(),
    };
    let end_slide = Slide {
        name: String::new(),
        elements: vec![
            text_box(
                rect(100.0, 200.0, 760.0, 100.0),
                vec![para(
                    vec![run(
                        "谢谢 A&B <c> \"q\" 'x'\u{1}\u{b}",
                        32.0,
                        false,
                        INK,
                        Face::Heading,
                    )],
                    Align::Center,
                )],
            ),
            text_box(rect(0.0, 0.0, 10.0, 10.0), Vec::new()),
            text_box(
                rect(0.0, 0.0, 10.0, 10.0),
                vec![para(
                    vec![run("", 12.0, false, INK, Face::Body)],
                    Align::Left,
                )],
            ),
        ],
        notes: "  \n".into(),
    };
    Deck {
        title: "涪陵区专题汇报".into(),
        author: "banmian".into(),
        width: 960.0,
        height: 540.0,
        theme: theme(),
        slides: vec![title_slide, body_slide, end_slide],
        modified: Some("2026-03-05T00:00:00Z".into()),
        fonts: bundled_fonts(),
    }
}

/// The bundled faces the sample's runs name.
fn bundled_fonts() -> Vec<FontFile> {
    [
        ("Noto Sans CJK SC", false, "NotoSansCJKsc-Regular.otf"),
        ("Noto Sans CJK SC", true, "NotoSansCJKsc-Bold.otf"),
        ("Noto Serif CJK SC", false, "NotoSerifCJKsc-Regular.otf"),
        ("LXGW WenKai", false, "LXGWWenKai-Regular.ttf"),
    ]
    .into_iter()
    .map(|(family, bold, file)| FontFile {
        family: family.into(),
        bold,
        data: typst::foundations::Bytes::new(
            std::fs::read(common::repo().join("fonts").join(file)).unwrap(),
        ),
        index: 0,
    })
    .collect()
}

/// A fresh scratch folder for one test.
fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pptx-test-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_sample(tag: &str) -> PathBuf {
    let path = scratch(tag).join("deck.pptx");
    std::fs::write(&path, write(&sample_deck()).unwrap()).unwrap();
    path
}

// --- structure --------------------------------------------------------------

#[test]
fn package_structure_is_complete() {
    let (parts, overrides) = check_package(&write(&sample_deck()).unwrap());

    // Content types of the main parts.
    let pml = "application/vnd.openxmlformats-officedocument.presentationml";
    assert_eq!(
        overrides["ppt/presentation.xml"],
        format!("{pml}.presentation.main+xml")
    );
    assert_eq!(
        overrides["ppt/slides/slide1.xml"],
        format!("{pml}.slide+xml")
    );
    assert_eq!(
        overrides["ppt/notesSlides/notesSlide1.xml"],
        format!("{pml}.notesSlide+xml")
    );

    // Slide ids, slide size and slide order.
    let presentation = std::str::from_utf8(&parts["ppt/presentation.xml"]).unwrap();
    let ids: Vec<u32> = tags(presentation, "p:sldId")
        .iter()
        .map(|s| s["id"].parse().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(ids.iter().all(|&id| id >= 256));
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        3,
        "slide ids are unique"
    );
    let size = &tags(presentation, "p:sldSz")[0];
    assert_eq!(
        (size["cx"].as_str(), size["cy"].as_str()),
        ("12192000", "6858000")
    );
    let pres_rels = relationships(&parts, "ppt/presentation.xml");
    let slides: Vec<&String> = pres_rels
        .iter()
        .filter(|(k, _)| k == "slide")
        .map(|(_, t)| t)
        .collect();
    assert_eq!(
        slides,
        [
            "ppt/slides/slide1.xml",
            "ppt/slides/slide2.xml",
            "ppt/slides/slide3.xml"
        ]
    );

    // Slides with notes and their notes slides point at each other.
    for (slide, has_notes) in slides.iter().zip([true, true, false]) {
        let rels = relationships(&parts, slide);
        assert!(
            rels.iter().any(|(k, _)| k == "slideLayout"),
            "{slide} has a layout"
        );
        let notes: Vec<&String> = rels
            .iter()
            .filter(|(k, _)| k == "notesSlide")
            .map(|(_, t)| t)
            .collect();
        assert_eq!(notes.len(), usize::from(has_notes), "{slide}");
        for notes in notes {
            let back = relationships(&parts, notes);
            assert!(
                back.contains(&("slide".into(), slide.to_string())),
                "{notes} -> {slide}"
            );
            assert!(
                back.iter().any(|(k, _)| k == "notesMaster"),
                "{notes} -> notes master"
            );
        }
    }

    // The master and its layouts point at each other; both masters have themes.
    let master = "ppt/slideMasters/slideMaster1.xml";
    let layouts: Vec<String> = relationships(&parts, master)
        .into_iter()
        .filter(|(k, _)| k == "slideLayout")
        .map(|(_, t)| t)
        .collect();
    assert!(layouts.len() >= 2);
    for layout in &layouts {
        assert_eq!(
            relationships(&parts, layout),
            [("slideMaster".into(), master.into())]
        );
    }
    assert!(
        relationships(&parts, master)
            .iter()
            .any(|(k, _)| k == "theme")
    );
    let notes_master = relationships(&parts, "ppt/notesMasters/notesMaster1.xml");
    assert_eq!(
        notes_master,
        [("theme".into(), "ppt/theme/theme2.xml".into())]
    );

    // The faces are embedded as PowerPoint embeds them: EOT parts of type
    // application/x-fontdata, related to the presentation with the `font`
    // relationship, one p:embeddedFont a typeface (regular and bold).
    let types = std::str::from_utf8(&parts["[Content_Types].xml"]).unwrap();
    assert!(
        tags(types, "Default")
            .iter()
            .any(|d| d["Extension"] == "fntdata" && d["ContentType"] == "application/x-fontdata")
    );
    assert_eq!(
        tags(presentation, "p:presentation")[0]["embedTrueTypeFonts"],
        "1"
    );
    let fonts: Vec<String> = pres_rels
        .iter()
        .filter(|(k, _)| k == "font")
        .map(|(_, t)| t.clone())
        .collect();
    assert_eq!(
        fonts.len(),
        4,
        "Sans regular and bold, Serif regular, WenKai: {fonts:?}"
    );
    for font in &fonts {
        assert!(
            font.starts_with("ppt/fonts/") && font.ends_with(".fntdata"),
            "{font}"
        );
        assert_eq!(
            u16::from_le_bytes([parts[font][34], parts[font][35]]),
            0x504C,
            "EOT magic number"
        );
    }
    let typefaces: Vec<String> = tags(presentation, "p:font")
        .iter()
        .map(|f| f["typeface"].clone())
        .collect();
    assert_eq!(
        typefaces,
        ["LXGW WenKai", "Noto Sans CJK SC", "Noto Serif CJK SC"],
        "one entry a typeface"
    );
    assert_eq!(tags(presentation, "p:bold").len(), 1);
    // Readers without the faces fall back to what a Chinese Windows has.
    let theme = std::str::from_utf8(&parts["ppt/theme/theme1.xml"]).unwrap();
    let hans: Vec<String> = tags(theme, "a:font")
        .iter()
        .map(|f| format!("{} {}", f["script"], f["typeface"]))
        .collect();
    assert_eq!(hans, ["Hans 黑体", "Hans 宋体"], "major and minor fonts");

    // The red picture is used twice but stored once.
    let media: Vec<&String> = parts
        .keys()
        .filter(|n| n.starts_with("ppt/media/"))
        .collect();
    assert_eq!(media, ["ppt/media/image1.jpeg", "ppt/media/image2.jpeg"]);
    assert_eq!(parts["ppt/media/image1.jpeg"], RED_JPEG);
}

#[test]
fn a_deck_without_slides_is_still_a_package() {
    let deck = Deck {
        slides: Vec::new(),
        modified: None,
        ..sample_deck()
    };
    let (parts, _) = check_package(&write(&deck).unwrap());
    let presentation = std::str::from_utf8(&parts["ppt/presentation.xml"]).unwrap();
    assert!(!presentation.contains("sldIdLst"));
    let core = std::str::from_utf8(&parts["docProps/core.xml"]).unwrap();
    assert!(!core.contains("dcterms:modified"));
}

#[test]
fn writing_is_deterministic() {
    let deck = sample_deck();
    let first = write(&deck).unwrap();
    let second = write(&deck.clone()).unwrap();
    assert!(first == second, "two writes differ");
}

#[test]
fn rejects_what_powerpoint_cannot_show() {
    let mut deck = sample_deck();
    deck.slides[0].elements.push(Element::Picture {
        frame: rect(0.0, 0.0, 10.0, 10.0),
        jpeg: b"\x89PNG".to_vec(),
        px_w: 1,
        px_h: 1,
        descr: String::new(),
        crop: [0.0; 4],
    });
    let err = write(&deck).unwrap_err().to_string();
    assert!(err.contains("slide 1, element 6"), "{err}");

    let mut deck = sample_deck();
    deck.width = f64::NAN;
    assert!(write(&deck).is_err());

    let mut deck = sample_deck();
    deck.modified = Some("yesterday".into());
    assert!(write(&deck).is_err());
}

/// A face whose licence (OS/2 fsType) forbids embedding it, or embedding
/// a subset of it, is refused, as the PDF refuses it: the deck embeds
/// subsets only.
#[test]
fn faces_whose_licence_forbids_embedding_a_subset_are_refused() {
    for (fs_type, says) in [
        (0x0002_u16, "does not allow embedding"),
        (0x0100, "subsetting"),
    ] {
        let mut deck = sample_deck();
        let kai = deck
            .fonts
            .iter_mut()
            .find(|f| f.family == "LXGW WenKai")
            .unwrap();
        let mut data = kai.data.to_vec();
        let tables = u16::from_be_bytes([data[4], data[5]]) as usize;
        let os2 = (0..tables)
            .map(|i| 12 + 16 * i)
            .find(|&record| &data[record..record + 4] == b"OS/2")
            .map(|record| u32::from_be_bytes(data[record + 8..record + 12].try_into().unwrap()))
            .unwrap() as usize;
        // fsType sits 8 bytes into the OS/2 table.
        data[os2 + 8..os2 + 10].copy_from_slice(&fs_type.to_be_bytes());
        kai.data = typst::foundations::Bytes::new(data);
        let err = write(&deck).unwrap_err().to_string();
        assert!(err.contains("LXGW WenKai") && err.contains(says), "{err}");
    }
}

// --- outside tools -----------------------------------------------------------

const READ_WITH_PYTHON_PPTX: &str = r#"
import json, sys
import pptx
deck = pptx.Presentation(sys.argv[1])
print("size", deck.slide_width, deck.slide_height)
print("title", json.dumps(deck.core_properties.title, ensure_ascii=False))
for number, slide in enumerate(deck.slides, 1):
    print("layout", number, slide.slide_layout.name)
    for shape in slide.shapes:
        if shape.has_text_frame:
            print("text", number, json.dumps(shape.text_frame.text, ensure_ascii=False))
        if shape.shape_type == pptx.enum.shapes.MSO_SHAPE_TYPE.PICTURE:
            print("picture", number, shape.image.content_type, round(shape.crop_top, 3))
    if slide.has_notes_slide:
        print("notes", number, json.dumps(slide.notes_slide.notes_text_frame.text, ensure_ascii=False))
"#;

#[test]
fn python_pptx_reads_text_and_notes() {
    let path = write_sample("python-pptx");
    let out = python(READ_WITH_PYTHON_PPTX, &path);
    println!("{out}");
    let expect = [
        "size 12192000 6858000".to_string(),
        r#"title "涪陵区专题汇报""#.to_string(),
        "layout 1 Blank".to_string(),
        format!(r#"text 1 "{TITLE}""#),
        "text 1 \"2026年3月 · 专题汇报\\u000b第二行 Latin text\"".to_string(),
        "picture 1 image/jpeg 0.125".to_string(),
        "picture 2 image/jpeg 0.0".to_string(),
        concat!(
            r#"text 2 "全区规上工业增加值增长百分之八点五，战略性新兴产业占比持续提升。"#,
            r#"\n“创新是第一动力。”\n""#
        )
        .to_string(),
        r#"notes 1 "第一段\n第二段""#.to_string(),
        r#"notes 2 "第一段\n第二段""#.to_string(),
        r#"text 3 "谢谢 A&B <c> \"q\" 'x'""#.to_string(),
    ];
    for line in expect {
        assert!(
            out.lines().any(|l| l == line),
            "missing {line:?} in:\n{out}"
        );
    }
    assert!(!out.contains("notes 3"), "slide 3 has no notes");
}

const CHECK_WELL_FORMED: &str = r#"
import sys, zipfile
from lxml import etree
with zipfile.ZipFile(sys.argv[1]) as package:
    names = [n for n in package.namelist() if n.endswith((".xml", ".rels"))]
    for name in names:
        etree.fromstring(package.read(name))
print("well-formed", len(names))
"#;

#[test]
fn every_xml_part_is_well_formed() {
    let path = write_sample("lxml");
    let out = python(CHECK_WELL_FORMED, &path);
    println!("{out}");
    assert!(out.starts_with("well-formed "), "{out}");
}

#[test]
fn libreoffice_renders_the_chinese_text() {
    let path = write_sample("soffice");
    let text = libreoffice_text(&path);
    println!("{text}");
    for expected in [TITLE, "专题汇报", "第二行", "创新是第一动力", "谢谢"] {
        assert!(
            text.contains(expected),
            "{expected} missing from the PDF text"
        );
    }
}

/// Schema and PowerPoint-risk validation with `openxml-audit` (PyPI).
#[test]
fn openxml_audit_finds_nothing() {
    let empty = Deck {
        slides: Vec::new(),
        ..sample_deck()
    };
    let dir = scratch("openxml-audit");
    for (name, deck) in [("sample", sample_deck()), ("empty", empty)] {
        let path = dir.join(format!("{name}.pptx"));
        std::fs::write(&path, write(&deck).unwrap()).unwrap();
        openxml_audit(&path);
    }
}

/// Bullets are paragraph bullets PowerPoint draws itself (`a:buChar`), with
/// the text at `marL` and the first line taken back by a negative `indent`,
/// so wrapped lines hang under the text, not under the bullet.
#[test]
fn python_pptx_reads_bullets_and_hanging_indents() {
    let path = write_sample("bullets");
    let out = python(READ_BULLETS, &path);
    println!("{out}");
    let bullets: Vec<&str> = out.lines().filter(|l| l.starts_with("bullet ")).collect();
    assert_eq!(
        bullets,
        [concat!(
            r#"bullet 2 ["■", "304800", "-304800", "66667", "Noto Sans CJK SC", "C8102E", "#,
            r#""全区规上工业增加值增长百分之八点五，战略性新兴产业占比持续提升。"]"#
        )],
        "one bullet, 24 pt (304800 EMU) hanging indent, 12/18 of the text's size"
    );
}
