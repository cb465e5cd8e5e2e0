#!/usr/bin/env python3
"""Benchmark: banmian rendering the example report vs. the Typst compiler.

This is a benchmark, not a test. In one run it measures, side by side:

  1. banmian cold:  a fresh `banmian render examples/fuling/report.toml
     --no-cache` process (photos processed from scratch, nothing on disk);
  2. banmian warm:  the same with `--cache-dir` pointing to a temp dir that
     one untimed run has filled with the processed photos;
  3. banmian cold with the deck: the cold render with `--deck x.pdf --deck
     x.pptx`, so spread, deck PDF and deck PPTX come from one process;
  4. typst (PyPI `typst` 0.15.2): a fresh `python3` process that imports
     `typst` and compiles the Typst project banmian compiled (dumped once by
     the hidden `--typst-project DIR` option: spread.typ, theme.typ,
     report.json, photos/N.jpg at their final resolution), with the same
     fonts/ folder. Both the `typst.compile()` call (time.perf_counter inside
     the child) and the whole process (interpreter start, import) are timed.

Wall times are from process start to exit. Peak RSS is the child's own
ru_maxrss, read with os.wait4 (MB here means MiB). The variants are
interleaved run by run (order rotated each run) so that machine load hits
all of them alike. The goals from the issue (cold render within 1.2x of
Typst's compile call, peak RSS under 300 MB) are reported as PASS/FAIL but
do not change the exit status; it is non-zero only if a run fails or the two
PDFs differ in page count (checked with pdfinfo).

Run from anywhere:

    python3 scripts/bench.py                # 5 runs each, `cargo build` first
    python3 scripts/bench.py --runs 3 --no-build --bin PATH/TO/banmian

The binary defaults to $CARGO_TARGET_DIR/debug/banmian (CARGO_TARGET_DIR
defaults to /var/tmp/banmian-target); the dev profile is fully optimised.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = "examples/fuling/report.toml"
TYPST_VERSION = "0.15.2"
TARGET_DIR = os.environ.get("CARGO_TARGET_DIR", "/var/tmp/banmian-target")
GOAL_RATIO, GOAL_RSS_MB = 1.2, 300.0

# Runs in a fresh interpreter; prints the compile call's time in ms.
TYPST_CHILD = """
import sys, time, typst
start = time.perf_counter()
typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]])
print((time.perf_counter() - start) * 1000)
"""


def run(cmd, log):
    """Runs cmd in ROOT; returns (wall ms, peak RSS MiB, stdout)."""
    with open(log, "w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = (time.perf_counter() - start) * 1000
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if proc.returncode != 0:
        sys.exit(f"failed (exit {proc.returncode}): {' '.join(map(str, cmd))}\n{text}")
    return wall, usage.ru_maxrss / 1024, text


def ensure_typst():
    try:
        import typst
    except ImportError:
        print(f"note: installing typst=={TYPST_VERSION} from PyPI")
        subprocess.run([sys.executable, "-m", "pip", "install", f"typst=={TYPST_VERSION}"], check=True)
        import typst
    version = getattr(typst, "__version__", "?")
    if version != TYPST_VERSION:
        print(f"warning: typst {version} installed, the benchmark expects {TYPST_VERSION}")
    return version


def pages(pdf):
    if not shutil.which("pdfinfo"):
        return None
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    return next((int(l.split()[1]) for l in info.splitlines() if l.startswith("Pages:")), None)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="timed runs per variant (default 5)")
    ap.add_argument("--bin", type=Path, default=Path(TARGET_DIR, "debug", "banmian"))
    ap.add_argument("--no-build", action="store_true", help="skip `cargo build`")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")

    version = ensure_typst()
    if not args.no_build:
        print(f"note: cargo build (dev profile, optimised; quick when up to date), target {TARGET_DIR}")
        env = dict(os.environ, CARGO_TARGET_DIR=TARGET_DIR)
        subprocess.run(["cargo", "build", "--quiet"], cwd=ROOT, env=env, check=True)
    binary = args.bin.resolve()
    if not binary.is_file():
        sys.exit(f"no banmian binary at {binary} (build it, or pass --bin)")

    with tempfile.TemporaryDirectory(prefix="banmian-bench-") as tmp:
        tmp = Path(tmp)
        proj, cache, log = tmp / "project", tmp / "photo-cache", tmp / "log"
        render = [binary, "render", REPORT, "--root", ".", "-q"]
        variants = {
            "banmian cold (--no-cache)": render + ["-o", tmp / "cold.pdf", "--no-cache"],
            "banmian warm photo cache": render + ["-o", tmp / "warm.pdf", "--cache-dir", cache],
            "banmian cold + deck (pdf, pptx)": render
            + ["-o", tmp / "both.pdf", "--no-cache", "--deck", tmp / "deck.pdf", "--deck", tmp / "deck.pptx"],
            "typst": [sys.executable, "-c", TYPST_CHILD, proj / "spread.typ", tmp / "typst.pdf", ROOT / "fonts"],
        }
        # Untimed: dump the Typst project and warm the photo cache, then one
        # typst compile (also warms the OS file cache for the typst module).
        run(render + ["-o", tmp / "dump.pdf", "--cache-dir", cache, "--typst-project", proj], log)
        run(variants["typst"], log)

        walls = {name: [] for name in variants}
        rss = {name: 0.0 for name in variants}
        compile_ms = []
        names = list(variants)
        for i in range(args.runs):
            k = i % len(names)
            for name in names[k:] + names[:k]:
                wall, peak, out = run(variants[name], log)
                walls[name].append(wall)
                rss[name] = max(rss[name], peak)
                if name == "typst":
                    compile_ms.append(float(out.strip().splitlines()[-1]))
            print(f"run {i + 1}/{args.runs}: " + ", ".join(f"{n.split(' (')[0]} {walls[n][-1]:.0f} ms" for n in names))

        typst_call = statistics.median(compile_ms)
        typst_proc = statistics.median(walls["typst"])
        rows = [
            ("banmian cold (--no-cache), process", walls[names[0]], rss[names[0]]),
            ("banmian warm photo cache, process", walls[names[1]], rss[names[1]]),
            ("banmian cold spread + deck PDF + PPTX, process", walls[names[2]], rss[names[2]]),
            (f"typst {version} (PyPI), compile call", compile_ms, None),
            (f"typst {version} (PyPI), python3 process", walls["typst"], rss["typst"]),
        ]
        print(f"\n{args.runs} runs each, {REPORT}, {os.cpu_count()} CPUs\n")
        print("| variant | median ms | min ms | peak RSS MB | ratio to typst compile | ratio to typst process |")
        print("|---|---:|---:|---:|---:|---:|")
        for label, times, peak in rows:
            med = statistics.median(times)
            mem = f"{peak:.0f}" if peak is not None else "(in process)"
            print(f"| {label} | {med:.0f} | {min(times):.0f} | {mem} | "
                  f"{med / typst_call:.2f}x | {med / typst_proc:.2f}x |")

        cold = statistics.median(walls[names[0]])
        ratio = cold / typst_call
        peak = max(rss[names[0]], rss[names[1]])
        verdict = lambda ok: "PASS" if ok else "FAIL"
        print(f"\nGoals (from the issue):")
        print(f"- cold render within {GOAL_RATIO}x of Typst: {ratio:.2f}x the compile call "
              f"({cold / typst_proc:.2f}x the whole typst process) -> {verdict(ratio <= GOAL_RATIO)}")
        print(f"- banmian peak RSS under {GOAL_RSS_MB:.0f} MB: {peak:.0f} MB -> {verdict(peak < GOAL_RSS_MB)}")
        both = statistics.median(walls[names[2]])
        added = both - cold
        print(f"- the deck adds no more than the spread costs: +{added:.0f} ms for deck PDF + PPTX "
              f"against {cold:.0f} ms for the spread ({added / cold:.2f}x) -> {verdict(added <= cold)}")

        ours, theirs = pages(tmp / "cold.pdf"), pages(tmp / "typst.pdf")
        if ours is None or theirs is None:
            print("\nsanity: page count not checked (pdfinfo missing: apt-get install poppler-utils)")
        elif ours != theirs:
            sys.exit(f"\nsanity: FAILED, banmian PDF has {ours} pages, typst PDF has {theirs}")
        else:
            print(f"\nsanity: both PDFs have {ours} pages")


if __name__ == "__main__":
    main()
