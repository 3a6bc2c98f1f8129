import KetlogReports
import XCTest

/// Every expected value comes from scipy 1.17.1 with defaults:
/// `python3 -c "from scipy.stats import wilcoxon; r = wilcoxon(X, Y); print(r.statistic, r.pvalue)"`
/// with X = follow-up and Y = baseline exactly as written in each test.
final class WilcoxonSignedRankTests: XCTestCase {
    private func check(_ followUp: [Double], _ baseline: [Double], statistic: Double, p: Double,
                       method: WilcoxonResult.Method, file: StaticString = #filePath, line: UInt = #line) {
        guard let result = WilcoxonSignedRank.test(followUp: followUp, baseline: baseline) else {
            return XCTFail("no result", file: file, line: line)
        }
        XCTAssertEqual(result.statistic, statistic, file: file, line: line)
        XCTAssertEqual(result.pValue, p, accuracy: p * 1e-6, file: file, line: line)
        XCTAssertEqual(result.method, method, file: file, line: line)
    }

    func testExactSmallSampleWithoutTies() {
        // wilcoxon([1,5,2,8,3,10,4], [3,12,7,20,9,23,2.5]) → 1.0 0.03125
        check([1, 5, 2, 8, 3, 10, 4], [3, 12, 7, 20, 9, 23, 2.5], statistic: 1, p: 0.03125, method: .exact)
    }

    func testExactTwentyWithoutTies() {
        // x = [i*0.5 for i in range(20)]; y = [i*0.5 + (-1)**i*(i+1)*0.37 + 0.9 for i in range(20)]
        // wilcoxon(x, y) → 90.0 0.5958194732666016
        let x = (0..<20).map { Double($0) * 0.5 }
        let y = (0..<20).map { (i: Int) -> Double in
            let sign = i % 2 == 0 ? 1 : -1
            let swing: Double = Double(sign * (i + 1)) * 0.37
            return Double(i) * 0.5 + swing + 0.9
        }
        check(x, y, statistic: 90, p: 0.5958194732666016, method: .exact)
    }

    func testPermutationWithTies() {
        // wilcoxon([2,3,3,5,0,1,4,2,6,1], [5,6,6,4,3,4,8,4,9,3]) → 1.0 0.00390625
        check([2, 3, 3, 5, 0, 1, 4, 2, 6, 1], [5, 6, 6, 4, 3, 4, 8, 4, 9, 3], statistic: 1, p: 0.00390625,
              method: .permutation)
    }

    func testPermutationWithZeroDifferences() {
        // wilcoxon([2,3,3,5,0,1,4,2], [5,3,6,4,3,1,8,4]) → 1.0 0.0625  (two zero differences)
        check([2, 3, 3, 5, 0, 1, 4, 2], [5, 3, 6, 4, 3, 1, 8, 4], statistic: 1, p: 0.0625, method: .permutation)
    }

    func testNormalApproximationWithTiesAboveThirteen() {
        // wilcoxon([0,1,2,0,3,1,0,2,5,1,0,0,2,4,1,0,3,2,1,0], [4,5,2,6,3,7,4,6,8,5,2,4,6,9,5,4,7,6,3,4])
        // → 0.0 0.00011451565475857994
        check([0, 1, 2, 0, 3, 1, 0, 2, 5, 1, 0, 0, 2, 4, 1, 0, 3, 2, 1, 0],
              [4, 5, 2, 6, 3, 7, 4, 6, 8, 5, 2, 4, 6, 9, 5, 4, 7, 6, 3, 4],
              statistic: 0, p: 0.00011451565475857994, method: .normal)
    }

    func testNormalApproximationWithZerosAndTies() {
        // wilcoxon([3,1,4,1,5,9,2,6,5,3,5,8,9,7,9,3], [2,7,1,8,2,8,1,8,2,8,4,5,9,0,4,5]) → 50.0 0.568261333097589
        check([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3], [2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5, 9, 0, 4, 5],
              statistic: 50, p: 0.568261333097589, method: .normal)
    }

    func testNormalApproximationAboveFifty() {
        // wilcoxon([(i*7)%11 for i in range(60)], [(i*5)%13 + 3 for i in range(60)]) → 172.5 8.624518816239475e-07
        check((0..<60).map { Double($0 * 7 % 11) }, (0..<60).map { Double($0 * 5 % 13 + 3) },
              statistic: 172.5, p: 8.624518816239475e-07, method: .normal)
    }

    func testAllDifferencesZeroGiveOneNeverNaN() {
        // wilcoxon([3,3,3,3,3], [3,3,3,3,3]) → 0.0 1.0
        check([3, 3, 3, 3, 3], [3, 3, 3, 3, 3], statistic: 0, p: 1, method: .noDifferences)
        // wilcoxon([1]*20, [1]*20) → 0.0 nan in scipy (σ = 0); ketlog documents p = 1 instead.
        check([Double](repeating: 1, count: 20), [Double](repeating: 1, count: 20), statistic: 0, p: 1,
              method: .noDifferences)
    }

    func testSinglePair() {
        // wilcoxon([5], [20]) → 0.0 1.0
        check([5], [20], statistic: 0, p: 1, method: .exact)
    }

    func testEmptyOrMismatchedInputHasNoResult() {
        XCTAssertNil(WilcoxonSignedRank.test(followUp: [], baseline: []))
        XCTAssertNil(WilcoxonSignedRank.test(followUp: [1, 2], baseline: [1]))
        XCTAssertNil(WilcoxonSignedRank.test(differences: [1, .nan]))
    }
}
