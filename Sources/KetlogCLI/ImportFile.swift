import CSV
import Foundation

/// Reads an import file into rows: CSV with a header row, or a JSON array of objects, chosen by
/// the file's extension. Malformed files fail with the line (CSV) or item (JSON) and field.
enum ImportFile {
    static func rows(path: String, kind: ImportKind) throws -> [ImportRow] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileManager.default.fileExists(atPath: path) ? CLIError.io(path: path, detail: "cannot read the file")
                                                                : CLIError.fileNotFound(path: path)
        }
        return try rows(data, fileExtension: URL(fileURLWithPath: path).pathExtension, kind: kind)
    }

    /// Parses a file's bytes as the importer reads them; `fileExtension` chooses CSV or JSON.
    static func rows(_ data: Data, fileExtension: String, kind: ImportKind) throws -> [ImportRow] {
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIError.badInput(line: line(ofFirstInvalidByteIn: data), field: "file", problem: "is not valid UTF-8")
        }
        if text.contains("\u{0}") {
            throw CLIError.badInput(line: text.prefix { $0 != "\u{0}" }.filter { $0 == "\n" }.count + 1, field: "file",
                                    problem: "contains a NUL byte")
        }
        switch fileExtension.lowercased() {
        case "csv": return try csvRows(text, kind: kind)
        case "json": return try jsonRows(data, kind: kind)
        default: throw CLIError.usage("import reads .csv or .json files (by extension)")
        }
    }

    /// How an error names a column or key that is not one of ketlog's: by its name only when it
    /// looks like an identifier (`mood`, `patient_id`), else by `position`. A header that is
    /// really a row of data (a file without a header) holds clinical values, and errors never echo
    /// those; nor may a name with a line break split the one-line error.
    static func label(_ name: String, or position: String) -> String {
        let identifier = name.utf8.count <= 32 && name.utf8.first.map({ (97...122).contains($0) }) == true
            && name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "_") }
        return identifier ? name : position
    }

    /// The line on which the first byte sequence that is not UTF-8 stands.
    private static func line(ofFirstInvalidByteIn data: Data) -> Int {
        var line = 1
        var iterator = data.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar == "\n" { line += 1 }
            case .emptyInput, .error: return line
            }
        }
    }

    private static func checkHeader(_ header: [String], kind: ImportKind) throws {
        for (index, column) in header.enumerated() where !kind.columns.contains(column) {
            throw CLIError.badInput(line: 1, field: column.isEmpty ? "header" : label(column, or: "header column \(index + 1)"),
                                    problem: "unknown column (allowed: \(kind.columns.joined(separator: ", ")))")
        }
        if let duplicate = header.first(where: { name in header.filter { $0 == name }.count > 1 }) {
            throw CLIError.badInput(line: 1, field: label(duplicate, or: "a header column"), problem: "column appears twice")
        }
        for column in kind.requiredColumns where !header.contains(column) {
            throw CLIError.badInput(line: 1, field: column, problem: "required column is missing")
        }
    }

    static func csvRows(_ text: String, kind: ImportKind) throws -> [ImportRow] {
        if let line = lineOfUnterminatedQuote(text) {
            throw CLIError.badInput(line: line, field: "row", problem: "has a quote that is never closed")
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            throw CLIError.badInput(line: 1, field: "header", problem: "is not valid CSV")
        }
        guard let header = reader.headerRow?.map({ $0.trimmingCharacters(in: .whitespaces) }), header != [""] else {
            throw CLIError.badInput(line: 1, field: "header", problem: "is missing")
        }
        try checkHeader(header, kind: kind)
        var rows: [ImportRow] = []
        var line = 2 + header.reduce(0) { $0 + $1.filter { $0 == "\n" }.count }
        while let cells = reader.next() {
            if cells.count == 1 && cells[0].isEmpty { line += 1; continue }  // a blank line
            guard cells.count == header.count else {
                throw CLIError.badInput(line: line, field: "row",
                                        problem: "has \(cells.count) fields, the header has \(header.count)")
            }
            var fields: [String: String] = [:]
            for (column, cell) in zip(header, cells) { fields[column] = CSVText.unneutralised(cell) }
            rows.append(ImportRow(line: line, fields: fields))
            line += 1 + cells.reduce(0) { $0 + $1.filter { $0 == "\n" || $0 == "\r\n" }.count }
        }
        if reader.error != nil {
            throw CLIError.badInput(line: line, field: "row", problem: "is not valid CSV")
        }
        return rows
    }

    /// The line on which a quoted field opens that the file never closes, or nil. The CSV reader
    /// would take the rest of the file as that one cell, and rows would silently go missing.
    static func lineOfUnterminatedQuote(_ text: String) -> Int? {
        var line = 1, openedOn = 1
        var quoted = false, atFieldStart = true, pendingQuote = false
        for byte in text.utf8 {
            if pendingQuote {  // a quote inside a quoted field: doubled (literal) or the closing one
                pendingQuote = false
                if byte == UInt8(ascii: "\"") { continue }
                quoted = false
            }
            switch byte {
            case UInt8(ascii: "\""):
                if quoted { pendingQuote = true } else if atFieldStart { quoted = true; openedOn = line }
                atFieldStart = false
            case UInt8(ascii: ","):
                atFieldStart = !quoted
            case UInt8(ascii: "\n"):
                line += 1
                atFieldStart = !quoted
            case UInt8(ascii: "\r"):
                break
            default:
                atFieldStart = false
            }
        }
        return quoted && !pendingQuote ? openedOn : nil
    }

    static func jsonRows(_ data: Data, kind: ImportKind) throws -> [ImportRow] {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw CLIError.badInput(line: 1, field: "file", problem: "is not valid JSON")
        }
        guard let items = parsed as? [Any] else {
            throw CLIError.badInput(line: 1, field: "file", problem: "must be a JSON array of objects")
        }
        if let duplicate = JSONDuplicateKeys.first(in: Array(data)) {
            throw CLIError.badInput(line: duplicate.item, field: kind.columns.contains(duplicate.key) ? duplicate.key : "item",
                                    problem: "key appears twice")
        }
        return try items.enumerated().map { offset, item in
            let number = offset + 1
            guard let object = item as? [String: Any] else {
                throw CLIError.badInput(line: number, field: "item", problem: "must be a JSON object")
            }
            var fields: [String: String] = [:]
            for (key, value) in object {
                guard kind.columns.contains(key) else {
                    throw CLIError.badInput(line: number, field: label(key, or: "a key"),
                                            problem: "unknown key (allowed: \(kind.columns.joined(separator: ", ")))")
                }
                fields[key] = try jsonCell(value, key: key, item: number)
            }
            for column in kind.requiredColumns where fields[column] == nil {
                throw CLIError.badInput(line: number, field: column, problem: "required")
            }
            return ImportRow(line: number, fields: fields)
        }
    }

    private static func jsonCell(_ value: Any, key: String, item: Int) throws -> String? {
        switch value {
        case is NSNull: return nil
        case let text as String: return text
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" {  // how Foundation marks true/false
                throw CLIError.badInput(line: item, field: key, problem: "must be a number or text, not true/false")
            }
            guard number.doubleValue.isFinite else { throw CLIError.badInput(line: item, field: key, problem: "must be finite") }
            return number.stringValue
        case let list as [Any]:
            let texts = list.compactMap { $0 as? String }
            guard texts.count == list.count else {
                throw CLIError.badInput(line: item, field: key, problem: "must be a list of text")
            }
            return texts.joined(separator: ";")
        default:
            throw CLIError.badInput(line: item, field: key, problem: "must be text, a number, a list or null")
        }
    }
}
