import Foundation

/// How ketamine was given.
public enum Route: String, CaseIterable, Sendable {
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

    public static var allowedList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// A route's usual dose range.
public enum DoseBand: Sendable, Equatable {
    case mgPerKg(ClosedRange<Double>)
    /// Total mg; `step` when doses come in device units (intranasal sprays of 28 mg).
    case mg(ClosedRange<Double>, step: Double?)

    public var description: String {
        switch self {
        case .mgPerKg(let range): return "\(format(range.lowerBound))–\(format(range.upperBound)) mg/kg"
        case .mg(let range, let step):
            let base = "\(format(range.lowerBound))–\(format(range.upperBound)) mg"
            return step.map { base + " in multiples of \(format($0)) mg" } ?? base
        }
    }
}

/// The substances a clinic treats, a fixed vocabulary.
public enum Substance: String, CaseIterable, Sendable {
    case cocaine, opioids, heroin
    case prescriptionOpioids = "prescription-opioids"
    case methamphetamine, alcohol, cannabis, benzodiazepines, other

    public static var allowedList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Recorded sex, a fixed vocabulary.
public enum Sex: String, CaseIterable, Sendable {
    case female, male, other, unknown

    public static var allowedList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// A number as people write it: no trailing `.0`, at most three decimals.
public func format(_ value: Double) -> String {
    let rounded = (value * 1000).rounded() / 1000
    if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int64(rounded)) }
    var text = String(format: "%.3f", rounded)
    while text.hasSuffix("0") { text.removeLast() }
    return text
}
