#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time, two at a time (this machine has 2 cores), and
# prints one line per target: Fuzz/run-all.sh 600
# Each target's log goes to Fuzz/logs/<target>.log; a crash leaves crash-* files (see run.sh).
set -uo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
targets=(FuzzSnappy FuzzRemoteWrite FuzzXORChunk FuzzPromQL FuzzExposition FuzzYAML FuzzOTLP FuzzWALRecord FuzzIndexReader FuzzProtobufExposition FuzzHistogramChunk)
mkdir -p logs
# Build everything first, so the runs do not compete with compiles.
for target in "${targets[@]}"; do swift build -c release --product "$target" >/dev/null || exit 1; done
run() {
    if ./run.sh "$1" "$seconds" >"logs/$1.log" 2>&1; then result=ok; else result=CRASH; fi
    runs=$(grep -oE '^Done [0-9]+ runs' "logs/$1.log" | grep -oE '[0-9]+' || echo "?")
    echo "$1: $result, $runs runs in ${seconds}s"
}
for ((i = 0; i < ${#targets[@]}; i += 2)); do
    run "${targets[$i]}" &
    if ((i + 1 < ${#targets[@]})); then run "${targets[$((i + 1))]}" & fi
    wait
done
if ls crash-* >/dev/null 2>&1 || grep -lq "ERROR: libFuzzer\|ERROR: AddressSanitizer\|Fatal error" logs/*.log; then
    echo "a target crashed: see Fuzz/logs and Fuzz/crash-*"
    exit 1
fi
