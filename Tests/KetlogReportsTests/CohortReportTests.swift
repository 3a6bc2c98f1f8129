import KetlogModel
import KetlogReports
import XCTest

final class CohortReportTests: XCTestCase {
    private let audit = Fixtures.audit
    private func date(_ text: String) -> ClinicalDate { Fixtures.date(text) }

    func testCocaineCohortMeansAndDoseGroups() throws {
        let report = CohortReport(dataset: Fixtures.cocaineCohort, query: try CohortQuery(grouping: .dose))
        XCTAssertEqual(report.overall.n, 8)
        XCTAssertTrue(report.overall.missing.isEmpty)
        XCTAssertEqual(report.overall.useDays.baseline.mean!, 22, accuracy: 1e-12)
        XCTAssertEqual(report.overall.useDays.followUp.mean!, 5, accuracy: 1e-12)
        XCTAssertEqual(report.overall.useDays.differenceMean!, -17, accuracy: 1e-12)
        XCTAssertEqual(report.groups.map(\.key), ["0.41 mg/kg", "0.71 mg/kg"])
        XCTAssertEqual(report.groups.map(\.n), [4, 4])
        // Differences −16,−18,−18,−16 | −17,−17,−17,−17: ties, n = 8 ≤ 13 → permutation.
        // python3 -c "from scipy.stats import wilcoxon; print(wilcoxon([4,6,3,7,5,8,2,5],[20,24,21,23,22,25,19,22]).pvalue)"
        // → 0.0078125
        XCTAssertEqual(report.overall.useDays.wilcoxon?.pValue ?? -1, 0.0078125, accuracy: 1e-12)
        XCTAssertEqual(report.overall.useDays.wilcoxon?.method, .permutation)
        XCTAssertEqual(report.overall.useDays.zeroAtFollowUpPct, 0)
        XCTAssertEqual(report.overall.useDays.reduced50Pct, 100)
        let json = JSONRenderer().render(report)
        XCTAssertTrue(json.contains("\"mean\": 22,"), json)
        XCTAssertTrue(json.contains("\"key\": \"0.71 mg/kg\""))
    }

    func testAbstinencePercent() throws {
        let report = CohortReport(dataset: Fixtures.abstinenceCohort, query: try CohortQuery())
        XCTAssertEqual(report.overall.n, 27)
        XCTAssertEqual(report.overall.useDays.zeroAtFollowUpPct!, 1300.0 / 27, accuracy: 1e-9)
        XCTAssertTrue(TextRenderer().render(report).contains("48.1%"))
        XCTAssertTrue(JSONRenderer().render(report).contains("\"abstinent_pct\": 48.1481"))
    }

    /// One patient, T0 on 1 Jan 2026, a baseline score on T0 itself, and follow-ups at the given days.
    private func onePatient(followUpDays: [Int], baselineOffset: Int = 0) -> ReportDataset {
        let start = date("2026-01-01")
        var scores = [ReportScore(id: 1, patientID: 1, date: start.adding(days: baselineOffset), craving: 6, useDays: 20,
                                  windowDays: 28)]
        for (i, day) in followUpDays.enumerated() {
            scores.append(ReportScore(id: Int64(10 + i), patientID: 1, date: start.adding(days: day), craving: i,
                                      useDays: i + 1, windowDays: 28))
        }
        return ReportDataset(patients: [ReportPatient(id: 1, code: "P-1", substances: ["heroin"])],
                             sessions: [ReportSession(id: 1, patientID: 1, date: start, route: "im", doseMgPerKg: 0.5,
                                                      doseMg: 35, practitioner: "Dr A")],
                             scores: scores, audit: audit, today: date("2026-06-01"))
    }

    private func pair(_ dataset: ReportDataset, _ query: CohortQuery? = nil) throws -> CohortGroupSummary {
        CohortReport(dataset: dataset, query: try query ?? CohortQuery()).overall
    }

    func testFollowUpTieGoesToTheLaterScore() throws {
        // Days 25 and 31 are both 3 days from day 28; the later (use days 2) wins.
        let group = try pair(onePatient(followUpDays: [25, 31]))
        XCTAssertEqual(group.useDays.followUp.mean, 2)
    }

    func testFollowUpClosestWins() throws {
        let group = try pair(onePatient(followUpDays: [22, 27, 34]))
        XCTAssertEqual(group.useDays.followUp.mean, 2, "day 27 is closest to day 28")
    }

    func testOutsideToleranceIsMissingNotDropped() throws {
        let group = try pair(onePatient(followUpDays: [20, 36]))
        XCTAssertEqual(group.n, 0)
        XCTAssertEqual(group.missing.map(\.reason), [.noFollowUp])
        XCTAssertEqual(group.missing.first?.patientCode, "P-1")
        XCTAssertEqual(group.useDays.absentReason, "needs at least 2 complete pairs")
        let wider = try CohortQuery(followUp: FollowUpRule(days: 28, toleranceDays: 8))
        XCTAssertEqual(try pair(onePatient(followUpDays: [20, 36]), wider).n, 1)
    }

    func testBaselineOnTreatmentDayCountsButNotAfter() throws {
        XCTAssertEqual(try pair(onePatient(followUpDays: [28], baselineOffset: 0)).n, 1)
        let late = try pair(onePatient(followUpDays: [28], baselineOffset: 1))
        XCTAssertEqual(late.n, 0)
        XCTAssertEqual(late.missing.map(\.reason), [.noBaseline])
    }

    func testWindowDaysNormalisedTo28() throws {
        var dataset = onePatient(followUpDays: [28])
        dataset.scores[0] = ReportScore(id: 1, patientID: 1, date: date("2026-01-01"), craving: 6, useDays: 7, windowDays: 14)
        XCTAssertEqual(try pair(dataset).useDays.baseline.mean, 14)
        XCTAssertEqual(ReportScore(id: 1, patientID: 1, date: date("2026-01-01"), craving: 0, useDays: 30,
                                   windowDays: 90).useDaysPer28, 30.0 * 28 / 90)
    }

    func testFiltersByTreatmentStartRouteAndSubstance() throws {
        let dataset = Fixtures.cocaineCohort
        let ranged = try CohortQuery(from: date("2026-01-06"), to: date("2026-01-08"))
        XCTAssertEqual(CohortReport(dataset: dataset, query: ranged).overall.n, 3)
        XCTAssertEqual(CohortReport(dataset: dataset, query: try CohortQuery(route: "im")).overall.n, 0)
        XCTAssertEqual(CohortReport(dataset: dataset, query: try CohortQuery(substance: "alcohol")).overall.n, 0)
        XCTAssertEqual(CohortReport(dataset: dataset, query: try CohortQuery(practitioner: "Dr Okafor")).overall.n, 4)
        XCTAssertThrowsError(try CohortQuery(from: date("2026-02-01"), to: date("2026-01-01")))
    }

    func testEmptyAndSinglePairCohortsHaveNoNaN() throws {
        let empty = ReportDataset(patients: [], sessions: [], scores: [], audit: audit, today: date("2026-01-01"))
        for dataset in [empty, onePatient(followUpDays: [28])] {
            let report = CohortReport(dataset: dataset, query: try CohortQuery(grouping: .route))
            XCTAssertNil(report.overall.useDays.baseline.sd)
            XCTAssertNil(report.overall.useDays.differenceCI95)
            XCTAssertNil(report.overall.useDays.wilcoxon)
            for format in ReportFormat.allCases {
                let output = format.renderer().render(report).lowercased()
                XCTAssertFalse(output.contains("nan"), "\(format)")
                XCTAssertFalse(output.contains("inf"), "\(format)")
            }
        }
    }

    func testReducedByHalfWithZeroBaseline() {
        // Baseline 0: counts as reduced only when the follow-up is 0 too (follow-up ≤ baseline / 2).
        let comparison = PairedComparison(baseline: [0, 0, 10], followUp: [0, 2, 5])
        XCTAssertEqual(comparison.reduced50Pct!, 200.0 / 3, accuracy: 1e-9)
        XCTAssertEqual(comparison.zeroAtFollowUpPct!, 100.0 / 3, accuracy: 1e-9)
    }
}
