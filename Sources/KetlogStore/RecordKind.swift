import Foundation

/// The three kinds of clinical record, with where each lives and how its ids print.
public enum RecordKind: String, CaseIterable, Sendable, Codable {
    case patient
    case session
    case score

    /// The head table (one row per record, pointing at the current version).
    var table: String { rawValue }
    /// The append-only table of every version's sealed blob (named in every seal's associated
    /// data, so spelled out rather than built per call).
    var versionTable: String {
        switch self {
        case .patient: return "patient_version"
        case .session: return "session_version"
        case .score: return "score_version"
        }
    }
    /// The version table's column naming the record.
    var idColumn: String {
        switch self {
        case .patient: return "patient_id"
        case .session: return "session_id"
        case .score: return "score_id"
        }
    }

    /// The prefix of the short id printed to users: `pat-3`, `ses-42`, `sco-17`.
    public var idPrefix: String {
        switch self {
        case .patient: return "pat"
        case .session: return "ses"
        case .score: return "sco"
        }
    }

    /// The short id of row `id`.
    public func shortID(_ id: Int64) -> String { "\(idPrefix)-\(id)" }

    /// Parses a short id of this kind (`ses-42`, or the bare number `42`); nil when it is not one.
    public func parseID(_ text: String) -> Int64? {
        let trimmed = text.trimmingWhitespace().lowercased()
        let digits = trimmed.hasPrefix("\(idPrefix)-") ? String(trimmed.dropFirst(idPrefix.count + 1)) : trimmed
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = Int64(digits), value > 0 else { return nil }
        return value
    }
}
