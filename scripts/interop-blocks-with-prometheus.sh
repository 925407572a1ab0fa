#!/usr/bin/env bash
# Interop check for blocks, both ways, against real Prometheus 2.42:
#  1. Sugarmill ingests 30 minutes of data with 1-minute blocks, compacts, stops; Prometheus
#     starts on the same directory and must answer the same queries with the same bytes.
#  2. promtool builds blocks from an OpenMetrics file; Prometheus answers queries on them; then
#     Sugarmill starts on that directory and must answer with the same bytes.
#  3. a live Prometheus receives the same data by remote write (WAL + chunks_head, 1-minute
#     chunk ranges), stops; Sugarmill starts on its directory and must answer the same.
# Needs: a release build, the `prometheus` Debian package, python3 + cramjam. 127.0.0.1 only.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${SUGARMILL_BIN:-$here/.build/release/sugarmill}"
bench="${BENCH_DIR:-$here/../shared/bench}"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
: > "$work/prometheus.yml"
status=0

wait_ready() { for _ in $(seq 150); do curl -sf "127.0.0.1:$1/-/ready" >/dev/null && return 0; sleep 0.2; done; echo "port $1 not ready"; exit 1; }
query_all() { # port outfile-prefix at
  for q in "${queries[@]}"; do curl -s "127.0.0.1:$1/api/v1/query?query=$q&time=$3" > "$2-$(echo "$q" | md5sum | cut -c1-8).json"; done
}
compare() { # prefixA prefixB label
  for q in "${queries[@]}"; do
    h=$(echo "$q" | md5sum | cut -c1-8)
    if cmp -s "$1-$h.json" "$2-$h.json"; then echo "SAME  $3  $q"; else
      echo "DIFF  $3  $q"; head -c 300 "$1-$h.json"; echo; head -c 300 "$2-$h.json"; echo; status=1; fi
  done
}

now=$(( $(date +%s) / 60 * 60 ))
# Evaluation 7 s after a scrape: no sample sits exactly at t - range (2.42 closed vs 3.x open ranges).
queries=("interop_metric%5B10m%5D" "interop_metric" "interop_metric%7Bi%3D~%221.%22%7D%5B30m%5D" "count_metric%5B5m%5D")

# --- 1. Sugarmill writes, Prometheus reads -------------------------------------------------
d1="$work/sm-data"
"$bin" --storage.tsdb.path="$d1" --web.listen-address=127.0.0.1:19493 --storage.tsdb.min-block-duration=1m \
  --storage.tsdb.max-block-duration=3m --log.level=warn &
sm=$!
wait_ready 19493
python3 - "$bench" "$now" <<'PY'
import sys, urllib.request
sys.path.insert(0, sys.argv[1])
import remote_write, cramjam
now = int(sys.argv[2]) * 1000
def labels(pairs):
    return b"".join(b"\x0a" + remote_write.varint(len(x)) + x for x in
        (b"\x0a" + remote_write.varint(len(n)) + n + b"\x12" + remote_write.varint(len(v)) + v for n, v in pairs))
for step in range(0, 120):  # 30 minutes at 15 s, one request per scrape round
    t = now - (119 - step) * 15000
    series = [(labels([(b"__name__", b"interop_metric"), (b"i", str(i).encode()), (b"job", b"x")]), [(t, i * 0.25 + step / 7)]) for i in range(30)]
    series.append((labels([(b"__name__", b"count_metric"), (b"job", b"x")]), [(t, float(step))]))
    body = cramjam.snappy.compress_raw(remote_write.encode_write_request(series))
    req = urllib.request.Request("http://127.0.0.1:19493/api/v1/write", data=bytes(body), headers={"Content-Type": "application/x-protobuf"})
    assert urllib.request.urlopen(req).status == 204
PY
for _ in $(seq 100); do [ "$(ls "$d1" | grep -c '^01')" -ge 3 ] && break; sleep 0.2; done
echo "sugarmill wrote $(ls "$d1" | grep -c '^01') blocks"
at=$(( now - 7 ))
query_all 19493 "$work/a-sm" "$at"
kill -TERM $sm; wait $sm || true
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$d1" --web.listen-address=127.0.0.1:19494 \
  --storage.tsdb.retention.time=100y --log.level=error &
pr=$!
wait_ready 19494
query_all 19494 "$work/a-prom" "$at"
kill -TERM $pr; wait $pr || true
compare "$work/a-sm" "$work/a-prom" "sugarmill-blocks/prometheus"

# --- 2. promtool writes, Sugarmill reads ---------------------------------------------------
d2="$work/pt-data"; mkdir -p "$d2"
python3 - "$now" > "$work/input.om" <<'PY'
import sys
now = int(sys.argv[1])
for i in range(30):
    print("# TYPE interop_metric gauge") if i == 0 else None
    for step in range(120):
        print('interop_metric{i="%d",job="x"} %r %d' % (i, i * 0.25 + step / 7, now - (119 - step) * 15))
print("# TYPE count_metric gauge")
for step in range(120):
    print('count_metric{job="x"} %d %d' % (step, now - (119 - step) * 15))
print("# EOF")
PY
promtool tsdb create-blocks-from openmetrics "$work/input.om" "$d2" >/dev/null
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$d2" --web.listen-address=127.0.0.1:19495 \
  --storage.tsdb.retention.time=100y --log.level=error &
pr=$!
wait_ready 19495
query_all 19495 "$work/b-prom" "$at"
kill -TERM $pr; wait $pr || true
"$bin" --storage.tsdb.path="$d2" --web.listen-address=127.0.0.1:19496 --storage.tsdb.retention.time=100y --log.level=warn &
sm=$!
wait_ready 19496
query_all 19496 "$work/b-sm" "$at"
kill -TERM $sm; wait $sm || true
compare "$work/b-prom" "$work/b-sm" "prometheus-blocks/sugarmill"

# --- 3. a live Prometheus writes (WAL + chunks_head), Sugarmill reads --------------------------
d3="$work/prom-live"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$d3" --web.listen-address=127.0.0.1:19497 \
  --web.enable-remote-write-receiver --storage.tsdb.min-block-duration=1m --storage.tsdb.max-block-duration=3m \
  --storage.tsdb.retention.time=100y --log.level=error &
pr=$!
wait_ready 19497
python3 - "$bench" "$now" 19497 <<'PY'
import sys, urllib.request
sys.path.insert(0, sys.argv[1])
import remote_write, cramjam
now, port = int(sys.argv[2]) * 1000, sys.argv[3]
def labels(pairs):
    return b"".join(b"\x0a" + remote_write.varint(len(x)) + x for x in
        (b"\x0a" + remote_write.varint(len(n)) + n + b"\x12" + remote_write.varint(len(v)) + v for n, v in pairs))
for step in range(0, 120):
    t = now - (119 - step) * 15000
    series = [(labels([(b"__name__", b"interop_metric"), (b"i", str(i).encode()), (b"job", b"x")]), [(t, i * 0.25 + step / 7)]) for i in range(30)]
    series.append((labels([(b"__name__", b"count_metric"), (b"job", b"x")]), [(t, float(step))]))
    body = cramjam.snappy.compress_raw(remote_write.encode_write_request(series))
    req = urllib.request.Request("http://127.0.0.1:%s/api/v1/write" % port, data=bytes(body), headers={"Content-Type": "application/x-protobuf"})
    assert urllib.request.urlopen(req).status == 204
PY
query_all 19497 "$work/c-prom" "$at"
kill -TERM $pr; wait $pr || true
echo "prometheus left: $(ls "$d3" | tr '\n' ' ') chunks_head files: $(ls "$d3/chunks_head" 2>/dev/null | wc -l)"
"$bin" --storage.tsdb.path="$d3" --web.listen-address=127.0.0.1:19498 --storage.tsdb.retention.time=100y --log.level=warn &
sm=$!
wait_ready 19498
query_all 19498 "$work/c-sm" "$at"
kill -TERM $sm; wait $sm || true
compare "$work/c-prom" "$work/c-sm" "prometheus-live/sugarmill"
exit $status
