/// The substances a clinic treats, a fixed vocabulary.
public enum Substance: String, CaseIterable, Sendable, Codable {
    case cocaine, opioids, heroin
    case prescriptionOpioids = "prescription-opioids"
    case methamphetamine, alcohol, cannabis, benzodiazepines, other

    /// Parses a substance, ignoring case and surrounding spaces.
    public init?(parsing text: String) {
        self.init(rawValue: text.trimmingWhitespace().lowercased())
    }

    public static var allowedList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
