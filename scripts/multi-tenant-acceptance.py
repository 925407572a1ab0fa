#!/usr/bin/env python3
"""Issue #8 acceptance: tenants are isolated on every endpoint, limits hold one tenant back
without slowing the others, and Prometheus 2.42 remote-writes into the right tenant.

One Sugarmill in multi-tenant mode with tenants `team-a` (bearer token), `team-b` (bearer token
and basic auth) and `noisy` (a series limit of 2000), `trust_org_id_header: true`; its scrape
config has job `node-a` (no tenant key: the first tenant) and job `node-b` (`tenant: team-b`),
both scraping node_exporter. Prometheus 2.42 scrapes node_exporter too and remote-writes twice:
with team-a's bearer token, and through a trusted gateway that adds `X-Scope-OrgID: team-b`
(Debian's Prometheus 2.42 ignores remote_write `headers:`, checked: none arrive).

1. Isolation. team-a and team-b push the same metric names with different values (1 and 2) and
   one metric of their own each. Through every read endpoint — query, query_range, series,
   labels, label values, federate, metadata, targets, scrape_pools, status/tsdb, status/tenant,
   query_exemplars, the Grafana JSON endpoints, remote read (Prometheus 2.42 reading with
   team-a's token) — each sees only its own values and names, and
   only its own scrape jobs and Prometheus's pushes. OTLP lands in its sender's tenant. A wrong
   token, a wrong password, an unknown X-Scope-OrgID or no credentials get 401 on every endpoint
   (writes included: nothing lands anywhere); a valid token with another tenant's X-Scope-OrgID
   still sees only its own data (the credentials decide).
2. Limits. team-a's ingest (remote write paced at --rate, 20k samples/s) and query latency are
   measured alone, then while `noisy` pushes new series past its limit at five times that rate
   (--noisy-rate): noisy gets 400 naming `max_global_series_per_user`, and team-a's achieved
   ingest rate and median query latency stay within 10 % of the baseline.

    SUGARMILL_BIN=.build/release/sugarmill python3 scripts/multi-tenant-acceptance.py

Needs prometheus (2.42) and prometheus-node-exporter (Debian packages) and python3-cramjam.
Exit status 1 on any failure.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import http.server
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.normpath(os.path.join(HERE, "..", "..", "shared", "bench")))
sys.path.insert(0, HERE)

import cramjam  # noqa: E402
from remote_write import encode_labels, encode_write_request  # noqa: E402

import importlib.util  # noqa: E402

_spec = importlib.util.spec_from_file_location("rwa", os.path.join(HERE, "remote-write-acceptance.py"))
rwa = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rwa)
HOST = rwa.HOST

TOKENS = {"team-a": "token-a-secret", "team-b": "token-b-secret", "noisy": "token-noisy"}
BOB = ("bob", "bobs-password")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Client:
    """HTTP to Sugarmill with one set of credentials (headers)."""

    def __init__(self, port: int, headers: dict[str, str]):
        self.port, self.headers = port, headers

    def request(self, method: str, path: str, params: dict | list | None = None, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        url = path + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            conn.request(method, url, body=body, headers={**self.headers, **(headers or {})})
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            conn.close()

    def json(self, method: str, path: str, params=None, body: bytes | None = None, headers=None) -> tuple[int, object]:
        status, raw = self.request(method, path, params, body, headers)
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode(errors="replace")

    def push(self, series: list[tuple[list[tuple[str, str]], list[tuple[int, float]]]]) -> tuple[int, str]:
        body = cramjam.snappy.compress_raw(encode_write_request((encode_labels(sorted(l)), s) for l, s in series))
        status, raw = self.request("POST", "/api/v1/write", body=bytes(body), headers={
            "Content-Type": "application/x-protobuf", "Content-Encoding": "snappy",
            "X-Prometheus-Remote-Write-Version": "0.1.0"})
        return status, raw.decode(errors="replace")


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed: list[str] = []

    def check(self, ok: bool, what: str) -> None:
        if ok:
            self.passed += 1
        else:
            self.failed.append(what)
            print(f"FAIL {what}", flush=True)


def metric_names(result) -> set[str]:
    return {r["metric"].get("__name__", "") for r in result}


def isolation(port: int, c: Checks, now: int) -> None:
    clients = {t: Client(port, {"Authorization": f"Bearer {TOKENS[t]}"}) for t in ("team-a", "team-b")}
    bob = Client(port, {"Authorization": "Basic " + base64.b64encode(f"{BOB[0]}:{BOB[1]}".encode()).decode()})
    value = {"team-a": 1.0, "team-b": 2.0}
    own = {"team-a": "acc_only_a", "team-b": "acc_only_b"}
    times = [(now - 60 + 15 * i) * 1000 for i in range(5)]
    for tenant, client in clients.items():
        series = [([("__name__", "acc_metric"), ("i", str(i))], [(t, value[tenant]) for t in times]) for i in range(10)]
        series.append(([("__name__", own[tenant]), ("x", "1")], [(t, value[tenant]) for t in times]))
        status, text = client.push(series)
        c.check(status == 204, f"{tenant}: remote write answered {status} {text[:200]}")
    # OTLP lands in its sender's tenant only.
    otlp = json.dumps({"resourceMetrics": [{"resource": {"attributes": [
        {"key": "service.name", "value": {"stringValue": "otlp-svc"}}]}, "scopeMetrics": [{"metrics": [
            {"name": "acc_otlp_gauge", "gauge": {"dataPoints": [{"asDouble": 7, "timeUnixNano": str(times[-1] * 1_000_000)}]}}]}]}]})
    status, _ = bob.request("POST", "/api/v1/otlp/v1/metrics", body=otlp.encode(), headers={"Content-Type": "application/json"})
    c.check(status == 200, f"team-b (basic auth): OTLP answered {status}")

    other = {"team-a": "team-b", "team-b": "team-a"}
    at = str(now)
    for tenant, client in clients.items():
        v, w = value[tenant], value[other[tenant]]
        mine, theirs = own[tenant], own[other[tenant]]

        def q(expr: str, t: str = at):
            status, body = client.json("GET", "/api/v1/query", {"query": expr, "time": t})
            c.check(status == 200, f"{tenant}: query {expr} answered {status}")
            return body["data"]["result"] if status == 200 else []

        result = q("acc_metric")
        c.check(len(result) == 10 and all(float(r["value"][1]) == v for r in result),
                f"{tenant}: query acc_metric sees {[r['value'][1] for r in result]}, wants ten of {v}")
        c.check(metric_names(q('{__name__=~"acc_only_.*"}')) == {mine}, f"{tenant}: query sees another tenant's metric")
        status, body = client.json("GET", "/api/v1/query_range",
                                   {"query": "acc_metric", "start": str(now - 60), "end": at, "step": "15"})
        values = {float(p[1]) for r in body["data"]["result"] for p in r["values"]} if status == 200 else set()
        c.check(status == 200 and values == {v}, f"{tenant}: query_range values {values}, wants {{{v}}}")
        status, body = client.json("GET", "/api/v1/series", {"match[]": '{__name__=~"acc_.*"}', "start": str(now - 300), "end": at})
        names = {s["__name__"] for s in body["data"]} if status == 200 else set()
        wanted = {"acc_metric", mine} | ({"acc_otlp_gauge"} if tenant == "team-b" else set())
        c.check(status == 200 and names == wanted, f"{tenant}: series {names}, wants {wanted}")
        status, body = client.json("GET", "/api/v1/label/__name__/values")
        names = set(body["data"]) if status == 200 else set()
        c.check(status == 200 and mine in names and theirs not in names, f"{tenant}: label values of __name__ leak or miss")
        c.check(("acc_otlp_gauge" in names) == (tenant == "team-b"), f"{tenant}: OTLP metric in the wrong tenant")
        status, body = client.json("GET", "/api/v1/labels", {"match[]": '{__name__=~"acc_only_.*"}'})
        c.check(status == 200 and set(body["data"]) == {"__name__", "x"}, f"{tenant}: labels {body}")
        status, raw = client.request("GET", "/federate", {"match[]": '{__name__=~"acc_.*"}'})
        text = raw.decode()
        c.check(status == 200 and mine in text and theirs not in text, f"{tenant}: federate leaks or misses")
        fed_values = {float(line.split(" ")[1]) for line in text.splitlines() if line.startswith("acc_metric")}
        c.check(fed_values == {v}, f"{tenant}: federate values {fed_values}")
        status, body = client.json("GET", "/api/v1/targets")
        jobs = {t["scrapePool"] for t in body["data"]["activeTargets"]} if status == 200 else set()
        want_job = {"team-a": "node-a", "team-b": "node-b"}[tenant]
        c.check(status == 200 and jobs == {want_job}, f"{tenant}: targets of jobs {jobs}, wants {{{want_job}}}")
        status, body = client.json("GET", "/api/v1/scrape_pools")
        c.check(status == 200 and body["data"]["scrapePools"] == [want_job], f"{tenant}: scrape_pools {body}")
        ups = q("up")
        jobs = {r["metric"].get("job") for r in ups}
        c.check(jobs == {want_job, "prom-node"}, f"{tenant}: up from jobs {jobs}, wants {want_job} and Prometheus's prom-node")
        status, body = client.json("GET", "/api/v1/metadata", {"metric": "node_load1"})
        c.check(status == 200 and "node_load1" in body["data"], f"{tenant}: metadata {str(body)[:200]}")
        status, body = client.json("GET", "/api/v1/status/tsdb")
        names = {e["name"] for e in body["data"]["seriesCountByMetricName"]} if status == 200 else set()
        c.check(status == 200 and theirs not in names, f"{tenant}: status/tsdb lists another tenant's metric")
        status, body = client.json("GET", "/api/v1/status/tenant")
        c.check(status == 200 and body["data"]["tenant"] == tenant, f"{tenant}: status/tenant {str(body)[:200]}")
        status, body = client.json("GET", "/api/v1/query_exemplars", {"query": "acc_metric", "start": str(now - 60), "end": at})
        c.check(status == 200, f"{tenant}: query_exemplars answered {status}")
        iso = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(now - 60))
        iso_end = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(now))
        grafana = json.dumps({"range": {"from": iso, "to": iso_end}, "intervalMs": 15000, "maxDataPoints": 100,
                              "targets": [{"target": "acc_metric", "refId": "A"}]})
        status, body = client.json("POST", "/grafana/query", body=grafana.encode(), headers={"Content-Type": "application/json"})
        points = {p[0] for s in body for p in s.get("datapoints", [])} if status == 200 else set()
        c.check(status == 200 and points == {v}, f"{tenant}: Grafana JSON query values {points}")
        status, body = client.json("POST", "/grafana/metrics", body=b"{}", headers={"Content-Type": "application/json"})
        names = {m["value"] if isinstance(m, dict) else m for m in body} if status == 200 else set()
        c.check(status == 200 and mine in names and theirs not in names, f"{tenant}: Grafana JSON metrics leak or miss")
        # Credentials decide: another tenant's X-Scope-OrgID next to a valid token changes nothing.
        status, body = client.json("GET", "/api/v1/query", {"query": "acc_metric", "time": at},
                                   headers={"X-Scope-OrgID": other[tenant]})
        vals = {float(r["value"][1]) for r in body["data"]["result"]} if status == 200 else set()
        c.check(vals == {v}, f"{tenant}: with X-Scope-OrgID {other[tenant]} sees {vals}")

    # Trusted gateway: X-Scope-OrgID alone names the tenant.
    status, body = Client(port, {"X-Scope-OrgID": "team-b"}).json("GET", "/api/v1/query", {"query": "acc_metric", "time": at})
    vals = {float(r["value"][1]) for r in body["data"]["result"]} if status == 200 else set()
    c.check(vals == {2.0}, f"X-Scope-OrgID team-b sees {vals}")

    # Refusals: the same 401 on every endpoint, reads and writes, whatever was wrong.
    bad = {
        "wrong token": {"Authorization": "Bearer not-a-token"},
        "wrong password": {"Authorization": "Basic " + base64.b64encode(b"bob:guess").decode()},
        "unknown org id": {"X-Scope-OrgID": "team-z"},
        "no credentials": {},
    }
    endpoints = [("GET", "/api/v1/query?query=acc_metric"), ("GET", "/api/v1/query_range?query=up&start=0&end=1&step=1"),
                 ("GET", "/api/v1/series?match[]=up"), ("GET", "/api/v1/labels"), ("GET", "/api/v1/label/job/values"),
                 ("GET", "/federate?match[]=up"), ("GET", "/api/v1/metadata"), ("GET", "/api/v1/targets"),
                 ("GET", "/api/v1/status/tsdb"), ("GET", "/api/v1/status/tenant"), ("GET", "/api/v1/status/config"),
                 ("GET", "/api/v1/query_exemplars?query=up"), ("GET", "/api/v1/rules"), ("POST", "/api/v1/read"),
                 ("POST", "/grafana/query"), ("GET", "/grafana/"), ("POST", "/api/v1/write"),
                 ("POST", "/api/v1/otlp/v1/metrics"), ("GET", "/api/v1/status/buildinfo")]
    for why, headers in bad.items():
        client = Client(port, headers)
        codes = {path: client.request(method, path, body=b"")[0] for method, path in endpoints}
        wrong = {p: s for p, s in codes.items() if s != 401}
        c.check(not wrong, f"{why}: not 401 on {wrong}")
        status, _ = client.push([([("__name__", "intruder")], [(now * 1000, 1)])])
        c.check(status == 401, f"{why}: write answered {status}")
    for tenant, client in clients.items():
        status, body = client.json("GET", "/api/v1/query", {"query": "intruder", "time": at})
        c.check(status == 200 and body["data"]["result"] == [], f"{tenant}: a refused write landed")


def measure(port: int, seconds: float, rate: int, queries: list[str]) -> dict:
    """team-a pushes `rate` samples/s (batches of 1000 samples over 5000 series, fresh
    timestamps) while one thread runs `queries` in a loop; returns the achieved ingest rate and
    the median query latency. The queries read at most the last 10 s, so their cost is steady
    once the load has run that long."""
    a = Client(port, {"Authorization": f"Bearer {TOKENS['team-a']}"})
    encoded = [encode_labels(sorted([("__name__", "load_metric"), ("i", str(i))])) for i in range(5000)]
    stop = threading.Event()
    latencies: list[float] = []
    failures: list[str] = []

    def query_loop():
        while not stop.is_set():
            for expr in queries:
                t0 = time.perf_counter()
                status, _ = a.request("GET", "/api/v1/query", {"query": expr, "time": f"{time.time():.3f}"})
                latencies.append(time.perf_counter() - t0)
                if status != 200:
                    failures.append(f"query {expr}: {status}")
            time.sleep(0.05)

    qt = threading.Thread(target=query_loop)
    qt.start()
    sent = 0
    start = time.perf_counter()
    batch_interval = 1000 / rate
    k = 0
    while time.perf_counter() - start < seconds:
        delay = start + k * batch_interval - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        ts = int(time.time() * 1000)
        part = encoded[(k % 5) * 1000:(k % 5 + 1) * 1000]
        body = cramjam.snappy.compress_raw(encode_write_request((lab, [(ts, float(k))]) for lab in part))
        status, raw = a.request("POST", "/api/v1/write", body=bytes(body), headers={
            "Content-Type": "application/x-protobuf", "Content-Encoding": "snappy"})
        if status == 204:
            sent += 1000
        else:
            failures.append(f"write: {status} {raw[:200]!r}")
        k += 1
    elapsed = time.perf_counter() - start
    stop.set()
    qt.join()
    return {"rate": sent / elapsed, "query_p50_ms": statistics.median(latencies) * 1000,
            "queries": len(latencies), "failures": failures[:5]}


def noisy_process(port: int, rate: int, stop, codes, last) -> None:
    """Pushes batches of 1000 new series at `rate` samples/s, as a sender's queue does, from a
    process of its own (bodies encoded up front) so that the client's work does not slow
    team-a's client."""
    n = Client(port, {"Authorization": f"Bearer {TOKENS['noisy']}"})
    ts = int(time.time() * 1000)
    bodies = [bytes(cramjam.snappy.compress_raw(encode_write_request(
        (encode_labels([("__name__", "noise"), ("k", str(b * 1000 + i))]), [(ts, 1.0)]) for i in range(1000))))
        for b in range(20)]
    k = 0
    start = time.perf_counter()
    while not stop.is_set():
        delay = start + k * 1000 / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        status, raw = n.request("POST", "/api/v1/write", body=bodies[k % len(bodies)], headers={
            "Content-Type": "application/x-protobuf", "Content-Encoding": "snappy"})
        codes[status] = codes.get(status, 0) + 1
        if status != 204 and not last.value:
            last.value = raw.decode(errors="replace")[:300]
        k += 1


def limits(port: int, c: Checks, seconds: float, rate: int, noisy_rate: int) -> None:
    queries = ['sum(rate(load_metric[10s]))', 'max by (i) (load_metric)', 'count({__name__=~"node_.*"})', 'up']
    measure(port, 15, rate, queries)  # warm-up: series created, the queries' 10 s windows full
    base = measure(port, seconds, rate, queries)
    print(f"baseline: {base}", flush=True)
    manager = multiprocessing.Manager()
    stop, codes, last = manager.Event(), manager.dict(), manager.Value(str, "")
    noisy = multiprocessing.Process(target=noisy_process, args=(port, noisy_rate, stop, codes, last))
    noisy.start()
    time.sleep(2)
    loaded = measure(port, seconds, rate, queries)
    stop.set()
    noisy.join()
    outcome = {"codes": dict(codes), "last": last.value}
    print(f"with noisy neighbour: {loaded}; noisy got {outcome['codes']}", flush=True)
    c.check(not base["failures"] and not loaded["failures"], f"team-a failures: {base['failures']} {loaded['failures']}")
    c.check(outcome["codes"].get(400, 0) > 0 and "max_global_series_per_user" in outcome.get("last", ""),
            f"noisy was not refused naming the limit: {outcome}")
    c.check(loaded["rate"] >= 0.9 * base["rate"], f"team-a ingest fell from {base['rate']:.0f} to {loaded['rate']:.0f} samples/s")
    c.check(loaded["query_p50_ms"] <= 1.1 * base["query_p50_ms"],
            f"team-a median query latency rose from {base['query_p50_ms']:.2f} to {loaded['query_p50_ms']:.2f} ms")
    status, body = Client(port, {"Authorization": f"Bearer {TOKENS['noisy']}"}).json("GET", "/api/v1/status/tenant")
    usage = body["data"]["usage"] if status == 200 else {}
    c.check(usage.get("active_series") == 2000, f"noisy active series {usage.get('active_series')}, limit 2000")
    print(f"noisy usage: {usage}", flush=True)


def prometheus_pushes(port: int, c: Checks) -> None:
    """Prometheus's two remote_write queues landed: bearer token → team-a, X-Scope-OrgID → team-b."""
    for tenant in ("team-a", "team-b"):
        client = Client(port, {"Authorization": f"Bearer {TOKENS[tenant]}"})
        status, body = client.json("GET", "/api/v1/query", {"query": 'count({job="prom-node"})'})
        n = int(float(body["data"]["result"][0]["value"][1])) if status == 200 and body["data"]["result"] else 0
        c.check(n > 100, f"{tenant}: {n} series from Prometheus's remote write")
    noisy = Client(port, {"Authorization": f"Bearer {TOKENS['noisy']}"})
    status, body = noisy.json("GET", "/api/v1/query", {"query": 'count({job="prom-node"})'})
    c.check(status == 200 and body["data"]["result"] == [], "noisy holds Prometheus's data")


class Gateway(http.server.ThreadingHTTPServer):
    """A trusted gateway as deployed in front of Mimir or Sugarmill: it names the tenant in
    `X-Scope-OrgID` for whatever it forwards (here: everything, as `team-b`). Debian's
    Prometheus 2.42 cannot add the header itself: its remote_write ignores `headers:`."""

    def __init__(self, port: int, upstream: int, org_id: str):
        gateway = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                headers["X-Scope-OrgID"] = gateway.org_id
                status, raw = Client(gateway.upstream, {}).request("POST", self.path, body=body, headers=headers)
                self.send_response(status)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args):
                pass

        super().__init__((HOST, port), Handler)
        self.upstream, self.org_id = upstream, org_id


def remote_read(prometheus_port: int, c: Checks, now: int) -> None:
    """Prometheus 2.42 reading from Sugarmill with team-a's token sees team-a's data only."""
    def query(expr: str) -> list:
        body = rwa.get(prometheus_port, "/api/v1/query", {"query": expr, "time": str(now)})
        return body["data"]["result"]
    values = {r["value"][1] for r in query("acc_metric")}
    c.check(values == {"1"}, f"remote read as team-a: acc_metric values {values}")
    c.check(len(query("acc_only_a")) == 1 and query("acc_only_b") == [], "remote read as team-a sees team-b's metric")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=30, help="length of each load measurement")
    ap.add_argument("--rate", type=int, default=20000, help="team-a's offered ingest, samples/s")
    ap.add_argument("--noisy-rate", type=int, default=100000, help="the noisy tenant's offered ingest, samples/s")
    a = ap.parse_args()
    binary = os.environ.get("SUGARMILL_BIN", ".build/release/sugarmill")
    work = tempfile.mkdtemp(prefix="multi-tenant-")
    ports = {k: rwa.free_port() for k in ("node", "prometheus", "sugarmill", "gateway")}
    with open(f"{work}/tenants.yml", "w") as f:
        f.write(f"""trust_org_id_header: true
tenants:
  - id: team-a
    bearer_token_sha256: ["{sha(TOKENS['team-a'])}"]
    limits: {{ingestion_rate: 200000, ingestion_burst_size: 400000}}
  - id: team-b
    bearer_token_sha256: ["{sha(TOKENS['team-b'])}"]
    basic_auth: [{{username: {BOB[0]}, password_sha256: "{sha(BOB[1])}"}}]
  - id: noisy
    bearer_token_sha256: ["{sha(TOKENS['noisy'])}"]
    limits: {{max_global_series_per_user: 2000, ingestion_rate: 1000000, ingestion_burst_size: 2000000}}
""")
    with open(f"{work}/sm.yml", "w") as f:
        f.write(f"""global: {{scrape_interval: 5s}}
scrape_configs:
  - job_name: node-a
    static_configs: [{{targets: ['{HOST}:{ports['node']}']}}]
  - job_name: node-b
    tenant: team-b
    static_configs: [{{targets: ['{HOST}:{ports['node']}']}}]
""")
    with open(f"{work}/prom.yml", "w") as f:
        f.write(f"""global: {{scrape_interval: 5s}}
scrape_configs:
  - job_name: prom-node
    static_configs: [{{targets: ['{HOST}:{ports['node']}']}}]
remote_write:
  - url: http://{HOST}:{ports['sugarmill']}/api/v1/write
    authorization: {{credentials: {TOKENS['team-a']}}}
    queue_config: {{batch_send_deadline: 1s}}
  - url: http://{HOST}:{ports['gateway']}/api/v1/write
    queue_config: {{batch_send_deadline: 1s}}
remote_read:
  - url: http://{HOST}:{ports['sugarmill']}/api/v1/read
    authorization: {{credentials: {TOKENS['team-a']}}}
    read_recent: true
""")
    procs = [
        rwa.Proc("node_exporter", ["prometheus-node-exporter", f"--web.listen-address={HOST}:{ports['node']}"],
                 f"{work}/node.log", "/metrics", ports["node"]),
        rwa.Proc("sugarmill", [binary, f"--config.file={work}/sm.yml", f"--storage.tsdb.path={work}/sm",
                               f"--tenancy.config.file={work}/tenants.yml", f"--web.listen-address={HOST}:{ports['sugarmill']}"],
                 f"{work}/sm.log", "/-/ready", ports["sugarmill"]),
        rwa.Proc("prometheus", ["prometheus", f"--config.file={work}/prom.yml", f"--storage.tsdb.path={work}/prom",
                                f"--web.listen-address={HOST}:{ports['prometheus']}"],
                 f"{work}/prom.log", "/-/ready", ports["prometheus"]),
    ]
    c = Checks()
    gateway = Gateway(ports["gateway"], ports["sugarmill"], "team-b")
    threading.Thread(target=gateway.serve_forever, daemon=True).start()
    try:
        for p in procs:
            p.start()
        time.sleep(20)  # a few scrapes and remote-write sends
        now = int(time.time())
        isolation(ports["sugarmill"], c, now)
        remote_read(ports["prometheus"], c, now)
        prometheus_pushes(ports["sugarmill"], c)
        limits(ports["sugarmill"], c, a.seconds, a.rate, a.noisy_rate)
    finally:
        for p in reversed(procs):
            p.stop()
    print(f"{c.passed} passed, {len(c.failed)} failed (logs in {work})")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
