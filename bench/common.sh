# Sourced by the bench scripts that time tokenbench-cli against curl: the CLI from a build
# directory, the tools they need, a scratch folder that goes away, and the built-in Demo API in
# its own process (so both clients pay the same network path and server).
#
#   source "$(dirname "$0")/common.sh"
#   bench_setup BUILD_DIR hyperfine curl jq   # sets: cli, work; exits 2 when something is missing
#   bench_start_demo                          # sets: token_url, api_url
#   bench_spawn NAME command…                 # a server whose first stdout line is JSON; sets line

bench_setup() {
    local build
    build=$(cd "$1" && pwd)
    shift
    cli="$build/app/cli/tokenbench-cli"
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "bench needs $tool (apt-get install $tool)" >&2; exit 2; }
    done
    [ -x "$cli" ] || { echo "no $cli: build first" >&2; exit 2; }
    work=$(mktemp -d)
    bench_pids=()
    trap 'kill "${bench_pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
}

# Starts a server in the background and reads its first line of output (its address, as JSON).
# Its stdin stays open (a held FIFO) until the script ends: some servers stop when it closes.
bench_spawn() {
    local out="$work/$1.out" in="$work/$1.in"
    shift
    mkfifo "$out" "$in"
    exec {bench_hold}<>"$in"
    "$@" <"$in" >"$out" &
    bench_pids+=("$!")
    exec {bench_fd}<"$out"
    read -r line <&"$bench_fd"
}

bench_start_demo() {
    bench_spawn demo "$cli" --json demo --port 0
    token_url=$(jq -r .token_url <<<"$line")
    api_url=$(jq -r .api_url <<<"$line")
}
