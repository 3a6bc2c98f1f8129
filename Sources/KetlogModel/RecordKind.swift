/// The kinds of clinical record, and how their ids print.
public enum RecordKind: String, CaseIterable, Sendable, Codable {
    case patient
    case session
    case score
    case vitals
    case screen
    case day

    /// The prefix of the short id printed to users: `pat-3`, `ses-42`, `sco-17`, `vit-5`, `scr-2`, `day-40`.
    public var idPrefix: String {
        switch self {
        case .patient: return "pat"
        case .session: return "ses"
        case .score: return "sco"
        case .vitals: return "vit"
        case .screen: return "scr"
        case .day: return "day"
        }
    }

    /// The short id of row `id`.
    public func shortID(_ id: Int64) -> String { "\(idPrefix)-\(id)" }

    /// Parses a short id of this kind (`ses-42`, or the bare number `42`); nil when it is not one.
    public func parseID(_ text: String) -> Int64? {
        let trimmed = text.trimmingWhitespace().lowercased()
        let digits = trimmed.hasPrefix("\(idPrefix)-") ? String(trimmed.dropFirst(idPrefix.count + 1)) : trimmed
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (48...57).contains($0) }), let value = Int64(digits), value > 0
        else { return nil }
        return value
    }
}
