import ArgumentParser
import KetlogModel

/// `--kind` of import and export: a record kind, named in the plural.
enum ImportKind: String, ExpressibleByArgument, CaseIterable {
    case patients, sessions, scores

    var recordKind: RecordKind {
        switch self {
        case .patients: return .patient
        case .sessions: return .session
        case .scores: return .score
        }
    }

    /// The file's columns (and JSON keys), in order.
    var columns: [String] {
        switch self {
        case .patients: return Self.patientColumns
        case .sessions: return Self.sessionColumns
        case .scores: return Self.scoreColumns
        }
    }

    /// Each column's position in `columns`.
    var position: [String: Int] {
        switch self {
        case .patients: return Self.patientPositions
        case .sessions: return Self.sessionPositions
        case .scores: return Self.scorePositions
        }
    }

    private static let patientColumns = RecordFields.patientColumns.map(\.column)
    private static let sessionColumns = RecordFields.sessionColumns.map(\.column)
    private static let scoreColumns = RecordFields.scoreColumns.map(\.column)
    private static let patientPositions = positions(patientColumns)
    private static let sessionPositions = positions(sessionColumns)
    private static let scorePositions = positions(scoreColumns)

    private static func positions(_ columns: [String]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
    }

    /// Columns a file must have; the rest may be left out.
    var requiredColumns: [String] {
        let fields: [Field]
        switch self {
        case .patients: fields = [.code, .substances]
        case .sessions: fields = [.patient, .date, .route, .practitioner]
        case .scores: fields = [.patient, .date, .craving, .useDays]
        }
        return fields.map(\.column)
    }
}
