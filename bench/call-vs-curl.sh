#!/usr/bin/env bash
# One token plus one API call as a fresh process — what a CI step does — side by side with curl:
# `tokenbench-cli send` (authorizes, injects the bearer and X-On-Behalf-Of, calls the API) against
# sh running curl twice (the token POST, then the GET with the token cut out of the JSON by the
# shell itself, no jq), both against the built-in Demo API in its own process. Target: within 1.3×.
# Usage: bench/call-vs-curl.sh [BUILD_DIR] [RUNS]   (needs: hyperfine, curl, jq)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
runs=${2:-30}
bench_setup "${1:-$here/../build}" hyperfine curl jq
bench_start_demo
scopes="accounts:read core.users:act-on-behalf-of"

ws="$work/ws.json"
"$cli" --workspace "$ws" env add bench-env --token-url "$token_url" --api-url "$api_url" --client-id demo-client \
    --scope "$scopes" --header 'X-On-Behalf-Of: user {{userId}}' --var userId=demo-user >/dev/null
export DEMO_SECRET=demo-secret

# The curl side as a person would script it; the secret on curl's argv is the Demo's public one.
cat >"$work/curl.sh" <<SH
tok=\$(curl -sS -u demo-client:demo-secret -d grant_type=client_credentials --data-urlencode 'scope=$scopes' '$token_url')
tok=\${tok#*\"access_token\":\"}
tok=\${tok%%\"*}
exec curl -sS -H "Authorization: Bearer \$tok" -H 'X-On-Behalf-Of: user demo-user' '$api_url/accounts'
SH
# Both must really get the accounts, or the timing means nothing.
sh "$work/curl.sh" | jq -e '.[0].id' >/dev/null || { echo "the curl script did not get the accounts" >&2; exit 1; }
"$cli" --workspace "$ws" send bench-env GET /accounts --client-secret-env DEMO_SECRET | jq -e '.[0].id' >/dev/null \
    || { echo "tokenbench-cli did not get the accounts" >&2; exit 1; }

echo "Demo API: $api_url    runs: $runs"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/call.json" \
    -n "tokenbench-cli send (token + call)" "$cli --workspace $ws send bench-env GET /accounts --client-secret-env DEMO_SECRET" \
    -n "sh + curl ×2 (token, then call)" "sh $work/curl.sh"
jq -r '.results as $r | ($r[0].median / $r[1].median) as $ratio
    | ($r[] | "\(.command): median \(.median * 1000 | . * 100 | round / 100) ms"),
      "ratio tokenbench-cli / curl: \($ratio * 100 | round / 100) (target ≤ 1.3)"' "$work/call.json"
