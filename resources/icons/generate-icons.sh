#!/usr/bin/env bash
# Makes every icon file the installers and the app use from the SVG master, reproducibly: the
# same master and tools give the same bytes (no timestamps are written), and CI checks that the
# committed files are what this script makes (.ci/check-icons).
# Needs Debian's librsvg2-bin (rsvg-convert), icoutils (icotool) and icnsutils (png2icns).
# Usage: resources/icons/generate-icons.sh [OUT_DIR]   (default: resources/icons, beside the master)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
master="$here/tokenbench.svg"
mkdir -p "$out/hicolor"

# freedesktop's hicolor sizes; Windows' .ico takes up to 256, macOS' .icns up to 1024.
for size in 16 22 24 32 48 64 128 256 512 1024; do
    rsvg-convert --width "$size" --height "$size" --format png "$master" --output "$out/hicolor/tokenbench-$size.png"
done
icotool --create --output "$out/tokenbench.ico" \
    "$out"/hicolor/tokenbench-{16,24,32,48,64,128}.png --raw="$out/hicolor/tokenbench-256.png"
png2icns "$out/tokenbench.icns" "$out"/hicolor/tokenbench-{16,32,48,128,256,512,1024}.png >/dev/null
