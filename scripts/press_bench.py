#!/usr/bin/env python3
"""Benchmark: the plant's PDF/X-1a against the plain print PDF.

A benchmark, not a test. In one run, side by side, each a fresh process of
the binary cargo builds here (`target/`, or CARGO_TARGET_DIR):

  1. the example's plain render and its `--pdf-standard x-1a` render, with
     the photo cache cold (an empty cache folder each run: every photo made,
     and for x-1a separated, again) and warm (a cache folder the first run
     filled);
  2. the colour engines on the example's three colour photos: moxcms
     (banmian's, through `cargo test --lib transform_speed -- --ignored`)
     and Little CMS (Pillow's ImageCms), same profile, perceptual intent.

Variants alternate run by run, so machine load hits them alike. The goal
of issue 17 (a warm x-1a render at most 1.1 times a plain one) is printed
as PASS/FAIL.

    python3 scripts/press_bench.py [--runs 5]
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = "examples/fuling/report.toml"
TARGET_DIR = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
PROFILE = ROOT / "src/assets/profiles/banmian-newsprint-fogra29-240.icc"
PHOTOS = ["banner-mountains.jpg", "bridge-cables.jpg", "ceramic-cups.jpg"]


def timed(cmd):
    """Runs a command; returns (wall ms, peak RSS MB, stderr)."""
    start = time.perf_counter()
    proc = subprocess.Popen([str(c) for c in cmd], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, "SOURCE_DATE_EPOCH": "1"})
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{err[-2000:]}")
    return (time.perf_counter() - start) * 1000, usage.ru_maxrss / 1024, err


def phase(stderr, name):
    """A phase's milliseconds from the render's closing line."""
    found = re.search(rf"\b{name} (\d+) ms", stderr.strip().splitlines()[-1])
    return float(found.group(1)) if found else 0.0


def renders(binary, runs, work):
    """Plain and x-1a renders, cache cold and warm, interleaved."""
    warm = work / "warm-cache"
    variants = {
        "plain, cache cold": ([], True),
        "plain, cache warm": ([], False),
        "x-1a, cache cold": (["--pdf-standard", "x-1a"], True),
        "x-1a, cache warm": (["--pdf-standard", "x-1a"], False),
    }
    base = [binary, "render", REPORT, "--root", "."]
    # Fill the warm cache once (both products).
    for extra, _ in variants.values():
        timed(base + ["-o", work / "fill.pdf", "--cache-dir", warm] + extra)
    results = {name: [] for name in variants}
    for run in range(runs):
        for name, (extra, cold) in variants.items():
            cache = work / "cold-cache"
            if cold:
                shutil.rmtree(cache, ignore_errors=True)
            out = work / f"{name.replace(', ', '-').replace(' ', '-')}.pdf"
            wall, rss, err = timed(base + ["-o", out, "--cache-dir", cache if cold else warm] + extra)
            results[name].append((wall, rss, phase(err, "press"), phase(err, "pdf")))
            if cold:
                shutil.rmtree(cache, ignore_errors=True)
    return results


def engines(runs):
    """moxcms (banmian's) and Little CMS (Pillow) on the same photos: ms."""
    from PIL import Image, ImageCms

    images = [Image.open(ROOT / "images" / name).convert("RGB") for name in PHOTOS]
    pixels = sum(im.width * im.height for im in images)
    transform = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.ImageCmsProfile(str(PROFILE)),
                                        "RGB", "CMYK", renderingIntent=0)
    lcms, mox = [], []
    for _ in range(runs):
        start = time.perf_counter()
        for im in images:
            ImageCms.applyTransform(im, transform)
        lcms.append((time.perf_counter() - start) * 1000)
        out = subprocess.run(["cargo", "test", "--quiet", "--lib", "transform_speed", "--", "--ignored", "--nocapture"],
                             cwd=ROOT, capture_output=True, text=True, check=True)
        found = re.search(r"moxcms (\d+(?:\.\d+)?) ms", out.stdout + out.stderr)
        mox.append(float(found.group(1)))
    return pixels, statistics.median(mox), statistics.median(lcms)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--quiet"], cwd=ROOT, check=True)
    binary = TARGET_DIR / "debug" / "banmian"
    with tempfile.TemporaryDirectory() as tmp:
        results = renders(binary, args.runs, Path(tmp))
    med = {name: [statistics.median(v[i] for v in runs) for i in range(4)] for name, runs in results.items()}
    print(f"{args.runs} runs each, interleaved (medians)\n")
    print("| variant | median ms | min ms | peak RSS MB | press ms | pdf ms | ratio to plain, same cache |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, (wall, rss, press, pdf) in med.items():
        plain = med[name.replace("x-1a", "plain")][0]
        least = min(v[0] for v in results[name])
        print(f"| {name} | {wall:.0f} | {least:.0f} | {rss:.0f} | {press:.0f} | {pdf:.0f} | {wall / plain:.2f}× |")
    warm = med["x-1a, cache warm"][0] / med["plain, cache warm"][0]
    print(f"\nwarm x-1a / warm plain = {warm:.2f}× (goal ≤ 1.1×): {'PASS' if warm <= 1.1 else 'FAIL'}")
    pixels, mox, lcms = engines(args.runs)
    print(f"\nseparating the three colour photos ({pixels / 1e6:.1f} Mpixel, sRGB → profile, perceptual, one thread):")
    print(f"| engine | median ms | ns a pixel |\n|---|---:|---:|")
    print(f"| moxcms (banmian) | {mox:.0f} | {mox * 1e6 / pixels:.0f} |")
    print(f"| Little CMS (Pillow ImageCms) | {lcms:.0f} | {lcms * 1e6 / pixels:.0f} |")


if __name__ == "__main__":
    main()
