#!/bin/sh
# Rebuilds golden.txt: the chunk bytes Prometheus's own tsdb/chunkenc writes for the sequences in
# main.go. Not run by the test suite. Needs Go (1.19 works: Debian bookworm's golang-go) and a
# clone of prometheus/prometheus.
#   usage: generate.sh PROMETHEUS_GIT_DIR [REV]     (REV defaults to HEAD)
set -eu
repo=$1
rev=${2:-HEAD}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tsdb/chunkenc" "$work/model/histogram" "$work/model/value" "$work/cmd/nhgold"
printf 'module github.com/prometheus/prometheus\n\ngo 1.19\n' > "$work/go.mod"
# Prometheus's chunk encoders and model/value, as they are at REV.
for f in $(git -C "$repo" ls-tree --name-only "$rev" tsdb/chunkenc/ | grep -v '_test\.go$'); do
    git -C "$repo" show "$rev:$f" > "$work/$f"
done
git -C "$repo" show "$rev:model/value/value.go" > "$work/model/value/value.go"
# Go 1.19 has no range-over-int: rewrite `for range N {` and `for i := range numXBuckets {`.
sed -i -E 's/for range ([A-Za-z0-9_.]+) \{/for _i := 0; _i < \1; _i++ {/' "$work"/tsdb/chunkenc/*.go
sed -i -E 's/for ([a-z]+) := range (num[PN]Buckets) \{/for \1 := 0; \1 < \2; \1++ {/' "$work"/tsdb/chunkenc/*.go
# A minimal model/histogram (types only; the real one needs a newer Go and other packages).
cp "$here/histogram_stub.go" "$work/model/histogram/stub.go"
cp "$here/main.go" "$work/cmd/nhgold/main.go"
(cd "$work" && go run ./cmd/nhgold) > "$here/golden.txt"
echo "wrote $here/golden.txt from $(git -C "$repo" rev-parse "$rev")"
