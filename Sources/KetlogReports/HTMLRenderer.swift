/// `--format html`: one self-contained page with inline CSS and inline SVG charts; no scripts,
/// no remote assets, print-friendly. All text is escaped.
public struct HTMLRenderer: ReportRenderer {
    public init() {}

    static let style = """
    body{font-family:system-ui,sans-serif;max-width:50em;margin:2em auto;padding:0 1em;color:#111;line-height:1.4}
    h1{font-size:1.5em;border-bottom:2px solid #333}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #aaa}
    table{border-collapse:collapse;margin:.6em 0}th,td{padding:.15em .6em;border-bottom:1px solid #ddd;text-align:left}
    td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
    dl{display:grid;grid-template-columns:max-content auto;gap:.1em 1em}dt{font-weight:600}dd{margin:0}
    .good{color:#2e7d32}.warning{color:#b71c1c;font-weight:600}.note{font-style:italic;color:#444}
    svg.chart{width:100%;height:auto;max-width:640px;display:block}svg .grid{stroke:#ccc;stroke-width:1}
    svg .marker{stroke:#888;stroke-width:1;stroke-dasharray:4 3}svg .tick{font-size:11px;fill:#333}
    footer{margin-top:2em;border-top:1px solid #333;padding-top:.5em;font-family:monospace}
    @media print{body{margin:0;max-width:none}h2{break-after:avoid}table,svg{break-inside:avoid}}
    """

    public func render(_ report: some RenderableReport) -> String {
        render(document: report.document)
    }

    func render(document: ReportDocument) -> String {
        var out = [
            "<!DOCTYPE html>",
            "<html lang=\"en\">",
            "<head>",
            "<meta charset=\"utf-8\">",
            "<title>\(HTMLRenderer.escape(document.title))</title>",
            "<style>\n\(HTMLRenderer.style)\n</style>",
            "</head>",
            "<body>",
            "<h1>\(HTMLRenderer.escape(document.title))</h1>",
        ]
        for section in document.sections {
            out.append("<section>")
            out.append("<h2>\(HTMLRenderer.escape(section.heading))</h2>")
            for block in section.blocks { out.append(html(for: block)) }
            out.append("</section>")
        }
        let auditClass = document.audit.verified ? "good" : "warning"
        out += ["<footer class=\"\(auditClass)\">\(HTMLRenderer.escape(document.auditLine))</footer>", "</body>", "</html>"]
        return out.joined(separator: "\n") + "\n"
    }

    private func html(for block: DocumentBlock) -> String {
        switch block {
        case .facts(let facts):
            let items = facts.map { fact -> String in
                let tone = switch fact.tone {
                case .plain: ""
                case .good: " class=\"good\""
                case .warning: " class=\"warning\""
                }
                return "<dt>\(HTMLRenderer.escape(fact.label))</dt><dd\(tone)>\(HTMLRenderer.escape(fact.value))</dd>"
            }
            return "<dl>\n" + items.joined(separator: "\n") + "\n</dl>"
        case .note(let text):
            return "<p class=\"note\">\(HTMLRenderer.escape(text))</p>"
        case .chart(let chart):
            return "<figure>\n<figcaption>\(HTMLRenderer.escape(chart.title))</figcaption>\n\(SVGChart.render(chart))\n</figure>"
        case .calendar(let calendar):
            return "<figure>\n<figcaption>\(HTMLRenderer.escape(calendar.title))</figcaption>\n\(SVGChart.heatMap(calendar))\n</figure>"
        case .table(let table):
            func cells(_ row: [String], tag: String) -> String {
                row.enumerated().map { i, cell in
                    let cls = table.numeric.contains(i) ? " class=\"num\"" : ""
                    return "<\(tag)\(cls)>\(HTMLRenderer.escape(cell))</\(tag)>"
                }.joined()
            }
            return "<table>\n<thead><tr>\(cells(table.headers, tag: "th"))</tr></thead>\n<tbody>\n"
                + table.rows.map { "<tr>\(cells($0, tag: "td"))</tr>" }.joined(separator: "\n")
                + "\n</tbody>\n</table>"
        }
    }

    /// Escapes `& < > " '` for text and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
