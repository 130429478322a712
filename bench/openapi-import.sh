#!/usr/bin/env bash
# Time and peak memory of `tokenbench-cli import openapi` on the largest real document of the
# shared corpus (box-platform, 1.7 MB JSON) and on generated documents of 2,000 operations
# (bench/gen-openapi.py: about 5 MB as JSON, the same content as YAML), side by side with
# openapi-to-postmanv2 (npm, pinned, installed into a scratch folder) converting the same file
# headless. Each figure is the median of RUNS runs (default 7); peak memory is GNU time's
# maximum resident set size, and "extra" subtracts what the same import of a one-operation
# document takes (the import's fixed cost: libraries, the first-start workspace); "cpu" is user + system time, which other processes sharing the machine do not inflate
# as they do the wall-clock time. Targets: under 1 s, and extra memory under 10x the file size.
# Usage: bench/openapi-import.sh [BUILD_DIR] [CORPUS_DIR]   (needs: python3 + PyYAML, GNU time,
#        node/npm for the peer; RUNS=N to change the repeat count, PEER=no to leave the peer out)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
bench_setup "${1:-$here/../build}" python3 /usr/bin/time
corpus=${2:-$here/../../shared/data/openapi}
runs=${RUNS:-7}
peer_version=4.24.0

python3 "$here/gen-openapi.py" "$work/generated-2000.json" --operations 2000 --yaml "$work/generated-2000.yaml"
largest=$(ls -S "$corpus"/*.json "$corpus"/*.yaml 2>/dev/null | head -n 1)
[ -n "$largest" ] || { echo "no documents in $corpus" >&2; exit 2; }

peer=""
if [ "${PEER:-yes}" != no ] && command -v npm >/dev/null; then
    if npm install --silent --no-audit --no-fund --prefix "$work/peer" "openapi-to-postmanv2@$peer_version" >/dev/null 2>&1; then
        peer="$work/peer/node_modules/.bin/openapi2postmanv2"
    else
        echo "(openapi-to-postmanv2@$peer_version could not be installed: no peer figures)" >&2
    fi
fi

# median_of FILE: the median of the numbers in FILE, one per line.
median_of() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# measure LABEL SIZE COMMAND...: median seconds and peak RSS (MB) over $runs runs; the exit code of the last.
measure() {
    local label=$1 size=$2
    shift 2
    : >"$work/secs"
    : >"$work/kbs"
    : >"$work/cpus"
    local code=0 i
    for ((i = 0; i < runs; i++)); do
        rm -f "$work/ws.json" "$work/out.json"
        code=0
        /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@" >/dev/null 2>"$work/err" || code=$?
        # The last line: a command that fails has GNU time write "Command exited with …" first.
        read -r secs kb user sys < <(tail -n 1 "$work/time") || true
        echo "$secs" >>"$work/secs"
        echo "$kb" >>"$work/kbs"
        awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}' >>"$work/cpus"
    done
    local med kbmed extra_mb ratio cpu
    med=$(median_of "$work/secs")
    cpu=$(median_of "$work/cpus")
    kbmed=$(median_of "$work/kbs")
    extra_mb=$(awk -v k="$kbmed" -v b="$baseline_kb" 'BEGIN {printf "%.1f", (k - b) / 1024}')
    ratio=$(awk -v k="$kbmed" -v b="$baseline_kb" -v s="$size" 'BEGIN {printf "%.1f", (k - b) * 1024 / s}')
    printf '%-62s exit %-2s median %5.2f s  cpu %5.2f s   peak %5d MB   extra %6s MB = %4sx file\n' \
        "$label" "$code" "$med" "$cpu" $((kbmed / 1024)) "$extra_mb" "$ratio"
}

# The baseline is the same import of a one-operation document: what importing costs whatever
# the document (libraries, the workspace a first start writes), so "extra" is what the
# document's size adds.
python3 "$here/gen-openapi.py" "$work/tiny.json" --operations 1
: >"$work/base"
for ((i = 0; i < runs; i++)); do
    rm -f "$work/ws.json"
    /usr/bin/time -f '%e %M' -o "$work/time" "$cli" --workspace "$work/ws.json" import openapi "$work/tiny.json" --json >/dev/null
    cut -d' ' -f2 <"$work/time" >>"$work/base"
done
baseline_kb=$(median_of "$work/base")
echo "tokenbench-cli import of a one-operation document: $((baseline_kb / 1024)) MB; $runs runs each, median"
for doc in "$largest" "$work/generated-2000.json" "$work/generated-2000.yaml"; do
    size=$(stat -c %s "$doc")
    name="$(basename "$doc") ($(awk -v s="$size" 'BEGIN {printf "%.1f MB", s / 1048576}'))"
    measure "tokenbench-cli import openapi $name" "$size" \
        "$cli" --workspace "$work/ws.json" import openapi "$doc" --json
    measure "tokenbench-cli import openapi --dry-run $name" "$size" \
        "$cli" --workspace "$work/ws.json" import openapi "$doc" --dry-run --json
    if [ -n "$peer" ]; then
        measure "openapi2postmanv2 $peer_version $name" "$size" \
            "$peer" -s "$doc" -o "$work/out.json"
    fi
done
echo "(extra = peak minus the one-operation import's; for the peer, minus the same baseline, so node's own start-up is in it)"
