import CSV
import Foundation

/// CSV through the CSV.swift library, with spreadsheet formula injection neutralised.
///
/// A cell that (after any leading apostrophes) starts with `=`, `+`, `-` or `@` is written with
/// one more leading `'`; `unneutralised` removes exactly that one on import, so export → import
/// round-trips every value, and a hand-written `'tis` stays as it is.
enum CSVText {
    static func neutralised(_ cell: String) -> String {
        needsGuard(cell) ? "'" + cell : cell
    }

    static func unneutralised(_ cell: String) -> String {
        cell.hasPrefix("'") && needsGuard(String(cell.dropFirst())) ? String(cell.dropFirst()) : cell
    }

    private static func needsGuard(_ cell: String) -> Bool {
        guard let first = cell.drop(while: { $0 == "'" }).first else { return false }
        return first == "=" || first == "+" || first == "-" || first == "@"
    }

    /// Writes a header and rows to `stream` (a file or memory), neutralising every cell.
    static func write(header: [String], rows: some Sequence<[String]>, to stream: OutputStream) throws {
        let writer = try CSVWriter(stream: stream)
        try writer.write(row: header)
        for row in rows { try writer.write(row: row.map(neutralised)) }
        try stream.write(text: "\n")
    }

    /// A whole CSV document in memory (for small outputs such as `list --format csv`).
    static func document(header: [String], rows: [[String]]) -> String {
        let stream = OutputStream(toMemory: ())
        stream.open()
        do {
            try write(header: header, rows: rows, to: stream)
        } catch {
            return ""
        }
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        stream.close()
        return String(decoding: data, as: UTF8.self)
    }
}
