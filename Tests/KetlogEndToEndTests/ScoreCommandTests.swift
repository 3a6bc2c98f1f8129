import XCTest

/// `ketlog score add|list|show|amend|void` against the built binary.
final class ScoreCommandTests: XCTestCase {
    private var ketlog: RecordsHarness!

    override func setUpWithError() throws {
        ketlog = try RecordsHarness()
        try ketlog.ok(["patient", "add", "P-0007", "--birth-date", "1980-05-10", "--substance", "cocaine", "--substance", "alcohol"])
    }

    override func tearDown() { ketlog = nil }

    private func add(_ fields: [String], date: String = "2026-11-20") -> [String] {
        ["score", "add", "--patient", "P-0007", "--date", date] + fields
    }

    func testAddAcceptsTheEdges() throws {
        let created = try ketlog.object(add(["--craving", "0", "--use-days", "0"]))
        XCTAssertEqual(created["id"] as? String, "sco-1")
        XCTAssertEqual(created["patient"] as? String, "P-0007")
        XCTAssertEqual(created["craving"] as? Int, 0)
        XCTAssertEqual(created["use_days"] as? Int, 0)
        XCTAssertEqual(created["window_days"] as? Int, 28, "the default window")
        XCTAssertTrue(created["substance"] is NSNull)
        XCTAssertEqual(try ketlog.ok(add(["--craving", "10", "--use-days", "28"])), "sco-2\n")
        XCTAssertEqual(try ketlog.ok(add(["--craving", "5", "--use-days", "1", "--window-days", "1"])), "sco-3\n")
        XCTAssertEqual(try ketlog.ok(add(["--craving", "5", "--use-days", "90", "--window-days", "90", "--substance", "Alcohol"])),
                       "sco-4\n")
        let last = try ketlog.object(["score", "show", "sco-4"])
        XCTAssertEqual(last["window_days"] as? Int, 90)
        XCTAssertEqual(last["use_days"] as? Int, 90)
        XCTAssertEqual(last["substance"] as? String, "alcohol")
        XCTAssertEqual(try ketlog.ok(add(["--craving", "3", "--use-days", "2"], date: "1980-05-10")), "sco-5\n")
    }

    func testOutOfRangeValuesAreRefused() throws {
        try ketlog.refuse(add(["--craving", "11", "--use-days", "3"]), status: 65, field: "craving")
        try ketlog.refuse(add(["--craving=-1", "--use-days", "3"]), status: 65, field: "craving")
        try ketlog.refuse(add(["--craving", "high", "--use-days", "3"]), status: 64, field: "craving")
        try ketlog.refuse(add(["--craving", "2", "--use-days", "29"]), status: 65, field: "use-days")
        try ketlog.refuse(add(["--craving", "2", "--use-days", "15", "--window-days", "14"]), status: 65, field: "use-days")
        try ketlog.refuse(add(["--craving", "2", "--use-days=-1"]), status: 65, field: "use-days")
        try ketlog.refuse(add(["--craving", "2", "--use-days", "0", "--window-days", "0"]), status: 65, field: "window-days")
        try ketlog.refuse(add(["--craving", "2", "--use-days", "3", "--window-days", "91"]), status: 65, field: "window-days")
        try ketlog.refuse(add(["--craving", "2", "--use-days", "3", "--substance", "tea"]), status: 65, field: "substance")
        for date in ["2026-12-01", "2026-02-30", "2026-13-01", "20261101", "1980-05-09"] {
            try ketlog.refuse(add(["--craving", "2", "--use-days", "3"], date: date), status: 65, field: "date")
        }
        try ketlog.refuse(["score", "add", "--patient", "P-0404", "--date", "2026-11-20", "--craving", "2", "--use-days", "3"],
                          status: 65, field: "patient")
        try ketlog.refuse(["score", "add", "--patient", "P 7", "--date", "2026-11-20", "--craving", "2", "--use-days", "3"],
                          status: 65, field: "patient")
    }

    func testListShowAmendVoidAndHistory() throws {
        try ketlog.ok(["patient", "add", "P-0008", "--substance", "heroin"])
        try ketlog.ok(add(["--craving", "7", "--use-days", "20"], date: "2026-10-01"))
        try ketlog.ok(["score", "add", "--patient", "P-0008", "--date", "2026-10-15", "--craving", "4", "--use-days", "9"])
        try ketlog.ok(add(["--craving", "3", "--use-days", "5"], date: "2026-11-01"))

        XCTAssertEqual(try ketlog.rows(["score", "list"]).map { $0["id"] as? String }, ["sco-1", "sco-2", "sco-3"])
        XCTAssertEqual(try ketlog.rows(["score", "list", "--patient", "P-0007"]).map { $0["id"] as? String }, ["sco-1", "sco-3"])
        XCTAssertEqual(try ketlog.rows(["score", "list", "--from", "2026-10-10"]).map { $0["id"] as? String }, ["sco-2", "sco-3"])
        XCTAssertEqual(try ketlog.ok(["score", "list", "--format", "csv", "--to", "2026-10-01"]),
                       "id,patient,date,craving,use_days,window_days,substance,void\nsco-1,P-0007,2026-10-01,7,20,28,,no\n")
        let text = try ketlog.ok(["score", "show", "sco-2"])
        XCTAssertTrue(text.contains("P-0008"), text)
        XCTAssertEqual(try ketlog.ok(["score", "show", "sco-2", "--format", "csv"]).split(separator: "\n").count, 2)

        XCTAssertEqual(try ketlog.ok(["score", "amend", "sco-1", "--reason", "patient corrected the count", "--use-days", "18"]),
                       "amended sco-1 (version 2)\n")
        try ketlog.refuse(["score", "amend", "sco-1", "--reason", "typo", "--craving", "12"], status: 65, field: "craving")
        try ketlog.refuse(["score", "amend", "sco-1", "--reason", "typo", "--window-days", "14"], status: 65, field: "use-days")
        try ketlog.voidAndAssertFinal("score", "sco-1", version: 3, amend: ["--craving", "1"])

        let history = try ketlog.rows(["score", "show", "sco-1", "--history"])
        XCTAssertEqual(history.map { $0["use_days"] as? Int }, [20, 18, 18])
        XCTAssertEqual(history.map { $0["reason"] as? String }, [nil, "patient corrected the count", "entered in error"])
        XCTAssertEqual(history.map { $0["by"] as? String }, ["admin", "admin", "admin"])
        let at = history.compactMap { $0["at"] as? String }
        XCTAssertEqual(at.count, 3)
        XCTAssertEqual(at, at.sorted(), "versions in time order")

        try ketlog.refuse(["score", "show", "sco-99"], status: 65, field: "sco-99")
        try ketlog.refuse(["score", "show", "ses-1"], status: 65, field: "id")
        try ketlog.refuse(["score", "amend", "sco-2", "--reason", "", "--craving", "1"], status: 65, field: "reason")
    }
}
