import Foundation

/// The one CSV writer: report CSV, record lists and shows, and exports all quote and guard
/// cells here (RFC 4180 quoting, `\n` line ends).
///
/// A text cell that (after any leading apostrophes) starts with `=`, `+`, `-` or `@` gets one
/// more leading `'` so spreadsheets do not run it as a formula; the importer removes exactly
/// that one, so an export imports back unchanged and a hand-written `'tis` stays as it is.
public enum CSVWriter {
    /// `text` as one CSV cell: formula-guarded, quoted when it holds a comma, quote or line break.
    public static func cell(_ text: String) -> String {
        let guarded = needsFormulaGuard(text) ? "'" + text : text
        guard guarded.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D })
        else { return guarded }
        return "\"" + guarded.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One line of cells, ending in a line feed.
    public static func line(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",") + "\n"
    }

    /// Whether a cell needs the formula guard.
    public static func needsFormulaGuard(_ text: String) -> Bool {
        guard let first = text.utf8.first(where: { $0 != UInt8(ascii: "'") }) else { return false }
        return first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: "@")
    }
}
