import Foundation
import KetlogModel
@testable import KetlogReports
import XCTest

/// A window that ends after the report's today: the days still to come are not yet observed
/// (`Fixtures.dailyCohortLive`, today 2026-05-01; D-17…D-20 incomplete, D-21 complete today).
final class DailyUseWindowTests: XCTestCase {
    private let incomplete = ["D-17", "D-18", "D-19", "D-20"]

    private func endpoints(_ code: String, _ rule: MissingDayRule) throws -> PatientTrendReport.DailyUse {
        let report = try PatientTrendReport(dataset: Fixtures.dailyCohortLive, patientCode: code,
                                            endpoints: EndpointOptions(missingRule: rule))
        return try XCTUnwrap(report.dailyUse, code)
    }

    private func json(_ report: some RenderableReport) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(JSONRenderer().render(report).utf8)) as? [String: Any])
    }

    // MARK: Cohort

    func testCohortListsIncompleteWindowsAndLeavesThemOutOfTheEndpointsAndTheCurve() throws {
        let live = Fixtures.dailyCohortLive
        for rule in MissingDayRule.allCases {
            let query = try CohortQuery(grouping: .dose, missingRule: rule)
            let report = CohortReport(dataset: live, query: query)
            let listed = report.overall.missing.filter { $0.reason == .windowIncomplete }.map(\.patientCode)
            XCTAssertEqual(listed, incomplete, "\(rule)")
            // The window-incomplete patients are not also called patients without daily data.
            XCTAssertFalse(report.overall.missing.contains { incomplete.contains($0.patientCode) && $0.reason == .noDailyData })
            // D-21's window ends today: complete, in the endpoints (relapse on day 20).
            XCTAssertFalse(report.overall.missing.contains {
                $0.patientCode == "D-21" && [.windowIncomplete, .noDailyData].contains($0.reason)
            })

            // Exactly the endpoints (and Kaplan-Meier curve) of the cohort without those patients, overall and per group.
            var without = live
            let ids = Set(live.patients.filter { incomplete.contains($0.code) }.map(\.id))
            without.patients.removeAll { ids.contains($0.id) }
            without.sessions.removeAll { ids.contains($0.patientID) }
            without.days.removeAll { ids.contains($0.patientID) }
            let expected = CohortReport(dataset: without, query: query)
            XCTAssertEqual(report.overall.endpoints, expected.overall.endpoints, "\(rule)")
            XCTAssertEqual(report.groups.map(\.key), expected.groups.map(\.key))
            XCTAssertEqual(report.groups.map(\.endpoints), expected.groups.map(\.endpoints), "\(rule)")
            let endpoints = try XCTUnwrap(report.overall.endpoints)
            let all = CohortReport(dataset: Fixtures.dailyCohort, query: query).overall.endpoints
            XCTAssertEqual(endpoints.patientsWithDailyData, try XCTUnwrap(all).patientsWithDailyData + 1, "D-21 only joins")
            XCTAssertEqual(endpoints.relapse.events + endpoints.relapse.censored, endpoints.patientsWithDailyData)
            XCTAssertEqual(endpoints.relapse.curve.first?.atRisk, endpoints.patientsWithDailyData)
            // Per group too: each incomplete patient is listed in its dose group.
            for group in report.groups {
                let inGroup = group.missing.filter { $0.reason == .windowIncomplete }.map(\.patientCode)
                XCTAssertEqual(inGroup, group.key == "0.50 mg/kg" ? ["D-17", "D-19"] : ["D-18", "D-20"], group.key)
            }
        }
    }

    func testCohortFormatsNameTheReason() throws {
        let report = CohortReport(dataset: Fixtures.dailyCohortLive, query: try CohortQuery(grouping: .dose))
        let missing = try XCTUnwrap(try json(report)["missing"] as? [[String: Any]])
        XCTAssertEqual(missing.filter { $0["reason"] as? String == "follow-up window not yet complete" }.compactMap { $0["patient"] as? String },
                       incomplete)
        let text = TextRenderer().render(report)
        XCTAssertTrue(text.contains("D-17") && text.contains("follow-up window not yet complete"), text)
        for line in text.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 80, String(line)) }
        XCTAssertTrue(MarkdownRenderer().render(report).contains("follow-up window not yet complete"))
        XCTAssertTrue(HTMLRenderer().render(report).contains("follow-up window not yet complete"))
        XCTAssertTrue(CSVRenderer().render(report).contains(",follow-up window not yet complete"))
    }

    // MARK: Patient report

    /// Used on day 4 of 10 observed days: the same under both rules (no missing day).
    func testPatientWhoUsedBeforeToday() throws {
        for rule in MissingDayRule.allCases {
            let daily = try endpoints("D-17", rule)
            XCTAssertFalse(daily.calendar.windowComplete)
            XCTAssertEqual(daily.calendar.days.count, 10)
            XCTAssertEqual(daily.calendar.days.last?.date, Fixtures.date("2026-05-01"))
            let e = daily.endpoints
            XCTAssertEqual(try XCTUnwrap(e.pctDaysAbstinent), 90, accuracy: 1e-9, "\(rule)")
            XCTAssertEqual(e.longestAbstinenceDays, 6)
            XCTAssertNil(e.abstinentLast14, "no last-14 endpoint before day 28")
            XCTAssertEqual(e.relapseDay, 4)
            XCTAssertNil(e.censoredDay)
        }
    }

    /// Abstinent on every one of 15 observed days: no relapse, censored at day 15 (not 28, and
    /// under `use` not a relapse on day 16, which has not happened yet).
    func testPatientWhoDidNotUseIsCensoredAtTheLastObservedDay() throws {
        for rule in MissingDayRule.allCases {
            let e = try endpoints("D-18", rule).endpoints
            XCTAssertEqual(e.pctDaysAbstinent, 100, "\(rule)")
            XCTAssertEqual(e.longestAbstinenceDays, 15)
            XCTAssertNil(e.abstinentLast14)
            XCTAssertNil(e.relapseDay, "\(rule)")
            XCTAssertEqual(e.censoredDay, 15, "\(rule)")
        }
    }

    /// Days 1, 2, 4, 5 abstinent, 3 and 6 (today) missing: `use` relapses on day 3 (a missing
    /// observed day); `ignore` is 4 of 4 abstinent, censored at day 5, the last known day.
    func testPatientWithMissingDaysUnderBothRules() throws {
        let use = try endpoints("D-19", .use).endpoints
        XCTAssertEqual(try XCTUnwrap(use.pctDaysAbstinent), 400.0 / 6, accuracy: 1e-9)
        XCTAssertEqual(use.longestAbstinenceDays, 2)
        XCTAssertEqual(use.relapseDay, 3)
        XCTAssertNil(use.censoredDay)
        XCTAssertNil(use.abstinentLast14)
        let ignore = try endpoints("D-19", .ignore).endpoints
        XCTAssertEqual(ignore.pctDaysAbstinent, 100)
        XCTAssertEqual(ignore.longestAbstinenceDays, 4)
        XCTAssertNil(ignore.relapseDay)
        XCTAssertEqual(ignore.censoredDay, 5)
        XCTAssertNil(ignore.abstinentLast14)
    }

    /// T0 + 28 = today: complete, day 28 observed, the last-14 endpoint applies.
    func testWindowEndingTodayIsComplete() throws {
        let daily = try endpoints("D-21", .use)
        XCTAssertTrue(daily.calendar.windowComplete)
        XCTAssertEqual(daily.calendar.days.count, 28)
        XCTAssertEqual(daily.endpoints.abstinentLast14, false)
        XCTAssertEqual(daily.endpoints.relapseDay, 20)
    }

    /// Started today: nothing observed; endpoints null, the calendar empty, a note says why.
    func testPatientStartedTodayHasNothingObserved() throws {
        let report = try PatientTrendReport(dataset: Fixtures.dailyCohortLive, patientCode: "D-20")
        let daily = try XCTUnwrap(report.dailyUse)
        XCTAssertEqual(daily.calendar.days, [])
        XCTAssertEqual(daily.endpoints, .none)
        XCTAssertTrue(report.notes.contains("no daily-use endpoints: no day of the window has passed yet"), "\(report.notes)")
        let object = try json(report)
        let endpoints = try XCTUnwrap(object["endpoints"] as? [String: Any])
        XCTAssertEqual(endpoints["window_complete"] as? Bool, false)
        XCTAssertEqual(endpoints["observed_days"] as? Int, 0)
        XCTAssertEqual((object["calendar"] as? [Any])?.count, 0)
        let text = TextRenderer().render(report)
        XCTAssertTrue(text.contains("No day of the window has passed yet."), text)
        XCTAssertTrue(text.contains("none of 28 days yet (day 1 is 2026-05-02)"), text)
    }

    /// Every format shows the 10 observed days of D-17 and none of the 18 still to come.
    func testEveryFormatShowsOnlyObservedDays() throws {
        let report = try PatientTrendReport(dataset: Fixtures.dailyCohortLive, patientCode: "D-17")
        let object = try json(report)
        let endpoints = try XCTUnwrap(object["endpoints"] as? [String: Any])
        XCTAssertEqual(endpoints["window_complete"] as? Bool, false)
        XCTAssertEqual(endpoints["observed_days"] as? Int, 10)
        XCTAssertEqual(endpoints["window_days"] as? Int, 28)
        XCTAssertTrue(endpoints["abstinent_last_14"] is NSNull)
        XCTAssertEqual(endpoints["relapse_day"] as? Int, 4)
        let calendar = try XCTUnwrap(object["calendar"] as? [[String: Any]])
        XCTAssertEqual(calendar.count, 10)
        XCTAssertEqual(calendar.last?["date"] as? String, "2026-05-01")
        XCTAssertFalse(calendar.contains { $0["status"] as? String == "missing" })

        let csv = CSVRenderer().render(report)
        XCTAssertTrue(csv.contains("\nendpoints.window_complete,false\n"), csv)
        XCTAssertTrue(csv.contains("\nendpoints.observed_days,10\n"), csv)
        XCTAssertTrue(csv.contains("\ncalendar.9.date,2026-05-01\n"), csv)
        XCTAssertFalse(csv.contains("\ncalendar.10."), csv)

        for (name, text) in [("text", TextRenderer().render(report)), ("markdown", MarkdownRenderer().render(report))] {
            XCTAssertTrue(text.contains("observed so far") && text.contains("days 1-10 of 28 (to 2026-05-01); the rest"), name)
            XCTAssertTrue(text.contains("Days 1-10 of 28 after 2026-04-21 (so far):"), name)
            XCTAssertTrue(text.contains("not yet (day 28 not reached)"), name)
            // Two calendar rows: days 1-7 and 8-10, the second closed after day 10 (no blank cell, which reads as missing).
            XCTAssertTrue(text.contains("2026-04-22  days 1-7    |. . . # . . .|\n"), name + "\n" + text)
            XCTAssertTrue(text.contains("2026-04-29  days 8-10   |. . .|\n"), name + "\n" + text)
            XCTAssertFalse(text.contains("days 11-"), name)
            XCTAssertFalse(text.contains("2026-05-02"), name)
        }
        for line in TextRenderer().render(report).split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 80, String(line)) }

        let html = HTMLRenderer().render(report)
        XCTAssertTrue(html.contains("2026-05-01, day 10: abstinent"), "today is drawn")
        XCTAssertFalse(html.contains("day 11"), "no day after today is drawn")
        XCTAssertFalse(html.contains(": missing</title>"), "D-17 has no missing observed day")
        XCTAssertTrue(html.contains("the rest not yet observed"))
    }

    // MARK: --follow-up-days

    func testFollowUpDaysBound() throws {
        XCTAssertEqual(FollowUpRule.allowedDays, 1...365)
        for days in [1, 28, 365] { XCTAssertEqual(try FollowUpRule(days: days).days, days) }
        for days in [0, -1, 366, 10_000] {
            XCTAssertThrowsError(try FollowUpRule(days: days), "\(days)") { error in
                XCTAssertEqual(error as? ReportError, .outOfRange(name: "follow-up-days", allowed: 1...365))
            }
        }
        XCTAssertThrowsError(try FollowUpRule(days: 28, toleranceDays: -1)) { error in
            XCTAssertEqual(error as? ReportError, .invalidParameter(name: "tolerance-days"))
        }
    }

    /// The longest window (365 days) over the live cohort: only patients whose year has passed join
    /// (none in this fixture, so every patient is listed and the endpoints are empty, not invented).
    func testTheLongestWindowLeavesEveryRecentPatientOut() throws {
        let report = CohortReport(dataset: Fixtures.dailyCohortLive,
                                  query: try CohortQuery(followUp: FollowUpRule(days: 365)))
        let endpoints = try XCTUnwrap(report.overall.endpoints)
        XCTAssertEqual(endpoints.patientsWithDailyData, 0)
        XCTAssertEqual(endpoints.relapse.curve, [])
        XCTAssertEqual(report.overall.missing.filter { $0.reason == .windowIncomplete }.count,
                       Fixtures.dailyCohortLive.patients.count)
    }
}
