#!/usr/bin/env bash
# Peak resident memory (GNU time's %M, the kernel's high-water mark) of tokenbench-cli against
# servers that attack it, with curl making the same requests side by side: `send` against an
# endless body, a gzip bomb (1 GiB of zeros in ~1 MB) and a zstd bomb (1 GiB in 32 KB), at the
# default limit (256 MB) and at --max-response-size 16M; `token` against endless token responses
# (no length, chunked, an 8 GiB Content-Length) and gzip and deflate bombs, whose limit is 1 MB.
# The limit holds when each `send` stays within about twice its limit. curl writes to
# /dev/null and never keeps a body, so its figure is a floor, not a target; it is cut off by
# --max-time where the server never ends. Every server is on loopback and stops by itself.
# Usage: bench/peak-memory.sh [BUILD_DIR]   (needs: curl, jq, python3, GNU time, prlimit)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
bench_setup "${1:-$here/../build}" curl jq python3 /usr/bin/time prlimit

bench_start_demo
bench_spawn hostile python3 "$here/hostile-server.py" --zstd-fixture "$here/../tests/support/fixtures/zeros-1g.zst"
hostile=$(jq -r .url <<<"$line")
ws="$work/ws.json"
"$cli" --workspace "$ws" env add hostile-api --token-url "$token_url" --api-url "$hostile/api" --client-id demo-client >/dev/null
export DEMO_SECRET=demo-secret

# No run may take the machine down: 6 GB of address space at most, 30 s at most.
measure() {
    local label=$1
    shift
    local code=0
    prlimit --as=6442450944 -- /usr/bin/time -f %M -o "$work/rss" timeout 30 "$@" >/dev/null 2>"$work/err" || code=$?
    local kb
    kb=$(tail -n 1 "$work/rss" | grep -Eo '^[0-9]+$' || echo 0)
    printf '%-66s exit %-3s peak %6d MB   %s\n' "$label" "$code" $((kb / 1024)) "$(grep -v '^Command' "$work/err" | tail -n 1 | cut -c1-110)"
}

for path in endless gzip-bomb zstd-bomb; do
    measure "tokenbench-cli send $path (default 256M)" \
        "$cli" --workspace "$ws" send hostile-api GET "/$path" --client-secret-env DEMO_SECRET
    measure "tokenbench-cli send $path --max-response-size 16M" \
        "$cli" --workspace "$ws" send hostile-api GET "/$path" --client-secret-env DEMO_SECRET --max-response-size 16M
    measure "curl --compressed $path (to /dev/null, --max-time 10)" \
        curl -sS --compressed --max-time 10 -o /dev/null "$hostile/api/$path"
done
# The baseline the token runs are held to: an honest token from the Demo API.
measure "tokenbench-cli token (honest, the Demo API)" \
    "$cli" --workspace "$ws" token hostile-api --client-secret-env DEMO_SECRET
for path in token token-chunked token-length token-gzip-bomb token-deflate-bomb; do
    "$cli" --workspace "$ws" env add "hostile-$path" --token-url "$hostile/oauth/$path" --api-url "$hostile/api" \
        --client-id demo-client --allow-insecure-http --replace >/dev/null
    measure "tokenbench-cli token $path (--timeout 10)" \
        "$cli" --workspace "$ws" token "hostile-$path" --client-secret-env DEMO_SECRET --timeout 10
    measure "curl --compressed $path (to /dev/null, --max-time 10)" \
        curl -sS --compressed --max-time 10 -o /dev/null -u demo-client:demo-secret -d grant_type=client_credentials "$hostile/oauth/$path"
done
