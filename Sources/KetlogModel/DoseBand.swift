/// A route's usual dose range.
public enum DoseBand: Sendable, Equatable {
    case mgPerKg(ClosedRange<Double>)
    /// Total mg; `step` when doses come in device units (intranasal sprays of 28 mg).
    case mg(ClosedRange<Double>, step: Double?)

    /// `0.1–1 mg/kg`, `28–84 mg in multiples of 28 mg`.
    public var description: String {
        switch self {
        case .mgPerKg(let range):
            return "\(ClinicalNumber.format(range.lowerBound))–\(ClinicalNumber.format(range.upperBound)) mg/kg"
        case .mg(let range, let step):
            let base = "\(ClinicalNumber.format(range.lowerBound))–\(ClinicalNumber.format(range.upperBound)) mg"
            return step.map { base + " in multiples of \(ClinicalNumber.format($0)) mg" } ?? base
        }
    }
}
