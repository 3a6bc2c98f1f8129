import KetlogModel

/// Where each kind of record lives in the database.
extension RecordKind {
    /// The head table (one row per record, pointing at the current version).
    var table: String { rawValue }
    /// The append-only table of every version's sealed blob (named in every seal's associated
    /// data, so spelled out rather than built per call).
    var versionTable: String {
        switch self {
        case .patient: return "patient_version"
        case .session: return "session_version"
        case .score: return "score_version"
        case .vitals: return "vitals_version"
        case .screen: return "screen_version"
        case .day: return "day_version"
        }
    }
    /// The version table's column naming the record.
    var idColumn: String {
        switch self {
        case .patient: return "patient_id"
        case .session: return "session_id"
        case .score: return "score_id"
        case .vitals: return "vitals_id"
        case .screen: return "screen_id"
        case .day: return "day_id"
        }
    }
    /// The head table's column naming the patient a record belongs to (a patient's own id).
    var ownerColumn: String { self == .patient ? "id" : "patient_id" }
}
