#!/usr/bin/env python3
"""An OTLP/gRPC trace receiver for tests: grpcio serving opentelemetry-proto's TraceService.

    otlp-grpc-receiver.py PORT OUTPUT

Listens on 127.0.0.1:PORT (cleartext HTTP/2) and appends one JSON line per received span to
OUTPUT: traceID, spanID, parentSpanID (hex), name, kind, attributes (values as text) and the
resource's attributes. Prints "ready" once listening; runs until SIGTERM.
"""
import json, os, signal, sys, threading, time
from concurrent import futures

import grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc


def text(value):
    kind = value.WhichOneof("value")
    return str(getattr(value, kind)).lower() if kind == "bool_value" else str(getattr(value, kind)) if kind else ""


def main():
    port, output = int(sys.argv[1]), sys.argv[2]
    lock = threading.Lock()

    class TraceService(trace_service_pb2_grpc.TraceServiceServicer):
        def Export(self, request, context):
            lines = []
            for resource_spans in request.resource_spans:
                resource = {kv.key: text(kv.value) for kv in resource_spans.resource.attributes}
                for scope_spans in resource_spans.scope_spans:
                    for span in scope_spans.spans:
                        lines.append(json.dumps({
                            "traceID": span.trace_id.hex(), "spanID": span.span_id.hex(),
                            "parentSpanID": span.parent_span_id.hex(), "name": span.name, "kind": span.kind,
                            "attributes": {kv.key: text(kv.value) for kv in span.attributes}, "resource": resource,
                        }))
            with lock, open(output, "a") as f:
                f.write("".join(line + "\n" for line in lines))
            return trace_service_pb2.ExportTraceServiceResponse()

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(TraceService(), server)
    server.add_insecure_port(f"127.0.0.1:{port}")
    server.start()
    # A parent that handles SIGTERM itself (a server under test) may pass it on blocked or
    # ignored: unblock it and exit on it, with the main thread sleeping (where Python runs
    # signal handlers; grpcio's threads keep it from ending the process by default).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    print("ready", flush=True)
    while True:
        time.sleep(1)


if __name__ == "__main__":
    main()
