import Foundation
import XCTest

/// `ketlog-synth --monitoring`: the sessions' monitoring columns and vitals.csv, screens.csv and
/// days.csv, without changing anything the cohort held before, and importable by ketlog.
final class SynthMonitoringTests: XCTestCase {
    private var ketlog: RecordsHarness!

    override func setUpWithError() throws { ketlog = try RecordsHarness() }
    override func tearDown() { ketlog = nil }

    /// `ketlog-synth`, built beside `ketlog`.
    private func synth(_ arguments: [String]) throws {
        let program = try RecordsHarness.binary().deletingLastPathComponent().appendingPathComponent("ketlog-synth").path
        let result = try RecordsHarness.execute(program, arguments, scratch: ketlog.directory)
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    /// A CSV file's rows (header first), parsed with quotes.
    private func rows(_ path: String) throws -> [[String]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var rows: [[String]] = [], row: [String] = [], cell = "", quoted = false, previousQuote = false
        for character in text {
            if quoted {
                if character == "\"" { quoted = false; previousQuote = true } else { cell.append(character) }
                continue
            }
            switch character {
            case "\"": if previousQuote { cell.append("\"") }; quoted = true
            case ",": row.append(cell); cell = ""
            case "\n": row.append(cell); rows.append(row); row = []; cell = ""
            default: cell.append(character)
            }
            previousQuote = false
        }
        return rows
    }

    func testMonitoringDataLeavesTheCohortAsItWasAndImports() throws {
        let plain = ketlog.directory.appendingPathComponent("plain").path
        let monitored = ketlog.directory.appendingPathComponent("monitored").path
        let common = ["--patients", "60", "--seed", "11", "--today", RecordsHarness.today]
        try synth(common + ["--out", plain])
        try synth(common + ["--out", monitored, "--monitoring"])
        for file in ["patients.csv", "scores.csv"] {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(plain)/\(file)")),
                           try Data(contentsOf: URL(fileURLWithPath: "\(monitored)/\(file)")), file)
        }
        let sessions = try rows("\(monitored)/sessions.csv")
        XCTAssertEqual(sessions.map { Array($0.prefix(12)) }, try rows("\(plain)/sessions.csv"), "the other session columns")
        XCTAssertEqual(Array(sessions[0].suffix(4)), ["lot", "monitoring_min", "ready_min", "comedications"])
        for session in sessions.dropFirst() {
            let monitoring = try XCTUnwrap(Int(session[13])), ready = try XCTUnwrap(Int(session[14]))
            XCTAssertTrue(ready <= monitoring && (0...1440).contains(monitoring), "\(session.suffix(4))")
        }

        // Vitals: pre, about 40 minutes and discharge; a few outside the safety thresholds.
        let vitals = try rows("\(monitored)/vitals.csv").dropFirst()
        let sessionKeys = Set(sessions.dropFirst().map { "\($0[0]) \($0[1]) \($0[2])" })
        let withVitals = Set(vitals.map { "\($0[0]) \($0[1]) \($0[2])" })
        XCTAssertTrue(withVitals.isSubset(of: sessionKeys))
        XCTAssertLessThan(withVitals.count, sessionKeys.count, "some sessions have no vitals")
        XCTAssertEqual(Set(vitals.map { $0[3] == "pre" || $0[3] == "discharge" ? $0[3] : "minutes" }), ["pre", "minutes", "discharge"])
        XCTAssertTrue(vitals.contains { $0[3] == "pre" && Int($0[4])! >= 160 && Int($0[5])! >= 100 }, "a pre-dose BP ≥ 160/100")
        XCTAssertTrue(vitals.contains { Int($0[7])! < 92 }, "an SpO2 below 92")
        XCTAssertTrue(vitals.contains { Int($0[6])! > 120 }, "a heart rate above 120")
        XCTAssertTrue(vitals.contains { Int($0[9])! <= 1 }, "a MOAA/S of 1 or less")

        // Days: gaps, used days, a day recorded twice with both answers; screens: a positive one
        // on a day recorded abstinent.
        let days = try rows("\(monitored)/days.csv").dropFirst()
        XCTAssertTrue(days.contains { $0[3] == "yes" })
        var answers: [String: Set<String>] = [:]
        for day in days { answers["\(day[0]) \(day[1])", default: []].insert(day[3]) }
        XCTAssertTrue(answers.values.contains { $0.count == 2 }, "two contradictory records for one day")
        let perPatient = Dictionary(grouping: days, by: { $0[0] }).mapValues(\.count)
        XCTAssertTrue(perPatient.values.contains { $0 < 72 } && perPatient.values.allSatisfy { $0 <= 80 }, "gaps in a 72-day window: \(perPatient)")
        let abstinent = Set(days.filter { $0[3] == "no" }.map { "\($0[0]) \($0[1])" })
        let screens = try rows("\(monitored)/screens.csv").dropFirst()
        XCTAssertTrue(screens.contains { $0[3] == "positive" && abstinent.contains("\($0[0]) \($0[1])") })
        XCTAssertTrue(screens.contains { $0[3] == "negative" })

        for kind in ["patients", "sessions", "scores", "vitals", "screens", "days"] {
            XCTAssertTrue(try ketlog.ok(["import", "\(monitored)/\(kind).csv", "--kind", kind]).hasPrefix("imported "))
        }
        XCTAssertEqual(try ketlog.rows(["vitals", "list"]).count, vitals.count)
        XCTAssertEqual(try ketlog.rows(["day", "list"]).count, days.count)
        XCTAssertEqual(try ketlog.rows(["screen", "list"]).count, screens.count)
    }
}
