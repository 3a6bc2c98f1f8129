import Foundation
import XCTest

/// `ketlog audit disclosures`: every export and every report written with `--output` leaves a
/// disclosure entry — what, how many patients and records, where to, who, and why — that the
/// accounting lists, by patient (42 CFR Part 2).
final class AuditDisclosuresTests: XCTestCase {
    private var ketlog: RecordsHarness!

    override func setUpWithError() throws {
        ketlog = try RecordsHarness()
        try ketlog.ok(["patient", "add", "P-0001", "--substance", "cocaine"])
        try ketlog.ok(["patient", "add", "P-0002", "--substance", "alcohol"])
        try ketlog.ok(["score", "add", "--patient", "P-0001", "--date", "2026-11-20", "--craving", "6", "--use-days", "18"])
        try ketlog.ok(["score", "add", "--patient", "P-0001", "--date", "2026-11-27", "--craving", "4", "--use-days", "9"])
    }

    func testExportsAndReportOutputsAreAccountedForByPatient() throws {
        XCTAssertEqual(try ketlog.rows(["audit", "disclosures"]).count, 0, "adding and reading records discloses nothing")
        let csv = ketlog.directory.appendingPathComponent("scores.csv").path
        try ketlog.ok(["export", "--kind", "scores", "--output", csv, "--purpose", "referral to Dr Smith"])
        let report = ketlog.directory.appendingPathComponent("p1.html").path
        try ketlog.ok(["report", "patient", "P-0002", "--output", report, "--purpose", "patient's own request"])
        _ = try ketlog.ok(["export", "--kind", "patients", "--format", "json"])

        let all = try ketlog.rows(["audit", "disclosures"])
        XCTAssertEqual(all.map { $0["what"] as? String }, ["export", "report", "export"])
        XCTAssertEqual(all[0]["kind"] as? String, "scores")
        XCTAssertEqual(all[0]["records"] as? Int, 2)
        XCTAssertEqual(all[0]["patients"] as? Int, 1)
        XCTAssertEqual(all[0]["to"] as? String, "scores.csv")
        XCTAssertEqual(all[0]["purpose"] as? String, "referral to Dr Smith")
        XCTAssertEqual(all[0]["user"] as? String, "admin")
        XCTAssertEqual(all[1]["kind"] as? String, "patient")
        XCTAssertEqual(all[1]["format"] as? String, "html")
        XCTAssertEqual(all[2]["to"] as? String, "standard output")
        XCTAssertEqual(all[2]["patients"] as? Int, 2)

        // By patient: P-0001 went out in the scores export and the patients export only.
        XCTAssertEqual(try ketlog.rows(["audit", "disclosures", "--patient", "P-0001"]).map { $0["seq"] as? Int },
                       [all[0]["seq"] as? Int, all[2]["seq"] as? Int])
        XCTAssertEqual(try ketlog.rows(["audit", "disclosures", "--patient", "p-0002"]).count, 2)
        XCTAssertEqual(try ketlog.rows(["audit", "disclosures", "--since", "2999-01-01"]).count, 0)
        XCTAssertTrue(try ketlog.ok(["audit", "disclosures", "--format", "csv"]).hasPrefix("seq,time,user,what,kind,format,patients"))
        // The audit log shows each as one line, and the chain still verifies.
        XCTAssertTrue(try ketlog.ok(["audit", "log", "--format", "csv"]).contains("export scores csv: 1 patients, 2 records to scores.csv"))
        XCTAssertTrue(try ketlog.ok(["audit", "verify"]).hasPrefix("ok: "))
    }

    func testAPurposeMustBeOneLineAndNothingGoesOutWhenItIsNot() throws {
        let csv = ketlog.directory.appendingPathComponent("scores.csv").path
        try ketlog.refuse(["export", "--kind", "scores", "--output", csv, "--purpose", "to\u{1B}[2J Dr Smith"], status: 65,
                          field: "--purpose")
        XCTAssertFalse(FileManager.default.fileExists(atPath: csv))
        XCTAssertEqual(try ketlog.rows(["audit", "disclosures"]).count, 0)
    }
}
