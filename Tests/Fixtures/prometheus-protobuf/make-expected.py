#!/usr/bin/env python3
"""Turns the expectations of Prometheus's TestProtobufParse (model/textparse/protobufparse_test.go)
for the input of make-fixture.py into one line per entry, the form ProtobufParserFixtureTests
prints our parser's entries in. Only the scenarios without type-and-unit labels are taken.

Differences from Prometheus that are ours on purpose: labels with empty values are dropped (our
parsers drop them where Prometheus's scrape loop would), and the series key `m` is not compared.

TestProtobufParseWithNHCB's cases (classic histograms converted to native histograms with custom
buckets, input nhcb-testdata.pb) go to expected-nhcb-<ignoreNative>-<keepClassic>.txt.

Usage: make-expected.py <protobufparse_test.go> <outdir>
"""
import re
import struct
import sys

SCENARIOS = {
    "ignoreNativeHistograms=false/parseClassicHistograms=false/enableTypeAndUnitLabels=false": "expected-default.txt",
    "ignoreNativeHistograms=false/parseClassicHistograms=true/enableTypeAndUnitLabels=false": "expected-classic.txt",
    "ignoreNativeHistograms=true/parseClassicHistograms=false/enableTypeAndUnitLabels=false": "expected-ignore-native.txt",
}
TYPES = {"Gauge": "gauge", "Counter": "counter", "Histogram": "histogram", "GaugeHistogram": "gaugehistogram",
         "Summary": "summary", "Unknown": "unknown"}


def fbits(text):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", float(text)))[0]


def gostr(s):
    return s.encode("latin-1").decode("unicode_escape")


def strings(text):
    return [gostr(s) for s in re.findall(r'"((?:[^"\\]|\\.)*)"', text)]


def labelset(text):
    parts = strings(text)
    pairs = sorted((parts[i], parts[i + 1]) for i in range(0, len(parts), 2) if parts[i + 1] != "")
    return ",".join(f"{n}={v}" for n, v in pairs)


def field(block, name):
    m = re.search(r"\b" + name + r":\s*([^,\n]+),", block)
    return m.group(1).strip() if m else None


def spans(block, name):
    m = re.search(name + r":\s*\[\]histogram\.Span\{(.*?)\n\s*\},", block, re.S)
    if not m:
        return ""
    out = []
    for span in re.findall(r"\{([^}]*)\}", m.group(1)):
        o = re.search(r"Offset:\s*(-?\d+)", span)
        l = re.search(r"Length:\s*(\d+)", span)
        out.append(f"{o.group(1) if o else 0}:{l.group(1) if l else 0}")
    return " ".join(out)


def buckets(block, name, is_float):
    m = re.search(name + r":\s*\[\](?:int64|float64)\{([^}]*)\}", block)
    if not m or not m.group(1).strip():
        return ""
    vals = [v.strip() for v in m.group(1).split(",") if v.strip()]
    return " ".join(fbits(v) if is_float else str(int(v)) for v in vals)


def exemplars(block):
    m = re.search(r"es:\s*\[\]exemplar\.Exemplar\{(.*?)\n\t{5}\},", block, re.S)
    if not m:
        return "-"
    out = []
    for e in re.findall(r"\{Labels: labels\.FromStrings\(([^)]*)\),([^}]*)\}", m.group(1)):
        value = re.search(r"Value:\s*([^,]+)", e[1]).group(1)
        ts = re.search(r"Ts:\s*(-?\d+)", e[1])
        has = re.search(r"HasTs:\s*true", e[1])
        out.append(f"{{{labelset(e[0])}}}:{fbits(value)}:{ts.group(1) if has and ts else '-'}")
    return ";".join(out) if out else "-"


def entry(block):
    help_ = re.search(r'help:\s*"((?:[^"\\]|\\.)*)"', block)
    name = strings(re.search(r"m:\s*(\"[^\n]*\")", block).group(1))[0]
    if help_:
        return f"help {name} {gostr(help_.group(1))}"
    unit = re.search(r'unit:\s*"((?:[^"\\]|\\.)*)"', block)
    if unit:
        return f"unit {name} {gostr(unit.group(1))}"
    typ = re.search(r"typ:\s*model\.MetricType(\w+)", block)
    if typ:
        return f"type {name} {TYPES[typ.group(1)]}"
    lset = labelset(re.search(r"lset:\s*labels\.FromStrings\((.*?)\),(?:\n|$)", block, re.S).group(1))
    t = re.search(r"\bt:\s*int64p\((-?\d+)\)", block)
    st = re.search(r"\bst:\s*(-?\d+)", block)
    head = f"{{{lset}}} t={t.group(1) if t else '-'} st={st.group(1) if st and st.group(1) != '0' else '-'} ex={exemplars(block)}"
    for kind in ("shs", "fhs"):
        hm = re.search(kind + r":\s*&histogram\.(?:Float)?Histogram\{(.*?)\n\t{5}\},", block, re.S)
        if hm:
            h = hm.group(1)
            is_float = kind == "fhs"
            hint = "gauge" if "GaugeType" in (field(h, "CounterResetHint") or "") else "unknown"
            zc = field(h, "ZeroCount") or "0"
            count = field(h, "Count") or "0"
            return (f"histogram {head} {'float' if is_float else 'int'} hint={hint} schema={field(h, 'Schema') or '0'} "
                    f"count={fbits(count) if is_float else int(float(count))} sum={fbits(field(h, 'Sum') or '0')} "
                    f"zt={fbits(field(h, 'ZeroThreshold') or '0')} zc={fbits(zc) if is_float else int(float(zc))} "
                    f"pos=[{spans(h, 'PositiveSpans')}]/[{buckets(h, 'PositiveBuckets', is_float)}] "
                    f"neg=[{spans(h, 'NegativeSpans')}]/[{buckets(h, 'NegativeBuckets', is_float)}]"
                    + (f" cv=[{buckets(h, 'CustomValues', True)}]" if buckets(h, 'CustomValues', True) else ""))
    v = re.search(r"\bv:\s*([^,\n]+),", block)
    v = v.group(1) if v else "0"  # Go's zero value
    return f"series {head} v={fbits(v)}"


def entries(body):
    """The parsedEntry blocks of one expected list (five tabs of indentation)."""
    body = body[body.index("expected: []parsedEntry{"):]
    return re.findall(r"\n\t{4}\{\n(.*?)\n\t{4}\},", body[: body.index("\n\t\t\t},\n")], re.S)


def write(path, blocks):
    with open(path, "w") as f:
        for b in blocks:
            f.write(entry(b) + "\n")
    print(f"{path}: {len(blocks)} entries", file=sys.stderr)


def main():
    go = open(sys.argv[1]).read()
    test = go[go.index("func TestProtobufParse("):]
    test = test[:test.index("\nfunc ")]
    for name, out in SCENARIOS.items():
        start = test.index(f'name:   "{name}"')
        write(f"{sys.argv[2]}/{out}", entries(test[start:]))
    nhcb = go[go.index("func TestProtobufParseWithNHCB("):]
    nhcb = nhcb[: nhcb.index("\nfunc ")]
    for case in re.finditer(r"ignoreNative: (\w+),\s*keepClassic:\s*(\w+),\s*typeAndUnit:\s*(\w+),", nhcb):
        if case.group(3) == "false":
            write(f"{sys.argv[2]}/expected-nhcb-{case.group(1)}-{case.group(2)}.txt", entries(nhcb[case.end():]))


if __name__ == "__main__":
    main()
