#!/usr/bin/env python3
"""Writes the Snappy golden vectors in this folder, using the reference implementation.

Needs `cramjam` (and optionally `python-snappy`): pip install cramjam python-snappy

Files written (read by SnappyGoldenTests.swift):
  NAME.raw + NAME.snappy        an input and its block from the reference encoder
  crafted-NAME.raw + .snappy    hand-built blocks using every element form; .raw is what
                                the reference decoder makes of them
  bad-CODE-NAME.snappy          malformed blocks the reference decoder rejects; CODE is the
                                SnappyError.Code our decoder must throw

Usage:
  python3 make_vectors.py                    # (re)write the vectors
  python3 make_vectors.py --ours CMD...      # also check our encoder: CMD reads an input on
                                             # stdin and writes our snappy block on stdout;
                                             # the reference must decode it to the input
Everything is deterministic: re-running rewrites identical files.
"""

import os
import random
import struct
import subprocess
import sys

import cramjam

HERE = os.path.dirname(os.path.abspath(__file__))


def varint(value):
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def protobuf_like(target, seed):
    """A remote-write WriteRequest look-alike: series of label pairs and samples."""
    rng = random.Random(seed)
    names = ["http_requests_total", "http_request_duration_seconds_bucket",
             "node_cpu_seconds_total", "process_resident_memory_bytes", "up"]

    def field(number, payload):
        return bytes([number << 3 | 2]) + varint(len(payload)) + payload

    out = bytearray()
    timestamp = 1_700_000_000_000
    while len(out) < target:
        series = bytearray()
        labels = [("__name__", rng.choice(names)),
                  ("instance", "10.0.%d.%d:9100" % (rng.randrange(16), rng.randrange(256))),
                  ("job", rng.choice(["api", "node", "prometheus"])),
                  ("status", rng.choice(["200", "404", "500"]))]
        for name, value in labels:
            series += field(1, field(1, name.encode()) + field(2, value.encode()))
        for _ in range(1 + rng.randrange(3)):
            timestamp += rng.randrange(30_000)
            sample = b"\x09" + struct.pack("<d", rng.randrange(100_000) / 10) + b"\x10" + varint(timestamp)
            series += field(2, sample)
        out += field(1, bytes(series))
    return bytes(out)


def text_like(target, seed):
    rng = random.Random(seed)
    words = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog",
             "scrape", "sample", "series", "chunk", "head", "block"]
    out = []
    size = 0
    while size < target:
        word = rng.choice(words)
        out.append(word)
        size += len(word) + 1
    return " ".join(out).encode()[:target]


def inputs():
    rng = random.Random(20240601)
    return {
        "empty": b"",
        "one-byte": b"x",
        "hello": b"hello, snappy!",
        "pattern-abc": b"abc" * 400,
        "text-12k": text_like(12_000, 1),
        "random-4k": bytes(rng.randrange(256) for _ in range(4096)),
        "protobuf-68k": protobuf_like(68_000, 2),
        "zeros-66k": bytes(66_000),
    }


# Element builders for hand-made blocks (format_description.txt, section 2). Each returns
# (encoded bytes, number of output bytes it makes).
def literal(data, extra_bytes=0):
    n = len(data) - 1
    if extra_bytes == 0:
        assert n < 60
        return bytes([n << 2]) + data, len(data)
    return bytes([(59 + extra_bytes) << 2]) + n.to_bytes(extra_bytes, "little") + data, len(data)


def copy1(offset, length):
    assert 4 <= length <= 11 and offset < 2048
    return bytes([(offset >> 8) << 5 | (length - 4) << 2 | 1, offset & 0xFF]), length


def copy2(offset, length):
    return bytes([(length - 1) << 2 | 2]) + offset.to_bytes(2, "little"), length


def copy4(offset, length):
    return bytes([(length - 1) << 2 | 3]) + offset.to_bytes(4, "little"), length


def block(*elements, declared=None):
    """A block of `elements`, declaring their total output unless `declared` is given."""
    total = sum(produced for _, produced in elements)
    return varint(total if declared is None else declared) + b"".join(e for e, _ in elements)


def crafted():
    """Blocks using every element form, overlapping copies, non-minimal encodings."""
    rng = random.Random(7)
    out = {}
    out["crafted-elements"] = block(
        literal(b"abcdefgh", 1), copy1(3, 11), copy2(1, 64), copy4(8, 20),
        literal(b"0123456789", 2), copy1(7, 4), copy2(5, 1), copy4(2, 64),
        literal(b"xyz", 3), literal(b"Q", 4), copy2(1, 7), copy1(9, 9),
        copy2(150, 64), copy2(1, 64), copy1(300, 11), copy1(330, 5))
    # Every overlapping offset 1...9 with lengths across the 8-byte fast-path boundaries.
    elements = [literal(bytes(rng.randrange(256) for _ in range(16)))]
    for offset in range(1, 10):
        for length in (1, 2, 7, 8, 9, 15, 16, 17, 63, 64):
            elements.append(copy2(offset, length))
    out["crafted-overlaps"] = block(*elements)
    # A 4 KiB literal (tag 62, 3 length bytes), copies from it out past 64 KiB, then copy4s
    # reaching back more than 64 KiB into the literal.
    elements = [literal(bytes(rng.randrange(256) for _ in range(4096)), 3)]
    while sum(produced for _, produced in elements) < 66_000:
        elements.append(copy2(rng.randrange(64, 4096), 64))
    total = sum(produced for _, produced in elements)
    elements += [copy4(total - 100, 64), copy4(total + 64 - 7, 33)]
    out["crafted-far-copy"] = block(*elements)
    return out


def malformed():
    """Blocks the reference must reject, keyed by the SnappyError.Code we must throw."""
    return {
        "bad-corrupt-offset-zero": block(literal(b"abcd"), copy2(0, 4)),
        "bad-corrupt-offset-too-far": block(literal(b"abcd"), copy2(5, 4)),
        "bad-corrupt-literal-past-input": block(literal(b"abcdefghij"))[:-3],
        "bad-corrupt-copy-past-output": block(literal(b"abcd"), copy2(4, 4), declared=6),
        "bad-corrupt-short-output": block(literal(b"abcd"), copy2(4, 4), declared=12),
        "bad-corrupt-truncated-copy": block(literal(b"abcd"), copy2(4, 4))[:-1],
        "bad-corrupt-empty-body": block(declared=5),
        "bad-invalid-header-truncated": b"\xff\xff",
        "bad-invalid-header-over-32-bits": b"\xff\xff\xff\xff\x7f" + literal(b"a")[0],
    }


def reference_decode(data):
    return bytes(cramjam.snappy.decompress_raw(data))


def main():
    written = 0
    for name, data in inputs().items():
        compressed = bytes(cramjam.snappy.compress_raw(data))
        assert reference_decode(compressed) == data
        try:
            import snappy  # python-snappy, when present, must agree
            assert snappy.uncompress(compressed) == data
        except ImportError:
            pass
        written += write(name + ".raw", data) + write(name + ".snappy", compressed)
    for name, data in crafted().items():
        written += write(name + ".snappy", data) + write(name + ".raw", reference_decode(data))
    for name, data in malformed().items():
        try:
            reference_decode(data)
        except Exception:
            written += write(name + ".snappy", data)
        else:
            sys.exit("reference accepted %s" % name)
    print("wrote %d bytes" % written)
    assert written < 300_000

    if len(sys.argv) > 2 and sys.argv[1] == "--ours":
        command = sys.argv[2:]
        for name, data in inputs().items():
            ours = subprocess.run(command, input=data, capture_output=True, check=True).stdout
            assert reference_decode(ours) == data, name
            same = ours == bytes(cramjam.snappy.compress_raw(data))
            print("ours ok: %-14s %7d bytes (%s)" % (name, len(ours), "identical to reference" if same else "differs from reference"))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as handle:
        handle.write(data)
    return len(data)


if __name__ == "__main__":
    main()
