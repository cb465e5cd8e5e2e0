//! Helpers shared by the integration tests: running the binary, writing
//! fixture reports and photos, and reading PDFs with poppler and qpdf.

#![allow(dead_code)]

pub mod package;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The seed example report.
pub fn example() -> PathBuf {
    repo().join("examples/fuling/report.toml")
}

/// A variant of the seed report, written beside it (its photo paths are
/// relative to its folder) and removed when dropped.
pub fn seed_variant(change: impl FnOnce(&mut toml::Table)) -> tempfile::NamedTempFile {
    let text = std::fs::read_to_string(example()).unwrap();
    let mut report: toml::Table = toml::from_str(&text).unwrap();
    change(&mut report);
    let file = tempfile::Builder::new()
        .prefix(".variant-")
        .suffix(".toml")
        .tempfile_in(example().parent().unwrap())
        .unwrap();
    std::fs::write(file.path(), toml::to_string(&report).unwrap()).unwrap();
    file
}

/// Runs `banmian deck` on a report beside the seed (root: the repository)
/// into `dir`, with `extra` arguments; returns (pdf, pptx).
pub fn seed_deck(dir: &Path, report: &Path, extra: &[&str]) -> (PathBuf, PathBuf) {
    let pdf = dir.join("deck.pdf");
    let pptx = dir.join("deck.pptx");
    let repo = repo();
    let mut args = vec![
        "deck",
        report.to_str().unwrap(),
        "--root",
        repo.to_str().unwrap(),
        "-o",
        pdf.to_str().unwrap(),
        "-o",
        pptx.to_str().unwrap(),
    ];
    args.extend(extra);
    let output = banmian(&args, dir);
    assert!(output.status.success(), "{}", stderr(&output));
    (pdf, pptx)
}

/// The seed's deck, made once per test binary (`banmian deck` on the seed
/// with no other arguments) in a folder of the target's temporary folder:
/// (pdf, pptx). Tests only read it; one that hands the PPTX to a tool that
/// writes beside its input (LibreOffice leaves a lock file) copies it into
/// its own folder first ([`copy_into`]).
pub fn shared_seed_deck() -> (PathBuf, PathBuf) {
    static DECK: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    DECK.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("seed-deck-{}", env!("CARGO_CRATE_NAME")));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        seed_deck(&dir, &example(), &[])
    })
    .clone()
}

/// Every text the spread prints, with its field path: the report walk's
/// texts but those only the briefing deck shows (`deck.*`), and empty ones.
pub fn text_fields(report: &banmian::report::Report) -> Vec<(String, String)> {
    banmian::report::walk::texts(report)
        .filter(|(field, text)| !field.starts_with("deck.") && !text.is_empty())
        .map(|(field, text)| (field, text.into_owned()))
        .collect()
}

/// A copy of `file` in `dir`, under its own name.
pub fn copy_into(dir: &Path, file: &Path) -> PathBuf {
    let copy = dir.join(file.file_name().unwrap());
    std::fs::copy(file, &copy).unwrap();
    copy
}

/// `banmian check --json` on a report beside the seed (root: the
/// repository): the exit code and the findings.
pub fn check_seed_json(report: &Path, cwd: &Path) -> (Option<i32>, Vec<serde_json::Value>) {
    let checked = check_json(report, &repo(), cwd);
    (checked.code, checked.findings)
}

/// What `banmian check --json` said.
#[derive(Debug)]
pub struct Checked {
    /// The exit code.
    pub code: Option<i32>,
    /// Every finding.
    pub findings: Vec<serde_json::Value>,
    /// The layout's measures (null when there is no layout).
    pub layout: serde_json::Value,
}

impl Checked {
    /// The findings of one severity.
    pub fn of(&self, severity: &str) -> Vec<&serde_json::Value> {
        self.findings
            .iter()
            .filter(|f| f["severity"] == severity)
            .collect()
    }
}

/// `banmian check --json` on a report with `root` as its root.
pub fn check_json(report: &Path, root: &Path, cwd: &Path) -> Checked {
    let args = [
        "check",
        report.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
        "--json",
    ];
    let output = banmian(&args, cwd);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("JSON findings: {}", stderr(&output)));
    Checked {
        code: output.status.code(),
        findings: json["findings"]
            .as_array()
            .cloned()
            .unwrap_or_else(|| panic!("`check --json` lists its findings: {json}")),
        layout: json["layout"].clone(),
    }
}

/// Runs `banmian` with arguments, with a private photo cache and a fixed
/// date, and returns its output.
pub fn banmian(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_banmian"))
        .args(args)
        .current_dir(cwd)
        .env("BANMIAN_CACHE_DIR", cwd.join(".cache"))
        .env("SOURCE_DATE_EPOCH", "1709596800")
        .output()
        .expect("banmian runs")
}

/// A finding's hints (`check --json`) as one text, a hint a line.
pub fn hints(finding: &serde_json::Value) -> String {
    let hints = finding["hints"].as_array().expect("a finding has hints");
    let hints: Vec<&str> = hints.iter().filter_map(|h| h.as_str()).collect();
    hints.join("\n")
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs a command and returns its standard output, panicking on failure.
pub fn tool(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|err| panic!("{program} is installed (.ci/run installs it): {err}"));
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The PDF's text with all white space removed (CJK has none to keep).
pub fn pdf_text(pdf: &Path) -> String {
    let text = tool(
        "pdftotext",
        &["-raw", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"],
    );
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Writes a JPEG photo of `w` × `h` pixels with some structure in it.
pub fn write_photo(path: &Path, w: u32, h: u32) {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([
            (x * 255 / w.max(1)) as u8,
            (y * 255 / h.max(1)) as u8,
            ((x ^ y) & 0xff) as u8,
        ])
    });
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    img.save(path).unwrap();
}

/// A small but complete report in TOML; `extra` is appended verbatim.
pub fn small_report(section_text: &str) -> String {
    format!(
        r#"[masthead]
paper = "测试日报"
edition = "特别报道"
date = "2024-03-05"
pages = [4, 5]

[headline]
kicker = "引题"
title = "主题 标题"

[[sections]]
heading = "小标题"
text = """
{section_text}
"""
"#
    )
}

/// Writes `report` as `report.toml` in `dir` and returns its path.
pub fn write_report(dir: &Path, report: &str) -> PathBuf {
    let path = dir.join("report.toml");
    std::fs::write(&path, report).unwrap();
    path
}

/// Lays a report file out as a broadsheet spread with the bundled fonts
/// only (one font set a test binary), its photos inside `root`; with
/// `placeholders`, photos still to supply are grey boxes.
pub fn typeset_spread(path: &Path, root: &Path, placeholders: bool) -> banmian::typeset::Typeset {
    use std::sync::Arc;

    use banmian::assets::fonts::{FontOptions, Fonts};
    use banmian::assets::photos::{PhotoOptions, PhotoStore};
    use banmian::assets::root::Root;
    use banmian::typeset::{Layouts, PageOptions, Pages, Paper, TypesetOptions, Typesetter};

    static FONTS: OnceLock<Arc<Fonts>> = OnceLock::new();
    let fonts = FONTS
        .get_or_init(|| {
            Arc::new(Fonts::discover(&FontOptions {
                ignore_system: true,
                ..Default::default()
            }))
        })
        .clone();
    let loaded = banmian::report::load(path).unwrap();
    let root = Root::new(root).unwrap();
    let photos = Arc::new(PhotoStore::new(PhotoOptions {
        placeholders,
        ..PhotoOptions::default()
    }));
    let mut typesetter = Typesetter::new(fonts, Layouts::discover(None), root, photos);
    let options = TypesetOptions {
        pages: PageOptions {
            paper: Paper::Broadsheet,
            pages: Pages::Spread,
            ppi: 300,
            archival: false,
        },
        today: None,
        measure_only: false,
        medium: Default::default(),
        preview_ppi: None,
        proof: false,
    };
    banmian::spread::typeset(&mut typesetter, &loaded, &options)
        .unwrap()
        .typeset
}

/// Whether a blank area lies (in part) in an open area.
pub fn in_open(area: &serde_json::Value, layout: &serde_json::Value) -> bool {
    let range = |v: &serde_json::Value, key: &str| {
        let r = v[key].as_array().unwrap();
        (r[0].as_u64().unwrap(), r[1].as_u64().unwrap())
    };
    layout["open"].as_array().unwrap().iter().any(|open| {
        let (c, l) = (range(area, "columns"), range(area, "lines"));
        let (oc, ol) = (range(open, "columns"), range(open, "lines"));
        open["page"] == area["page"] && c.0 <= oc.1 && oc.0 <= c.1 && l.0 <= ol.1 && ol.0 <= l.1
    })
}

/// The white space of a layout, judged as the issue asks: full (no blank
/// area of 3 lines or more, at most 3 % of the type area blank), or its
/// white space in one open area at a page's foot, the rest full.
pub fn white_space_verdict(layout: &serde_json::Value) -> Result<&'static str, String> {
    let blank = layout["blank"].as_array().unwrap();
    let open = layout["open"].as_array().unwrap();
    let page_lines = layout["lines"].as_array().unwrap();
    if open.len() > 1 {
        return Err(format!("{} open areas: {layout}", open.len()));
    }
    for area in open {
        let page = area["page"].as_u64().unwrap() as usize;
        let foot = area["lines"][1].as_u64().unwrap();
        if foot != page_lines[page - 1].as_u64().unwrap() {
            return Err(format!("the open area is not at its page's foot: {area}"));
        }
    }
    let outside: Vec<&serde_json::Value> = blank.iter().filter(|b| !in_open(b, layout)).collect();
    let share: f64 = outside.iter().map(|b| b["share"].as_f64().unwrap()).sum();
    if share > 0.03 + 1e-9 {
        return Err(format!(
            "{:.1} % blank beyond the open area: {layout}",
            share * 100.0
        ));
    }
    let stranded: Vec<&&serde_json::Value> = outside
        .iter()
        .filter(|b| b["kind"] != "feather" && b["depth"].as_u64().unwrap() >= 3)
        .collect();
    if let Some(gap) = stranded.first() {
        return Err(format!("a blank area beyond the open area: {gap}"));
    }
    Ok(if open.is_empty() { "full" } else { "open" })
}

/// The pixels' measure of a rendered spread (`scripts/blank_measure.py`):
/// blank runs per column, read from the pages, not from the composer.
pub fn pixels(pdf: &Path, layout: &serde_json::Value, dir: &Path) -> serde_json::Value {
    let json = dir.join("layout.json");
    std::fs::write(&json, layout.to_string()).unwrap();
    let script = repo().join("scripts/blank_measure.py");
    let out = tool(
        "python3",
        &[
            script.to_str().unwrap(),
            pdf.to_str().unwrap(),
            json.to_str().unwrap(),
            "--json",
        ],
    );
    serde_json::from_str(&out).unwrap()
}
