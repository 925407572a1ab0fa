#!/usr/bin/env python3
"""Deterministic native-histogram exporter for the prometheus-2.42-nh fixture.

Serves /metrics in the protobuf exposition format (length-delimited
io.prometheus.client.MetricFamily messages, hand-encoded: no protoc needed).
Every value is a function of k, the number of scrapes by Prometheus so far
(requests whose User-Agent starts with "Prometheus/"), so a rerun with the same
scrape count gives the same samples; only the timestamps (Prometheus's) differ.

Families:
  nh_request_duration_seconds{path="/api"|"/web"}  counter histogram, schema 3,
      zero threshold 0.001, positive, negative and zero-bucket observations;
      new buckets appear over time (chunk layout changes).
  nh_reset_seconds              counter histogram, schema 0, resets every 25 scrapes.
  nh_schema_change_seconds      counter histogram: schema 3, reduced to schema 1 at
      k % 25 == 12 (what client_golang does with too many buckets), back to
      schema 3 by a counter reset at k % 25 == 0.
  nh_queue_size                 GAUGE_HISTOGRAM, schema 0: the last 6 scrapes'
      observations, so counts and buckets go up and down.
  nh_demo_events_total          counter (float).
  nh_demo_temperature           gauge.
  classic_latency_seconds       classic histogram (no native part).

Usage: exporter.py PORT   (listens on 127.0.0.1 only)
"""

import math
import struct
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONTENT_TYPE = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"

# MetricType
COUNTER, GAUGE, SUMMARY, UNTYPED, HISTOGRAM, GAUGE_HISTOGRAM = range(6)


# --- protobuf wire encoding -------------------------------------------------

def varint(n):
    assert n >= 0
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zigzag(n):
    return (n << 1) ^ (n >> 63) if n < 0 else n << 1


def key(field, wire):
    return varint((field << 3) | wire)


def f_varint(field, n):
    return key(field, 0) + varint(n)


def f_double(field, x):
    return key(field, 1) + struct.pack("<d", x)


def f_bytes(field, b):
    return key(field, 2) + varint(len(b)) + b


def f_string(field, s):
    return f_bytes(field, s.encode())


def f_packed_sint(field, values):
    return f_bytes(field, b"".join(varint(zigzag(v)) for v in values))


# --- messages ----------------------------------------------------------------

def label_pairs(labels):
    return b"".join(f_bytes(1, f_string(1, k) + f_string(2, v)) for k, v in labels)


def spans_and_deltas(buckets):
    """buckets: {index: count} with count > 0 -> (spans [(offset, length)], deltas)."""
    spans, deltas = [], []
    prev_index, prev_count = None, 0
    for i in sorted(buckets):
        if prev_index is None:
            spans.append([i, 1])
        elif i == prev_index + 1:
            spans[-1][1] += 1
        else:
            spans.append([i - prev_index - 1, 1])
        deltas.append(buckets[i] - prev_count)
        prev_index, prev_count = i, buckets[i]
    return spans, deltas


def span_msg(offset, length):
    b = b""
    if offset:
        b += f_varint(1, zigzag(offset))
    if length:
        b += f_varint(2, length)
    return b


def native_histogram_msg(h):
    b = f_varint(1, h["count"]) + f_double(2, h["sum"])
    b += f_varint(5, zigzag(h["schema"]))
    b += f_double(6, h["zero_threshold"])
    if h["zero_count"]:
        b += f_varint(7, h["zero_count"])
    nspans, ndeltas = spans_and_deltas(h["negative"])
    for o, l in nspans:
        b += f_bytes(9, span_msg(o, l))
    if ndeltas:
        b += f_packed_sint(10, ndeltas)
    pspans, pdeltas = spans_and_deltas(h["positive"])
    for o, l in pspans:
        b += f_bytes(12, span_msg(o, l))
    if pdeltas:
        b += f_packed_sint(13, pdeltas)
    return b


def classic_histogram_msg(count, total, cumulative):
    b = f_varint(1, count) + f_double(2, total)
    for upper, c in cumulative:
        b += f_bytes(3, f_varint(1, c) + f_double(2, upper))
    return b


def family(name, help_text, mtype, metrics):
    """metrics: list of (labels, field number, encoded value message)."""
    b = f_string(1, name) + f_string(2, help_text)
    if mtype:
        b += f_varint(3, mtype)
    for labels, field, value in metrics:
        b += f_bytes(4, label_pairs(labels) + f_bytes(field, value))
    return varint(len(b)) + b


# --- deterministic data --------------------------------------------------------

def observations(seed, k, n):
    """n pseudo-random observations for scrape k (a 32-bit LCG seeded by seed and k)."""
    x = (seed * 7919 + k * 104729 + 12345) & 0xFFFFFFFF
    out = []
    for _ in range(n):
        x = (1103515245 * x + 12345) & 0x7FFFFFFF
        u = x / 0x7FFFFFFF
        out.append(u)
    return out


def bucket_index(v, schema):
    """Index of the bucket (base^(i-1), base^i] holding |v|, base = 2^(2^-schema)."""
    frac, exp = math.frexp(v)  # v = frac * 2^exp, 0.5 <= frac < 1
    if schema <= 0:
        if frac == 0.5:
            exp -= 1
        return (exp + (1 << -schema) - 1) >> -schema
    # Boundaries are exact powers 2^(j / 2^schema); computed the way client_golang does.
    scale = 1 << schema
    i = math.ceil(math.log2(v) * scale)
    # Nudge for float error right at a boundary.
    while 2 ** ((i - 1) / scale) >= v:
        i -= 1
    while 2 ** (i / scale) < v:
        i += 1
    return i


def build(values, schema, zero_threshold):
    h = {"schema": schema, "zero_threshold": zero_threshold, "zero_count": 0,
         "count": 0, "sum": 0.0, "positive": {}, "negative": {}}
    for v in values:
        h["count"] += 1
        h["sum"] += v
        if abs(v) <= zero_threshold:
            h["zero_count"] += 1
            continue
        side = h["positive"] if v > 0 else h["negative"]
        i = bucket_index(abs(v), schema)
        side[i] = side.get(i, 0) + 1
    return h


def request_values(seed, k):
    """Latency-like values; some negative (a signed skew), some in the zero bucket, and a rare
    outlier that opens new buckets over time."""
    out = []
    for j, u in enumerate(observations(seed, k, 4)):
        if j == 0 and k % 7 == 3:
            out.append(-0.05 - u * 0.5)           # negative bucket
        elif j == 1 and k % 5 == 0:
            out.append((u - 0.5) * 0.0015)        # zero bucket (|v| <= 0.001)
        elif j == 2 and k % 11 == 5:
            out.append(1.0 + k * 0.05 * u)        # widening tail: new buckets
        else:
            out.append(0.002 + u * 0.3)
    return out


def metrics_for(k):
    families = []
    # Counter histograms with two label sets.
    series = []
    for seed, path in ((1, "/api"), (2, "/web")):
        values = []
        for i in range(1, k + 1):
            values += request_values(seed, i)
        series.append(([("path", path)], 7, native_histogram_msg(build(values, 3, 0.001))))
    families.append(family("nh_request_duration_seconds", "Request latency (native, schema 3).", HISTOGRAM, series))

    # Counter reset every 25 scrapes.
    start = k - (k % 25)
    values = []
    for i in range(start, k + 1):
        values += [0.01 + u * 4 for u in observations(3, i, 3)]
    families.append(family("nh_reset_seconds", "Native histogram with counter resets.", HISTOGRAM,
                           [([], 7, native_histogram_msg(build(values, 0, 0.001)))]))

    # Schema 3, reduced to 1 at k % 25 == 12, back to 3 at each reset (k % 25 == 0).
    values = []
    for i in range(start, k + 1):
        values += [0.001 + u * 2 for u in observations(4, i, 3)]
    schema = 1 if k % 25 >= 12 else 3
    families.append(family("nh_schema_change_seconds", "Native histogram whose schema is reduced.", HISTOGRAM,
                           [([], 7, native_histogram_msg(build(values, schema, 0.001)))]))

    # Gauge histogram: the last 6 scrapes' observations.
    values = []
    for i in range(max(0, k - 5), k + 1):
        values += [u * (1 + (i % 9)) * 8 for u in observations(5, i, 1 + i % 4)]
    families.append(family("nh_queue_size", "Gauge histogram of queue sizes.", GAUGE_HISTOGRAM,
                           [([], 7, native_histogram_msg(build(values, 0, 0.5)))]))

    # Ordinary counter and gauge.
    families.append(family("nh_demo_events_total", "Events.", COUNTER,
                           [([], 3, f_double(1, 3.5 * k + (k % 4)))]))
    families.append(family("nh_demo_temperature", "Temperature.", GAUGE,
                           [([], 2, f_double(1, round(20 + 5 * math.sin(k / 10), 6)))]))

    # Classic histogram, no native part.
    values = []
    for i in range(1, k + 1):
        values += [u * 2 for u in observations(6, i, 2)]
    bounds = [0.1, 0.25, 0.5, 1.0, math.inf]
    cumulative = [(b, sum(1 for v in values if v <= b)) for b in bounds]
    families.append(family("classic_latency_seconds", "Classic histogram.", HISTOGRAM,
                           [([], 7, classic_histogram_msg(len(values), sum(values), cumulative))]))
    return b"".join(families)


class Handler(BaseHTTPRequestHandler):
    scrapes = 0
    lock = threading.Lock()

    def do_GET(self):
        if self.path.split("?")[0] != "/metrics":
            self.send_error(404)
            return
        with Handler.lock:
            if self.headers.get("User-Agent", "").startswith("Prometheus/"):
                Handler.scrapes += 1
            k = Handler.scrapes
        body = metrics_for(k)
        self.send_response(200)
        self.send_header("Content-Type", CONTENT_TYPE)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 19142
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
