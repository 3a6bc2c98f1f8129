/// `--format markdown`: headings, bullet facts, pipe tables, sparkline charts in code blocks.
public struct MarkdownRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: some RenderableReport) -> String {
        render(document: report.document)
    }

    func render(document: ReportDocument) -> String {
        var out = ["# " + escape(document.title)]
        for section in document.sections {
            out += ["", "## " + escape(section.heading)]
            for block in section.blocks {
                out.append("")
                switch block {
                case .facts(let facts):
                    out += facts.map { "- **\(escape($0.label)):** \(escape($0.value))" }
                case .note(let text):
                    out.append("_\(escape(text))_")
                case .chart(let chart):
                    out += ["```text"] + Sparkline.lines(for: chart, width: TextRenderer.width) + ["```"]
                case .calendar(let calendar):
                    out += ["```text"] + calendar.textLines + ["```"]
                case .table(let table):
                    out.append("| " + table.headers.map(escape).joined(separator: " | ") + " |")
                    out.append("|" + table.headers.indices.map { table.numeric.contains($0) ? " ---: |" : " --- |" }.joined())
                    out += table.rows.map { "| " + $0.map(escape).joined(separator: " | ") + " |" }
                }
            }
        }
        out += ["", "---", "", escape(document.auditLine)]
        return out.joined(separator: "\n") + "\n"
    }

    /// Backslash-escapes the characters Markdown would interpret inside text and table cells.
    private func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\`*_[]<>|#".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
