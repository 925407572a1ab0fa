#!/usr/bin/env python3
"""Saves Prometheus's API answers for the fixture's queries, restricted to one block's range.

  golden.py PROMETHEUS_URL BLOCK_META_JSON OUTDIR

Writes OUTDIR/queries.txt (one line per query: `<file> <request path and query string>`) and the
raw response body of each as OUTDIR/<file>, byte for byte as Prometheus sent it.
"""

import json
import os
import sys
import urllib.parse
import urllib.request

STEP = "5"

RANGE_QUERIES = [
    "nh_request_duration_seconds",
    "histogram_count(nh_request_duration_seconds)",
    "histogram_sum(nh_request_duration_seconds)",
    "rate(nh_request_duration_seconds[30s])",
    "histogram_quantile(0.9, rate(nh_request_duration_seconds[30s]))",
    "sum(rate(nh_request_duration_seconds[30s]))",
    "nh_reset_seconds",
    "rate(nh_reset_seconds[30s])",
    "histogram_count(rate(nh_reset_seconds[30s]))",
    "nh_schema_change_seconds",
    "rate(nh_schema_change_seconds[30s])",
    "histogram_quantile(0.5, rate(nh_schema_change_seconds[30s]))",
    "nh_queue_size",
    "histogram_sum(nh_queue_size)",
    "histogram_quantile(0.5, nh_queue_size)",
    "nh_demo_events_total",
    "rate(nh_demo_events_total[30s])",
    "nh_demo_temperature",
    "histogram_quantile(0.9, rate(classic_latency_seconds_bucket[30s]))",
]

INSTANT_QUERIES = [
    "nh_request_duration_seconds",
    "nh_queue_size",
    "rate(nh_schema_change_seconds[30s])",
]


def seconds(ms):
    """A millisecond timestamp as the decimal seconds string the API parses exactly."""
    return f"{ms // 1000}.{ms % 1000:03d}"


def main():
    base, meta_path, out = sys.argv[1:4]
    meta = json.load(open(meta_path))
    start, end = meta["minTime"], meta["maxTime"] - 1  # maxTime is exclusive
    os.makedirs(out, exist_ok=True)
    lines = []
    requests = []
    for q in RANGE_QUERIES:
        params = {"query": q, "start": seconds(start), "end": seconds(end), "step": STEP}
        requests.append("/api/v1/query_range?" + urllib.parse.urlencode(params))
    for q in INSTANT_QUERIES:
        params = {"query": q, "time": seconds(start + 40_000)}
        requests.append("/api/v1/query?" + urllib.parse.urlencode(params))
    for n, path in enumerate(requests):
        body = urllib.request.urlopen(base + path, timeout=30).read()
        name = f"{n:02d}.json"
        with open(os.path.join(out, name), "wb") as f:
            f.write(body)
        lines.append(f"{name} {path}\n")
    with open(os.path.join(out, "queries.txt"), "w") as f:
        f.writelines(lines)


if __name__ == "__main__":
    main()
