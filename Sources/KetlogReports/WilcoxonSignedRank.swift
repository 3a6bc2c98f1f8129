import Foundation

/// The two-sided Wilcoxon signed-rank test, reproducing `scipy.stats.wilcoxon(x, y)` with its
/// defaults in scipy 1.17 (`zero_method="wilcox"`, `correction=False`, `method="auto"`).
///
/// What scipy does, and therefore this type:
/// - d = x − y; zero differences are dropped from the ranking, but the sample size n that picks the
///   method counts them.
/// - n > 50: normal approximation. Otherwise, with no ties and no zeros: the exact distribution of
///   r⁺, p = 2·min(P(R ≤ r⁺), P(R ≥ r⁺)) capped at 1. With ties or zeros and n ≤ 13: all 2ⁿ sign
///   flips (scipy's `permutation_test`, which is exhaustive there), same two-sided rule. Otherwise:
///   the normal approximation, z = (r⁺ − m)/σ with m = c(c+1)/4 and
///   σ² = (c(c+1)(2c+1) − Σ(t³−t)/2)/24 over the c non-zero differences, no continuity correction.
/// - The statistic is min(r⁺, r⁻).
///
/// One deliberate difference: when every difference is zero, scipy returns p = 1 for n ≤ 13 but NaN
/// above (σ = 0). Here p is 1 in both cases (method `.noDifferences`), since no pair changed.
public enum WilcoxonSignedRank {
    /// Tests follow-up against baseline, pair by pair (`scipy.stats.wilcoxon(followUp, baseline)`).
    /// Returns nil when there are no pairs, the arrays differ in length, or a value is not finite.
    public static func test(followUp: [Double], baseline: [Double]) -> WilcoxonResult? {
        guard followUp.count == baseline.count else { return nil }
        return test(differences: zip(followUp, baseline).map { $0 - $1 })
    }

    /// Tests paired differences against a median of zero; nil for an empty or non-finite sample.
    public static func test(differences: [Double]) -> WilcoxonResult? {
        let n = differences.count
        guard n > 0, differences.allSatisfy(\.isFinite) else { return nil }
        let nonZero = differences.filter { $0 != 0 }
        let count = nonZero.count
        guard count > 0 else {
            return WilcoxonResult(statistic: 0, pValue: 1, method: .noDifferences, nonZeroCount: 0)
        }

        // Average ranks of |d|, in units of half a rank so that they stay integers.
        let order = nonZero.indices.sorted { abs(nonZero[$0]) < abs(nonZero[$1]) }
        var doubledRanks = [Int](repeating: 0, count: count)
        var tieCorrection = 0.0
        var hasTies = false
        var start = 0
        while start < count {
            var end = start
            while end + 1 < count, abs(nonZero[order[end + 1]]) == abs(nonZero[order[start]]) { end += 1 }
            let tied = end - start + 1
            // Ranks start+1 … end+1 average to (start + end + 2) / 2.
            for k in start...end { doubledRanks[order[k]] = start + end + 2 }
            if tied > 1 {
                hasTies = true
                let t = Double(tied)
                tieCorrection += t * t * t - t
            }
            start = end + 1
        }
        let doubledPlus = zip(nonZero, doubledRanks).reduce(0) { $0 + ($1.0 > 0 ? $1.1 : 0) }
        let doubledTotal = count * (count + 1)
        let rPlus = Double(doubledPlus) / 2
        let rMinus = Double(doubledTotal - doubledPlus) / 2
        let statistic = min(rPlus, rMinus)
        let hasZeros = count < n

        let method: WilcoxonResult.Method
        let p: Double
        if n <= 50 && !hasTies && !hasZeros {
            method = .exact
            p = signFlipPValue(doubledRanks: doubledRanks, observed: doubledPlus)
        } else if n <= 13 {
            // Zeros flip to themselves, so they scale every count by the same power of two and
            // leave the permutation p-value unchanged: enumerate over the non-zero ranks only.
            method = .permutation
            p = signFlipPValue(doubledRanks: doubledRanks, observed: doubledPlus)
        } else {
            method = .normal
            let c = Double(count)
            let mean = c * (c + 1) / 4
            let sigma = ((c * (c + 1) * (2 * c + 1) - tieCorrection / 2) / 24).squareRoot()
            let z = (rPlus - mean) / sigma
            p = min(1, erfc(abs(z) / 2.0.squareRoot()))
        }
        return WilcoxonResult(statistic: statistic, pValue: p.isFinite ? p : 1, method: method, nonZeroCount: count)
    }

    /// 2·min(P(S ≤ observed), P(S ≥ observed)) capped at 1, where S is the sum of the ranks given a
    /// positive sign under independent fair sign flips. Ranks are doubled so that sums are integers;
    /// without ties this is exactly scipy's exact distribution, with ties its exhaustive permutation.
    static func signFlipPValue(doubledRanks: [Int], observed: Int) -> Double {
        let total = doubledRanks.reduce(0, +)
        var probability = [Double](repeating: 0, count: total + 1)
        probability[0] = 1
        var reach = 0
        for rank in doubledRanks {
            reach += rank
            for sum in stride(from: reach, through: 0, by: -1) {
                let without = probability[sum] * 0.5
                let with = sum >= rank ? probability[sum - rank] * 0.5 : 0
                probability[sum] = without + with
            }
        }
        let lower = probability[0...observed].reduce(0, +)
        let upper = probability[observed...total].reduce(0, +)
        return min(1, 2 * min(lower, upper))
    }
}
