// Drawing: a chart as a list of shapes in pixel coordinates. The graph renderer builds it once;
// the SVG writer writes it as text and the raster draws it for PNG, so both show the same chart.

/// An sRGB colour, 8 bits a channel.
package struct RGB: Equatable, Sendable {
    package var red: UInt8
    package var green: UInt8
    package var blue: UInt8

    package init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// `#1f77b4`
    package var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [UInt8(ascii: "#")]
        for c in [red, green, blue] {
            out.append(digits[Int(c >> 4)])
            out.append(digits[Int(c & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let white = RGB(255, 255, 255)
    static let text = RGB(51, 51, 51)
    static let axis = RGB(136, 136, 136)
    static let grid = RGB(229, 229, 229)

    /// Series colours in order, repeating past the tenth series (the "category10" palette).
    package static let palette: [RGB] = [
        RGB(0x1f, 0x77, 0xb4), RGB(0xff, 0x7f, 0x0e), RGB(0x2c, 0xa0, 0x2c), RGB(0xd6, 0x27, 0x28),
        RGB(0x94, 0x67, 0xbd), RGB(0x8c, 0x56, 0x4b), RGB(0xe3, 0x77, 0xc2), RGB(0x7f, 0x7f, 0x7f),
        RGB(0xbc, 0xbd, 0x22), RGB(0x17, 0xbe, 0xcf),
    ]
}

/// A point in pixels, origin at the top left.
package struct Point: Equatable, Sendable {
    package var x: Double
    package var y: Double

    package init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// Where a text's `x` is: its left end, its middle or its right end.
package enum TextAnchor: String, Sendable {
    case start, middle, end
}

/// A chart as shapes, painted in order over a white background.
package struct Drawing: Sendable {
    package enum Shape: Sendable {
        /// A filled rectangle.
        case rect(x: Double, y: Double, width: Double, height: Double, fill: RGB)
        /// A straight line of 1 px (grid lines, axes, ticks).
        case line(from: Point, to: Point, colour: RGB)
        /// A series: polylines, one per run of consecutive points (a gap starts a new one).
        case series(runs: [[Point]], colour: RGB)
        /// One line of text; `baseline` is the y of the bottom of capital letters.
        case text(String, x: Double, baseline: Double, anchor: TextAnchor, colour: RGB)
    }

    package var width: Int
    package var height: Int
    package var shapes: [Shape] = []

    package init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Width of one character of text in pixels: the bitmap font's advance, and about what a
    /// 10 px monospace font takes in SVG.
    package static let characterWidth = 6.0
    /// Height of a capital letter in pixels.
    package static let capitalHeight = 7.0
    /// Distance between two lines of text in pixels.
    package static let lineHeight = 12.0
}
