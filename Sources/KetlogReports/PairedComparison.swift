/// Baseline against follow-up for one measure over the complete pairs of a cohort or group.
///
/// Definitions: the difference is follow-up − baseline. `zeroAtFollowUpPct` is the share of pairs
/// whose follow-up is 0 (for use days: abstinent). `reduced50Pct` is the share with
/// follow-up ≤ baseline / 2; a patient whose baseline is 0 therefore counts only when the follow-up
/// is 0 too (no rise from nothing). With fewer than 2 pairs the SD, confidence interval and p-value
/// are nil and `absentReason` says why.
public struct PairedComparison: Sendable, Hashable {
    public var n: Int
    public var baseline: DescriptiveSummary
    public var followUp: DescriptiveSummary
    public var differenceMean: Double?
    public var differenceCI95: ConfidenceInterval?
    public var wilcoxon: WilcoxonResult?
    public var zeroAtFollowUpPct: Double?
    public var reduced50Pct: Double?
    /// Why statistics are missing, e.g. "needs at least 2 complete pairs".
    public var absentReason: String?

    /// The minimum number of pairs for SD, confidence interval and test.
    public static let minimumPairs = 2

    public init(baseline: [Double], followUp: [Double]) {
        precondition(baseline.count == followUp.count, "pairs must be complete")
        let differences = zip(followUp, baseline).map { $0 - $1 }
        n = baseline.count
        self.baseline = DescriptiveSummary(baseline)
        self.followUp = DescriptiveSummary(followUp)
        differenceMean = Statistics.mean(differences)
        let enough = n >= PairedComparison.minimumPairs
        differenceCI95 = enough ? Statistics.confidenceInterval95(differences) : nil
        wilcoxon = enough ? WilcoxonSignedRank.test(followUp: followUp, baseline: baseline) : nil
        absentReason = enough ? nil : "needs at least \(PairedComparison.minimumPairs) complete pairs"
        func percent(_ predicate: (Double, Double) -> Bool) -> Double? {
            guard n > 0 else { return nil }
            let hits = zip(baseline, followUp).filter { predicate($0.0, $0.1) }.count
            return Double(hits) / Double(n) * 100
        }
        zeroAtFollowUpPct = percent { _, after in after == 0 }
        reduced50Pct = percent { before, after in after <= before / 2 }
    }
}

extension PairedComparison {
    /// The DESIGN's cohort keys; `zeroKey` names the zero-at-follow-up share
    /// (`abstinent_pct` for use days, `zero_pct` for craving).
    func jsonMembers(zeroKey: String) -> [(String, JSONValue)] {
        let ci: JSONValue = differenceCI95.map { .array([.number($0.lower), .number($0.upper)]) } ?? .null
        return [
            ("n", .int(n)),
            ("baseline", baseline.jsonValue),
            ("follow_up", followUp.jsonValue),
            ("difference", .object([("mean", .number(differenceMean)), ("ci95", ci)])),
            ("wilcoxon_p", .number(wilcoxon?.pValue)),
            ("wilcoxon", wilcoxon.map { .object([("statistic", .number($0.statistic)),
                                                 ("method", .string($0.method.rawValue))]) } ?? .null),
            (zeroKey, .number(zeroAtFollowUpPct)),
            ("reduced_50_pct", .number(reduced50Pct)),
            ("note", .string(absentReason)),
        ]
    }

    /// Facts and tables for people; `zeroLabel` names the zero-at-follow-up share.
    func blocks(zeroLabel: String) -> [DocumentBlock] {
        var blocks: [DocumentBlock] = [
            .table(DocumentTable(headers: ["", "mean", "SD", "median"], numeric: [1, 2, 3], rows: [
                ["baseline"] + baseline.cells,
                ["follow-up"] + followUp.cells,
            ])),
            .facts([
                DocumentFact("complete pairs", String(n)),
                DocumentFact("difference (follow-up - baseline)", ReportNumber.signed(differenceMean)),
                DocumentFact("95% CI (Student t)", ciText),
                DocumentFact("Wilcoxon signed-rank p", pText),
                DocumentFact(zeroLabel, ReportNumber.percent(zeroAtFollowUpPct)),
                DocumentFact(">= 50% reduction", ReportNumber.percent(reduced50Pct)),
            ]),
        ]
        if let absentReason { blocks.append(.note("SD, CI and p absent: \(absentReason).")) }
        return blocks
    }

    /// "[-18.2, -15.8]" or n/a.
    var ciText: String {
        differenceCI95.map { "[\(ReportNumber.fixed($0.lower, digits: 1)), \(ReportNumber.fixed($0.upper, digits: 1))]" }
            ?? ReportNumber.absent
    }

    /// "0.00781 (exact)" or n/a.
    var pText: String {
        wilcoxon.map { "\(ReportNumber.pValue($0.pValue)) (\($0.method.rawValue))" } ?? ReportNumber.absent
    }
}
