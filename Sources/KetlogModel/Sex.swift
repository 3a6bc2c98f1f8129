/// Recorded sex, a fixed vocabulary.
public enum Sex: String, CaseIterable, Sendable, Codable {
    case female, male, other, unknown

    /// Parses a value, ignoring case and surrounding spaces.
    public init?(parsing text: String) {
        self.init(rawValue: text.trimmingWhitespace().lowercased())
    }

    public static var allowedList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
