// Raster: a drawing painted into RGB pixels for PNG — rectangles, 1 px lines, series as 2 px
// Bresenham lines, and text in the 5×7 bitmap font.

/// An RGB image in memory, rows top down, 3 bytes a pixel.
package struct Raster: Sendable {
    package let width: Int
    package let height: Int
    /// `width * height * 3` bytes.
    package private(set) var pixels: [UInt8]

    /// A white image; the caller bounds the size (``PrometheusAPI/maxRenderPixels``).
    package init(width: Int, height: Int) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 255, count: width * height * 3)
    }

    /// `drawing` painted, shape after shape.
    package init(_ drawing: Drawing) {
        self.init(width: drawing.width, height: drawing.height)
        for shape in drawing.shapes {
            switch shape {
            case .rect(let x, let y, let width, let height, let fill):
                fillRect(x: Int(x.rounded()), y: Int(y.rounded()), width: Int(width.rounded()), height: Int(height.rounded()), fill)
            case .line(let from, let to, let colour):
                line(from, to, colour, brush: 1)
            case .series(let runs, let colour):
                for run in runs {
                    if run.count == 1 { line(run[0], run[0], colour, brush: 3) }
                    for i in run.indices.dropFirst() { line(run[i - 1], run[i], colour, brush: 2) }
                }
            case .text(let text, let x, let baseline, let anchor, let colour):
                self.text(text, x: x, baseline: baseline, anchor: anchor, colour)
            }
        }
    }

    /// The colour at (`x`, `y`).
    package func pixel(x: Int, y: Int) -> RGB {
        let i = (y * width + x) * 3
        return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// Sets one pixel; outside the image, nothing.
    mutating func set(_ x: Int, _ y: Int, _ c: RGB) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = (y * width + x) * 3
        pixels[i] = c.red
        pixels[i + 1] = c.green
        pixels[i + 2] = c.blue
    }

    mutating func fillRect(x: Int, y: Int, width w: Int, height h: Int, _ c: RGB) {
        let x0 = max(0, x)
        let y0 = max(0, y)
        let x1 = min(width, x + w)
        let y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for row in y0..<y1 {
            for col in x0..<x1 { set(col, row, c) }
        }
    }

    /// Bresenham's line from `a` to `b` (the pixels their coordinates fall in), each step
    /// painting a `brush`×`brush` square.
    mutating func line(_ a: Point, _ b: Point, _ c: RGB, brush: Int) {
        // Coordinates are clamped so that a wild value cannot make the loop long.
        func clamped(_ v: Double, _ limit: Int) -> Int { Int(min(max(v, -1), Double(limit)).rounded(.down)) }
        var x0 = clamped(a.x, width)
        var y0 = clamped(a.y, height)
        let x1 = clamped(b.x, width)
        let y1 = clamped(b.y, height)
        let dx = abs(x1 - x0)
        let dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1
        let sy = y0 < y1 ? 1 : -1
        var error = dx + dy
        let offset = (brush - 1) / 2
        while true {
            for by in 0..<brush {
                for bx in 0..<brush { set(x0 - offset + bx, y0 - offset + by, c) }
            }
            if x0 == x1 && y0 == y1 { break }
            let e2 = 2 * error
            if e2 >= dy {
                error += dy
                x0 += sx
            }
            if e2 <= dx {
                error += dx
                y0 += sy
            }
        }
    }

    /// One line of text in the bitmap font, one pixel of space between glyphs.
    mutating func text(_ text: String, x: Double, baseline: Double, anchor: TextAnchor, _ c: RGB) {
        let count = text.unicodeScalars.count
        let advance = Int(Drawing.characterWidth)
        let textWidth = count * advance - 1
        var left = Int(x.rounded())
        switch anchor {
        case .start: break
        case .middle: left -= textWidth / 2
        case .end: left -= textWidth
        }
        let top = Int(baseline.rounded()) - BitmapFont.glyphHeight
        for (i, scalar) in text.unicodeScalars.enumerated() {
            let glyphLeft = left + i * advance
            if glyphLeft >= width { break }
            for (row, bits) in BitmapFont.rows(scalar).enumerated() where bits != 0 {
                for col in 0..<BitmapFont.glyphWidth where bits & (0x10 >> col) != 0 {
                    set(glyphLeft + col, top + row, c)
                }
            }
        }
    }
}
