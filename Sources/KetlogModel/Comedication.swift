/// Sedating co-medications charted at a session (DESIGN "Monitoring"; the esketamine REMS form).
public enum Comedication: String, CaseIterable, Sendable, Codable {
    case benzodiazepine
    case sedativeHypnotic = "sedative-hypnotic"
    case opioid, psychostimulant, maoi, other

    public static var allowedList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
