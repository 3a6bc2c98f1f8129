/// A closed interval `[lower, upper]` around an estimate.
public struct ConfidenceInterval: Sendable, Hashable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}
