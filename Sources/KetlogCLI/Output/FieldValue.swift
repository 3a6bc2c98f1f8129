import Foundation
import KetlogReports
import KetlogModel

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
        case .number(let value): return ClinicalNumber.format(value)
        case .integer(let value): return String(value)
        case .list(let values): return values.joined(separator: ";")
        case .bool(let value): return value ? "yes" : "no"
        case .null: return ""
        }
    }

    /// The value in the one JSON writer's tree.
    var json: JSONValue {
        switch self {
        case .text(let value): return .string(value)
        case .number(let value): return value.isFinite ? .number(value) : .null
        case .integer(let value): return .int(value)
        case .list(let values): return .array(values.map { .string($0) })
        case .bool(let value): return .bool(value)
        case .null: return .null
        }
    }

    /// Named fields as a JSON object, keys in order.
    static func object(_ fields: [(String, FieldValue)]) -> JSONValue {
        .object(fields.map { ($0.0, $0.1.json) })
    }
}
