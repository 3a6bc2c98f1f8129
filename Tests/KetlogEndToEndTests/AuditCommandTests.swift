import Foundation
import XCTest

/// `ketlog audit log|verify`: actors, filters, and tampering an attacker with the file could do.
final class AuditCommandTests: XCTestCase {
    private var ketlog: RecordsHarness!

    override func setUpWithError() throws { ketlog = try RecordsHarness() }
    override func tearDown() { ketlog = nil }

    private let nurse = ["--user", "nurse"]
    private let nurseEnvironment = ["KETLOG_PASSWORD": "nurse passphrase"]

    /// Two patients, a score each, a session, and an amendment of P-0007 (pat-1 version 2).
    private func populate() throws {
        try ketlog.ok(["patient", "add", "P-0007", "--substance", "cocaine"])
        try ketlog.ok(["patient", "add", "P-0008", "--substance", "alcohol"])
        try ketlog.ok(["score", "add", "--patient", "P-0007", "--date", "2026-11-01", "--craving", "6", "--use-days", "10"])
        try ketlog.ok(["score", "add", "--patient", "P-0008", "--date", "2026-11-02", "--craving", "3", "--use-days", "2"])
        try ketlog.ok(["session", "add", "--patient", "P-0007", "--date", "2026-11-03", "--route", "intranasal",
                       "--dose-mg", "56", "--practitioner", "Dr Lee"])
        try ketlog.ok(["patient", "amend", "P-0007", "--reason", "second substance", "--substance", "cocaine",
                       "--substance", "alcohol"])
    }

    /// The audit entries as JSON rows.
    private func log(_ extra: [String] = []) throws -> [[String: Any]] { try ketlog.rows(["audit", "log"] + extra) }

    /// The sequence number of the entry that wrote `record` with `action`.
    private func seq(_ action: String, _ record: String) throws -> Int {
        let entry = try log().first { $0["action"] as? String == action && $0["record"] as? String == record }
        return try XCTUnwrap(entry?["seq"] as? Int, "no \(action) entry for \(record)")
    }

    /// `audit verify` must fail with exit 65 and one line containing each of `phrases`.
    private func assertVerifyFails(_ phrases: String..., file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try ketlog.refuse(["audit", "verify"], status: 65, field: "audit verify failed", file: file, line: line)
        for phrase in phrases {
            XCTAssertTrue(result.stderr.contains(phrase), "want \"\(phrase)\" in: \(result.stderr)", file: file, line: line)
        }
    }

    /// Overwrites the sealed blob of `kind` record `id` at `version` with another version's blob,
    /// with the append-only triggers dropped for it and put back, as an attacker with the file would.
    private func replaceSealed(_ kind: String, id: Int, version: Int, with source: (id: Int, version: Int)) throws {
        try ketlog.tamper("""
            UPDATE \(kind)_version SET sealed = (SELECT sealed FROM \(kind)_version WHERE \(kind)_id = \(source.id) AND version = \(source.version))
            WHERE \(kind)_id = \(id) AND version = \(version);
            """)
    }

    /// A blob's bytes as hex, with one bit of byte `index` flipped.
    private func flipped(_ hex: String, at index: Int) -> String {
        var bytes = Array(hex.utf8)
        let position = index * 2 + 1
        bytes[position] = bytes[position] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        return String(decoding: bytes, as: UTF8.self)
    }

    func testAClinicianIsTheActorOfTheirEntries() throws {
        XCTAssertEqual(try ketlog.ok(["user", "add", "nurse", "--role", "clinician"], env: ["KETLOG_NEW_PASSWORD": "nurse passphrase"]),
                       "added nurse (clinician)\n")
        try ketlog.ok(["patient", "add", "P-0007", "--substance", "cocaine"])
        XCTAssertEqual(try ketlog.ok(["score", "add", "--patient", "P-0007", "--date", "2026-11-20", "--craving", "5",
                                      "--use-days", "4"] + nurse, env: nurseEnvironment), "sco-1\n")
        try ketlog.ok(["score", "amend", "sco-1", "--reason", "recount", "--use-days", "3"] + nurse, env: nurseEnvironment)
        try ketlog.ok(["session", "add", "--patient", "P-0007", "--date", "2026-11-20", "--route", "sublingual",
                       "--dose-mg", "100", "--practitioner", "Dr Lee"], env: ["KETLOG_USER": "nurse", "KETLOG_PASSWORD": "nurse passphrase"])

        let entries = try log()
        let actors = entries.map { "\($0["user"] as? String ?? "?") \($0["action"] as? String ?? "?") \($0["record"] as? String ?? "")" }
        XCTAssertEqual(actors, ["admin init ", "admin user.add ", "admin patient.add pat-1", "nurse score.add sco-1",
                                "nurse score.amend sco-1", "nurse session.add ses-1"])
        XCTAssertEqual(entries.map { $0["seq"] as? Int }, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(entries[1]["detail"] as? String, "nurse as clinician")
        XCTAssertEqual(try ketlog.object(["score", "show", "sco-1"])["by"] as? String, "nurse")
        let text = try ketlog.ok(["audit", "log"]).split(separator: "\n")
        XCTAssertTrue(text.contains { $0.contains("nurse") && $0.contains("score.add") && $0.contains("sco-1") }, text.joined(separator: "\n"))

        // The wrong passphrase for the nurse, and a user with no slot, are refused.
        try ketlog.refuse(["score", "add", "--patient", "P-0007", "--date", "2026-11-20", "--craving", "5", "--use-days", "4"]
                          + nurse, status: 77, field: "nurse")
        try ketlog.refuse(["score", "add", "--patient", "P-0007", "--date", "2026-11-20", "--craving", "5", "--use-days", "4",
                           "--user", "ghost"], status: 77, field: "ghost")
    }

    func testLogFiltersByPatientAndDateInEveryFormat() throws {
        try populate()
        let all = try log()
        XCTAssertEqual(all.map { $0["action"] as? String },
                       ["init", "patient.add", "patient.add", "score.add", "score.add", "session.add", "patient.amend"])
        for entry in all {
            XCTAssertNotNil(ISO8601DateFormatter().date(from: entry["time"] as? String ?? ""), "\(entry)")
        }
        XCTAssertEqual((all[1]["hash"] as? String)?.count, 64, "SHA-256 in hex: \(all[1])")

        let mine = try log(["--patient", "p-0007"])
        XCTAssertEqual(mine.map { $0["record"] as? String }, ["pat-1", "sco-1", "ses-1", "pat-1"])
        XCTAssertEqual(try log(["--patient", "P-0008"]).map { $0["record"] as? String }, ["pat-2", "sco-2"])
        XCTAssertEqual(try log(["--since", "2000-01-01"]).count, all.count)
        XCTAssertEqual(try log(["--since", "2999-01-01"]).count, 0)

        let csv = try ketlog.ok(["audit", "log", "--format", "csv", "--patient", "P-0008"]).split(separator: "\n")
        XCTAssertEqual(csv.first, "seq,time,user,action,record,detail,hash")
        XCTAssertEqual(csv.count, 3)

        try ketlog.refuse(["audit", "log", "--patient", "P-0404"], status: 65, field: "patient")
        try ketlog.refuse(["audit", "log", "--since", "2026-02-30"], status: 65, field: "--since")
        try ketlog.refuse(["audit", "log", "--since", "yesterday"], status: 65, field: "--since")
    }

    func testVerifyReportsTheCountAndTheHeadThatStatusShows() throws {
        try populate()
        let output = try ketlog.ok(["audit", "verify"])
        let snapshot = try ketlog.snapshot()
        XCTAssertEqual(snapshot.auditEntries, 7)
        XCTAssertEqual(output, "ok: 7 entries, head \(snapshot.auditHead ?? "?")\n")
        let head = try XCTUnwrap(snapshot.auditHead)
        XCTAssertEqual(head.count, 16)
        XCTAssertTrue(head.allSatisfy(\.isHexDigit), head)
        try ketlog.ok(["score", "void", "sco-2", "--reason", "entered for the wrong patient"])
        let after = try ketlog.ok(["audit", "verify"])
        XCTAssertTrue(after.hasPrefix("ok: 8 entries, head "), after)
        XCTAssertNotEqual(after, output)
        // A wrong passphrase cannot verify.
        try ketlog.refuse(["audit", "verify"], status: 77, field: "passphrase", env: ["KETLOG_PASSWORD": "guess"])
    }

    func testAnEditedEntryIsCaught() throws {
        try populate()
        let target = try seq("score.add", "sco-1")
        let hex = try ketlog.sqlite("SELECT hex(sealed) FROM audit_entry WHERE seq = \(target)")
        try ketlog.tamper("UPDATE audit_entry SET sealed = X'\(flipped(hex, at: 30))' WHERE seq = \(target)")
        try assertVerifyFails("entry \(target) failed to open")
        try ketlog.refuse(["audit", "log"], status: 65, field: "audit_entry #\(target)")
    }

    func testAnEditedMACIsCaught() throws {
        try populate()
        let target = try seq("score.add", "sco-2")
        let hex = try ketlog.sqlite("SELECT hex(mac) FROM audit_entry WHERE seq = \(target)")
        try ketlog.tamper("UPDATE audit_entry SET mac = X'\(flipped(hex, at: 0))' WHERE seq = \(target)")
        try assertVerifyFails("entry \(target) does not match the chain")
    }

    func testADeletedEntryIsCaught() throws {
        try populate()
        let target = try seq("score.add", "sco-1")
        try ketlog.tamper("DELETE FROM audit_entry WHERE seq = \(target)")
        try assertVerifyFails("entry \(target) is missing")
    }

    func testDeletingTheNewestEntryLeavesAnUnauditedVersion() throws {
        try populate()
        try ketlog.tamper("DELETE FROM audit_entry WHERE seq = (SELECT max(seq) FROM audit_entry)")
        // This machine saw that entry: the rollback witness refuses the store first.
        let witnessed = try ketlog.run(["audit", "verify"])
        XCTAssertEqual(witnessed.status, 65, witnessed.stderr)
        XCTAssertTrue(witnessed.stderr.contains("the store was rolled back or truncated"), witnessed.stderr)
        // A machine that never saw it: the version the entry made is unaudited.
        try ketlog.forgetRollbackWitness()
        try assertVerifyFails("1 record version(s) that no audit entry accounts for")
    }

    func testSwappedEntriesAreCaught() throws {
        try populate()
        let first = try seq("score.add", "sco-1")
        let second = try seq("score.add", "sco-2")
        try ketlog.tamper("""
            UPDATE audit_entry SET seq = 1000 WHERE seq = \(first);
            UPDATE audit_entry SET seq = \(first) WHERE seq = \(second);
            UPDATE audit_entry SET seq = \(second) WHERE seq = 1000;
            """)
        try assertVerifyFails("entry \(first)")
    }

    func testAReplayedOldVersionIsCaught() throws {
        try populate()
        let amend = try seq("patient.amend", "pat-1")
        try replaceSealed("patient", id: 1, version: 2, with: (id: 1, version: 1))
        try assertVerifyFails("entry \(amend)", "pat-1")
        try ketlog.refuse(["patient", "show", "P-0007"], status: 65, field: "patient_version #1 version 2")
        try ketlog.refuse(["patient", "list"], status: 65, field: "patient_version #1 version 2")
        // Listings that need every patient's code fail too, naming the record, rather than skip it.
        try ketlog.refuse(["score", "list", "--patient", "P-0008"], status: 65, field: "patient_version #1 version 2")
    }

    func testARolledBackCurrentVersionIsCaught() throws {
        try populate()
        try ketlog.sqlite("UPDATE patient SET current_version = 1 WHERE id = 1")
        try assertVerifyFails("pat-1", "rolled back")
    }

    func testARecordCarryingAnotherRecordsBlobIsCaughtAndReadsFailCleanly() throws {
        try populate()
        let written = try seq("score.add", "sco-1")
        try replaceSealed("score", id: 1, version: 1, with: (id: 2, version: 1))
        try assertVerifyFails("entry \(written): sco-1")
        let show = try ketlog.refuse(["score", "show", "sco-1"], status: 65, field: "score_version #1 version 1")
        XCTAssertTrue(show.stderr.contains("altered, moved or replayed"), show.stderr)
        try ketlog.refuse(["score", "list"], status: 65, field: "score_version #1")
        try ketlog.refuse(["score", "amend", "sco-1", "--reason", "fix", "--craving", "1"], status: 65, field: "score_version #1")
        XCTAssertEqual(try ketlog.object(["score", "show", "sco-2"])["craving"] as? Int, 3)
    }
}
