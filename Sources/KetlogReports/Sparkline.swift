/// Unicode block sparklines (`▁▂▃▄▅▆▇█`) and bars for terminals and Markdown.
enum Sparkline {
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One block per value, scaled to 0...`maximum` (values outside are clamped); at most `width`
    /// blocks, keeping the most recent values.
    static func line(_ values: [Double], maximum: Double, width: Int) -> String {
        String(values.suffix(max(0, width)).map { value -> Character in
            guard maximum > 0, value.isFinite else { return levels[0] }
            let scaled = Int((min(max(value, 0), maximum) / maximum * Double(levels.count - 1)).rounded())
            return levels[scaled]
        })
    }

    /// A horizontal bar of full blocks, `width` blocks for `maximum`.
    static func bar(_ value: Double, maximum: Double, width: Int) -> String {
        guard maximum > 0, value.isFinite, value > 0 else { return "" }
        return String(repeating: "█", count: Int((min(value, maximum) / maximum * Double(width)).rounded()))
    }

    /// The chart as plain lines (no indentation, each at most `width` columns).
    static func lines(for chart: DocumentChart, width: Int) -> [String] {
        var out = [chart.title + ":"]
        switch chart.kind {
        case .lines:
            let nameWidth = chart.series.map(\.name.count).max() ?? 0
            for series in chart.series {
                let values = series.points.map(\.y)
                let ends = values.first.map { first in
                    " " + ReportNumber.fixed(first, digits: 1) + " -> " + ReportNumber.fixed(values.last ?? first, digits: 1)
                } ?? ""
                let room = width - nameWidth - 2 - ends.count
                out.append(pad(series.name, nameWidth) + "  " + line(values, maximum: chart.yMax, width: room) + ends)
            }
        case .steps(let xMax, _):
            // One block per day 0…xMax: survival falls at each point and stays until the next.
            let nameWidth = chart.series.map(\.name.count).max() ?? 0
            for series in chart.series {
                let values = (0...max(0, Int(xMax))).map { day in series.points.last { $0.x <= Double(day) }?.y ?? chart.yMax }
                let end = " " + ReportNumber.fixed(values.last ?? chart.yMax, digits: 2) + " at day \(Int(xMax))"
                let room = max(1, width - nameWidth - 2 - end.count)
                // A long window is sampled evenly so the line still starts at day 0.
                let shown = values.count <= room ? values
                    : (0..<room).map { values[$0 * (values.count - 1) / max(1, room - 1)] }
                out.append(pad(series.name, nameWidth) + "  " + line(shown, maximum: chart.yMax, width: room) + end)
            }
        case .bars(let categories):
            let labels = categories.flatMap { category in chart.series.map { "\(category) \($0.name)" } }
            let labelWidth = min(labels.map(\.count).max() ?? 0, width / 2)
            let barWidth = width - labelWidth - 8
            for (i, category) in categories.enumerated() {
                for series in chart.series {
                    let value = series.points.first { Int($0.x) == i }?.y
                    let label = String("\(category) \(series.name)".prefix(labelWidth))
                    let drawn = value.map { Sparkline.bar($0, maximum: chart.yMax, width: barWidth) } ?? ""
                    out.append(pad(label, labelWidth) + "  " + drawn + " " + ReportNumber.fixed(value, digits: 1))
                }
            }
        }
        return out
    }

    /// Left-aligned padding to `width` characters.
    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
