#!/usr/bin/env python3
"""Native-histogram workload: remote-write ingest and query latency, Prometheus vs Sugarmill.

VictoriaMetrics 1.79 has no native histograms, so the peer is Prometheus 2.42 with
--enable-feature=native-histograms. The dataset is seeded and deterministic: --series counter
histograms (schema 3, --buckets populated buckets in two spans, a zero bucket, rare counter resets)
scraped every 15 s for --samples scrapes, ending now. It is encoded up front as remote-write 1.0
requests (TimeSeries.histograms, integer buckets as deltas, as Prometheus's own sender writes them)
of --batch histograms each, snappy-compressed, so the timed part only sends bytes.

Each server in turn (alone on the machine; the order is reversed in the second of --rounds):
starts fresh, gets every request pushed (2 connections), settles --settle seconds, and reports
histogram samples/s, server CPU seconds per million histogram samples, and peak RSS per series.
Then every query of QUERIES runs as an instant query and as a range query over the last hour
(step 15 s), --warmup + --reps times each, and the medians are kept. Query times sit 7 s after a
scrape, so no range starts on a sample (Prometheus 2.42 includes such a sample, 3.x does not) and
both servers must agree: histogram_count and histogram_sum of sum(rate(...)) are compared.

    python3 scripts/bench-histograms.py --series 2000 --samples 240 --rounds 2

The Sugarmill command comes from BENCH_CUSTOM_CMD, as for ../shared/bench.
"""
import argparse, json, math, os, random, statistics, struct, sys, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench"))
import cramjam  # noqa: E402
from remote_write import Batch, Sender, _field_bytes, encode_labels, varint  # noqa: E402
from servers import ApiClient, Server  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--series", type=int, default=2000)
p.add_argument("--samples", type=int, default=240)
p.add_argument("--buckets", type=int, default=20, help="populated buckets per histogram")
p.add_argument("--batch", type=int, default=500, help="histograms per request")
p.add_argument("--rounds", type=int, default=2)
p.add_argument("--settle", type=float, default=2.0)
p.add_argument("--warmup", type=int, default=1)
p.add_argument("--reps", type=int, default=5)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--custom-name", default="sugarmill")
p.add_argument("--no-queries", action="store_true", help="ingest figures only (Prometheus 2.42's histogram range "
               "queries take minutes at a few thousand series)")
p.add_argument("--json", metavar="FILE")
args = p.parse_args()

INTERVAL_MS = 15_000
METRIC = "bench_latency_seconds"
QUERIES = [
    f"histogram_quantile(0.9, rate({METRIC}[5m]))",
    f"histogram_quantile(0.99, sum by (job) (rate({METRIC}[5m])))",
    f"histogram_count(rate({METRIC}[5m]))",
    f"sum by (instance) (rate({METRIC}[5m]))",
    f"histogram_sum(sum(increase({METRIC}[1h])))",
    f"histogram_fraction(0, 0.5, sum(rate({METRIC}[5m])))",
    f'{METRIC}{{instance="i-1"}}',
]
CHECKS = [f"histogram_count(sum(rate({METRIC}[5m])))", f"histogram_sum(sum(rate({METRIC}[5m])))"]


def zigzag(n):
    return (n << 1) ^ (n >> 63)


def histogram_bytes(t, schema, zero_count, counts, offset, split, total_sum):
    """One prompb Histogram with integer counts: the two spans' buckets as deltas."""
    deltas, previous = [], 0
    for c in counts:
        deltas.append(c - previous)
        previous = c
    spans = _field_bytes(11, b"\x08" + varint(zigzag(offset)) + b"\x10" + varint(split))
    spans += _field_bytes(11, b"\x08" + varint(zigzag(2)) + b"\x10" + varint(len(counts) - split))
    packed = b"".join(varint(zigzag(d)) for d in deltas)
    body = (b"\x08" + varint(zero_count + sum(counts))       # count_int = 1
            + b"\x19" + total_sum                           # sum = 3 (fixed64)
            + b"\x20" + varint(zigzag(schema))              # schema = 4
            + b"\x29" + ZERO_THRESHOLD                      # zero_threshold = 5
            + b"\x30" + varint(zero_count)                  # zero_count_int = 6
            + spans + _field_bytes(12, packed)              # positive_spans = 11, deltas = 12
            + b"\x78" + varint(t))                          # timestamp = 15
    return _field_bytes(4, body)


# Prometheus's default zero threshold (2^-128), as client_golang sets it.
ZERO_THRESHOLD = struct.pack("<d", 2.938735877055719e-39)


def build(end_ms):
    """Pre-encoded requests in time order, and the dataset's description."""
    rng = random.Random(args.seed)
    start_ms = end_ms - (args.samples - 1) * INTERVAL_MS
    series = []
    for s in range(args.series):
        labels = [("__name__", METRIC), ("instance", f"i-{s // 10}"), ("job", "bench"), ("series", str(s % 10))]
        rates = [1 + rng.randrange(20) for _ in range(args.buckets)]
        resets = {k for k in range(1, args.samples) if rng.random() < 0.002}
        series.append((encode_labels(labels), rates, resets, -10 + s % 7))
    state = [[0] * (args.buckets + 1) for _ in range(args.series)]  # zero bucket first
    sums = [0.0] * args.series
    pack = struct.Struct("<d").pack
    batches, per_series, current, first = [], [], 0, 0

    def flush(k, last):
        raw = b"".join(b"\x0a" + varint(len(body)) + body for body in per_series)
        t = start_ms + k * INTERVAL_MS
        batches.append(Batch(idx=len(batches), body=bytes(cramjam.snappy.compress_raw(raw)), n_samples=len(per_series),
                             runs=[(k, first, last)], intervals=[(first, last)], min_ts=t, max_ts=t, raw_bytes=len(raw)))
        per_series.clear()

    for k in range(args.samples):
        t = start_ms + k * INTERVAL_MS
        first = 0
        for s, (labels, rates, resets, offset) in enumerate(series):
            if k in resets:
                state[s] = [0] * (args.buckets + 1)
                sums[s] = 0.0
            st = state[s]
            st[0] += s % 3
            for j, r in enumerate(rates):
                st[j + 1] += r + (k * 7 + j * 3 + s) % 5
            sums[s] += sum(rates) * 0.013
            per_series.append(labels + histogram_bytes(t, 3, st[0], st[1:], offset, args.buckets // 2, pack(sums[s])))
            if len(per_series) == args.batch:
                flush(k, s)
                first = s + 1
        if per_series:
            flush(k, args.series - 1)
    return batches, start_ms


def median_latency(api, expr, instant_s, range_start_s, range_end_s, mode):
    times = []
    for i in range(args.warmup + args.reps):
        t0 = time.perf_counter()
        if mode == "instant":
            status, body = api.query(expr, instant_s)
        else:
            status, body = api.query_range(expr, range_start_s, range_end_s, 15)
        elapsed = time.perf_counter() - t0
        if status != 200:
            raise SystemExit(f"FAIL: {expr} ({mode}): HTTP {status}: {body[:300]!r}")
        if i >= args.warmup:
            times.append(elapsed)
    return statistics.median(times)


def check_values(api, instant_s):
    values = []
    for expr in CHECKS:
        status, body = api.query(expr, instant_s)
        result = json.loads(body)["data"]["result"]
        values.append(float(result[0]["value"][1]) if result else None)
    return values


def run_server(kind, batches, end_ms):
    name = args.custom_name if kind == "custom" else "prometheus 2.42"
    extra = ["--enable-feature=native-histograms"] if kind == "prometheus" else []
    server = Server(kind, name=name, extra_args=extra, log_level="warn")
    server.start()
    try:
        cpu0 = server.cpu_seconds()
        rss0 = server.mem().get("rss", 0)
        sender = Sender("127.0.0.1", server.port, concurrency=2, deadline_s=1800)
        stats = sender.send(batches)
        time.sleep(args.settle)
        cpu = server.cpu_seconds() - cpu0
        mem = server.mem()
        if stats.acked_samples != sum(b.n_samples for b in batches):
            raise SystemExit(f"FAIL: {name} acknowledged {stats.acked_samples} samples: {stats.errors[:3]} {server.log_tail()}")
        api = ApiClient(server.port)
        instant_s = (end_ms + 7_000) / 1000
        range_start_s = instant_s - 3600
        latencies = {}
        for expr in [] if args.no_queries else QUERIES:
            for mode in ("instant", "range"):
                latencies[f"{mode} {expr}"] = median_latency(api, expr, instant_s, range_start_s, instant_s, mode)
        values = check_values(api, instant_s)
        api.close()
        return {
            "name": name, "samples": stats.acked_samples, "wall_s": stats.wall_s,
            "samples_per_s": stats.acked_samples / stats.wall_s, "cpu_s_per_m": cpu / stats.acked_samples * 1e6,
            "peak_rss_mib": mem.get("hwm", 0) / 2**20, "peak_rss_b_per_series": mem.get("hwm", 0) / args.series,
            "rss_growth_b_per_series": (mem.get("rss", 0) - rss0) / args.series, "latencies": latencies,
            "checks": values, "command": server.command(),
        }
    finally:
        server.stop()
        server.cleanup()


def main():
    end_ms = int(time.time() * 1000) // INTERVAL_MS * INTERVAL_MS - INTERVAL_MS
    t0 = time.monotonic()
    batches, start_ms = build(end_ms)
    print(f"dataset: {args.series} series x {args.samples} histograms ({args.buckets} buckets), "
          f"{len(batches)} requests, {sum(b.raw_bytes for b in batches) / 2**20:.1f} MiB raw, "
          f"encoded in {time.monotonic() - t0:.1f} s", flush=True)
    rounds = []
    for r in range(args.rounds):
        order = ["prometheus", "custom"] if r % 2 == 0 else ["custom", "prometheus"]
        rounds.append({kind: run_server(kind, batches, end_ms) for kind in order})
        print(f"round {r + 1}: " + ", ".join(f"{v['name']} {v['samples_per_s']:,.0f}/s {v['cpu_s_per_m']:.2f} CPU-s/M"
                                             for v in rounds[-1].values()), flush=True)

    def med(kind, key):
        return statistics.median(r[kind][key] for r in rounds)

    names = {k: rounds[0][k]["name"] for k in ("prometheus", "custom")}
    print("\n| server | histograms/s | CPU-s per M | peak RSS MiB | peak RSS B/series | × CPU | × RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind in ("prometheus", "custom"):
        print(f"| {names[kind]} | {med(kind, 'samples_per_s'):,.0f} | {med(kind, 'cpu_s_per_m'):.3f} | "
              f"{med(kind, 'peak_rss_mib'):.1f} | {med(kind, 'peak_rss_b_per_series'):,.0f} | "
              f"{med(kind, 'cpu_s_per_m') / med('prometheus', 'cpu_s_per_m'):.3f} | "
              f"{med(kind, 'peak_rss_b_per_series') / med('prometheus', 'peak_rss_b_per_series'):.3f} |")
    if args.no_queries:
        print_checks_and_exit(rounds, None)
    print("\n| query | mode | prometheus ms | sugarmill ms | ratio |")
    print("|---|---|---:|---:|---:|")
    ratios = []
    for key in rounds[0]["custom"]["latencies"]:
        a = statistics.median(r["prometheus"]["latencies"][key] for r in rounds)
        b = statistics.median(r["custom"]["latencies"][key] for r in rounds)
        ratios.append(b / a)
        mode, expr = key.split(" ", 1)
        print(f"| `{expr}` | {mode} | {a * 1000:.1f} | {b * 1000:.1f} | {b / a:.2f} |")
    geomean = math.exp(sum(math.log(x) for x in ratios) / len(ratios))
    print(f"\ngeometric mean of latency ratios (sugarmill / prometheus): {geomean:.3f}")
    print_checks_and_exit(rounds, geomean)


def print_checks_and_exit(rounds, geomean):
    failures = []
    for r in rounds:
        for expected, got, expr in zip(r["prometheus"]["checks"], r["custom"]["checks"], CHECKS):
            if expected is None or got is None or abs(got - expected) > 1e-9 * abs(expected):
                failures.append(f"{expr}: prometheus {expected}, sugarmill {got}")
    print("answers: " + ("agree (" + ", ".join(f"{v:.6g}" for v in rounds[0]["custom"]["checks"]) + ")" if not failures
                         else "DIFFER: " + "; ".join(failures)))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"argv": sys.argv, "args": vars(args), "rounds": rounds, "geomean": geomean}, f, indent=1)
    sys.exit(1 if failures else 0)


main()
