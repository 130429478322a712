#!/usr/bin/env bash
# The longest UI event-loop stall while a 50 MB JSON response is received (Exchange, from a
# loopback server on another thread) and while the response viewer shows it (issue 5's target:
# under 100 ms), medians over several runs, on a real X server (Xvfb) rather than the offscreen
# platform, so painting costs what it costs on a desktop.
# Usage: bench/response-stall.sh [BUILD_DIR] [RUNS] [MEGABYTES]
# Needs: xvfb (xvfb-run); a build with tests (the tokenbench-bench-responsestall target), best in
# Release or RelWithDebInfo.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
runs=${2:-7}
megabytes=${3:-50}
bench="$build/tests/ui/tokenbench-bench-responsestall"
[ -x "$bench" ] || { echo "no $bench: cmake --build $build --target tokenbench-bench-responsestall" >&2; exit 2; }
command -v xvfb-run >/dev/null || { echo "bench needs xvfb-run" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work" XDG_RUNTIME_DIR="$work" QT_QPA_PLATFORM=xcb
xvfb-run -a -s "-screen 0 1920x1080x24" "$bench" --runs "$runs" --megabytes "$megabytes"
