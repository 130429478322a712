#!/usr/bin/env bash
# Cold start of the GUI to its first shown main window, and resident memory once shown, under
# Xvfb. The app quits right after its first frame when TOKENBENCH_QUIT_WHEN_SHOWN is set, so the
# process's wall time is the start-up time. Usage: bench/gui-startup.sh [BUILD_DIR] [RUNS]
# Needs: hyperfine, xvfb (xvfb-run), jq.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
runs=${2:-15}
app="$build/app/gui/tokenbench"
[ -x "$app" ] || { echo "no $app: build first" >&2; exit 2; }
for tool in hyperfine xvfb-run jq; do
    command -v "$tool" >/dev/null || { echo "bench needs $tool" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/run.sh" <<INNER
#!/usr/bin/env bash
set -euo pipefail
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export TOKENBENCH_QUIT_WHEN_SHOWN=1 QT_QPA_PLATFORM=xcb
mkdir -p "\$HOME"
# Start-up itself, as the user sees it: process start to the first frame of the window.
hyperfine -N --warmup 2 --runs $runs --export-json "$work/startup.json" "$app --workspace $work/ws.json"
for i in \$(seq 1 $runs); do "$app" --workspace "$work/ws.json" 2>&1 | sed -n 's/.*VmRSS \([0-9]*\) kB/\1/p'; done > "$work/rss.txt"
INNER
chmod +x "$work/run.sh"
xvfb-run -a -s "-screen 0 1920x1080x24" "$work/run.sh"

median_ms=$(jq '.results[0].median * 1000 | . * 10 | round / 10' "$work/startup.json")
median_rss=$(sort -n "$work/rss.txt" | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
echo "GUI cold start to first shown window: median ${median_ms} ms over $runs runs"
echo "Resident memory once shown: median $((median_rss / 1024)) MB (${median_rss} kB)"
