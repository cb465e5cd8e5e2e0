#!/usr/bin/env python3
"""Benchmark and soak for `banmian watch` (a benchmark, not a test).

In one run, on a copy of the example report in a temp folder:

  1. cold render: `banmian render --no-cache` as a fresh process (median of
     --cold-runs, made between the edits below while watch is idle), the
     baseline: the edit's time is reported as a share of it (issue 20's
     goal: at most 0.10);
  2. edit to new PDF on disk: `banmian watch` running; one field of the
     report (figures[0].value) is changed, saved the way editors save (write
     a temp file, rename it over the report) 0.3 s after the last rebuild,
     and the time until the spread PDF on disk has new bytes is measured
     (median of --edits);
  3. photo edit: one section photo replaced by different bytes; the time
     until the PDF changes, and the rebuild line (only that photo is made);
  4. soak: --soak edits alternating good (a new value) and broken (invalid
     TOML); the watch process's resident memory (VmRSS) after the first
     and after the last, that it is still running, and that the PDF on disk
     is the last good one (its text holds the last good value).

The machine's load average is printed before and after.

Run from the repository:  python3 scripts/watch_bench.py [--edits 20] [--soak 200]
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
TARGET_DIR = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
VALUE = 'value = "2471"'


def save(path, text):
    """Saves like an editor: a temp file renamed over the original."""
    tmp = path.with_name(f".{path.name}.swp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def stamp(path):
    try:
        st = path.stat()
        return (st.st_mtime_ns, st.st_size, st.st_ino)
    except FileNotFoundError:
        return None


def wait_change(path, before, timeout=30.0):
    """Polls until `path` differs from `before`; returns the time it did."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        now = stamp(path)
        if now is not None and now != before:
            return time.perf_counter()
        time.sleep(0.0005)
    sys.exit(f"timed out waiting for {path} to change")


def wait_log(log, count, timeout=60.0):
    """Waits until the watch log has `count` rebuild lines; returns them."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        lines = [l for l in log.read_text(errors="replace").splitlines() if re.match(r"\[\d+\] ", l)]
        if len(lines) >= count:
            return lines
        time.sleep(0.01)
    sys.exit(f"timed out waiting for rebuild {count}:\n{log.read_text(errors='replace')}")


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--soak", type=int, default=200)
    ap.add_argument("--cold-runs", type=int, default=5)
    ap.add_argument("--bin", type=Path, default=Path(TARGET_DIR, "debug", "banmian"))
    args = ap.parse_args()
    binary = args.bin.resolve()
    if not binary.is_file():
        sys.exit(f"no banmian binary at {binary} (cargo build first, or pass --bin)")

    load = os.getloadavg()
    print(f"machine load before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (1, 5, 15 min)")
    with tempfile.TemporaryDirectory(prefix="banmian-watch-") as tmp:
        tmp = Path(tmp)
        shutil.copytree(ROOT / "examples", tmp / "examples")
        shutil.copytree(ROOT / "images", tmp / "images")
        report = tmp / "examples/fuling/report.toml"
        original = report.read_text(encoding="utf-8")
        assert VALUE in original
        pdf = tmp / "out/fuling.pdf"
        env = dict(os.environ, BANMIAN_CACHE_DIR=str(tmp / "cache"))

        cold = []

        def cold_render():
            start = time.perf_counter()
            subprocess.run([binary, "render", report, "--root", tmp, "-o", tmp / "cold.pdf", "--no-cache", "-q"],
                           check=True, env=env, stderr=subprocess.DEVNULL)
            cold.append((time.perf_counter() - start) * 1000)

        log = tmp / "watch.log"
        with open(log, "w") as out:
            proc = subprocess.Popen([binary, "watch", report, "--root", tmp, "-o", pdf],
                                    stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            builds = len(wait_log(log, 1))
            edits = []
            every = max(1, args.edits // max(1, args.cold_runs))
            for i in range(args.edits):
                # Cold renders between the edits (watch idle), so that the
                # machine's load weighs on both alike.
                if i % every == 0 and len(cold) < args.cold_runs:
                    cold_render()
                value = f'value = "{2472 + i}"'
                # An edit on its own, as an editor makes it: not inside the
                # 100 ms debounce window of the rebuild before.
                time.sleep(0.3)
                before = stamp(pdf)
                start = time.perf_counter()
                save(report, original.replace(VALUE, value))
                edits.append((wait_change(pdf, before) - start) * 1000)
                builds = len(wait_log(log, builds + 1))
            edit_lines = wait_log(log, builds)[-args.edits:]

            # A photo edit: the same photo, other bytes.
            photo = tmp / "images/ceramic-cups.jpg"
            data = photo.read_bytes()
            time.sleep(0.3)
            before = stamp(pdf)
            start = time.perf_counter()
            photo.write_bytes(data[:-2] + b"\x00\x00" + data[-2:])
            photo_ms = (wait_change(pdf, before) - start) * 1000
            builds = len(wait_log(log, builds + 1))
            photo_line = wait_log(log, builds)[-1]

            # Soak: good and broken edits in turn.
            rss_first = rss_last = None
            last_good = None
            for i in range(args.soak):
                if i % 2 == 0:
                    last_good = f"{3000 + i}"
                    save(report, original.replace(VALUE, f'value = "{last_good}"'))
                else:
                    save(report, original.replace(VALUE, 'value = "broken'))
                builds = len(wait_log(log, builds + 1))
                if i == 0:
                    time.sleep(0.2)
                    rss_first = rss_mb(proc.pid)
            time.sleep(0.5)
            rss_last = rss_mb(proc.pid)
            alive = proc.poll() is None
            text = subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True, text=True).stdout
            last_ok = last_good in text
        finally:
            proc.terminate()
            proc.wait()

        med_cold, med_edit = statistics.median(cold), statistics.median(edits)
        print(f"\ncold render (fresh process, --no-cache), median of {len(cold)}: {med_cold:.0f} ms")
        print(f"edit to new PDF on disk (one field, watch running), median of {len(edits)}: "
              f"{med_edit:.0f} ms (min {min(edits):.0f}, max {max(edits):.0f})")
        ratio = med_edit / med_cold
        print(f"  -> {ratio:.3f} of the cold render measured in this run (goal <= 0.10): "
              f"{'PASS' if ratio <= 0.10 else 'FAIL'}")
        print(f"  a typical rebuild line: {edit_lines[len(edit_lines) // 2]}")
        print(f"photo edit to new PDF: {photo_ms:.0f} ms\n  {photo_line}")
        growth = (rss_last - rss_first) / rss_first * 100
        print(f"soak: {args.soak} edits, good and broken in turn: RSS {rss_first:.0f} MB after the first, "
              f"{rss_last:.0f} MB after the last ({growth:+.1f} %; goal within 20 %: "
              f"{'PASS' if abs(growth) <= 20 else 'FAIL'})")
        print(f"  still running: {'yes' if alive else 'NO'}; PDF on disk is the last good one: {'yes' if last_ok else 'NO'}")
        load = os.getloadavg()
        print(f"machine load after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        if not (alive and last_ok):
            sys.exit(1)


if __name__ == "__main__":
    main()
