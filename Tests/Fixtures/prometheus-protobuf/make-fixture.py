#!/usr/bin/env python3
"""Encodes the text-format MetricFamily messages of Prometheus's own protobuf parser tests
(model/textparse/protobufparse_test.go, createTestProtoBuf) as a delimited protobuf exposition,
with the real protobuf library (pip `protobuf`), so that our hand-written decoder is checked
against bytes it did not produce.

Usage: make-fixture.py <protobufparse_test.go> [function] > textparse-testdata.pb
(read the Go file with `git -C <prometheus mirror> show HEAD:model/textparse/protobufparse_test.go`);
function is createTestProtoBuf (the default) or TestProtobufParseWithNHCB (nhcb-testdata.pb).
"""
import re
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, text_format, timestamp_pb2
from google.protobuf.internal import encoder
from google.protobuf import message_factory

F = descriptor_pb2.FieldDescriptorProto


def build_pool():
    pool = descriptor_pool.DescriptorPool()
    pool.AddSerializedFile(timestamp_pb2.DESCRIPTOR.serialized_pb)
    f = descriptor_pb2.FileDescriptorProto(
        name="io/prometheus/client/metrics.proto", package="io.prometheus.client", syntax="proto3",
        dependency=["google/protobuf/timestamp.proto"])

    def msg(name, *fields):
        m = f.message_type.add(name=name)
        for (fname, num, ftype, label, tname) in fields:
            fd = m.field.add(name=fname, number=num, type=ftype, label=label)
            if tname:
                fd.type_name = tname
        return m

    O, R = F.LABEL_OPTIONAL, F.LABEL_REPEATED
    TS = ".google.protobuf.Timestamp"
    msg("LabelPair", ("name", 1, F.TYPE_STRING, O, None), ("value", 2, F.TYPE_STRING, O, None))
    e = f.enum_type.add(name="MetricType")
    for i, n in enumerate(["COUNTER", "GAUGE", "SUMMARY", "UNTYPED", "HISTOGRAM", "GAUGE_HISTOGRAM"]):
        e.value.add(name=n, number=i)
    msg("Gauge", ("value", 1, F.TYPE_DOUBLE, O, None))
    msg("Counter", ("value", 1, F.TYPE_DOUBLE, O, None), ("exemplar", 2, F.TYPE_MESSAGE, O, ".io.prometheus.client.Exemplar"),
        ("start_timestamp", 3, F.TYPE_MESSAGE, O, TS))
    msg("Quantile", ("quantile", 1, F.TYPE_DOUBLE, O, None), ("value", 2, F.TYPE_DOUBLE, O, None))
    msg("Summary", ("sample_count", 1, F.TYPE_UINT64, O, None), ("sample_sum", 2, F.TYPE_DOUBLE, O, None),
        ("quantile", 3, F.TYPE_MESSAGE, R, ".io.prometheus.client.Quantile"), ("start_timestamp", 4, F.TYPE_MESSAGE, O, TS))
    msg("Untyped", ("value", 1, F.TYPE_DOUBLE, O, None))
    msg("Histogram",
        ("sample_count", 1, F.TYPE_UINT64, O, None), ("sample_count_float", 4, F.TYPE_DOUBLE, O, None),
        ("sample_sum", 2, F.TYPE_DOUBLE, O, None), ("bucket", 3, F.TYPE_MESSAGE, R, ".io.prometheus.client.Bucket"),
        ("start_timestamp", 15, F.TYPE_MESSAGE, O, TS), ("schema", 5, F.TYPE_SINT32, O, None),
        ("zero_threshold", 6, F.TYPE_DOUBLE, O, None), ("zero_count", 7, F.TYPE_UINT64, O, None),
        ("zero_count_float", 8, F.TYPE_DOUBLE, O, None),
        ("negative_span", 9, F.TYPE_MESSAGE, R, ".io.prometheus.client.BucketSpan"),
        ("negative_delta", 10, F.TYPE_SINT64, R, None), ("negative_count", 11, F.TYPE_DOUBLE, R, None),
        ("positive_span", 12, F.TYPE_MESSAGE, R, ".io.prometheus.client.BucketSpan"),
        ("positive_delta", 13, F.TYPE_SINT64, R, None), ("positive_count", 14, F.TYPE_DOUBLE, R, None),
        ("exemplars", 16, F.TYPE_MESSAGE, R, ".io.prometheus.client.Exemplar"))
    msg("Bucket", ("cumulative_count", 1, F.TYPE_UINT64, O, None), ("cumulative_count_float", 4, F.TYPE_DOUBLE, O, None),
        ("upper_bound", 2, F.TYPE_DOUBLE, O, None), ("exemplar", 3, F.TYPE_MESSAGE, O, ".io.prometheus.client.Exemplar"))
    msg("BucketSpan", ("offset", 1, F.TYPE_SINT32, O, None), ("length", 2, F.TYPE_UINT32, O, None))
    msg("Exemplar", ("label", 1, F.TYPE_MESSAGE, R, ".io.prometheus.client.LabelPair"), ("value", 2, F.TYPE_DOUBLE, O, None),
        ("timestamp", 3, F.TYPE_MESSAGE, O, TS))
    msg("Metric", ("label", 1, F.TYPE_MESSAGE, R, ".io.prometheus.client.LabelPair"),
        ("gauge", 2, F.TYPE_MESSAGE, O, ".io.prometheus.client.Gauge"), ("counter", 3, F.TYPE_MESSAGE, O, ".io.prometheus.client.Counter"),
        ("summary", 4, F.TYPE_MESSAGE, O, ".io.prometheus.client.Summary"), ("untyped", 5, F.TYPE_MESSAGE, O, ".io.prometheus.client.Untyped"),
        ("histogram", 7, F.TYPE_MESSAGE, O, ".io.prometheus.client.Histogram"), ("timestamp_ms", 6, F.TYPE_INT64, O, None))
    msg("MetricFamily", ("name", 1, F.TYPE_STRING, O, None), ("help", 2, F.TYPE_STRING, O, None),
        ("type", 3, F.TYPE_ENUM, O, ".io.prometheus.client.MetricType"),
        ("metric", 4, F.TYPE_MESSAGE, R, ".io.prometheus.client.Metric"), ("unit", 5, F.TYPE_STRING, O, None))
    pool.Add(f)
    return pool


def main():
    go = open(sys.argv[1]).read()
    function = sys.argv[2] if len(sys.argv) > 2 else "createTestProtoBuf"
    body = go[go.index(f"func {function}("):]
    body = body[:body.index("metricFamiliesToProtobuf(t, testMetricFamilies)")] if "NHCB" in function else body[:body.index("\n}\n")]
    families = re.findall(r"`([^`]*)`", body)
    pool = build_pool()
    MetricFamily = message_factory.GetMessageClass(pool.FindMessageTypeByName("io.prometheus.client.MetricFamily"))
    out = bytearray()
    for text in families:
        mf = text_format.Parse(text, MetricFamily())
        data = mf.SerializeToString()
        encoder._EncodeVarint(out.extend, len(data))
        out.extend(data)
    sys.stdout.buffer.write(bytes(out))
    print(f"{len(families)} families, {len(out)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
