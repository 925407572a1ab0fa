"""Shared helpers of the scripts that drive a live Sugarmill (chaos.py, hostile-inputs.py): a free
local port and hand-encoded remote-write protobuf (protocol 0.1.0), snappy-compressed."""

from __future__ import annotations

import socket
import struct

import cramjam

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def varint(n: int) -> bytes:
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | 0x80 if n else b)
        if not n:
            return bytes(out)


def field(num: int, payload: bytes) -> bytes:
    """A length-delimited protobuf field."""
    return varint((num << 3) | 2) + varint(len(payload)) + payload


def timeseries(labels: list[tuple[bytes, bytes]], samples: list[tuple[float, int]]) -> bytes:
    """One `repeated TimeSeries timeseries = 1` entry of a WriteRequest: labels, (value, ms) samples."""
    body = b"".join(field(1, field(1, k) + field(2, v)) for k, v in labels)
    body += b"".join(field(2, b"\x09" + struct.pack("<d", v) + b"\x10" + varint(t)) for v, t in samples)
    return field(1, body)


def snappy(b: bytes) -> bytes:
    return bytes(cramjam.snappy.compress_raw(b))
