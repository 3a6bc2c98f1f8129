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
