import KetlogReports
import XCTest

final class PatientTrendReportTests: XCTestCase {
    func testBaselineLatestChangeAndZeroRun() throws {
        let report = try PatientTrendReport(dataset: Fixtures.cocaineCohort, patientCode: "p-0001")
        XCTAssertEqual(report.patientCode, "P-0001")
        XCTAssertEqual(report.treatmentStart?.description, "2026-01-05")
        XCTAssertEqual(report.baseline?.useDaysPer28, 20)
        XCTAssertEqual(report.baseline?.daysSinceStart, 0)
        XCTAssertEqual(report.latest?.date.description, "2026-02-16")
        XCTAssertEqual(report.change?.useDaysPer28, -20)
        XCTAssertEqual(report.change?.useDaysPer28Percent, -100)
        XCTAssertEqual(report.scores.map(\.daysSinceStart), [0, 7, 14, 28, 42])
        XCTAssertEqual(report.scores[1].useDaysPer28, 12, "6 days in a 14-day window")
        XCTAssertEqual(report.longestZeroRun.length, 1)
        XCTAssertEqual(report.sessions.count, 1)
    }

    func testLongestZeroRunCountsConsecutiveScores() throws {
        var dataset = Fixtures.cocaineCohort
        // P-0001's follow-up (day 28) becomes zero too: days 14, 28, 42 are a run of three.
        let index = try XCTUnwrap(dataset.scores.firstIndex { $0.patientID == 1 && $0.date == Fixtures.date("2026-02-02") })
        dataset.scores[index].useDays = 0
        let run = try PatientTrendReport(dataset: dataset, patientCode: "P-0001").longestZeroRun
        XCTAssertEqual(run.length, 3)
        XCTAssertEqual(run.from?.description, "2026-01-19")
        XCTAssertEqual(run.to?.description, "2026-02-16")
    }

    func testPercentChangeAbsentForZeroBaseline() throws {
        let start = Fixtures.date("2026-01-01")
        let dataset = ReportDataset(
            patients: [ReportPatient(id: 1, code: "Z-1", substances: [])],
            sessions: [ReportSession(id: 1, patientID: 1, date: start, route: "oral", doseMgPerKg: 1, doseMg: 70,
                                     practitioner: "Dr A")],
            scores: [ReportScore(id: 1, patientID: 1, date: start, craving: 0, useDays: 0, windowDays: 28),
                     ReportScore(id: 2, patientID: 1, date: start.adding(days: 9), craving: 3, useDays: 2, windowDays: 28)],
            audit: Fixtures.audit, today: start.adding(days: 20))
        let report = try PatientTrendReport(dataset: dataset, patientCode: "Z-1")
        XCTAssertEqual(report.change?.useDaysPer28, 2)
        XCTAssertNil(report.change?.useDaysPer28Percent)
        XCTAssertNil(report.change?.cravingPercent)
        XCTAssertTrue(JSONRenderer().render(report).contains("\"percent\": null"))
    }

    func testPatientWithoutSessionsOrScoresSaysWhy() throws {
        let dataset = ReportDataset(patients: [ReportPatient(id: 1, code: "E-1", substances: ["other"])],
                                    sessions: [], scores: [], audit: Fixtures.audit, today: Fixtures.date("2026-01-01"))
        let report = try PatientTrendReport(dataset: dataset, patientCode: "E-1")
        XCTAssertNil(report.treatmentStart)
        XCTAssertNil(report.change)
        XCTAssertEqual(report.notes, ["no sessions: treatment start unknown"])
        for format in ReportFormat.allCases {
            XCTAssertFalse(format.renderer().render(report).lowercased().contains("nan"), "\(format)")
        }
    }

    func testUnknownPatient() {
        XCTAssertThrowsError(try PatientTrendReport(dataset: Fixtures.cocaineCohort, patientCode: "P-9999")) {
            XCTAssertEqual($0 as? ReportError, .patientNotFound)
        }
    }
}
