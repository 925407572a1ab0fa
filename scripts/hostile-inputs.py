#!/usr/bin/env python3
"""Hostile inputs against a running Sugarmill (issue #10): malformed, oversized, deeply nested,
wrongly encoded and absurd requests to every ingest and query endpoint, plus random bytes. Each
answer must be a clean 4xx (or a 2xx where the input is odd but valid, or 503 when shedding), never
a 5xx, a dropped connection or a crash; afterwards the process must be healthy, answer a query
correctly and hold no more memory than --max-rss-mb.

    scripts/hostile-inputs.py --binary .build/release/sugarmill

Needs Python 3 with cramjam (snappy). Listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

from wire import HOST, free_port, snappy, timeseries


RW = {"Content-Type": "application/x-protobuf", "Content-Encoding": "snappy"}
OTLP_JSON = {"Content-Type": "application/json"}
OTLP_PB = {"Content-Type": "application/x-protobuf"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def cases(rng: random.Random) -> list[tuple[str, str, str, bytes, dict]]:
    """(name, method, path, body, headers)."""
    now = int(time.time() * 1000)
    out: list[tuple[str, str, str, bytes, dict]] = []
    add = lambda name, method, path, body=b"", headers=None: out.append((name, method, path, body, headers or {}))  # noqa: E731

    # Remote write: malformed, oversized, wrongly encoded, absurd.
    add("rw: empty body", "POST", "/api/v1/write", b"", RW)
    add("rw: not snappy", "POST", "/api/v1/write", b"hello world" * 100, RW)
    add("rw: snappy of garbage", "POST", "/api/v1/write", snappy(os.urandom(4096)), RW)
    add("rw: snappy header claims 4 GiB", "POST", "/api/v1/write", b"\xff\xff\xff\xff\x0f" + b"\x00" * 10, RW)
    add("rw: no Content-Encoding", "POST", "/api/v1/write", b"\x00" * 10, {"Content-Type": "application/x-protobuf"})
    add("rw: wrong Content-Type", "POST", "/api/v1/write", b"x", {"Content-Type": "text/html", "Content-Encoding": "snappy"})
    add("rw: invalid UTF-8 label value", "POST", "/api/v1/write",
        snappy(timeseries([(b"__name__", b"m"), (b"bad", b"\xff\xfe\xfd")], [(1.0, now)])), RW)
    add("rw: invalid UTF-8 metric name", "POST", "/api/v1/write", snappy(timeseries([(b"__name__", b"\xc3\x28")], [(1.0, now)])), RW)
    add("rw: no metric name", "POST", "/api/v1/write", snappy(timeseries([(b"job", b"x")], [(1.0, now)])), RW)
    add("rw: empty label name", "POST", "/api/v1/write", snappy(timeseries([(b"__name__", b"m"), (b"", b"v")], [(1.0, now)])), RW)
    add("rw: duplicate label", "POST", "/api/v1/write",
        snappy(timeseries([(b"__name__", b"m"), (b"a", b"1"), (b"a", b"2")], [(1.0, now)])), RW)
    add("rw: 10,000 labels", "POST", "/api/v1/write",
        snappy(timeseries([(b"__name__", b"m")] + [(b"l%05d" % i, b"v") for i in range(10_000)], [(1.0, now)])), RW)
    add("rw: 1 MB label value", "POST", "/api/v1/write", snappy(timeseries([(b"__name__", b"m"), (b"big", b"x" * (1 << 20))], [(1.0, now)])), RW)
    add("rw: absurd timestamps", "POST", "/api/v1/write",
        snappy(timeseries([(b"__name__", b"absurd_ts")], [(1.0, -(1 << 63)), (2.0, (1 << 63) - 1), (3.0, 0)])), RW)
    add("rw: NaN, Inf, stale bits", "POST", "/api/v1/write",
        snappy(timeseries([(b"__name__", b"absurd_v")], [(float("nan"), now), (float("inf"), now + 1), (-float("inf"), now + 2)])), RW)
    add("rw: truncated protobuf", "POST", "/api/v1/write", snappy(timeseries([(b"__name__", b"m")], [(1.0, now)]))[:-3], RW)
    add("rw: varint of 11 bytes", "POST", "/api/v1/write", snappy(b"\x0a" + b"\xff" * 11), RW)
    add("rw: nested length beyond body", "POST", "/api/v1/write", snappy(b"\x0a\xff\xff\xff\xff\x07" + b"\x00" * 8), RW)
    add("rw 2.0: garbage", "POST", "/api/v1/write", snappy(os.urandom(2048)),
        {"Content-Type": "application/x-protobuf;proto=io.prometheus.write.v2.Request", "Content-Encoding": "snappy"})
    add("rw: 40 MB body", "POST", "/api/v1/write", b"\x00" * (40 << 20), RW)

    # OTLP.
    add("otlp json: not JSON", "POST", "/api/v1/otlp/v1/metrics", b"{{{{", OTLP_JSON)
    add("otlp json: nested 100,000 deep", "POST", "/api/v1/otlp/v1/metrics", b"[" * 100_000 + b"]" * 100_000, OTLP_JSON)
    add("otlp json: nested objects", "POST", "/api/v1/otlp/v1/metrics", b'{"a":' * 50_000 + b"1" + b"}" * 50_000, OTLP_JSON)
    add("otlp json: wrong types", "POST", "/api/v1/otlp/v1/metrics", json.dumps({"resourceMetrics": "x"}).encode(), OTLP_JSON)
    add("otlp json: absurd numbers", "POST", "/api/v1/otlp/v1/metrics", json.dumps({"resourceMetrics": [{"scopeMetrics": [{"metrics": [
        {"name": "absurd", "gauge": {"dataPoints": [{"timeUnixNano": "99999999999999999999999", "asDouble": 1e308}]}}]}]}]}).encode(),
        OTLP_JSON)
    add("otlp json: invalid UTF-8", "POST", "/api/v1/otlp/v1/metrics", b'{"resourceMetrics":[{"x":"\xff\xfe"}]}', OTLP_JSON)
    add("otlp pb: garbage", "POST", "/api/v1/otlp/v1/metrics", os.urandom(4096), OTLP_PB)
    add("otlp pb: recursion bomb", "POST", "/api/v1/otlp/v1/metrics", b"\x0a\x80\x80\x04" + b"\x0a\xff\x7f" * 5000, OTLP_PB)
    add("otlp: gzip garbage", "POST", "/api/v1/otlp/v1/metrics", os.urandom(1024), {**OTLP_PB, "Content-Encoding": "gzip"})

    # Queries.
    q = lambda expr, **extra: "/api/v1/query?" + urllib.parse.urlencode({"query": expr, **extra})  # noqa: E731
    add("query: nested 100,000 parens", "GET", q("(" * 100_000 + "1" + ")" * 100_000))
    add("query: 5,000 nested sums", "POST", "/api/v1/query", ("query=" + urllib.parse.quote("sum(" * 5000 + "up" + ")" * 5000)).encode(), FORM)
    add("query: 9 MB form", "POST", "/api/v1/query", b"query=" + b"1%2B" * (3 << 20), FORM)
    add("query: absurd time", "GET", q("up", time="1e300"))
    add("query: NaN time", "GET", q("up", time="NaN"))
    add("query: absurd subquery", "GET", q("vector(1)[100y:1ms]"))
    add("query: absurd range", "GET", q("rate(up[1000y])"))
    add("query: absurd offset", "GET", q("up offset 100000000y"))
    add("query: huge regex", "GET", q('up{job=~"' + "(a|b)*" * 2000 + '"}'))
    add("query: catastrophic regex", "GET", q('up{job=~"(a+)+$"}'))
    add("query: invalid UTF-8", "GET", "/api/v1/query?query=%ff%fe%fd")
    add("query: number overflow", "GET", q("1e999999 * 2"))
    add("query_range: 10^12 steps", "GET", "/api/v1/query_range?" + urllib.parse.urlencode(
        {"query": "up", "start": "0", "end": "1e12", "step": "1"}))
    add("query_range: tiny step", "GET", "/api/v1/query_range?" + urllib.parse.urlencode(
        {"query": "up", "start": "0", "end": "100", "step": "1e-300"}))
    add("series: 20,000 match[]", "POST", "/api/v1/series", "&".join(f"match[]=m{i}" for i in range(20_000)).encode(), FORM)
    add("labels: bad matcher", "GET", "/api/v1/labels?match[]=%7B%7D%7B")
    add("label values: invalid name", "GET", "/api/v1/label/%ff%fe/values")
    add("federate: no match", "GET", "/federate")
    add("read: garbage", "POST", "/api/v1/read", snappy(os.urandom(512)), RW)
    add("grafana: bad JSON", "POST", "/grafana/query", b'{"targets": [', {"Content-Type": "application/json"})
    add("grafana: nested JSON", "POST", "/grafana/query", b"[" * 100_000, {"Content-Type": "application/json"})

    # Random bytes to every endpoint.
    for path in ["/api/v1/write", "/api/v1/otlp/v1/metrics", "/api/v1/query", "/api/v1/query_range", "/api/v1/series",
                 "/api/v1/read", "/grafana/query", "/grafana/search", "/api/v1/admin/tsdb/delete_series"]:
        for i in range(5):
            add(f"random bytes #{i} to {path}", "POST", path, os.urandom(rng.randint(1, 65536)),
                {"Content-Type": rng.choice(["application/x-protobuf", "application/json", "application/x-www-form-urlencoded",
                                             "text/plain", "application/octet-stream"])})
    return out


def request(port: int, method: str, path: str, body: bytes, headers: dict, timeout: float = 60) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body or None, headers=headers)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", default=".build/release/sugarmill")
    p.add_argument("--max-rss-mb", type=float, default=1024)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()

    root = tempfile.mkdtemp(prefix="sugarmill-hostile-")
    port = free_port()
    log = open(os.path.join(root, "log"), "wb")
    proc = subprocess.Popen([os.path.abspath(a.binary), f"--storage.tsdb.path={root}/data", f"--web.listen-address={HOST}:{port}",
                             "--web.enable-admin-api"], stdout=log, stderr=log)
    failures: list[str] = []
    try:
        for _ in range(300):
            try:
                if request(port, "GET", "/-/ready", b"", {}, 1)[0] == 200:
                    break
            except OSError:
                time.sleep(0.05)
        now = int(time.time() * 1000)
        good = snappy(timeseries([(b"__name__", b"hostile_ok"), (b"k", b"v")], [(42.0, now)]))
        if request(port, "POST", "/api/v1/write", good, RW)[0] != 204:
            failures.append("a valid write before the run was refused")
        rows = []
        for name, method, path, body, headers in cases(random.Random(a.seed)):
            t0 = time.monotonic()
            try:
                status, answer = request(port, method, path, body, headers)
            except OSError as e:
                status, answer = -1, str(e).encode()
            took = time.monotonic() - t0
            ok = status != -1 and (status < 500 or status == 503)
            rows.append((name, status, round(took, 2)))
            if not ok:
                failures.append(f"{name}: {status} {answer[:200]!r}")
            if proc.poll() is not None:
                failures.append(f"{name}: the process exited with {proc.returncode}")
                break
        alive = proc.poll() is None
        healthy = alive and request(port, "GET", "/-/healthy", b"", {})[0] == 200
        status, body = request(port, "GET", "/api/v1/query?" + urllib.parse.urlencode({"query": "hostile_ok", "time": now / 1000}),
                               b"", {}) if alive else (-1, b"")
        answers = alive and status == 200 and json.loads(body)["data"]["result"][0]["value"][1] == "42"
        peak = rss_mb(proc.pid) if alive else 0.0
        if not healthy:
            failures.append("not healthy afterwards")
        if not answers:
            failures.append(f"the valid sample is not answered afterwards: {status} {body[:200]!r}")
        if peak > a.max_rss_mb:
            failures.append(f"peak RSS {peak:.0f} MB over {a.max_rss_mb:.0f} MB")
        width = max(len(r[0]) for r in rows)
        for name, status, took in rows:
            print(f"{name:<{width}}  {status:>4}  {took:>6.2f}s")
        print(f"\n{len(rows)} hostile requests; statuses: "
              + ", ".join(f"{s}×{sum(1 for r in rows if r[1] == s)}" for s in sorted({r[1] for r in rows})))
        print(f"afterwards: alive {alive}, healthy {healthy}, valid sample answered {answers}, peak RSS {peak:.0f} MB")
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(30)
        shutil.rmtree(root, ignore_errors=True)
    for f in failures:
        print("FAIL: " + f)
    print("PASS" if not failures else "FAIL")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
