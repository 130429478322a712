#!/usr/bin/env bash
# One token request as a fresh process: tokenbench-cli against curl making the same request,
# against the built-in Demo API and against oidc-provider, side by side with hyperfine.
# Usage: bench/token-vs-curl.sh [BUILD_DIR] [RUNS]   (needs: hyperfine, curl, jq, node)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
runs=${2:-30}
bench_setup "${1:-$here/../build}" hyperfine curl jq node
oidc_dir="$(dirname "$(dirname "$(dirname "$cli")")")/tests/integration/oidc"
[ -d "$oidc_dir/node_modules" ] || (cd "$oidc_dir" && npm ci --no-audit --no-fund --silent)

bench_start_demo
demo_token_url=$token_url
bench_spawn oidc node "$oidc_dir/server.mjs" --port 0
oidc_token_url=$(jq -r .token_endpoint <<<"$line")

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
