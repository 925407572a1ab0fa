// GraphRenderer: a range query's result as a line chart — layout, axes, series lines with gaps,
// legend — built as a `Drawing` that the SVG writer and the PNG raster both paint.

package import MetricModel
package import PromQL

/// How a graph looks: its size in pixels, an optional title, and whether series are stacked.
package struct GraphOptions: Equatable, Sendable {
    package var width = 800
    package var height = 300
    package var title: String?
    /// Each series drawn on top of the ones before it (their sum at every step); a series without
    /// a point at a step leaves a gap in its own line and adds nothing there.
    package var stacked = false

    package init(width: Int = 800, height: Int = 300, title: String? = nil, stacked: Bool = false) {
        self.width = width
        self.height = height
        self.title = title
        self.stacked = stacked
    }
}

/// Builds the drawing of a range query's result.
///
/// ```swift
/// let drawing = GraphRenderer(options: GraphOptions(width: 800, height: 300))
///     .draw(series, start: start, end: end, step: step, emptyLabel: "up")
/// ```
package struct GraphRenderer {
    package var options: GraphOptions
    /// Most legend entries; the rest are summed up as "+ K more".
    package static let maxLegendEntries = 10
    /// Most series drawn: a legend line "+ K more" stands for the rest, which are not drawn
    /// (the SVG and the work stay bounded whatever the query returns).
    package static let maxSeriesDrawn = 500

    package init(options: GraphOptions) {
        self.options = options
    }

    /// The chart of `series`, evaluated from `start` to `end` every `step` ms.
    ///
    /// - Parameter emptyLabel: the legend text of a series without labels (a scalar or an
    ///   aggregation over everything): the query.
    package func draw(_ series: [MatrixSeries], start: Timestamp, end: Timestamp, step: Int64, emptyLabel: String) -> Drawing {
        let width = Double(options.width)
        let height = Double(options.height)
        var drawing = Drawing(width: options.width, height: options.height)
        drawing.shapes.append(.rect(x: 0, y: 0, width: width, height: height, fill: .white))

        let drawn = Array(series.prefix(Self.maxSeriesDrawn))
        let steps = Int((end - start) / step) + 1
        var values = drawn.map { Self.values(of: $0, start: start, step: step, count: steps) }
        if options.stacked { Self.stack(&values) }

        // Vertical layout: title, plot, time labels, legend.
        let pad = 8.0
        var top = pad
        if let title = options.title, !title.isEmpty {
            drawing.shapes.append(
                .text(
                    Self.truncated(title, toWidth: width - 2 * pad), x: width / 2, baseline: top + Drawing.capitalHeight,
                    anchor: .middle, colour: .text))
            top += Drawing.capitalHeight + 8
        }
        top += Drawing.capitalHeight / 2  // room for the top tick's label
        let timeLabels = Drawing.lineHeight + 6
        let minimumPlot = 40.0
        // The legend takes at most 40 % of the height, and leaves the plot at least `minimumPlot`.
        let legendRoom = min(height * 0.4, height - top - timeLabels - minimumPlot - pad)
        let legendFits = max(0, min(Self.maxLegendEntries, Int(legendRoom / Drawing.lineHeight)))
        // All entries when they fit, else one line fewer and "+ K more".
        let legendLines = min(series.count, legendFits)
        let entries = series.count <= legendFits ? series.count : max(0, legendFits - 1)
        let legendHeight = legendLines > 0 ? Double(legendLines) * Drawing.lineHeight + 4 : 0
        let plotBottom = height - pad - legendHeight - timeLabels
        let plotHeight = max(1, plotBottom - top)

        // The value axis decides the left margin (its widest label).
        var low = Double.infinity
        var high = -Double.infinity
        for row in values {
            for v in row where v.isFinite {
                low = min(low, v)
                high = max(high, v)
            }
        }
        let hasData = low <= high
        let axis = GraphAxis.valueTicks(
            minimum: hasData ? low : 0, maximum: hasData ? high : 1, count: max(2, Int(plotHeight / 40)))
        let labelWidth = axis.ticks.map { Double($0.label.unicodeScalars.count) * Drawing.characterWidth }.max() ?? 0
        let plotLeft = pad + (hasData ? labelWidth + 6 : 0)
        let plotRight = width - pad - 4
        let plotWidth = max(1, plotRight - plotLeft)

        func x(_ t: Double) -> Double {
            end == start ? plotLeft + plotWidth / 2 : plotLeft + (t - Double(start)) / Double(end - start) * plotWidth
        }
        func y(_ v: Double) -> Double {
            plotBottom - (v - axis.lower) / (axis.upper - axis.lower) * plotHeight
        }

        // Grid and axis labels.
        if hasData {
            for tick in axis.ticks {
                let ty = y(tick.position)
                drawing.shapes.append(.line(from: Point(plotLeft, ty), to: Point(plotRight, ty), colour: .grid))
                drawing.shapes.append(
                    .text(tick.label, x: plotLeft - 4, baseline: ty + Drawing.capitalHeight / 2, anchor: .end, colour: .text))
            }
        }
        let maxLabel = 11.0 * Drawing.characterWidth + 24
        for tick in GraphAxis.timeTicks(start: start, end: end, count: max(1, Int(plotWidth / maxLabel))) {
            let tx = x(tick.position)
            drawing.shapes.append(.line(from: Point(tx, top), to: Point(tx, plotBottom), colour: .grid))
            drawing.shapes.append(.line(from: Point(tx, plotBottom), to: Point(tx, plotBottom + 4), colour: .axis))
            // A label at either end is moved in so that it stays whole.
            let half = Double(tick.label.unicodeScalars.count) * Drawing.characterWidth / 2
            let labelX = min(max(tx, half + 3), width - half - 3)
            drawing.shapes.append(
                .text(tick.label, x: labelX, baseline: plotBottom + 6 + Drawing.capitalHeight, anchor: .middle, colour: .text))
        }
        drawing.shapes.append(.line(from: Point(plotLeft, top), to: Point(plotLeft, plotBottom), colour: .axis))
        drawing.shapes.append(.line(from: Point(plotLeft, plotBottom), to: Point(plotRight, plotBottom), colour: .axis))

        // Series.
        if !hasData {
            drawing.shapes.append(
                .text("no data", x: plotLeft + plotWidth / 2, baseline: top + plotHeight / 2 + 3, anchor: .middle, colour: .axis))
        }
        for (index, row) in values.enumerated() {
            var runs: [[Point]] = []
            var run: [Point] = []
            for (i, v) in row.enumerated() {
                if v.isFinite {
                    run.append(Point(x(Double(start) + Double(i) * Double(step)), y(v)))
                } else if !run.isEmpty {
                    runs.append(run)
                    run = []
                }
            }
            if !run.isEmpty { runs.append(run) }
            if !runs.isEmpty { drawing.shapes.append(.series(runs: runs, colour: Self.colour(index))) }
        }

        // Legend.
        var lineY = plotBottom + timeLabels + 4
        let textWidth = width - 2 * pad - 14
        for index in 0..<entries {
            let labels = series[index].labels
            let text = labels.isEmpty ? emptyLabel : Self.legendText(labels)
            drawing.shapes.append(
                .rect(x: pad, y: lineY + 1, width: 8, height: 8, fill: Self.colour(index)))
            drawing.shapes.append(
                .text(Self.truncated(text, toWidth: textWidth), x: pad + 14, baseline: lineY + 8, anchor: .start, colour: .text))
            lineY += Drawing.lineHeight
        }
        if legendLines > 0 && entries < series.count {
            drawing.shapes.append(
                .text("+ \(series.count - entries) more", x: pad + 14, baseline: lineY + 8, anchor: .start, colour: .text))
        }
        return drawing
    }

    /// The colour of the series at `index`.
    package static func colour(_ index: Int) -> RGB { RGB.palette[index % RGB.palette.count] }

    /// The series' values at each step (NaN where it has no point, and for NaN and ±Inf).
    static func values(of series: MatrixSeries, start: Timestamp, step: Int64, count: Int) -> [Double] {
        var row = [Double](repeating: .nan, count: count)
        for sample in series.samples where sample.timestamp >= start {
            let offset = sample.timestamp - start
            guard offset % step == 0 else { continue }
            let i = Int(offset / step)
            if i < count && sample.value.isFinite { row[i] = sample.value }
        }
        return row
    }

    /// Replaces each series' values by the sum of its and all earlier series' at each step.
    static func stack(_ values: inout [[Double]]) {
        guard var sum = values.first.map({ [Double](repeating: 0, count: $0.count) }) else { return }
        for s in values.indices {
            for i in values[s].indices where values[s][i].isFinite {
                sum[i] += values[s][i]
                values[s][i] = sum[i]
            }
        }
    }

    /// `up{instance="a:9100", job="node"}` as Prometheus's UI writes a series.
    static func legendText(_ labels: Labels) -> String {
        var name = ""
        var pairs: [String] = []
        labels.forEach { key, value in
            if key == Labels.metricNameLabel {
                name = value
            } else {
                pairs.append("\(key)=\"\(value)\"")
            }
        }
        return pairs.isEmpty && !name.isEmpty ? name : name + "{" + pairs.joined(separator: ", ") + "}"
    }

    /// `text` cut to fit `width` pixels, ending in `...` when cut.
    static func truncated(_ text: String, toWidth width: Double) -> String {
        let fits = max(4, Int(width / Drawing.characterWidth))
        let scalars = text.unicodeScalars
        guard scalars.count > fits else { return text }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars.prefix(fits - 3))
        return String(out) + "..."
    }
}
