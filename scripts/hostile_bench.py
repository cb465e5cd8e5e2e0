#!/usr/bin/env python3
"""Benchmark: hostile reports and drafts, answered within bounds.

This is a benchmark, not a test. The goal (issue 19): any report up to
50 MB is answered (`check`, `render`, `deck`) within 10 s and 1 GB, and a
hostile draft of 20,000 short lines is imported in under 2 s. In one run
it makes each hostile input once and runs, side by side, this build and a
base build (`--base BIN`, default the shared build of main in
/var/tmp/banmian-target; runs of the base are cut off at `--limit`
seconds), each a fresh process, recording wall time and peak RSS (from
wait4). Shapes, each about `--mb` MB (default 50):

  lede        one lede of a million characters and more (a paste gone wrong)
  section     one section's text
  title       the headline
  quote       the quote box
  row         one data box row
  rows        data box rows by the hundred thousand
  figures     key figures by the hundred thousand
  sections    short sections by the hundred thousand
  chart       one chart of a million bars
  empty       sections with empty headings: a problem each
  glyphs      sections each with a character no font has
  photos      photos by the ten thousand, all missing
  json, yaml  the lede shape as JSON and YAML
  deep        JSON nested 100,000 deep

and the import draft `captions`: 20,000 short lines, each a possible
caption. Verdicts are PASS/FAIL against the goals; the exit status is
non-zero only if this build fails one.

    python3 scripts/hostile_bench.py                 # cargo build first
    python3 scripts/hostile_bench.py --no-build --mb 5 --only lede,rows
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_DIR = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
BASE = "/var/tmp/banmian-target/debug/banmian"
GOAL_S, GOAL_MB, IMPORT_GOAL_S = 10.0, 1024.0, 2.0
SENTENCE = "涪陵区立足现有产业优势，推动科技创新成果应用到具体产业和产业链上。"


def q(s):
    """A TOML (and JSON) basic string."""
    return json.dumps(s, ensure_ascii=False)


def head():
    return "\n".join([
        "[masthead]", 'paper = "重庆日报"', 'date = "2024-03-05"', "pages = [6, 7]",
        "[headline]", 'title = "涪陵 加快形成新质生产力"', "",
    ])


def filler(nbytes):
    """CJK text of about `nbytes` UTF-8 bytes, as one paragraph."""
    n = nbytes // len(SENTENCE.encode()) + 1
    return SENTENCE * n


def section(heading="锻造新质生产力", text=SENTENCE):
    return f"[[sections]]\nheading = {q(heading)}\ntext = {q(text)}\n"


def toml_shape(shape, nbytes):
    """A TOML report of the shape, about `nbytes` long."""
    h = head()
    if shape == "lede":
        return h + f"[lede]\ntext = {q(filler(nbytes))}\n" + section()
    if shape == "section":
        return h + section(text=filler(nbytes))
    if shape == "title":
        return h.replace('title = "涪陵 加快形成新质生产力"', f"title = {q(filler(nbytes))}") + section()
    if shape == "quote":
        return h + section() + f"[quote]\ntext = {q(filler(nbytes))}\n"
    if shape == "row":
        return h + section() + f'[data_box]\ntitle = "目标"\nrows = [{{ label = "规模", text = {q(filler(nbytes))} }}]\n'
    if shape == "rows":
        row = '{ label = "总体规模", text = "规上工业产值突破2700亿元。" },\n'
        return h + section() + '[data_box]\ntitle = "目标"\nrows = [\n' + row * (nbytes // len(row.encode())) + "]\n"
    if shape == "figures":
        fig = '[[figures]]\nlabel = "规上工业产值"\nvalue = "2471"\nunit = "亿元"\n'
        return h + fig * (nbytes // len(fig.encode())) + section()
    if shape == "sections":
        one = section()
        return h + one * (nbytes // len(one.encode()))
    if shape == "chart":
        bar = '{ label = "材料产业", value = 1200 },\n'
        return h + section() + '[[charts]]\ntitle = "产值"\nin_spread = true\nitems = [\n' + bar * (nbytes // len(bar.encode())) + "]\n"
    if shape == "empty":
        one = section(heading="")
        return h + one * (nbytes // len(one.encode()))
    if shape == "glyphs":
        # A private-use character a section: no font has any of them.
        out, i, size = [h], 0, 0
        while size < nbytes // 3:
            out.append(section(text=SENTENCE + chr(0xE000 + i % 6400)))
            size += len(out[-1])
            i += 1
        return "".join(out)
    if shape == "photos":
        photo = '[[sections.photos]]\npath = "missing.jpg"\ncaption = "车间"\n'
        return h + section() + photo * (nbytes // len(photo.encode()))
    raise ValueError(shape)


def write_report(tmp, shape, nbytes):
    """The report file of a shape (TOML, else JSON or YAML)."""
    if shape == "json":
        report = {"masthead": {"paper": "重庆日报", "date": "2024-03-05"},
                  "headline": {"title": "涪陵"}, "lede": {"text": filler(nbytes)},
                  "sections": [{"heading": "锻造", "text": SENTENCE}]}
        path = tmp / "report.json"
        path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    elif shape == "yaml":
        path = tmp / "report.yaml"
        path.write_text(
            "masthead:\n  paper: 重庆日报\n  date: '2024-03-05'\nheadline:\n  title: 涪陵\n"
            f"lede:\n  text: {q(filler(nbytes))}\nsections:\n  - heading: 锻造\n    text: {q(SENTENCE)}\n",
            encoding="utf-8")
    elif shape == "deep":
        path = tmp / "report.json"
        path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    else:
        path = tmp / "report.toml"
        path.write_text(toml_shape(shape, nbytes), encoding="utf-8")
    return path


def captions_draft(tmp):
    """20,000 short lines, each a possible caption (no closing mark)."""
    lines = ["涪陵加快形成新质生产力", ""]
    for i in range(20_000):
        lines.append(f"华峰己二酸扩建项目生产装备{i}")
    path = tmp / "captions.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(cmd, cwd, limit):
    """Runs cmd; returns (seconds, peak RSS MB, exit code or 'killed')."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = start + limit
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            return (time.perf_counter() - start, usage.ru_maxrss / 1024, "killed")
        time.sleep(0.01)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        err = proc.stderr.read().decode(errors="replace")[-600:]
        print(f"  unexpected exit {code}: {' '.join(map(str, cmd))}\n{err}", file=sys.stderr)
    return (wall, usage.ru_maxrss / 1024, code)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--bin", default=str(Path(TARGET_DIR) / "debug" / "banmian"))
    parser.add_argument("--base", default=BASE, help="the binary to compare with ('' for none)")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds a base run may take")
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--only", default="", help="comma-separated shapes")
    args = parser.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--quiet"], cwd=ROOT, check=True)
    shapes = ["lede", "section", "title", "quote", "row", "rows", "figures", "sections",
              "chart", "empty", "glyphs", "photos", "json", "yaml", "deep", "captions"]
    if args.only:
        shapes = [s for s in shapes if s in args.only.split(",")]
    binaries = [("this build", args.bin)] + ([("base", args.base)] if args.base else [])
    nbytes = int(args.mb * 1e6)
    failed = False
    print(f"| shape | command | MB | " + " | ".join(f"{n} s | {n} peak MB" for n, _ in binaries) + " | verdict |")
    print("|---|---|---:|" + "---:|---:|" * len(binaries) + "---|")
    with tempfile.TemporaryDirectory(prefix="hostile-bench-") as tmp:
        tmp = Path(tmp)
        for shape in shapes:
            if shape == "captions":
                path = captions_draft(tmp)
                commands = [("import", lambda b: [b, "import", str(path), "-o", str(tmp / "out.toml"), "--force", "--quiet"])]
                goal = IMPORT_GOAL_S
            else:
                path = write_report(tmp, shape, nbytes)
                out = tmp / "out"
                commands = [
                    ("check", lambda b: [b, "check", str(path), "--quiet"]),
                    ("render", lambda b: [b, "render", str(path), "-o", str(out / "s.pdf"), "--deck", str(out / "d.pptx"), "--quiet"]),
                ]
                goal = GOAL_S
            size = path.stat().st_size / 1e6
            for name, command in commands:
                cells = []
                for label, binary in binaries:
                    limit = args.limit if label == "base" else max(args.limit, 4 * goal)
                    wall, rss, code = run(command(binary), tmp, limit)
                    shown = f">{limit:.0f}" if code == "killed" else f"{wall:.2f}"
                    cells.append(f"{shown} | {rss:.0f}")
                    if label == "this build":
                        ok = code != "killed" and wall < goal and rss < GOAL_MB
                        failed |= not ok
                        verdict = "PASS" if ok else "FAIL"
                print(f"| {shape} | {name} | {size:.1f} | " + " | ".join(cells) + f" | {verdict} |", flush=True)
            path.unlink()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
