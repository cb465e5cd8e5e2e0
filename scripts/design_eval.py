#!/usr/bin/env python3
"""Lay out report shapes and judge where their white space went.

    python3 scripts/design_eval.py --seed 11 --count 20 [--pages single] [--keep DIR]
    python3 scripts/design_eval.py --report a/report.toml --report b/report.toml

Each report is checked (`banmian check --json`) and rendered, its pages
measured by their pixels (scripts/blank_measure.py), and given a verdict:
- `overset`: the copy does not fit, and check names the cut;
- `full`: no white space of 3 lines or more but the designed spacing, and
  at most 3 % of the body blank;
- `open`: the white space that remains is one open area at a page's foot,
  the rest full;
- `one-page`: the copy fits one page of a spread: it is set on the first,
  itself full or with one open area at its foot, and the second page is
  left blank (for a full-page ad) and `check` says so and suggests
  `--pages single`. Counted as good, but tallied apart;
- `FAIL`, with why: a gap stranded mid-page, more than one open area, or
  the pixels disagreeing with the composer by more than 2 % of the body.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import blank_measure  # noqa: E402


def binary():
    target = os.environ.get("CARGO_TARGET_DIR", str(REPO / "target"))
    return str(Path(target) / "debug" / "banmian")


def verdict(layout, pixels, findings):
    errors = [f for f in findings if f["severity"] == "error"]
    if errors:
        if any("does not fit" in e["message"] for e in errors):
            return "overset", ""
        return "FAIL", "error: " + errors[0]["message"]
    gaps = [b for b in layout["blank"] if b["kind"] != "open"]
    opens = layout["open"]
    why = []
    # White space a reader sees beyond the designed spacing: 3 lines or
    # more of empty cells (the strips' gap and feathering are spacing).
    stranded = [h for h in layout["holes"] if h["depth"] >= 3
                and not any(inside(h, o) for o in opens)]
    if stranded:
        h = stranded[0]
        why.append(f"gap of {h['depth']} lines on page {h['page']} at lines {h['lines']}")
    band = [b for b in gaps if b["kind"] == "band" and b["depth"] >= 3]
    if band:
        why.append(f"band gap of {band[0]['depth']} lines")
    blank_pages = [o for o in opens if o["lines"][0] == 1
                   and o["columns"] == [1, layout["columns"]]
                   and any(f"page {o['page']} is blank" in f["message"] for f in findings)]
    if len(opens) > 1 and not (len(opens) == 2 and len(blank_pages) == 1):
        why.append(f"{len(opens)} open areas")
    rest = sum(b["share"] for b in layout["blank"] if b["kind"] != "open")
    if rest > 0.03 + 1e-9:
        why.append(f"{rest:.1%} blank beyond the open area")
    if abs(pixels["share"] - layout["blank_share"]) > 0.02:
        why.append(f"pixels {pixels['share']:.1%} vs composer {layout['blank_share']:.1%}")
    if why:
        return "FAIL", "; ".join(why)
    if len(opens) == 2:
        return "one-page", ""
    return ("open" if opens else "full"), ""


def inside(hole, area):
    """Whether a hole is (part of) an open area: it overlaps it."""
    return (hole["page"] == area["page"]
            and area["columns"][0] <= hole["columns"][1] and hole["columns"][0] <= area["columns"][1]
            and area["lines"][0] <= hole["lines"][1] and hole["lines"][0] <= area["lines"][1])


def judge(report, root, extra, keep):
    out = Path(keep) if keep else Path(tempfile.mkdtemp())
    name = report.parent.name
    pdf = out / f"{name}.pdf"
    check = subprocess.run([binary(), "check", "--json", str(report), "--root", str(root), *extra],
                           capture_output=True, text=True)
    answer = json.loads(check.stdout)
    layout = answer.get("layout")
    if layout is None:
        return name, "FAIL", "no layout: " + "; ".join(f["message"] for f in answer["findings"][:2]), None
    render = subprocess.run([binary(), "render", str(report), "--root", str(root), "-o", str(pdf),
                             "--allow-overset", "--quiet", *extra], capture_output=True, text=True)
    if render.returncode != 0:
        return name, "FAIL", "render: " + render.stderr.strip()[:200], layout
    pixels = blank_measure.measure(str(pdf), layout, 72)
    v, why = verdict(layout, pixels, answer["findings"])
    layout["pixels"] = pixels["share"]
    return name, v, why, layout


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--shape", action="append")
    parser.add_argument("--report", action="append", type=Path)
    parser.add_argument("--pages", default="spread")
    parser.add_argument("--paper", default="broadsheet")
    parser.add_argument("--keep")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--placeholders", action="store_true",
                        help="stand-ins for missing photos (imported articles)")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp())
    work.mkdir(parents=True, exist_ok=True)
    if args.report:
        reports, root = args.report, Path("/")
    else:
        cmd = [sys.executable, str(REPO / "scripts/gen_shapes.py"), "--out", str(work / "shapes")]
        cmd += [a for s in (args.shape or []) for a in ("--shape", s)] or ["--seed", str(args.seed), "--count", str(args.count)]
        made = subprocess.run(cmd, capture_output=True, text=True, check=True)
        reports, root = [Path(p) for p in made.stdout.split()], work / "shapes"
    extra = ["--pages", args.pages, "--paper", args.paper]
    if args.placeholders:
        extra.append("--placeholders")
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda r: judge(r, root, extra, args.keep), reports))
    tally = {}
    for name, v, why, layout in results:
        tally[v] = tally.get(v, 0) + 1
        info = ""
        if layout:
            info = f"{layout['structure']:5} blank {layout['blank_share']:.3f} px {layout.get('pixels', 0):.3f} open {len(layout['open'])}"
        print(f"{name:24} {v:8} {info}  {why}")
    good = sum(n for v, n in tally.items() if v != "FAIL")
    print(f"{good} of {len(results)} good: {tally}")


if __name__ == "__main__":
    main()
