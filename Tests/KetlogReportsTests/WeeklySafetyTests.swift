import Foundation
import KetlogModel
import KetlogReports
import XCTest

/// The weekly report's safety alerts at each threshold's boundary (`Fixtures.weeklySafety`: one
/// session per case in 2026-W12), and its positive screens.
final class WeeklySafetyTests: XCTestCase {
    private func report() -> WeeklyReport {
        WeeklyReport(dataset: Fixtures.weeklySafety, week: WeekSelection.last.resolve(today: Fixtures.weeklySafety.today))
    }

    func testEachThresholdFiresJustPastItsBoundaryAndNotAtIt() {
        let alerts = report().safety.map { "\($0.session) \($0.reason.text) \($0.at?.text ?? "-") \($0.value ?? "-")" }
        XCTAssertEqual(alerts, [
            // ses-1: 159/99 pre, 179/109, HR 50 and 120, SpO2 92, MOAA/S 2: all inside.
            "ses-2 pre-dose BP >= 160/100 pre 160/80",
            "ses-3 pre-dose BP >= 160/100 pre 130/100",
            "ses-4 BP >= 180/110 40 180/90",
            "ses-5 BP >= 180/110 discharge 140/110",
            // Pre-dose and over 180/110: reported once, as the stronger alert.
            "ses-6 BP >= 180/110 pre 185/112",
            "ses-7 SpO2 < 92% 30 91%",
            "ses-8 HR < 50 30 49",
            "ses-8 HR > 120 60 121",
            "ses-9 MOAA/S <= 1 30 1",
            "ses-9 MOAA/S <= 1 60 0",
            // ses-10: intranasal monitored 120 min (inside); ses-12: not charted; ses-13: iv 60 min.
            "ses-11 intranasal monitoring < 120 min - 119 min",
            "ses-14 no vitals recorded - -",
            // ses-15 and ses-16 lie outside the week.
        ])
        XCTAssertEqual(report().safety.first { $0.session == "ses-14" }?.patientCode, "S-14")
    }

    func testPositiveScreensOfTheWeekOnly() {
        let report = report()
        XCTAssertEqual(report.positiveScreens.map(\.id), ["scr-1", "scr-2"])
        XCTAssertEqual(report.positiveScreenPatients, ["S-01", "S-02"])
    }

    func testThresholdsArePrintedInEveryDocumentFormat() {
        for format in [ReportFormat.text, .markdown, .html] {
            var text = format.renderer().render(report())
            if format == .markdown { text = text.replacingOccurrences(of: "\\", with: "") }
            for reason in SafetyAlert.Reason.allCases {
                let shown = format == .html ? reason.text.replacingOccurrences(of: ">", with: "&gt;")
                    .replacingOccurrences(of: "<", with: "&lt;") : reason.text
                XCTAssertTrue(text.contains(shown), "\(format) lacks \(reason.text)")
            }
        }
    }

    func testJSONHasSafetyAndPositiveScreens() throws {
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(JSONRenderer().render(report()).utf8)) as? [String: Any])
        let safety = try XCTUnwrap(json["safety"] as? [[String: Any]])
        XCTAssertEqual(safety.count, 12)
        XCTAssertEqual(safety[0]["session"] as? String, "ses-2")
        XCTAssertEqual(safety[0]["patient"] as? String, "S-02")
        XCTAssertEqual(safety[0]["reason"] as? String, "pre-dose BP >= 160/100")
        let screens = try XCTUnwrap(json["positive_screens"] as? [[String: Any]])
        XCTAssertEqual(screens.map { $0["screen"] as? String }, ["scr-1", "scr-2"])
        let thresholds = try XCTUnwrap(json["safety_thresholds"] as? [String: Any])
        XCTAssertEqual(thresholds["pre_dose_bp"] as? String, "160/100")
    }

    /// A clinic that charts no vitals and no screens gets no safety section (not "no vitals" for
    /// every session).
    func testNoMonitoringNoSafetySection() throws {
        let dataset = Fixtures.weeklyActivity
        let report = WeeklyReport(dataset: dataset, week: WeekSelection.last.resolve(today: dataset.today))
        XCTAssertTrue(report.safety.isEmpty)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(JSONRenderer().render(report).utf8)) as? [String: Any])
        XCTAssertNil(json["safety"])
    }
}
