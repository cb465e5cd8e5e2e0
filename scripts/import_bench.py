#!/usr/bin/env python3
"""Benchmark: `banmian import` on texts of growing length.

This is a benchmark, not a test. In one run it measures, side by side,
whole `banmian` processes (start to exit):

  1. `banmian --version`: the cost of starting the process at all;
  2. importing the seed (tests/fixtures/import/fuling-special-report.txt);
  3. importing a 100,000-character report (the goal: under 1 s);
  4. importing a 400,000-character report (does the time grow linearly?);
  5. importing the 100,000-character report as a Word file, when
     python-docx is installed;
  6. importing 100,000 characters of the test articles
     (tests/fixtures/articles/*.txt one after another, over and over):
     headline groups, comma and two-line subheads, run-in leads,
     datelines, bylines and photo credit lines.

With `--base PATH` every variant is also run with another binary (a build
of an earlier commit), interleaved with this one's, and the table gives
both medians and their ratio.

The long reports are made from the seed: its front matter and lede, then
its sections over and over (each subhead numbered so that no two are the
same, each with its captions), then its data box, quote and byline, until
the text reaches the length. Variants are interleaved run by run (order
rotated each run) so that machine load hits all of them alike. The goal is
reported as PASS/FAIL; the exit status is non-zero only if a run fails.

    python3 scripts/import_bench.py              # 7 runs each, `cargo build` first
    python3 scripts/import_bench.py --runs 3 --no-build --bin PATH/TO/banmian
    python3 scripts/import_bench.py --base /var/tmp/banmian-target/debug/banmian

The binary defaults to $CARGO_TARGET_DIR/debug/banmian (CARGO_TARGET_DIR
defaults to target/ in the repository); the dev profile is fully optimised.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "import" / "fuling-special-report.txt"
TARGET_DIR = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
GOAL_MS = 1000.0


def long_report(chars):
    """A report of at least `chars` characters built from the seed."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("锻造新质生产力，现代产业"))
    end = next(i for i, l in enumerate(lines) if l == "2024发展目标")
    head, body, foot = lines[:start], lines[start:end], lines[end:]
    out, n = list(head), 0
    while len("\n".join(out + foot)) < chars:
        n += 1
        for line in body:
            # Number the subheads (two phrases) so that each is new.
            if " " in line and len(line) < 20 and not line.endswith("。"):
                line = f"{line}之{n}"
            out.append(line)
    return "\n".join(out + foot) + "\n"


def articles_report(chars):
    """At least `chars` characters of the test articles, one after another."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "fixtures" / "articles").glob("*.txt"))]
    out = []
    while len("\n".join(out)) < chars:
        out.extend(texts)
    return "\n".join(out)


def make_docx(text, path):
    """The same report as a Word file, one paragraph a line."""
    from docx import Document

    doc = Document()
    for line in text.split("\n"):
        if line.strip():
            doc.add_paragraph(line)
    doc.save(path)


def run(cmd, cwd):
    """Runs cmd; returns wall ms (fails loudly)."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    wall = (time.perf_counter() - start) * 1000
    if proc.returncode != 0:
        sys.exit(f"failed (exit {proc.returncode}): {' '.join(map(str, cmd))}\n{proc.stderr}")
    return wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--bin", default=str(Path(TARGET_DIR) / "debug" / "banmian"))
    parser.add_argument("--base", help="another banmian binary to run side by side")
    args = parser.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--quiet"], cwd=ROOT, check=True)
    tmp = Path(tempfile.mkdtemp(prefix="import-bench-"))
    inputs = {"seed": SEED}
    for name, chars in [("100k", 100_000), ("400k", 400_000)]:
        path = tmp / f"{name}.txt"
        path.write_text(long_report(chars), encoding="utf-8")
        inputs[name] = path
    articles = tmp / "100k-articles.txt"
    articles.write_text(articles_report(100_000), encoding="utf-8")
    inputs["100k articles"] = articles
    try:
        make_docx(inputs["100k"].read_text(encoding="utf-8"), tmp / "100k.docx")
        inputs["100k docx"] = tmp / "100k.docx"
    except ImportError:
        print("note: python-docx is not installed; the Word variant is left out")
    sizes = {k: len(p.read_text(encoding="utf-8")) if p.suffix != ".docx" else len(inputs["100k"].read_text(encoding="utf-8")) for k, p in inputs.items()}
    bins = {"this": args.bin}
    if args.base:
        bins["base"] = args.base
    variants = {}
    for which, binary in bins.items():
        variants[(which, "start (--version)")] = [binary, "--version"]
        for name, path in inputs.items():
            out = tmp / f"{which}-{name.replace(' ', '-')}.toml"
            variants[(which, f"import {name}")] = [binary, "import", str(path), "-o", str(out), "--force", "--quiet"]
    times = {key: [] for key in variants}
    keys = list(variants)
    for r in range(args.runs):
        for key in keys[r % len(keys):] + keys[: r % len(keys)]:
            times[key].append(run(variants[key], tmp))
    names = [name for which, name in keys if which == "this"]
    print(f"{args.runs} runs each, whole processes, interleaved; median (min) ms")
    if args.base:
        print("| variant | characters | base median ms | this median ms | this min ms | ratio |")
        print("|---|---:|---:|---:|---:|---:|")
    else:
        print("| variant | characters | median ms | min ms | ms per 10,000 characters |")
        print("|---|---:|---:|---:|---:|")
    start = statistics.median(times[("this", "start (--version)")])
    for name in names:
        median, low = statistics.median(times[("this", name)]), min(times[("this", name)])
        chars = sizes.get(name.removeprefix("import "))
        if args.base:
            base = statistics.median(times[("base", name)])
            print(f"| {name} | {chars or '—'} | {base:.0f} | {median:.0f} | {low:.0f} | {median / base:.2f}× |")
        else:
            per = f"{(median - start) / chars * 10_000:.1f}" if chars else "—"
            print(f"| {name} | {chars or '—'} | {median:.0f} | {low:.0f} | {per} |")
    worst = max(statistics.median(times[("this", n)]) for n in ("import 100k", "import 100k articles"))
    verdict = "PASS" if worst < GOAL_MS else "FAIL"
    print(f"goal: 100,000 characters in under {GOAL_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
