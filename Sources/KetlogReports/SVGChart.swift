import Foundation

/// Inline SVG for a `DocumentChart`: no scripts, no external references, no namespace URL
/// (inline SVG in HTML5 needs none), so the page stays self-contained.
enum SVGChart {
    static let width = 640.0
    static let height = 220.0
    static let left = 44.0
    static let right = 12.0
    static let top = 12.0
    static let bottom = 36.0
    /// Series colours, readable in greyscale print as well (different lightness).
    static let palette = ["#1f4e79", "#c55a11", "#548235", "#7030a0"]

    static func render(_ chart: DocumentChart) -> String {
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let yMax = chart.yMax > 0 ? chart.yMax : 1
        func y(_ value: Double) -> Double { top + plotHeight * (1 - min(max(value, 0), yMax) / yMax) }
        var parts = ["<svg class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(HTMLRenderer.escape(chart.title))\">"]
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
            parts.append("<text class=\"tick\" x=\"\(n(left))\" y=\"\(n(height - 6))\">day \(ReportNumber.trimmed(minX))</text>")
            parts.append("<text class=\"tick\" x=\"\(n(width - right))\" y=\"\(n(height - 6))\" text-anchor=\"end\">day \(ReportNumber.trimmed(minX + span)) · \(HTMLRenderer.escape(xLabel)) · dashed: infusions</text>")
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

    /// Coordinates with at most one decimal, so the SVG text is stable and compact.
    private static func n(_ value: Double) -> String { ReportNumber.trimmed((value * 10).rounded() / 10) }
}
