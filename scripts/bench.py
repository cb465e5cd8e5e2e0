#!/usr/bin/env python3
"""Benchmark: banmian against Typst drawing the same pages, and the composer.

A benchmark, not a test. In one run, side by side:

  1. The yardstick (issue 20): Typst's own compiler (the `typst` wheel
     from PyPI, a fresh `python3` process each run) compiling the Typst
     project banmian writes (`--typst-project`: the same templates,
     report.json, plan.json and photo stand-ins, fonts from `fonts/`):
     the drawing alone, with no measuring, composing or finishing. Against
     it, banmian's cold spread (`render --no-cache`, a fresh process), its
     spread, deck PDF and PPTX in one cold process, and `check`; on the
     example and on a 20-section roundup (`scripts/gen_shapes.py
     --sections 20`). Goals: spread <= 1.2x, spread + deck <= 2.0x, peak
     RSS <= 200 MB.
  2. With `--base COMMIT`: the example's cold render by this build and by a
     build of COMMIT (made in a git worktree with a target folder of its
     own; the first run builds it, about ten minutes).
  3. The composer on roundups of 5, 10, 20 and 40 sections: the compose and
     measure phases (from the render's closing line) and the whole
     process's peak RSS.
  4. A report of 5,000 sections: `check`, its time and peak RSS (it is
     overset at once, without measuring every piece).

Variants alternate run by run, so machine load hits them alike. Wall times
are whole processes; peak RSS is the child's ru_maxrss (os.wait4). Goals are
printed as PASS/FAIL; the exit status is non-zero only when a run fails.

    python3 scripts/bench.py [--runs 7] [--base COMMIT] [--no-build] [--only yardstick]

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
    """Runs a command; returns (wall ms, peak RSS MB, stderr, CPU ms)."""
    start = time.perf_counter()
    proc = subprocess.Popen([str(c) for c in cmd], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, err, (usage.ru_utime + usage.ru_stime) * 1000


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


# Typst's own compiler from the `typst` wheel, as `typst compile MAIN OUT
# --font-path FONTS` runs it (system fonts too).
TYPST = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]])"


def typst_wheel():
    """The `typst` wheel's version, or exit with how to get it."""
    probe = subprocess.run([sys.executable, "-c", "import typst; print(typst.__version__)"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        sys.exit("the yardstick needs the typst wheel: python3 -m pip install typst")
    return probe.stdout.strip()


def interleaved(variants, runs):
    """Runs each variant `runs` times, the order rotating run by run:
    {name: [(ms, MB, stderr, CPU ms)]}."""
    results = {name: [] for name in variants}
    names = list(variants)
    for i in range(runs):
        for name in names[i % len(names):] + names[:i % len(names)]:
            results[name].append(timed(variants[name]))
    return results


def yardstick(new, report, root, tmp, runs):
    """Typst drawing banmian's project of `report` against banmian's cold
    renders of it, interleaved: {variant: [(ms, MB, stderr, CPU ms)]}."""
    project = tmp / "project"
    wall, _, err, _ = timed([new, "render", report, "--root", root, "-q", "--no-cache",
                          "-o", tmp / "p.pdf", "--typst-project", project, "--allow-overset"])
    if not (project / "spread.typ").exists():
        sys.exit(f"no Typst project written:\n{err}")
    common = [new, "render", report, "--root", root, "--no-cache", "--allow-overset"]
    deck = ["--deck", tmp / "d.pdf", "--deck", tmp / "d.pptx"]
    # A known report: a fresh process whose cache (measures, font infos,
    # photos) an earlier render of the same report filled.
    cache = tmp / "cache"
    warm = [new, "render", report, "--root", root, "--cache-dir", cache, "--allow-overset"]
    timed(warm + ["-o", tmp / "w.pdf"] + deck)
    variants = {
        "typst draws the project (wheel)": [sys.executable, "-c", TYPST, project / "spread.typ",
                                            tmp / "typst.pdf", ROOT / "fonts"],
        "banmian spread, cold": common + ["-o", tmp / "s.pdf"],
        "banmian spread + deck PDF + PPTX, cold": common + ["-o", tmp / "s2.pdf"] + deck,
        "banmian spread, warm cache": warm + ["-o", tmp / "w.pdf"],
        "banmian spread + deck PDF + PPTX, warm cache": warm + ["-o", tmp / "w2.pdf"] + deck,
        "banmian check": [new, "check", report, "--root", root, "--no-cache"],
    }
    return interleaved(variants, runs)


def yardstick_table(title, results):
    """Prints one yardstick table; returns (spread ratio, both ratio, peak MB)."""
    typst_ms = median([r[0] for r in results["typst draws the project (wheel)"]])
    print(f"\n## {title}\n")
    print("| variant | median ms | min ms | CPU ms | peak RSS MB | ratio to typst drawing |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, runs in results.items():
        ms = [r[0] for r in runs]
        print(f"| {name} | {median(ms):.0f} | {min(ms):.0f} | {median([r[3] for r in runs]):.0f} | "
              f"{max(r[1] for r in runs):.0f} | {median(ms) / typst_ms:.2f}x |")
    spread_runs = results["banmian spread, cold"]
    order = list(phases(spread_runs[0][2]))
    line = ", ".join(f"{k} {median([phases(r[2]).get(k, 0) for r in spread_runs]):.0f}" for k in order)
    print(f"\nbanmian spread's phases (median ms): {line}")
    ratio = {name: median([r[0] for r in runs]) / typst_ms for name, runs in results.items()}
    peak = max(r[1] for name, runs in results.items() if name.startswith("banmian") for r in runs)
    return ratio, peak


def render_runs(new, base, tmp, runs):
    """Cold renders against the base build's, interleaved: {variant: [(ms, MB)]}."""
    report = ROOT / REPORT
    common = ["render", report, "--root", ROOT, "--no-cache", "-q"]
    deck = ["--deck", tmp / "d.pdf", "--deck", tmp / "d.pptx"]
    variants = {
        "base spread": [base] + common + ["-o", tmp / "base.pdf"],
        "new spread": [new] + common + ["-o", tmp / "new.pdf"],
        "base spread + deck PDF + PPTX": [base] + common + ["-o", tmp / "base2.pdf"] + deck,
        "new spread + deck PDF + PPTX": [new] + common + ["-o", tmp / "new2.pdf"] + deck,
    }
    return {name: [(w, r) for w, r, *_ in runs] for name, runs in interleaved(variants, runs).items()}


def roundup(tmp, n):
    """A generated roundup of `n` sections: (report, root)."""
    folder = tmp / f"sections-{n}"
    if not folder.exists():
        subprocess.run([sys.executable, ROOT / "scripts/gen_shapes.py", "--seed", "9", "--sections", str(n), "--out", folder],
                       check=True, stdout=subprocess.DEVNULL)
    return folder / f"sections-{n}" / "report.toml", folder


def sections_runs(new, tmp, runs):
    """The composer on roundups of N sections: {N: [(compose, measure, ms, MB)]}."""
    out = {}
    for n in (5, 10, 20, 40):
        report, folder = roundup(tmp, n)
        out[n] = []
        for _ in range(runs):
            wall, rss, err, _ = timed([new, "render", report, "--root", folder, "--no-cache", "--allow-overset", "-o", tmp / "s.pdf"])
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
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--base", help="also compare with a build of this commit")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--only", choices=["yardstick"], help="run only the yardstick")
    args = parser.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--quiet"], cwd=ROOT, check=True)
    new = TARGET_DIR / "debug" / "banmian"
    version = typst_wheel()
    load = os.getloadavg()
    print(f"machine load before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (1, 5, 15 min); {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        timed([new, "render", ROOT / REPORT, "--root", ROOT, "-q", "-o", tmp / "warm.pdf"])
        verdicts = []
        cases = [("the example", ROOT / REPORT, ROOT), ("a 20-section roundup", *roundup(tmp, 20))]
        for title, report, root in cases:
            folder = tmp / title.replace(" ", "-")
            folder.mkdir()
            results = yardstick(new, report, root, folder, args.runs)
            ratio, peak = yardstick_table(
                f"{title}: banmian against typst {version} drawing its project, {args.runs} runs each", results)
            verdicts.append((title, ratio, peak))
        print()
        for title, ratio, peak in verdicts:
            for regime in ("cold", "warm cache"):
                spread = ratio[f"banmian spread, {regime}"]
                both = ratio[f"banmian spread + deck PDF + PPTX, {regime}"]
                print(f"{title}, {regime}: spread {spread:.2f}x (goal <= 1.2x) {verdict(spread <= 1.2)}; "
                      f"spread + deck {both:.2f}x (goal <= 2.0x) {verdict(both <= 2.0)}")
            print(f"{title}: peak RSS {peak:.0f} MB (goal <= 200 MB) {verdict(peak <= 200)}")
        load = os.getloadavg()
        print(f"machine load after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        if args.only == "yardstick":
            return

        if args.base:
            base, _ = build_base(args.base, not args.no_build)
            renders = render_runs(new, base, tmp, args.runs)
            print(f"\n## Cold renders of the example against {args.base}, {args.runs} runs each (median)\n")
            print("| variant | median ms | min ms | peak RSS MB | ratio to base spread |")
            print("|---|---:|---:|---:|---:|")
            base_ms = median([w for w, _ in renders["base spread"]])
            for name, runs in renders.items():
                ms = [w for w, _ in runs]
                print(f"| {name} | {median(ms):.0f} | {min(ms):.0f} | {max(r for _, r in runs):.0f} | {median(ms) / base_ms:.2f}x |")

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
        wall, rss, err, _ = timed([new, "check", huge])
        print(f"\n5,000 sections: check in {wall:.0f} ms, peak RSS {rss:.0f} MB; "
              f"{'overset error' if 'does not fit' in err else 'NO overset error'}")


if __name__ == "__main__":
    main()
