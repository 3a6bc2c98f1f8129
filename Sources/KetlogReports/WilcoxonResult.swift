/// The outcome of a two-sided Wilcoxon signed-rank test, as `scipy.stats.wilcoxon` reports it.
public struct WilcoxonResult: Sendable, Hashable {
    /// How the p-value was obtained (scipy 1.17's `method="auto"` choice).
    public enum Method: String, Sendable, Hashable {
        /// Exact null distribution of r⁺ (n ≤ 50, no ties, no zero differences).
        case exact
        /// Every one of the 2ⁿ sign flips (ties or zeros, n ≤ 13).
        case permutation
        /// Normal approximation with tie correction and no continuity correction.
        case normal
        /// Every difference is zero: no evidence of change, p = 1 by definition.
        case noDifferences = "no-differences"
    }

    /// min(r⁺, r⁻), scipy's two-sided statistic.
    public var statistic: Double
    /// Two-sided p-value in [0, 1]; never NaN.
    public var pValue: Double
    public var method: Method
    /// Pairs with a non-zero difference (the ones that were ranked).
    public var nonZeroCount: Int

    public init(statistic: Double, pValue: Double, method: Method, nonZeroCount: Int) {
        self.statistic = statistic
        self.pValue = pValue
        self.method = method
        self.nonZeroCount = nonZeroCount
    }
}
