#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang (ASan + UBSan) and runs each for RUNS executions
# (default 1,000,000) from the seed corpus. Crashers are left in build-fuzz/crashers/ and must
# become Qt Test cases. Usage: tests/fuzz/run.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-1000000}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTOKENBENCH_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-fuzz --target fuzz_jwt fuzz_tokenresponse fuzz_workspace fuzz_workspacetyped fuzz_template fuzz_wwwauthenticate fuzz_curl fuzz_matrixplan fuzz_responsedecoder
mkdir -p build-fuzz/crashers
for fuzzer in build-fuzz/tests/fuzz/fuzz_*; do
    [ -f "$fuzzer" ] && [ -x "$fuzzer" ] || continue
    name=$(basename "$fuzzer")
    corpus="build-fuzz/corpus/$name"
    mkdir -p "$corpus"
    cp -n tests/fuzz/corpus/"${name#fuzz_}"/* "$corpus"/ 2>/dev/null || true
    echo "== $name: $runs runs"
    "$fuzzer" -runs="$runs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -artifact_prefix=build-fuzz/crashers/"$name"- "$corpus" 2>&1 \
        | grep -E '^(#[0-9]+\s+DONE|Done|==[0-9]+==ERROR|SUMMARY)' || true
done
