import Foundation
import XCTest

/// An attacker who can write the store file with `sqlite3` but has no passphrase, against the
/// checks of what readers display: `audit verify`'s check that each record is at its newest
/// audited version, opens as its own row of its own patient and has the blind index of its
/// sealed code; the same version check in every report; and no duplicate code past a moved index.
/// (The schema check on every open is SchemaAttackTests.)
final class AuditVerifyAttackTests: XCTestCase {
    private var ketlog: RecordsHarness!

    override func setUpWithError() throws { ketlog = try RecordsHarness() }
    override func tearDown() { ketlog = nil }

    /// P-0007 (pat-1) and P-0008 (pat-2), a score each, a session of P-0007, and sco-1 amended
    /// to version 2.
    private func populate() throws {
        try ketlog.ok(["patient", "add", "P-0007", "--substance", "cocaine"])
        try ketlog.ok(["patient", "add", "P-0008", "--substance", "alcohol"])
        try ketlog.ok(["score", "add", "--patient", "P-0007", "--date", "2026-11-01", "--craving", "6", "--use-days", "10"])
        try ketlog.ok(["score", "add", "--patient", "P-0008", "--date", "2026-11-02", "--craving", "3", "--use-days", "2"])
        try ketlog.ok(["session", "add", "--patient", "P-0007", "--date", "2026-10-20", "--route", "intranasal",
                       "--dose-mg", "56", "--practitioner", "Dr Lee"])
        try ketlog.ok(["score", "add", "--patient", "P-0007", "--date", "2026-11-20", "--craving", "2", "--use-days", "1"])
        try ketlog.ok(["score", "amend", "sco-1", "--reason", "patient corrected the count", "--use-days", "14"])
        XCTAssertTrue(try ketlog.ok(["audit", "verify"]).hasPrefix("ok: "))
    }

    /// `audit verify` must fail with exit 65 and one line containing each of `phrases`.
    private func assertVerifyFails(_ phrases: String..., file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try ketlog.refuse(["audit", "verify"], status: 65, field: "audit verify failed", file: file, line: line)
        for phrase in phrases {
            XCTAssertTrue(result.stderr.contains(phrase), "want \"\(phrase)\" in: \(result.stderr)", file: file, line: line)
        }
    }

    // MARK: Current versions, in verify and in reports

    func testALoweredCurrentVersionIsNamedByVerifyAndRefusedByReports() throws {
        try populate()
        try ketlog.sqlite("UPDATE score SET current_version = 1 WHERE id = 1")
        try assertVerifyFails("sco-1", "newest audited version")
        // The report would show version 1's use days under "audit chain verified": refused instead.
        for report in [["report", "patient", "P-0007"], ["report", "cohort"], ["report", "weekly", "--week", "2026-W45"],
                       ["report", "cohort", "--format", "json"]] {
            let result = try ketlog.refuse(report, status: 65, field: "sco-1")
            XCTAssertTrue(result.stderr.contains("report refused"), result.stderr)
            XCTAssertFalse(result.stdout.contains("verified"))
        }
        // P-0008's report reads no record of P-0007 and is still made.
        XCTAssertTrue(try ketlog.ok(["report", "patient", "P-0008"]).contains("audit chain verified"))
    }

    func testACurrentVersionRaisedPastTheNewestIsNamed() throws {
        try populate()
        // An unaudited version 3 would not open; the head alone is raised, as if one existed.
        try ketlog.sqlite("UPDATE score SET current_version = 3 WHERE id = 1")
        try assertVerifyFails("sco-1", "newest audited version")
        // The missing version is itself refused by every reader, a report included.
        try ketlog.refuse(["report", "patient", "P-0007"], status: 65, field: "score_version #1 version 3")
    }

    func testAVoidUndoneByLoweringTheCurrentVersionIsRefusedByReports() throws {
        try populate()
        try ketlog.ok(["score", "void", "sco-3", "--reason", "entered for the wrong date"])
        try ketlog.sqlite("UPDATE score SET current_version = 1 WHERE id = 3")
        try assertVerifyFails("sco-3")
        try ketlog.refuse(["report", "patient", "P-0007", "--format", "json"], status: 65, field: "sco-3")
    }

    // MARK: Records opened under the patient their head row names

    func testAScoreRepointedToAnotherPatientIsNamedByVerify() throws {
        try populate()
        try ketlog.sqlite("UPDATE score SET patient_id = 2 WHERE id = 1")
        try assertVerifyFails("sco-1", "re-attached to another patient")
        try ketlog.refuse(["score", "list"], status: 65, field: "score_version #1")
    }

    func testASessionRepointedToAnotherPatientIsNamedByVerify() throws {
        try populate()
        try ketlog.sqlite("UPDATE session SET patient_id = 2 WHERE id = 1")
        try assertVerifyFails("ses-1 version 1")
    }

    // MARK: Blind indexes

    func testBlindIndexesSwappedBetweenTwoPatientsAreNamedAndNoDuplicateCanBeAdded() throws {
        try populate()
        try ketlog.sqlite("""
            CREATE TEMP TABLE original AS SELECT id, code_index FROM patient;
            UPDATE patient SET code_index = randomblob(32) WHERE id = 1;
            UPDATE patient SET code_index = (SELECT code_index FROM original WHERE id = 1) WHERE id = 2;
            UPDATE patient SET code_index = (SELECT code_index FROM original WHERE id = 2) WHERE id = 1;
            """)
        try assertVerifyFails("pat-1's code index")
        try ketlog.refuse(["patient", "add", "P-0007", "--substance", "alcohol"], status: 65, field: "pat-1")
        try ketlog.refuse(["patient", "add", "p-0008", "--substance", "alcohol"], status: 65, field: "pat-1")
    }

    /// P-0008's index copied onto P-0007 (and P-0008's replaced, the column being unique): P-0007's
    /// own index is gone, so before this check a second P-0007 could be added.
    func testABlindIndexCopiedIsNamedAndNoDuplicateCanBeAdded() throws {
        try populate()
        try ketlog.sqlite("""
            CREATE TEMP TABLE original AS SELECT id, code_index FROM patient;
            UPDATE patient SET code_index = randomblob(32) WHERE id = 2;
            UPDATE patient SET code_index = (SELECT code_index FROM original WHERE id = 2) WHERE id = 1;
            """)
        try assertVerifyFails("pat-1's code index")
        try ketlog.refuse(["patient", "add", "P-0007", "--substance", "alcohol"], status: 65, field: "pat-1")
        try ketlog.refuse(["patient", "amend", "P-0008", "--reason", "typo", "--new-code", "P-0007"], status: 65, field: "patient #1")
        let file = try ketlog.write("again.csv", "code,name,birth_date,sex,substances,notes\nP-0007,,,,alcohol,\n")
        try ketlog.refuse(["import", file, "--kind", "patients"], status: 65, field: "pat-1's code index")
        XCTAssertEqual(try ketlog.snapshot().patients, 2)
    }

    func testABlindIndexReplacedByRandomBytesIsNamed() throws {
        try populate()
        try ketlog.sqlite("UPDATE patient SET code_index = randomblob(32) WHERE id = 2")
        try assertVerifyFails("pat-2's code index")
        try ketlog.refuse(["patient", "add", "P-0008", "--substance", "alcohol"], status: 65, field: "pat-2")
    }
}
