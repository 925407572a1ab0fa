// SVGWriter: a `Drawing` as a standalone SVG 1.1 document, written by hand (no XML library),
// with every text escaped for XML.

/// Writes drawings as SVG.
package enum SVGWriter {
    /// The SVG document of `drawing`, UTF-8. Each series is one `<path class="series">` whose
    /// `d` has one `M` per run of points.
    package static func write(_ drawing: Drawing) -> [UInt8] {
        var out = ""
        out.reserveCapacity(16_384)
        out += #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        out += #"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\#(drawing.width)" height="\#(drawing.height)" "#
        out += #"viewBox="0 0 \#(drawing.width) \#(drawing.height)" font-family="monospace" font-size="10">"# + "\n"
        for shape in drawing.shapes {
            switch shape {
            case .rect(let x, let y, let width, let height, let fill):
                out += #"<rect x="\#(number(x))" y="\#(number(y))" width="\#(number(width))" height="\#(number(height))" fill="\#(fill.hex)"/>"#
            case .line(let from, let to, let colour):
                // Half-pixel positions make 1 px lines crisp, as the raster draws them.
                out += #"<line x1="\#(crisp(from.x))" y1="\#(crisp(from.y))" x2="\#(crisp(to.x))" y2="\#(crisp(to.y))" "#
                out += #"stroke="\#(colour.hex)" stroke-width="1"/>"#
            case .series(let runs, let colour):
                out += #"<path class="series" fill="none" stroke="\#(colour.hex)" stroke-width="1.5" "#
                out += #"stroke-linejoin="round" stroke-linecap="round" d=""#
                for run in runs {
                    for (i, p) in run.enumerated() {
                        out += i == 0 ? "M" : "L"
                        out += number(p.x) + " " + number(p.y)
                    }
                    if run.count == 1 { out += "h0" }  // a lone point: a dot (round caps)
                }
                out += #""/>"#
            case .text(let text, let x, let baseline, let anchor, let colour):
                out += #"<text x="\#(number(x))" y="\#(number(baseline))" text-anchor="\#(anchor.rawValue)" fill="\#(colour.hex)">"#
                out += escaped(text)
                out += "</text>"
            }
            out += "\n"
        }
        out += "</svg>\n"
        return Array(out.utf8)
    }

    /// `text` safe in XML 1.0 character data and attribute values: `&<>"'` escaped, characters
    /// XML does not allow (most controls, lone surrogates cannot occur in a String) replaced by U+FFFD.
    package static func escaped(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&apos;".unicodeScalars)
            case "\t", "\n", "\r": out.append(" ")
            default:
                let v = scalar.value
                let allowed = v >= 0x20 && v != 0xFFFE && v != 0xFFFF
                out.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return String(out)
    }

    /// A coordinate with at most one decimal: `12`, `12.5`.
    static func number(_ v: Double) -> String {
        let tenths = (v * 10).rounded()
        guard tenths.isFinite, abs(tenths) < 1e15 else { return "0" }
        let n = Int64(tenths)
        let sign = n < 0 ? "-" : ""
        let whole = abs(n) / 10
        let fraction = abs(n) % 10
        return sign + String(whole) + (fraction == 0 ? "" : "." + String(fraction))
    }

    /// A 1 px line's coordinate: the middle of its pixel.
    static func crisp(_ v: Double) -> String { number(v.rounded(.down) + 0.5) }
}
