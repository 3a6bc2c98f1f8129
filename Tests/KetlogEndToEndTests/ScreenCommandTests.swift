import Foundation
import XCTest

/// `ketlog screen add|list|show|amend|void` and `import`/`export --kind screens` against the built binary.
final class ScreenCommandTests: XCTestCase {
    private var ketlog: RecordsHarness!

    override func setUpWithError() throws {
        ketlog = try RecordsHarness()
        try ketlog.ok(["patient", "add", "P-0007", "--birth-date", "1980-05-10", "--substance", "cocaine"])
    }

    override func tearDown() { ketlog = nil }

    private func add(_ fields: [String], date: String = "2026-11-20") -> [String] {
        ["screen", "add", "--patient", "P-0007", "--date", date] + fields
    }

    func testAddPrintsTheIdOrTheRecord() throws {
        let created = try ketlog.object(add(["--substance", "Cocaine", "--result", "POSITIVE", "--method", "urine"]))
        XCTAssertEqual(created["id"] as? String, "scr-1")
        XCTAssertEqual(created["patient"] as? String, "P-0007")
        XCTAssertEqual(created["date"] as? String, "2026-11-20")
        XCTAssertEqual(created["substance"] as? String, "cocaine")
        XCTAssertEqual(created["result"] as? String, "positive")
        XCTAssertEqual(created["method"] as? String, "urine")
        XCTAssertEqual(try ketlog.ok(add(["--substance", "alcohol", "--result", "invalid"], date: "2026-11-30")), "scr-2\n")
        XCTAssertTrue(try ketlog.object(["screen", "show", "scr-2"])["method"] is NSNull)
    }

    func testBadScreensAreRefusedNamingTheFieldAndNothingIsWritten() throws {
        let result = try ketlog.refuse(add(["--substance", "cocaine", "--result", "maybe"]), status: 65, field: "--result")
        XCTAssertEqual(result.errorLines, ["ketlog: error: --result: must be one of positive, negative, invalid"])
        try ketlog.refuse(add(["--substance", "cocaine", "--result", "negative", "--method", "blood"]), status: 65,
                          field: "--method: must be one of urine, saliva, breath")
        try ketlog.refuse(add(["--substance", "tea", "--result", "negative"]), status: 65, field: "--substance")
        try ketlog.refuse(add(["--result", "negative"]), status: 64, field: "--substance")
        try ketlog.refuse(add(["--substance", "cocaine", "--result", "negative"], date: "2026-12-01"), status: 65, field: "--date")
        try ketlog.refuse(add(["--substance", "cocaine", "--result", "negative"], date: "1980-05-09"), status: 65, field: "--date")
        try ketlog.refuse(["screen", "add", "--patient", "P-0404", "--date", "2026-11-20", "--substance", "cocaine", "--result",
                           "negative"], status: 65, field: "patient")
    }

    func testListShowAmendVoidHistoryAndTheAuditTrail() throws {
        try ketlog.ok(["patient", "add", "P-0008", "--substance", "heroin"])
        try ketlog.ok(add(["--substance", "cocaine", "--result", "positive"], date: "2026-11-10"))
        try ketlog.ok(["screen", "add", "--patient", "P-0008", "--date", "2026-11-05", "--substance", "heroin", "--result", "negative"])
        try ketlog.ok(add(["--substance", "cocaine", "--result", "negative"], date: "2026-11-17"))
        XCTAssertEqual(try ketlog.rows(["screen", "list"]).map { $0["id"] as? String }, ["scr-2", "scr-1", "scr-3"])
        XCTAssertEqual(try ketlog.rows(["screen", "list", "--patient", "P-0007", "--from", "2026-11-11"]).map { $0["id"] as? String },
                       ["scr-3"])
        XCTAssertEqual(try ketlog.ok(["screen", "list", "--format", "csv", "--to", "2026-11-05"]),
                       "id,patient,date,substance,result,method,void\nscr-2,P-0008,2026-11-05,heroin,negative,,no\n")
        XCTAssertEqual(try ketlog.ok(["screen", "amend", "scr-1", "--reason", "lab confirmation", "--result", "negative",
                                      "--method", "saliva"]), "amended scr-1 (version 2)\n")
        try ketlog.refuse(["screen", "amend", "scr-1", "--reason", "typo", "--result", "maybe"], status: 65, field: "--result")
        try ketlog.voidAndAssertFinal("screen", "scr-1", version: 3, amend: ["--result", "positive"])
        let history = try ketlog.rows(["screen", "show", "scr-1", "--history"])
        XCTAssertEqual(history.map { $0["result"] as? String }, ["positive", "negative", "negative"])
        XCTAssertEqual(history.map { $0["method"] as? String }, [nil, "saliva", "saliva"])
        let log = try ketlog.ok(["audit", "log"])
        for action in ["screen.add", "screen.amend", "screen.void"] { XCTAssertTrue(log.contains(action), log) }
        try ketlog.ok(["audit", "verify"])
    }

    func testCSVAndJSONExportImportIntoANewStoreRoundTrip() throws {
        try ketlog.ok(["patient", "add", "P-0008", "--substance", "heroin"])
        try ketlog.ok(add(["--substance", "cocaine", "--result", "positive", "--method", "urine"]))
        try ketlog.ok(["screen", "add", "--patient", "P-0008", "--date", "2026-11-05", "--substance", "heroin", "--result", "invalid"])
        try ketlog.ok(add(["--substance", "alcohol", "--result", "negative", "--method", "breath"], date: "2026-11-21"))
        try ketlog.ok(["screen", "void", "scr-3", "--reason", "wrong patient"])
        XCTAssertEqual(try ketlog.ok(["export", "--kind", "screens"]), """
            patient,date,substance,result,method
            P-0007,2026-11-20,cocaine,positive,urine
            P-0008,2026-11-05,heroin,invalid,

            """)
        try ketlog.assertExportsImportIntoANewStore(["patients", "screens"])
        let bad = try ketlog.write("bad.csv", "patient,date,substance,result\nP-0007,2026-11-20,cocaine,negative\nP-0007,2026-11-21,cocaine,maybe\n")
        let result = try ketlog.refuse(["import", bad, "--kind", "screens"], status: 65, field: "line 3")
        XCTAssertEqual(result.errorLines, ["ketlog: error: line 3: result: must be one of positive, negative, invalid"])
    }

    func testMissingValuesAreAskedForOnATerminal() throws {
        let run = try RecordsPseudoTerminal.run(ketlog, ["screen", "add", "--patient", "P-0007", "--date", "2026-11-20"], dialogue: [
            ("Substance tested for (cocaine", "cocaine"),
            ("Result (positive, negative, invalid)", "unclear"),
            ("--result: must be one of positive, negative, invalid; try again", ""),
            ("Result (positive, negative, invalid)", "negative"),
        ])
        XCTAssertEqual(run.status, 0, run.transcript)
        let screen = try ketlog.object(["screen", "show", "scr-1"])
        XCTAssertEqual(screen["substance"] as? String, "cocaine")
        XCTAssertEqual(screen["result"] as? String, "negative")
        let listed = try ketlog.refuse(["screen", "add", "--patient", "P-0007"], status: 64, field: "missing")
        XCTAssertTrue(listed.errorLines[0].contains("--date, --substance, --result"), listed.stderr)
    }
}
