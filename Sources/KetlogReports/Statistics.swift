/// Descriptive statistics over plain `Double` arrays. Every function returns nil instead of NaN
/// when the sample is too small, so nothing non-finite can reach a report.
public enum Statistics {
    /// Arithmetic mean; nil for an empty sample.
    public static func mean(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        return finite(values.reduce(0, +) / Double(values.count))
    }

    /// Sample standard deviation (n − 1 denominator, as numpy's `std(ddof=1)`); nil below 2 values.
    public static func sampleStandardDeviation(_ values: [Double]) -> Double? {
        guard values.count >= 2, let m = mean(values) else { return nil }
        let squares = values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return finite((squares / Double(values.count - 1)).squareRoot())
    }

    /// Median (mean of the two middle values for an even count); nil for an empty sample.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return finite(sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2)
    }

    /// Two-sided 95% confidence interval of the mean, Student t with n − 1 degrees of freedom;
    /// nil below 2 values. A sample with no spread gives a zero-width interval.
    public static func confidenceInterval95(_ values: [Double]) -> ConfidenceInterval? {
        guard values.count >= 2, let m = mean(values), let sd = sampleStandardDeviation(values),
              let t = StudentT.quantile(0.975, degreesOfFreedom: Double(values.count - 1))
        else { return nil }
        let half = t * sd / Double(values.count).squareRoot()
        guard let lower = finite(m - half), let upper = finite(m + half) else { return nil }
        return ConfidenceInterval(lower: lower, upper: upper)
    }

    /// The value itself when finite, else nil.
    public static func finite(_ value: Double) -> Double? {
        value.isFinite ? value : nil
    }
}
