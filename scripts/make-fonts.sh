#!/usr/bin/env bash
# Regenerate fonts/ from the Debian font packages. See fonts/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

sources=(
  /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc
  /usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc
  /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
  /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc
  /usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf
  /usr/share/doc/fonts-noto-cjk/copyright
  /usr/share/doc/fonts-lxgw-wenkai/copyright
)
missing=0
for f in "${sources[@]}"; do [ -e "$f" ] || missing=1; done
if [ "$missing" = 1 ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-noto-cjk fonts-lxgw-wenkai
fi

if ! python3 -c 'import fontTools' 2>/dev/null; then
  python3 -m pip install fonttools
fi

python3 scripts/make-fonts.py
