#!/usr/bin/env bash
# One token request as a fresh process: tokenbench-cli against curl making the same request,
# against the built-in Demo API and against oidc-provider, side by side with hyperfine.
# Usage: bench/token-vs-curl.sh [BUILD_DIR] [RUNS]   (needs: hyperfine, curl, jq, node)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
runs=${2:-30}
cli="$build/app/cli/tokenbench-cli"
oidc_dir="$build/tests/integration/oidc"
for tool in hyperfine curl jq node; do
    command -v "$tool" >/dev/null || { echo "bench needs $tool (apt-get install $tool)" >&2; exit 2; }
done
[ -x "$cli" ] || { echo "no $cli: build first" >&2; exit 2; }
[ -d "$oidc_dir/node_modules" ] || (cd "$oidc_dir" && npm ci --no-audit --no-fund --silent)

work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# The Demo API in its own process, so both clients pay the same network path.
coproc DEMO { exec "$cli" --json demo --port 0; }
pids+=("$DEMO_PID")
read -r demo_line <&"${DEMO[0]}"
demo_token_url=$(jq -r .token_url <<<"$demo_line")

coproc OIDC { exec node "$oidc_dir/server.mjs" --port 0; }
pids+=("$OIDC_PID")
read -r oidc_line <&"${OIDC[0]}"
oidc_token_url=$(jq -r .token_endpoint <<<"$oidc_line")

ws="$work/ws.json"
"$cli" --workspace "$ws" env add bench-demo --token-url "$demo_token_url" --api-url "${demo_token_url%/oauth/token}/api" \
    --client-id demo-client --scope "accounts:read trades:read" >/dev/null
"$cli" --workspace "$ws" env add bench-oidc --token-url "$oidc_token_url" --api-url http://127.0.0.1/api \
    --client-id tb-basic --scope "accounts:read trades:read" >/dev/null

export DEMO_SECRET=demo-secret OIDC_SECRET=basic-secret
echo "Demo API: $demo_token_url    oidc-provider: $oidc_token_url    runs: $runs"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/demo.json" \
    -n "tokenbench-cli token (Demo API)" "$cli --workspace $ws token bench-demo --client-secret-env DEMO_SECRET" \
    -n "curl (Demo API)" "curl -sS -u demo-client:demo-secret -d grant_type=client_credentials --data-urlencode 'scope=accounts:read trades:read' $demo_token_url"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/oidc.json" \
    -n "tokenbench-cli token (oidc-provider)" "$cli --workspace $ws token bench-oidc --client-secret-env OIDC_SECRET" \
    -n "curl (oidc-provider)" "curl -sS -u tb-basic:basic-secret -d grant_type=client_credentials --data-urlencode 'scope=accounts:read trades:read' $oidc_token_url"
# Medians, and the ratio of medians, per server.
for server in demo oidc; do
    jq -r '.results as $r | ($r[0].median / $r[1].median) as $ratio
        | ($r[] | "\(.command): median \(.median * 1000 | . * 100 | round / 100) ms"),
          "ratio tokenbench-cli / curl: \($ratio * 100 | round / 100)"' "$work/$server.json"
done
