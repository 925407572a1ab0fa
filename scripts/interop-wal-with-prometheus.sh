#!/usr/bin/env bash
# Interop check: a WAL written by Sugarmill is replayed by real Prometheus 2.42 and gives the
# same answers. Pushes samples (incl. NaN and a stale marker) to Sugarmill, stops it, starts
# Prometheus on the same data directory and compares /api/v1/query results byte for byte.
# Needs: a release build (swift build -c release --product sugarmill), the `prometheus` Debian
# package, python3 with cramjam. Listens on 127.0.0.1 only; bounded in time.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${SUGARMILL_BIN:-$here/.build/release/sugarmill}"
bench="${BENCH_DIR:-$here/../shared/bench}"
data="$(mktemp -d)"
cfg="$data/prometheus.yml"; : > "$cfg"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$data"' EXIT

"$bin" --storage.tsdb.path="$data" --web.listen-address=127.0.0.1:19393 --log.level=warn &
sm=$!
for _ in $(seq 50); do curl -sf 127.0.0.1:19393/-/ready >/dev/null && break; sleep 0.1; done

now=$(( $(date +%s) / 15 * 15 ))
python3 - "$bench" "$now" <<'PY'
import sys, struct, urllib.request
sys.path.insert(0, sys.argv[1])
import remote_write, cramjam
now = int(sys.argv[2]) * 1000
def labels(pairs):
    return b"".join(b"\x0a" + remote_write.varint(len(x)) + x for x in
        (b"\x0a" + remote_write.varint(len(n)) + n + b"\x12" + remote_write.varint(len(v)) + v
         for n, v in pairs))
nan = struct.unpack("<d", struct.pack("<Q", 0x7ff8000000000001))[0]
stale = struct.unpack("<d", struct.pack("<Q", 0x7ff0000000000002))[0]
series = []
for i in range(50):
    lab = labels([(b"__name__", b"interop_metric"), (b"i", str(i).encode()), (b"job", b"interop")])
    vals = [i * 0.1 + k / 3 for k in range(40)]
    vals[5] = nan
    if i % 10 == 0:
        vals[39] = stale
    series.append((lab, [(now - (39 - k) * 15000, v) for k, v in enumerate(vals)]))
body = cramjam.snappy.compress_raw(remote_write.encode_write_request(series))
req = urllib.request.Request("http://127.0.0.1:19393/api/v1/write", data=bytes(body),
    headers={"Content-Type": "application/x-protobuf", "Content-Encoding": "snappy"})
assert urllib.request.urlopen(req).status == 204
PY

# Evaluated 7 s after the last scrape: no sample sits exactly at t - range, where Prometheus
# 2.42 (closed ranges) and 3.x / Sugarmill (left-open ranges) differ by design.
at=$(( now - 7 ))
queries=("interop_metric%5B10m%5D" "interop_metric" "interop_metric%7Bi%3D~%221.%22%7D%5B3m%5D" "interop_metric%7Bi%3D%2210%22%7D")
for q in "${queries[@]}"; do curl -s "127.0.0.1:19393/api/v1/query?query=$q&time=$at" > "$data/sm-${q//%/_}.json"; done
kill -TERM $sm; wait $sm || true

prometheus --config.file="$cfg" --storage.tsdb.path="$data" --web.listen-address=127.0.0.1:19394 --log.level=warn &
for _ in $(seq 100); do curl -sf 127.0.0.1:19394/-/ready >/dev/null && break; sleep 0.2; done
status=0
for q in "${queries[@]}"; do
  curl -s "127.0.0.1:19394/api/v1/query?query=$q&time=$at" > "$data/prom-${q//%/_}.json"
  if cmp -s "$data/sm-${q//%/_}.json" "$data/prom-${q//%/_}.json"; then
    echo "SAME  $q"
  else
    echo "DIFF  $q"; head -c 400 "$data/sm-${q//%/_}.json"; echo; head -c 400 "$data/prom-${q//%/_}.json"; echo
    status=1
  fi
done
exit $status
