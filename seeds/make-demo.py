#!/usr/bin/env python3
"""Writes seeds/demo.om: a deterministic demo data set in OpenMetrics for
`sugarmill tsdb create-blocks-from openmetrics seeds/demo.om Storage/`.

Four hours, one sample a minute, of
  - two node_exporter-like hosts (job="node": CPU, memory, filesystem, network, load, up),
  - two instances of an HTTP service (job="shop": requests by handler and code, a latency
    histogram, up), with an error burst on shop-2 in the third hour,
  - Sugarmill's own self-metrics (job="sugarmill": head series, samples appended, memory, CPU),
and demo-2's node_exporter down for ten minutes, so the example alerts have something to show.

The same arguments always give the same bytes (a seeded generator, no clock unless --end now).

    python3 seeds/make-demo.py > seeds/demo.om                  # the committed file
    python3 seeds/make-demo.py --end now > /tmp/demo-now.om     # ending at the current minute
"""

import argparse
import math
import random
import sys
import time

# 2025-06-01T12:00:00Z: the committed file covers [08:00, 12:00), two whole 2h blocks.
DEFAULT_END = 1748779200
STEP = 60
HOURS = 4


def fmt(value):
    """A value as OpenMetrics writes it: integers without a fraction, others with up to 6 digits."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"


def labels(pairs):
    return "{" + ",".join(f'{k}="{v}"' for k, v in pairs) + "}" if pairs else ""


class Family:
    """One metric family: its metadata and, per series, the samples in time order."""

    def __init__(self, name, kind, help_text, unit=None):
        self.name, self.kind, self.help, self.unit = name, kind, help_text, unit
        self.series = {}  # (sample name, labels tuple) -> [(t, v)]

    def add(self, sample_name, pairs, t, v):
        self.series.setdefault((sample_name, tuple(pairs)), []).append((t, v))

    def write(self, out):
        out.write(f"# TYPE {self.name} {self.kind}\n")
        if self.unit:
            out.write(f"# UNIT {self.name} {self.unit}\n")
        out.write(f"# HELP {self.name} {self.help}\n")
        if self.kind == "histogram":
            self.write_histogram(out)
            return
        for (sample_name, pairs), points in self.series.items():
            head = sample_name + labels(pairs)
            for t, v in points:
                out.write(f"{head} {fmt(v)} {t}\n")

    def write_histogram(self, out):
        # OpenMetrics keeps a histogram's buckets, count and sum of one instant together.
        groups = {}
        for (sample_name, pairs), points in self.series.items():
            key = tuple(p for p in pairs if p[0] != "le")
            groups.setdefault(key, []).append((sample_name, pairs, points))
        for members in groups.values():
            for i in range(len(members[0][2])):
                for sample_name, pairs, points in members:
                    t, v = points[i]
                    out.write(f"{sample_name}{labels(pairs)} {fmt(v)} {t}\n")


def generate(end, out):
    rng = random.Random(12)
    start = end - HOURS * 3600
    times = list(range(start, end, STEP))
    families = {}

    def family(name, kind, help_text, unit=None):
        if name not in families:
            families[name] = Family(name, kind, help_text, unit)
        return families[name]

    up = family("up", "gauge", "Whether the last scrape of the target succeeded.")

    # Hosts: a daily-looking CPU curve, demo-2 busier and with a spike in the second hour.
    hosts = {"demo-1:9100": 0.15, "demo-2:9100": 0.35}
    cpu = {h: {(c, m): rng.uniform(1e5, 2e5) for c in ("0", "1") for m in ("idle", "user", "system", "iowait")} for h in hosts}
    net = {h: [rng.uniform(1e9, 5e9), rng.uniform(1e8, 1e9)] for h in hosts}
    fs_free = {h: rng.uniform(30e9, 40e9) for h in hosts}
    outage = range(start + 150 * 60, start + 160 * 60)  # demo-2's exporter unreachable
    for i, t in enumerate(times):
        phase = 2 * math.pi * i / len(times)
        for h, base in hosts.items():
            down = h == "demo-2:9100" and t in outage
            up.add("up", [("instance", h), ("job", "node")], t, 0 if down else 1)
            busy = base + 0.1 * math.sin(phase) + rng.uniform(-0.03, 0.03)
            if h == "demo-2:9100" and 60 <= i < 80:
                busy = 0.93 + rng.uniform(-0.02, 0.02)
            busy = min(max(busy, 0.01), 0.99)
            for c in ("0", "1"):
                shares = {"user": busy * 0.7, "system": busy * 0.25, "iowait": busy * 0.05, "idle": 1 - busy}
                for m, share in shares.items():
                    cpu[h][(c, m)] += share * STEP
            mem_total = 8 * 2**30
            mem_avail = mem_total * (0.6 - base + 0.05 * math.cos(phase) + rng.uniform(-0.01, 0.01))
            net[h][0] += rng.uniform(2e5, 6e5) * STEP * (1 + busy)
            net[h][1] += rng.uniform(5e4, 2e5) * STEP * (1 + busy)
            fs_free[h] -= rng.uniform(0, 4e5) * STEP
            if down:
                continue
            inst = [("instance", h), ("job", "node")]
            for (c, m), v in cpu[h].items():
                family("node_cpu_seconds", "counter", "Seconds the CPUs spent in each mode.", "seconds") \
                    .add("node_cpu_seconds_total", [("cpu", c)] + inst + [("mode", m)], t, round(v, 2))
            family("node_memory_MemTotal_bytes", "gauge", "Memory information field MemTotal_bytes.") \
                .add("node_memory_MemTotal_bytes", inst, t, mem_total)
            family("node_memory_MemAvailable_bytes", "gauge", "Memory information field MemAvailable_bytes.") \
                .add("node_memory_MemAvailable_bytes", inst, t, round(mem_avail / 4096) * 4096)
            fs = [("device", "/dev/sda1"), ("fstype", "ext4")] + inst + [("mountpoint", "/")]
            family("node_filesystem_size_bytes", "gauge", "Filesystem size in bytes.", "bytes") \
                .add("node_filesystem_size_bytes", fs, t, 100 * 2**30)
            family("node_filesystem_avail_bytes", "gauge", "Filesystem space available to non-root users in bytes.", "bytes") \
                .add("node_filesystem_avail_bytes", fs, t, round(fs_free[h] / 4096) * 4096)
            dev = [("device", "eth0")] + inst
            family("node_network_receive_bytes", "counter", "Network device statistic receive_bytes.", "bytes") \
                .add("node_network_receive_bytes_total", dev, t, round(net[h][0]))
            family("node_network_transmit_bytes", "counter", "Network device statistic transmit_bytes.", "bytes") \
                .add("node_network_transmit_bytes_total", dev, t, round(net[h][1]))
            family("node_load1", "gauge", "1m load average.") \
                .add("node_load1", inst, t, round(busy * 2 * 1.2 + rng.uniform(0, 0.2), 2))

    # The HTTP service: requests by handler and code, and a latency histogram per handler.
    services = ["shop-1:8080", "shop-2:8080"]
    handlers = {"/api/orders": 40.0, "/api/cart": 90.0}  # requests per second at the peak
    bounds = ["0.025", "0.1", "0.25", "1", "+Inf"]
    counts = {(s, hd, code): rng.uniform(1e5, 1e6) for s in services for hd in handlers for code in ("200", "500")}
    hist = {(s, hd): [0.0] * len(bounds) + [0.0] for s in services for hd in handlers}  # buckets…, sum
    for i, t in enumerate(times):
        phase = 2 * math.pi * i / len(times)
        for s in services:
            up.add("up", [("instance", s), ("job", "shop")], t, 1)
            burst = s == "shop-2:8080" and 130 <= i < 145
            for hd, peak in handlers.items():
                rps = peak * (0.6 + 0.4 * math.sin(phase)) * rng.uniform(0.9, 1.1)
                errors = rps * (0.2 if burst else 0.004)
                counts[(s, hd, "200")] += (rps - errors) * STEP
                counts[(s, hd, "500")] += errors * STEP
                for code in ("200", "500"):
                    family("http_requests", "counter", "Requests handled, by handler and status code.") \
                        .add("http_requests_total", [("code", code), ("handler", hd), ("instance", s), ("job", "shop"), ("method", "GET")],
                             t, round(counts[(s, hd, code)]))
                # Latency: most under 100 ms, slower during the burst.
                n = rps * STEP
                slow = 0.3 if burst else 0.05
                shares = [0.45 - slow / 2, 0.4 - slow / 2, 0.1 + slow / 2, 0.04 + slow / 2, 0.01]
                h = hist[(s, hd)]
                for b in range(len(bounds)):
                    h[b] += n * shares[b]
                h[-1] += n * (0.05 + slow * 0.6)
                fam = family("http_request_duration_seconds", "histogram", "Time to answer a request.", "seconds")
                cumulative = 0.0
                base = [("handler", hd), ("instance", s), ("job", "shop")]
                for b, le in enumerate(bounds):
                    cumulative += h[b]
                    fam.add("http_request_duration_seconds_bucket", base + [("le", le)], t, round(cumulative))
                fam.add("http_request_duration_seconds_count", base, t, round(cumulative))
                fam.add("http_request_duration_seconds_sum", base, t, round(h[-1], 3))

    # Sugarmill itself.
    head, appended, cpu_s = 2100.0, 1e6, 120.0
    for i, t in enumerate(times):
        inst = [("instance", "localhost:9090"), ("job", "sugarmill")]
        up.add("up", inst, t, 1)
        head += rng.uniform(-5, 8)
        appended += head / 15 * STEP
        cpu_s += rng.uniform(0.01, 0.03) * STEP
        family("prometheus_tsdb_head_series", "gauge", "Total number of series in the head block.") \
            .add("prometheus_tsdb_head_series", inst, t, round(head))
        family("prometheus_tsdb_head_samples_appended", "counter", "Total number of appended samples.") \
            .add("prometheus_tsdb_head_samples_appended_total", inst, t, round(appended))
        family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", "bytes") \
            .add("process_resident_memory_bytes", inst, t, round(31e6 + head * 2048 + rng.uniform(0, 1e6)))
        family("process_cpu_seconds", "counter", "Total user and system CPU time spent in seconds.", "seconds") \
            .add("process_cpu_seconds_total", inst, t, round(cpu_s, 2))

    for name in sorted(families):
        families[name].write(out)
    out.write("# EOF\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--end", default=str(DEFAULT_END),
                        help="end of the data (exclusive): Unix seconds, or 'now' (rounded down to the minute)")
    args = parser.parse_args()
    end = int(time.time()) // STEP * STEP if args.end == "now" else int(args.end)
    generate(end, sys.stdout)


if __name__ == "__main__":
    main()
