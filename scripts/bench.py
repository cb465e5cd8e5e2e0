#!/usr/bin/env python3
"""Benchmark: the page composer and a render, against the build before it.

A benchmark, not a test. In one run, side by side:

  1. The example's cold spread render (`render --no-cache`, a fresh
     process) by this build and by a build of the commit before the
     composer (`--base`, default f5fb54e), made in a git worktree with a
     target folder of its own (the first run builds it: about ten minutes).
  2. Spread, deck PDF and deck PPTX in one cold process by this build,
     against the base build's spread alone and its spread and deck.
  3. The composer on roundups of 5, 10, 20 and 40 sections
     (`scripts/gen_shapes.py --sections N`): the compose and measure phases
     (from the render's closing line) and the whole process's peak RSS.
  4. A report of 5,000 sections: `check`, its time and peak RSS (it is
     overset at once, without measuring every piece).

Variants alternate run by run, so machine load hits them alike. Wall times
are whole processes; peak RSS is the child's ru_maxrss (os.wait4). The
goals of issue 9 are printed as PASS/FAIL; the exit status is non-zero only
when a run fails.

    python3 scripts/bench.py [--runs 5] [--base COMMIT] [--no-build]

The edit-to-PDF time of `watch` is measured by scripts/watch_bench.py.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = "examples/fuling/report.toml"
TARGET_DIR = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))


def timed(cmd, cwd=ROOT, env=None):
    """Runs a command; returns (wall ms, peak RSS MB, stderr)."""
    start = time.perf_counter()
    proc = subprocess.Popen([str(c) for c in cmd], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, err


def build_base(commit, build):
    """The base commit's binary, built in a worktree of its own."""
    tree = Path(f"/var/tmp/banmian-base-{commit}")
    target = Path("/var/tmp/banmian-target-base")
    if not tree.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), commit], cwd=ROOT, check=True)
    if build:
        if not target.exists() and TARGET_DIR.exists():
            # Dependencies built for this tree serve the base too: only
            # banmian itself is compiled again.
            subprocess.run(["cp", "-a", str(TARGET_DIR), str(target)], check=True)
        env = {**os.environ, "CARGO_TARGET_DIR": str(target)}
        subprocess.run(["cargo", "build", "--quiet"], cwd=tree, env=env, check=True)
    return target / "debug" / "banmian", tree


def phases(stderr):
    """The render's closing line as {phase: ms}."""
    line = stderr.strip().splitlines()[-1] if stderr.strip() else ""
    return {name: float(ms) for name, ms in re.findall(r"(\w[\w ]*?) (\d+) ms", line)}


def median(values):
    return statistics.median(values) if values else float("nan")


def verdict(ok):
    return "PASS" if ok else "FAIL"


def render_runs(new, base, tmp, runs):
    """Cold renders, interleaved: {variant: [(ms, MB)]}."""
    report = ROOT / REPORT
    common = ["render", report, "--root", ROOT, "--no-cache", "-q"]
    deck = ["--deck", tmp / "d.pdf", "--deck", tmp / "d.pptx"]
    variants = {
        "base spread": [base] + common + ["-o", tmp / "base.pdf"],
        "new spread": [new] + common + ["-o", tmp / "new.pdf"],
        "base spread + deck PDF + PPTX": [base] + common + ["-o", tmp / "base2.pdf"] + deck,
        "new spread + deck PDF + PPTX": [new] + common + ["-o", tmp / "new2.pdf"] + deck,
    }
    results = {name: [] for name in variants}
    names = list(variants)
    for i in range(runs):
        for name in names[i % len(names):] + names[:i % len(names)]:
            wall, rss, _ = timed(variants[name])
            results[name].append((wall, rss))
    return results


def sections_runs(new, tmp, runs):
    """The composer on roundups of N sections: {N: [(compose, measure, ms, MB)]}."""
    out = {}
    for n in (5, 10, 20, 40):
        folder = tmp / f"sections-{n}"
        subprocess.run([sys.executable, ROOT / "scripts/gen_shapes.py", "--seed", "9", "--sections", str(n), "--out", folder],
                       check=True, stdout=subprocess.DEVNULL)
        report = folder / f"sections-{n}" / "report.toml"
        out[n] = []
        for _ in range(runs):
            wall, rss, err = timed([new, "render", report, "--root", folder, "--no-cache", "--allow-overset", "-o", tmp / "s.pdf"])
            p = phases(err)
            out[n].append((p.get("compose", float("nan")), p.get("measure", float("nan")), wall, rss))
    return out


def huge_report(path, count):
    lines = ['[masthead]\npaper = "测试日报"\ndate = "2024-03-05"\n\n[headline]\ntitle = "主题"\n']
    for i in range(count):
        lines.append(f'[[sections]]\nheading = "第{i}节"\ntext = "{"这是一段正文，用来检查超版。" * 20}"\n')
    path.write_text("\n".join(lines), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--base", default="f5fb54e")
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--quiet"], cwd=ROOT, check=True)
    new = TARGET_DIR / "debug" / "banmian"
    base, _ = build_base(args.base, not args.no_build)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        timed([new, "render", ROOT / REPORT, "--root", ROOT, "-q", "-o", tmp / "warm.pdf"])
        renders = render_runs(new, base, tmp, args.runs)
        print(f"\n## Cold renders of the example, {args.runs} runs each (median)\n")
        print("| variant | median ms | min ms | peak RSS MB | ratio to base spread |")
        print("|---|---:|---:|---:|---:|")
        base_ms = median([w for w, _ in renders["base spread"]])
        for name, runs in renders.items():
            ms = [w for w, _ in runs]
            print(f"| {name} | {median(ms):.0f} | {min(ms):.0f} | {max(r for _, r in runs):.0f} | {median(ms) / base_ms:.2f}x |")
        base_both = median([w for w, _ in renders["base spread + deck PDF + PPTX"]])
        print(f"\nspread + deck against the base's spread + deck: "
              f"{median([w for w, _ in renders['new spread + deck PDF + PPTX']]) / base_both:.2f}x")
        spread = median([w for w, _ in renders["new spread"]]) / base_ms
        both = median([w for w, _ in renders["new spread + deck PDF + PPTX"]]) / base_ms
        print(f"\nspread: {spread:.2f}x the base (goal <= 0.5x): {verdict(spread <= 0.5)}")
        print(f"spread + deck: {both:.2f}x the base's spread alone (goal <= 1x): {verdict(both <= 1.0)}")

        sections = sections_runs(new, tmp, args.runs)
        print(f"\n## The composer by report size, {args.runs} runs each (median)\n")
        print("| sections | compose ms | measure ms | whole render ms | peak RSS MB |")
        print("|---:|---:|---:|---:|---:|")
        for n, runs in sections.items():
            print(f"| {n} | {median([r[0] for r in runs]):.0f} | {median([r[1] for r in runs]):.0f} | "
                  f"{median([r[2] for r in runs]):.0f} | {max(r[3] for r in runs):.0f} |")
        twenty = sections[20]
        ok = median([r[2] for r in twenty]) <= 2000 and max(r[3] for r in twenty) <= 300
        print(f"\n20 sections: whole render within 2 s and 300 MB: {verdict(ok)}")

        huge = tmp / "huge.toml"
        huge_report(huge, 5000)
        wall, rss, err = timed([new, "check", huge])
        print(f"\n5,000 sections: check in {wall:.0f} ms, peak RSS {rss:.0f} MB; "
              f"{'overset error' if 'does not fit' in err else 'NO overset error'}")


if __name__ == "__main__":
    main()
