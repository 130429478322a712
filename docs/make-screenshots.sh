#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png from the real widgets under Xvfb.
# Usage: docs/make-screenshots.sh [BUILD_DIR]   (needs xvfb-run; build first)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
cmake --build "$build" --target tokenbench-screenshots
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
HOME="$home" QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1080x24" \
    "$build/tests/ui/tokenbench-screenshots" "$here/screenshots"
