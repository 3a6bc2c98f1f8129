import Foundation

/// How numbers are written in every format, in one place so that text, Markdown, HTML, CSV and
/// JSON agree. Absent values are written as `n/a` (JSON: null, handled by the JSON renderer).
enum ReportNumber {
    /// Text written for an absent value.
    static let absent = "n/a"

    /// Fixed decimals, e.g. `fixed(0.41, digits: 2)` → "0.41". `-0.0` is written as "0.0".
    static func fixed(_ value: Double, digits: Int) -> String {
        let text = String(format: "%.\(digits)f", value)
        return text.hasPrefix("-") && text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) ? String(text.dropFirst()) : text
    }

    /// Fixed decimals, or `n/a`.
    static func fixed(_ value: Double?, digits: Int) -> String {
        value.map { fixed($0, digits: digits) } ?? absent
    }

    /// Shortest form up to 4 decimals, e.g. 56 → "56", 0.125 → "0.125".
    static func trimmed(_ value: Double) -> String {
        var text = fixed(value, digits: 4)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A p-value with 3 significant digits, "<0.0001" below that.
    static func pValue(_ value: Double?) -> String {
        guard let value else { return absent }
        if value < 0.0001 { return "<0.0001" }
        return String(format: "%.3g", value)
    }

    /// A percentage with one decimal and a % sign.
    static func percent(_ value: Double?) -> String {
        value.map { fixed($0, digits: 1) + "%" } ?? absent
    }

    /// A signed number with one decimal ("+1.5", "-3.0", "0.0").
    static func signed(_ value: Double?) -> String {
        guard let value else { return absent }
        let text = fixed(value, digits: 1)
        return value > 0 && text != "0.0" ? "+" + text : text
    }
}
