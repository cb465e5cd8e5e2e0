//! The briefing deck: `banmian deck` and `banmian render --deck`, checked
//! in the PDF (poppler), in the PPTX package (what PowerPoint requires),
//! read back by python-pptx and converted by LibreOffice.

use crate::common;

use std::path::Path;

use common::package::{check_package, libreoffice_text, openxml_audit, python, tags};
use common::{banmian, pdf_text, seed_deck, stderr, tool};

/// The seed without its `[deck]`, beside it (its photos are relative).
fn seed_without_deck() -> tempfile::NamedTempFile {
    common::seed_variant(|report| {
        report.remove("deck");
    })
}

fn seed() -> banmian::report::Report {
    banmian::report::load(&common::example()).unwrap().report
}

/// The facts every deck of the seed shows, slide by slide.
fn expected_text(report: &banmian::report::Report) -> Vec<String> {
    let strip = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let mut out = vec![
        strip(&report.headline.title),
        strip(&report.masthead.edition),
    ];
    out.extend(report.sections.iter().map(|s| strip(&s.heading)));
    let deck = report.deck.clone().unwrap_or_default();
    for section in &deck.sections {
        out.extend(section.points.iter().map(|p| strip(p)));
    }
    for chart in &report.charts {
        out.push(strip(&chart.title));
        out.extend(chart.items.iter().map(|i| strip(&i.label)));
    }
    out.extend(["243.9", "443.7", "284.8", "1200"].map(String::from));
    let data = report.data_box.as_ref().unwrap();
    out.extend(data.rows.iter().map(|r| strip(&r.label)));
    out.extend(report.credits.reporters.iter().cloned());
    out
}

#[test]
fn the_deck_pdf_has_every_slide_and_fact() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, _) = seed_deck(dir.path(), &common::example(), &["--notes"]);
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let report = seed();
    // Title, figures, one per section, chart, data box, quote, closing.
    let slides = 1 + 1 + report.sections.len() + report.charts.len() + 1 + 1 + 1;
    assert!(
        info.contains(&format!("Pages:           {slides}")),
        "{info}"
    );
    assert!(
        info.contains("Page size:       960 x 540 pts"),
        "16:9, 13.333 × 7.5 in: {info}"
    );
    let text = pdf_text(&pdf);
    for fact in expected_text(&report) {
        assert!(text.contains(&fact), "`{fact}` missing from the deck PDF");
    }
    // The editor's key figures: value, unit, label.
    for label in &report.deck.as_ref().unwrap().figures {
        let figure = report.figures.iter().find(|f| &f.label == label).unwrap();
        assert!(text.contains(&figure.label) && text.contains(&figure.value.display()));
    }
    assert!(text.contains(&report.deck.as_ref().unwrap().quote.replace(' ', "")));
    // Speaker notes for the PDF: pdfpc, each section's full text.
    let notes: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("deck.pdfpc")).unwrap())
            .unwrap();
    let pages = notes["pages"].as_array().unwrap();
    assert_eq!(pages.len(), slides);
    for (i, section) in report.sections.iter().enumerate() {
        let note = pages[2 + i]["note"].as_str().unwrap();
        for paragraph in banmian::report::paragraphs(&section.text) {
            assert!(
                note.contains(&paragraph),
                "slide {} notes lack a paragraph",
                3 + i
            );
        }
    }
}

#[test]
fn the_deck_embeds_its_fonts_and_photos() {
    let (pdf, _) = common::shared_seed_deck();
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    for line in fonts.lines().skip(2) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "embedded, subset, unicode: {line}"
        );
    }
    let images = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    // The banner and one photo per section, made for a screen.
    let report = seed();
    assert_eq!(
        images.lines().skip(2).count(),
        1 + report.sections.len(),
        "{images}"
    );
    // The example's photos are upright JPEGs of under 2 MB, at most four
    // times the screen's 150 ppi: the deck holds each as it is (no decode,
    // no second generation of JPEG), in the PDF and in the PPTX.
    let sources: Vec<Vec<u8>> = [
        "banner-mountains",
        "bridge-cables",
        "ceramic-cups",
        "steel-facade",
    ]
    .iter()
    .map(|name| std::fs::read(common::repo().join(format!("images/{name}.jpg"))).unwrap())
    .collect();
    let out = tempfile::tempdir().unwrap();
    let prefix = out.path().join("img");
    tool(
        "pdfimages",
        &["-j", pdf.to_str().unwrap(), prefix.to_str().unwrap()],
    );
    let mut embedded: Vec<Vec<u8>> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    let (_, pptx) = common::shared_seed_deck();
    let (parts, _) = check_package(&std::fs::read(&pptx).unwrap());
    embedded.extend(
        parts
            .iter()
            .filter(|(name, _)| name.starts_with("ppt/media/") && name.ends_with(".jpeg"))
            .map(|(_, bytes)| bytes.clone()),
    );
    assert_eq!(embedded.len(), 2 * sources.len());
    for bytes in &embedded {
        assert!(
            sources.contains(bytes),
            "a deck photo is not its source's bytes"
        );
    }
}

#[test]
fn the_pptx_is_a_package_powerpoint_opens() {
    let (_, pptx) = common::shared_seed_deck();
    let (parts, _) = check_package(&std::fs::read(&pptx).unwrap());
    openxml_audit(&pptx);
    let presentation = std::str::from_utf8(&parts["ppt/presentation.xml"]).unwrap();
    let ids: Vec<u32> = tags(presentation, "p:sldId")
        .iter()
        .map(|s| s["id"].parse().unwrap())
        .collect();
    assert_eq!(ids.len(), 9);
    assert!(ids.iter().all(|&id| id >= 256));
    let size = &tags(presentation, "p:sldSz")[0];
    assert_eq!(
        (size["cx"].as_str(), size["cy"].as_str()),
        ("12192000", "6858000")
    );
    // The CJK faces are named for East Asian text (and Latin) in every run.
    let slide = std::str::from_utf8(&parts["ppt/slides/slide3.xml"]).unwrap();
    let ea: Vec<String> = tags(slide, "a:ea")
        .iter()
        .map(|t| t["typeface"].clone())
        .collect();
    assert!(ea.contains(&"Noto Serif CJK SC".to_string()), "{ea:?}");
    assert!(ea.contains(&"Noto Sans CJK SC".to_string()), "{ea:?}");
    assert_eq!(
        tags(slide, "a:latin").len(),
        ea.len(),
        "latin beside every ea"
    );
    // Real pictures (the processed photos) and a theme, master and layouts.
    assert!(
        parts
            .keys()
            .any(|k| k.starts_with("ppt/media/") && k.ends_with(".jpeg"))
    );
    for part in [
        "ppt/theme/theme1.xml",
        "ppt/slideMasters/slideMaster1.xml",
        "ppt/slideLayouts/slideLayout1.xml",
    ] {
        assert!(parts.contains_key(part), "{part}");
    }
    // The chart slide's bars are native shapes.
    let chart = std::str::from_utf8(&parts["ppt/slides/slide6.xml"]).unwrap();
    assert!(
        tags(chart, "a:prstGeom")
            .iter()
            .filter(|g| g["prst"] == "rect")
            .count()
            >= 4
    );
}

const READ_SLIDES: &str = r#"
import json, sys
import pptx
deck = pptx.Presentation(sys.argv[1])
out = []
for slide in deck.slides:
    texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    pictures = sum(1 for s in slide.shapes if s.shape_type == pptx.enum.shapes.MSO_SHAPE_TYPE.PICTURE)
    notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
    out.append({"text": "".join(texts), "pictures": pictures, "notes": notes})
print(json.dumps(out, ensure_ascii=False))
"#;

#[test]
fn python_pptx_finds_every_slides_text_and_notes() {
    let (_, pptx) = common::shared_seed_deck();
    let slides: Vec<serde_json::Value> = serde_json::from_str(&python(READ_SLIDES, &pptx)).unwrap();
    let report = seed();
    assert_eq!(slides.len(), 9);
    let all: String = slides
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect::<String>();
    let all: String = all.chars().filter(|c| !c.is_whitespace()).collect();
    for fact in expected_text(&report) {
        assert!(all.contains(&fact), "`{fact}` missing from the PPTX text");
    }
    assert_eq!(slides[0]["pictures"], 1, "the title slide shows the banner");
    for (i, section) in report.sections.iter().enumerate() {
        let slide = &slides[2 + i];
        assert!(slide["text"].as_str().unwrap().contains(&section.heading));
        assert_eq!(slide["pictures"], 1);
        let notes = slide["notes"].as_str().unwrap();
        for paragraph in banmian::report::paragraphs(&section.text) {
            assert!(
                notes.contains(&paragraph),
                "slide {} notes lack a paragraph",
                3 + i
            );
        }
    }
}

#[test]
fn libreoffice_converts_the_pptx_with_its_chinese_text() {
    // LibreOffice leaves a lock file beside the PPTX it opens.
    let dir = tempfile::tempdir().unwrap();
    let pptx = common::copy_into(dir.path(), &common::shared_seed_deck().1);
    let text = libreoffice_text(&pptx);
    let report = seed();
    for fact in expected_text(&report) {
        assert!(
            text.contains(&fact),
            "`{fact}` missing after LibreOffice's conversion"
        );
    }
}

/// A render that makes the deck lists what banmian derived for it, as
/// `check` does; a render of the spread alone derives nothing for a deck
/// it does not make (and lists nothing).
#[test]
fn a_render_lists_derived_points_only_when_it_makes_the_deck() {
    let dir = tempfile::tempdir().unwrap();
    let bare = seed_without_deck();
    let repo = common::repo();
    let spread = dir.path().join("spread.pdf");
    let notes = |extra: &[&str]| {
        let mut args = vec![
            "render",
            bare.path().to_str().unwrap(),
            "--root",
            repo.to_str().unwrap(),
            "-o",
            spread.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let output = banmian(&args, dir.path());
        assert!(output.status.success(), "{}", stderr(&output));
        stderr(&output)
            .lines()
            .filter(|l| l.contains("deck: points derived from sections["))
            .count()
    };
    assert_eq!(notes(&[]), 0, "the spread alone");
    assert_eq!(notes(&["--deck", "deck.pptx"]), seed().sections.len());
}

#[test]
fn derived_points_read_well_and_are_listed_by_check() {
    let dir = tempfile::tempdir().unwrap();
    let check = |report: &Path| {
        let (code, findings) = common::check_seed_json(report, dir.path());
        assert_eq!(code, Some(0), "{findings:?}");
        findings
            .into_iter()
            .filter(|f| f["message"].as_str().unwrap().starts_with("deck:"))
            .collect::<Vec<_>>()
    };
    assert!(
        check(&common::example()).is_empty(),
        "the seed's deck is all written"
    );
    let bare = seed_without_deck();
    let derived = check(bare.path());
    let report = seed();
    for i in 0..report.sections.len() {
        let note = derived
            .iter()
            .find(|f| f["field"] == format!("sections[{i}]"))
            .unwrap_or_else(|| panic!("sections[{i}] points listed: {derived:?}"));
        assert!(note["line"].as_u64().is_some(), "placed: {note}");
    }
    assert!(derived.iter().any(|f| f["field"] == "quote"));
    assert!(derived.iter().any(|f| f["field"] == "figures"));

    // Every derived point is a whole sentence or clause run of the text,
    // short enough for a slide; they are the key facts, so most carry a
    // figure.
    let plan =
        banmian::report::deck_plan::plan(&banmian::report::load(bare.path()).unwrap().report);
    let mut figures = Vec::new();
    for slide in plan.sections {
        assert!((2..=4).contains(&slide.points.len()), "{:?}", slide.points);
        for point in slide.points {
            assert!(point.derived);
            let chars = point.text.chars().count();
            assert!(
                chars <= banmian::report::deck_plan::POINT_CHARS,
                "{}",
                point.text
            );
            assert!(!point.text.ends_with(['，', '…']), "{}", point.text);
            if banmian::report::deck_plan::has_figure(&point.text) {
                figures.push(point.text);
            }
        }
    }
    assert!(figures.len() >= 4, "{figures:?}");
    let (pdf, _) = seed_deck(dir.path(), bare.path(), &[]);
    let text = pdf_text(&pdf);
    let opening: String = figures[0].chars().take(8).collect();
    assert!(text.contains(&opening), "{opening}: {text}");
}

#[test]
fn text_too_long_for_a_slide_shrinks_then_warns_naming_the_slide() {
    let dir = tempfile::tempdir().unwrap();
    let long = "这一条要点写得实在太长，".repeat(30);
    let mut report = common::small_report("第一句。第二句有数字12亿元。第三句。");
    report.push_str(&format!(
        "\n[deck]\n[[deck.sections]]\npoints = [\"{long}\", \"{long}\", \"{long}\"]\n"
    ));
    let path = dir.path().join("long.toml");
    std::fs::write(&path, report).unwrap();
    let out = dir.path().join("long.pptx");
    let args = ["deck", path.to_str().unwrap(), "-o", out.to_str().unwrap()];
    let output = banmian(&args, dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("warning: deck slide") && err.contains("does not fit even at"),
        "{err}"
    );
    let heading = banmian::report::load(&path).unwrap().report.sections[0]
        .heading
        .clone();
    assert!(err.contains(&heading), "the slide is named: {err}");
    // Preflight says so too, before anything is made.
    let output = banmian(&["check", path.to_str().unwrap()], dir.path());
    assert!(
        stderr(&output).contains("does not fit even at"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn render_makes_spread_and_deck_in_one_run_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    let repo = common::repo();
    let example = common::example();
    let run = |tag: &str| {
        let spread = dir.path().join(format!("{tag}.pdf"));
        let deck_pdf = dir.path().join(format!("{tag}-deck.pdf"));
        let deck_pptx = dir.path().join(format!("{tag}-deck.pptx"));
        let args = [
            "render",
            example.to_str().unwrap(),
            "--root",
            repo.to_str().unwrap(),
            "-o",
            spread.to_str().unwrap(),
            "--deck",
            deck_pdf.to_str().unwrap(),
            "--deck",
            deck_pptx.to_str().unwrap(),
        ];
        let output = banmian(&args, dir.path());
        assert!(output.status.success(), "{}", stderr(&output));
        [spread, deck_pdf, deck_pptx].map(|p| std::fs::read(p).unwrap())
    };
    let first = run("a");
    let second = run("b");
    assert_eq!(first[1], second[1], "deck PDF is byte-identical");
    assert_eq!(first[2], second[2], "deck PPTX is byte-identical");
    assert!(first[0].len() > 100_000);
}

#[test]
fn a_deck_part_naming_what_is_not_there_is_an_error_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let mut report = common::small_report("正文。");
    report.push_str("\n[deck]\nfigures = [\"没有这个数字\", \"a\", \"b\"]\n");
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, &report).unwrap();
    let output = banmian(&["deck", path.to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("no figure is labelled `没有这个数字`") && err.contains("deck.figures[0]"),
        "{err}"
    );
    let line = report
        .lines()
        .position(|l| l.starts_with("figures = ["))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("bad.toml:{line}:")), "{err}");
    let output = banmian(&["deck", path.to_str().unwrap(), "-o", "x.key"], dir.path());
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

/// Outputs are readable as ordinary files are: the user's umask decides,
/// not the private mode of the temporary file they were written to.
#[cfg(unix)]
#[test]
fn outputs_get_the_permissions_of_the_users_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let repo = common::repo();
    let example = common::example();
    for (umask, expected) in [("022", 0o644), ("027", 0o640)] {
        let out = dir.path().join(umask);
        let script = format!(
            "umask {umask} && exec \"$0\" deck \"$1\" --root \"$2\" -o \"$3/deck.pdf\" -o \"$3/deck.pptx\" --png \"$3/png\""
        );
        let output = std::process::Command::new("sh")
            .args(["-c", &script, env!("CARGO_BIN_EXE_banmian")])
            .args([&example, &repo, &out])
            .env("BANMIAN_CACHE_DIR", dir.path().join(".cache"))
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let mut files = vec![out.join("deck.pdf"), out.join("deck.pptx")];
        files.extend(
            std::fs::read_dir(out.join("png"))
                .unwrap()
                .map(|e| e.unwrap().path()),
        );
        assert!(files.len() > 3, "slide previews written: {files:?}");
        for file in files {
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, expected, "{} under umask {umask}", file.display());
        }
    }
}

/// Every point of a section slide is a paragraph with a real bullet and a
/// hanging indent, the point's text alone in the runs.
#[test]
fn section_points_are_paragraphs_with_hanging_bullets() {
    let (_, pptx) = common::shared_seed_deck();
    let out = python(common::package::READ_BULLETS, &pptx);
    let report = seed();
    let deck = report.deck.as_ref().unwrap();
    for (i, section) in deck.sections.iter().enumerate() {
        let slide = 3 + i;
        let bullets: Vec<serde_json::Value> = out
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("bullet {slide} ")))
            .map(|json| serde_json::from_str(json).unwrap())
            .collect();
        let texts: Vec<&str> = bullets.iter().map(|b| b[6].as_str().unwrap()).collect();
        assert_eq!(texts, section.points, "slide {slide}: one bullet a point");
        for b in &bullets {
            assert_eq!(b[0], "■");
            assert_eq!(
                (b[1].as_str(), b[2].as_str()),
                (Some("381000"), Some("-381000"))
            );
            assert_eq!(b[4], "Noto Sans CJK SC");
        }
    }
}

/// The faces are embedded, each a TrueType subset that covers every
/// character of every slide's text, bullets and notes; the machine running
/// this has no CJK font, so only the embedded data can show it.
#[test]
fn the_pptx_embeds_every_face_covering_all_its_text_and_notes() {
    let (_, pptx) = common::shared_seed_deck();
    let read = common::package::embedded_faces(&pptx);
    println!("{}", read.output);
    let faces = &read.faces;
    let named: Vec<(String, String)> = faces
        .iter()
        .map(|f| (f[0].as_str().unwrap().into(), f[1].as_str().unwrap().into()))
        .collect();
    let expected = [
        ("LXGW WenKai", "regular"),
        ("Noto Sans CJK SC", "regular"),
        ("Noto Sans CJK SC", "bold"),
        ("Noto Serif CJK SC", "regular"),
        ("Noto Serif CJK SC", "bold"),
    ];
    assert_eq!(named, expected.map(|(f, s)| (f.to_string(), s.to_string())));
    for face in faces {
        assert_eq!(
            face[2], face[0],
            "the font's own family name is the typeface"
        );
        assert_eq!(
            (&face[3], &face[4]),
            (&true.into(), &false.into()),
            "glyf, not CFF: {face}"
        );
    }
    assert_eq!(read.missing, "{}", "characters the embedded faces lack");
    // Subsets keep the package small: the seed's five faces take ~170 kB.
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&pptx).unwrap()).unwrap();
    let mut fonts = 0;
    for i in 0..archive.len() {
        let file = archive.by_index(i).unwrap();
        if file.name().unwrap().ends_with(".fntdata") {
            fonts += file.compressed_size();
        }
    }
    assert!(fonts < 300_000, "the embedded faces take {fonts} bytes");
}

/// The figure text boxes of the key-figures slide (slide 2) as
/// (left, top, right) in points, and the slide's name.
fn figure_boxes(pptx: &Path) -> (Vec<(f64, f64, f64)>, String) {
    let (parts, _) = check_package(&std::fs::read(pptx).unwrap());
    let slide = std::str::from_utf8(&parts["ppt/slides/slide2.xml"]).unwrap();
    let pt = |emu: &str| emu.parse::<f64>().unwrap() / 12_700.0;
    let boxes = slide
        .split("<p:sp>")
        .filter(|shape| shape.contains(r#" name="figure "#))
        .map(|shape| {
            let (off, ext) = (&tags(shape, "a:off")[0], &tags(shape, "a:ext")[0]);
            let x = pt(&off["x"]);
            (x, pt(&off["y"]), x + pt(&ext["cx"]))
        })
        .collect();
    let name = tags(slide, "p:cSld")[0]["name"].clone();
    (boxes, name)
}

/// One to eight figures fill whole rows (one row up to three, two from four
/// on, the first row taking the odd one): every row's cards span the slide's
/// content width, so no cell is left empty. The slide has its own title.
#[test]
fn key_figures_fill_their_rows_for_any_count_from_one_to_eight() {
    let dir = tempfile::tempdir().unwrap();
    for n in 1..=8usize {
        let report = common::seed_variant(|report| {
            let figures = report["figures"].as_array_mut().unwrap();
            for extra in figures.len()..n {
                let mut more = figures[0].as_table().unwrap().clone();
                more.insert("label".into(), format!("另一个数字{extra}").into());
                figures.push(more.into());
            }
            figures.truncate(n);
            let labels: Vec<toml::Value> = figures.iter().map(|f| f["label"].clone()).collect();
            let deck = report["deck"].as_table_mut().unwrap();
            deck.insert("figures".into(), labels.into());
            if n == 5 {
                deck.insert("figures_title".into(), "一年成绩单".into());
            }
        });
        let pptx = dir.path().join(format!("{n}.pptx"));
        let repo = common::repo();
        let args = [
            "deck",
            report.path().to_str().unwrap(),
            "--root",
            repo.to_str().unwrap(),
            "-o",
            pptx.to_str().unwrap(),
        ];
        let output = banmian(&args, dir.path());
        assert!(output.status.success(), "{n} figures: {}", stderr(&output));
        let (boxes, name) = figure_boxes(&pptx);
        assert_eq!(boxes.len(), n);
        assert_eq!(
            name,
            if n == 5 {
                "一年成绩单"
            } else {
                "关键数字"
            }
        );
        let mut rows: Vec<Vec<(f64, f64, f64)>> = Vec::new();
        for b in boxes {
            match rows.last_mut() {
                Some(row) if (row[0].1 - b.1).abs() < 1.0 => row.push(b),
                _ => rows.push(vec![b]),
            }
        }
        let per_row: Vec<usize> = rows.iter().map(Vec::len).collect();
        let expected = match n {
            0..=3 => vec![n],
            _ => vec![n.div_ceil(2), n / 2],
        };
        assert_eq!(per_row, expected, "{n} figures");
        for row in rows.iter().filter(|_| n > 1) {
            // Each box is inset 22 pt left and 12 pt right in its card;
            // cards sit 20 pt apart across the 48..912 pt content width.
            let cards: f64 = row.iter().map(|(l, _, r)| r - l + 34.0).sum::<f64>();
            let width = cards + 20.0 * (row.len() - 1) as f64;
            assert!(
                (width - 864.0).abs() < 0.5,
                "{n} figures: a row {width} pt wide"
            );
            assert!(
                (row[0].0 - 22.0 - 48.0).abs() < 0.5,
                "{n} figures: rows start at the margin"
            );
        }
    }
    // Nine are too many for one slide, and say so with the field.
    let report = common::seed_variant(|report| {
        let labels: Vec<toml::Value> = (0..9).map(|_| "规上工业产值".into()).collect();
        report["deck"]
            .as_table_mut()
            .unwrap()
            .insert("figures".into(), labels.into());
    });
    let output = banmian(&["check", report.path().to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("9 figures chosen; a key-figures slide shows 1 to 8"),
        "{}",
        stderr(&output)
    );
}

/// Without a banner photo the title slide is a nameplate beside the
/// headline: no picture, no empty block, and everything the banner design
/// shows (paper, edition, series, date, kicker, headline) is there.
#[test]
fn a_report_without_a_banner_gets_a_title_slide_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let report = common::seed_variant(|report| {
        report.remove("banner");
    });
    let (pdf, pptx) = seed_deck(dir.path(), report.path(), &[]);
    let slides: Vec<serde_json::Value> = serde_json::from_str(&python(READ_SLIDES, &pptx)).unwrap();
    assert_eq!(slides[0]["pictures"], 0);
    let text: String = slides[0]["text"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .collect();
    let seed = seed();
    let m = &seed.masthead;
    for part in [
        &m.paper,
        &m.edition,
        &m.series,
        &seed.headline.kicker,
        &seed.headline.title,
    ] {
        let part: String = part.split_whitespace().collect();
        assert!(
            text.contains(&part),
            "`{part}` missing from the title slide: {text}"
        );
    }
    assert!(
        text.contains("2024年3月5日") && text.contains("星期二"),
        "{text}"
    );
    // The slide's ink is spread over it: no quarter of it is blank.
    let png = dir.path().join("title");
    tool(
        "pdftoppm",
        &[
            "-r",
            "20",
            "-f",
            "1",
            "-l",
            "1",
            "-gray",
            "-png",
            pdf.to_str().unwrap(),
            png.to_str().unwrap(),
        ],
    );
    let image = image::open(dir.path().join("title-1.png"))
        .unwrap()
        .to_luma8();
    let (w, h) = image.dimensions();
    for (qx, qy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
        let pixels: Vec<u8> = (qy * h / 2..(qy + 1) * h / 2)
            .flat_map(|y| (qx * w / 2..(qx + 1) * w / 2).map(move |x| (x, y)))
            .map(|(x, y)| image.get_pixel(x, y).0[0])
            .collect();
        let (lo, hi) = (pixels.iter().min().unwrap(), pixels.iter().max().unwrap());
        assert!(
            hi - lo > 100,
            "quarter ({qx}, {qy}) of the title slide is flat"
        );
    }
}

/// A character the Kai face lacks is set in the body face, as Typst sets
/// it, so the embedded faces still cover every character of the slides.
#[test]
fn characters_the_kai_face_lacks_are_set_in_the_body_face() {
    let dir = tempfile::tempdir().unwrap();
    // U+3400 㐀 is in Noto Serif CJK SC and not in LXGW WenKai.
    let report = common::seed_variant(|report| {
        let deck = report["deck"].as_table_mut().unwrap();
        deck.insert(
            "quote".into(),
            "坚持“科创+”，生僻的㐀字也要印得出来。".into(),
        );
    });
    let (_, pptx) = seed_deck(dir.path(), report.path(), &[]);
    let missing = common::package::embedded_faces(&pptx).missing;
    assert_eq!(missing, "{}", "characters the embedded faces lack");
    let (parts, _) = check_package(&std::fs::read(&pptx).unwrap());
    let quote = std::str::from_utf8(&parts["ppt/slides/slide8.xml"]).unwrap();
    let run = quote.split("<a:r>").find(|r| r.contains("㐀")).unwrap();
    assert!(
        run.contains(r#"<a:ea typeface="Noto Serif CJK SC""#) && run.contains("<a:t>㐀</a:t>"),
        "{run}"
    );
}

/// A character no font can draw in a text only the deck shows is an error
/// naming its field, as it is anywhere else in the report.
#[test]
fn deck_texts_are_checked_for_glyphs_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut report = common::small_report("正文。");
    report.push_str("\n[deck]\nfigures_title = \"关键\u{E000}数字\"\n");
    let path = dir.path().join("report.toml");
    std::fs::write(&path, &report).unwrap();
    let output = banmian(&["check", path.to_str().unwrap()], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("no font can draw")
            && err.contains("U+E000")
            && err.contains("deck.figures_title"),
        "{err}"
    );
}

/// A deck point with a character no font has (U+20000, CJK Extension B)
/// stops the deck with an error at that point, instead of a box on the
/// slide.
#[test]
fn deck_points_are_checked_for_glyphs() {
    let dir = tempfile::tempdir().unwrap();
    let mut report = common::small_report("正文。");
    report.push_str("\n[[deck.sections]]\npoints = [\"第一点\", \"第二\u{20000}点\"]\n");
    let path = common::write_report(dir.path(), &report);
    let pdf = dir.path().join("deck.pdf");
    let args = ["deck", path.to_str().unwrap(), "-o", pdf.to_str().unwrap()];
    let output = banmian(&args, dir.path());
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("no font can draw")
            && err.contains("U+20000")
            && err.contains("deck.sections[0].points[1]"),
        "{err}"
    );
    assert!(!pdf.exists());
}

/// A report of one section more than a deck holds, in `dir`.
fn too_many_sections(dir: &Path) -> std::path::PathBuf {
    let mut text = common::small_report("正文。");
    for i in 1..=banmian::report::deck_plan::MAX_SECTION_SLIDES {
        text.push_str(&format!(
            "\n[[sections]]\nheading = \"第{i}节\"\ntext = \"正文。\"\n"
        ));
    }
    common::write_report(dir, &text)
}

/// A deck of more section slides than a meeting reads is refused before
/// any slide is laid out, at the first section too many; a check reports
/// it among its findings.
#[test]
fn a_deck_of_too_many_sections_is_refused_at_the_first_too_many() {
    let dir = tempfile::tempdir().unwrap();
    let report = too_many_sections(dir.path());
    let output = common::banmian(&["deck", report.to_str().unwrap()], dir.path());
    let err = common::stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    let field = format!(
        "(field `sections[{}]`)",
        banmian::report::deck_plan::MAX_SECTION_SLIDES
    );
    assert!(
        err.contains(&field) && err.contains("section slides"),
        "{err}"
    );
    assert!(!dir.path().join("report-deck.pdf").exists());
    // Among the spread's findings, with the spread's layout.
    let checked = common::banmian(&["check", "--json", report.to_str().unwrap()], dir.path());
    let json: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
    assert_eq!(checked.status.code(), Some(1));
    let fields: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    let field = format!(
        "sections[{}]",
        banmian::report::deck_plan::MAX_SECTION_SLIDES
    );
    assert!(fields.contains(&field.as_str()), "{json}");
    assert!(json["layout"]["pages"].as_u64() == Some(2), "{json}");
}

/// A render writes its files once the whole build has succeeded: a deck
/// refused after the spread was made leaves no new spread behind.
#[test]
fn a_refused_deck_leaves_no_new_spread() {
    let dir = tempfile::tempdir().unwrap();
    let report = too_many_sections(dir.path());
    let output = common::banmian(
        &[
            "render",
            report.to_str().unwrap(),
            "--allow-overset",
            "-o",
            "spread.pdf",
            "--deck",
            "deck.pdf",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1), "{}", common::stderr(&output));
    assert!(
        !dir.path().join("spread.pdf").exists(),
        "the spread was written"
    );
}
