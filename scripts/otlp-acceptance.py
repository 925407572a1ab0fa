#!/usr/bin/env python3
"""OTLP ingest acceptance: the real OpenTelemetry Python SDK exports to a Sugarmill server.

Starts the Sugarmill binary ($SUGARMILL_BIN, else .build/release/sugarmill, else
.build/debug/sugarmill) on a free 127.0.0.1 port with a temporary data directory and a
configuration without scrape jobs, exports a counter (unit By), an up-down counter, an observable
gauge and a histogram with service.name/namespace/instance.id and more resource attributes
through opentelemetry-exporter-otlp-proto-http to /api/v1/otlp/v1/metrics, posts one OTLP/JSON
body by hand, then reads back /api/v1/series and /api/v1/query and checks the names and labels
Prometheus 3 would give them (UnderscoreEscapingWithSuffixes).

    python3 scripts/otlp-acceptance.py

Prints one PASS or FAIL line per check and exits non-zero when any fails. When the SDK is not
importable it is installed into a virtual environment under /tmp and the script runs again there.
"""
import json, os, shutil, subprocess, sys, tempfile, time, urllib.error, urllib.parse, urllib.request
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from script_env import binary, ensure_packages, free_port  # noqa: E402

VENV = "/tmp/sugarmill-otlp-venv"
PACKAGES = ["opentelemetry-sdk", "opentelemetry-exporter-otlp-proto-http"]


failures = []
passes = []


def check(name, ok, detail=""):
    print(("PASS" if ok else "FAIL") + ": " + name + ("" if ok or not detail else f" ({detail})"), flush=True)
    (passes if ok else failures).append(name)


def main():
    ensure_packages(__file__, ["opentelemetry.sdk.metrics", "opentelemetry.exporter.otlp.proto.http.metric_exporter"], PACKAGES, VENV)
    from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
    from opentelemetry.metrics import Observation
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import MetricExportResult, PeriodicExportingMetricReader
    from opentelemetry.sdk.metrics.view import ExplicitBucketHistogramAggregation, View
    from opentelemetry.sdk.resources import Resource

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    workdir = tempfile.mkdtemp(prefix="sugarmill-otlp-")
    config = os.path.join(workdir, "prometheus.yml")
    with open(config, "w") as f:
        f.write("scrape_configs: []\n")
    log = open(os.path.join(workdir, "server.log"), "w")
    server = subprocess.Popen(
        [binary(), "--config.file", config, "--storage.tsdb.path", os.path.join(workdir, "data"),
         "--web.listen-address", f"127.0.0.1:{port}", "--web.enable-otlp-receiver"],
        stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/-/ready", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.time() > deadline:
                    sys.exit("FAIL: server did not start; log in " + log.name)
                time.sleep(0.2)
        run_checks(base, OTLPMetricExporter, Observation, MeterProvider, MetricExportResult,
                   PeriodicExportingMetricReader, ExplicitBucketHistogramAggregation, View, Resource)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        if not failures:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print("server log and data kept in " + workdir)
    print(f"{len(passes)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


def get(base, path, **params):
    query = urllib.parse.urlencode(params, doseq=True)
    with urllib.request.urlopen(f"{base}{path}?{query}", timeout=10) as r:
        return json.loads(r.read())


def run_checks(base, OTLPMetricExporter, Observation, MeterProvider, MetricExportResult,
               PeriodicExportingMetricReader, ExplicitBucketHistogramAggregation, View, Resource):
    endpoint = base + "/api/v1/otlp/v1/metrics"
    # gzip, as the OpenTelemetry Collector sends by default: the server decompresses it.
    from opentelemetry.exporter.otlp.proto.http import Compression
    exporter = OTLPMetricExporter(endpoint=endpoint, compression=Compression.Gzip)
    results = []
    export = exporter.export

    def recording_export(*args, **kwargs):
        result = export(*args, **kwargs)
        results.append(result)
        return result

    exporter.export = recording_export
    reader = PeriodicExportingMetricReader(exporter, export_interval_millis=3_600_000)
    resource = Resource.create({
        "service.name": "checkout", "service.namespace": "shop", "service.instance.id": "pod-7",
        "deployment.environment": "acceptance",
    })
    provider = MeterProvider(
        resource=resource, metric_readers=[reader],
        views=[View(instrument_name="shop.request.duration",
                    aggregation=ExplicitBucketHistogramAggregation(boundaries=[0.25, 1, 2.5]))])
    meter = provider.get_meter("acceptance.meter", "0.1")
    sent = meter.create_counter("shop.network.io", unit="By", description="Bytes sent.")
    sent.add(1000, {"http.method": "GET"})
    sent.add(500, {"http.method": "GET"})
    queue = meter.create_up_down_counter("shop.queue.length", unit="{item}")
    queue.add(5)
    queue.add(-2)
    meter.create_observable_gauge(
        "shop.temperature", unit="Cel", callbacks=[lambda options: [Observation(21.5, {"room": "a"})]])
    duration = meter.create_histogram("shop.request.duration", unit="s")
    for v in (0.1, 0.4, 3.0):
        duration.record(v, {"route": "/cart"})
    provider.force_flush()
    provider.shutdown()
    check("SDK export succeeded", bool(results) and all(r == MetricExportResult.SUCCESS for r in results), str(results))

    # One OTLP/JSON body by hand (the Python exporter only speaks protobuf).
    now_ns = time.time_ns()
    body = json.dumps({"resourceMetrics": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "json-svc"}}]},
        "scopeMetrics": [{"metrics": [{"name": "json.temperature", "unit": "Cel",
                                       "gauge": {"dataPoints": [{"asDouble": 19.25, "timeUnixNano": str(now_ns)}]}}]}]}]})
    request = urllib.request.Request(endpoint, data=body.encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as r:
        answer = (r.status, r.headers.get("Content-Type"), r.read())
    check("JSON body answered 200 with {}", answer == (200, "application/json", b"{}"), str(answer))
    request = urllib.request.Request(endpoint, data=b"x", headers={"Content-Type": "text/plain"})
    try:
        urllib.request.urlopen(request, timeout=10)
        status = 200
    except urllib.error.HTTPError as e:
        status = e.code
    check("other Content-Type answered 415", status == 415, str(status))

    series = get(base, "/api/v1/series", **{"match[]": '{job="shop/checkout"}'})["data"]
    names = sorted({s["__name__"] for s in series})
    expected = ["shop_network_io_bytes_total", "shop_queue_length", "shop_request_duration_seconds_bucket",
                "shop_request_duration_seconds_count", "shop_request_duration_seconds_sum",
                "shop_temperature_celsius", "target_info"]
    check("series names as Prometheus 3 names them", names == expected, f"got {names}")
    check("job is namespace/name and instance is service.instance.id on every series",
          all(s.get("job") == "shop/checkout" and s.get("instance") == "pod-7" for s in series))
    check("no scope labels (promote_scope_metadata is off by default)",
          not any(k.startswith("otel_scope_") for s in series for k in s))

    def vector(query):
        return get(base, "/api/v1/query", query=query)["data"]["result"]

    counter = vector("shop_network_io_bytes_total")
    check("counter By → _bytes_total with sanitized attribute",
          [(c["metric"].get("http_method"), c["value"][1]) for c in counter] == [("GET", "1500")], str(counter))
    check("up-down counter → gauge without _total", [c["value"][1] for c in vector("shop_queue_length")] == ["3"])
    check("observable gauge Cel → _celsius",
          [(c["metric"].get("room"), c["value"][1]) for c in vector("shop_temperature_celsius")] == [("a", "21.5")])
    buckets = {c["metric"]["le"]: c["value"][1] for c in vector('shop_request_duration_seconds_bucket{route="/cart"}')}
    check("histogram buckets cumulative with le and +Inf",
          buckets == {"0.25": "1", "1": "2", "2.5": "2", "+Inf": "3"}, str(buckets))
    check("histogram _sum and _count",
          [c["value"][1] for c in vector("shop_request_duration_seconds_sum")] == ["3.5"]
          and [c["value"][1] for c in vector("shop_request_duration_seconds_count")] == ["3"])
    info = vector('target_info{job="shop/checkout"}')
    labels = info[0]["metric"] if len(info) == 1 else {}
    check("target_info carries the other resource attributes",
          labels.get("deployment_environment") == "acceptance" and labels.get("telemetry_sdk_language") == "python"
          and labels.get("instance") == "pod-7" and "service_name" not in labels and info[0]["value"][1] == "1",
          str(info))
    check("JSON gauge stored", [c["value"][1] for c in vector('json_temperature_celsius{job="json-svc"}')] == ["19.25"])
    own = urllib.request.urlopen(base + "/metrics", timeout=10).read().decode()
    check("self-metrics count the requests (one 415)",
          'sugarmill_otlp_requests_total{code="2xx"}' in own and 'sugarmill_otlp_requests_total{code="4xx"} 1\n' in own)


if __name__ == "__main__":
    main()
