#!/usr/bin/env bash
# Builds one libFuzzer target and runs it for a bounded time: Fuzz/run.sh FuzzSnappy 60
# A crash leaves crash-* files here; turn each into a regression test, then delete it.
set -euo pipefail
cd "$(dirname "$0")"
targets="FuzzSnappy | FuzzRemoteWrite | FuzzXORChunk | FuzzPromQL | FuzzExposition | FuzzYAML | FuzzOTLP | FuzzWALRecord | FuzzIndexReader | FuzzProtobufExposition | FuzzHistogramChunk"
target="${1:?target: $targets}"
seconds="${2:-60}"
swift build -c release --product "$target"
mkdir -p "corpus/$target"
# Seeds, read and never written (new inputs go to corpus/<target>): seeds/<target> (small inputs
# kept in git) and the repository's files of the target's kind.
fixtures=../Tests/Fixtures/prometheus-2.42
seeds=("seeds/$target")
case "$target" in
    FuzzSnappy) seeds+=(../Tests/SnappyTests/Fixtures) ;;
    FuzzYAML) seeds+=(../seeds ../Tests/Fixtures/prometheus-config) ;;
    FuzzWALRecord) seeds+=("$fixtures"/server-2.42/wal-snappy "$fixtures"/server-2.42/wal-uncompressed "$fixtures"/server-2.42/checkpoint.00000001 ../Tests/Fixtures/prometheus-2.42-nh/wal) ;;
    FuzzProtobufExposition) seeds+=(../Tests/Fixtures/prometheus-protobuf) ;;
    FuzzIndexReader) seeds+=("$fixtures"/server-2.42/01M8C60Z0X7V1TMCCE0KCHVS4J "$fixtures"/promtool-blocks) ;;
esac
".build/release/$target" "corpus/$target" "${seeds[@]}" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048
