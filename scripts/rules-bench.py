#!/usr/bin/env python3
"""Rule evaluation cost, Sugarmill against Prometheus 2.42 on the same rules and data.

Both servers get the same rule file (recording rules over counters and histograms, several
groups) and the same data by remote write: `--series` counter series and a histogram per job,
`--history` of samples every 15 s ending now. Then nothing else happens for `--window` seconds
while the groups evaluate every `--interval`: each server's CPU seconds over the window
(/proc/PID/stat) and its mean `prometheus_rule_group_last_duration_seconds` are compared, and
the recorded series are checked to exist in both, with the same values.

    python3 scripts/rules-bench.py --binary <sugarmill> [--series 10000] [--rules 200]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wire  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def rule_file(groups: int, rules_per_group: int, interval: str) -> str:
    """Recording rules of the kinds dashboards lean on, spread over groups."""
    kinds = [
        "sum by (job) (rate(http_requests_total[5m]))",
        "sum by (job, code) (rate(http_requests_total[5m]))",
        "sum by (instance) (rate(http_requests_total{{code=~\"5..\"}}[5m])) / sum by (instance) (rate(http_requests_total[5m]))",
        "histogram_quantile(0.9, sum by (job, le) (rate(http_latency_seconds_bucket[5m])))",
        "max by (job) (http_requests_total)",
        "count by (code) (http_requests_total)",
        "topk(5, sum by (instance) (increase(http_requests_total[10m])))",
        "avg_over_time(sum by (job) (rate(http_requests_total[1m]))[5m:1m])",
    ]
    out = ["groups:"]
    n = 0
    for g in range(groups):
        out += [f"  - name: g{g}", f"    interval: {interval}", "    rules:"]
        for _ in range(rules_per_group):
            expr = kinds[n % len(kinds)].replace("{{", "{").replace("}}", "}")
            out += [f"      - record: bench:r{n}", f"        expr: '{expr}'"]
            n += 1
    return "\n".join(out) + "\n"


def series_set(count: int) -> list[list[tuple[str, str]]]:
    jobs = max(1, count // 100)
    result = []
    for i in range(count):
        job, rest = divmod(i, 100)
        instance, code = divmod(rest, 10)
        result.append([("__name__", "http_requests_total"), ("code", f"{200 + code * 30}"), ("instance", f"i{instance}"), ("job", f"j{job % jobs}")])
    for job in range(min(jobs, 20)):
        for le in ["0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"]:
            result.append([("__name__", "http_latency_seconds_bucket"), ("job", f"j{job}"), ("le", le)])
    return result


def push(port: int, series: list[list[tuple[str, str]]], start_ms: int, end_ms: int) -> None:
    steps = list(range(start_ms, end_ms + 1, 15_000))
    batch = 200
    for first in range(0, len(series), batch):
        chunk = series[first:first + batch]
        payload = b"".join(
            wire.timeseries([(k.encode(), v.encode()) for k, v in labels], [(float((i + 1) * (1 + (h % 7))), t) for i, t in enumerate(steps)])
            for h, labels in enumerate(chunk, start=first)
        )
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/write", data=wire.snappy(payload), method="POST",
            headers={"Content-Type": "application/x-protobuf", "Content-Encoding": "snappy", "X-Prometheus-Remote-Write-Version": "0.1.0"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status in (200, 204), response.status


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def metric_values(port: int, name: str) -> list[float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as response:
        text = response.read().decode()
    return [float(m.group(1)) for m in re.finditer(rf"^{name}\{{[^}}]*\}} (\S+)$", text, re.M)]


def query(port: int, expr: str) -> dict:
    url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--prometheus", default="/usr/bin/prometheus")
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=4)
    parser.add_argument("--rules", type=int, default=200, help="rules in all")
    parser.add_argument("--interval", default="10s")
    parser.add_argument("--history", type=int, default=30, help="minutes of samples before now")
    parser.add_argument("--window", type=int, default=120, help="seconds of evaluation measured")
    args = parser.parse_args()

    root = tempfile.mkdtemp(prefix="rules-bench-")
    with open(f"{root}/rules.yml", "w") as f:
        f.write(rule_file(args.groups, args.rules // args.groups, args.interval))
    with open(f"{root}/prometheus.yml", "w") as f:
        f.write(f"global:\n  evaluation_interval: {args.interval}\nrule_files: [{root}/rules.yml]\n")
    servers = {}
    try:
        for kind, command in [
            ("prometheus", [args.prometheus, "--web.enable-remote-write-receiver"]),
            ("sugarmill", [args.binary]),
        ]:
            port = wire.free_port()
            os.makedirs(f"{root}/{kind}")
            process = subprocess.Popen(
                command + [f"--config.file={root}/prometheus.yml", f"--storage.tsdb.path={root}/{kind}",
                           f"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=30d"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            servers[kind] = (process, port)
        for kind, (process, port) in servers.items():
            for _ in range(300):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready", timeout=1) as r:
                        if r.status == 200:
                            break
                except OSError:
                    time.sleep(0.1)
        series = series_set(args.series)
        now = int(time.time() * 1000)
        for kind, (_, port) in servers.items():
            push(port, series, now - args.history * 60_000, now)
        time.sleep(15)  # groups reach their slots
        before = {kind: cpu_seconds(p.pid) for kind, (p, _) in servers.items()}
        durations = {kind: [] for kind in servers}
        deadline = time.time() + args.window
        while time.time() < deadline:
            time.sleep(5)
            for kind, (_, port) in servers.items():
                durations[kind].append(sum(metric_values(port, "prometheus_rule_group_last_duration_seconds")))
        cpu = {kind: cpu_seconds(p.pid) - before[kind] for kind, (p, _) in servers.items()}
        mean = {kind: sum(v) / max(1, len(v)) for kind, v in durations.items()}
        print(f"{args.series} series, {args.rules} rules in {args.groups} groups every {args.interval}, {args.window} s measured")
        for kind in servers:
            print(f"  {kind:10s} CPU {cpu[kind]:7.2f} s   sum of group durations {mean[kind] * 1000:8.1f} ms per round")
        print(f"  ratio (sugarmill / prometheus): CPU {cpu['sugarmill'] / cpu['prometheus']:.3f}, "
              f"group duration {mean['sugarmill'] / mean['prometheus']:.3f}")
        # The recorded series exist in both and agree where both evaluated at the same instant.
        mismatched = 0
        for n in range(min(args.rules, 8)):
            a = query(servers["prometheus"][1], f"count(bench:r{n})")["data"]["result"]
            b = query(servers["sugarmill"][1], f"count(bench:r{n})")["data"]["result"]
            if [r["value"][1] for r in a] != [r["value"][1] for r in b]:
                mismatched += 1
                print(f"  bench:r{n}: prometheus {a} sugarmill {b}")
        print(f"  recorded series counts: {8 - mismatched} of 8 rule kinds equal")
        return 0 if mismatched == 0 else 1
    finally:
        for process, _ in servers.values():
            process.send_signal(signal.SIGTERM)
        for process, _ in servers.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
