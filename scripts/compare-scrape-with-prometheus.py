#!/usr/bin/env python3
"""Scrape the same targets with Prometheus 2.42 and Sugarmill and compare what they store.

Targets: a node_exporter (the Debian package), and expositions with tricky content served by
this script (escapes, UTF-8, histograms and summaries, OpenMetrics with _created and exemplars,
own timestamps, label clashes with target labels). After a few scrapes the series (label sets)
of every job are compared, then `up` and the scrape_* series, then one series of the static
target is removed and both must hide it at once (a staleness marker), not after 5 minutes.

    python3 scripts/compare-scrape-with-prometheus.py

The custom server's command comes from BENCH_CUSTOM_CMD as for ../shared/bench. Prometheus
2.42 differs from 3.x where 3.x changed on purpose (e.g. le="1" is stored as le="1.0" by 3.x);
those differences are printed as such.
"""
import json, os, subprocess, sys, threading, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench"))
from servers import ApiClient, Server, free_port  # noqa: E402

TEXT = """# HELP http_requests_total Requests with "quotes" and \\\\ backslash.
# TYPE http_requests_total counter
http_requests_total{method="GET",code="200",path="/a\\"b"} 1027
http_requests_total{method="POST",code="500",path="/ünïcödé"} 3
http_requests_total{method="GET",code="200",path="line\\nbreak"} 5
# TYPE rpc_duration_seconds summary
rpc_duration_seconds{quantile="0.5"} 0.05
rpc_duration_seconds{quantile="0.99"} 0.2
rpc_duration_seconds_sum 17.5
rpc_duration_seconds_count 200
# TYPE latency_seconds histogram
latency_seconds_bucket{le="0.1"} 10
latency_seconds_bucket{le="1"} 20
latency_seconds_bucket{le="+Inf"} 25
latency_seconds_sum 12.5
latency_seconds_count 25
clashing{job="exported",instance="x"} 1
untyped_metric 42
vanishing_metric 7
"""
OPENMETRICS = """# TYPE requests counter
# HELP requests Requests.
requests_total{path="/"} 10 # {trace_id="abc"} 1 1700000000.5
requests_created{path="/"} 1700000000
# TYPE temperature_celsius gauge
# UNIT temperature_celsius celsius
temperature_celsius 21.5
# TYPE info_metric info
info_metric_info{version="1.2.3"} 1
# EOF
"""
state = {"text": TEXT}


class Static(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path.startswith("/text"):
            body, ctype = state["text"].encode(), "text/plain; version=0.0.4; charset=utf-8"
        elif self.path.startswith("/om"):
            body, ctype = OPENMETRICS.encode(), "application/openmetrics-text; version=1.0.0; charset=utf-8"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


static = ThreadingHTTPServer(("127.0.0.1", 0), Static)
threading.Thread(target=static.serve_forever, daemon=True).start()
sport = static.server_address[1]
nport = free_port()
node = subprocess.Popen(["prometheus-node-exporter", f"--web.listen-address=127.0.0.1:{nport}"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(1)

CONFIG = f"""global:
  scrape_interval: 2s
  scrape_timeout: 1s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:{nport}']
  - job_name: text
    metrics_path: /text
    static_configs:
      - targets: ['127.0.0.1:{sport}']
        labels:
          env: test
  - job_name: openmetrics
    metrics_path: /om
    static_configs:
      - targets: ['127.0.0.1:{sport}']
"""


def fetch(port, path, params):
    import http.client
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", path + "?" + urllib.parse.urlencode(params, doseq=True))
    r = c.getresponse()
    return json.loads(r.read())


def normalise_3x(labels):
    """Prometheus 3 stores le and quantile values in float form (le="1" becomes le="1.0"); 2.42
    stores them as exposed. Applied to 2.42's series so that only unintended differences show."""
    out = dict(labels)
    for name in ("le", "quantile"):
        if name in out:
            try:
                f = float(out[name])
            except ValueError:
                continue
            if abs(f) < 1e15 and f == int(f):
                out[name] = f"{int(f)}.0"
    return out


servers = {}
try:
    for kind in ("prometheus", "custom"):
        s = Server(kind, name="sugarmill" if kind == "custom" else kind, keep=False, ready_timeout=60)
        with open(s.config_path, "w") as f:
            f.write(CONFIG)
        s.start()
        servers[s.name] = s
    time.sleep(9)
    now = time.time()
    exit_code = 0
    for job in ("node", "text", "openmetrics"):
        sets = {}
        for name, s in servers.items():
            data = fetch(s.port, "/api/v1/series", {"match[]": f'{{job="{job}"}}', "start": now - 5, "end": now})["data"]
            if name == "prometheus":
                data = [normalise_3x(d) for d in data]
            sets[name] = {json.dumps(d, sort_keys=True) for d in data if not d["__name__"].startswith("scrape_")}
        a, b = sets["prometheus"], sets["sugarmill"]
        only_a, only_b = sorted(a - b), sorted(b - a)
        print(f"job {job}: prometheus {len(a)} series, sugarmill {len(b)}, same {len(a & b)} (le/quantile in 3.x form)")
        for x in only_a[:10]:
            print(f"  only prometheus: {x}")
        for x in only_b[:10]:
            print(f"  only sugarmill:  {x}")
        if only_a or only_b:
            exit_code = 1
    for q in ("up", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added"):
        for name, s in servers.items():
            r = fetch(s.port, "/api/v1/query", {"query": q, "time": now})["data"]["result"]
            print(f"{q} {name}: " + ", ".join(f'{x["metric"]["job"]}={x["value"][1]}' for x in sorted(r, key=lambda x: x["metric"]["job"])))
    state["text"] = TEXT.replace("vanishing_metric 7\n", "")
    time.sleep(5)
    for name, s in servers.items():
        r = fetch(s.port, "/api/v1/query", {"query": "vanishing_metric", "time": time.time()})["data"]["result"]
        print(f"vanishing_metric after it disappeared, {name}: {'hidden (stale marker)' if not r else 'still visible'}")
    print("RESULT:", "same series" if exit_code == 0 else "DIFFERENT")
    sys.exit(exit_code)
finally:
    for s in servers.values():
        s.cleanup()
    node.terminate()
    static.shutdown()
