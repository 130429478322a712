#!/usr/bin/env bash
# The scope matrix against curl doing the same work (issue 12, item 8), side by side in one run,
# against a small protected API on loopback (bench/matrix-api.py: a token endpoint, and an API
# that checks each token's scopes).
#
# The plan: 100 requests (GET /api/items/N), each needing four scopes, so every request has five
# scope sets with a token — the four scopes, and the four less each one in turn — plus the
# no-token column the matrix always has: 600 API requests and 5 token requests. curl makes
# exactly those: the 5 token requests, then the 600 requests with the right token each (none for
# the no-token column).
#   1. sequential: `matrix --concurrency 1` against curl with one connection (one invocation);
#   2. the API answering each request after 20 ms: `matrix --concurrency 8` against
#      `curl --parallel --parallel-max 8`.
# Target for both: a ratio of medians within 1.2×. Use a Release build for figures worth quoting.
# Usage: bench/matrix.sh [BUILD_DIR]          (needs: hyperfine, curl, jq, python3)
#        RUNS=10 bench/matrix.sh …            (hyperfine runs per command, at least 5)
#        PARTS=sequential bench/matrix.sh …   (only part 1; PARTS=parallel: only part 2)
#        BASELINE=/tmp/old/tokenbench-cli bench/matrix.sh …   (that build's matrix too, in the
#                                             same hyperfine run: before and after on one load)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
runs=${RUNS:-10}
[ "$runs" -ge 5 ] || runs=5
bench_setup "${1:-$here/../build}" hyperfine curl jq python3
requests=100
delay_ms=20
scopes=(items:read items:write items:audit items:export)
umask 077

plan="$work/plan.json"
jq -n --argjson n "$requests" --arg scopes "${scopes[*]}" '{
    title: "bench: \($n) requests",
    requests: [range(1; $n + 1) | {name: "Item \(.)", url: "/items/\(.)", scopes: ($scopes | split(" ")), success: 200}]
}' >"$plan"

# The token and API requests curl makes, with @T1@…@T5@ where the tokens go: the 5 scope sets,
# then a group of 100 requests per set (and one without a token), on one connection.
sets=("${scopes[*]}")
for ((i = 0; i < ${#scopes[@]}; i++)); do
    sets+=("$(printf '%s\n' "${scopes[@]}" | sed "$((i + 1))d" | tr '\n' ' ' | sed 's/ $//')")
done
write_configs() { # BASE_URL PREFIX [parallel]
    local base=$1 prefix=$2 k n
    {
        for ((k = 0; k < ${#sets[@]}; k++)); do
            [ "$k" -gt 0 ] && echo next
            echo "url = \"$base/oauth/token\""
            echo 'user = "bench-client:bench-secret"'
            echo "data = \"grant_type=client_credentials&scope=$(jq -rn --arg s "${sets[$k]}" '$s | @uri')\""
            echo "output = \"$work/$prefix-token-$((k + 1)).json\""
        done
    } >"$work/$prefix-tokens.cfg"
    {
        printf 'silent\nshow-error\n'
        [ "${3:-}" = parallel ] && printf 'parallel\nparallel-max = 8\n'
        echo 'write-out = "%{http_code} %{num_connects}\n"'
        for ((k = 0; k <= ${#sets[@]}; k++)); do
            [ "$k" -gt 0 ] && printf 'next\nwrite-out = "%%{http_code} %%{num_connects}\\n"\n'
            [ "$k" -lt ${#sets[@]} ] && echo "header = \"Authorization: Bearer @T$((k + 1))@\""
            for ((n = 1; n <= requests; n++)); do
                echo "url = \"$base/api/items/$n\""
                echo 'output = "/dev/null"'
            done
        done
    } >"$work/$prefix-api.cfg.in"
    # What curl runs, timed whole: the token requests, the tokens into the config, the API requests.
    cat >"$work/$prefix-curl.sh" <<EOF
set -e
curl -sS --config "$work/$prefix-tokens.cfg"
set -- \$(jq -r .access_token "$work/$prefix-token-"{1,2,3,4,5}.json)
sed -e "s/@T1@/\$1/" -e "s/@T2@/\$2/" -e "s/@T3@/\$3/" -e "s/@T4@/\$4/" -e "s/@T5@/\$5/" "$work/$prefix-api.cfg.in" >"$work/$prefix-api.cfg"
curl -sS --config "$work/$prefix-api.cfg"
EOF
}

ws="$work/ws.json"
export BENCH_SECRET=bench-secret
run_part() { # NAME DELAY_MS CONCURRENCY [parallel]
    local name=$1 delay=$2 concurrency=$3 mode=${4:-}
    bench_spawn "api-$name" python3 "$here/matrix-api.py" --scopes "${scopes[*]}" --delay-ms "$delay"
    local base
    base=$(jq -r .url <<<"$line")
    "$cli" --workspace "$ws" env add "bench-$name" --token-url "$base/oauth/token" --api-url "$base/api" \
        --client-id bench-client --scope items:read --replace >/dev/null
    write_configs "$base" "$name" "$mode"
    local matrix=("$cli" --workspace "$ws" matrix "$plan" --env "bench-$name" --client-secret-env BENCH_SECRET --concurrency "$concurrency")

    # Both must do the real work: every expectation holds for the runner (5 tokens, 600 cells),
    # and curl gets 100 × 200, 400 × 403 and 100 × 401.
    local report
    report=$("${matrix[@]}" --json) || { echo "matrix failed: $(jq -c .summary <<<"$report")" >&2; exit 1; }
    jq -e '.totalCells == 600 and .tokenRequests == 5 and .summary."as-expected" == 600' <<<"$report" >/dev/null \
        || { echo "matrix did not do the planned work: $(jq -c '{totalCells, tokenRequests, summary}' <<<"$report")" >&2; exit 1; }
    local statuses
    statuses=$(bash "$work/$name-curl.sh" | awk '{ n[$1]++; c += $2 } END { printf "200×%d 403×%d 401×%d, %d connections", n[200], n[403], n[401], c }')
    case "$statuses" in
    "200×100 403×400 401×100, "*) ;;
    *) echo "curl did not do the same work: $statuses" >&2; exit 1 ;;
    esac
    echo "curl: $statuses"

    local baseline=()
    if [ -n "${BASELINE:-}" ]; then
        local before=("$BASELINE" "${matrix[@]:1}")
        baseline=(-n "baseline matrix --concurrency $concurrency" "${before[*]}")
    fi
    hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/$name.json" \
        -n "tokenbench-cli matrix --concurrency $concurrency" "${matrix[*]}" \
        -n "curl${mode:+ --parallel --parallel-max 8}" "bash $work/$name-curl.sh" "${baseline[@]}" >/dev/null
    jq -r '.results as $r | ($r[0].median / $r[1].median) as $ratio
        | ($r[] | "  \(.command): median \(.median * 1000 | round) ms (min \(.min * 1000 | round), max \(.max * 1000 | round))"),
          "  ratio tokenbench-cli / curl: \($ratio * 100 | round / 100) (target ≤ 1.2)",
          (if ($r | length) > 2 then "  ratio baseline / curl: \($r[2].median / $r[1].median * 100 | round / 100)" else empty end)' "$work/$name.json"
}

echo "plan: $requests requests × 5 scope sets with a token + no token = 600 API requests, 5 token requests; runs: $runs"
echo
parts=${PARTS:-sequential parallel}
if [[ " $parts " == *" sequential "* ]]; then
    echo "1. sequential, one connection, loopback API answering at once"
    run_part sequential 0 1
    echo
fi
if [[ " $parts " == *" parallel "* ]]; then
    echo "2. loopback API answering after $delay_ms ms, 8 at once"
    run_part parallel "$delay_ms" 8 parallel
fi
