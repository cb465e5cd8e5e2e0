//! The command line end to end: the example spread checked as a printer
//! would (poppler-utils, qpdf), determinism, atomic writes, injection
//! safety, glyph coverage, photo rules and exit codes.

use crate::common;

use std::path::{Path, PathBuf};

use common::{banmian, pdf_text, small_report, stderr, tool, write_photo, write_report};

const MM: f64 = 72.0 / 25.4;

/// Renders the example spread once per test binary run into a temp dir.
fn example_pdf(dir: &Path, extra: &[&str]) -> PathBuf {
    let out = dir.join("fuling.pdf");
    let report = common::example();
    let mut args = vec!["render", report.to_str().unwrap(), "--root"];
    let repo = common::repo();
    args.push(repo.to_str().unwrap());
    args.extend(["-o", out.to_str().unwrap()]);
    args.extend(extra);
    let output = banmian(&args, dir);
    assert!(
        output.status.success(),
        "render failed: {}",
        stderr(&output)
    );
    out
}

/// `pdfinfo -box` boxes of each page: (name, page) → [x0, y0, x1, y1].
fn boxes(pdf: &Path) -> Vec<std::collections::HashMap<String, [f64; 4]>> {
    let info = tool(
        "pdfinfo",
        &["-box", "-f", "1", "-l", "99", pdf.to_str().unwrap()],
    );
    let mut pages: Vec<std::collections::HashMap<String, [f64; 4]>> = Vec::new();
    for line in info.lines() {
        let Some(rest) = line.strip_prefix("Page") else {
            continue;
        };
        let mut parts = rest.split_whitespace();
        let Ok(page) = parts.next().unwrap_or("").parse::<usize>() else {
            continue;
        };
        let Some(name) = parts.next().map(|n| n.trim_end_matches(':').to_owned()) else {
            continue;
        };
        let values: Vec<f64> = parts.filter_map(|v| v.parse().ok()).collect();
        if values.len() == 4 {
            while pages.len() < page {
                pages.push(Default::default());
            }
            pages[page - 1].insert(name, [values[0], values[1], values[2], values[3]]);
        }
    }
    pages
}

/// Runs `banmian render REPORT -o OUT EXTRA…` in `dir`.
fn render(dir: &Path, report: &Path, out: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["render", report.to_str().unwrap(), "-o", out];
    args.extend(extra);
    banmian(&args, dir)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.6
}

#[test]
fn the_example_spread_is_print_ready() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = example_pdf(dir.path(), &[]);
    let pages = boxes(&pdf);
    assert_eq!(pages.len(), 2, "a spread is two pages");
    for page in &pages {
        let media = page["MediaBox"];
        let trim = page["TrimBox"];
        // 390 × 545 mm trimmed, 3 mm bleed on every side.
        assert!(close(media[2] - media[0], 396.0 * MM), "{media:?}");
        assert!(close(media[3] - media[1], 551.0 * MM), "{media:?}");
        assert!(close(trim[2] - trim[0], 390.0 * MM), "{trim:?}");
        assert!(close(trim[3] - trim[1], 545.0 * MM), "{trim:?}");
        assert!(close(trim[0] - media[0], 3.0 * MM), "{trim:?} in {media:?}");
        // Typst writes only the TrimBox; finishing adds the BleedBox.
        let bleed = page["BleedBox"];
        assert_eq!(bleed, media, "without marks the sheet is trim plus bleed");
        for i in 0..2 {
            assert!(
                close(trim[i] - bleed[i], 3.0 * MM) && close(bleed[i + 2] - trim[i + 2], 3.0 * MM)
            );
        }
    }
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);
}

#[test]
fn every_text_of_the_report_is_in_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = example_pdf(dir.path(), &[]);
    let text = pdf_text(&pdf);
    let loaded = banmian::report::load(&common::example()).unwrap();
    let mut missing = Vec::new();
    for (field, value) in common::text_fields(&loaded.report) {
        if field.starts_with("charts") && field.ends_with("unit") {
            continue; // printed as "单位：亿元"
        }
        // The headline breaks at the fold: look for each word.
        let pieces: Vec<String> = if field == "headline.title" {
            value.split_whitespace().map(str::to_owned).collect()
        } else {
            banmian::report::paragraphs(&value)
        };
        for paragraph in pieces {
            let wanted: String = paragraph.chars().filter(|c| !c.is_whitespace()).collect();
            if !text.contains(&wanted) {
                missing.push(format!("{field}: {wanted}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not found in the PDF text:\n{}",
        missing.join("\n")
    );
    assert!(text.contains("刘玉珮"));
}

#[test]
fn every_font_is_embedded_and_subset() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = example_pdf(dir.path(), &["--ignore-system-fonts"]);
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 4, "{fonts}");
    for row in &rows {
        // columns: name type encoding emb sub uni object ID
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "not embedded/subset/unicode: {row}"
        );
        assert!(cols[0].contains('+'), "subset fonts carry a tag: {row}");
    }
    for family in ["NotoSerifCJKsc", "NotoSansCJKsc", "LXGWWenKai"] {
        assert!(fonts.contains(family), "{family} missing:\n{fonts}");
    }
    // With the bundled faces alone the byline's rare 珮 has a real glyph.
    assert!(pdf_text(&pdf).contains("刘玉珮"));
}

#[test]
fn photos_are_embedded_at_the_target_resolution() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = example_pdf(dir.path(), &[]);
    let list = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    let mut objects = std::collections::BTreeSet::new();
    for row in list.lines().skip(2) {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let (object, x_ppi, y_ppi) = (cols[10], cols[12], cols[13]);
        objects.insert(object.to_owned());
        let x: f64 = x_ppi.parse().unwrap();
        let y: f64 = y_ppi.parse().unwrap();
        assert!(x >= 299.0 && y >= 299.0, "below 300 ppi: {row}");
        assert!(
            x <= 600.0,
            "twice the target or more, should be downsampled: {row}"
        );
        assert_eq!(cols[8], "jpeg", "{row}");
    }
    assert_eq!(objects.len(), 4, "banner and three section photos:\n{list}");
}

#[test]
fn output_is_byte_identical_for_the_same_input() {
    let dir = tempfile::tempdir().unwrap();
    let first = std::fs::read(example_pdf(dir.path(), &[])).unwrap();
    let other = tempfile::tempdir().unwrap();
    let second = std::fs::read(example_pdf(other.path(), &["--no-cache"])).unwrap();
    assert!(first == second, "two renders differ");
    // With previews, Typst embeds larger stand-ins for the photos before
    // they are swapped for the final ones; the PDF must not show it.
    let third = tempfile::tempdir().unwrap();
    let previews = third.path().join("previews");
    let with_png = ["--png", previews.to_str().unwrap()];
    let with_png = std::fs::read(example_pdf(third.path(), &with_png)).unwrap();
    assert!(previews.join("page-1.png").exists());
    assert!(first == with_png, "a render with PNG previews differs");
    let text = String::from_utf8_lossy(&first);
    assert!(
        text.contains("D:20240305"),
        "SOURCE_DATE_EPOCH sets the creation date"
    );
}

#[test]
fn markup_characters_render_literally() {
    let dir = tempfile::tempdir().unwrap();
    let tricky = r##"正文#let x = 1 $x$ *a* _b_ <l> @r [ ] \ // 注释 #("x")"##;
    let toml = small_report("正文。").replace(
        "heading = \"小标题\"",
        "heading = '''标题#strong[x]'''\n# markup must stay text\n",
    );
    let toml = toml.replace("正文。", &tricky.replace('\\', "\\\\"));
    let report = write_report(dir.path(), &toml);
    let out = dir.path().join("t.pdf");
    let output = render(dir.path(), &report, out.to_str().unwrap(), &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = pdf_text(&out);
    for piece in [
        "#let",
        "x=1",
        "$x$",
        "*a*",
        "_b_",
        "<l>",
        "@r",
        "[",
        "]",
        "\\",
        "//",
        "#(\"x\")",
        "标题#strong[x]",
    ] {
        assert!(
            text.contains(piece),
            "`{piece}` not found literally in {text}"
        );
    }
}

#[test]
fn a_character_no_font_has_is_an_error_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let report = write_report(dir.path(), &small_report("第一段有\u{10FFFD}字。"));
    let out = dir.path().join("t.pdf");
    let output = render(dir.path(), &report, out.to_str().unwrap(), &[]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("U+10FFFD"), "{err}");
    assert!(err.contains("report.toml:14:5"), "{err}");
    assert!(err.contains("sections[0].text"), "{err}");
    assert!(!out.exists(), "nothing is written on error");
}

#[test]
fn a_failed_render_keeps_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let report = write_report(dir.path(), &small_report("正文。"));
    let out = dir.path().join("t.pdf");
    let args = [
        "render",
        report.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    assert!(banmian(&args, dir.path()).status.success());
    let before = std::fs::read(&out).unwrap();
    write_report(
        dir.path(),
        &small_report("正文。").replace("[headline]", "[headlin]"),
    );
    let output = banmian(&args, dir.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(std::fs::read(&out).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

fn with_photo(text: &str, path: &str) -> String {
    format!(
        "{}\n[[sections.photos]]\npath = \"{path}\"\ncaption = \"说明\"\n",
        small_report(text)
    )
}

#[test]
fn photos_outside_the_root_or_missing_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("report");
    std::fs::create_dir(&inner).unwrap();
    write_photo(&dir.path().join("outside.jpg"), 800, 600);
    let cases = [
        ("../outside.jpg", "outside the render root"),
        ("/etc/hostname", "absolute path"),
        ("missing.jpg", "cannot open `missing.jpg`"),
    ];
    for (path, message) in cases {
        let report = write_report(&inner, &with_photo("正文。", path));
        let output = render(&inner, &report, "x.pdf", &[]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{err}");
        assert!(err.contains(message), "{path}: {err}");
        assert!(err.contains("sections[0].photos[0].path"), "{err}");
        assert!(err.contains("hint:"), "{err}");
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("outside.jpg"), inner.join("link.jpg")).unwrap();
        let report = write_report(&inner, &with_photo("正文。", "link.jpg"));
        let output = render(&inner, &report, "x.pdf", &[]);
        assert!(
            stderr(&output).contains("outside the render root"),
            "{}",
            stderr(&output)
        );
    }
    // Widening the root lets the same path in.
    let report = write_report(&inner, &with_photo("正文。", "../outside.jpg"));
    let root = dir.path().to_str().unwrap();
    let output = banmian(
        &[
            "render",
            report.to_str().unwrap(),
            "--root",
            root,
            "-o",
            "x.pdf",
            "--allow-low-ppi",
        ],
        &inner,
    );
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn low_resolution_photos_are_refused_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    write_photo(&dir.path().join("tiny.jpg"), 240, 160);
    let report = write_report(dir.path(), &with_photo("正文。", "tiny.jpg"));
    let args = ["render", report.to_str().unwrap(), "-o", "x.pdf"];
    let output = banmian(&args, dir.path());
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("below 100 ppi") && err.contains("sections[0].photos[0].path"),
        "{err}"
    );
    assert!(err.contains("--allow-low-ppi"), "{err}");
    let output = banmian(&[&args[..], &["--allow-low-ppi"]].concat(), dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("warning:"), "{}", stderr(&output));
}

#[test]
fn page_options_change_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let report = write_report(dir.path(), &small_report("正文。"));
    for (flags, pages, width_mm) in [
        (vec!["--pages", "single"], 1, 390.0),
        (vec!["--paper", "tabloid"], 2, 270.0),
    ] {
        let out = dir.path().join("t.pdf");
        let mut args = vec![
            "render",
            report.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ];
        args.extend(flags);
        let output = banmian(&args, dir.path());
        assert!(output.status.success(), "{}", stderr(&output));
        let b = boxes(&out);
        assert_eq!(b.len(), pages);
        let trim = b[0]["TrimBox"];
        assert!(close(trim[2] - trim[0], width_mm * MM), "{trim:?}");
    }
}

#[test]
fn png_previews_are_written_per_page() {
    let dir = tempfile::tempdir().unwrap();
    let report = write_report(dir.path(), &small_report("正文。"));
    let png = dir.path().join("png");
    let output = render(
        dir.path(),
        &report,
        "t.pdf",
        &["--png", png.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let first = image::open(png.join("page-1.png")).unwrap();
    // 396 mm wide with bleed at 40 ppi.
    assert!((first.width() as f64 - 396.0 / 25.4 * 40.0).abs() < 2.0);
    assert!(png.join("page-2.png").exists());
    let err = stderr(&output);
    assert!(
        err.contains("rendering") && err.contains("wrote"),
        "progress lines: {err}"
    );
}

#[test]
fn check_reports_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let report = write_report(dir.path(), &small_report("正文\u{10FFFD}。"));
    let output = banmian(&["check", report.to_str().unwrap(), "--json"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let first = &json["findings"][0];
    assert_eq!(first["severity"], "error");
    assert!(first["message"].as_str().unwrap().contains("U+10FFFD"));
    // Nothing beside the report but the cache (`BANMIAN_CACHE_DIR`, here
    // in the same folder), which a check fills for the render after it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != ".cache")
        .collect();
    assert_eq!(
        names.len(),
        1,
        "check writes nothing but reads the report: {names:?}"
    );

    let report = write_report(dir.path(), &small_report("正文。"));
    let output = banmian(&["check", report.to_str().unwrap()], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn usage_errors_exit_with_two() {
    let dir = tempfile::tempdir().unwrap();
    let output = banmian(&["render", "--no-such-flag", "x.toml"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    let output = banmian(&["render", "x.toml", "-o", "out.docx"], dir.path());
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[test]
fn copy_that_does_not_fit_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let long = "这是一段很长的正文，用来检查超版。".repeat(60);
    let text = vec![long; 36].join("\n\n");
    let report = write_report(dir.path(), &small_report(&text));
    let output = banmian(&["check", report.to_str().unwrap()], dir.path());
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the copy does not fit") && err.contains("(field `sections[0]`)"),
        "{err}"
    );
    let output = banmian(
        &[
            "check",
            write_report(dir.path(), &small_report("正文。"))
                .to_str()
                .unwrap(),
        ],
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn crop_marks_lie_outside_the_bleed() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = example_pdf(dir.path(), &["--marks"]);
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let page = &boxes(&pdf)[0];
    let (media, bleed, trim) = (page["MediaBox"], page["BleedBox"], page["TrimBox"]);
    for i in 0..2 {
        assert!(
            media[i] < bleed[i] - 5.0 * MM && media[i + 2] > bleed[i + 2] + 5.0 * MM,
            "no slug"
        );
        assert!(close(trim[i] - bleed[i], 3.0 * MM));
    }
    // At 72 ppi a pixel is a point from the sheet's top-left corner.
    let png = dir.path().join("sheet");
    tool(
        "pdftoppm",
        &[
            "-r",
            "72",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            pdf.to_str().unwrap(),
            png.to_str().unwrap(),
        ],
    );
    let img = image::open(dir.path().join("sheet-1.png"))
        .unwrap()
        .to_luma8();
    let (left, top) = (bleed[0] - media[0], media[3] - bleed[3]);
    let dark = |x0: f64, y0: f64, x1: f64, y1: f64| {
        let mut n = 0;
        for y in y0 as u32..y1 as u32 {
            for x in x0 as u32..x1 as u32 {
                if img.get_pixel(x, y)[0] < 128 {
                    n += 1;
                }
            }
        }
        n
    };
    // Marks run in the slug along the trim lines of the top-left corner
    // (left of the bleed on the top trim line, above it on the left one),
    // and nothing is drawn in the bleed's corner.
    let trim_y = top + 3.0 * MM;
    let trim_x = left + 3.0 * MM;
    assert!(
        dark(0.0, trim_y - 2.0, left - 0.5, trim_y + 2.0) > 5,
        "no mark left of the bleed"
    );
    assert!(
        dark(trim_x - 2.0, 0.0, trim_x + 2.0, top - 0.5) > 5,
        "no mark above the bleed"
    );
    assert_eq!(
        dark(
            left + 0.5,
            top + 0.5,
            left + 3.0 * MM - 1.0,
            top + 3.0 * MM - 1.0
        ),
        0,
        "marks inside the bleed"
    );
}

#[test]
fn the_proof_sheet_shows_the_spread_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let proof = dir.path().join("proof.pdf");
    example_pdf(dir.path(), &["--proof", proof.to_str().unwrap()]);
    tool("qpdf", &["--check", proof.to_str().unwrap()]);
    let sheets = boxes(&proof);
    assert_eq!(sheets.len(), 1);
    let media = sheets[0]["MediaBox"];
    assert!(
        close(media[2] - media[0], (2.0 * 390.0 + 20.0) * MM),
        "{media:?}"
    );
    let text = pdf_text(&proof);
    assert!(text.contains("涪陵") && text.contains("加快形成新质生产力"));
}

#[test]
fn small_text_and_rules_are_k_only_black() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = example_pdf(dir.path(), &[]);
    let doc = lopdf::Document::load(&pdf).unwrap();
    let mut ops = std::collections::BTreeMap::<String, usize>::new();
    let mut k_black = 0;
    for page in doc.get_pages().into_values() {
        let content = lopdf::content::Content::decode(&doc.get_page_content(page)).unwrap();
        for op in &content.operations {
            *ops.entry(op.operator.clone()).or_default() += 1;
            let values: Vec<f32> = op
                .operands
                .iter()
                .filter_map(|o| o.as_float().ok())
                .collect();
            if op.operator == "k" && values == [0.0, 0.0, 0.0, 1.0] {
                k_black += 1;
            }
        }
    }
    for device_rgb_or_grey in ["rg", "RG", "g", "G"] {
        assert!(
            !ops.contains_key(device_rgb_or_grey),
            "`{device_rgb_or_grey}` colour in the pages: {ops:?}"
        );
    }
    assert!(k_black > 100, "text is not set in K-only black: {ops:?}");
}

#[test]
fn an_archival_copy_is_pdf_a_2b_through_typst() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = example_pdf(dir.path(), &["--pdf-standard", "a-2b"]);
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let doc = lopdf::Document::load(&pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    // Typst's PDF/A writer: the XMP identification and an sRGB output intent.
    let metadata = doc
        .get_object(catalog.get(b"Metadata").unwrap().as_reference().unwrap())
        .unwrap()
        .as_stream()
        .unwrap()
        .content
        .clone();
    let xmp = String::from_utf8_lossy(&metadata);
    assert!(
        xmp.contains("<pdfaid:part>2</pdfaid:part>") && xmp.contains("<pdfaid:conformance>B"),
        "{xmp}"
    );
    let intents = doc
        .dereference(catalog.get(b"OutputIntents").unwrap())
        .unwrap()
        .1
        .as_array()
        .unwrap()
        .clone();
    let intent = doc
        .dereference(&intents[0])
        .unwrap()
        .1
        .as_dict()
        .unwrap()
        .clone();
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFA1");
    // No device CMYK left (PDF/A would need a CMYK profile for it), and
    // the boxes are still there.
    for page in doc.get_pages().into_values() {
        let content = lopdf::content::Content::decode(&doc.get_page_content(page)).unwrap();
        assert!(
            content
                .operations
                .iter()
                .all(|op| op.operator != "k" && op.operator != "K")
        );
    }
    assert!(boxes(&pdf)[0].contains_key("BleedBox"));
    // Crop marks are for the plant, not the archive.
    let output = banmian(
        &["render", "x.toml", "--pdf-standard", "a-2b", "--marks"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[test]
fn the_example_fills_its_pages_and_a_short_report_is_underset() {
    let dir = tempfile::tempdir().unwrap();
    let checked = common::check_json(&common::example(), &common::repo(), dir.path());
    assert_eq!(checked.code, Some(0), "{checked:?}");
    let problems: Vec<_> = checked
        .findings
        .iter()
        .filter(|f| f["severity"] != "note")
        .collect();
    // The seed fills its pages but for one open area at a page's foot,
    // gathered there and reported.
    assert!(problems.len() <= 1, "{problems:?}");
    for problem in &problems {
        let message = problem["message"].as_str().unwrap();
        assert!(message.contains("open area"), "{problems:?}");
    }

    let report = write_report(dir.path(), &small_report("正文。"));
    let output = banmian(&["check", report.to_str().unwrap()], dir.path());
    assert!(
        output.status.success(),
        "underset is a warning, not an error"
    );
    let err = stderr(&output);
    assert!(
        err.contains("open area") && err.contains("would fill it"),
        "{err}"
    );
}

#[test]
fn the_banner_credit_is_printed() {
    let dir = tempfile::tempdir().unwrap();
    write_photo(&dir.path().join("wide.jpg"), 4400, 1600);
    let toml = small_report("正文。").replace(
        "[[sections]]",
        "[banner]\nphoto = \"wide.jpg\"\ndisplay = \"展示语\"\ncredit = \"记者 王某 摄\"\n\n[[sections]]",
    );
    let report = write_report(dir.path(), &toml);
    let output = render(dir.path(), &report, "t.pdf", &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = pdf_text(&dir.path().join("t.pdf"));
    assert!(
        text.contains("记者王某摄") && text.contains("展示语"),
        "{text}"
    );
}

#[test]
fn a_report_named_without_a_folder_finds_its_photos() {
    let dir = tempfile::tempdir().unwrap();
    write_photo(&dir.path().join("a.jpg"), 2400, 1600);
    write_report(dir.path(), &with_photo("正文。", "a.jpg"));
    let output = render(dir.path(), Path::new("report.toml"), "t.pdf", &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = banmian(&["check", "report.toml"], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
}

/// Three independent problems, one for each check (a field, a glyph, a
/// photo), are all reported by one run of `check` and of `render`, each at
/// its field; nothing is written.
#[test]
fn three_independent_problems_are_reported_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let text = small_report("正文里有一个字𠀀没有字体。")
        .replace("date = \"2024-03-05\"", "date = \"2024-13-45\"")
        + "\n[[sections.photos]]\npath = \"missing.jpg\"\ncaption = \"图片说明\"\n";
    let report = write_report(dir.path(), &text);
    for command in ["check", "render"] {
        let output = banmian(&[command, report.to_str().unwrap()], dir.path());
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{command}: {err}");
        for field in [
            "masthead.date",
            "sections[0].text",
            "sections[0].photos[0].path",
        ] {
            assert!(
                err.contains(&format!("(field `{field}`)")),
                "{command} does not report `{field}`:\n{err}"
            );
        }
        assert!(err.matches("error: ").count() >= 3, "{command}: {err}");
    }
    assert!(!dir.path().join("report.pdf").exists(), "render wrote");
}

/// A job the command line got wrong (the report outside `--root`) is
/// reported as that, exit status 2, even when the report has problems too.
#[test]
fn a_refused_job_comes_before_the_reports_problems() {
    let dir = tempfile::tempdir().unwrap();
    let text = small_report("正文。").replace("date = \"2024-03-05\"", "date = \"2024-13-45\"");
    let report = write_report(dir.path(), &text);
    let elsewhere = tempfile::tempdir().unwrap();
    let root = elsewhere.path().to_str().unwrap();
    let output = banmian(
        &["render", report.to_str().unwrap(), "--root", root],
        dir.path(),
    );
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("lies outside the root"), "{err}");
}

/// An output over a photo the report uses is refused (exit status 2) and
/// the photo is kept.
#[test]
fn an_output_over_a_photo_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("photo.jpg");
    common::write_photo(&photo, 1200, 800);
    let before = std::fs::read(&photo).unwrap();
    let text = small_report("正文。")
        + "\n[[sections.photos]]\npath = \"photo.jpg\"\ncaption = \"图片说明\"\n";
    let report = write_report(dir.path(), &text);
    let output = banmian(
        &[
            "render",
            report.to_str().unwrap(),
            "-o",
            "photo.jpg",
            "--format",
            "pdf",
        ],
        dir.path(),
    );
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("which the report uses"), "{err}");
    assert_eq!(
        std::fs::read(&photo).unwrap(),
        before,
        "the photo was overwritten"
    );
}

/// `check --json` answers in JSON whatever happens: a job refused before
/// any work is one finding, with the usage status 2.
#[test]
fn check_json_reports_a_refused_job_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let report = write_report(dir.path(), &small_report("正文。"));
    let output = banmian(
        &[
            "check",
            "--json",
            report.to_str().unwrap(),
            "--deck",
            "deck.key",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{json}");
    assert_eq!(findings[0]["severity"], "error");
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap()
            .contains("deck.key"),
        "{json}"
    );
}

/// No fonts at all is the machine's problem, not the command line's:
/// exit status 1, with a hint.
#[test]
fn no_fonts_is_not_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let report = write_report(dir.path(), &small_report("正文。"));
    let fonts = empty.path().to_str().unwrap();
    let output = banmian(
        &[
            "check",
            report.to_str().unwrap(),
            "--fonts",
            fonts,
            "--ignore-system-fonts",
        ],
        dir.path(),
    );
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: no fonts found") && err.contains("hint:"),
        "{err}"
    );
}

/// Each of Typst's compiles in a render (the templates' grid, the
/// spread's measuring and drawing passes, the deck) lays its document out
/// once. A template that measures the very paragraphs it then draws makes
/// Typst lay the whole document out a second time, as the lede box and the
/// deck's text boxes did (20 ms of the spread's measuring, 70 ms of the
/// deck's layout): Typst's own timing trace (`BANMIAN_TRACE`) counts the
/// passes.
#[test]
fn every_compile_lays_its_document_out_once() {
    let dir = tempfile::tempdir().unwrap();
    let repo = common::repo();
    let example = common::example();
    let trace = dir.path().join("trace.json");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_banmian"))
        .args(["render", example.to_str().unwrap(), "--root"])
        .arg(&repo)
        .args(["-o", "spread.pdf", "--deck", "deck.pdf", "--no-cache"])
        .current_dir(dir.path())
        .env("BANMIAN_TRACE", &trace)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let events: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&trace).expect("a trace is written")).unwrap();
    let count = |name: &str| {
        events
            .iter()
            .filter(|e| e["name"] == name && e["ph"] == "B")
            .count()
    };
    // The grid, the spread's two passes, the deck's grid and its slides.
    assert!(count("compile") >= 5, "{} compiles", count("compile"));
    assert_eq!(count("iter (1)"), count("compile"), "each compile lays out");
    assert_eq!(
        count("iter (2)"),
        0,
        "no compile lays its document out again"
    );
}
