#!/usr/bin/env python3
"""A/B query latency of two Sugarmill binaries on the same data, interleaved.

The machines are noisy: a change is measured against the binary before it, both loaded with the
W3 data set of ../shared/bench, each query sent to one server then the other (alternating which
goes first), median of --reps. Prints B/A per query and mode, then the geometric mean.

    python3 scripts/ab-query-latency.py OLD_BINARY NEW_BINARY [--reps 9] [--only q04]
"""
import argparse, os, statistics, sys, time

BENCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench")
sys.path.insert(0, BENCH)
import bench  # noqa: E402
from servers import ApiClient, Server  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("a")
p.add_argument("b")
p.add_argument("--reps", type=int, default=9)
p.add_argument("--series", type=int, default=5000)
p.add_argument("--only", default="", help="run only queries whose name contains this")
args = p.parse_args()

flags = (" --config.file={config} --storage.tsdb.path={data} --web.listen-address={host}:{port}"
         " --web.enable-remote-write-receiver")
spec = type("Args", (), dict(series=args.series, samples=None, duration="2h", interval="15s", end=None, seed=1,
                            jitter_ms=0, stale_frac=0.0, gap_prob=0.0, reset_prob=0.0005))()
ds = bench.dataset_from_args(spec)
batches, _ = bench.prepare_batches(ds, type("Args", (), dict(batch=2000))())
queries = bench.load_queries(os.path.join(BENCH, "queries", "dashboard.txt"))
end_s = ds.end_ms / 1000
servers = {}
try:
    for name, binary in (("A", args.a), ("B", args.b)):
        s = Server("custom", name=name, custom_cmd=os.path.abspath(binary) + flags, workdir=None, keep=False,
                   ready_timeout=60)
        s.start()
        servers[name] = s
        bench.load(s, batches, type("Args", (), dict(concurrency=4))())
    time.sleep(2)
    clients = {n: ApiClient(s.port, timeout=60) for n, s in servers.items()}
    ratios = []
    for q in queries:
        if args.only and args.only not in q["name"]:
            continue
        for mode in ("instant", "range"):
            lat = {"A": [], "B": []}
            for rep in range(args.reps + 1):  # the first round warms up
                for n in (("A", "B") if rep % 2 == 0 else ("B", "A")):
                    t0 = time.perf_counter()
                    if mode == "instant":
                        st, body = clients[n].query(q["expr"], end_s)
                    else:
                        st, body = clients[n].query_range(q["expr"], end_s - 3600, end_s, 15)
                    dt = time.perf_counter() - t0
                    if st != 200:
                        sys.exit(f"{n} {q['name']} {mode}: HTTP {st}: {body[:200]!r}")
                    if rep:
                        lat[n].append(dt)
            ma, mb = statistics.median(lat["A"]), statistics.median(lat["B"])
            ratios.append(mb / ma)
            print(f"{q['name']} {mode:7s} A {ma * 1000:8.3f} ms  B {mb * 1000:8.3f} ms  B/A {mb / ma:.3f}", flush=True)
    print("geomean B/A", bench.geomean(ratios))
finally:
    for s in servers.values():
        s.cleanup()
