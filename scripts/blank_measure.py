#!/usr/bin/env python3
"""Measure a spread's white space from its pixels, independently of the
composer's bookkeeping.

    python3 scripts/blank_measure.py OUT.pdf LAYOUT.json [--json] [--dpi 72]

LAYOUT.json is the `layout` object of `banmian check --json` (or the whole
answer): only its `grid` (where the grid stands on the page, in points) and
`lines` (body lines per page) are read, to know which part of the page is
the body. The pages are rasterised with poppler's pdftoppm; a cell (a
column by a body line) is blank when every pixel in it is paper: white, or
the theme's tint (boxes filled with it are blank where nothing is printed
on them). Runs of 3 blank lines or more in a column are white space a
reader sees; the script prints their share of the body's cells, per page
and in all, and the runs of 6 lines or more.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageChops

# The theme's tint, cmyk(0%, 4%, 8%, 0%), as poppler draws it.
TINT = (255, 245, 235)
SEEN = 3


def ink_mask(img):
    """A mask of the pixels that are not paper (white or the tint)."""
    r, g, b = img.split()
    # min(r, g, b) >= 250 is white; the tint is within 5 of each channel.
    lo = [r.point(lambda v: 255 if v >= 250 else 0), g.point(lambda v: 255 if v >= 250 else 0),
          b.point(lambda v: 255 if v >= 250 else 0)]
    white = ImageChops.multiply(ImageChops.multiply(lo[0], lo[1]), lo[2])
    near = [band.point(lambda v, t=t: 255 if abs(v - t) <= 5 else 0) for band, t in zip((r, g, b), TINT)]
    tint = ImageChops.multiply(ImageChops.multiply(near[0], near[1]), near[2])
    paper = ImageChops.lighter(white, tint)
    return ImageChops.invert(paper)


def trim_origin(pdf):
    """Each page's TrimBox lower-left and the MediaBox height, in points."""
    out = subprocess.run(["pdfinfo", "-box", "-f", "1", "-l", "99", pdf],
                         capture_output=True, text=True, check=True).stdout
    pages = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 7 and parts[0] == "Page" and parts[2] in ("MediaBox:", "TrimBox:"):
            pages.setdefault(int(parts[1]), {})[parts[2]] = [float(v) for v in parts[3:7]]
    return pages


def column_runs(img, scale, left, top, grid, lines):
    """For each column, the blank flags of its lines (top to bottom)."""
    col, gutter, pitch = grid["col"], grid["gutter"], grid["pitch"]
    cols = []
    width = img.width
    inset = 2.0
    for c in range(grid_cols(grid)):
        x0 = left + c * (col + gutter) + inset
        x1 = left + c * (col + gutter) + col - inset
        flags = []
        for l in range(lines):
            y0 = top + l * pitch
            y1 = y0 + pitch
            px0, px1 = int(x0 * scale), min(width, int(x1 * scale))
            py0, py1 = int(y0 * scale), min(img.height, int(y1 * scale))
            flags.append(img.crop((px0, py0, px1, py1)).getbbox() is None)
        cols.append(flags)
    return cols


def grid_cols(grid):
    return grid["columns"]


def runs(flags, least):
    """(start, length) of each run of True at least `least` long."""
    out, start = [], None
    for i, f in enumerate(flags + [False]):
        if f and start is None:
            start = i
        elif not f and start is not None:
            if i - start >= least:
                out.append((start, i - start))
            start = None
    return out


def measure(pdf, layout, dpi):
    grid = dict(layout["grid"])
    grid["columns"] = layout["columns"]
    boxes = trim_origin(pdf)
    scale = dpi / 72.0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", pdf, f"{tmp}/p"], check=True)
        files = sorted(Path(tmp).glob("p-*.png"))
        images = [ink_mask(Image.open(f).convert("RGB")) for f in files]
    result = {"pages": [], "cells": 0, "blank": 0, "runs6": [], "runs": []}
    regions = []  # (page index, top in type-area points, lines)
    for p, lines in enumerate(layout["lines"]):
        regions.append((p, grid["body_top"], lines, "body"))
    side = grid.get("side")
    if side:
        regions.append((side["page"] - 1, side["top"], side["lines"], "band"))
    for p, top, lines, kind in regions:
        img = images[p]
        box = boxes[p + 1]
        media_h = box["MediaBox:"][3]
        trim = box["TrimBox:"]
        # From the raster's top-left: the trim's left and top edges.
        left = trim[0] + grid["margin"][0]
        top_edge = (media_h - trim[3]) + grid["margin"][1] + top
        cols = column_runs(img, scale, left, top_edge, grid, lines)
        result.setdefault("maps", []).append((p + 1, kind, cols))
        blank = sum(n for flags in cols for _, n in runs(flags, SEEN))
        cells = lines * len(cols)
        result["pages"].append({"page": p + 1, "kind": kind, "cells": cells, "blank": blank})
        result["cells"] += cells
        result["blank"] += blank
        for c, flags in enumerate(cols):
            for start, n in runs(flags, SEEN):
                result["runs"].append({"page": p + 1, "kind": kind, "column": c + 1,
                                       "lines": [start + 1, start + n]})
            for start, n in runs(flags, 6):
                result["runs6"].append({"page": p + 1, "kind": kind, "column": c + 1,
                                        "lines": [start + 1, start + n]})
    result["share"] = result["blank"] / max(1, result["cells"])
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pdf")
    parser.add_argument("layout")
    parser.add_argument("--dpi", type=int, default=72)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--map", action="store_true", help="print each page's cells: # ink, . blank")
    args = parser.parse_args()
    layout = json.loads(Path(args.layout).read_text(encoding="utf-8"))
    layout = layout.get("layout", layout)
    if not layout:
        sys.exit("no layout in the check's answer")
    result = measure(args.pdf, layout, args.dpi)
    if args.map:
        for page, kind, cols in result["maps"]:
            print(f"page {page} {kind}")
            for l in range(len(cols[0]) if cols else 0):
                print(f"{l + 1:3} " + "".join("." if col[l] else "#" for col in cols))
    result.pop("maps", None)
    if args.json:
        print(json.dumps(result))
    else:
        for page in result["pages"]:
            print(f"page {page['page']} {page['kind']}: {page['blank']} of {page['cells']} cells blank")
        print(f"blank share {result['share']:.3f}; runs of 6 lines or more: {len(result['runs6'])}")


if __name__ == "__main__":
    main()
