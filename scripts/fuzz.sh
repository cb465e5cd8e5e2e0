#!/usr/bin/env bash
# Fuzzes banmian with libFuzzer, on the stable toolchain, for a bounded time.
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Targets (scripts/fuzz/fuzz_targets/): report (the loader, TOML/JSON/YAML,
# and everything that reads a report before Typst), import (text, Markdown,
# Word), photo (header, decoding, crop, reduction, encoding, stand-in) and
# pptx_text (the PPTX writer's text path). Default: 300 s each, all four.
#
# Why libFuzzer without `cargo fuzz`: cargo-fuzz drives the same thing, but
# asks for a nightly toolchain for its sanitizers. libfuzzer-sys builds
# libFuzzer with the C++ compiler, and coverage comes from LLVM's sancov
# pass, which stable rustc runs with the flags below (the ones cargo-fuzz
# passes with `--sanitizer none`). So the fuzzing is coverage-guided, as
# with cargo-fuzz, only without AddressSanitizer (banmian's one unsafe
# call maps font files, which no target reaches; panics, aborts, timeouts
# and memory blow-ups are what it finds).
#
# Everything lives under $FUZZ_WORK (default /var/tmp/banmian-fuzz): the
# instrumented build (all dependencies, once: about half an hour on two
# cores), each target's corpus (seeded from the repository's examples and
# fixtures) and crashes (artifacts/TARGET/). The script prints, per target,
# the inputs run, the corpus size and what was found; a crash's input is
# the regression test to add (tests/fuzz_regressions.rs).
set -euo pipefail

secs=${1:-300}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(report import photo pptx_text)
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
work=${FUZZ_WORK:-/var/tmp/banmian-fuzz}
host=$(rustc -vV | sed -n 's/^host: //p')
export CARGO_TARGET_DIR=$work/target
# What cargo-fuzz passes with `--sanitizer none`. The target triple keeps
# them off build scripts and proc macros.
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cllvm-args=-sanitizer-coverage-stack-depth \
--cfg fuzzing -Cdebug-assertions -Coverflow-checks"
cargo build --release --quiet --manifest-path "$here/fuzz/Cargo.toml" --target "$host"
bin=$CARGO_TARGET_DIR/$host/release

seed() {
  local target=$1 dir=$2
  mkdir -p "$dir"
  case $target in
    report)
      python3 - "$repo" "$dir" <<'EOF'
import json, pathlib, sys, tomllib
repo, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
text = (repo / "examples/fuling/report.toml").read_text(encoding="utf-8")
report = tomllib.loads(text)
(out / "seed.toml").write_bytes(b"\x00" + text.encode())
(out / "seed.json").write_bytes(b"\x01" + json.dumps(report, ensure_ascii=False).encode())
yaml = json.dumps(report, ensure_ascii=False, indent=1)  # JSON is YAML
(out / "seed.yaml").write_bytes(b"\x02" + yaml.encode())
EOF
      ;;
    import)
      local i=0
      for f in "$repo"/tests/fixtures/import/*.txt; do printf '\x00' | cat - "$f" > "$dir/seed-$i.txt"; i=$((i + 1)); done
      for f in "$repo"/tests/fixtures/import/*.md; do printf '\x01' | cat - "$f" > "$dir/seed-$i.md"; i=$((i + 1)); done
      if python3 -c 'import docx' 2>/dev/null; then
        python3 - "$repo" "$dir" <<'EOF'
import pathlib, sys
from docx import Document
repo, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
doc = Document()
doc.add_heading("涪陵 加快形成新质生产力", 0)
doc.add_paragraph("核心提示", style="Intense Quote")
doc.add_heading("锻造新质生产力", 1)
doc.add_paragraph("涪陵区立足现有产业优势，推动科技创新成果应用到具体产业和产业链上。")
doc.add_paragraph("华峰己二酸扩建项目生产装备", style="Caption")
path = out / "seed.docx.tmp"
doc.save(path)
(out / "seed.docx").write_bytes(b"\x02" + path.read_bytes())
path.unlink()
EOF
      fi
      ;;
    photo)
      cp "$repo"/tests/fixtures/*.jpg "$dir/"
      python3 - "$dir" <<'EOF'
import sys, pathlib
try:
    from PIL import Image
except ImportError:
    sys.exit(0)
out = pathlib.Path(sys.argv[1])
img = Image.new("RGB", (48, 32), (200, 40, 40))
img.save(out / "seed.png"); img.save(out / "seed.webp")
img.convert("L").save(out / "grey.jpg"); img.convert("CMYK").save(out / "cmyk.jpg")
img.save(out / "progressive.jpg", progressive=True)
exif = Image.Exif(); exif[0x0112] = 6
img.save(out / "rotated.jpg", exif=exif)
EOF
      ;;
    pptx_text)
      printf '涪陵 加快形成新质生产力\xff记者 王某\xff<a & "b">\xff\x01\x0b\x1f\xff\xf0\x9f\x98\x80 emoji\xff]]>' > "$dir/seed"
      ;;
  esac
}

printf '| target | seconds | inputs run | corpus | findings |\n|---|---:|---:|---:|---|\n'
for target in "${targets[@]}"; do
  corpus=$work/corpus/$target
  artifacts=$work/artifacts/$target
  mkdir -p "$corpus" "$artifacts"
  [ -n "$(ls -A "$corpus")" ] || seed "$target" "$corpus"
  log=$work/logs/$target
  mkdir -p "$work/logs"
  rm -f "$log".*
  # A crash stops a run: go on with a fresh run until the time is used up.
  start=$(date +%s)
  runs=0
  while :; do
    left=$((secs - ($(date +%s) - start)))
    [ "$left" -gt 0 ] || break
    "$bin/$target" "$corpus" -max_total_time="$left" -timeout=20 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log.$runs" 2>&1 || true
    runs=$((runs + 1))
  done
  inputs=$(cat "$log".* | awk '/^stat::number_of_executed_units:/ { n += $2 } END { print n + 0 }')
  found=$(ls "$artifacts" | wc -l)
  printf '| %s | %s | %s | %s | %s |\n' "$target" "$secs" "${inputs:-0}" "$(ls "$corpus" | wc -l)" \
    "$([ "$found" -eq 0 ] && echo none || echo "$found in $artifacts")"
done
