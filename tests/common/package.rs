//! Reading a PPTX package back in tests: its parts, relationships and
//! content types, checked against what PowerPoint requires.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every part of the package by name, in zip order.
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            (file.name().unwrap().to_string(), data)
        })
        .collect()
}

/// Attributes of every `<name …>` tag in `xml` (no entity decoding needed here).
pub fn tags(xml: &str, name: &str) -> Vec<BTreeMap<String, String>> {
    xml.split('<')
        .filter_map(|chunk| {
            let rest = chunk.strip_prefix(name)?;
            if !rest.starts_with([' ', '/', '>']) {
                return None;
            }
            let body = &rest[..rest.find('>').unwrap()];
            let mut attrs = BTreeMap::new();
            let mut body = body.trim_start();
            while let Some(eq) = body.find("=\"") {
                let key = body[..eq].trim().to_string();
                let value_end = body[eq + 2..].find('"').unwrap();
                attrs.insert(key, body[eq + 2..eq + 2 + value_end].to_string());
                body = &body[eq + 3 + value_end..];
            }
            Some(attrs)
        })
        .collect()
}

/// The part a relationships part belongs to (`""` for the package).
pub fn rels_source(rels: &str) -> String {
    let (dir, file) = rels.rsplit_once("_rels/").unwrap();
    format!("{dir}{}", file.strip_suffix(".rels").unwrap())
}

/// Resolves `target` against the folder of part `source`.
pub fn resolve(source: &str, target: &str) -> String {
    let mut path: Vec<&str> = match target.strip_prefix('/') {
        Some(_) => Vec::new(),
        None => source.split('/').collect(),
    };
    path.pop();
    for segment in target.trim_start_matches('/').split('/') {
        match segment {
            ".." => {
                path.pop();
            }
            "." | "" => {}
            s => path.push(s),
        }
    }
    path.join("/")
}

/// (type suffix, resolved target) of every relationship of `source`.
pub fn relationships(parts: &BTreeMap<String, Vec<u8>>, source: &str) -> Vec<(String, String)> {
    let rels_name = match source.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{source}.rels"),
    };
    let Some(xml) = parts.get(&rels_name) else {
        return Vec::new();
    };
    tags(std::str::from_utf8(xml).unwrap(), "Relationship")
        .into_iter()
        .map(|r| {
            let kind = r["Type"].rsplit('/').next().unwrap().to_string();
            (kind, resolve(source, &r["Target"]))
        })
        .collect()
}

/// Checks what every package must satisfy and returns its parts by name:
/// content types first, a content type for every part, every relationship
/// resolving, every part reached.
pub fn check_package(bytes: &[u8]) -> (BTreeMap<String, Vec<u8>>, BTreeMap<String, String>) {
    let entries = unzip(bytes);
    assert_eq!(
        entries[0].0, "[Content_Types].xml",
        "content types come first"
    );
    let parts: BTreeMap<String, Vec<u8>> = entries.into_iter().collect();

    // Every part has a content type; every override names a part.
    let types = std::str::from_utf8(&parts["[Content_Types].xml"]).unwrap();
    let defaults: BTreeMap<String, String> = tags(types, "Default")
        .into_iter()
        .map(|d| (d["Extension"].to_lowercase(), d["ContentType"].clone()))
        .collect();
    let overrides: BTreeMap<String, String> = tags(types, "Override")
        .into_iter()
        .map(|o| {
            (
                o["PartName"].trim_start_matches('/').to_string(),
                o["ContentType"].clone(),
            )
        })
        .collect();
    assert_eq!(defaults["jpeg"], "image/jpeg");
    for name in overrides.keys() {
        assert!(parts.contains_key(name), "override for missing part {name}");
    }
    for name in parts.keys().filter(|n| *n != "[Content_Types].xml") {
        let ext = name.rsplit('.').next().unwrap().to_lowercase();
        assert!(
            overrides.contains_key(name) || defaults.contains_key(&ext),
            "{name} has no content type"
        );
    }

    // Every relationship resolves; every part but the rels is reached.
    let mut reached = BTreeSet::new();
    for rels_name in parts.keys().filter(|n| n.ends_with(".rels")) {
        let source = rels_source(rels_name);
        assert!(
            source.is_empty() || parts.contains_key(&source),
            "{rels_name} belongs to no part"
        );
        let xml = std::str::from_utf8(&parts[rels_name]).unwrap();
        let ids: Vec<_> = tags(xml, "Relationship")
            .into_iter()
            .map(|r| r["Id"].clone())
            .collect();
        assert_eq!(
            ids.iter().collect::<BTreeSet<_>>().len(),
            ids.len(),
            "{rels_name}: duplicate ids"
        );
        for (kind, target) in relationships(&parts, &source) {
            assert!(
                parts.contains_key(&target),
                "{rels_name}: {kind} -> missing {target}"
            );
            reached.insert(target);
        }
    }
    for name in parts.keys() {
        if name != "[Content_Types].xml" && !name.ends_with(".rels") {
            assert!(
                reached.contains(name),
                "{name} is not the target of any relationship"
            );
        }
    }

    (parts, overrides)
}

/// python-pptx prints every paragraph bullet of the PPTX at `argv[1]`:
/// `bullet SLIDE [char, marL, indent, size %, face, colour, text]`.
pub const READ_BULLETS: &str = r#"
import json, sys
import pptx
from pptx.oxml.ns import qn
deck = pptx.Presentation(sys.argv[1])
for number, slide in enumerate(deck.slides, 1):
    for shape in slide.shapes:
        if not shape.has_text_frame:
            continue
        for p in shape.text_frame.paragraphs:
            ppr = p._p.pPr
            char = ppr.find(qn("a:buChar")) if ppr is not None else None
            if char is None:
                continue
            size = ppr.find(qn("a:buSzPct")).get("val")
            face = ppr.find(qn("a:buFont")).get("typeface")
            color = ppr.find(qn("a:buClr"))[0].get("val")
            print("bullet", number, json.dumps([char.get("char"), ppr.get("marL"), ppr.get("indent"),
                  size, face, color, p.text], ensure_ascii=False))
"#;

/// Python: `decode(eot)` turns an EOT font part into the font file, with
/// libeot (the decoder LibreOffice uses; it comes with LibreOffice).
pub const DECODE_EOT: &str = r#"
import ctypes, io, json, re, sys, zipfile

libeot = ctypes.CDLL("libeot.so.0")
libeot.EOT2ttf_buffer.argtypes = [ctypes.c_char_p, ctypes.c_uint, ctypes.c_void_p,
    ctypes.POINTER(ctypes.POINTER(ctypes.c_uint8)), ctypes.POINTER(ctypes.c_uint)]

def decode(eot):
    meta = ctypes.create_string_buffer(4096)
    out, size = ctypes.POINTER(ctypes.c_uint8)(), ctypes.c_uint()
    error = libeot.EOT2ttf_buffer(eot, len(eot), meta, ctypes.byref(out), ctypes.byref(size))
    assert error == 0, f"libeot cannot decode the part: error {error}"
    return ctypes.string_at(out, size.value)
"#;

/// Python (after [`DECODE_EOT`]): writes each embedded face of the PPTX at
/// `argv[1]` as a font file into the folder `argv[2]`.
pub const WRITE_EMBEDDED_FONTS: &str = r#"
import os
package = zipfile.ZipFile(sys.argv[1])
for name in package.namelist():
    if name.endswith(".fntdata"):
        base = os.path.basename(name)[: -len(".fntdata")]
        with open(os.path.join(sys.argv[2], base + ".ttf"), "wb") as out:
            out.write(decode(package.read(name)))
"#;

/// Python (after [`DECODE_EOT`]): reads a PPTX's embedded faces back and prints, as JSON lines:
/// `face [typeface, style, family in the font, glyf?, CFF?, glyphs]` for
/// each face (its EOT part decoded by libeot, the decoder LibreOffice uses,
/// and the font parsed by fontTools), then `missing {place: characters}`:
/// every character of a run, bullet or speaker note that the embedded face
/// it is set in does not map. Notes are set in the theme's body face.
pub const READ_EMBEDDED_FONTS: &str = r#"
from fontTools.ttLib import TTFont
import pptx
from pptx.oxml.ns import qn

path = sys.argv[1]
package = zipfile.ZipFile(path)
presentation = package.read("ppt/presentation.xml").decode()
targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"',
                          package.read("ppt/_rels/presentation.xml.rels").decode()))
faces = {}
for typeface, body in re.findall(
        r'<p:embeddedFont><p:font typeface="([^"]+)"[^>]*/>(.*?)</p:embeddedFont>', presentation):
    for style, rid in re.findall(r'<p:(regular|bold) r:id="(rId\d+)"/>', body):
        font = TTFont(io.BytesIO(decode(package.read("ppt/" + targets[rid]))))
        faces[(typeface, style == "bold")] = font.getBestCmap()
        print("face", json.dumps([typeface, style, font["name"].getDebugName(1), "glyf" in font,
                                  "CFF " in font, len(font.getGlyphOrder())], ensure_ascii=False))
theme = package.read("ppt/theme/theme1.xml").decode()
notes_face = re.search(r'<a:minorFont>.*?<a:ea typeface="([^"]+)"', theme).group(1)
missing = {}
def check(place, typeface, bold, text):
    cmap = faces.get((typeface, bold), {})
    lacking = {c for c in text if not c.isspace() and ord(c) not in cmap}
    if lacking:
        missing.setdefault(f"{place} {typeface}", set()).update(lacking)
deck = pptx.Presentation(path)
for number, slide in enumerate(deck.slides, 1):
    for shape in slide.shapes:
        if not shape.has_text_frame:
            continue
        for p in shape.text_frame.paragraphs:
            for run in p.runs:
                typeface = run._r.rPr.find(qn("a:ea")).get("typeface")
                check(f"slide {number}", typeface, bool(run.font.bold), run.text)
            bullet = p._p.pPr.find(qn("a:buChar")) if p._p.pPr is not None else None
            if bullet is not None:
                typeface = p._p.pPr.find(qn("a:buFont")).get("typeface")
                check(f"slide {number} bullet", typeface, False, bullet.get("char"))
    if slide.has_notes_slide:
        check(f"notes {number}", notes_face, False, slide.notes_slide.notes_text_frame.text)
print("missing", json.dumps({k: "".join(sorted(v)) for k, v in missing.items()}, ensure_ascii=False))
"#;

/// A PPTX's embedded faces read back by [`READ_EMBEDDED_FONTS`] (after
/// [`DECODE_EOT`]).
pub struct EmbeddedFaces {
    /// Each face: `[typeface, style, family in the font, glyf?, CFF?, glyphs]`.
    pub faces: Vec<serde_json::Value>,
    /// The characters the faces lack, by place, as JSON (`{}` for none).
    pub missing: String,
    /// All the script printed.
    pub output: String,
}

/// Reads the embedded faces of the PPTX at `pptx` back.
pub fn embedded_faces(pptx: &Path) -> EmbeddedFaces {
    let output = python(&[DECODE_EOT, READ_EMBEDDED_FONTS].concat(), pptx);
    let faces = output
        .lines()
        .filter_map(|l| l.strip_prefix("face "))
        .map(|json| serde_json::from_str(json).unwrap())
        .collect();
    let missing = output
        .lines()
        .find_map(|l| l.strip_prefix("missing "))
        .unwrap_or_else(|| panic!("the readback lists what is missing:\n{output}"))
        .to_string();
    EmbeddedFaces {
        faces,
        missing,
        output,
    }
}

/// Runs a Python script with `path` as its argument and returns what it
/// printed (python-pptx and lxml come from PyPI, installed by `.ci/run`).
pub fn python(script: &str, path: &Path) -> String {
    python_with(script, &[path])
}

/// Runs a Python script with `args` and returns what it printed.
pub fn python_with(script: &str, args: &[&Path]) -> String {
    let out = Command::new("python3")
        .args(["-c", script])
        .args(args)
        .env("PYTHONIOENCODING", "utf-8")
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "python failed (.ci/run installs python-pptx, lxml and fonttools):\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Converts `pptxs` to PDF in `out` with LibreOffice (headless, a fresh
/// profile and HOME) and returns the PDFs. With `fonts`, it sees the fonts
/// of that folder only: fontconfig reads a configuration naming just it,
/// so neither the system's fonts nor `~/.fonts` are seen; with `None`, the
/// system's.
pub fn libreoffice(fonts: Option<&Path>, pptxs: &[PathBuf], out: &Path) -> Vec<PathBuf> {
    let home = tempfile::tempdir().unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        home.path().display()
    );
    let mut soffice = Command::new("timeout");
    soffice
        .args([
            "300",
            "soffice",
            &profile,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(out)
        .args(pptxs)
        .env("HOME", home.path());
    if let Some(fonts) = fonts {
        let config = home.path().join("fonts.conf");
        let cache = home.path().join("fc-cache");
        std::fs::write(
            &config,
            format!(
                r#"<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>{}</dir><cachedir>{}</cachedir></fontconfig>"#,
                fonts.display(),
                cache.display()
            ),
        )
        .unwrap();
        soffice.env("FONTCONFIG_FILE", &config);
    }
    let status = soffice
        .status()
        .expect("soffice runs (.ci/run installs libreoffice-impress)");
    assert!(status.success(), "soffice failed: {status}");
    pptxs
        .iter()
        .map(|p| out.join(p.with_extension("pdf").file_name().unwrap()))
        .collect()
}

/// Converts a PPTX to PDF with LibreOffice (headless, the system's fonts)
/// and returns the PDF's text without white space.
pub fn libreoffice_text(pptx: &Path) -> String {
    let dir = tempfile::tempdir().unwrap();
    let pdfs = libreoffice(None, &[pptx.to_path_buf()], dir.path());
    super::pdf_text(&pdfs[0])
}

/// Validates a PPTX against the OOXML schemas and what PowerPoint rejects,
/// with `openxml-audit` (PyPI, installed by `.ci/run`).
pub fn openxml_audit(path: &Path) {
    for format in ["office2007", "microsoft365"] {
        let out = Command::new("openxml-audit")
            .args([
                "--policy",
                "strict",
                "--max-errors",
                "0",
                "--format",
                format,
            ])
            .arg(path)
            .output()
            .expect("openxml-audit runs (.ci/run installs it from PyPI)");
        let report = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{format}: {report}");
        assert!(report.contains("Errors: 0"), "{format}: {report}");
    }
}
