import Foundation
import XCTest

/// `ketlog session add|amend|show|export|import` with the monitoring fields: lot, monitoring and
/// ready minutes, co-medications.
final class SessionMonitoringTests: XCTestCase {
    private var ketlog: RecordsHarness!

    override func setUpWithError() throws {
        ketlog = try RecordsHarness()
        try ketlog.ok(["patient", "add", "P-0007", "--substance", "cocaine"])
    }

    override func tearDown() { ketlog = nil }

    private func add(_ fields: [String]) -> [String] {
        ["session", "add", "--patient", "P-0007", "--date", "2026-11-20", "--route", "intranasal", "--dose-mg", "56",
         "--practitioner", "Dr Lee"] + fields
    }

    func testMonitoringFieldsAreRecordedShownAndAmended() throws {
        let created = try ketlog.object(add(["--lot", " EK2291 ", "--monitoring-min", "120", "--ready-min", "120",
                                             "--comedication", "Benzodiazepine", "--comedication", "sedative-hypnotic"]))
        XCTAssertEqual(created["lot"] as? String, "EK2291")
        XCTAssertEqual(created["monitoring_min"] as? Int, 120)
        XCTAssertEqual(created["ready_min"] as? Int, 120)
        XCTAssertEqual(created["comedications"] as? [String], ["benzodiazepine", "sedative-hypnotic"])
        let plain = try ketlog.object(add([]))
        XCTAssertTrue(plain["lot"] is NSNull)
        XCTAssertTrue(plain["monitoring_min"] is NSNull)
        XCTAssertEqual(plain["comedications"] as? [String], [])
        try ketlog.ok(["session", "amend", "ses-2", "--reason", "monitoring charted", "--monitoring-min", "1440", "--ready-min", "0"])
        try ketlog.ok(["session", "amend", "ses-1", "--reason", "lot corrected", "--lot", "EK2304", "--comedication", "maoi"])
        let history = try ketlog.rows(["session", "show", "ses-1", "--history"])
        XCTAssertEqual(history.map { $0["lot"] as? String }, ["EK2291", "EK2304"])
        XCTAssertEqual(history.map { $0["monitoring_min"] as? Int }, [120, 120])
        XCTAssertEqual(history.map { $0["comedications"] as? [String] }, [["benzodiazepine", "sedative-hypnotic"], ["maoi"]])
        let amended = try ketlog.object(["session", "show", "ses-2"])
        XCTAssertEqual(amended["monitoring_min"] as? Int, 1440)
        XCTAssertEqual(amended["ready_min"] as? Int, 0)
    }

    func testBadMonitoringValuesAreRefusedNamingTheFieldAndRange() throws {
        try ketlog.ok(add(["--monitoring-min", "120"]))
        let refusals: [([String], Int32, String)] = [
            (["--monitoring-min", "1441"], 65, "--monitoring-min: must be a whole number from 0 to 1440"),
            (["--monitoring-min=-1"], 65, "--monitoring-min: must be a whole number from 0 to 1440"),
            (["--ready-min", "1441"], 65, "--ready-min: must be a whole number from 0 to 1440"),
            (["--monitoring-min", "90", "--ready-min", "91"], 65, "--ready-min: must be at most --monitoring-min"),
            (["--comedication", "caffeine"], 65, "--comedication: must be one of benzodiazepine, sedative-hypnotic, opioid"),
            (["--lot", String(repeating: "L", count: 65)], 65, "--lot: must be text of at most 64 characters on one line"),
        ]
        for (fields, status, message) in refusals {
            let result = try ketlog.refuse(add(fields), status: status, field: String(message.prefix { $0 != ":" }))
            XCTAssertTrue(result.errorLines.first?.contains(message) ?? false, "\(fields): \(result.stderr)")
        }
        try ketlog.refuse(["session", "amend", "ses-1", "--reason", "typo", "--ready-min", "121"], status: 65,
                          field: "--ready-min: must be at most --monitoring-min")
    }

    func testTheMonitoringColumnsRoundTripAndOldFilesWithoutThemStillImport() throws {
        try ketlog.ok(add(["--lot", "EK2291", "--monitoring-min", "130", "--ready-min", "95", "--comedication", "opioid",
                           "--comedication", "benzodiazepine"]))
        try ketlog.ok(add([]))
        let csv = try ketlog.ok(["export", "--kind", "sessions"])
        let lines = csv.split(separator: "\n")
        XCTAssertTrue(lines[0].hasSuffix(",adverse_events,lot,monitoring_min,ready_min,comedications"), String(lines[0]))
        XCTAssertTrue(lines[1].hasSuffix(",EK2291,130,95,opioid;benzodiazepine"), String(lines[1]))
        XCTAssertTrue(lines[2].hasSuffix(",,,,"), String(lines[2]))
        try ketlog.assertExportsImportIntoANewStore(["patients", "sessions"])
        // A file from before format 3 has none of the four columns.
        let old = try ketlog.write("old.csv", """
            patient,date,time,route,dose_mg_per_kg,weight_kg,dose_mg,duration_min,practitioner,counselor,notes,adverse_events
            P-0007,2026-11-21,10:00,intranasal,,,56,,Dr Lee,,,

            """)
        XCTAssertEqual(try ketlog.ok(["import", old, "--kind", "sessions"]), "imported 1 sessions\n")
        let imported = try ketlog.object(["session", "show", "ses-3"])
        XCTAssertTrue(imported["lot"] is NSNull)
        XCTAssertEqual(imported["comedications"] as? [String], [])
        let bad = try ketlog.write("bad.csv", "patient,date,route,dose_mg,practitioner,monitoring_min,ready_min\n"
                                   + "P-0007,2026-11-22,intranasal,56,Dr Lee,60,61\n")
        let result = try ketlog.refuse(["import", bad, "--kind", "sessions"], status: 65, field: "line 2")
        XCTAssertEqual(result.errorLines, ["ketlog: error: line 2: ready_min: must be at most monitoring_min"])
    }
}
