#!/usr/bin/env bash
# N sequential API requests with one token over one connection: `tokenbench-cli send --repeat N`
# against curl fetching the same N URLs in one invocation (curl keeps the connection alive
# between them), both against the built-in Demo API running in its own process. Issue 5 item 10:
# the target is a ratio of medians within 1.5×. Use a Release build for figures worth quoting.
# Usage: bench/send-vs-curl.sh [BUILD_DIR] [N=1000]   (needs: hyperfine, curl, jq)
#        RUNS=10 bench/send-vs-curl.sh …              (hyperfine runs per command, at least 5)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
n=${2:-1000}
runs=${RUNS:-10}
if ! [[ "$n" =~ ^[0-9]+$ ]] || [ "$n" -lt 1 ] || [ "$n" -gt 100000 ]; then
    echo "N must be 1..100000" >&2
    exit 2
fi
[ "$runs" -ge 5 ] || runs=5
bench_setup "${1:-$here/../build}" hyperfine curl jq
bench_start_demo
scopes="accounts:read core.users:act-on-behalf-of"

# The environment as the Demo's own: bearer plus X-On-Behalf-Of: user {{userId}}.
ws="$work/ws.json"
"$cli" --workspace "$ws" env add bench-env --token-url "$token_url" --api-url "$api_url" --client-id demo-client \
    --scope "$scopes" --header 'X-On-Behalf-Of: user {{userId}}' --var userId=demo-user >/dev/null
export DEMO_SECRET=demo-secret

# curl gets one token up front; the request headers go in a config file (mode 600), not argv.
token=$(curl -sS -u demo-client:demo-secret -d grant_type=client_credentials --data-urlencode "scope=$scopes" "$token_url" \
    | jq -er .access_token)
umask 077
{
    echo "silent"
    echo "show-error"
    echo "header = \"Authorization: Bearer $token\""
    echo "header = \"X-On-Behalf-Of: user demo-user\""
    for ((i = 0; i < n; i++)); do
        echo "url = \"$api_url/accounts\""
        echo "output = \"/dev/null\""
    done
} >"$work/curl.cfg"

# Both must really be fetching the accounts (200), not a denial, or the timing means nothing.
printf 'Authorization: Bearer %s\nX-On-Behalf-Of: user demo-user\n' "$token" >"$work/headers"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "@$work/headers" "$api_url/accounts")
[ "$status" = 200 ] || { echo "curl got $status from $api_url/accounts" >&2; exit 1; }
connects=$(head -n 8 "$work/curl.cfg" | curl --config - -w '%{num_connects}\n' | awk '{ s += $1 } END { print s }')
send=("$cli" --workspace "$ws" send bench-env GET /accounts --client-secret-env DEMO_SECRET)
summary=$("${send[@]}" --repeat 3 --json 2>/dev/null | jq -c .repeat)
[ "$(jq -r '.statuses["200"]' <<<"$summary")" = 3 ] || { echo "tokenbench-cli: $summary" >&2; exit 1; }
echo "Demo API: $api_url    N = $n requests per run    runs: $runs"
echo "curl connections for 2 URLs in one invocation: $connects (1 = reused)"

hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/send.json" \
    -n "tokenbench-cli send --repeat $n" "${send[*]} --repeat $n" \
    -n "curl, $n URLs on one connection" "curl --config $work/curl.cfg"
jq -r --argjson n "$n" '.results as $r | ($r[0].median / $r[1].median) as $ratio
    | ($r[] | "\(.command): median \(.median * 1000 | . * 100 | round / 100) ms (\(.median * 1e6 / $n | . * 10 | round / 10) µs per request)"),
      "ratio tokenbench-cli / curl: \($ratio * 100 | round / 100) (target ≤ 1.5)"' "$work/send.json"
