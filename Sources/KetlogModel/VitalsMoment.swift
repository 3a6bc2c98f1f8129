/// When during a session a set of vitals was taken: before dosing, so many minutes after the
/// first dose, or at discharge (`--at pre|MINUTES|discharge`).
public enum VitalsMoment: Hashable, Sendable {
    case pre
    case minutes(Int)
    case discharge

    /// Minutes after the first dose a measurement may be taken at.
    public static let minutesRange = 0...720

    /// Parses `pre`, `discharge` or a whole number of minutes in `minutesRange`; nil otherwise.
    public init?(parsing text: String) {
        let value = text.trimmingWhitespace().lowercased()
        switch value {
        case "pre": self = .pre
        case "discharge": self = .discharge
        default:
            guard !value.isEmpty, value.utf8.allSatisfy({ (48...57).contains($0) }), value.utf8.count <= 4,
                  let minutes = Int(value), Self.minutesRange.contains(minutes)
            else { return nil }
            self = .minutes(minutes)
        }
    }

    /// The text form, as typed and as stored in CSV (`pre`, `40`, `discharge`).
    public var text: String {
        switch self {
        case .pre: return "pre"
        case .minutes(let minutes): return String(minutes)
        case .discharge: return "discharge"
        }
    }

    /// Sorts a session's measurements in the order they are taken.
    public var order: Int {
        switch self {
        case .pre: return -1
        case .minutes(let minutes): return minutes
        case .discharge: return Int.max
        }
    }
}
