/// How ketamine was given.
public enum Route: String, CaseIterable, Sendable, Codable {
    case iv, im, intranasal, oral, sublingual, subcutaneous

    /// The usual dose band: mg/kg for iv, im, oral and subcutaneous; total mg for the others.
    public var band: DoseBand {
        switch self {
        case .iv: return .mgPerKg(0.1...1.0)
        case .im: return .mgPerKg(0.1...2.0)
        case .oral: return .mgPerKg(0.25...7)
        case .subcutaneous: return .mgPerKg(0.1...1.0)
        case .sublingual: return .mg(25...400, step: nil)
        case .intranasal: return .mg(28...84, step: 28)
        }
    }

    /// Whether the band is in mg/kg, so that a dose needs the patient's weight.
    public var dosedPerKg: Bool {
        if case .mgPerKg = band { return true }
        return false
    }

    /// Whether a session by this route needs its infusion length.
    public var needsDuration: Bool { self == .iv }

    /// Parses a route, ignoring case and surrounding spaces.
    public init?(parsing text: String) {
        self.init(rawValue: text.trimmingWhitespace().lowercased())
    }

    public static var allowedList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
