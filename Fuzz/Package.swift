// swift-tools-version:6.1
// libFuzzer entry points for Sugarmill's parsers of untrusted bytes (STYLE.md, "fuzzing").
// The engine's modules are compiled from symlinks (Sources/*); each fuzzer is an executable
// linked with -sanitize=fuzzer. Run: Fuzz/run.sh <FuzzSnappy|FuzzRemoteWrite|FuzzXORChunk|FuzzPromQL|FuzzExposition|FuzzYAML|
// FuzzOTLP|FuzzWALRecord|FuzzIndexReader|FuzzProtobufExposition|FuzzHistogramChunk> [seconds]
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]
let fuzz: [SwiftSetting] = upcoming + [.unsafeFlags(["-sanitize=fuzzer,address", "-parse-as-library"])]
/// The engine's modules get libFuzzer's coverage instrumentation too: without it the fuzzer sees
/// only the entry point's few branches and mutates blindly.
let instrumented: [SwiftSetting] = upcoming + [.unsafeFlags(["-sanitize=fuzzer,address"])]
let fuzzLink: [LinkerSetting] = [.unsafeFlags(["-sanitize=address", "-Xlinker", "/opt/swift/usr/lib/clang/21/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a", "-lstdc++"])]

let package = Package(
    name: "SugarmillFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        // TSDB's own dependencies (its logger and lock); not instrumented.
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // MetricModel's tracing API (Spans.swift); not instrumented.
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
    ],
    targets: [
        .target(
            name: "MetricModel", dependencies: [.product(name: "Tracing", package: "swift-distributed-tracing")],
            swiftSettings: instrumented),
        .target(name: "CRC32CHardware"),
        .target(name: "ChunkEncoding", dependencies: ["MetricModel", "CRC32CHardware"], swiftSettings: instrumented),
        .target(name: "YAML", swiftSettings: instrumented),
        .target(name: "Snappy", swiftSettings: instrumented),
        // Generated protobuf messages (OTLP, remote read): not instrumented, like any dependency.
        .target(
            name: "WireFormat", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        .target(
            name: "Remote",
            dependencies: ["MetricModel", "Snappy", "WireFormat", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: instrumented
        ),
        .target(name: "PromQL", dependencies: ["MetricModel", "ChunkEncoding"], swiftSettings: instrumented),
        .target(name: "Exposition", dependencies: ["MetricModel"], swiftSettings: instrumented),
        .target(
            name: "TSDB",
            dependencies: [
                "MetricModel", "ChunkEncoding", "Snappy",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: instrumented
        ),
        .target(name: "FuzzSupport", path: "Targets/FuzzSupport"),
        .executableTarget(
            name: "FuzzSnappy", dependencies: ["Snappy", "FuzzSupport"], path: "Targets/FuzzSnappy", swiftSettings: fuzz, linkerSettings: fuzzLink),
        .executableTarget(
            name: "FuzzRemoteWrite", dependencies: ["Remote", "MetricModel", "FuzzSupport"], path: "Targets/FuzzRemoteWrite",
            swiftSettings: fuzz, linkerSettings: fuzzLink),
        .executableTarget(
            name: "FuzzXORChunk", dependencies: ["ChunkEncoding", "MetricModel", "FuzzSupport"], path: "Targets/FuzzXORChunk",
            swiftSettings: fuzz, linkerSettings: fuzzLink),
        .executableTarget(
            name: "FuzzHistogramChunk", dependencies: ["ChunkEncoding", "MetricModel", "FuzzSupport"],
            path: "Targets/FuzzHistogramChunk", swiftSettings: fuzz, linkerSettings: fuzzLink),
        .executableTarget(
            name: "FuzzPromQL", dependencies: ["PromQL", "MetricModel", "FuzzSupport"], path: "Targets/FuzzPromQL", swiftSettings: fuzz, linkerSettings: fuzzLink),
        .executableTarget(
            name: "FuzzYAML", dependencies: ["YAML", "FuzzSupport"], path: "Targets/FuzzYAML", swiftSettings: fuzz, linkerSettings: fuzzLink),
        .executableTarget(
            name: "FuzzExposition", dependencies: ["Exposition", "MetricModel", "FuzzSupport"], path: "Targets/FuzzExposition",
            swiftSettings: fuzz, linkerSettings: fuzzLink),
        .executableTarget(
            name: "FuzzProtobufExposition", dependencies: ["Exposition", "MetricModel", "FuzzSupport"],
            path: "Targets/FuzzProtobufExposition", swiftSettings: fuzz, linkerSettings: fuzzLink),
        .executableTarget(
            name: "FuzzOTLP", dependencies: ["Remote", "WireFormat", "MetricModel", "FuzzSupport"], path: "Targets/FuzzOTLP",
            swiftSettings: fuzz, linkerSettings: fuzzLink),
        .executableTarget(
            name: "FuzzWALRecord", dependencies: ["TSDB", "MetricModel", "FuzzSupport"], path: "Targets/FuzzWALRecord",
            swiftSettings: fuzz, linkerSettings: fuzzLink),
        .executableTarget(
            name: "FuzzIndexReader", dependencies: ["TSDB", "ChunkEncoding", "MetricModel", "FuzzSupport"], path: "Targets/FuzzIndexReader",
            swiftSettings: fuzz, linkerSettings: fuzzLink),
    ]
)
