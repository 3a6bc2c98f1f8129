import Foundation
import KetlogModel
import KetlogStore

/// What record commands print: the short id on creation (the whole record with `--format json`),
/// a record, or its history.
enum RecordOutput {
    static func created<Body>(_ record: Versioned<Body>, fields: [(String, FieldValue)], format: RecordFormat) {
        switch format {
        case .json, .csv:
            Output.out(RecordSheet(fields: RecordFields.header(record) + fields + RecordFields.stamp(record.stamp)).render(format))
        case .text:
            Output.line(record.shortID)
        }
    }

    static func changed<Body>(_ record: Versioned<Body>, verb: String, fields: [(String, FieldValue)], format: RecordFormat) {
        switch format {
        case .json, .csv:
            Output.out(RecordSheet(fields: RecordFields.header(record) + fields + RecordFields.stamp(record.stamp)).render(format))
        case .text:
            Output.line("\(verb) \(record.shortID) (version \(record.version))")
        }
    }

    /// The current version, or with `history` every version with who, when and why.
    static func show<Body: RecordBody>(_ store: UnlockedStore, _ type: Body.Type, id: Int64, history: Bool,
                                       format: RecordFormat, fields: (Owned<Body>) -> [(String, FieldValue)]) throws {
        let current = try store.owned(type, id: id)
        if history {
            let versions = try store.history(type, id: id)
            let rows = versions.map { version in
                RecordFields.header(version) + RecordFields.stamp(version.stamp)
                    + fields(Owned(record: version, patientCode: current.patientCode))
            }
            let columns = rows.first?.map(\.0) ?? []
            if format == .text {
                Output.out(rows.map { RecordSheet(fields: $0).render(.text) }.joined(separator: "\n"))
            } else {
                Output.out(RecordTable(columns: columns, rows: rows.map { $0.map(\.1) }).render(format))
            }
        } else {
            let record = current.record
            Output.out(RecordSheet(fields: RecordFields.header(record) + fields(current) + RecordFields.stamp(record.stamp))
                .render(format))
        }
    }
}
