//! Fidelity of the PPTX to the deck PDF, by pixels: LibreOffice (headless)
//! converts the seed's PPTX to PDF seeing only the faces we choose, both
//! PDFs are rasterised at one pixel a point, and every slide is compared.
//!
//! Two renderers never agree to the pixel: LibreOffice spaces Han next to
//! `+` and quotes, so a line may break one character earlier than in
//! Typst's PDF. So each slide gets two bounds, on pixels that differ after
//! a 3 pt shift tolerance:
//!
//! - outside the text boxes (grown by 2 pt): at most [`SPILL`] of the
//!   slide. Nothing is drawn there but pictures and shapes, so a picture out
//!   of place or text overflowing its box breaks it;
//! - inside the text boxes: at most [`TEXT`] of the slide, above the
//!   renderers' own differences (at most 0.6 % on the seed and on six
//!   other report shapes tried, a re-broken quote) and below what missing
//!   glyphs do: without the body face, the slides set most in it differ by
//!   2.5 % and 2.8 % (slides set less in it, by 0.6 %: the bound is broken
//!   where a face's glyphs are missing in bulk).
//!
//! A single missing glyph is as large as a line that breaks one character
//! earlier, so no pixel bound can tell them apart; the readback test in
//! `tests/deck.rs` checks every character against the embedded faces.
//!
//! Each bound is broken once on purpose below. Diff images of failing
//! slides are saved under the test's temporary folder and named in the
//! failure message.

use crate::common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use common::package::{DECODE_EOT, WRITE_EMBEDDED_FONTS, libreoffice, python_with, tags};
use common::{copy_into, shared_seed_deck, tool};
use image::{GrayImage, Rgb, RgbImage};

/// Differing pixels allowed outside the text boxes, as a share of the slide.
const SPILL: f64 = 0.0005;
/// Differing pixels allowed inside the text boxes, as a share of the slide.
const TEXT: f64 = 0.01;
/// How far (pixels = points) a pixel may move and still match.
const SHIFT: u32 = 3;
/// How much darker or lighter (of 255) a pixel must be to differ.
const THRESHOLD: u8 = 80;

/// A rectangle in points: x, y, width, height.
type Frame = [f64; 4];

/// What differs on one slide.
struct SlideDiff {
    /// Differing pixels inside the text boxes.
    text: usize,
    /// Differing pixels outside them.
    spill: usize,
    /// The Typst slide in grey with the differing pixels in red.
    image: RgbImage,
}

impl SlideDiff {
    fn fails(&self, pixels: usize) -> bool {
        self.text as f64 > TEXT * pixels as f64 || self.spill as f64 > SPILL * pixels as f64
    }
}

/// Every slide of a PDF in grey at one pixel a point (960 × 540).
fn slides(pdf: &Path) -> Vec<GrayImage> {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("slide");
    // LibreOffice's pages are 960.01 pt wide (it keeps hundredths of a
    // millimetre): both are scaled to the same pixels.
    let size = ["-scale-to-x", "960", "-scale-to-y", "540", "-gray", "-png"];
    let files = [pdf.to_str().unwrap(), prefix.to_str().unwrap()];
    tool("pdftoppm", &[&size[..], &files[..]].concat());
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| image::open(f).unwrap().to_luma8())
        .collect()
}

/// The frames of every text box, slide by slide, from the PPTX.
fn text_frames(pptx: &Path) -> Vec<Vec<Frame>> {
    let parts: std::collections::BTreeMap<String, Vec<u8>> =
        common::package::unzip(&std::fs::read(pptx).unwrap())
            .into_iter()
            .collect();
    let pt = |emu: &str| emu.parse::<f64>().unwrap() / 12_700.0;
    (1..)
        .map_while(|n| parts.get(&format!("ppt/slides/slide{n}.xml")))
        .map(|xml| {
            std::str::from_utf8(xml)
                .unwrap()
                .split("<p:sp>")
                .filter(|shape| shape.contains(r#"txBox="1""#))
                .map(|shape| {
                    let (off, ext) = (&tags(shape, "a:off")[0], &tags(shape, "a:ext")[0]);
                    [pt(&off["x"]), pt(&off["y"]), pt(&ext["cx"]), pt(&ext["cy"])]
                })
                .collect()
        })
        .collect()
}

/// The darkest and lightest value within `SHIFT` pixels of each pixel.
fn neighbourhood(image: &GrayImage) -> (GrayImage, GrayImage) {
    let (w, h) = image.dimensions();
    let mut low = GrayImage::new(w, h);
    let mut high = GrayImage::new(w, h);
    for y in 0..h {
        for x in 0..w {
            let (mut lo, mut hi) = (u8::MAX, u8::MIN);
            for yy in y.saturating_sub(SHIFT)..(y + SHIFT + 1).min(h) {
                for xx in x.saturating_sub(SHIFT)..(x + SHIFT + 1).min(w) {
                    let v = image.get_pixel(xx, yy).0[0];
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
            }
            low.put_pixel(x, y, [lo].into());
            high.put_pixel(x, y, [hi].into());
        }
    }
    (low, high)
}

/// Compares a slide of the deck PDF with LibreOffice's rendering: a pixel
/// differs when it is darker or lighter by more than `THRESHOLD` than every
/// pixel within `SHIFT` of it in the other rendering.
fn compare(typst: &GrayImage, office: &GrayImage, frames: &[Frame]) -> SlideDiff {
    assert_eq!(
        typst.dimensions(),
        office.dimensions(),
        "slides of one size"
    );
    let (t_low, t_high) = neighbourhood(typst);
    let (o_low, o_high) = neighbourhood(office);
    let outside = |v: u8, low: u8, high: u8| {
        v.saturating_add(THRESHOLD) < low || v > high.saturating_add(THRESHOLD)
    };
    let in_text = |x: u32, y: u32| {
        let (x, y) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
        frames.iter().any(|[fx, fy, fw, fh]| {
            x >= fx - 2.0 && x <= fx + fw + 2.0 && y >= fy - 2.0 && y <= fy + fh + 2.0
        })
    };
    let mut diff = SlideDiff {
        text: 0,
        spill: 0,
        image: RgbImage::new(typst.width(), typst.height()),
    };
    for (x, y, t) in typst.enumerate_pixels() {
        let (t, o) = (t.0[0], office.get_pixel(x, y).0[0]);
        let differs = outside(t, o_low.get_pixel(x, y).0[0], o_high.get_pixel(x, y).0[0])
            || outside(o, t_low.get_pixel(x, y).0[0], t_high.get_pixel(x, y).0[0]);
        let grey = 128 + t / 2;
        diff.image.put_pixel(
            x,
            y,
            if differs {
                Rgb([230, 0, 0])
            } else {
                Rgb([grey; 3])
            },
        );
        if differs && in_text(x, y) {
            diff.text += 1;
        } else if differs {
            diff.spill += 1;
        }
    }
    diff
}

/// Compares every slide; returns the numbers (1-based) of those beyond a
/// bound, saving their diff images as `NAME-slide-N.png` in `out`.
fn failing_slides(
    typst: &[GrayImage],
    office_pdf: &Path,
    frames: &[Vec<Frame>],
    name: &str,
) -> Vec<usize> {
    let office = slides(office_pdf);
    assert_eq!(office.len(), typst.len(), "{name}: one page a slide");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fidelity");
    std::fs::create_dir_all(&out).unwrap();
    let mut failing = Vec::new();
    for (i, (t, o)) in typst.iter().zip(&office).enumerate() {
        let diff = compare(t, o, &frames[i]);
        let pixels = (t.width() * t.height()) as usize;
        println!(
            "{name} slide {}: {} px differ in text boxes (bound {:.0}), {} outside (bound {:.0})",
            i + 1,
            diff.text,
            TEXT * pixels as f64,
            diff.spill,
            SPILL * pixels as f64
        );
        if diff.fails(pixels) {
            let file = out.join(format!("{name}-slide-{}.png", i + 1));
            diff.image.save(&file).unwrap();
            println!("  diff image: {}", file.display());
            failing.push(i + 1);
        }
    }
    failing
}

/// A copy of the PPTX at `from` with `edit` applied to the part `name`.
fn edited(from: &Path, to: &Path, name: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let entry = file.name().unwrap().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        if entry == name {
            data = edit(std::str::from_utf8(&data).unwrap()).into_bytes();
        }
        out.start_file(entry, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap();
    to.to_path_buf()
}

/// `xml` with the first `<a:off x="…">` after `marker` moved right by `pt`.
fn moved_right(xml: &str, marker: &str, pt: i64) -> String {
    let start = xml.find(marker).unwrap();
    let at = start + xml[start..].find(r#"<a:off x=""#).unwrap() + r#"<a:off x=""#.len();
    let end = at + xml[at..].find('"').unwrap();
    let x: i64 = xml[at..end].parse().unwrap();
    format!("{}{}{}", &xml[..at], x + pt * 12_700, &xml[end..])
}

/// `xml` with every font size in the shape named `name` made half as large again.
fn enlarged(xml: &str, name: &str) -> String {
    let start = xml.find(&format!(r#"name="{name}""#)).unwrap();
    let end = start + xml[start..].find("</p:sp>").unwrap();
    let shape: String = xml[start..end]
        .split(r#" sz=""#)
        .enumerate()
        .map(|(i, piece)| match i {
            0 => piece.to_string(),
            _ => {
                let digits = piece.find('"').unwrap();
                let size: u32 = piece[..digits].parse().unwrap();
                format!(r#" sz="{}{}"#, size * 3 / 2, &piece[digits..])
            }
        })
        .collect();
    format!("{}{shape}{}", &xml[..start], &xml[end..])
}

#[test]
fn the_pptx_looks_like_the_deck_pdf_with_the_bundled_faces() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, pptx) = shared_seed_deck();
    let pptx = copy_into(dir.path(), &pptx);
    let typst = slides(&pdf);
    let frames = text_frames(&pptx);
    // Broken on purpose: a picture 40 pt out of place (slide 4), and the
    // first key figure's text half as large again, so it overflows its box
    // (slide 2), as text set in a wider face would.
    let moved = edited(
        &pptx,
        &dir.path().join("moved.pptx"),
        "ppt/slides/slide4.xml",
        |x| moved_right(x, "<p:pic>", 40),
    );
    let overflowing = edited(
        &pptx,
        &dir.path().join("overflowing.pptx"),
        "ppt/slides/slide2.xml",
        |x| enlarged(x, "figure 1"),
    );
    let out = dir.path().join("bundled");
    let pdfs = libreoffice(
        Some(&common::repo().join("fonts")),
        &[pptx, moved, overflowing],
        &out,
    );
    assert_eq!(
        failing_slides(&typst, &pdfs[0], &frames, "bundled"),
        Vec::<usize>::new()
    );
    assert_eq!(
        failing_slides(&typst, &pdfs[1], &frames, "moved-picture"),
        [4]
    );
    assert_eq!(
        failing_slides(&typst, &pdfs[2], &frames, "overflowing-text"),
        [2]
    );
}

/// With only the faces embedded in the PPTX (decoded by libeot) the slides
/// still look like the PDF: the embedded subsets draw every glyph, as a
/// reader that uses embedded faces would show them. Without one of them
/// (the body face) glyphs go missing, and the bound breaks.
#[test]
fn the_pptx_looks_like_the_deck_pdf_with_only_its_embedded_faces() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, pptx) = shared_seed_deck();
    let pptx = copy_into(dir.path(), &pptx);
    let typst = slides(&pdf);
    let frames = text_frames(&pptx);
    let embedded = dir.path().join("embedded");
    std::fs::create_dir_all(&embedded).unwrap();
    let script = [DECODE_EOT, WRITE_EMBEDDED_FONTS].concat();
    python_with(&script, &[&pptx, &embedded]);
    let pdfs = libreoffice(
        Some(&embedded),
        std::slice::from_ref(&pptx),
        &dir.path().join("out"),
    );
    assert_eq!(
        failing_slides(&typst, &pdfs[0], &frames, "embedded"),
        Vec::<usize>::new()
    );

    // Broken on purpose: the body face (Noto Serif CJK SC Regular) missing.
    let without = dir.path().join("without-body-face");
    std::fs::create_dir_all(&without).unwrap();
    for entry in std::fs::read_dir(&embedded).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let face = ttf_parser::Face::parse(&data, 0).unwrap();
        let family = face
            .names()
            .into_iter()
            .find(|n| n.name_id == 4)
            .and_then(|n| n.to_string());
        if family.as_deref() != Some("Noto Serif CJK SC") {
            std::fs::write(without.join(path.file_name().unwrap()), data).unwrap();
        }
    }
    let pdfs = libreoffice(Some(&without), &[pptx], &dir.path().join("out-without"));
    let failing = failing_slides(&typst, &pdfs[0], &frames, "without-body-face");
    assert!(
        failing.contains(&4) && failing.contains(&5),
        "the points of slides 4 and 5 lose their glyphs: {failing:?}"
    );
}

/// Whether this LibreOffice uses the faces embedded in a PPTX: converted
/// seeing one Latin face (DejaVu Sans, which fontconfig needs) and no CJK
/// face, does the PDF use the deck's faces? The one Debian 12 ships (7.4)
/// does not: it draws the Chinese text as empty boxes. Either way it makes
/// one page a slide with no face but those two kinds (so a deck face in the
/// PDF can only have come from the PPTX); a LibreOffice that uses them must
/// show the slides as the PDF does.
#[test]
fn libreoffice_and_the_embedded_faces() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, pptx) = shared_seed_deck();
    let pptx = copy_into(dir.path(), &pptx);
    let latin = tool("fc-match", &["-f", "%{file}", "DejaVu Sans"]);
    let latin_dir = dir.path().join("latin");
    std::fs::create_dir_all(&latin_dir).unwrap();
    std::fs::copy(&latin, latin_dir.join("latin.ttf")).unwrap();
    let pdfs = libreoffice(
        Some(&latin_dir),
        std::slice::from_ref(&pptx),
        &dir.path().join("out"),
    );
    let fonts = tool("pdffonts", &[pdfs[0].to_str().unwrap()]);
    let version = tool("soffice", &["--version"]);
    let deck_faces = ["NotoSerif", "NotoSans", "LXGWWenKai"];
    let uses_them = deck_faces.iter().any(|face| fonts.contains(face));
    println!(
        "{}: uses the PPTX's embedded faces: {uses_them}\n{fonts}",
        version.trim()
    );
    let pages = |pdf: &Path| {
        let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
        info.lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .map(|n| n.trim().parse::<usize>().unwrap())
            .unwrap()
    };
    assert_eq!(pages(&pdfs[0]), pages(&pdf), "one page a slide");
    // pdffonts: two lines of heading, then a face a line, its name first
    // (after a subset's `ABCDEF+`).
    let names: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter_map(|line| line.split_whitespace().next())
        .map(|name| name.split_once('+').map_or(name, |(_, name)| name))
        .collect();
    assert!(!names.is_empty(), "the slides set text: {fonts}");
    for name in &names {
        assert!(
            name.starts_with("DejaVuSans") || deck_faces.iter().any(|face| name.starts_with(face)),
            "LibreOffice saw only the Latin face and the PPTX's: {name}\n{fonts}"
        );
    }
    if uses_them {
        let failing = failing_slides(
            &slides(&pdf),
            &pdfs[0],
            &text_frames(&pptx),
            "libreoffice-embedded",
        );
        assert_eq!(failing, Vec::<usize>::new());
    }
}
