/// A drug screen's result, a fixed vocabulary.
public enum ScreenResult: String, CaseIterable, Sendable, Codable {
    case positive, negative, invalid

    public static var allowedList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// How a drug screen was taken.
public enum ScreenMethod: String, CaseIterable, Sendable, Codable {
    case urine, saliva, breath

    public static var allowedList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
