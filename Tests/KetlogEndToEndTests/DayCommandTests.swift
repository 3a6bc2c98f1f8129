import Foundation
import XCTest

/// `ketlog day add|list|show|amend|void` and `import`/`export --kind days` against the built binary.
final class DayCommandTests: XCTestCase {
    private var ketlog: RecordsHarness!

    override func setUpWithError() throws {
        ketlog = try RecordsHarness()
        try ketlog.ok(["patient", "add", "P-0007", "--birth-date", "1980-05-10", "--substance", "cocaine"])
    }

    override func tearDown() { ketlog = nil }

    private func add(_ fields: [String], date: String = "2026-11-20") -> [String] {
        ["day", "add", "--patient", "P-0007", "--date", date] + fields
    }

    func testOneDayOrARangeOfDaysInOneAuditEntry() throws {
        let day = try ketlog.rows(add(["--used", "--substance", "cocaine", "--amount", "1 g"]))
        XCTAssertEqual(day.count, 1)
        XCTAssertEqual(day[0]["id"] as? String, "day-1")
        XCTAssertEqual(day[0]["used"] as? Bool, true)
        XCTAssertEqual(day[0]["amount"] as? String, "1 g")
        let entries = try ketlog.snapshot().auditEntries
        XCTAssertEqual(try ketlog.ok(add(["--abstinent", "--to", "2026-11-30"], date: "2026-11-21")), "day-2…day-11\n")
        XCTAssertEqual(try ketlog.snapshot().auditEntries, entries + 1, "ten days, one audit entry")
        XCTAssertEqual(try ketlog.snapshot().days, 11, "status counts day records")
        let days = try ketlog.rows(["day", "list"])
        XCTAssertEqual(days.map { $0["date"] as? String }, (20...30).map { "2026-11-\($0)" })
        XCTAssertEqual(days.map { $0["used"] as? Bool }, [true] + Array(repeating: false, count: 10))
        let log = try ketlog.ok(["audit", "log"])
        XCTAssertTrue(log.contains("day.add") && log.contains("10 records"), log)
        // The longest range: 366 days ending today.
        XCTAssertEqual(try ketlog.ok(add(["--abstinent", "--to", "2025-11-30"], date: "2024-11-30")), "day-12…day-377\n")
        try ketlog.ok(["audit", "verify"])
    }

    func testBadDaysAreRefusedNamingTheFieldAndNothingIsWritten() throws {
        let rangeRule = "--to: must be a date on or after --date, not in the future, at most 366 days in all"
        let tooLong = try ketlog.refuse(add(["--used", "--to", "2025-11-30"], date: "2024-11-29"), status: 65, field: "--to")
        XCTAssertEqual(tooLong.errorLines, ["ketlog: error: " + rangeRule])
        let future = try ketlog.refuse(add(["--abstinent", "--to", "2026-12-01"], date: "2026-11-25"), status: 65, field: "--to")
        XCTAssertEqual(future.errorLines, ["ketlog: error: " + rangeRule])
        try ketlog.refuse(add(["--abstinent", "--to", "2026-11-19"]), status: 65, field: "--to")
        try ketlog.refuse(add(["--used"], date: "2026-12-01"), status: 65, field: "--date")
        try ketlog.refuse(add(["--used", "--abstinent"]), status: 64, field: "--used")
        try ketlog.refuse(add([]), status: 64, field: "--used or --abstinent")
        try ketlog.refuse(add(["--used", "--substance", "tea"]), status: 65, field: "--substance")
        // A range reaching before the birth date fails on its first day: none of it is written.
        try ketlog.refuse(add(["--abstinent", "--to", "1980-05-20"], date: "1980-05-01"), status: 65, field: "--date")
        XCTAssertEqual(try ketlog.rows(["day", "list"]).count, 0)
    }

    func testListShowAmendVoidAndHistory() throws {
        try ketlog.ok(add(["--abstinent", "--to", "2026-11-22"]))
        XCTAssertEqual(try ketlog.ok(["day", "amend", "day-2", "--reason", "patient recalled use", "--used", "--amount", "2 lines"]),
                       "amended day-2 (version 2)\n")
        try ketlog.refuse(["day", "amend", "day-2", "--reason", "typo", "--date", "2026-12-01"], status: 65, field: "--date")
        try ketlog.voidAndAssertFinal("day", "day-3", version: 2, amend: ["--used"])
        let history = try ketlog.rows(["day", "show", "day-2", "--history"])
        XCTAssertEqual(history.map { $0["used"] as? Bool }, [false, true])
        XCTAssertEqual(history.map { $0["amount"] as? String }, [nil, "2 lines"])
        XCTAssertEqual(try ketlog.rows(["day", "list"]).map { $0["id"] as? String }, ["day-1", "day-2"])
        XCTAssertEqual(try ketlog.ok(["day", "list", "--include-void", "--from", "2026-11-22", "--format", "csv"]),
                       "id,patient,date,used,substance,amount,void\nday-3,P-0007,2026-11-22,no,,,yes\n")
        let log = try ketlog.ok(["audit", "log"])
        for action in ["day.add", "day.amend", "day.void"] { XCTAssertTrue(log.contains(action), log) }
    }

    func testCSVAndJSONExportImportIntoANewStoreRoundTrip() throws {
        try ketlog.ok(add(["--used", "--substance", "cocaine", "--amount", "=1 g, maybe"]))
        try ketlog.ok(add(["--abstinent", "--to", "2026-11-23"], date: "2026-11-21"))
        try ketlog.ok(add(["--abstinent"]))  // a second, contradictory record for 2026-11-20
        try ketlog.ok(["day", "void", "day-3", "--reason", "entered in error"])
        XCTAssertEqual(try ketlog.ok(["export", "--kind", "days"]), """
            patient,date,substance,used,amount
            P-0007,2026-11-20,cocaine,yes,"'=1 g, maybe"
            P-0007,2026-11-21,,no,
            P-0007,2026-11-23,,no,
            P-0007,2026-11-20,,no,

            """)
        try ketlog.assertExportsImportIntoANewStore(["patients", "days"])
        let bad = try ketlog.write("bad.csv", "patient,date,used\nP-0007,2026-11-20,yes\nP-0007,2026-11-21,sometimes\n")
        let result = try ketlog.refuse(["import", bad, "--kind", "days"], status: 65, field: "line 3")
        XCTAssertEqual(result.errorLines, ["ketlog: error: line 3: used: must be one of yes, no"])
    }

    func testUsedOrAbstinentIsAskedForOnATerminal() throws {
        let run = try RecordsPseudoTerminal.run(ketlog, ["day", "add", "--patient", "P-0007", "--date", "2026-11-20"], dialogue: [
            ("Used that day (yes or no)", "maybe"),
            ("--used or --abstinent: must be one of yes, no; try again", ""),
            ("Used that day (yes or no)", "no"),
        ])
        XCTAssertEqual(run.status, 0, run.transcript)
        XCTAssertEqual(try ketlog.object(["day", "show", "day-1"])["used"] as? Bool, false)
    }
}
