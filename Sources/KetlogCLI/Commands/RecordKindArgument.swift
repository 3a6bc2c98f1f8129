import ArgumentParser
import KetlogStore

/// `--kind` of import and export.
enum ImportKind: String, ExpressibleByArgument, CaseIterable {
    case patients, sessions, scores

    var columns: [String] {
        switch self {
        case .patients: return RecordFields.patientColumns
        case .sessions: return RecordFields.sessionColumns
        case .scores: return RecordFields.scoreColumns
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

    private static let patientPositions = positions(RecordFields.patientColumns)
    private static let sessionPositions = positions(RecordFields.sessionColumns)
    private static let scorePositions = positions(RecordFields.scoreColumns)

    private static func positions(_ columns: [String]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
    }

    /// Columns a file must have; the rest may be left out.
    var requiredColumns: [String] {
        switch self {
        case .patients: return ["code", "substances"]
        case .sessions: return ["patient", "date", "route", "practitioner"]
        case .scores: return ["patient", "date", "craving", "use_days"]
        }
    }
}
