import KetlogReports
import XCTest

final class StatisticsTests: XCTestCase {
    func testMeanSDMedian() {
        let values = [2.0, 4, 4, 4, 5, 5, 7, 9]
        XCTAssertEqual(Statistics.mean(values), 5)
        // python3 -c "import numpy as n; print(n.std([2,4,4,4,5,5,7,9], ddof=1))" → 2.138089935299395
        XCTAssertEqual(Statistics.sampleStandardDeviation(values)!, 2.138089935299395, accuracy: 1e-12)
        XCTAssertEqual(Statistics.median(values), 4.5)
        XCTAssertEqual(Statistics.median([3, 1, 2]), 2)
    }

    func testTooSmallSamplesAreAbsentNotNaN() {
        XCTAssertNil(Statistics.mean([]))
        XCTAssertNil(Statistics.median([]))
        XCTAssertNil(Statistics.sampleStandardDeviation([4]))
        XCTAssertNil(Statistics.confidenceInterval95([4]))
        XCTAssertEqual(Statistics.confidenceInterval95([3, 3, 3]), ConfidenceInterval(lower: 3, upper: 3))
    }

    func testStudentTQuantilesMatchScipy() {
        // python3 -c "from scipy.stats import t; print([t.ppf(0.975, df) for df in (1, 2, 7, 29, 100)])"
        let expected: [(Double, Double)] = [(1, 12.706204736174694), (2, 4.302652729749462), (7, 2.364624251592784),
                                            (29, 2.045229642132703), (100, 1.9839715185235518)]
        for (df, quantile) in expected {
            XCTAssertEqual(StudentT.quantile(0.975, degreesOfFreedom: df)!, quantile, accuracy: 1e-9, "df \(df)")
            XCTAssertEqual(StudentT.quantile(0.025, degreesOfFreedom: df)!, -quantile, accuracy: 1e-9, "df \(df)")
        }
        // python3 -c "from scipy.stats import t; print([t.cdf(-2.5, df) for df in (1, 2, 7, 29, 100)])"
        let cdfs: [(Double, Double)] = [(1, 0.12111894159084341), (2, 0.06480586011075541), (7, 0.020496109292876444),
                                        (29, 0.009162672169213043), (100, 0.007022894562038586)]
        for (df, p) in cdfs {
            XCTAssertEqual(StudentT.cdf(-2.5, degreesOfFreedom: df)!, p, accuracy: 1e-12, "df \(df)")
        }
        XCTAssertNil(StudentT.quantile(1, degreesOfFreedom: 5))
    }

    func testConfidenceIntervalOfPairedDifferences() throws {
        // python3 -c "import numpy as n; from scipy.stats import t; d=n.array([-17,-15,-18,-16,-19,-16,-17,-18]);
        //   h=t.ppf(.975,7)*d.std(ddof=1)/n.sqrt(8); print(d.mean()-h, d.mean()+h)"
        // → -18.094608330267114 -15.905391669732888
        let ci = try XCTUnwrap(Statistics.confidenceInterval95([-17, -15, -18, -16, -19, -16, -17, -18]))
        XCTAssertEqual(ci.lower, -18.094608330267114, accuracy: 1e-9)
        XCTAssertEqual(ci.upper, -15.905391669732888, accuracy: 1e-9)
    }
}
