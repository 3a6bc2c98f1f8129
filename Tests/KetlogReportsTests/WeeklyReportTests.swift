import KetlogReports
import XCTest

final class WeeklyReportTests: XCTestCase {
    private var report: WeeklyReport {
        let dataset = Fixtures.weeklyActivity
        return WeeklyReport(dataset: dataset, week: WeekSelection.last.resolve(today: dataset.today))
    }

    func testWeekActivity() {
        let report = self.report
        XCTAssertEqual(report.week.description, "2026-W07")
        XCTAssertEqual(report.from.description, "2026-02-09")
        XCTAssertEqual(report.to.description, "2026-02-15")
        XCTAssertEqual(report.sessionCount, 3)
        XCTAssertEqual(report.sessionsByRoute.map(\.key), ["iv", "intranasal"])
        XCTAssertEqual(report.sessionsByRoute.map(\.count), [2, 1])
        XCTAssertEqual(report.mgPerKgByRoute.first { $0.route == "iv" }?.meanMgPerKg ?? 0, (0.41 + 0.5) / 2, accuracy: 1e-12)
        XCTAssertNil(report.mgPerKgByRoute.first { $0.route == "intranasal" }?.meanMgPerKg)
        XCTAssertEqual(report.patientsTreated, 2)
        XCTAssertEqual(report.newPatients, ["P-0009"])
        // In the week: P-0008's follow-up (T0 12 Jan + 28 = 9 Feb) and P-0009's two scores.
        XCTAssertEqual(report.scoresRecorded, 3)
        XCTAssertEqual(report.amendments, 2)
        XCTAssertEqual(report.voids, 1)
    }

    func testAlertsCompareWithThePreviousScore() throws {
        let alerts = report.alerts
        XCTAssertEqual(alerts.map(\.patientCode), ["P-0009"])
        XCTAssertEqual(alerts.first?.reasons, [.cravingUp, .useUp])
        XCTAssertEqual(alerts.first?.previousDate.description, "2026-02-09")
    }

    func testOverdueNeedsRecentSessionAndNoRecentScore() {
        // Today 2026-02-16: sessions after 2026-01-05 are recent (P-0001's T0 on 5 Jan is 42 days out);
        // scores after 2026-02-02 are recent (P-0012's on 3 Feb, 13 days, is). P-0010 last scored on
        // 20 Jan and P-0011 never.
        XCTAssertEqual(report.overdue.map(\.patientCode), ["P-0010", "P-0011"])
        XCTAssertNil(report.overdue.last?.lastScore)
    }

    func testEmptyWeekRendersWithoutNaN() throws {
        let dataset = ReportDataset(patients: [], sessions: [], scores: [], audit: Fixtures.audit,
                                    today: Fixtures.date("2026-01-01"))
        let empty = WeeklyReport(dataset: dataset, week: try XCTUnwrap(ISOWeek(iso: "2026-W53")))
        XCTAssertEqual(empty.sessionCount, 0)
        for format in ReportFormat.allCases {
            XCTAssertFalse(format.renderer().render(empty).lowercased().contains("nan"), "\(format)")
        }
    }
}
