#!/bin/sh
# Regenerates Tests/Fixtures/prometheus-2.42-nh with Debian's Prometheus 2.42
# (apt-get install -y prometheus). Not part of the test suite. Takes about 4.5 minutes.
#
#   generate.sh OUTDIR [RUN_SECONDS]
#
# Everything listens on 127.0.0.1 only; both processes are stopped (SIGTERM) at the end.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: generate.sh OUTDIR [RUN_SECONDS]}
run_seconds=${2:-270}
exporter_port=19142
prom_port=19090
work=$(mktemp -d /tmp/nh-fixture.XXXXXX)
mkdir -p "$out"

cat > "$work/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 900ms
scrape_configs:
  - job_name: nh
    static_configs:
      - targets: ['127.0.0.1:$exporter_port']
EOF

python3 "$here/exporter.py" $exporter_port &
exporter_pid=$!

# Start just after a minute boundary, so that the first block (which holds all data before it)
# covers nearly a full minute.
while [ "$(date -u +%S)" != "01" ]; do sleep 0.2; done

prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
    --web.listen-address=127.0.0.1:$prom_port \
    --enable-feature=native-histograms \
    --storage.tsdb.min-block-duration=1m --storage.tsdb.max-block-duration=1m \
    --no-storage.tsdb.wal-compression \
    --log.level=info > "$work/prometheus.log" 2>&1 &
prom_pid=$!
trap 'kill $prom_pid $exporter_pid 2>/dev/null || true' EXIT

sleep "$run_seconds"

# The oldest block: nothing was scraped before it, so queries inside its range see only its data.
block=$(ls -d "$work"/data/01* | sort | head -n 1)
python3 "$here/golden.py" "http://127.0.0.1:$prom_port" "$block/meta.json" "$out/golden"

kill -TERM $prom_pid
wait $prom_pid || true
kill -TERM $exporter_pid
wait $exporter_pid 2>/dev/null || true
trap - EXIT

rm -rf "$out"/01* "$out/wal" "$out/chunks_head"
cp -r "$block" "$out/"
cp -r "$work/data/wal" "$out/wal"
cp -r "$work/data/chunks_head" "$out/chunks_head"
cp "$work/prometheus.log" "$out/prometheus.log"

# promtool (2.42) output on the block. Its `tsdb dump` needs a wal/ folder next to the block.
dump=$(mktemp -d /tmp/nh-dump.XXXXXX)
cp -r "$block" "$dump/" && mkdir "$dump/wal"
promtool tsdb dump "$dump" > "$out/golden/promtool-dump.txt" 2>&1 || true
promtool tsdb analyze "$dump" > "$out/golden/promtool-analyze.txt" 2>&1 || true
rm -rf "$dump" "$work"
echo "block $(basename "$block") -> $out"
