#!/usr/bin/env python3
"""Issue #9 scale curves: how ingest CPU, memory and query latency grow with active series, for
Prometheus 2.42, VictoriaMetrics and Sugarmill measured in the same runs (../shared/bench).

For each count in --ingest-series, `bench.py ingest` (60 samples a series, one round — two
below 1M); for each count in --query-series, `bench.py query` (2 h of data, the dashboard set,
median of --reps). For each span in --retention-days, `bench.py query` over that many days of
--retention-series series (pushed oldest first, so Prometheus and Sugarmill cut blocks as it
arrives): once with the dashboard's range queries over the last hour, once over the whole span
(240 steps). Results go to --out/scale.json (counts measured again replace their old
figures, others are kept: `--ingest-series 1000000 --query-series '' --retention-days ''` re-runs one); charts (log-scale series axis) to
--out/scale-ingest-cpu.png, scale-ingest-memory.png, scale-ingest-growth.png, scale-query.png and
scale-retention.png.

    export BENCH_CUSTOM_CMD='/tmp/smbin/sugarmill --config.file={config} --storage.tsdb.path={data} --web.listen-address={host}:{port}'
    python3 scripts/scale-curves.py --out docs/bench            # runs, then plots
    python3 scripts/scale-curves.py --out docs/bench --plot-only  # plots scale.json again

Needs matplotlib (`pip install matplotlib`) for the charts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "bench", "bench.py"))
KINDS = "prometheus,victoriametrics,custom"
NAMES = {"prometheus": "Prometheus 2.42", "victoriametrics": "VictoriaMetrics 1.79", "sugarmill": "Sugarmill"}


def run_bench(args: list[str]) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        path = f.name
    cmd = [sys.executable, BENCH] + args + ["--kinds", KINDS, "--custom-name", "sugarmill", "--json", path]
    print("$ " + " ".join(cmd[1:]), flush=True)
    subprocess.run(cmd, check=False)
    with open(path) as f:
        return json.load(f)


def geomeans(doc: dict) -> dict:
    return {name: {"geomean_ms": (doc["geomean_latency_s"].get(name) or 0) * 1000,
                   "geomean_ratio": doc["geomean_ratio"].get(name)}
            for name in doc["geomean_latency_s"]}


def measure(a) -> dict:
    out: dict = {"ingest": {}, "query": {}, "retention": {}}
    for n in a.ingest_series:
        doc = run_bench(["ingest", "--series", str(n), "--samples", "60", "--rounds", "1" if n >= 1_000_000 else "2",
                         "--baseline", "victoriametrics", "--no-check"])
        out["ingest"][str(n)] = {name: {k: s.get(k) for k in ("cpu_s_per_msample", "peak_rss_per_series",
                                                               "rss_growth_per_series", "samples_per_s")}
                                 for name, s in doc["summary"].items()}
    for n in a.query_series:
        doc = run_bench(["query", "--series", str(n), "--duration", "2h", "--reps", str(a.reps),
                         "--baseline", "prometheus"])
        out["query"][str(n)] = geomeans(doc)
    for days in a.retention_days:
        common = ["query", "--series", str(a.retention_series), "--duration", f"{days}d", "--reps", str(a.reps),
                  "--baseline", "prometheus"]
        last_hour = geomeans(run_bench(common))
        whole = geomeans(run_bench(common + ["--range", f"{days}d", "--step", f"{days * 86400 // 240}s"]))
        out["retention"][str(days)] = {name: {"last_hour_ms": last_hour.get(name, {}).get("geomean_ms"),
                                              "last_hour_ratio": last_hour.get(name, {}).get("geomean_ratio"),
                                              "whole_span_ms": whole.get(name, {}).get("geomean_ms"),
                                              "whole_span_ratio": whole.get(name, {}).get("geomean_ratio")}
                                       for name in set(last_hour) | set(whole)}
    return out


def plot(data: dict, out: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def chart(section: str, key: str, ylabel: str, title: str, filename: str, logy: bool = False,
              xlabel: str = "active series") -> None:
        counts = sorted(data.get(section, {}), key=int)
        if not counts:
            return
        fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=100)
        for name in ("prometheus", "victoriametrics", "sugarmill"):
            xs, ys = [], []
            for n in counts:
                v = data[section][n].get(name, {}).get(key)
                if v:
                    xs.append(int(n))
                    ys.append(v)
            if xs:
                ax.plot(xs, ys, marker="o", label=NAMES[name], linewidth=2.5 if name == "sugarmill" else 1.5)
        ax.set_xscale("log")
        if logy:
            ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        if not logy:
            ax.set_ylim(bottom=0)
        ax.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(out, filename))
        plt.close(fig)
        print(f"wrote {os.path.join(out, filename)}")

    chart("ingest", "cpu_s_per_msample", "CPU-seconds per million samples", "Remote-write ingest: CPU",
          "scale-ingest-cpu.png")
    chart("ingest", "peak_rss_per_series", "peak RSS, bytes per series", "Remote-write ingest: peak memory",
          "scale-ingest-memory.png", logy=True)
    chart("ingest", "rss_growth_per_series", "RSS growth, bytes per series", "Remote-write ingest: memory per added series",
          "scale-ingest-growth.png")
    if data["query"]:
        chart("query", "geomean_ms", "geometric-mean latency, ms", "Dashboard queries (2 h of data)",
              "scale-query.png")
    chart("retention", "last_hour_ms", "geometric-mean latency, ms", "Dashboard queries, last hour, by data retained",
          "scale-retention.png", xlabel="days of data on disk")
    chart("retention", "whole_span_ms", "geometric-mean latency, ms", "Dashboard queries over all data retained",
          "scale-retention-span.png", logy=True, xlabel="days of data on disk")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="docs/bench")
    counts = lambda s: [int(x) for x in s.split(",") if x]  # noqa: E731
    ap.add_argument("--ingest-series", type=counts, default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--query-series", type=counts, default=[2_000, 20_000, 100_000])
    ap.add_argument("--retention-days", type=counts, default=[1, 7, 28],
                    help="days of data (at most 29: the bench runs Prometheus with 30d retention)")
    ap.add_argument("--retention-series", type=int, default=200)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--plot-only", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, "scale.json")
    if a.plot_only:
        with open(path) as f:
            data = json.load(f)
    else:
        # Counts measured again replace their old figures; the others are kept.
        data = {"ingest": {}, "query": {}, "retention": {}}
        if os.path.exists(path):
            with open(path) as f:
                data.update(json.load(f))
        fresh = measure(a)
        for section in ("ingest", "query", "retention"):
            data[section].update(fresh[section])
        with open(path, "w") as f:
            json.dump(data, f, indent=1)
        print(f"wrote {path}")
    plot(data, a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
