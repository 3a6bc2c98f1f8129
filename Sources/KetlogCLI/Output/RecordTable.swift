import Foundation
import KetlogModel
import KetlogReports

/// Rows of named fields printed as a text table (fitted to 80 columns), CSV or JSON.
struct RecordTable {
    var columns: [String]
    var rows: [[FieldValue]]

    func render(_ format: RecordFormat) -> String {
        switch format {
        case .text: return text(width: 80)
        case .csv: return CSVText.document(header: columns, rows: rows.map { $0.map(\.cell) })
        case .json:
            return JSONValue.array(rows.map { row in FieldValue.object(Array(zip(columns, row))) }).encoded()
        }
    }

    /// Columns shrink from the widest until the table fits; cut cells end in `…`.
    func text(width: Int) -> String {
        // Stored text never drives the terminal: control and bidi characters show escaped.
        let cells = rows.map { $0.map { TextSafety.escaped($0.cell.replacingOccurrences(of: "\n", with: " ")) } }
        var widths = columns.indices.map { index in
            max(columns[index].count, cells.map { $0[index].count }.max() ?? 0)
        }
        let separator = 2
        while widths.reduce(0, +) + separator * (widths.count - 1) > width,
              let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 6 {
            widths[widest] -= 1
        }
        func line(_ values: [String]) -> String {
            zip(values, widths).map { value, width in
                let cut = value.count > width ? String(value.prefix(width - 1)) + "…" : value
                return cut.padding(toLength: width, withPad: " ", startingAt: 0)
            }.joined(separator: String(repeating: " ", count: separator)).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = line(columns) + "\n"
        for row in cells { out += line(row) + "\n" }
        if rows.isEmpty { out += "(none)\n" }
        return out
    }
}

/// One record shown field by field (text), or as a JSON object, or a one-row CSV.
struct RecordSheet {
    var fields: [(String, FieldValue)]

    func render(_ format: RecordFormat) -> String {
        switch format {
        case .json: return FieldValue.object(fields).encoded()
        case .csv: return CSVText.document(header: fields.map(\.0), rows: [fields.map(\.1.cell)])
        case .text:
            let width = fields.map(\.0.count).max() ?? 0
            return fields.map { name, value in
                let label = (name.replacingOccurrences(of: "_", with: " ") + ":").padding(toLength: width + 2, withPad: " ", startingAt: 0)
                return label + TextSafety.escaped(value.cell, multiline: true)
                    .replacingOccurrences(of: "\n", with: "\n" + String(repeating: " ", count: width + 2))
            }.joined(separator: "\n") + "\n"
        }
    }
}
