#!/usr/bin/env python3
"""Build banmian's fonts/ folder from the installed Debian font packages.

Takes the Simplified Chinese (SC) face out of each Noto CJK .ttc collection
and subsets it with fontTools into a standalone .otf: every code point the SC
face maps is kept, while the glyphs it only reaches through the locale
feature `locl` (Japanese, Korean, Traditional Chinese forms), through other
non-Chinese layout features or through Unicode variation sequences (cmap
format 14) are dropped. LXGW WenKai Regular is copied as-is. Also copies the
licence files and writes fonts/README.md.

Each subset is checked against its source face (code points, glyph CIDs,
metrics, sample outlines, name table, head.modified, table list) and the
script fails loudly on any difference, on missing required characters, or
if fonts/ grows to 80 MB or more.

Output is deterministic: head.modified keeps the source value and the
pure-Python table packer is used. Run via scripts/make-fonts.sh (which
installs the prerequisites); the Serif faces take a few minutes each.
"""
import concurrent.futures
import hashlib
import os
import shutil
import string
import subprocess
import sys
import time

import fontTools
from fontTools import subset
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTCollection, TTFont
from fontTools.ttLib.tables.otBase import USE_HARFBUZZ_REPACKER

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fonts")
LIC = os.path.join(OUT, "LICENSES")

NOTO_DIR = "/usr/share/fonts/opentype/noto"
WENKAI_SRC = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"
NOTO_COPYRIGHT = "/usr/share/doc/fonts-noto-cjk/copyright"
WENKAI_COPYRIGHT = "/usr/share/doc/fonts-lxgw-wenkai/copyright"

# (source collection, wanted family name, output file)
NOTO_FACES = [
    ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", "NotoSerifCJKsc-Regular.otf"),
    ("NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC", "NotoSerifCJKsc-Bold.otf"),
    ("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", "NotoSansCJKsc-Regular.otf"),
    ("NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "NotoSansCJKsc-Bold.otf"),
]

# Layout features kept: those Chinese text uses (composition, vertical forms,
# kerning, proportional/half-width punctuation, ligatures, fractions and
# figures, mark positioning for accented Latin/pinyin). Dropped: `locl`
# (JAN/KOR/ZHT/ZHH forms), `aalt`, `calt` (Hangul spacing), `dlig`, `hist`,
# `ruby`, `fwid`/`hwid`/`pwid`, and the Hangul jamo features.
LAYOUT_FEATURES = [
    "ccmp", "liga", "vert", "vrt2", "kern", "vkrn", "halt", "vhal", "palt", "vpal",
    "mark", "frac", "sups", "subs", "numr", "dnom",
]

# No more than this many bytes in fonts/ (everything, licences included).
SIZE_LIMIT = 80_000_000

# Characters every face must cover: names in the sample pages, the usual
# Chinese punctuation, digits and basic Latin letters.
REQUIRED = ("刘玉珮龙搏马菱涛" "“”（）、。—…《》「」％"
            + string.digits + string.ascii_letters)


class BuildError(Exception):
    pass


def fail(msg):
    raise BuildError(msg)


def is_variation_selector(cp):
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def family_names(font):
    name = font["name"]
    return {str(name.getDebugName(i)) for i in (1, 16) if name.getDebugName(i)}


def face_index(ttc_path, family):
    coll = TTCollection(ttc_path, lazy=True)
    matches = [i for i, f in enumerate(coll.fonts) if family in family_names(f)]
    coll.close()
    if len(matches) != 1:
        fail(f"{ttc_path}: expected one face named {family!r}, found {len(matches)}")
    return matches[0]


def name_records(font):
    return sorted((r.platformID, r.platEncID, r.langID, r.nameID, r.toBytes())
                  for r in font["name"].names)


def unicode_subtables(font):
    """{(platformID, platEncID, format): {code point: glyph}} without format 14."""
    return {(t.platformID, t.platEncID, t.format): dict(t.cmap)
            for t in font["cmap"].tables if t.isUnicode() and t.format != 14}


def uvs_count(font):
    return sum(len(v) for t in font["cmap"].tables if t.format == 14
               for v in t.uvsDict.values())


def uvs_selectors(font):
    return sorted({vs for t in font["cmap"].tables if t.format == 14 for vs in t.uvsDict})


def layout_features(font):
    tags = set()
    for tag in ("GSUB", "GPOS"):
        if tag in font and font[tag].table.FeatureList:
            tags.update(fr.FeatureTag for fr in font[tag].table.FeatureList.FeatureRecord)
    return tags


def metrics(font, glyphs):
    out = {}
    for tag in ("hmtx", "vmtx"):
        if tag in font:
            m = font[tag].metrics
            out[tag] = {g: m[g] for g in glyphs}
    return out


def outlines(font, cmap, chars):
    gs = font.getGlyphSet()
    result = {}
    for c in chars:
        pen = RecordingPen()
        gs[cmap[ord(c)]].draw(pen)
        result[c] = pen.value
    return result


def subset_face(ttc_path, family, out_path):
    """Extract `family` from `ttc_path`, subset it and save it to `out_path`."""
    t0 = time.monotonic()
    index = face_index(ttc_path, family)
    # recalcTimestamp=False keeps head.modified; recalcBBoxes=False keeps the
    # head/hhea/vhea values as the source has them.
    font = TTFont(ttc_path, fontNumber=index, lazy=True,
                  recalcTimestamp=False, recalcBBoxes=False)
    src = {
        "tables": sorted(font.keys()),
        "glyphs": font["maxp"].numGlyphs,
        "cmap": dict(font.getBestCmap()),
        "subtables": unicode_subtables(font),
        "uvs": uvs_count(font),
        "uvs_selectors": uvs_selectors(font),
        "names": name_records(font),
        "modified": font["head"].modified,
        "features": layout_features(font),
    }
    missing = [c for c in dict.fromkeys(REQUIRED) if ord(c) not in src["cmap"]]
    if missing:
        fail(f"{ttc_path} ({family}): source lacks {''.join(missing)}")
    keep = sorted(cp for cp in src["cmap"] if not is_variation_selector(cp))
    want_cmap = {cp: src["cmap"][cp] for cp in keep}
    src["metrics"] = metrics(font, set(want_cmap.values()))
    src["outlines"] = outlines(font, src["cmap"], dict.fromkeys(REQUIRED))

    options = subset.Options(
        layout_features=LAYOUT_FEATURES,
        name_IDs=["*"],            # keep the whole name table ...
        name_languages=["*"],
        name_legacy=True,          # ... including the Macintosh records
        notdef_outline=True,
        hinting=True,              # keep CFF hints
        desubroutinize=False,
        prune_unicode_ranges=False,
        recalc_timestamp=False,
        recalc_bounds=False,
        harfbuzz_repacker=False,   # same bytes whether or not uharfbuzz is installed
    )
    if hasattr(options, "prune_codepage_ranges"):
        options.prune_codepage_ranges = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)
    font["head"].modified = src["modified"]  # subsetting must not change it
    font.cfg[USE_HARFBUZZ_REPACKER] = False
    tmp = out_path + ".tmp"
    font.save(tmp)
    font.close()

    check = TTFont(tmp, lazy=True)
    where = f"{os.path.basename(out_path)}"
    if family not in family_names(check):
        fail(f"{where}: family name mismatch: {family_names(check)}")
    if sorted(check.keys()) != src["tables"]:
        fail(f"{where}: tables differ: {src['tables']} vs {sorted(check.keys())}")
    if check["head"].modified != src["modified"]:
        fail(f"{where}: head.modified changed")
    if name_records(check) != src["names"]:
        fail(f"{where}: name table differs from the source")
    out_cmap = check.getBestCmap()
    if set(out_cmap) != set(want_cmap):
        lost = sorted(set(want_cmap) - set(out_cmap))
        extra = sorted(set(out_cmap) - set(want_cmap))
        fail(f"{where}: cmap code points differ: lost {[hex(c) for c in lost[:20]]} "
             f"({len(lost)}), extra {[hex(c) for c in extra[:20]]} ({len(extra)})")
    moved = [cp for cp in want_cmap if out_cmap[cp] != want_cmap[cp]]
    if moved:
        fail(f"{where}: {len(moved)} code points map to other glyphs (CIDs), "
             f"e.g. {[(hex(c), want_cmap[c], out_cmap[c]) for c in moved[:10]]}")
    out_subtables = unicode_subtables(check)
    for key, mapping in src["subtables"].items():
        want = {cp: g for cp, g in mapping.items() if not is_variation_selector(cp)}
        if out_subtables.get(key) != want:
            fail(f"{where}: cmap subtable {key} differs from the source's")
    if uvs_count(check):
        fail(f"{where}: variation sequences left in cmap")
    if metrics(check, set(want_cmap.values())) != src["metrics"]:
        fail(f"{where}: advance widths/heights differ from the source's")
    if outlines(check, out_cmap, dict.fromkeys(REQUIRED)) != src["outlines"]:
        fail(f"{where}: outlines of the required characters changed")
    nglyphs = check["maxp"].numGlyphs
    kept_features = layout_features(check)
    check.close()
    os.replace(tmp, out_path)
    return {
        "out": os.path.basename(out_path),
        "family": family,
        "glyphs_before": src["glyphs"],
        "glyphs_after": nglyphs,
        "codepoints_before": len(src["cmap"]),
        "codepoints_after": len(out_cmap),
        "uvs_dropped": src["uvs"],
        "uvs_selectors": src["uvs_selectors"],
        "features_dropped": sorted(src["features"] - kept_features),
        "seconds": time.monotonic() - t0,
    }


def extract_ofl(copyright_path):
    """Return the full SIL OFL 1.1 text from a Debian machine-readable copyright file."""
    paras = open(copyright_path, encoding="utf-8").read().split("\n\n")
    for p in paras:
        lines = p.split("\n")
        if lines[0].strip() in ("License: SIL-1.1", "License: OFL-1.1") and len(lines) > 5:
            body = []
            for ln in lines[1:]:
                ln = ln[1:] if ln.startswith(" ") else ln
                body.append("" if ln == "." else ln)
            text = "\n".join(body).strip("\n") + "\n"
            if "SIL OPEN FONT LICENSE Version 1.1" in text and "DISCLAIMER" in text:
                return text
    return None


def pkg_version(pkg):
    return subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", pkg], check=True, capture_output=True, text=True
    ).stdout.strip()


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def check_coverage(path):
    cmap = TTFont(path, lazy=True).getBestCmap()
    return [c for c in dict.fromkeys(REQUIRED) if ord(c) not in cmap]


def mb(n):
    return f"{n / 1e6:.1f} MB"


README = """\
# fonts/

Fonts bundled with banmian so that layouts render the same on every machine.
Generated by `scripts/make-fonts.py`; do not edit by hand — regenerate with

    scripts/make-fonts.sh

(installs the Debian packages and fontTools if missing, then runs the Python
script; subsetting the Serif faces takes a few minutes). The output is
deterministic: running it twice gives identical bytes (built with fontTools
{fonttools}; another fontTools version may give different bytes).

| File | Face | Role in the layout | Source | Size |
| --- | --- | --- | --- | --- |
| `NotoSerifCJKsc-Regular.otf` | Noto Serif CJK SC Regular | 宋体: body text | `fonts-noto-cjk` {noto} (`NotoSerifCJK-Regular.ttc`), subset | {size[NotoSerifCJKsc-Regular.otf]} |
| `NotoSerifCJKsc-Bold.otf` | Noto Serif CJK SC Bold | 宋体 bold: headlines | `fonts-noto-cjk` {noto} (`NotoSerifCJK-Bold.ttc`), subset | {size[NotoSerifCJKsc-Bold.otf]} |
| `NotoSansCJKsc-Regular.otf` | Noto Sans CJK SC Regular | 黑体: labels, figures | `fonts-noto-cjk` {noto} (`NotoSansCJK-Regular.ttc`), subset | {size[NotoSansCJKsc-Regular.otf]} |
| `NotoSansCJKsc-Bold.otf` | Noto Sans CJK SC Bold | 黑体 bold: subheads, labels | `fonts-noto-cjk` {noto} (`NotoSansCJK-Bold.ttc`), subset | {size[NotoSansCJKsc-Bold.otf]} |
| `LXGWWenKai-Regular.ttf` | LXGW WenKai Regular (霞鹜文楷) | 楷体: captions, lede box, quotes | `fonts-lxgw-wenkai` {wenkai} (copied as-is) | {size[LXGWWenKai-Regular.ttf]} |

Total size of `fonts/` (licences and this file included):
{total}. The build fails if it reaches {limit}.

## The Noto subsets

The Noto files are the Simplified Chinese face taken out of Debian's `.ttc`
collections (found by family name, not by index), subset with
`fontTools.subset` and saved as standalone OpenType/CFF fonts.

In a collection the SC face shares one set of 65,535 glyphs with the
Japanese, Korean and Traditional Chinese faces. The glyphs the SC face does
not map itself are reachable only through layout features — above all the
locale feature `locl` (Japanese, Korean, Traditional Chinese and Hong Kong
forms) — or through Unicode variation sequences (cmap format 14). The subset

- keeps **all of the SC face's own characters**: every code point of its
  cmap (formats 4 and 12) stays mapped to the same glyph (CID), with the same
  outlines, hinting and advance widths/heights;
- drops the `locl` locale alternates for Japanese, Korean and Traditional
  Chinese, the cmap format 14 variation sequences and the other layout
  features Chinese text does not use, and every glyph reachable only through
  them. Variation sequences:
  {vs_text}.
  Other features dropped:
  {dropped};
- keeps the layout features for Chinese:
  {kept};
- keeps every table (BASE, VORG, vertical metrics, …; of `cmap` only the
  empty legacy Macintosh subtable goes), the whole name table, the OS/2
  Unicode and code page ranges and the source's `head.modified`.

| File | Code points (source → kept) | Glyphs (source → kept) |
| --- | --- | --- |
{glyph_rows}

The build checks all of this against the source face (code point set, CIDs,
metrics, name table, timestamp, sample outlines) and fails on any difference.
Every face, WenKai included, is checked to cover 刘玉珮龙搏马菱涛,
“”（）、。—…《》「」％, digits and Latin letters.

## Licence

All five fonts are under the SIL Open Font License 1.1 (`LICENSES/OFL-1.1.txt`).

- Noto Serif CJK: © 2017-2022 Adobe; Noto Sans CJK: © 2014-2021 Adobe
  (as in the fonts' name tables). Debian copyright file:
  `LICENSES/noto-cjk-copyright.txt`.
- LXGW WenKai: Copyright 2021-2023 LXGW, Copyright 2020 The Klee Project
  Authors; Reserved Font Names "霞鹜" and "LXGW". Debian copyright file:
  `LICENSES/lxgw-wenkai-copyright.txt`.

The Noto subsets are a "Modified Version" in the OFL's sense (components
deleted). The OFL allows modifying and redistributing the fonts provided
that the result stays under the OFL (condition 5), each copy carries the
copyright notice and licence (condition 2: the name table, kept whole,
holds the copyright, licence description and licence URL; the full text is in
`LICENSES/`), and no Reserved Font Name is used as the primary font name
(condition 3). Noto CJK's only Reserved Font Name is "Source": its
copyright line as published with the fonts elsewhere (e.g. Google Fonts) is
"Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name
'Source'"; Debian's copyright file and the fonts' name tables name no
Reserved Font Name at all. "Noto" is not a Reserved Font Name (it is a
trademark of Google, name ID 7: "Noto is a trademark of Google Inc."), so
the family names "Noto Serif CJK SC" and "Noto Sans CJK SC" are kept
unchanged.
"""


def main():
    t0 = time.monotonic()
    os.makedirs(LIC, exist_ok=True)
    jobs = max(1, min(len(NOTO_FACES), os.cpu_count() or 1))
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(subset_face, os.path.join(NOTO_DIR, ttc), family,
                               os.path.join(OUT, out))
                   for ttc, family, out in NOTO_FACES]
        stats = [f.result() for f in futures]
    for s in stats:
        print(f"{s['out']}: {s['family']}, glyphs {s['glyphs_before']} -> {s['glyphs_after']}, "
              f"code points {s['codepoints_before']} -> {s['codepoints_after']}, "
              f"{s['uvs_dropped']} variation sequences dropped, {s['seconds']:.0f} s")

    wenkai_out = os.path.join(OUT, os.path.basename(WENKAI_SRC))
    shutil.copyfile(WENKAI_SRC, wenkai_out)
    if sha256(wenkai_out) != sha256(WENKAI_SRC):
        fail(f"{wenkai_out}: copy differs from {WENKAI_SRC}")
    print(os.path.basename(WENKAI_SRC) + ": copied as-is")

    shutil.copyfile(NOTO_COPYRIGHT, os.path.join(LIC, "noto-cjk-copyright.txt"))
    shutil.copyfile(WENKAI_COPYRIGHT, os.path.join(LIC, "lxgw-wenkai-copyright.txt"))
    ofl = extract_ofl(NOTO_COPYRIGHT) or extract_ofl(WENKAI_COPYRIGHT)
    if not ofl:
        fail("could not find the SIL OFL 1.1 text in the Debian copyright files")
    with open(os.path.join(LIC, "OFL-1.1.txt"), "w", encoding="utf-8") as f:
        f.write(ofl)

    # Coverage of every bundled face.
    fonts = sorted(n for n in os.listdir(OUT) if n.endswith((".otf", ".ttf")))
    expected = sorted([out for _, _, out in NOTO_FACES] + [os.path.basename(WENKAI_SRC)])
    if fonts != expected:
        fail(f"fonts/ holds {fonts}, expected {expected}")
    bad = []
    for name in fonts:
        missing = check_coverage(os.path.join(OUT, name))
        print(f"coverage {name}: " + ("all required chars present" if not missing
                                       else "MISSING " + "".join(missing)))
        if missing:
            bad.append(name)
    if bad:
        fail(f"required characters missing from {', '.join(bad)}")

    def sizes_and_total():
        total = 0
        for dirpath, _, files in os.walk(OUT):
            total += sum(os.path.getsize(os.path.join(dirpath, n)) for n in files)
        return {n: os.path.getsize(os.path.join(OUT, n)) for n in fonts}, total

    by_out = {s["out"]: s for s in stats}
    kept = sorted(set(LAYOUT_FEATURES) & set().union(
        *(layout_features(TTFont(os.path.join(OUT, s["out"]), lazy=True)) for s in stats)))
    dropped = sorted(set().union(*(s["features_dropped"] for s in stats)))
    glyph_rows = "\n".join(
        f"| `{out}` | {by_out[out]['codepoints_before']:,} → {by_out[out]['codepoints_after']:,} "
        f"| {by_out[out]['glyphs_before']:,} → {by_out[out]['glyphs_after']:,} |"
        for _, _, out in NOTO_FACES)

    counts = sorted({s["uvs_dropped"] for s in stats})
    selectors = sorted(set().union(*(s["uvs_selectors"] for s in stats)))
    vs_text = ("/".join(f"{c:,}" for c in counts) + " per face, selectors "
               + ", ".join(f"U+{v:04X}" for v in selectors))
    if not any(is_variation_selector(v) and v >= 0xE0100 for v in selectors):
        vs_text += ";\n  the SC faces have no ideographic variation sequences (U+E0100–E01EF)"

    readme_path = os.path.join(OUT, "README.md")

    def write_readme(sizes, total):
        text = README.format(
            noto=pkg_version("fonts-noto-cjk"),
            wenkai=pkg_version("fonts-lxgw-wenkai"),
            fonttools=fontTools.version,
            size={n: f"{mb(b)} ({b:,} bytes)" for n, b in sizes.items()},
            total=f"{mb(total)} ({total:,} bytes)",
            limit=mb(SIZE_LIMIT),
            vs_text=vs_text,
            dropped=", ".join(f"`{t}`" for t in dropped if t != "locl"),
            kept=", ".join(f"`{t}`" for t in kept),
            glyph_rows=glyph_rows,
        )
        with open(readme_path, "w", encoding="utf-8") as f:
            f.write(text)

    # The README states the total, which includes the README itself: write it
    # until the stated total is the real one.
    sizes, total = sizes_and_total()
    for _ in range(5):
        write_readme(sizes, total)
        sizes, new_total = sizes_and_total()
        if new_total == total:
            break
        total = new_total
    else:
        fail("README.md size did not settle")

    for dirpath, dirnames, files in sorted(os.walk(OUT)):
        dirnames.sort()
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            print(f"{sha256(path)}  {os.path.relpath(path, ROOT)}")
    for name in fonts:
        print(f"{name}: {sizes[name]} bytes ({mb(sizes[name])})")
    print(f"total size of fonts/: {total} bytes ({mb(total)}); limit {SIZE_LIMIT} bytes")
    print(f"done in {time.monotonic() - t0:.0f} s")
    if total >= SIZE_LIMIT:
        fail(f"fonts/ is {mb(total)}, at or over the {mb(SIZE_LIMIT)} limit")


if __name__ == "__main__":
    try:
        main()
    except BuildError as e:
        sys.exit(f"make-fonts: ERROR: {e}")
