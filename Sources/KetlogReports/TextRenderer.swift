/// `--format text`: plain lines of at most 80 columns, sparklines for charts, ANSI colour only
/// when `colour` is true (the CLI decides: stdout is a terminal and `NO_COLOR` is unset).
public struct TextRenderer: ReportRenderer {
    /// The maximum line width in columns (colour escapes do not count).
    public static let width = 80
    public var colour: Bool

    public init(colour: Bool = false) {
        self.colour = colour
    }

    public func render(_ report: some RenderableReport) -> String {
        render(document: report.document)
    }

    func render(document: ReportDocument) -> String {
        let width = TextRenderer.width
        var out = TextRenderer.wrap(document.title, width: width).map { paint($0, .bold) }
        out.append(String(repeating: "=", count: min(width, document.title.count)))
        for section in document.sections {
            out.append("")
            let heading = TextRenderer.wrap(section.heading, width: width)
            out += heading.map { paint($0, .bold) }
            out.append(String(repeating: "-", count: heading.map(\.count).max() ?? 0))
            for block in section.blocks { out += lines(for: block) }
        }
        out.append("")
        out += TextRenderer.wrap(document.auditLine, width: width).map { paint($0, document.audit.verified ? .green : .red) }
        return out.joined(separator: "\n") + "\n"
    }

    private func lines(for block: DocumentBlock) -> [String] {
        let indent = "  "
        let room = TextRenderer.width - indent.count
        switch block {
        case .facts(let facts):
            let labelWidth = min(facts.map(\.label.count).max() ?? 0, room / 2)
            return facts.flatMap { fact -> [String] in
                let label = Sparkline.pad(String(fact.label.prefix(labelWidth)), labelWidth) + "  "
                let values = TextRenderer.wrap(fact.value, width: room - label.count)
                return values.enumerated().map { i, value in
                    indent + (i == 0 ? label : String(repeating: " ", count: label.count)) + paint(value, tone(fact.tone))
                }
            }
        case .note(let text):
            return TextRenderer.wrap(text, width: room).map { indent + $0 }
        case .chart(let chart):
            return Sparkline.lines(for: chart, width: room).map { indent + $0 }
        case .table(let table):
            return tableLines(table, width: room).map { indent + $0 }
        case .calendar(let calendar):
            // Title and legend wrap; the rows (at most 44 columns) keep their spacing, blanks included.
            let lines = calendar.textLines
            return (lines.prefix(2).flatMap { TextRenderer.wrap($0, width: room) } + lines.dropFirst(2)).map { indent + $0 }
        }
    }

    /// Columns padded to their widest cell, narrowed (widest first, with "…") until the row fits.
    private func tableLines(_ table: DocumentTable, width: Int) -> [String] {
        let gap = 2
        var widths = table.headers.indices.map { column in
            ([table.headers[column]] + table.rows.map { column < $0.count ? $0[column] : "" }).map(\.count).max() ?? 0
        }
        while widths.reduce(0, +) + gap * max(0, widths.count - 1) > width,
              let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 4 {
            widths[widest] -= 1
        }
        func line(_ cells: [String]) -> String {
            cells.indices.map { column -> String in
                var cell = cells[column]
                if cell.count > widths[column] { cell = String(cell.prefix(widths[column] - 1)) + "…" }
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return table.numeric.contains(column) ? padding + cell : cell + padding
            }.joined(separator: String(repeating: " ", count: gap)).trimmingTrailingSpaces()
        }
        return [paint(line(table.headers), .bold), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
            + table.rows.map(line)
    }

    private enum Style: String {
        case bold = "1"
        case green = "32"
        case red = "31"
    }

    private func tone(_ tone: DocumentFact.Tone) -> Style? {
        switch tone {
        case .plain: nil
        case .good: .green
        case .warning: .red
        }
    }

    private func paint(_ text: String, _ style: Style?) -> String {
        guard colour, let style, !text.isEmpty else { return text }
        return "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m"
    }

    /// Greedy word wrap; words longer than `width` are cut.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = String(word)
            while word.count > width {
                if !current.isEmpty { lines.append(current); current = "" }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}

extension String {
    /// The string without trailing spaces.
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
