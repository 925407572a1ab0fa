// PrometheusAPI+Render: `GET|POST /api/v1/render`, a range query drawn as a line chart in SVG
// or PNG, for embedding in chats, alerts and reports (issue #12).
//
// Parameters are query_range's (`query`, `start`, `end`, `step`, `timeout`, `lookback_delta`,
// `limit`), parsed and checked by the same code with the same error texts, and the query runs
// through the same gate, engine and limits; `step` may be left out (about 250 points, at least
// 1 s). Then `format` (`svg`, the default, or `png`), `width` (100–4000, default 800), `height`
// (60–2000, default 300; at most 4,000,000 pixels in all), `title` and `stacked` (a Go bool).
//
// A scalar query draws as one line (the range result of a scalar is one series without labels,
// as query_range answers it), labelled with the query; string and range-vector queries get
// query_range's 400. Errors are the API's JSON. Render requests always run on the pool, never in
// place on the event loop as quick query_range requests may: drawing is CPU work of its own.

internal import Hummingbird
internal import HTTPTypes
internal import NIOCore
internal import MetricModel
internal import PromQL

extension PrometheusAPI {
    /// Accepted `width`s, pixels.
    static let renderWidths = 100...4000
    /// Accepted `height`s, pixels.
    static let renderHeights = 60...2000
    /// Most pixels of one image (`width` × `height`): about 12 MB of raster.
    package static let maxRenderPixels = 4_000_000
    /// Points per series when the request gives no `step`.
    static let renderPoints: Int64 = 250

    /// The image format of `/api/v1/render`.
    enum RenderFormat: String {
        case svg, png

        var contentType: String { self == .svg ? "image/svg+xml" : "image/png" }
    }

    func registerRender<Context: RequestContext>(on router: Router<Context>) {
        route(router, "/api/v1/render", [.get, .post]) { request, context in await render(request, context) }
    }

    /// Checks the parameters, evaluates the range query once the query gate admits it, and draws
    /// the result off the event loop.
    func render<Context: RequestContext>(_ request: Request, _ context: Context) async -> Response {
        let origin = queryLogger.isEnabled ? Self.origin(request, context) : nil
        let params: FormParameters
        do { params = try await formParameters(request) } catch { return Self.error(error) }
        do throws(APIError) {
            let range = try rangeParameters(params, defaultStep: Self.defaultRenderStep)
            let (options, format) = try Self.graphParameters(params)
            let image = try await evaluateAdmitted(params, recording: nil) { api throws(APIError) -> [UInt8]? in
                guard let evaluated = try api.evaluateRange(params, range, inlineBudget: nil, origin: origin) else { return nil }
                return Self.image(evaluated, range, options, format, query: params["query"] ?? "")
            }
            return Response(
                status: .ok, headers: [.contentType: format.contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: image)))
        } catch {
            return Self.error(error)
        }
    }

    /// The step of a render request without one: `span` over ``renderPoints``, rounded up to
    /// whole seconds, at least 1 s (so at most 11,000 points whatever the span).
    static func defaultRenderStep(span: Int64) -> Int64 {
        let perPoint = span / renderPoints
        return max(1000, (perPoint + 999) / 1000 * 1000)
    }

    /// `format`, `width`, `height`, `title` and `stacked`.
    ///
    /// - Throws: 400 `bad_data` naming the parameter.
    static func graphParameters(_ params: FormParameters) throws(APIError) -> (GraphOptions, RenderFormat) {
        var options = GraphOptions()
        let format: RenderFormat
        switch params["format"] ?? "" {
        case "", "svg": format = .svg
        case "png": format = .png
        default: throw APIError(.badData, "invalid parameter \"format\": must be \"svg\" or \"png\"")
        }
        options.width = try sizeParameter(params, "width", renderWidths, default: options.width)
        options.height = try sizeParameter(params, "height", renderHeights, default: options.height)
        if options.width * options.height > maxRenderPixels {
            throw APIError(.badData, "invalid parameter \"width\": width x height must be at most \(maxRenderPixels) pixels")
        }
        if let title = params["title"], !title.isEmpty { options.title = title }
        switch params["stacked"] ?? "" {
        case "", "0", "f", "F", "false", "FALSE", "False": options.stacked = false
        case "1", "t", "T", "true", "TRUE", "True": options.stacked = true
        case let other: throw APIError(.badData, "invalid parameter \"stacked\": cannot parse \"\(other)\" as a boolean")
        }
        return (options, format)
    }

    private static func sizeParameter(
        _ params: FormParameters, _ name: String, _ bounds: ClosedRange<Int>, default value: Int
    ) throws(APIError) -> Int {
        guard let raw = params[name], !raw.isEmpty else { return value }
        guard let n = Int(raw), bounds.contains(n) else {
            throw APIError(
                .badData, "invalid parameter \"\(name)\": must be an integer from \(bounds.lowerBound) to \(bounds.upperBound)")
        }
        return n
    }

    /// The chart of an evaluated range query (its series cut to `limit`, as query_range does).
    static func image(
        _ evaluated: RangeEvaluation, _ range: QueryRange, _ options: GraphOptions, _ format: RenderFormat, query: String
    ) -> [UInt8] {
        var series: [MatrixSeries] = []
        if case .matrix(let matrix) = evaluated.result.value { series = matrix }
        if evaluated.limit > 0 && series.count > evaluated.limit { series.removeLast(series.count - evaluated.limit) }
        let drawing = GraphRenderer(options: options)
            .draw(series, start: range.start, end: range.end, step: range.step, emptyLabel: query)
        switch format {
        case .svg: return SVGWriter.write(drawing)
        case .png: return PNGEncoder.encode(Raster(drawing))
        }
    }
}
