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

    /// Columns a file must have; the rest may be left out.
    var requiredColumns: [String] {
        switch self {
        case .patients: return ["code", "substances"]
        case .sessions: return ["patient", "date", "route", "practitioner"]
        case .scores: return ["patient", "date", "craving", "use_days"]
        }
    }
}
