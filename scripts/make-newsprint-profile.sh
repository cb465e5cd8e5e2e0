#!/usr/bin/env bash
# Builds banmian's default output profile, a stand-in for coldset newsprint,
# from published characterisation data, with ArgyllCMS:
#
#   apt-get install argyll icc-profiles-free
#   bash scripts/make-newsprint-profile.sh [OUT.icc]
#
# No freely redistributable newspaper profile was found (WAN-IFRA's
# WAN-IFRAnewspaper26v5 may not be passed on), and Debian's icc-profiles-free
# holds no newsprint measurements. FOGRA29L (ISO 12647-2 paper type 4,
# white uncoated, 60 l/cm) is the nearest data set it holds, so the profile
# is built from it and says that it stands in for newsprint. What makes it a
# newspaper separation is what colprof is told:
# - total ink limited to 240 % (WAN-IFRA's four-colour black test; pass
#   --ink-limit 220 for an ISO 12647-3 plant, or the plant's own profile);
# - heavy GCR: K starts at 15 % from paper white and rises in a straight
#   line to full black, so greys and shadows are held mostly by black ink;
# - perceptual tables gamut-mapped from sRGB (photos and screens), for
#   prints viewed in a practical reflection environment (ISO 3664 P2) from
#   a monitor in a typical work environment.
# Low table resolution keeps the profile small (about 55 kB).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-src/assets/profiles/banmian-newsprint-fogra29-240.icc}"
data=/usr/share/color/icc/FOGRA29L.ti3
srgb=/usr/share/color/icc/sRGB.icc
for need in colprof:argyll "$data":icc-profiles-free; do
  [ -e "${need%%:*}" ] || command -v "${need%%:*}" >/dev/null \
    || { echo "needs ${need#*:} (apt-get install ${need#*:})" >&2; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$data" "$work/newsprint.ti3"
colprof -ql -bl -l240 -kp 0 0.15 1.0 1.0 1.0 -S "$srgb" -cmt -dpp -nc \
  -A "banmian" \
  -D "banmian newsprint stand-in (FOGRA29L data, TAC 240%, heavy GCR)" \
  -C "Built by banmian from FOGRA29L.ti3 (FOGRA; Debian icc-profiles-free, Zlib licence)" \
  "$work/newsprint" >"$work/colprof.log"
# A fixed creation date (header bytes 24-35), so a rebuild with the same
# tools gives the same bytes.
python3 - "$work/newsprint.icc" <<'PY'
import struct, sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
data[24:36] = struct.pack(">6H", 2026, 1, 1, 0, 0, 0)
open(path, "wb").write(bytes(data))
PY
mkdir -p "$(dirname "$out")"
cp "$work/newsprint.icc" "$out"
grep -i "peak err" "$work/colprof.log" || true
echo "wrote $out ($(stat -c %s "$out") bytes)"
