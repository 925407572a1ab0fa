#!/usr/bin/env python3
"""Chaos run (issue #10): mixed load on one Sugarmill — a scraped exporter, remote write and
queries — while faults are injected through /api/v1/admin/faults and the process is killed
with SIGKILL and restarted, again and again. Then the invariants:

  * every acknowledged remote-write sample is there after the last restart (none lost),
  * no series holds a timestamp twice (none duplicated),
  * every value any query returned, during the run and after, is the value that was written
    (no corrupt data) — remote-write values are a function of series and step, and the
    exporter's counter only goes up,
  * every restart succeeds and is ready within --max-recovery seconds, and ingestion works
    again within --max-recovery seconds of an injected fault's end.

    scripts/chaos.py --binary .build/release/sugarmill --kills 100

Needs Python 3 with cramjam (snappy). Listens on 127.0.0.1 only; bounded in time and size.
Prints a summary and exits 1 if any invariant failed.
"""

from __future__ import annotations

import argparse
import http.client
import http.server
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from wire import HOST, free_port, snappy, timeseries


def write_request(series: list[tuple[list[tuple[str, str]], int, float]]) -> bytes:
    return snappy(b"".join(timeseries([(k.encode(), v.encode()) for k, v in labels], [(value, ts)]) for labels, ts, value in series))


def rw_value(series: int, step: int) -> float:
    return float(series * 1_000_000 + step)


# --- the exporter: a counter that only goes up -------------------------------------------------

class Exporter:
    def __init__(self) -> None:
        self.scrapes = 0
        self.lock = threading.Lock()
        exporter = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                with exporter.lock:
                    exporter.scrapes += 1
                    n = exporter.scrapes
                lines = ["# TYPE chaos_scrapes_total counter", f"chaos_scrapes_total {n}"]
                lines += [f'chaos_gauge{{k="{k}"}} {k * 10 + 0.5}' for k in range(50)]
                body = ("\n".join(lines) + "\n").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer((HOST, 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


# --- the server under test ---------------------------------------------------------------------

class Sugarmill:
    def __init__(self, binary: str, root: str, exporter_port: int) -> None:
        self.binary = binary
        self.port = free_port()
        self.data = os.path.join(root, "data")
        self.config = os.path.join(root, "prometheus.yml")
        self.log = open(os.path.join(root, "sugarmill.log"), "ab")
        with open(self.config, "w") as f:
            f.write(
                "global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\n"
                f"scrape_configs:\n  - job_name: chaos\n    static_configs:\n      - targets: ['{HOST}:{exporter_port}']\n")
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float) -> float:
        """Starts the server; returns seconds until /-/ready answered."""
        t0 = time.monotonic()
        self.proc = subprocess.Popen(
            [self.binary, f"--config.file={self.config}", f"--storage.tsdb.path={self.data}",
             f"--web.listen-address={HOST}:{self.port}", "--enable-feature=fault-injection",
             "--storage.tsdb.min-block-duration=2m"],
            stdout=self.log, stderr=self.log)
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode} during start")
            try:
                status, _ = request("GET", self.port, "/-/ready", timeout=1)
                if status == 200:
                    return time.monotonic() - t0
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"server not ready after {timeout}s")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()


def request(method: str, port: int, path: str, body: bytes | None = None, headers: dict | None = None,
            timeout: float = 10) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# --- the run -----------------------------------------------------------------------------------

class Run:
    def __init__(self, a: argparse.Namespace, server: Sugarmill) -> None:
        self.a = a
        self.server = server
        self.rng = random.Random(a.seed)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acked_steps: list[int] = []  # steps whose whole batch was acknowledged
        self.base_ms = (int(time.time() * 1000) // 1000) * 1000
        self.step_ms = a.step_ms
        self.corrupt: list[str] = []
        self.queries = {"ok": 0, "failed": 0}
        self.pushes = {"acked": 0, "refused": 0, "down": 0}
        self.fault_log: list[dict] = []
        self.fault_recovery: list[float] = []
        self.fault_until = 0.0  # monotonic end of the last injected disk fault
        self.last_refusal = 0.0

    def note_corrupt(self, what: str) -> None:
        with self.lock:
            if len(self.corrupt) < 20:
                self.corrupt.append(what)

    def pusher(self) -> None:
        step = 0
        labels = [[("__name__", "chaos_rw"), ("s", str(i))] for i in range(self.a.series)]
        while not self.stop.is_set():
            ts = self.base_ms + step * self.step_ms
            now_ms = int(time.time() * 1000)
            if ts > now_ms:
                time.sleep((ts - now_ms) / 1000)
            body = write_request([(labels[i], ts, rw_value(i, step)) for i in range(self.a.series)])
            while not self.stop.is_set():
                try:
                    status, _ = request("POST", self.server.port, "/api/v1/write", body, {
                        "Content-Type": "application/x-protobuf", "Content-Encoding": "snappy",
                        "X-Prometheus-Remote-Write-Version": "0.1.0"}, timeout=10)
                except OSError:
                    self.pushes["down"] += 1
                    time.sleep(0.05)
                    continue
                if 200 <= status < 300:
                    with self.lock:
                        self.acked_steps.append(step)
                        self.pushes["acked"] += 1
                        if self.last_refusal and time.monotonic() >= self.fault_until:
                            self.fault_recovery.append(time.monotonic() - max(self.fault_until, self.last_refusal))
                            self.last_refusal = 0.0
                    break
                if status in (429, 500, 503):
                    self.pushes["refused"] += 1
                    self.last_refusal = time.monotonic()
                    time.sleep(0.05)
                    continue
                self.note_corrupt(f"remote write answered {status}")
                break
            step += 1

    def check_rw(self, result: list[dict]) -> None:
        for series in result:
            s = int(series["metric"].get("s", "-1"))
            if "value" in series:
                # An instant vector: the newest sample at or before the evaluation time.
                t_ms = round(float(series["value"][0]) * 1000)
                step = float(series["value"][1]) - rw_value(s, 0)
                if step != int(step) or not 0 <= step <= (t_ms - self.base_ms) // self.step_ms:
                    self.note_corrupt(f"chaos_rw s={s} at {t_ms}: value {series['value'][1]} was never written before then")
                continue
            seen = set()
            for ts, text in series["values"]:
                t_ms = round(float(ts) * 1000)
                if t_ms in seen:
                    self.note_corrupt(f"chaos_rw s={s}: timestamp {t_ms} twice")
                seen.add(t_ms)
                step, rest = divmod(t_ms - self.base_ms, self.step_ms)
                if rest != 0 or float(text) != rw_value(s, step):
                    self.note_corrupt(f"chaos_rw s={s} @{t_ms}: value {text}, written {rw_value(s, step)}")

    def check_counter(self, result: list[dict]) -> None:
        for series in result:
            values = [float(v) for _, v in series.get("values", [])]
            if any(b <= a for a, b in zip(values, values[1:])):
                self.note_corrupt(f"chaos_scrapes_total not increasing: {values[:10]}")

    def query(self, expr: str) -> list[dict] | None:
        path = "/api/v1/query?" + urllib.parse.urlencode({"query": expr, "time": f"{time.time():.3f}"})
        try:
            status, body = request("GET", self.server.port, path, timeout=30)
        except OSError:
            self.queries["failed"] += 1
            return None
        if status != 200:
            self.queries["failed"] += 1
            return None
        self.queries["ok"] += 1
        return json.loads(body)["data"]["result"]

    def querier(self) -> None:
        while not self.stop.is_set():
            s = self.rng.randrange(self.a.series)
            result = self.query(f'chaos_rw{{s="{s}"}}[2m]')
            if result is not None:
                self.check_rw(result)
            result = self.query("chaos_rw")
            if result is not None:
                self.check_rw(result)
            result = self.query("chaos_scrapes_total[2m]")
            if result is not None:
                self.check_counter(result)
            self.stop.wait(0.2)

    def faulter(self) -> None:
        kinds = [
            "kind=disk_error&errno=ENOSPC&duration={d}s",
            "kind=disk_error&errno=EIO&operations=write,sync&duration={d}s",
            "kind=disk_latency&latency=20ms&duration={d}s",
            "kind=scrape_failure&effect=reset&duration={d}s",
            "kind=scrape_failure&effect=truncate&duration={d}s",
        ]
        while not self.stop.wait(self.rng.uniform(1, 4)):
            form = self.rng.choice(kinds).format(d=self.rng.randint(1, 3))
            try:
                status, body = request("POST", self.server.port, "/api/v1/admin/faults", form.encode(),
                                       {"Content-Type": "application/x-www-form-urlencoded"})
            except OSError:
                continue
            if status == 200:
                end = json.loads(body)["data"][0]["end"]
                with self.lock:
                    self.fault_log.append({"fault": form, "at": time.time()})
                    if "disk_" in form:
                        self.fault_until = max(self.fault_until, time.monotonic() + (end - time.time()))

    def verify(self) -> dict:
        """After the last restart: every acknowledged step of every series, once, right value."""
        with self.lock:
            acked = sorted(set(self.acked_steps))
        span_s = int((time.time() * 1000 - self.base_ms) / 1000) + 60
        missing = extra = 0
        examples: list[str] = []
        for first in range(0, self.a.series, 20):
            selector = "|".join(str(i) for i in range(first, min(first + 20, self.a.series)))
            result = self.query(f'chaos_rw{{s=~"{selector}"}}[{span_s}s]')
            if result is None:
                raise RuntimeError("verification query failed")
            self.check_rw(result)
            found = {int(r["metric"]["s"]): {round(float(t) * 1000) for t, _ in r["values"]} for r in result}
            for s in range(first, min(first + 20, self.a.series)):
                have = found.get(s, set())
                want = {self.base_ms + step * self.step_ms for step in acked}
                lost = want - have
                missing += len(lost)
                extra += len(have - want)
                if lost and len(examples) < 5:
                    examples.append(f"s={s}: {len(lost)} acknowledged samples missing, first {sorted(lost)[:3]}")
        return {"acked_samples": len(acked) * self.a.series, "missing": missing, "stored_not_acked": extra,
                "examples": examples}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", default=".build/release/sugarmill")
    p.add_argument("--kills", type=int, default=10)
    p.add_argument("--kill-min", type=float, default=1.5, help="seconds of load before a kill, at least")
    p.add_argument("--kill-max", type=float, default=6.0)
    p.add_argument("--series", type=int, default=200)
    p.add_argument("--step-ms", type=int, default=100, help="remote-write sample interval")
    p.add_argument("--max-recovery", type=float, default=10.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", action="store_true", help="keep the data directory and log")
    p.add_argument("--json", help="write the result here")
    a = p.parse_args()

    root = tempfile.mkdtemp(prefix="sugarmill-chaos-")
    exporter = Exporter()
    server = Sugarmill(os.path.abspath(a.binary), root, exporter.port)
    run = Run(a, server)
    restarts: list[float] = []
    ok = True
    try:
        restarts.append(server.start(a.max_recovery * 3))
        threads = [threading.Thread(target=f, daemon=True) for f in (run.pusher, run.querier, run.faulter)]
        for t in threads:
            t.start()
        for i in range(a.kills):
            time.sleep(run.rng.uniform(a.kill_min, a.kill_max))
            server.kill()
            try:
                restarts.append(server.start(a.max_recovery * 3))
            except RuntimeError as e:
                print(f"restart {i + 1} failed: {e}", file=sys.stderr)
                ok = False
                break
            print(f"kill {i + 1}/{a.kills}: restarted in {restarts[-1]:.2f}s, "
                  f"{len(run.acked_steps) * a.series:,} samples acknowledged, {len(run.corrupt)} problems", flush=True)
        run.stop.set()
        for t in threads:
            t.join(60)
        server.kill()  # the final kill, right after the last acknowledgement
        restarts.append(server.start(a.max_recovery * 3))
        result = run.verify()
        server.stop()
    finally:
        server.kill()
        if not a.keep:
            shutil.rmtree(root, ignore_errors=True)

    slow = [r for r in restarts if r > a.max_recovery]
    slow_faults = [r for r in run.fault_recovery if r > a.max_recovery]
    ok = ok and result["missing"] == 0 and not run.corrupt and not slow and not slow_faults
    summary = {
        "kills": a.kills + 1, "restarts": len(restarts), "restart_max_s": round(max(restarts), 2),
        "restart_median_s": round(sorted(restarts)[len(restarts) // 2], 2),
        "faults_injected": len(run.fault_log),
        "fault_recovery_max_s": round(max(run.fault_recovery, default=0), 2),
        "pushes": run.pushes, "queries": run.queries, **result, "problems": run.corrupt,
        "scrapes_served": exporter.scrapes, "verdict": "PASS" if ok else "FAIL",
        "data_dir": root if a.keep else None,
    }
    print(json.dumps(summary, indent=2))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(summary, f, indent=2)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
