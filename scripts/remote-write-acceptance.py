#!/usr/bin/env python3
"""Issue #7 acceptance: Sugarmill's remote_write loses nothing across a receiver outage or a restart.

Sugarmill scrapes prometheus-node-exporter every 5 s and remote-writes to Prometheus 2.42
(`--web.enable-remote-write-receiver`) and to VictoriaMetrics at once. During the run one receiver
is stopped for `--outage` seconds and started again, and Sugarmill itself is stopped (SIGTERM, or
SIGKILL with `--kill`) and started again on the same data directory. At the end, once both queues
have caught up, every sample Sugarmill holds for job "node" in the run's window must be in both
receivers: same series, same timestamps, same values (VictoriaMetrics keeps about 12 significant
digits, so values compare within 1e-9 relative there).

    SUGARMILL_BIN=.build/release/sugarmill python3 scripts/remote-write-acceptance.py --outage 300

Exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def get(port: int, path: str, params: dict | None = None, timeout: float = 60) -> dict:
    url = f"http://{HOST}:{port}{path}" + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read())


def wait_ready(port: int, path: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"port {port} not ready")


class Proc:
    def __init__(self, name: str, cmd: list[str], log: str, ready: str, port: int):
        self.name, self.cmd, self.log, self.ready, self.port = name, cmd, log, ready, port
        self.p: subprocess.Popen | None = None

    def start(self) -> None:
        self.p = subprocess.Popen(self.cmd, stdout=open(self.log, "a"), stderr=subprocess.STDOUT)
        wait_ready(self.port, self.ready)
        print(f"{time.strftime('%H:%M:%S')} {self.name} up on {self.port}", flush=True)

    def stop(self, kill: bool = False) -> None:
        if self.p and self.p.poll() is None:
            self.p.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            self.p.wait(timeout=60)
        print(f"{time.strftime('%H:%M:%S')} {self.name} {'killed' if kill else 'stopped'}", flush=True)


def samples(port: int, selector: str, start: float, end: float) -> dict[str, dict[int, float]]:
    """Every raw sample of `selector` in [start, end], by series (labels as sorted JSON)."""
    window = int(end - start) + 1
    body = get(port, "/api/v1/query", {"query": f"{selector}[{window}s]", "time": f"{end:.3f}"})
    out: dict[str, dict[int, float]] = {}
    for series in body["data"]["result"]:
        key = json.dumps({k: v for k, v in series["metric"].items()}, sort_keys=True)
        out[key] = {round(float(t) * 1000): float(v) for t, v in series["values"] if float(t) >= start}
    return out


def compare(ours: dict, theirs: dict, rel: float) -> tuple[int, int, int, list[str]]:
    """(samples in ours, missing in theirs, different values, first problems)."""
    total = missing = different = 0
    problems: list[str] = []
    for key, points in ours.items():
        other = theirs.get(key, {})
        for t, v in points.items():
            total += 1
            if t not in other:
                missing += 1
                if len(problems) < 5:
                    problems.append(f"missing {key} @ {t}")
            elif not (v == other[t] or (v != v and other[t] != other[t]) or abs(v - other[t]) <= rel * max(abs(v), abs(other[t]))):
                different += 1
                if len(problems) < 5:
                    problems.append(f"value {key} @ {t}: {v} vs {other[t]}")
    return total, missing, different, problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outage", type=float, default=300, help="seconds the receiver is down")
    ap.add_argument("--before", type=float, default=30, help="seconds of normal running first")
    ap.add_argument("--after", type=float, default=30, help="seconds of normal running at the end")
    ap.add_argument("--kill", action="store_true", help="restart Sugarmill with SIGKILL instead of SIGTERM")
    ap.add_argument("--down", choices=["prometheus", "victoriametrics"], default="prometheus")
    a = ap.parse_args()
    binary = os.environ.get("SUGARMILL_BIN", ".build/release/sugarmill")
    work = tempfile.mkdtemp(prefix="rw-acceptance-")
    ports = {k: free_port() for k in ("node", "prometheus", "vm", "sugarmill")}
    with open(f"{work}/prom.yml", "w") as f:
        f.write("global: {scrape_interval: 15s}\nscrape_configs: []\n")
    with open(f"{work}/sm.yml", "w") as f:
        f.write(f"""global: {{scrape_interval: 5s}}
scrape_configs:
  - job_name: node
    static_configs: [{{targets: ['{HOST}:{ports['node']}']}}]
remote_write:
  - url: http://{HOST}:{ports['prometheus']}/api/v1/write
    name: prometheus
    queue_config: {{batch_send_deadline: 2s, max_backoff: 2s}}
  - url: http://{HOST}:{ports['vm']}/api/v1/write
    name: victoriametrics
    queue_config: {{batch_send_deadline: 2s, max_backoff: 2s}}
""")
    node = Proc("node_exporter", ["prometheus-node-exporter", f"--web.listen-address={HOST}:{ports['node']}"],
                f"{work}/node.log", "/metrics", ports["node"])
    prom = Proc("prometheus", ["prometheus", f"--config.file={work}/prom.yml", f"--storage.tsdb.path={work}/prom",
                               f"--web.listen-address={HOST}:{ports['prometheus']}", "--web.enable-remote-write-receiver"],
                f"{work}/prom.log", "/-/ready", ports["prometheus"])
    vm = Proc("victoriametrics", ["victoria-metrics", f"-storageDataPath={work}/vm", f"-httpListenAddr={HOST}:{ports['vm']}",
                                  "-search.latencyOffset=0s", "-search.disableCache", "-retentionPeriod=100y"],
              f"{work}/vm.log", "/health", ports["vm"])
    sm = Proc("sugarmill", [binary, f"--config.file={work}/sm.yml", f"--storage.tsdb.path={work}/sm",
                            f"--web.listen-address={HOST}:{ports['sugarmill']}"],
              f"{work}/sm.log", "/-/ready", ports["sugarmill"])
    down = prom if a.down == "prometheus" else vm
    failures = 0
    try:
        for p in (node, prom, vm, sm):
            p.start()
        start = time.time()
        time.sleep(a.before)
        down.stop()
        time.sleep(a.outage / 2)
        sm.stop(kill=a.kill)
        time.sleep(5)
        sm.start()
        time.sleep(a.outage / 2)
        down.start()
        time.sleep(a.after)
        end = time.time() - 10
        # Caught up: each queue has sent past `end`.
        deadline = time.time() + 300
        while time.time() < deadline:
            text = urllib.request.urlopen(f"http://{HOST}:{ports['sugarmill']}/metrics", timeout=10).read().decode()
            highest = [float(line.split()[-1]) for line in text.splitlines()
                       if line.startswith("prometheus_remote_storage_queue_highest_sent_timestamp_seconds{")]
            if len(highest) == 2 and min(highest) >= end:
                break
            time.sleep(2)
        time.sleep(5)  # VictoriaMetrics makes new samples searchable within about a second.
        ours = samples(ports["sugarmill"], '{job="node"}', start, end)
        print(f"window {end - start:.0f}s, Sugarmill holds {len(ours)} series, {sum(map(len, ours.values())):,} samples")
        for name, port, rel in (("prometheus", ports["prometheus"], 0.0), ("victoriametrics", ports["vm"], 1e-9)):
            theirs = samples(port, '{job="node"}', start, end)
            total, missing, different, problems = compare(ours, theirs, rel)
            ok = total > 0 and missing == 0 and different == 0
            failures += not ok
            print(f"{'PASS' if ok else 'FAIL'}  {name}: {total:,} samples checked, {missing} missing, {different} different")
            for p in problems:
                print(f"    {p}")
        metrics = urllib.request.urlopen(f"http://{HOST}:{ports['sugarmill']}/metrics", timeout=10).read().decode()
        for line in metrics.splitlines():
            if line.startswith("prometheus_remote_storage_samples_") or line.startswith("sugarmill_remote_storage"):
                print("   ", line)
    finally:
        for p in (sm, vm, prom, node):
            try:
                p.stop()
            except Exception:
                pass
    print(f"\n{2 - failures} passed, {failures} failed (logs in {work})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
