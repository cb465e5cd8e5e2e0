//! The plant's PDF/X, checked with readers no one here wrote: pikepdf for
//! the structure (version, output intent with a CMYK profile, boxes, no
//! transparency, black text overprinting and white text knocking out),
//! poppler's `pdfimages` and `pdffonts`, `qpdf --check`, Ghostscript's
//! `tiffsep` separations summed per pixel (the total ink on the example
//! and on generated shapes), and Pillow's `ImageCms` (Little CMS) for the
//! photos' separations. `.ci/run` installs them.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{banmian, stderr, tool};

/// The example rendered once per test binary: (x-1a at 220 %, plain RGB,
/// x-4).
fn example_pdfs() -> &'static (PathBuf, PathBuf, PathBuf) {
    static PDFS: OnceLock<(PathBuf, PathBuf, PathBuf)> = OnceLock::new();
    PDFS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("press-example");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let render = |name: &str, extra: &[&str]| {
            let out = dir.join(name);
            let mut args = vec!["-o", out.to_str().unwrap()];
            args.extend(extra);
            let output = on_example("render", &args, &dir);
            assert!(output.status.success(), "{}", stderr(&output));
            out
        };
        let deck = dir.join("deck.pdf");
        (
            // At 220 %, the ISO 12647-3 figure, tighter than the bundled
            // profile's 240 %: banmian holds the ink itself.
            render("x1a.pdf", &["--pdf-standard", "x-1a", "--ink-limit", "220"]),
            render("plain.pdf", &[]),
            // With the deck, which stays RGB for screens.
            render(
                "x4.pdf",
                &["--pdf-standard", "x-4", "--deck", deck.to_str().unwrap()],
            ),
        )
    })
}

/// Runs `banmian COMMAND` on the example (root: the repository) with more
/// arguments, in `cwd`.
fn on_example(command: &str, extra: &[&str], cwd: &Path) -> std::process::Output {
    let (report, repo) = (common::example(), common::repo());
    let mut args = vec![
        command,
        report.to_str().unwrap(),
        "--root",
        repo.to_str().unwrap(),
    ];
    args.extend(extra);
    banmian(&args, cwd)
}

/// Runs a Python script with arguments; its standard output.
fn python(script: &str, args: &[&str]) -> String {
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs (.ci/run installs pikepdf, Pillow and numpy)");
    assert!(
        output.status.success(),
        "python: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The structure, read with pikepdf; prints a JSON summary.
const STRUCTURE: &str = r#"
import json, sys
import pikepdf
pdf = pikepdf.open(sys.argv[1])
out = {"version": pdf.pdf_version, "info": {}, "xmp": {}, "intents": [], "pages": [], "problems": []}
for key in ("/GTS_PDFXVersion", "/GTS_PDFXConformance", "/Trapped", "/Title", "/CreationDate", "/ModDate"):
    if key in pdf.docinfo:
        out["info"][key] = str(pdf.docinfo[key])
with pdf.open_metadata() as meta:
    for key in meta:
        if "pdfx" in key or "Trapped" in key:
            out["xmp"][key.split("}")[-1]] = str(meta[key])
for intent in pdf.Root.get("/OutputIntents", []):
    profile = intent.DestOutputProfile.read_bytes()
    out["intents"].append({
        "S": str(intent.S), "id": str(intent.get("/OutputConditionIdentifier", "")),
        "N": int(intent.DestOutputProfile.N),
        "class": profile[12:16].decode("latin1"), "space": profile[16:20].decode("latin1"),
    })
# No transparency anywhere: groups, soft masks, constant alpha, blend modes.
for obj in pdf.objects:
    if isinstance(obj, pikepdf.Stream) or isinstance(obj, pikepdf.Dictionary):
        d = obj
        if "/Group" in d:
            out["problems"].append("a transparency group")
        if "/SMask" in d and d.SMask != pikepdf.Name.None_:
            out["problems"].append("a soft mask")
        for key in ("/CA", "/ca"):
            if key in d and float(d[key]) < 1:
                out["problems"].append("constant alpha " + key)

def state_of(page, name):
    gs = page.Resources.ExtGState[name]
    return (bool(gs.get("/op", gs.get("/OP", False))), bool(gs.get("/OP", False)), int(gs.get("/OPM", 0)))

for page in pdf.pages:
    media = [float(v) for v in page.MediaBox]
    boxes = {k: [float(v) for v in page[k]] for k in ("/TrimBox", "/BleedBox") if k in page}
    inside = all(b[0] >= media[0] and b[1] >= media[1] and b[2] <= media[2] and b[3] <= media[3] for b in boxes.values())
    # Follow fill colour and overprint through the content: black text
    # must be set with /op on and /OPM 1, white text with /op off.
    stack, fill, op = [], None, (False, False, 0)
    black = {"over": 0, "knocked": 0}
    white = {"over": 0, "knocked": 0}
    overprint_states = 0
    for name in page.Resources.get("/ExtGState", {}).keys():
        s = state_of(page, name)
        if s[0] and s[2] == 1:
            overprint_states += 1
    for operands, operator in pikepdf.parse_content_stream(page):
        o = str(operator)
        if o == "q": stack.append((fill, op))
        elif o == "Q": fill, op = stack.pop()
        elif o == "k": fill = tuple(round(float(v), 3) for v in operands)
        elif o in ("g", "rg", "sc", "scn", "cs"): fill = ("other", o)
        elif o == "gs": op = state_of(page, str(operands[0]))
        elif o in ("Tj", "TJ", "'", '"'):
            side = black if fill == (0, 0, 0, 1) else white if fill == (0, 0, 0, 0) else None
            if side is not None:
                side["over" if op[0] and op[2] == 1 else "knocked"] += 1
    out["pages"].append({"boxes": sorted(boxes), "inside": inside, "black": black, "white": white,
                         "overprint_states": overprint_states})
print(json.dumps(out))
"#;

fn structure(pdf: &Path) -> serde_json::Value {
    serde_json::from_str(&python(STRUCTURE, &[pdf.to_str().unwrap()])).unwrap()
}

#[test]
fn pikepdf_reads_a_pdf_x_1a_with_a_cmyk_output_intent_boxes_and_overprint() {
    let (x1a, _, _) = example_pdfs();
    let s = structure(x1a);
    assert_eq!(s["version"], "1.3");
    assert_eq!(s["info"]["/GTS_PDFXVersion"], "PDF/X-1a:2001");
    assert_eq!(s["info"]["/GTS_PDFXConformance"], "PDF/X-1a:2001");
    assert_eq!(s["info"]["/Trapped"], "/False");
    assert!(s["info"]["/CreationDate"].is_string() && s["info"]["/ModDate"].is_string());
    assert_eq!(s["xmp"]["GTS_PDFXVersion"], "PDF/X-1a:2001");
    assert_eq!(s["xmp"]["Trapped"], "False");
    let intents = s["intents"].as_array().unwrap();
    assert_eq!(intents.len(), 1, "{s}");
    let intent = &intents[0];
    assert_eq!(intent["S"], "/GTS_PDFX");
    assert_eq!(intent["N"], 4);
    assert_eq!(intent["space"], "CMYK");
    assert_eq!(intent["class"], "prtr");
    assert_eq!(intent["id"], "FOGRA29");
    assert_eq!(
        s["problems"].as_array().unwrap().len(),
        0,
        "{}",
        s["problems"]
    );
    let pages = s["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 2);
    for page in pages {
        assert_eq!(page["boxes"], serde_json::json!(["/BleedBox", "/TrimBox"]));
        assert_eq!(page["inside"], true);
        assert!(page["overprint_states"].as_u64().unwrap() >= 1);
        // Body text is black: all of it overprints; white type knocks out.
        // (A page with an open area at its foot still sets more than 50
        // runs of black text.)
        assert!(page["black"]["over"].as_u64().unwrap() > 50, "{page}");
        assert_eq!(page["black"]["knocked"], 0, "{page}");
        assert_eq!(page["white"]["over"], 0, "{page}");
    }
    let white: u64 = pages
        .iter()
        .map(|p| p["white"]["knocked"].as_u64().unwrap())
        .sum();
    assert!(
        white > 0,
        "the banner's display line and the tabs are white type"
    );
}

#[test]
fn pdf_x_4_is_identified_and_the_deck_beside_it_stays_rgb() {
    let (_, _, x4) = example_pdfs();
    let s = structure(x4);
    assert_eq!(s["version"], "1.6");
    assert_eq!(s["info"]["/GTS_PDFXVersion"], "PDF/X-4");
    assert_eq!(s["xmp"]["GTS_PDFXVersion"], "PDF/X-4");
    assert_eq!(s["intents"][0]["space"], "CMYK");
    images_are_cmyk_or_grey(x4);
    let deck = x4.with_file_name("deck.pdf");
    let list = tool("pdfimages", &["-list", deck.to_str().unwrap()]);
    let rows: Vec<&str> = list.lines().skip(2).collect();
    assert!(
        !rows.is_empty() && rows.iter().all(|r| r.contains(" icc ")),
        "the deck's photos stay RGB:\n{list}"
    );
}

/// `pdfimages -list`: every image is CMYK or grey.
fn images_are_cmyk_or_grey(pdf: &Path) {
    let list = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    let rows: Vec<&str> = list.lines().skip(2).collect();
    assert_eq!(rows.len(), 4, "the example's four photos:\n{list}");
    for row in rows {
        let colour = row.split_whitespace().nth(5).unwrap();
        assert!(matches!(colour, "cmyk" | "gray"), "{row}");
    }
}

/// What poppler's tools print on stderr for `pdf`: the tools a plant
/// checks a file with, which print `Syntax Error: …` for what they read
/// amiss.
fn poppler_complaints(pdf: &Path) -> Vec<String> {
    let mut complaints = Vec::new();
    for program in ["pdfinfo", "pdffonts", "pdfimages"] {
        let mut args = vec![pdf.to_str().unwrap()];
        if program == "pdfimages" {
            args.insert(0, "-list");
        }
        let output = std::process::Command::new(program)
            .args(&args)
            .output()
            .unwrap_or_else(|err| panic!("{program} is installed (.ci/run installs it): {err}"));
        assert!(output.status.success(), "{program} failed on {pdf:?}");
        let said = String::from_utf8_lossy(&output.stderr);
        complaints.extend(said.lines().map(|line| format!("{program}: {line}")));
    }
    complaints
}

#[test]
fn poppler_reads_the_plant_pdfs_and_the_deck_without_a_complaint() {
    // Typst marks its tagged PDFs `/Suspects false`, which poppler takes
    // for a syntax error; banmian drops the key (false is its default).
    let (x1a, plain, x4) = example_pdfs();
    let deck = x4.with_file_name("deck.pdf");
    for pdf in [x1a, plain, x4, &deck] {
        let complaints = poppler_complaints(pdf);
        assert!(complaints.is_empty(), "{pdf:?}:\n{}", complaints.join("\n"));
    }
}

#[test]
fn every_image_is_cmyk_or_grey_and_every_font_embedded() {
    let (x1a, plain, _) = example_pdfs();
    images_are_cmyk_or_grey(x1a);
    let list = tool("pdfimages", &["-list", x1a.to_str().unwrap()]);
    assert!(
        list.contains(" gray "),
        "the grey photo is in black ink:\n{list}"
    );
    let fonts = tool("pdffonts", &[x1a.to_str().unwrap()]);
    for row in fonts.lines().skip(2) {
        let fields: Vec<&str> = row.split_whitespace().collect();
        let at = fields.len() - 5;
        assert_eq!(fields[at], "yes", "not embedded: {row}");
    }
    // The plain PDF keeps RGB photos: the plant separates them.
    let list = tool("pdfimages", &["-list", plain.to_str().unwrap()]);
    assert!(list.contains(" icc "), "{list}");
}

#[test]
fn qpdf_finds_nothing_wrong_and_output_is_byte_identical() {
    let (x1a, _, x4) = example_pdfs();
    for pdf in [x1a, x4] {
        let check = Command::new("qpdf")
            .arg("--check")
            .arg(pdf)
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&check.stdout);
        assert!(
            check.status.success() && out.contains("No syntax or stream encoding errors"),
            "{out}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let again = dir.path().join("again.pdf");
    let args = [
        "-o",
        again.to_str().unwrap(),
        "--pdf-standard",
        "x-1a",
        "--ink-limit",
        "220",
    ];
    let output = on_example("render", &args, dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        std::fs::read(x1a).unwrap() == std::fs::read(&again).unwrap(),
        "two renders (one with a cold photo cache) differ"
    );
}

/// Ghostscript's separations summed per pixel: the 99.9th percentile and
/// the most of each page's total ink, in percent.
const TOTAL_INK: &str = r#"
import glob, json, os, subprocess, sys, tempfile
import numpy as np
from PIL import Image
pdf = sys.argv[1]
out = []
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", "-r50",
                    "-sOutputFile=" + os.path.join(tmp, "p%d.tif"), pdf], check=True)
    page = 1
    while os.path.exists(os.path.join(tmp, f"p{page}.tif")):
        total = 0
        for ink in ("Cyan", "Magenta", "Yellow", "Black"):
            sep = np.asarray(Image.open(os.path.join(tmp, f"p{page}({ink}).tif")).convert("L"), dtype=np.float64)
            total = total + (255 - sep)
        total = total / 255 * 100
        out.append({"p999": float(np.percentile(total, 99.9)), "max": float(total.max())})
        page += 1
print(json.dumps(out))
"#;

fn total_ink(pdf: &Path) -> Vec<serde_json::Value> {
    serde_json::from_str(&python(TOTAL_INK, &[pdf.to_str().unwrap()])).unwrap()
}

#[test]
fn ghostscript_separations_stay_within_the_ink_limit() {
    let (x1a, plain, _) = example_pdfs();
    for page in total_ink(x1a) {
        let p999 = page["p999"].as_f64().unwrap();
        assert!(
            p999 <= 220.0,
            "99.9th percentile of total ink {p999:.1} % over 220 %"
        );
        assert!(p999 > 150.0, "the photos' shadows carry ink: {p999:.1} %");
    }
    // What the plant's default separation of the RGB PDF would put down.
    let rgb = total_ink(plain);
    assert!(
        rgb.iter().any(|p| p["p999"].as_f64().unwrap() > 260.0),
        "{rgb:?}"
    );
}

#[test]
fn generated_shapes_stay_within_a_tighter_limit() {
    let dir = tempfile::tempdir().unwrap();
    let script = common::repo().join("scripts/gen_shapes.py");
    let made = Command::new("python3")
        .arg(script)
        .args(["--shape", "three-photos", "--shape", "no-banner", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let reports: Vec<String> = String::from_utf8_lossy(&made.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(reports.len(), 2);
    for (i, report) in reports.iter().enumerate() {
        let pdf = dir.path().join(format!("shape-{i}.pdf"));
        let root = dir.path().to_str().unwrap();
        let output = banmian(
            &[
                "render",
                report,
                "--root",
                root,
                "-o",
                pdf.to_str().unwrap(),
                "--pdf-standard",
                "x-1a",
                "--ink-limit",
                "220",
                "--allow-overset",
                "--ppi",
                "200",
            ],
            dir.path(),
        );
        assert!(output.status.success(), "{}", stderr(&output));
        for page in total_ink(&pdf) {
            let p999 = page["p999"].as_f64().unwrap();
            assert!(p999 <= 220.0, "{report}: total ink {p999:.1} % over 220 %");
        }
        images_or_none_are_cmyk(&pdf);
    }
}

/// Every image in a PDF is CMYK or grey (any number of them).
fn images_or_none_are_cmyk(pdf: &Path) {
    let list = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    for row in list.lines().skip(2) {
        let colour = row.split_whitespace().nth(5).unwrap();
        assert!(matches!(colour, "cmyk" | "gray"), "{row}");
    }
}

/// Each colour photo of the plain PDF separated by Little CMS (Pillow's
/// ImageCms, same profile, perceptual) against banmian's separation in the
/// PDF/X; both compared in Lab through the profile: the mean ΔE (CIE76).
/// The banner's lower part (its display band, burnt in) is left out.
const DELTA_E: &str = r#"
import io, json, os, subprocess, sys, tempfile
import numpy as np
from PIL import Image, ImageCms
plain, x1a, icc = sys.argv[1:4]
profile = ImageCms.ImageCmsProfile(icc)
srgb = ImageCms.createProfile("sRGB")
lab = ImageCms.createProfile("LAB", 5000)
to_lab = ImageCms.buildTransform(profile, lab, "CMYK", "LAB", renderingIntent=1)
def images(pdf, tmp, stem):
    subprocess.run(["pdfimages", "-j", pdf, os.path.join(tmp, stem)], check=True)
    return sorted(f for f in os.listdir(tmp) if f.startswith(stem))
def lab_of(cmyk):
    # Pillow's LAB holds L* in 0-255 and a*, b* as signed bytes.
    a = np.asarray(ImageCms.applyTransform(cmyk, to_lab))
    ab = a[..., 1:].view(np.int8).astype(np.float64)
    return np.stack([a[..., 0] * 100 / 255, ab[..., 0], ab[..., 1]], axis=-1)
out = []
with tempfile.TemporaryDirectory() as tmp:
    for rgb_name, cmyk_name in zip(images(plain, tmp, "rgb"), images(x1a, tmp, "cmyk")):
        rgb = Image.open(os.path.join(tmp, rgb_name)); rgb.load()
        ours = Image.open(os.path.join(tmp, cmyk_name)); ours.load()
        if rgb.mode != "RGB" or ours.mode != "CMYK":
            continue
        icc_bytes = rgb.info.get("icc_profile")
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_bytes)) if icc_bytes else srgb
        theirs = ImageCms.applyTransform(rgb, ImageCms.buildTransform(source, profile, "RGB", "CMYK", renderingIntent=0))
        a, b = lab_of(ours), lab_of(theirs)
        rows = a.shape[0] * 6 // 10 if len(out) == 0 else a.shape[0]
        de = np.sqrt(((a[:rows] - b[:rows]) ** 2).sum(axis=-1))
        out.append({"image": cmyk_name, "mean": float(de.mean()), "p99": float(np.percentile(de, 99))})
print(json.dumps(out))
"#;

#[test]
fn photos_are_separated_as_little_cms_separates_them() {
    let (x1a, plain, _) = example_pdfs();
    let icc = common::repo().join("src/assets/profiles/banmian-newsprint-fogra29-240.icc");
    let args = [
        plain.to_str().unwrap(),
        x1a.to_str().unwrap(),
        icc.to_str().unwrap(),
    ];
    let compared: Vec<serde_json::Value> = serde_json::from_str(&python(DELTA_E, &args)).unwrap();
    assert_eq!(compared.len(), 3, "three colour photos: {compared:?}");
    for photo in &compared {
        let mean = photo["mean"].as_f64().unwrap();
        assert!(mean < 2.0, "mean ΔE {mean:.2} against Little CMS: {photo}");
    }
}

#[test]
fn check_reports_ink_per_page_and_refuses_colours_over_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let repo = common::repo();
    let check = |extra: &[&str], cwd: &Path| {
        let mut args = vec!["--json"];
        args.extend(extra);
        let output = on_example("check", &args, cwd);
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        (output.status.code(), json)
    };
    let (code, json) = check(&["--pdf-standard", "x-1a"], dir.path());
    assert_eq!(code, Some(0), "{json}");
    let ink = json["ink"].as_array().unwrap();
    assert_eq!(ink.len(), 2);
    for page in ink {
        let max = page["max"].as_f64().unwrap();
        assert!(max <= 240.0 && max > 150.0, "{page}");
        assert_eq!(page["limit"], 240.0);
        assert!(
            page["photos"].as_f64().is_some(),
            "photos separated: {page}"
        );
    }
    // Without PDF/X the photos stay RGB; the colours are still measured.
    let (_, json) = check(&[], dir.path());
    assert!(
        json["ink"][0]["photos"].is_null() && json["ink"][0]["colours"] == 205.0,
        "{json}"
    );
    // A template whose accent is four solid inks is over any limit.
    let layouts = dir.path().join("layouts");
    std::fs::create_dir_all(&layouts).unwrap();
    for name in ["spread.typ", "deck.typ", "theme.typ"] {
        let text = std::fs::read_to_string(repo.join("layouts").join(name)).unwrap();
        let text = text.replace("cmyk(0%, 95%, 90%, 20%)", "cmyk(100%, 100%, 100%, 100%)");
        std::fs::write(layouts.join(name), text).unwrap();
    }
    let (code, json) = check(
        &[
            "--pdf-standard",
            "x-1a",
            "--layouts",
            layouts.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(code, Some(1), "{json}");
    let errors: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e["message"].as_str().unwrap().contains("total ink 400 %")),
        "{errors:?}"
    );
}

#[test]
fn a_tighter_ink_limit_and_a_finer_screen_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "--json",
        "--pdf-standard",
        "x-1a",
        "--ink-limit",
        "200",
        "--lpi",
        "250",
    ];
    let output = on_example("check", &args, dir.path());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // 205 % of the accent red is above 200 %: an error, at the colour.
    assert_eq!(output.status.code(), Some(1), "{json}");
    assert_eq!(json["ink"][0]["limit"], 200.0);
    for page in json["ink"].as_array().unwrap() {
        assert!(page["photos"].as_f64().unwrap() <= 200.0, "{page}");
    }
    let messages: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("colour C0 M95 Y90 K20") && m.contains("above the limit of 200 %")),
        "{messages:?}"
    );
    let soft: Vec<&String> = messages
        .iter()
        .filter(|m| m.contains("the 250 lpi screen (375 ppi)"))
        .collect();
    assert!(!soft.is_empty(), "{messages:?}");
}

#[test]
fn an_output_profile_must_be_a_cmyk_profile() {
    let dir = tempfile::tempdir().unwrap();
    let srgb = dir.path().join("srgb.icc");
    python(
        "import sys\nfrom PIL import ImageCms\nopen(sys.argv[1], 'wb').write(ImageCms.ImageCmsProfile(ImageCms.createProfile('sRGB')).tobytes())",
        &[srgb.to_str().unwrap()],
    );
    let args = [
        "-o",
        "x.pdf",
        "--pdf-standard",
        "x-1a",
        "--output-profile",
        srgb.to_str().unwrap(),
    ];
    let output = on_example("render", &args, dir.path());
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("not CMYK"), "{}", stderr(&output));
    assert!(!dir.path().join("x.pdf").exists());
}
