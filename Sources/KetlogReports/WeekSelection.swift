import KetlogModel
/// Which week `report weekly --week` means: a named ISO week, the last complete one, or this one.
public enum WeekSelection: Sendable, Hashable {
    /// The last complete ISO week before today's week (the default: cron runs on Monday).
    case last
    /// The ISO week holding today (still in progress).
    case this
    /// An explicit `YYYY-Www`.
    case week(ISOWeek)

    /// Parses `last`, `this` or `YYYY-Www`.
    /// - Throws: `ReportError.invalidWeek` for anything else.
    public init(parsing text: String) throws(ReportError) {
        switch text.lowercased() {
        case "last": self = .last
        case "this": self = .this
        default:
            guard let week = ISOWeek(iso: text) else { throw .invalidWeek }
            self = .week(week)
        }
    }

    /// The selected week relative to `today`, which the caller supplies (the library never reads a clock).
    public func resolve(today: ClinicalDate) -> ISOWeek {
        switch self {
        case .last: return today.isoWeek.previous
        case .this: return today.isoWeek
        case .week(let week): return week
        }
    }
}
