import XCTest

/// `ketlog patient add|list|show|amend|void` against the built binary.
final class PatientCommandTests: XCTestCase {
    private var ketlog: RecordsHarness!

    override func setUpWithError() throws { ketlog = try RecordsHarness() }
    override func tearDown() { ketlog = nil }

    func testAddPrintsShortIDAndShowReturnsEveryField() throws {
        XCTAssertEqual(try ketlog.ok(["patient", "add", "P-0007", "--name", "Ada Example", "--birth-date", "1984-03-02",
                                      "--sex", "Female", "--substance", "cocaine", "--substance", "Alcohol",
                                      "--substance", "cocaine", "--notes", "first visit"]), "pat-1\n")
        let patient = try ketlog.object(["patient", "show", "p-0007"])
        XCTAssertEqual(patient["id"] as? String, "pat-1")
        XCTAssertEqual(patient["version"] as? Int, 1)
        XCTAssertEqual(patient["void"] as? Bool, false)
        XCTAssertEqual(patient["code"] as? String, "P-0007")
        XCTAssertEqual(patient["name"] as? String, "Ada Example")
        XCTAssertEqual(patient["birth_date"] as? String, "1984-03-02")
        XCTAssertEqual(patient["sex"] as? String, "female")
        XCTAssertEqual(patient["substances"] as? [String], ["cocaine", "alcohol"])
        XCTAssertEqual(patient["notes"] as? String, "first visit")
        XCTAssertEqual(patient["by"] as? String, "admin")

        let created = try ketlog.object(["patient", "add", "P-0008", "--substance", "opioids"])
        XCTAssertEqual(created["id"] as? String, "pat-2")
        XCTAssertEqual(created["code"] as? String, "P-0008")

        let text = try ketlog.ok(["patient", "show", "P-0007"])
        XCTAssertTrue(text.contains("code:"), text)
        XCTAssertTrue(text.contains("P-0007"), text)

        let csv = try ketlog.ok(["patient", "show", "P-0007", "--format", "csv"]).split(separator: "\n")
        XCTAssertEqual(csv.count, 2)
        XCTAssertTrue(csv[0].hasPrefix("id,version,void,code,name,birth_date,sex,substances,notes"), String(csv[0]))
        XCTAssertTrue(csv[1].hasPrefix("pat-1,1,"), String(csv[1]))
        XCTAssertTrue(csv[1].contains("cocaine;alcohol"), String(csv[1]))
    }

    func testListInEveryFormat() throws {
        try ketlog.ok(["patient", "add", "P-0001", "--substance", "cocaine", "--birth-date", "1990-01-01"])
        try ketlog.ok(["patient", "add", "P-0002", "--substance", "heroin", "--substance", "cannabis"])
        try ketlog.ok(["patient", "void", "P-0002", "--reason", "entered twice"])

        // Lists show live records; --include-void adds the void ones.
        XCTAssertEqual(try ketlog.rows(["patient", "list"]).map { $0["id"] as? String }, ["pat-1"])
        let rows = try ketlog.rows(["patient", "list", "--include-void"])
        XCTAssertEqual(rows.map { $0["id"] as? String }, ["pat-1", "pat-2"])
        XCTAssertEqual(rows.map { $0["code"] as? String }, ["P-0001", "P-0002"])
        XCTAssertEqual(rows.map { $0["void"] as? Bool }, [false, true])
        XCTAssertEqual(rows[1]["substances"] as? [String], ["heroin", "cannabis"])

        let csv = try ketlog.ok(["patient", "list", "--format", "csv", "--include-void"])
        XCTAssertEqual(csv.split(separator: "\n").map(String.init),
                       ["id,code,substances,birth_date,void", "pat-1,P-0001,cocaine,1990-01-01,no", "pat-2,P-0002,heroin;cannabis,,yes"])

        let text = try ketlog.ok(["patient", "list", "--include-void"]).split(separator: "\n")
        XCTAssertEqual(text.count, 3)
        XCTAssertTrue(text[0].hasPrefix("id"))
        XCTAssertTrue(text[2].contains("P-0002") && text[2].hasSuffix("yes"), String(text[2]))
    }

    func testAmendAndVoidKeepEveryVersionWithWhoWhenWhy() throws {
        try ketlog.ok(["patient", "add", "P-0007", "--substance", "cocaine"])
        XCTAssertEqual(try ketlog.ok(["patient", "amend", "P-0007", "--reason", "second substance disclosed",
                                      "--substance", "cocaine", "--substance", "alcohol", "--birth-date", "1984-03-02"]),
                       "amended pat-1 (version 2)\n")
        try ketlog.ok(["patient", "amend", "p-0007", "--reason", "code typo", "--new-code", "P-0070"])
        XCTAssertEqual(try ketlog.ok(["patient", "void", "P-0070", "--reason", "withdrew consent"]), "voided pat-1 (version 4)\n")

        let history = try ketlog.rows(["patient", "show", "P-0070", "--history"])
        XCTAssertEqual(history.map { $0["version"] as? Int }, [1, 2, 3, 4])
        XCTAssertEqual(history.map { $0["by"] as? String }, ["admin", "admin", "admin", "admin"])
        XCTAssertEqual(history.map { $0["reason"] as? String }, [nil, "second substance disclosed", "code typo", "withdrew consent"])
        XCTAssertEqual(history.map { $0["void"] as? Bool }, [false, false, false, true])
        XCTAssertEqual(history.map { $0["code"] as? String }, ["P-0007", "P-0007", "P-0070", "P-0070"])
        XCTAssertEqual(history[0]["substances"] as? [String], ["cocaine"])
        XCTAssertEqual(history[1]["substances"] as? [String], ["cocaine", "alcohol"])
        for version in history {
            let at = version["at"] as? String ?? ""
            XCTAssertNotNil(ISO8601DateFormatter().date(from: at), "not an ISO time: \(at)")
        }
        let text = try ketlog.ok(["patient", "show", "P-0070", "--history"])
        XCTAssertEqual(text.components(separatedBy: "withdrew consent").count, 2, text)
        XCTAssertTrue(text.contains("by:"), text)

        let csv = try ketlog.ok(["patient", "show", "P-0070", "--history", "--format", "csv"]).split(separator: "\n")
        XCTAssertEqual(csv.count, 5)
        XCTAssertTrue(csv[0].hasPrefix("id,version,void,by,at,reason,code"), String(csv[0]))

        // The old code no longer finds the patient; the new one does.
        try ketlog.refuse(["patient", "show", "P-0007"], status: 65, field: "patient")
        // A void record cannot change again.
        try ketlog.refuse(["patient", "amend", "P-0070", "--reason", "oops", "--name", "Some Body"], status: 65, field: "pat-1")
        try ketlog.refuse(["patient", "void", "P-0070", "--reason", "again"], status: 65, field: "pat-1")
    }

    func testDuplicateCodesAreRefusedCaseInsensitively() throws {
        try ketlog.ok(["patient", "add", "P-0007", "--substance", "cocaine"])
        try ketlog.ok(["patient", "add", "P-0008", "--substance", "cocaine"])
        try ketlog.refuse(["patient", "add", "P-0007", "--substance", "alcohol"], status: 65, field: "patient code")
        try ketlog.refuse(["patient", "add", "p-0007", "--substance", "alcohol"], status: 65, field: "patient code")
        try ketlog.refuse(["patient", "amend", "P-0008", "--reason", "merge", "--new-code", "p-0007"],
                          status: 65, field: "patient code")
    }

    func testBadPatientInputIsRefusedAndNothingWritten() throws {
        try ketlog.ok(["patient", "add", "P-0001", "--substance", "cocaine"])
        try ketlog.refuse(["patient", "add", "P-0002", "--substance", "tobacco"], status: 65, field: "substance")
        try ketlog.refuse(["patient", "add", "P 0002", "--substance", "cocaine"], status: 65, field: "patient code")
        try ketlog.refuse(["patient", "add", String(repeating: "A", count: 33), "--substance", "cocaine"],
                          status: 65, field: "patient code")
        try ketlog.refuse(["patient", "add", "P-0002", "--substance", "cocaine", "--sex", "robot"], status: 65, field: "sex")
        try ketlog.refuse(["patient", "add", "P-0002", "--substance", "cocaine", "--birth-date", "2026-12-01"],
                          status: 65, field: "--birth-date")
        try ketlog.refuse(["patient", "add", "P-0002", "--substance", "cocaine", "--birth-date", "1990-02-30"],
                          status: 65, field: "--birth-date")
        try ketlog.refuse(["patient", "add", "P-0002", "--substance", "cocaine", "--birth-date", "19900101"],
                          status: 65, field: "--birth-date")
        try ketlog.refuse(["patient", "add", "P-0002", "--substance", "cocaine", "--name", "Tab\u{7}Bell"],
                          status: 65, field: "name")
        try ketlog.refuse(["patient", "add", "P-0002", "--substance", "cocaine", "--name", String(repeating: "n", count: 201)],
                          status: 65, field: "name")
        try ketlog.refuse(["patient", "add", "--substance", "cocaine"], status: 64, field: "CODE")
        try ketlog.refuse(["patient", "add", "P-0002"], status: 64, field: "--substance")
        try ketlog.refuse(["patient", "show", "P-0404"], status: 65, field: "patient")
        try ketlog.refuse(["patient", "amend", "P-0404", "--reason", "x", "--name", "Nobody Here"], status: 65, field: "patient")
        try ketlog.refuse(["patient", "amend", "P-0001", "--reason", "  ", "--name", "Somebody Else"], status: 65, field: "reason")
        try ketlog.refuse(["patient", "amend", "P-0001", "--name", "Somebody Else"], status: 64, field: "--reason")
        try ketlog.refuse(["patient", "amend", "P-0001", "--reason", "typo", "--birth-date", "2030-01-01"],
                          status: 65, field: "--birth-date")
        try ketlog.refuse(["patient", "void", "P-0001", "--reason", ""], status: 65, field: "reason")
        try ketlog.refuse(["patient", "list", "--format", "xml"], status: 64, field: "format")
    }

    func testWrongPassphraseWritesNothing() throws {
        try ketlog.refuse(["patient", "add", "P-0001", "--substance", "cocaine"], status: 77, field: "passphrase",
                          env: ["KETLOG_PASSWORD": "not the passphrase"])
    }
}
