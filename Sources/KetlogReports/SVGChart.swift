import Foundation

/// Inline SVG for a `DocumentChart`: no scripts, no external references, no namespace URL
/// (inline SVG in HTML5 needs none), so the page stays self-contained.
enum SVGChart {
    static let width = 640.0
    static let height = 220.0
    static let left = 44.0
    static let right = 12.0
    static let top = 12.0
    /// Room under the plot: bar labels and legend; day ticks and the axis title; and for steps a legend too.
    static func bottom(_ kind: DocumentChart.Kind) -> Double {
        switch kind {
        case .bars: 36
        case .lines: 44
        case .steps: 58
        }
    }
    /// Series colours, readable in greyscale print as well (different lightness).
    static let palette = ["#1f4e79", "#c55a11", "#548235", "#7030a0"]
    /// Step-curve dash patterns: every other curve dashed, and each further four curves (a
    /// `--by` with many groups) in other patterns, so no two of the first twelve look alike.
    static let dashes = ["", "6 3", "2 2", "8 3 2 3", "1 3", "10 4"]
    /// A legend row holds this many series; more wrap onto further rows under the plot.
    static let legendPerRow = 4
    static let legendRowHeight = 14.0

    static func render(_ chart: DocumentChart) -> String {
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom(chart.kind)
        let yMax = chart.yMax > 0 ? chart.yMax : 1
        func y(_ value: Double) -> Double { top + plotHeight * (1 - min(max(value, 0), yMax) / yMax) }
        // Step charts grow a legend row for every four series after the first four.
        var svgHeight = height
        if case .steps = chart.kind {
            svgHeight += legendRowHeight * Double(max(0, (chart.series.count - 1) / legendPerRow))
        }
        var parts = ["<svg class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(svgHeight))\" role=\"img\" aria-label=\"\(HTMLRenderer.escape(chart.title))\">"]
        for tick in [0, yMax / 2, yMax] {
            parts.append("<line class=\"grid\" x1=\"\(n(left))\" y1=\"\(n(y(tick)))\" x2=\"\(n(width - right))\" y2=\"\(n(y(tick)))\"/>")
            parts.append("<text class=\"tick\" x=\"\(n(left - 6))\" y=\"\(n(y(tick) + 4))\" text-anchor=\"end\">\(ReportNumber.trimmed(tick))</text>")
        }
        switch chart.kind {
        case .lines(let markers, let xLabel):
            let xs = chart.series.flatMap { $0.points.map(\.x) } + markers
            let minX = xs.min() ?? 0
            let span = max((xs.max() ?? 0) - minX, 1)
            func x(_ value: Double) -> Double { left + plotWidth * (value - minX) / span }
            parts += xAxis(ticks: dayTicks(from: minX, to: minX + span), x: x, plotBottom: top + plotHeight,
                           label: "\(xLabel) · dashed: infusions")
            for marker in markers {
                parts.append("<line class=\"marker\" x1=\"\(n(x(marker)))\" y1=\"\(n(top))\" x2=\"\(n(x(marker)))\" y2=\"\(n(top + plotHeight))\"><title>infusion, day \(ReportNumber.trimmed(marker))</title></line>")
            }
            for (i, series) in chart.series.enumerated() {
                let colour = palette[i % palette.count]
                let points = series.points.map { "\(n(x($0.x))),\(n(y($0.y)))" }.joined(separator: " ")
                parts.append("<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points)\"/>")
                for point in series.points {
                    parts.append("<circle cx=\"\(n(x(point.x)))\" cy=\"\(n(y(point.y)))\" r=\"3\" fill=\"\(colour)\"><title>day \(ReportNumber.trimmed(point.x)): \(ReportNumber.trimmed(point.y))</title></circle>")
                }
            }
        case .steps(let xMax, let xLabel):
            let span = max(xMax, 1)
            func x(_ value: Double) -> Double { left + plotWidth * min(max(value, 0), span) / span }
            parts += xAxis(ticks: dayTicks(from: 0, to: span), x: x, plotBottom: top + plotHeight, label: xLabel)
            for (i, series) in chart.series.enumerated() {
                let colour = palette[i % palette.count]
                var path = "M\(n(x(0))),\(n(y(yMax)))"
                var level = yMax
                for point in series.points.sorted(by: { $0.x < $1.x }) {
                    path += " H\(n(x(point.x))) V\(n(y(point.y)))"
                    level = point.y
                }
                path += " H\(n(x(span)))"
                // Every other curve dashed, so overlapping steps and greyscale prints stay apart.
                let pattern = dashes[((i / palette.count) * 2 + i % 2) % dashes.count]
                let dash = pattern.isEmpty ? "" : " stroke-dasharray=\"\(pattern)\""
                parts.append("<path fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash) d=\"\(path)\"><title>\(HTMLRenderer.escape(series.name)): \(ReportNumber.fixed(level, digits: 2)) at day \(ReportNumber.trimmed(span))</title></path>")
                let legendX = left + 150 * Double(i % legendPerRow)
                let legendY = height + legendRowHeight * Double(i / legendPerRow)
                parts.append("<line x1=\"\(n(legendX))\" y1=\"\(n(legendY - 7))\" x2=\"\(n(legendX + 18))\" y2=\"\(n(legendY - 7))\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash)/>")
                parts.append("<text class=\"tick\" x=\"\(n(legendX + 22))\" y=\"\(n(legendY - 3))\">\(HTMLRenderer.escape(series.name))</text>")
            }
        case .bars(let categories):
            let slot = plotWidth / Double(max(categories.count, 1))
            let barWidth = slot * 0.8 / Double(max(chart.series.count, 1))
            for (c, category) in categories.enumerated() {
                for (s, series) in chart.series.enumerated() {
                    guard let value = series.points.first(where: { Int($0.x) == c })?.y else { continue }
                    let x0 = left + slot * Double(c) + slot * 0.1 + barWidth * Double(s)
                    parts.append("<rect x=\"\(n(x0))\" y=\"\(n(y(value)))\" width=\"\(n(barWidth))\" height=\"\(n(top + plotHeight - y(value)))\" fill=\"\(palette[s % palette.count])\"><title>\(HTMLRenderer.escape(category)) \(HTMLRenderer.escape(series.name)): \(ReportNumber.fixed(value, digits: 1))</title></rect>")
                    parts.append("<text class=\"tick\" x=\"\(n(x0 + barWidth / 2))\" y=\"\(n(y(value) - 3))\" text-anchor=\"middle\">\(ReportNumber.fixed(value, digits: 1))</text>")
                }
                parts.append("<text class=\"tick\" x=\"\(n(left + slot * (Double(c) + 0.5)))\" y=\"\(n(height - 18))\" text-anchor=\"middle\">\(HTMLRenderer.escape(category))</text>")
            }
            for (s, series) in chart.series.enumerated() {
                let x0 = left + 120 * Double(s)
                parts.append("<rect x=\"\(n(x0))\" y=\"\(n(height - 12))\" width=\"10\" height=\"10\" fill=\"\(palette[s % palette.count])\"/>")
                parts.append("<text class=\"tick\" x=\"\(n(x0 + 14))\" y=\"\(n(height - 3))\">\(HTMLRenderer.escape(series.name))</text>")
            }
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// Day ticks at a regular step (1, 2, 7, 14, 28, … days) chosen for at most 9 labels over
    /// [from, to], always including a multiple of the step at or after `from`.
    static func dayTicks(from: Double, to: Double) -> [Double] {
        let span = max(to - from, 1)
        let steps: [Double] = [1, 2, 7, 14, 28, 56, 91, 182, 364, 728, 1456, 3640]
        let step = steps.first { span / $0 <= 8 } ?? (span / 8).rounded(.up)
        let first = (from / step).rounded(.up) * step
        return Array(stride(from: first, through: to + 1e-9, by: step))
    }

    /// Tick marks and labels under the plot at each tick, and the axis title below them.
    private static func xAxis(ticks: [Double], x: (Double) -> Double, plotBottom: Double, label: String) -> [String] {
        ticks.flatMap { tick -> [String] in
            ["<line class=\"grid\" x1=\"\(n(x(tick)))\" y1=\"\(n(plotBottom))\" x2=\"\(n(x(tick)))\" y2=\"\(n(plotBottom + 4))\"/>",
             "<text class=\"tick\" x=\"\(n(x(tick)))\" y=\"\(n(plotBottom + 16))\" text-anchor=\"middle\">\(ReportNumber.trimmed(tick))</text>"]
        } + ["<text class=\"tick\" x=\"\(n(left + (width - left - right) / 2))\" y=\"\(n(plotBottom + 30))\" text-anchor=\"middle\">\(HTMLRenderer.escape(label))</text>"]
    }

    /// A calendar heat map: one row per 7 days labelled with its first date and day number, one
    /// column per day, each cell coloured and marked with the text glyph (so it prints in grey).
    static func heatMap(_ calendar: DocumentCalendar) -> String {
        let cell = 34.0, gap = 3.0, labelWidth = 150.0, headerHeight = 20.0, legendHeight = 30.0
        let weeks = calendar.weeks
        let svgWidth = labelWidth + 7 * (cell + gap)
        let svgHeight = headerHeight + Double(weeks.count) * (cell + gap) + legendHeight
        func fill(_ mark: DocumentCalendar.Mark) -> (fill: String, text: String) {
            switch mark {
            case .use: ("#c62828", "#fff")
            case .positiveScreen: ("#6a1b1b", "#fff")
            case .abstinent: ("#a5d6a7", "#1b5e20")
            case .missing: ("#fff", "#333")
            }
        }
        func square(x: Double, y: Double, _ mark: DocumentCalendar.Mark, title: String) -> [String] {
            let colours = fill(mark)
            return ["<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(cell))\" height=\"\(n(cell))\" fill=\"\(colours.fill)\" stroke=\"#777\"><title>\(HTMLRenderer.escape(title))</title></rect>",
                    "<text x=\"\(n(x + cell / 2))\" y=\"\(n(y + cell / 2 + 5))\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\" fill=\"\(colours.text)\">\(HTMLRenderer.escape(String(mark.rawValue)))</text>"]
        }
        // Drawn at its own size (not stretched to the page like the line charts): cells stay square-ish and small.
        var parts = ["<svg class=\"chart\" style=\"max-width:\(n(svgWidth))px\" viewBox=\"0 0 \(n(svgWidth)) \(n(svgHeight))\" role=\"img\" aria-label=\"\(HTMLRenderer.escape(calendar.title))\">"]
        for (column, weekday) in calendar.columnWeekdays.enumerated() {
            parts.append("<text class=\"tick\" x=\"\(n(labelWidth + Double(column) * (cell + gap) + cell / 2))\" y=\"14\" text-anchor=\"middle\">\(weekday)</text>")
        }
        for (row, week) in weeks.enumerated() {
            let y = headerHeight + Double(row) * (cell + gap)
            parts.append("<text class=\"tick\" x=\"\(n(labelWidth - 8))\" y=\"\(n(y + cell / 2 + 4))\" text-anchor=\"end\">\(week.date) (day \(week.day))</text>")
            for (column, mark) in week.marks.enumerated() {
                let date = week.date.adding(days: column)
                parts += square(x: labelWidth + Double(column) * (cell + gap), y: y, mark,
                                title: "\(date), day \(week.day + column): \(mark.meaning)")
            }
        }
        let legendY = svgHeight - legendHeight + 8
        for (i, mark) in [DocumentCalendar.Mark.use, .abstinent, .missing, .positiveScreen].enumerated() {
            let x = Double(i) * 100
            let colours = fill(mark)
            parts.append("<rect x=\"\(n(x))\" y=\"\(n(legendY))\" width=\"16\" height=\"16\" fill=\"\(colours.fill)\" stroke=\"#777\"/>")
            parts.append("<text x=\"\(n(x + 8))\" y=\"\(n(legendY + 12))\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"bold\" fill=\"\(colours.text)\">\(HTMLRenderer.escape(String(mark.rawValue)))</text>")
            parts.append("<text class=\"tick\" x=\"\(n(x + 20))\" y=\"\(n(legendY + 12))\">\(HTMLRenderer.escape(mark.meaning))</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// Coordinates with at most one decimal, so the SVG text is stable and compact.
    private static func n(_ value: Double) -> String { ReportNumber.trimmed((value * 10).rounded() / 10) }
}
