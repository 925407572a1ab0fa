#!/usr/bin/env python3
"""Scrape workload: CPU per scraped sample, Prometheus vs Sugarmill (issue #5's acceptance).

A fake exporter in this process serves --targets targets of --series series each (text format
0.0.4, values changing every scrape); each server scrapes all of them every --interval for a
warm-up, then its CPU time (process, user + system) is measured over --measure seconds and
divided by the samples it stored in that window (sum of scrape_samples_post_metric_relabeling).
Servers run one after the other, alone on the machine but for the exporter.

    python3 scripts/bench-scrape.py --kinds prometheus,custom --targets 1000 --series 1000

The custom server's command comes from BENCH_CUSTOM_CMD as for ../shared/bench.

With --histograms, every series is a native histogram of --buckets buckets (schema 3, two spans)
served in the protobuf format (delimited MetricFamily messages) to a scraper that asks for it:
Prometheus 2.42 runs with --enable-feature=native-histograms, Sugarmill with
`scrape_native_histograms: true`; the figure is CPU per scraped histogram.

Paired mode compares binaries under the same noise: all servers scrape at once, and CPU per sample
is printed per round (`prometheus` names the peer; other names are Sugarmill binaries):

    python3 scripts/bench-scrape.py --paired prometheus,/tmp/a/sugarmill,/tmp/b/sugarmill --rounds 3 --measure 45
"""
import argparse, json, os, struct, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench"))
from servers import ApiClient, Server  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--kinds", default="prometheus,custom")
p.add_argument("--targets", type=int, default=1000)
p.add_argument("--series", type=int, default=1000)
p.add_argument("--interval", type=int, default=15, help="seconds")
p.add_argument("--warmup", type=int, default=45, help="seconds before measuring")
p.add_argument("--measure", type=int, default=60, help="seconds measured")
p.add_argument("--custom-name", default="sugarmill")
p.add_argument("--histograms", action="store_true", help="native histograms over protobuf instead of text counters")
p.add_argument("--buckets", type=int, default=20, help="buckets per histogram with --histograms")
p.add_argument("--paired", metavar="SERVERS", help="comma-separated: prometheus or Sugarmill binary paths, run at once")
p.add_argument("--rounds", type=int, default=3, help="measured rounds in paired mode")
p.add_argument("--perf", metavar="FILE", help="record a perf profile (with call graphs) of the custom server "
               "over the measured window into FILE (its CPU figure then includes perf's overhead)")
args = p.parse_args()

PROTOBUF = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"
TEXT = "text/plain; version=0.0.4; charset=utf-8"


def varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def field(num, payload):
    return varint(num << 3 | 2) + varint(len(payload)) + payload


def zigzag(n):
    return (n << 1) ^ (n >> 63)


def histogram_family(t, v):
    """One delimited MetricFamily (client_model metrics.proto) of --series native histograms."""
    metrics = bytearray()
    for s in range(args.series):
        labels = b"".join(field(1, field(1, k.encode()) + field(2, val.encode()))
                          for k, val in (("target", str(t)), ("series", str(s)), ("path", "/api/v1/item")))
        counts = [1 + (t * 7 + s * 13 + j * 5) % 11 + v * (j + 1) for j in range(args.buckets)]
        deltas, previous = [], 0
        for c in counts:
            deltas.append(c - previous)
            previous = c
        half = args.buckets // 2
        spans = field(12, b"\x08" + varint(zigzag(-4)) + b"\x10" + varint(half))
        spans += field(12, b"\x08" + varint(zigzag(3)) + b"\x10" + varint(args.buckets - half))
        zero = 1 + v
        histogram = (b"\x08" + varint(zero + sum(counts)) + b"\x11" + struct.pack("<d", 0.25 * sum(counts) + s)
                     + b"\x28" + varint(zigzag(3)) + b"\x31" + struct.pack("<d", 2.938735877055719e-39)
                     + b"\x38" + varint(zero) + spans + field(13, b"".join(varint(zigzag(d)) for d in deltas)))
        metrics += field(4, labels + field(7, histogram))
    family = field(1, b"bench_request_duration_seconds") + field(2, b"Request latency.") + b"\x18\x04" + bytes(metrics)
    return varint(len(family)) + family


# Bodies: a few variants per target, served in turn, so values change between scrapes.
VARIANTS = 3
bodies = []
for t in range(args.targets):
    per = []
    for v in range(VARIANTS):
        if args.histograms:
            per.append(histogram_family(t, v))
            continue
        lines = ["# HELP bench_requests_total Requests.", "# TYPE bench_requests_total counter"]
        for s in range(args.series):
            lines.append(f'bench_requests_total{{target="{t}",series="{s}",path="/api/v1/item"}} {t * 7 + s * 13 + v * 101}')
        per.append(("\n".join(lines) + "\n").encode())
    bodies.append(per)
served = [0] * args.targets


class Exporter(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        try:
            t = int(self.path.split("/")[2])
        except (IndexError, ValueError):
            self.send_error(404)
            return
        body = bodies[t][served[t] % VARIANTS]
        served[t] += 1
        if args.histograms and "io.prometheus.client.MetricFamily" not in self.headers.get("Accept", ""):
            self.send_error(406, "this exporter only speaks protobuf")
            return
        self.send_response(200)
        self.send_header("Content-Type", PROTOBUF if args.histograms else TEXT)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


exporter = ThreadingHTTPServer(("127.0.0.1", 0), Exporter)
exporter.daemon_threads = True
threading.Thread(target=exporter.serve_forever, daemon=True).start()
port = exporter.server_address[1]

config = [f"global:\n  scrape_interval: {args.interval}s\n  scrape_timeout: 10s\nscrape_configs:\n  - job_name: bench\n    static_configs:"]
for t in range(args.targets):
    config.append(f"      - targets: ['127.0.0.1:{port}']\n        labels:\n          __metrics_path__: /t/{t}\n          target_index: '{t}'")
config_text = "\n".join(config) + "\n"


def server_config(kind):
    """Prometheus 2.42 scrapes native histograms with its feature flag (and rejects the setting);
    Sugarmill, like Prometheus 3, with `scrape_native_histograms`."""
    if args.histograms and kind != "prometheus":
        return config_text.replace("global:\n", "global:\n  scrape_native_histograms: true\n", 1)
    return config_text


def server_args(kind):
    return ["--enable-feature=native-histograms"] if args.histograms and kind == "prometheus" else []



def stored_samples(server, t1, window):
    client = ApiClient(server.port, timeout=120)
    st, body = client.query(f"sum(sum_over_time(scrape_samples_post_metric_relabeling[{window}s]))", t1)
    return float(json.loads(body)["data"]["result"][0]["value"][1]) if st == 200 else float("nan")


if args.paired:
    servers = []
    for i, spec in enumerate(args.paired.split(",")):
        if spec == "prometheus":
            server = Server("prometheus", keep=False, ready_timeout=60, extra_args=server_args("prometheus"))
        else:
            cmd = spec + " --config.file={config} --storage.tsdb.path={data} --web.listen-address={host}:{port}"
            server = Server("custom", name=f"{i}:{os.path.basename(os.path.dirname(spec)) or spec}", custom_cmd=cmd,
                            keep=False, ready_timeout=60)
        with open(server.config_path, "w") as f:
            f.write(server_config("prometheus" if spec == "prometheus" else "custom"))
        servers.append(server)
    try:
        for server in servers:
            server.start()
        time.sleep(args.warmup)
        for r in range(args.rounds):
            c0 = [s.cpu_seconds() for s in servers]
            t0 = time.time()
            time.sleep(args.measure)
            c1 = [s.cpu_seconds() for s in servers]
            t1 = time.time()
            figures = [f"{s.name} {(b - a) / stored_samples(s, t1, int(t1 - t0)) * 1e6:.3f}"
                       for s, a, b in zip(servers, c0, c1)]
            print(f"round {r}: " + "  ".join(figures) + " µs CPU per sample", flush=True)
    finally:
        for server in servers:
            server.cleanup()
        exporter.shutdown()
    sys.exit(0)

results = {}
for kind in [k.strip() for k in args.kinds.split(",") if k.strip()]:
    name = args.custom_name if kind == "custom" else kind
    server = Server(kind, name=name, keep=False, ready_timeout=60, extra_args=server_args(kind))
    with open(server.config_path, "w") as f:
        f.write(server_config(kind))
    try:
        server.start()
        print(f"[{time.strftime('%H:%M:%S')}] {name}: scraping {args.targets} targets x {args.series} series every {args.interval}s; warm-up {args.warmup}s", flush=True)
        time.sleep(args.warmup)
        perf = None
        if args.perf and kind == "custom":
            import subprocess
            perf = subprocess.Popen(["perf", "record", "-F", "499", "-g", "-o", args.perf, "-p", str(server.pid),
                                     "--", "sleep", str(args.measure)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        c0 = server.cpu_seconds()
        t0 = time.time()
        time.sleep(args.measure)
        if perf:
            perf.wait()
        c1 = server.cpu_seconds()
        t1 = time.time()
        client = ApiClient(server.port, timeout=120)
        window = int(t1 - t0)
        st, body = client.query(f"sum(sum_over_time(scrape_samples_post_metric_relabeling[{window}s]))", t1)
        samples = float(json.loads(body)["data"]["result"][0]["value"][1]) if st == 200 else float("nan")
        st, body = client.query("count(up == 1)", t1)
        up = json.loads(body)["data"]["result"][0]["value"][1] if st == 200 else "?"
        if args.histograms:
            # Stored as native histograms, not dropped or flattened into classic series.
            st, body = client.query("count(histogram_count(bench_request_duration_seconds))", t1)
            stored = json.loads(body)["data"]["result"] if st == 200 else []
            up += f", native-histogram series {stored[0]['value'][1] if stored else 0}"
        cpu = c1 - c0
        mem = server.mem()
        results[name] = (cpu, samples)
        print(f"{name}: {cpu:.2f} CPU s over {t1 - t0:.0f} s, {samples:,.0f} samples stored, targets up {up}, "
              f"{cpu / samples * 1e6:.3f} µs CPU per sample, RSS {mem['rss'] / 2**20:.0f} MiB "
              f"(peak {mem['hwm'] / 2**20:.0f} MiB)", flush=True)
    finally:
        server.cleanup()

exporter.shutdown()
if "prometheus" in results and args.custom_name in results:
    pc, ps = results["prometheus"]
    sc, ss = results[args.custom_name]
    print(f"ratio {args.custom_name}/prometheus CPU per sample: {(sc / ss) / (pc / ps):.3f}")
