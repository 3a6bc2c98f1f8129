import Foundation
import KetlogReports

/// CSV for record lists, shows and exports, written by the one `CSVWriter` that reports use too.
/// (Import reads CSV with the CSV.swift library; `unneutralised` undoes the writer's formula guard.)
enum CSVText {
    /// Removes exactly the one `'` the writer's formula guard added, so export → import
    /// round-trips every value and a hand-written `'tis` stays as it is.
    static func unneutralised(_ cell: String) -> String {
        guard cell.utf8.first == UInt8(ascii: "'") else { return cell }  // nearly every cell: no Character to form
        return cell.hasPrefix("'") && CSVWriter.needsFormulaGuard(String(cell.dropFirst())) ? String(cell.dropFirst()) : cell
    }

    /// Writes a header and rows to `stream` (a file or memory).
    static func write(header: [String], rows: some Sequence<[String]>, to stream: OutputStream) throws {
        try stream.write(text: CSVWriter.line(header))
        for row in rows { try stream.write(text: CSVWriter.line(row)) }
    }

    /// A whole CSV document in memory (for small outputs such as `list --format csv`).
    static func document(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map(CSVWriter.line).joined()
    }
}
