// /api/v1/render: range queries drawn as SVG and PNG line charts — series, gaps, axes, legend,
// escaping, PNG structure and pixels, parameter errors identical to query_range's, size caps.

import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import MetricModel
import PromQL
import Testing

@Suite struct RenderTests {
    /// Two counters, 15 s apart from 0 to 300 s: `job="api"` rises by 10 a step, `job="web"` by 20.
    static let data: [(labels: [(String, String)], samples: [Sample])] = [
        ([("__name__", "req_total"), ("job", "api")], (0...20).map { Sample(Int64($0) * 15_000, Double($0) * 10) }),
        ([("__name__", "req_total"), ("job", "web")], (0...20).map { Sample(Int64($0) * 15_000, Double($0) * 20) }),
    ]

    /// Two constant series: `a="x"` at 1 and `a="y"` at 2.
    static let twoLines = #"label_replace(vector(1),"a","x","","") or label_replace(vector(2),"a","y","","")"#

    static func encoded(_ query: String) -> String {
        query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    /// Status, content type and body of a GET.
    static func get(_ client: any TestClientProtocol, _ uri: String) async throws -> (Int, String, [UInt8]) {
        try await client.execute(uri: uri, method: .get) { response in
            (response.status.code, response.headers[.contentType] ?? "", Array(response.body.readableBytesView))
        }
    }

    /// The parsed SVG of a render request that must succeed.
    static func svg(_ client: any TestClientProtocol, _ uri: String) async throws -> (String, SVGSummary) {
        let (code, type, body) = try await get(client, uri)
        let text = String(decoding: body, as: UTF8.self)
        #expect(code == 200, "\(text)")
        #expect(type == "image/svg+xml")
        let summary = try #require(SVGSummary.parse(text), "not well-formed XML: \(text)")
        #expect(summary.root == "svg")
        return (text, summary)
    }

    @Test func svgDrawsEverySeriesWithAxesAndLegend() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                #expect(try await client.push(Self.data).0 == 204)
                let (_, svg) = try await Self.svg(client, "/api/v1/render?query=req_total&start=0&end=300&step=15")
                let paths = svg.seriesPaths
                try #require(paths.count == 2)
                for path in paths {
                    let d = path["d"] ?? ""
                    #expect(SVGSummary.runs(d) == 1)
                    #expect(d.filter { $0 == "M" || $0 == "L" }.count == 21, "\(d)")
                }
                #expect(paths.map { $0["stroke"] } == ["#1f77b4", "#ff7f0e"])
                // Time axis: a tick a minute, UTC; value axis 0 to 400 in 1-2-5 steps.
                for label in ["00:00", "00:01", "00:05", "0", "100", "400"] { #expect(svg.texts.contains(label), "\(label) in \(svg.texts)") }
                #expect(!svg.texts.contains("500"))
                #expect(svg.texts.contains(#"req_total{job="api"}"#))
                #expect(svg.texts.contains(#"req_total{job="web"}"#))
            }
        }
    }

    @Test func defaultStepGivesAbout250Points() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                // 1000 s / 250 = 4 s a step: 251 points of a scalar.
                let (_, svg) = try await Self.svg(client, "/api/v1/render?query=time()&start=0&end=1000")
                let d = try #require(svg.seriesPaths.first?["d"])
                #expect(d.filter { $0 == "M" || $0 == "L" }.count == 251)
                // Under 250 s: 1 s a step, never less.
                let (_, short) = try await Self.svg(client, "/api/v1/render?query=time()&start=0&end=100")
                #expect(short.seriesPaths.first?["d"]?.filter { $0 == "M" || $0 == "L" }.count == 101)
            }
        }
    }

    @Test func missingStepsAndNaNAndInfAreGaps() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let gap = (0...20).filter { $0 <= 6 || $0 >= 14 }.map { Sample(Int64($0) * 15_000, 1) }
                let nan = (0...20).map { Sample(Int64($0) * 15_000, $0 == 10 ? .nan : $0 == 15 ? .infinity : 2) }
                #expect(try await client.push([([("__name__", "a")], gap), ([("__name__", "b")], nan)]).0 == 204)
                // A 10 s lookback: no point where samples are missing.
                let (_, svg) = try await Self.svg(
                    client, "/api/v1/render?query=\(Self.encoded("{__name__=~\"a|b\"}"))&start=0&end=300&step=15&lookback_delta=10s")
                let paths = svg.seriesPaths
                try #require(paths.count == 2)
                #expect(SVGSummary.runs(paths[0]["d"] ?? "") == 2, "\(paths[0])")
                #expect(paths[0]["d"]?.filter { $0 == "M" || $0 == "L" }.count == 14)
                #expect(SVGSummary.runs(paths[1]["d"] ?? "") == 3, "\(paths[1])")
                #expect(paths[1]["d"]?.filter { $0 == "M" || $0 == "L" }.count == 19)
            }
        }
    }

    @Test func legendTextIsEscapedAndTruncated() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let series: [(labels: [(String, String)], samples: [Sample])] = [
                    ([("__name__", "x"), ("job", #"<b>&"q"'"#)], [Sample(0, 1), Sample(15_000, 2)]),
                    ([("__name__", "x"), ("job", String(repeating: "long", count: 100))], [Sample(0, 1)]),
                ]
                #expect(try await client.push(series).0 == 204)
                let (text, svg) = try await Self.svg(client, "/api/v1/render?query=x&start=0&end=15&step=15&title=%3Ca%26b%3E")
                #expect(text.contains("&lt;b&gt;&amp;"))
                #expect(!text.contains("<b>"))
                #expect(svg.texts.contains(#"x{job="<b>&"q"'"}"#), "\(svg.texts)")
                #expect(svg.texts.contains("<a&b>"))
                let long = try #require(svg.texts.first { $0.hasPrefix("x{job=\"longlong") })
                #expect(long.hasSuffix("..."))
                #expect(long.count * 6 <= 800)
            }
        }
    }

    @Test func legendSaysHowManyMore() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let series = (0..<15).map { i in ([("__name__", "m"), ("i", String(100 + i))], [Sample(0, Double(i))]) }
                #expect(try await client.push(series).0 == 204)
                let (_, svg) = try await Self.svg(client, "/api/v1/render?query=m&start=0&end=60&step=15")
                #expect(svg.seriesPaths.count == 15)
                #expect(svg.texts.filter { $0.hasPrefix("m{i=") }.count == 9)
                #expect(svg.texts.contains("+ 6 more"))
                // Distinct colours for the first ten series.
                #expect(Set(svg.seriesPaths.prefix(10).map { $0["stroke"] ?? "" }).count == 10)
                // A small image has room for fewer entries.
                let (_, small) = try await Self.svg(client, "/api/v1/render?query=m&start=0&end=60&step=15&height=100")
                let shown = small.texts.filter { $0.hasPrefix("m{i=") }.count
                #expect(shown < 9)
                #expect(small.texts.contains("+ \(15 - shown) more"))
            }
        }
    }

    @Test func stackedAddsTheSeriesUp() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let base = "/api/v1/render?query=\(Self.encoded(Self.twoLines))&start=0&end=60&step=15"
                let (_, plain) = try await Self.svg(client, base)
                #expect(plain.texts.contains("2.0") && !plain.texts.contains("3.0"), "\(plain.texts)")
                let (_, stacked) = try await Self.svg(client, base + "&stacked=true")
                #expect(stacked.texts.contains("3.0"), "\(stacked.texts)")
            }
        }
    }

    @Test func noDataIsAFrameSayingSo() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let (_, svg) = try await Self.svg(client, "/api/v1/render?query=nothing_here&start=0&end=300")
                #expect(svg.seriesPaths.isEmpty)
                #expect(svg.texts.contains("no data"))
                #expect(svg.texts.contains("00:00"))
                let (code, type, body) = try await Self.get(client, "/api/v1/render?query=nothing_here&start=0&end=300&format=png")
                #expect(code == 200)
                #expect(type == "image/png")
                let png = try DecodedPNG(body)
                let palette: Set<[UInt8]> = [[0x1f, 0x77, 0xb4], [0xff, 0x7f, 0x0e]]
                var coloured = 0
                for y in 0..<png.height {
                    for x in 0..<png.width {
                        let p = png.pixel(x, y)
                        if palette.contains([p.0, p.1, p.2]) { coloured += 1 }
                    }
                }
                #expect(coloured == 0)
            }
        }
    }

    @Test func scalarIsOneLineAndStringIsRejectedAsByQueryRange() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let (_, svg) = try await Self.svg(client, "/api/v1/render?query=time()&start=0&end=60&step=15")
                #expect(svg.seriesPaths.count == 1)
                #expect(svg.texts.contains("time()"))
                let query = "query=%22hi%22&start=0&end=60&step=15"
                let (code, _, body) = try await Self.get(client, "/api/v1/render?\(query)")
                let (rangeCode, rangeBody) = try await client.getText("/api/v1/query_range?\(query)")
                #expect(code == 400)
                #expect(String(decoding: body, as: UTF8.self) == rangeBody)
                #expect(rangeCode == 400)
            }
        }
    }

    @Test(arguments: [
        "query=up&end=60&step=15",
        "query=up&start=x&end=60&step=15",
        "query=up&start=60&end=0&step=15",
        "query=up&start=0&end=60&step=abc",
        "query=up&start=0&end=60&step=0",
        "query=up&start=0&end=60&step=-15",
        "query=up&start=0&end=1000000&step=0.05",
        "query=up&start=-9e15&end=9e15&step=1",
        "query=up%7B&start=0&end=60&step=15",
        "query=&start=0&end=60&step=15",
        "query=up%5B5m%5D&start=0&end=60&step=15",
        "query=up&start=0&end=60&step=15&timeout=soon",
        "query=up&start=0&end=60&step=15&lookback_delta=-5m",
        "query=up&start=0&end=60&step=15&limit=-1",
    ])
    func parameterErrorsAreQueryRanges(_ params: String) async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let (rangeCode, rangeBody) = try await client.getText("/api/v1/query_range?\(params)")
                #expect(rangeCode == 400, "\(rangeBody)")
                let (code, type, body) = try await Self.get(client, "/api/v1/render?\(params)")
                #expect(code == rangeCode)
                #expect(type == "application/json")
                #expect(String(decoding: body, as: UTF8.self) == rangeBody)
            }
        }
    }

    @Test func executionErrorsAre422AsByQueryRange() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir, configure: { $0.engineOptions.maxSamples = 10 }) { client, _ in
                #expect(try await client.push(Self.data).0 == 204)
                let params = "query=req_total&start=0&end=300&step=15"
                let (rangeCode, rangeBody) = try await client.getText("/api/v1/query_range?\(params)")
                #expect(rangeCode == 422)
                let (code, _, body) = try await Self.get(client, "/api/v1/render?\(params)&format=png")
                #expect(code == 422)
                #expect(String(decoding: body, as: UTF8.self) == rangeBody)
            }
        }
    }

    @Test func aFullQueryQueueIs503() async throws {
        try await QueryConcurrencyAPITests().withBusyQueryGate(maxQueueLength: 0) { client, gate in
            let (code, _, body) = try await Self.get(client, "/api/v1/render?query=1&start=0&end=60")
            #expect(code == 503)
            #expect(String(decoding: body, as: UTF8.self).contains(#""errorType":"unavailable""#))
            gate.leave()
            #expect(try await Self.get(client, "/api/v1/render?query=1&start=0&end=60").0 == 200)
        }
    }

    @Test(arguments: [
        ("width=99", #"invalid parameter \"width\": must be an integer from 100 to 4000"#),
        ("width=4001", #"invalid parameter \"width\": must be an integer from 100 to 4000"#),
        ("width=wide", #"invalid parameter \"width\": must be an integer from 100 to 4000"#),
        ("height=59", #"invalid parameter \"height\": must be an integer from 60 to 2000"#),
        ("height=2001", #"invalid parameter \"height\": must be an integer from 60 to 2000"#),
        ("width=4000&height=2000", #"invalid parameter \"width\": width x height must be at most 4000000 pixels"#),
        ("format=gif", #"invalid parameter \"format\": must be \"svg\" or \"png\""#),
        ("stacked=maybe", #"invalid parameter \"stacked\": cannot parse \"maybe\" as a boolean"#),
    ])
    func sizeAndFormatErrors(_ extra: String, _ message: String) async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let (code, _, body) = try await Self.get(client, "/api/v1/render?query=1&start=0&end=60&\(extra)")
                #expect(code == 400)
                #expect(String(decoding: body, as: UTF8.self) == #"{"status":"error","errorType":"bad_data","error":""# + message + #""}"#)
            }
        }
    }

    @Test func pngHasValidChunksAndDrawsTheLines() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let (code, type, body) = try await Self.get(
                    client, "/api/v1/render?query=\(Self.encoded(Self.twoLines))&start=0&end=60&step=15&format=png&width=400&height=200")
                #expect(code == 200)
                #expect(type == "image/png")
                let png = try DecodedPNG(body)
                #expect(png.width == 400 && png.height == 200)
                #expect(png.chunkTypes == ["IHDR", "IDAT", "IEND"])
                #expect(png.inflated.count == 200 * (400 * 3 + 1))
                // In the middle column, a few pixels of each colour; the line at 1 below the line at 2.
                func rows(_ colour: (UInt8, UInt8, UInt8)) -> [Int] {
                    (0..<png.height).filter { png.pixel(200, $0) == colour }
                }
                let low = rows((0x1f, 0x77, 0xb4))
                let high = rows((0xff, 0x7f, 0x0e))
                #expect(!low.isEmpty && low.count <= 3, "\(low)")
                #expect(!high.isEmpty && high.count <= 3, "\(high)")
                #expect((low.min() ?? 0) > (high.max() ?? .max))
                // Text was drawn: dark pixels left of the plot (value labels).
                let dark = (0..<png.height).flatMap { y in (0..<30).map { png.pixel($0, y) } }.filter { $0 == (51, 51, 51) }
                #expect(dark.count > 20)
            }
        }
    }

    @Test func postFormWorksLikeGet() async throws {
        try await withTemporaryDirectory { dir in
            try await withAPI(directory: dir) { client, _ in
                let (code, type) = try await client.execute(
                    uri: "/api/v1/render", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "query=time()&start=0&end=60&format=png")
                ) { ($0.status.code, $0.headers[.contentType]) }
                #expect(code == 200)
                #expect(type == "image/png")
            }
        }
    }
}

@Suite struct RenderCodecTests {
    @Test func checksumsHaveTheirCheckValues() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Adler32.checksum(Array("Wikipedia".utf8)) == 0x11E6_0398)
        // Past zlib's NMAX, where a sum without modulo would overflow.
        let big = [UInt8](repeating: 255, count: 100_000)
        #expect(Adler32.checksum(big) == DecodedPNG.adler32(big))
        #expect(CRC32.checksum(big) == DecodedPNG.crc32(big))
    }

    @Test func storedAndRunLengthDeflateGiveTheSamePixels() throws {
        var drawing = Drawing(width: 300, height: 120)
        drawing.shapes = [
            .rect(x: 0, y: 0, width: 300, height: 120, fill: RGB(255, 255, 255)),
            .series(runs: [[Point(10, 100), Point(150, 20), Point(290, 60)], [Point(50, 50)]], colour: RGB(1, 2, 3)),
            .text("Az09:{}~", x: 150, baseline: 110, anchor: .middle, colour: RGB(9, 9, 9)),
        ]
        let raster = Raster(drawing)
        let stored = PNGEncoder.encode(raster, deflate: .stored)
        let compressed = PNGEncoder.encode(raster, deflate: .runLength)
        #expect(compressed.count * 10 < stored.count)
        let a = try DecodedPNG(stored)
        let b = try DecodedPNG(compressed)
        // Booleans: a failure should not print 100 KB of pixels.
        let storedMatches = a.pixels == raster.pixels
        let compressedMatches = b.pixels == raster.pixels
        #expect(storedMatches)
        #expect(compressedMatches)
        // 300 x 120 x 3 + 120 filter bytes does not fit one stored block.
        #expect(a.inflated.count > 65_535)
        #expect(raster.pixel(x: 10, y: 100) == RGB(1, 2, 3))
        #expect(raster.pixel(x: 150, y: 20) == RGB(1, 2, 3))
        #expect(raster.pixel(x: 50, y: 50) == RGB(1, 2, 3))
    }

    @Test func valueTicksUseOneTwoFiveStepsAndSISuffixes() {
        #expect(GraphAxis.niceStep(0.3) == 0.5)
        #expect(GraphAxis.niceStep(7) == 10)
        #expect(GraphAxis.niceStep(1500) == 2000)
        #expect(GraphAxis.formatValue(2500, step: 500) == "2.5k")
        #expect(GraphAxis.formatValue(3_000_000, step: 1_000_000) == "3M")
        #expect(GraphAxis.formatValue(1.5e9, step: 5e8) == "1.5G")
        #expect(GraphAxis.formatValue(0.2, step: 0.1) == "0.2")
        #expect(GraphAxis.formatValue(-3, step: 1) == "-3")
        let axis = GraphAxis.valueTicks(minimum: 3, maximum: 97, count: 5)
        #expect(axis.lower == 0 && axis.upper == 100)
        #expect(axis.ticks.map(\.label) == ["0", "20", "40", "60", "80", "100"])
        // A flat series still gets a range.
        let flat = GraphAxis.valueTicks(minimum: 5, maximum: 5, count: 4)
        #expect(flat.lower < 5 && flat.upper > 5)
    }

    @Test func timeTicksAreRoundUTCTimes() {
        let day: Int64 = 86_400_000
        #expect(
            GraphAxis.timeTicks(start: 0, end: 2 * day, count: 8).map(\.label)
                == ["01-01 00:00", "01-01 12:00", "01-02 00:00", "01-02 12:00", "01-03 00:00"])
        // 2024-03-14 12:00 to 14:00 UTC.
        let start: Int64 = 1_710_417_600_000
        let hours = GraphAxis.timeTicks(start: start + 1, end: start + 2 * 3_600_000, count: 5).map(\.label)
        #expect(hours == ["12:30", "13:00", "13:30", "14:00"])
        // Weeks from the epoch (a Thursday, as 2024-03-14 is).
        let weeks = GraphAxis.timeTicks(start: start, end: start + 20 * day, count: 5).map(\.label)
        #expect(weeks == ["03-21", "03-28"])
    }
}
