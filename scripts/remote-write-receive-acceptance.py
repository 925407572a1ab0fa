#!/usr/bin/env python3
"""Issue #7 acceptance: Prometheus 2.42 scraping node_exporter and remote-writing to Sugarmill.

After `--minutes` of scraping every 5 s, Sugarmill must hold exactly what Prometheus holds for job
"node" (every series, timestamp and value, stale markers included, compared raw), and a set of
queries must answer the same on both (as instant queries at the end and range queries over the
run; numbers within 1e-9 relative, since Prometheus 3 — which Sugarmill follows — sums with Kahan
compensation and 2.42 does not).

    SUGARMILL_BIN=.build/release/sugarmill python3 scripts/remote-write-receive-acceptance.py --minutes 5

Exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("rwa", os.path.join(HERE, "remote-write-acceptance.py"))
rwa = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rwa)

QUERIES = [
    'up{job="node"}',
    'rate(node_cpu_seconds_total{job="node"}[1m])',
    'sum by (mode) (rate(node_cpu_seconds_total{job="node"}[2m]))',
    'node_memory_MemAvailable_bytes{job="node"} / node_memory_MemTotal_bytes{job="node"}',
    'count by (__name__) ({job="node"})',
    'max_over_time(node_load1{job="node"}[1m])',
    'scrape_samples_scraped{job="node"}',
]


def close(a, b, rel=1e-9) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k], rel) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y, rel) for x, y in zip(a, b))
    if isinstance(a, str) and isinstance(b, str) and a != b:
        try:
            x, y = float(a), float(b)
        except ValueError:
            return False
        return (x != x and y != y) or abs(x - y) <= rel * max(abs(x), abs(y))
    return a == b


def ordered(result: list) -> list:
    return sorted(result, key=lambda r: json.dumps(r["metric"], sort_keys=True))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=5)
    a = ap.parse_args()
    binary = os.environ.get("SUGARMILL_BIN", ".build/release/sugarmill")
    work = tempfile.mkdtemp(prefix="rw-receive-")
    ports = {k: rwa.free_port() for k in ("node", "prometheus", "sugarmill")}
    with open(f"{work}/prom.yml", "w") as f:
        f.write(f"""global: {{scrape_interval: 5s}}
scrape_configs:
  - job_name: node
    static_configs: [{{targets: ['{rwa.HOST}:{ports['node']}']}}]
remote_write:
  - url: http://{rwa.HOST}:{ports['sugarmill']}/api/v1/write
    queue_config: {{batch_send_deadline: 1s}}
""")
    with open(f"{work}/sm.yml", "w") as f:
        f.write("scrape_configs: []\n")
    node = rwa.Proc("node_exporter", ["prometheus-node-exporter", f"--web.listen-address={rwa.HOST}:{ports['node']}"],
                    f"{work}/node.log", "/metrics", ports["node"])
    sm = rwa.Proc("sugarmill", [binary, f"--config.file={work}/sm.yml", f"--storage.tsdb.path={work}/sm",
                                f"--web.listen-address={rwa.HOST}:{ports['sugarmill']}"],
                  f"{work}/sm.log", "/-/ready", ports["sugarmill"])
    prom = rwa.Proc("prometheus", ["prometheus", f"--config.file={work}/prom.yml", f"--storage.tsdb.path={work}/prom",
                                   f"--web.listen-address={rwa.HOST}:{ports['prometheus']}"],
                    f"{work}/prom.log", "/-/ready", ports["prometheus"])
    failures = checks = 0
    try:
        for p in (node, sm, prom):
            p.start()
        start = time.time()
        time.sleep(a.minutes * 60)
        end = time.time() - 15  # what Prometheus has surely sent by now
        time.sleep(5)
        theirs = rwa.samples(ports["prometheus"], '{job="node"}', start - 60, end)
        ours = rwa.samples(ports["sugarmill"], '{job="node"}', start - 60, end)
        total, missing, different, problems = rwa.compare(theirs, ours, 0.0)
        extra = sum(len(v) for v in ours.values()) - total
        ok = total > 0 and missing == 0 and different == 0 and extra == 0
        checks += 1
        failures += not ok
        print(f"{'PASS' if ok else 'FAIL'}  raw samples: {len(theirs)} series, {total:,} samples in Prometheus; "
              f"{missing} missing and {different} different in Sugarmill, {extra} extra")
        for p in problems:
            print("   ", p)
        for q in QUERIES:
            for kind, params, path in (
                ("instant", {"query": q, "time": f"{end:.3f}"}, "/api/v1/query"),
                ("range", {"query": q, "start": f"{start + min(120, (end - start) / 2):.3f}", "end": f"{end:.3f}", "step": "15"}, "/api/v1/query_range"),
            ):
                jp = rwa.get(ports["prometheus"], path, params)
                js = rwa.get(ports["sugarmill"], path, params)
                same = jp["status"] == js["status"] == "success" and close(ordered(jp["data"]["result"]), ordered(js["data"]["result"]))
                checks += 1
                failures += not same
                print(f"{'PASS' if same else 'FAIL'}  {kind} {q}: {len(jp['data']['result'])} series")
                if not same:
                    print(f"    prometheus: {json.dumps(jp)[:300]}\n    sugarmill:  {json.dumps(js)[:300]}")
    finally:
        for p in (prom, sm, node):
            try:
                p.stop()
            except Exception:
                pass
    print(f"\n{checks - failures} passed, {failures} failed (logs in {work})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
