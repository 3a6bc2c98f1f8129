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
    var columns: [String] {
        switch self {
        case .patients: return Self.patientColumns
        case .sessions: return Self.sessionColumns
        case .scores: return Self.scoreColumns
        case .vitals: return Self.vitalsColumns
        case .screens: return Self.screenColumns
        case .days: return Self.dayColumns
        }
    }

    /// Each column's position in `columns`.
    var position: [String: Int] {
        switch self {
        case .patients: return Self.patientPositions
        case .sessions: return Self.sessionPositions
        case .scores: return Self.scorePositions
        case .vitals: return Self.vitalsPositions
        case .screens: return Self.screenPositions
        case .days: return Self.dayPositions
        }
    }

    private static let patientColumns = RecordFields.patientColumns.map(\.column)
    private static let sessionColumns = RecordFields.sessionColumns.map(\.column)
    private static let scoreColumns = RecordFields.scoreColumns.map(\.column)
    private static let vitalsColumns = RecordFields.vitalsColumns.map(\.column)
    private static let screenColumns = RecordFields.screenColumns.map(\.column)
    private static let dayColumns = RecordFields.dayColumns.map(\.column)
    private static let vitalsPositions = positions(vitalsColumns)
    private static let screenPositions = positions(screenColumns)
    private static let dayPositions = positions(dayColumns)
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
        case .vitals: fields = [.patient, .sessionDate, .at]
        case .screens: fields = [.patient, .date, .substance, .result]
        case .days: fields = [.patient, .date, .used]
        }
        return fields.map(\.column)
    }
}
