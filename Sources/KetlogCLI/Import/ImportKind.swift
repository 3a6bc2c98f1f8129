import ArgumentParser
import KetlogModel

/// `--kind` of import and export: a record kind, named in the plural.
enum ImportKind: String, ExpressibleByArgument, CaseIterable {
    case patients, sessions, scores, vitals, screens, days

    var recordKind: RecordKind {
        switch self {
        case .patients: return .patient
        case .sessions: return .session
        case .scores: return .score
        case .vitals: return .vitals
        case .screens: return .screen
        case .days: return .day
        }
    }

    /// The file's columns (and JSON keys), in order.
    var columns: [String] { fields.map(\.column) }

    /// The fields of the file's columns, in order.
    var fields: [Field] {
        switch self {
        case .patients: return RecordFields.patientColumns
        case .sessions: return RecordFields.sessionColumns
        case .scores: return RecordFields.scoreColumns
        case .vitals: return RecordFields.vitalsColumns
        case .screens: return RecordFields.screenColumns
        case .days: return RecordFields.dayColumns
        }
    }

    /// Each column's position in `columns`.
    var position: [String: Int] { Self.positions[self]! }

    private static let positions = Dictionary(uniqueKeysWithValues: allCases.map { kind in
        (kind, Dictionary(uniqueKeysWithValues: kind.columns.enumerated().map { ($1, $0) }))
    })

    /// Columns a file must have; the rest may be left out.
    var requiredColumns: [String] {
        let fields: [Field]
        switch self {
        case .patients: fields = [.code, .substances]
        case .sessions: fields = [.patient, .date, .route, .practitioner]
        case .scores: fields = [.patient, .date, .craving, .useDays]
        case .vitals: fields = [.patient, .sessionDate, .at]
        case .screens: fields = [.patient, .date, .substance, .result]
        case .days: fields = [.patient, .date, .used]
        }
        return fields.map(\.column)
    }
}
