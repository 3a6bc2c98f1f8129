import KetlogModel
import Foundation

/// A JSON tree whose objects keep their keys in the order they were built, so the output of the
/// JSON and CSV renderers is byte-for-byte stable. Non-finite numbers become null.
public indirect enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// `.number`, or `.null` for nil.
    static func number(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
    /// `.string`, or `.null` for nil.
    static func string(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
    /// A date as `YYYY-MM-DD`, or `.null`.
    static func date(_ value: ClinicalDate?) -> JSONValue { .string(value?.description) }

    /// Pretty-printed JSON with two-space indentation and a final newline.
    public func encoded() -> String {
        var out = ""
        write(to: &out, indent: "")
        return out + "\n"
    }

    /// The same JSON on one line, without spaces or a final newline (an NDJSON line).
    public func compactEncoded() -> String {
        var out = ""
        write(to: &out, indent: nil)
        return out
    }

    /// Writes the value; `indent` nil writes it on one line.
    private func write(to out: inout String, indent: String?) {
        let inner = indent.map { $0 + "  " }
        let (open, separator, close) = indent.map { ("\n" + $0 + "  ", ",\n" + $0 + "  ", "\n" + $0) } ?? ("", ",", "")
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .number(let value): out += JSONValue.format(value)
        case .string(let value): out += JSONValue.quote(value)
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[" + open
            for (i, item) in items.enumerated() {
                if i > 0 { out += separator }
                item.write(to: &out, indent: inner)
            }
            out += close + "]"
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{" + open
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += separator }
                out += JSONValue.quote(key) + (inner == nil ? ":" : ": ")
                value.write(to: &out, indent: inner)
            }
            out += close + "}"
        }
    }

    /// Integers without a fraction, others with up to 6 significant digits; null when not finite.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.6g", value)
    }

    /// `text` as a JSON string literal, quotes included (also used by the CLI's record output).
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
