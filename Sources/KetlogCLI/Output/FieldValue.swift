import Foundation
import KetlogReports
import KetlogStore

/// One value of a record as it is shown or exported: typed, so JSON keeps numbers as numbers.
enum FieldValue: Equatable {
    case text(String)
    case number(Double)
    case integer(Int)
    case list([String])
    case bool(Bool)
    case null

    init(_ value: String?) { self = value.map(FieldValue.text) ?? .null }
    init(_ value: Double?) { self = value.map(FieldValue.number) ?? .null }
    init(_ value: Int?) { self = value.map(FieldValue.integer) ?? .null }

    /// The value in a text table or CSV cell (lists `;`-separated, absent values empty).
    var cell: String {
        switch self {
        case .text(let value): return value
        case .number(let value): return KetlogStore.format(value)
        case .integer(let value): return String(value)
        case .list(let values): return values.joined(separator: ";")
        case .bool(let value): return value ? "yes" : "no"
        case .null: return ""
        }
    }

    /// The value as a JSON fragment.
    var json: String {
        switch self {
        case .text(let value): return JSONFragment.string(value)
        case .number(let value): return value.isFinite ? KetlogStore.format(value) : "null"
        case .integer(let value): return String(value)
        case .list(let values): return "[" + values.map(JSONFragment.string).joined(separator: ", ") + "]"
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        }
    }
}

/// JSON string escaping for hand-built, key-ordered JSON.
enum JSONFragment {
    static func string(_ value: String) -> String { JSONValue.quote(value) }

    /// An object with keys in the given order.
    static func object(_ fields: [(String, FieldValue)], indent: String = "  ") -> String {
        guard !fields.isEmpty else { return "{}" }
        return "{\n" + fields.map { "\(indent)\(string($0.0)): \($0.1.json)" }.joined(separator: ",\n") + "\n"
            + String(indent.dropLast(2)) + "}"
    }
}
