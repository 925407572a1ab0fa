#!/usr/bin/env python3
"""Trace export acceptance: Sugarmill's spans reach a real OTLP/gRPC TraceService.

Runs a gRPC OTLP trace receiver (grpcio with opentelemetry-proto's generated service, as the
OpenTelemetry Collector serves it) and an OTLP/HTTP one, then for each `client_type` starts the
Sugarmill binary ($SUGARMILL_BIN, else .build/release/sugarmill, else .build/debug/sugarmill) with
a `tracing:` section pointing there (insecure, sampling_fraction 0: only sampled callers'
traces), a self-scrape job and a rule group, sends a query with a sampled W3C traceparent and
one with an unsampled one, and checks what the receiver got: the query's server span in the
caller's trace as a child of the caller's span, its promqlEval child, nothing of the unsampled
trace and no root traces (rule groups, scrapes: fraction 0).

    python3 scripts/otlp-traces-acceptance.py

Prints one PASS or FAIL line per check and exits non-zero when any fails. When grpcio or
opentelemetry-proto is not importable they are installed into a virtual environment under /tmp
and the script runs again there.
"""
import os, subprocess, sys, tempfile, threading, time, urllib.request
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from script_env import binary, ensure_packages, free_port  # noqa: E402
from concurrent import futures
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VENV = "/tmp/sugarmill-otlp-traces-venv"
PACKAGES = ["grpcio", "opentelemetry-proto"]


failures = []


def check(name, ok, detail=""):
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))
    if not ok:
        failures.append(name)


def main():
    ensure_packages(__file__, ["grpc", "opentelemetry.proto.collector.trace.v1.trace_service_pb2_grpc"], PACKAGES, VENV)
    import grpc
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc

    received = []  # (transport, span)
    lock = threading.Lock()

    def keep(transport, request):
        with lock:
            for rs in request.resource_spans:
                for ss in rs.scope_spans:
                    for span in ss.spans:
                        received.append((transport, rs.resource, span))

    class TraceService(trace_service_pb2_grpc.TraceServiceServicer):
        def Export(self, request, context):
            keep("grpc", request)
            return trace_service_pb2.ExportTraceServiceResponse()

    grpc_port = free_port()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(TraceService(), server)
    server.add_insecure_port(f"127.0.0.1:{grpc_port}")
    server.start()

    class HTTPReceiver(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            request = trace_service_pb2.ExportTraceServiceRequest()
            request.ParseFromString(body)
            if self.path == "/v1/traces":
                keep("http", request)
            reply = trace_service_pb2.ExportTraceServiceResponse().SerializeToString()
            self.send_response(200 if self.path == "/v1/traces" else 404)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    http_port = free_port()
    http_server = ThreadingHTTPServer(("127.0.0.1", http_port), HTTPReceiver)
    threading.Thread(target=http_server.serve_forever, daemon=True).start()

    for transport, endpoint_port in (("grpc", grpc_port), ("http", http_port)):
        with tempfile.TemporaryDirectory() as directory:
            port = free_port()
            with open(os.path.join(directory, "rules.yml"), "w") as f:
                f.write("groups:\n  - name: g\n    interval: 1s\n    rules:\n      - record: up:sum\n        expr: sum(up)\n")
            with open(os.path.join(directory, "prometheus.yml"), "w") as f:
                f.write(
                    f"global: {{scrape_interval: 1s, evaluation_interval: 1s}}\n"
                    f"rule_files: [rules.yml]\n"
                    f"scrape_configs:\n  - job_name: self\n    static_configs: [{{targets: ['127.0.0.1:{port}']}}]\n"
                    f"tracing:\n  client_type: {transport}\n  endpoint: 127.0.0.1:{endpoint_port}\n  insecure: true\n")
            log = open(os.path.join(directory, "log"), "w")
            process = subprocess.Popen(
                [binary(), f"--config.file={directory}/prometheus.yml", f"--storage.tsdb.path={directory}/data",
                 f"--web.listen-address=127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
            try:
                deadline = time.time() + 60
                while time.time() < deadline:
                    try:
                        urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready", timeout=2)
                        break
                    except Exception:
                        time.sleep(0.2)
                time.sleep(3)  # scrapes and rule groups run (fraction 0: none of them exported)
                sampled = ("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331")
                unsampled = ("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")
                for (trace, span), flags in ((sampled, "01"), (unsampled, "00")):
                    request = urllib.request.Request(
                        f"http://127.0.0.1:{port}/api/v1/query?query=sum(up)", headers={"traceparent": f"00-{trace}-{span}-{flags}"})
                    urllib.request.urlopen(request, timeout=10).read()
            finally:
                process.terminate()  # SIGTERM: spans flushed at shutdown
                process.wait(timeout=60)
            with lock:
                spans = [(r, s) for t, r, s in received if t == transport]
            mine = [s for _, s in spans if s.trace_id.hex() == sampled[0]]
            server_span = next((s for s in mine if s.name == "/api/v1/query"), None)
            check(f"{transport}: the query is a server span in the caller's trace",
                  server_span is not None and server_span.parent_span_id.hex() == sampled[1] and server_span.kind == 2,
                  [(s.name, s.parent_span_id.hex()) for s in mine])
            check(f"{transport}: promqlEval is its child",
                  server_span is not None and any(s.name == "promqlEval" and s.parent_span_id == server_span.span_id for s in mine),
                  [s.name for s in mine])
            check(f"{transport}: the unsampled caller's trace is not exported",
                  not any(s.trace_id.hex() == unsampled[0] for _, s in spans))
            check(f"{transport}: sampling_fraction 0 exports no root trace (scrapes, rule groups)",
                  all(s.trace_id.hex() == sampled[0] for _, s in spans), sorted({s.name for _, s in spans}))
            names = {kv.key: kv.value.string_value for r, _ in spans[:1] for kv in r.attributes}
            check(f"{transport}: resource names the service", names.get("service.name") == "sugarmill", names)
    server.stop(0)
    http_server.shutdown()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
