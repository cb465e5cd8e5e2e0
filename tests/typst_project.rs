//! `--typst-project DIR`: the Typst project banmian writes draws the same
//! pages as banmian when Typst's own compiler (the `typst` wheel from PyPI)
//! compiles it; `check` writes the same project; a project folder that
//! holds the report or a photo is refused.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{banmian, example, repo, stderr, tool};

/// A line of text as pdftotext places it: its box (in points, to a tenth)
/// and its text, word joiners aside (banmian drops them from its pages,
/// Typst keeps them as text).
type Line = ([i64; 4], String);

/// Every line of every page of a PDF, sorted on each page.
fn lines(pdf: &Path) -> Vec<Vec<Line>> {
    let html = tool("pdftotext", &["-bbox-layout", pdf.to_str().unwrap(), "-"]);
    let html = html.replace('\u{2060}', "");
    html.split("<page ")
        .skip(1)
        .map(|page| {
            let mut lines: Vec<Line> = page
                .split("<line ")
                .skip(1)
                .map(|line| {
                    let (head, body) = line.split_once('>').unwrap();
                    let at = |key: &str| {
                        let value = head.split(&format!("{key}=\"")).nth(1).unwrap();
                        let value: f64 = value.split('"').next().unwrap().parse().unwrap();
                        (value * 10.0).round() as i64
                    };
                    let text: String = body
                        .split("</line>")
                        .next()
                        .unwrap()
                        .split("</word>")
                        .filter_map(|w| w.rsplit_once('>').map(|(_, t)| t))
                        .collect();
                    ([at("xMin"), at("yMin"), at("xMax"), at("yMax")], text)
                })
                .collect();
            lines.sort();
            lines
        })
        .collect()
}

/// Each page's MediaBox and TrimBox as pdfinfo prints them.
fn boxes(pdf: &Path) -> Vec<String> {
    let info = tool(
        "pdfinfo",
        &["-box", "-f", "1", "-l", "99", pdf.to_str().unwrap()],
    );
    info.lines()
        .filter(|l| l.contains("MediaBox:") || l.contains("TrimBox:"))
        .map(str::to_owned)
        .collect()
}

/// Compiles a project's `spread.typ` with the `typst` wheel (Typst's own
/// compiler, not banmian's), with only the bundled fonts.
fn typst_compile(project: &Path, pdf: &Path) {
    let script = "import sys, typst\n\
                  typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]], ignore_system_fonts=True)";
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(project.join("spread.typ"))
        .arg(pdf)
        .arg(repo().join("fonts"))
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "the typst wheel did not compile the project (pip install typst):\n{}",
        stderr(&output)
    );
}

/// Every file under `dir`, by its path inside it.
fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    files
}

/// The width and height an SVG stand-in declares.
fn svg_size(svg: &str) -> (u32, u32) {
    let attr = |key: &str| -> u32 {
        let value = svg.split(&format!(" {key}=\"")).nth(1).unwrap();
        value.split('"').next().unwrap().parse().unwrap()
    };
    (attr("width"), attr("height"))
}

#[test]
fn the_written_project_draws_the_same_pages_in_typst() {
    let dir = tempfile::tempdir().unwrap();
    let (report, root) = (example(), repo());
    let args = [
        "render",
        report.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
        "-o",
        "spread.pdf",
        "--typst-project",
        "project",
    ];
    let output = banmian(&args, dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let project = dir.path().join("project");
    let files = files_under(&project);
    let names: Vec<String> = files.keys().map(|p| p.display().to_string()).collect();
    for name in [
        "spread.typ",
        "theme.typ",
        "report.json",
        "plan.json",
        "README.md",
    ] {
        assert!(
            names.contains(&name.to_owned()),
            "{name} missing: {names:?}"
        );
    }
    // The stand-ins are exactly as many units wide and high as their
    // photos have pixels, in the report's slot order.
    let data: serde_json::Value = serde_json::from_slice(&files[Path::new("report.json")]).unwrap();
    let mut photos = vec![data["banner"]["photo"].clone()];
    for section in data["sections"].as_array().unwrap() {
        photos.extend(section["photos"].as_array().unwrap().iter().cloned());
    }
    let loaded = banmian::report::read(&report).unwrap();
    let paths: Vec<String> = banmian::typeset::photo_fields(&loaded.report)
        .into_iter()
        .map(|(_, path, _)| path)
        .collect();
    assert_eq!(photos.len(), paths.len(), "{paths:?}");
    assert_eq!(paths.len(), 4, "the banner and three photos");
    for (photo, path) in photos.iter().zip(&paths) {
        let src = photo["src"].as_str().unwrap();
        let svg = String::from_utf8(files[Path::new(src)].clone()).unwrap();
        let pixels = image::image_dimensions(report.parent().unwrap().join(path)).unwrap();
        assert_eq!(svg_size(&svg), pixels, "{src} for {path}");
    }

    let drawn = dir.path().join("typst.pdf");
    typst_compile(&project, &drawn);
    let (ours, theirs) = (lines(&dir.path().join("spread.pdf")), lines(&drawn));
    assert_eq!(ours.len(), 2, "two pages");
    assert_eq!(ours.len(), theirs.len(), "as many pages");
    for (page, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        assert!(a.len() > 80, "page {} has its text: {a:?}", page + 1);
        let only_ours: Vec<&Line> = a.iter().filter(|l| !b.contains(l)).collect();
        let only_theirs: Vec<&Line> = b.iter().filter(|l| !a.contains(l)).collect();
        assert!(
            only_ours.is_empty() && only_theirs.is_empty(),
            "page {}: lines only banmian draws {only_ours:?}, only Typst {only_theirs:?}",
            page + 1
        );
    }
    assert_eq!(
        boxes(&dir.path().join("spread.pdf")),
        boxes(&drawn),
        "the same MediaBox and TrimBox"
    );

    // `check` writes the same project, and nothing else.
    let checked = [
        "check",
        report.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
        "-o",
        "checked/spread.pdf",
        "--typst-project",
        "checked/project",
    ];
    let output = banmian(&checked, dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let written = files_under(&dir.path().join("checked"));
    let project_files: BTreeMap<PathBuf, Vec<u8>> = files
        .into_iter()
        .map(|(path, bytes)| (Path::new("project").join(path), bytes))
        .collect();
    assert!(written == project_files, "check wrote {:?}", written.keys());
}

#[test]
fn a_project_folder_holding_the_report_or_a_photo_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (report, root) = (example(), repo());
    let folder = report.parent().unwrap().to_str().unwrap().to_owned();
    let images = root.join("images");
    for (project, what) in [
        (folder.as_str(), "the report"),
        (images.to_str().unwrap(), "a photo"),
    ] {
        let args = [
            "render",
            report.to_str().unwrap(),
            "--root",
            root.to_str().unwrap(),
            "-o",
            "spread.pdf",
            "--typst-project",
            project,
        ];
        let output = banmian(&args, dir.path());
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        let message = stderr(&output);
        assert!(message.contains(&format!("holds {what}")), "{message}");
        assert!(!dir.path().join("spread.pdf").exists(), "wrote the spread");
    }
}
