/// Mean, sample SD and median of one measure; each nil when the sample is too small.
public struct DescriptiveSummary: Sendable, Hashable {
    public var mean: Double?
    public var sd: Double?
    public var median: Double?

    public init(_ values: [Double]) {
        mean = Statistics.mean(values)
        sd = Statistics.sampleStandardDeviation(values)
        median = Statistics.median(values)
    }
}

extension DescriptiveSummary {
    /// `{mean, sd, median}`, absent values null.
    var jsonValue: JSONValue {
        .object([("mean", .number(mean)), ("sd", .number(sd)), ("median", .number(median))])
    }

    /// Cells for a table row: mean, SD, median with one decimal.
    var cells: [String] {
        [mean, sd, median].map { ReportNumber.fixed($0, digits: 1) }
    }
}
