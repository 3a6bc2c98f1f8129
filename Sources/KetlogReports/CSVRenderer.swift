/// `--format csv`: the JSON tree flattened to `field,value` rows, one per leaf, in JSON order.
///
/// Field names are dotted JSON paths with array indices (`groups.1.baseline.mean`,
/// `scores.0.craving`), so every format carries the same data and a spreadsheet can pivot it.
/// Absent values are empty cells. Text cells starting with `=`, `+`, `-` or `@` get a leading `'`
/// so spreadsheets do not run them as formulas (numbers are never prefixed).
public struct CSVRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: some RenderableReport) -> String {
        var lines = ["field,value"]
        flatten(report.jsonValue, path: "", into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    private func flatten(_ value: JSONValue, path: String, into lines: inout [String]) {
        func child(_ key: String) -> String { path.isEmpty ? key : path + "." + key }
        switch value {
        case .object(let members):
            if members.isEmpty { lines.append(cell(path) + ",") }
            for (key, member) in members { flatten(member, path: child(key), into: &lines) }
        case .array(let items):
            if items.isEmpty { lines.append(cell(path) + ",") }
            for (i, item) in items.enumerated() { flatten(item, path: child(String(i)), into: &lines) }
        case .null: lines.append(cell(path) + ",")
        case .bool(let flag): lines.append(cell(path) + "," + (flag ? "true" : "false"))
        case .int(let number): lines.append(cell(path) + "," + String(number))
        case .number(let number): lines.append(cell(path) + "," + (number.isFinite ? JSONValue.format(number) : ""))
        case .string(let text): lines.append(cell(path) + "," + cell(text))
        }
    }

    /// Quotes when needed and defuses spreadsheet formulas (`CSVWriter`, shared with record output).
    private func cell(_ text: String) -> String { CSVWriter.cell(text) }
}
