// The web UI: `/` sends the browser to the expression browser; the UI's pages all answer the
// same page (it routes in the browser), and its script and stylesheet come from the binary.

internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

extension PrometheusAPI {
    /// The UI's pages, as Prometheus names them (`/graph` is Prometheus 2's name of `/query`).
    static let uiPages = ["/query", "/graph", "/targets", "/rules", "/alerts", "/tsdb-status", "/tenant"]

    func registerUI<Context: RequestContext>(on router: Router<Context>) {
        router.get("/") { _, _ in
            Response(status: .found, headers: [.location: "/query"])
        }
        for page in Self.uiPages {
            router.get(RouterPath(page)) { _, _ in Self.asset(UIAssets.indexHTML, "text/html; charset=utf-8", cache: false) }
        }
        router.get("/assets/app.js") { _, _ in Self.asset(UIAssets.appJS, "text/javascript; charset=utf-8", cache: true) }
        router.get("/assets/app.css") { _, _ in Self.asset(UIAssets.appCSS, "text/css; charset=utf-8", cache: true) }
    }

    /// One embedded file; scripts and styles may be cached briefly (a new binary may change them).
    private static func asset(_ bytes: [UInt8], _ contentType: String, cache: Bool) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        headers[.cacheControl] = cache ? "max-age=300" : "no-cache"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
