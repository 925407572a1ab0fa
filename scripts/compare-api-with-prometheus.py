#!/usr/bin/env python3
"""Issue #6 acceptance: the HTTP API answers promtool and Grafana as Prometheus 2.42 does.

Both servers get the same data by remote write (the bench harness's node_exporter-like
dataset: counters, gauges, histograms, summaries, stale markers, gaps). Then:

1. promtool 2.42 `query instant`, `query range`, `query series` and `query labels` run against
   both; their outputs must be identical.
2. A recorded set of requests as Grafana's Prometheus data source sends them (spec
   compat-apis.md §2: "Save & test" `1+1` at time=4 as form POST, buildinfo, metric and label
   browsers with `limit=40000`, `match[]={__name__!=""}`, variables, float steps and times,
   the exemplar probe with millisecond times, POST with GET fallback paths, annotations at 60 s
   step) must all succeed on both, with equal JSON after putting series in a fixed order.

PromQL changed between 2.42 and 3.x, and Sugarmill answers as 3.x (the acceptance suite is
Prometheus 3's own test data): range windows became left-open (3.0), rate's extrapolation towards
a series' start clamps to the average interval before the zero point (2.5x), and sum/avg use
Kahan summation (last-digit differences). So the times asked are chosen where the versions agree
by construction: samples lie on a 15 s grid and every window boundary falls an odd number of ms
off it (never on a sample), and no rate window reaches back to the first sample of a series.
Numbers that differ are accepted only within a relative 1e-12 and reported as such ("PASS~").

Then a third server, Prometheus 2.42 with an empty TSDB and `remote_read` from Sugarmill, must
answer the query and series requests exactly as Prometheus with the data locally, and as Sugarmill.

Normalisation, and nothing else: result lists are sorted by their labels (Prometheus leaves
vector order unspecified); the `infos` key is dropped (Prometheus 3 split PromQL annotations
into warnings and infos, 2.42 has no infos); buildinfo and flags are checked for success and
shape only (versions and flag sets differ by design).

    export BENCH_CUSTOM_CMD='/path/to/sugarmill --config.file={config} --storage.tsdb.path={data} --web.listen-address={host}:{port}'
    python3 scripts/compare-api-with-prometheus.py [--series 300] [--duration 2h]

Exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "bench"))
sys.path.insert(0, BENCH)

from datagen import Dataset, DatasetSpec  # noqa: E402
from remote_write import Sender, build_batches  # noqa: E402
from servers import HOST, Server  # noqa: E402


def request(port: int, method: str, path: str, params: list[tuple[str, str]]):
    """One HTTP request; for POST the parameters travel form-encoded in the body, as Grafana sends them."""
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        body = urllib.parse.urlencode(params)
        if method == "POST":
            conn.request("POST", path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        else:
            conn.request("GET", path + ("?" + body if body else ""))
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


REL_TOL = 1e-12


def close(x: str, y: str) -> bool:
    """Two numbers printed differently but within REL_TOL (Kahan summation's last digits)."""
    try:
        a, b = float(x), float(y)
    except ValueError:
        return False
    if a == b or (a != a and b != b):
        return True
    return abs(a - b) <= REL_TOL * max(abs(a), abs(b))


def loosely_equal(x, y) -> bool:
    """JSON values equal except for numbers-as-strings within REL_TOL."""
    if isinstance(x, dict) and isinstance(y, dict):
        return x.keys() == y.keys() and all(loosely_equal(x[k], y[k]) for k in x)
    if isinstance(x, list) and isinstance(y, list):
        return len(x) == len(y) and all(loosely_equal(a, b) for a, b in zip(x, y))
    if isinstance(x, str) and isinstance(y, str):
        return x == y or close(x, y)
    return x == y


def text_loosely_equal(x: str, y: str) -> bool:
    """promtool outputs equal token by token, numbers within REL_TOL."""
    tx, ty = x.replace("=>", " => ").split(), y.replace("=>", " => ").split()
    return len(tx) == len(ty) and all(a == b or close(a, b) for a, b in zip(tx, ty))


def normalise(value):
    """Lists of label objects or series sorted by their labels; `infos` dropped."""
    if isinstance(value, dict):
        value = {k: normalise(v) for k, v in value.items() if k != "infos"}
        return value
    if isinstance(value, list):
        items = [normalise(v) for v in value]

        def key(v):
            if isinstance(v, dict) and "metric" in v:
                return json.dumps(v["metric"], sort_keys=True)
            if isinstance(v, dict):
                return json.dumps(v, sort_keys=True)
            return ""
        if items and all(isinstance(v, dict) for v in items):
            items.sort(key=key)
        return items
    return value


def fmt(t: float) -> str:
    """Go's shortest 'f' format of a time in seconds with ms precision."""
    return f"{t:.3f}".rstrip("0").rstrip(".")


def grafana_requests(first_s: float, last_s: float) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """(name, method, path, params) as Grafana's Prometheus data source sends them.

    Samples lie at `first_s + k·15`; query windows start 10 min in and every time is an odd
    number of ms off the grid (see the module doc)."""
    step = 54.982
    fstart, fend = fmt(first_s + 600 + 7.501), fmt(last_s - 7.499)
    istart, iend = str(int(first_s)), str(int(last_s))
    all_series = '{__name__!=""}'
    reqs = [
        ("save & test: 1+1 at time=4 (POST)", "POST", "/api/v1/query", [("query", "1+1"), ("time", "4")]),
        ("save & test: 1+1 at time=4 (GET fallback)", "GET", "/api/v1/query", [("query", "1+1"), ("time", "4")]),
        ("metric names", "GET", "/api/v1/label/__name__/values", [("start", istart), ("end", iend)]),
        ("metric names, limit", "GET", "/api/v1/label/__name__/values",
         [("limit", "40000"), ("start", istart), ("end", iend)]),
        ("metadata", "GET", "/api/v1/metadata", []),
        ("label names", "GET", "/api/v1/labels", [("limit", "40000"), ("start", istart), ("end", iend)]),
        ("label names (POST)", "POST", "/api/v1/labels", [("start", istart), ("end", iend)]),
        ("label names with match[] (POST)", "POST", "/api/v1/labels",
         [("match[]", 'node_cpu_seconds_total{mode="idle"}'), ("start", istart), ("end", iend)]),
        ("label values with match[]", "GET", "/api/v1/label/instance/values",
         [("match[]", "up"), ("limit", "40000"), ("start", istart), ("end", iend)]),
        ("label values, several match[]", "GET", "/api/v1/label/job/values",
         [("match[]", "up"), ("match[]", "http_request_duration_seconds_count"), ("start", istart), ("end", iend)]),
        ("metrics browser: all series", "GET", "/api/v1/series",
         [("match[]", all_series), ("limit", "40000"), ("start", istart), ("end", iend)]),
        ("metrics browser: all series (POST)", "POST", "/api/v1/series",
         [("match[]", all_series), ("start", istart), ("end", iend)]),
        ("series of one metric", "GET", "/api/v1/series",
         [("match[]", 'node_filesystem_avail_bytes{fstype!="tmpfs"}'), ("start", istart), ("end", iend)]),
        ("variable query_result", "POST", "/api/v1/query",
         [("query", "count by (job) (up)"), ("time", iend)]),
        ("exemplar probe with ms times", "GET", "/api/v1/query_exemplars",
         [("query", "test"), ("start", str(int(first_s * 1000))), ("end", str(int(last_s * 1000)))]),
        ("exemplars for a panel", "GET", "/api/v1/query_exemplars",
         [("query", "rate(http_request_duration_seconds_count[5m])"), ("start", fstart), ("end", fend)]),
        ("rules (recording-rule expansion)", "GET", "/api/v1/rules", []),
        ("alerts", "GET", "/api/v1/alerts", []),
        ("instant panel at range end", "POST", "/api/v1/query",
         [("query", 'sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m]))'), ("time", fend)]),
        ("instant with timeout", "POST", "/api/v1/query",
         [("query", "node_load1"), ("time", fend), ("timeout", "60s")]),
        ("range, float step", "POST", "/api/v1/query_range",
         [("query", "rate(node_network_receive_bytes_total[2m])"), ("start", fstart), ("end", fend), ("step", str(step))]),
        ("range, rate_interval expanded", "POST", "/api/v1/query_range",
         [("query", "sum by (job) (rate(http_request_duration_seconds_count[1m0s]))"),
          ("start", fstart), ("end", fend), ("step", "15")]),
        ("range, histogram_quantile", "POST", "/api/v1/query_range",
         [("query", "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))"),
          ("start", fstart), ("end", fend), ("step", "60")]),
        ("range, gauge arithmetic", "POST", "/api/v1/query_range",
         [("query", "100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)"),
          ("start", fstart), ("end", fend), ("step", "30")]),
        ("range, GET with step=60.000", "GET", "/api/v1/query_range",
         [("query", "avg_over_time(node_load5[5m])"), ("start", fstart), ("end", fend), ("step", "60.000")]),
        ("range, series that go stale", "POST", "/api/v1/query_range",
         [("query", "up"), ("start", fstart), ("end", fend), ("step", "30")]),
        ("annotations: range at 60s", "POST", "/api/v1/query_range",
         [("query", "changes(process_start_time_seconds[5m]) > 0"), ("start", fstart), ("end", fend), ("step", "60")]),
        ("unknown parameters are ignored (Thanos dedup)", "POST", "/api/v1/query",
         [("query", "up"), ("time", iend), ("dedup", "true"), ("partial_response", "false")]),
        ("range with too many points", "POST", "/api/v1/query_range",
         [("query", "up"), ("start", "0"), ("end", iend), ("step", "1")]),
        ("parse error", "POST", "/api/v1/query", [("query", "sum(rate(x[5m])"), ("time", iend)]),
        ("POST to a GET-only path: 405, Grafana retries with GET", "POST", "/api/v1/label/job/values",
         [("start", istart), ("end", iend)]),
        ("bad time", "POST", "/api/v1/query_range", [("query", "up"), ("start", "yesterday"), ("end", iend), ("step", "15")]),
        ("end before start", "GET", "/api/v1/series", [("match[]", "up"), ("start", iend), ("end", istart)]),
        ("no match[]", "GET", "/api/v1/series", []),
    ]
    return reqs


def promtool_commands(url: str, first_s: float, last_s: float) -> list[list[str]]:
    start_s = int(first_s)
    end = int(last_s)
    off = fmt(last_s - 7.499)
    return [
        ["query", "instant", f"--time={end}", url, "up"],
        ["query", "instant", f"--time={fmt(last_s - 137.001)}", url, 'sum by (mode) (rate(node_cpu_seconds_total[5m]))'],
        ["query", "instant", f"--time={end}", url, "node_filesystem_size_bytes / 1e9"],
        ["query", "instant", f"--time={end}", url, "scalar(count(up))"],
        ["query", "instant", f"--time={off}", url, "node_load1[1m]"],
        ["query", "instant", f"--time={end}", url, '"a string"'],
        ["query", "instant", f"--time={end}", url, "1e-7 * 3"],
        ["query", "range", f"--start={fmt(last_s - 607.499)}", f"--end={off}", "--step=60s", url,
         "rate(node_network_transmit_bytes_total[2m])"],
        ["query", "range", f"--start={fmt(last_s - 1807.499)}", f"--end={off}", "--step=5m", url, "up"],
        ["query", "series", f"--start={start_s}", f"--end={end}", "--match=up", url],
        ["query", "series", f"--start={start_s}", f"--end={end}", "--match=node_load1", "--match=node_load5", url],
        ["query", "labels", f"--start={start_s}", f"--end={end}", url, "__name__"],
        ["query", "labels", f"--start={start_s}", f"--end={end}", "--match=node_disk_io_time_seconds_total", url, "device"],
        ["query", "labels", url, "instance"],
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--series", type=int, default=300)
    ap.add_argument("--samples", type=int, default=240, help="samples per series at 15 s")
    ap.add_argument("--custom-cmd", default=os.environ.get("BENCH_CUSTOM_CMD"))
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--hold", type=float, default=0, help="keep both servers up this many seconds afterwards")
    a = ap.parse_args()
    if not a.custom_cmd:
        print("set BENCH_CUSTOM_CMD or --custom-cmd", file=sys.stderr)
        return 2
    ds = Dataset(DatasetSpec(n_series=a.series, n_samples=a.samples, interval_s=15.0, stale_frac=0.1, gap_prob=0.005))
    batches = build_batches(ds, 2000)
    last_s = ds.end_ms / 1000
    first_s = last_s - (a.samples - 1) * 15.0
    servers: dict[str, Server] = {}
    failures = 0
    checks = 0
    loose = 0
    try:
        for kind in ("prometheus", "custom"):
            srv = Server(kind, name="sugarmill" if kind == "custom" else kind, custom_cmd=a.custom_cmd)
            srv.start()
            stats = Sender(HOST, srv.port, concurrency=2, deadline_s=600, alive_fn=srv.alive).send(batches)
            print(f"{srv.name}: {stats.acked_samples:,} samples acknowledged, {stats.rejected_samples} rejected", flush=True)
            servers[kind] = srv
        time.sleep(2)
        ports = {k: s.port for k, s in servers.items()}

        print("\n## promtool 2.42")
        for cmd in promtool_commands("URL", first_s, last_s):
            outs = {}
            for kind, port in ports.items():
                real = [c.replace("URL", f"http://{HOST}:{port}") for c in cmd]
                p = subprocess.run(["promtool", *real], capture_output=True, text=True, timeout=120)
                outs[kind] = (p.returncode, p.stdout, p.stderr.replace(str(port), "PORT"))
            checks += 1
            same = outs["prometheus"] == outs["custom"]
            near = not same and outs["prometheus"][0] == outs["custom"][0] and outs["prometheus"][2] == outs["custom"][2] \
                and text_loosely_equal(outs["prometheus"][1], outs["custom"][1])
            failures += not (same or near)
            loose += near
            lines = outs["prometheus"][1].count("\n")
            verdict = "PASS" if same else "PASS~" if near else "FAIL"
            print(f"{verdict}  promtool {' '.join(cmd[:2])} … {cmd[-1]}  ({lines} lines)")
            same = same or near
            if not same or a.verbose:
                for kind, (rc, out, err) in outs.items():
                    print(f"    {kind}: rc={rc}\n      stdout: {out[:600]!r}\n      stderr: {err[:300]!r}")

        print("\n## Grafana Prometheus data source requests")
        for name, method, path, params in grafana_requests(first_s, last_s):
            answers = {kind: request(port, method, path, params) for kind, port in ports.items()}
            checks += 1
            (sp, bp), (sc, bc) = answers["prometheus"], answers["custom"]
            try:
                jp, jc = json.loads(bp), json.loads(bc)
            except ValueError:
                jp, jc = bp, bc
            same = sp == sc and normalise(jp) == normalise(jc)
            near = not same and sp == sc and loosely_equal(normalise(jp), normalise(jc))
            failures += not (same or near)
            loose += near
            size = len(bp)
            verdict = "PASS" if same else "PASS~" if near else "FAIL"
            print(f"{verdict}  {name}  [{method} {path}] → {sp}/{sc}, {size:,} bytes")
            same = same or near
            if not same or a.verbose:
                print(f"    prometheus: {bp[:500]}\n    sugarmill:  {bc[:500]}")

        print("\n## stats=true: totalQueryableSamples (timings and peakSamples differ by design)")
        off = fmt(last_s - 607.499)
        for expr, kind in (("up", "range"), ("sum(rate(node_cpu_seconds_total[5m]))", "range"),
                           ("node_load1[1m]", "instant"), ("max_over_time(node_load1[5m:1m])", "range"),
                           ("avg_over_time(rate(node_cpu_seconds_total[1m])[5m:30s])", "instant"), ("timestamp(up)", "range")):
            params = [("query", expr), ("stats", "true")]
            if kind == "range":
                path = "/api/v1/query_range"
                params += [("start", fmt(last_s - 1807.499)), ("end", off), ("step", "60")]
            else:
                path = "/api/v1/query"
                params += [("time", off)]
            counts = {}
            for k, port in ports.items():
                st, body = request(port, "GET", path, params)
                counts[k] = json.loads(body).get("data", {}).get("stats", {}).get("samples", {}).get("totalQueryableSamples")
            ok = counts["prometheus"] is not None and counts["prometheus"] == counts["custom"]
            checks += 1
            failures += not ok
            print(f"{'PASS' if ok else 'FAIL'}  {kind} {expr}: {counts['prometheus']} / {counts['custom']}")

        print("\n## remote read: Prometheus 2.42 with an empty TSDB and remote_read from Sugarmill")
        rr = Server("prometheus", name="prometheus-remote-read")
        with open(rr.config_path, "w") as f:
            f.write("global:\n  scrape_interval: 15s\nscrape_configs: []\nremote_read:\n"
                    f"  - url: http://{HOST}:{ports['custom']}/api/v1/read\n    read_recent: true\n")
        rr.start()
        servers["remote-read"] = rr
        reads = [(n, m, p, q) for n, m, p, q in grafana_requests(first_s, last_s)
                 if p in ("/api/v1/query", "/api/v1/query_range", "/api/v1/series") and "parse error" not in n]
        for name, method, path, params in reads:
            st_local, body_local = request(ports["prometheus"], method, path, params)
            st_remote, body_remote = request(rr.port, method, path, params)
            st_ours, body_ours = request(ports["custom"], method, path, params)
            try:
                j_local, j_remote, j_ours = json.loads(body_local), json.loads(body_remote), json.loads(body_ours)
            except ValueError:
                j_local, j_remote, j_ours = body_local, body_remote, body_ours
            # The remote-reading Prometheus must answer exactly as Prometheus with the data locally,
            # and as Sugarmill does (last float digits aside, as above).
            same_local = st_local == st_remote and normalise(j_local) == normalise(j_remote)
            same_ours = st_ours == st_remote and loosely_equal(normalise(j_ours), normalise(j_remote))
            ok = same_local and same_ours
            checks += 1
            failures += not ok
            print(f"{'PASS' if ok else 'FAIL'}  {name}  [{method} {path}] → {st_remote}, "
                  f"as local Prometheus: {same_local}, as Sugarmill: {same_ours}")
            if not ok or a.verbose:
                print(f"    local:       {body_local[:400]}\n    remote read: {body_remote[:400]}\n    sugarmill:   {body_ours[:400]}")

        print("\n## Grafana heuristics (shape only)")
        for path, keys in (("/api/v1/status/buildinfo", {"version", "revision", "branch", "buildUser", "buildDate", "goVersion"}),
                           ("/api/v1/status/flags", {"web.listen-address", "storage.tsdb.retention.time"})):
            for kind, port in ports.items():
                st, body = request(port, "GET", path, [])
                data = json.loads(body).get("data", {})
                ok = st == 200 and keys <= set(data) and "features" not in data
                checks += 1
                failures += not ok
                print(f"{'PASS' if ok else 'FAIL'}  {kind} {path}: {st}, keys {sorted(keys & set(data))}")
        if a.hold:
            print(f"holding: prometheus on {ports['prometheus']}, sugarmill on {ports['custom']}", flush=True)
            time.sleep(a.hold)
    finally:
        for s in servers.values():
            s.cleanup()
    print(f"\n{checks - failures} passed ({loose} of them with last-digit float differences within {REL_TOL:g}), "
          f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
