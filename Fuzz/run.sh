#!/usr/bin/env bash
# Builds one libFuzzer target and runs it for a bounded time: Fuzz/run.sh FuzzSnappy 60
# A crash leaves crash-* files here; turn each into a regression test, then delete it.
set -euo pipefail
cd "$(dirname "$0")"
target="${1:?target: FuzzSnappy | FuzzRemoteWrite | FuzzXORChunk | FuzzPromQL | FuzzExposition | FuzzYAML}"
seconds="${2:-60}"
swift build -c release --product "$target"
mkdir -p "corpus/$target"
# Seeds from the repository (read, never written: new inputs go to corpus/<target>).
case "$target" in
    FuzzSnappy) seeds=(../Tests/SnappyTests/Fixtures) ;;
    FuzzYAML) seeds=(../seeds ../Tests/Fixtures/prometheus-config) ;;
    *) seeds=() ;;
esac
".build/release/$target" "corpus/$target" "${seeds[@]}" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048
