#!/bin/sh
# Regenerates Sources/WireFormat/*.pb.swift from Protos/ (committed, so builds never run this).
# Needs protoc (Debian: protobuf-compiler) and protoc-gen-swift of the swift-protobuf version in
# Package.swift:
#   swift build -c release --product protoc-gen-swift --package-path .build/checkouts/swift-protobuf --scratch-path /tmp/pgs
#   PROTOC_GEN_SWIFT=/tmp/pgs/release/protoc-gen-swift scripts/generate-protos.sh
set -eu
cd "$(dirname "$0")/.."
plugin="${PROTOC_GEN_SWIFT:-$(command -v protoc-gen-swift)}"
rm -f Sources/WireFormat/*.pb.swift
find Protos -name '*.proto' | sort | xargs protoc \
    --plugin=protoc-gen-swift="$plugin" \
    --proto_path=Protos \
    --swift_opt=Visibility=Package \
    --swift_opt=FileNaming=PathToUnderscores \
    --swift_opt=UseAccessLevelOnImports=true \
    --swift_out=Sources/WireFormat
echo "generated: $(ls Sources/WireFormat/*.pb.swift | wc -l) files"
