import Foundation
import XCTest

/// An attacker with the store file and `sqlite3` (who drops the append-only triggers first, and
/// puts them back after so that the schema check on open passes):
/// each change is caught on read or by `audit verify`, with one line naming the record, exit 65,
/// never a crash. Cases that AuditCommandTests and the store's unit tests already cover (audit
/// entries edited, deleted or swapped, an old version replayed, a rolled-back current version,
/// one record's blob copied over another's) are not repeated here.
final class ReliabilityTamperTests: XCTestCase {
    private var harness: BackupHarness!

    override func setUpWithError() throws { harness = try BackupHarness() }
    override func tearDown() { harness?.remove() }

    private struct Attack {
        let name: String
        let sql: String
        /// Commands that must be refused, and what their one error line must contain.
        let reads: [([String], String)]
        /// What `audit verify`'s error line must contain.
        let verify: String
    }

    private static let dropTriggers = ["patient", "session", "score", "vitals", "screen", "day"].flatMap {
        ["DROP TRIGGER \($0)_version_no_update;", "DROP TRIGGER \($0)_version_no_delete;", "DROP TRIGGER \($0)_no_delete;"]
    }.joined() + "DROP TRIGGER audit_entry_no_update; DROP TRIGGER audit_entry_no_delete;"

    /// A placeholder for SQL that changes byte `offset` of one row's blob (SQLite 3.40 has no
    /// unhex(), so the test reads the blob's hex and writes it back with the byte changed).
    private static func change(_ table: String, _ idColumn: String, id: Int, byte offset: Int) -> String {
        "CHANGE \(table) \(idColumn) \(id) \(offset)"
    }

    private func resolve(_ sql: String, store: String) throws -> String {
        let words = sql.split(separator: " ").map(String.init)
        guard words.first == "CHANGE", words.count == 5, let id = Int(words[3]), let offset = Int(words[4]) else { return sql }
        let hex = try harness.succeed("sqlite3", [store, "SELECT hex(sealed) FROM \(words[1]) WHERE \(words[2]) = \(id);"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        var digits = Array(hex)
        let low = offset * 2 + 1
        digits[low] = digits[low] == "0" ? "1" : "0"
        return "UPDATE \(words[1]) SET sealed = X'\(String(digits))' WHERE \(words[2]) = \(id);"
    }

    private static let attacks: [Attack] = [
        Attack(name: "a flipped byte in a session's ciphertext",
               sql: change("session_version", "session_id", id: 2, byte: 20),
               reads: [(["session", "show", "ses-2"], "session_version #2 version 1"),
                       (["session", "list"], "session_version #2"),
                       (["report", "patient", "P-tam-2", "--format", "json"], "session_version #2")],
               verify: "ses-2"),
        Attack(name: "a flipped byte in a patient's nonce",
               sql: change("patient_version", "patient_id", id: 3, byte: 3),
               reads: [(["patient", "show", "P-tam-3"], "patient_version #3 version 1"), (["patient", "list"], "patient_version #3")],
               verify: "pat-3"),
        Attack(name: "a truncated score blob",
               sql: "UPDATE score_version SET sealed = substr(sealed, 1, 20) WHERE score_id = 4;",
               reads: [(["score", "show", "sco-4"], "score_version #4 version 1")],
               verify: "sco-4"),
        Attack(name: "two sessions' blobs swapped",
               sql: """
                   UPDATE session_version SET session_id = 1000 WHERE session_id = 1;
                   UPDATE session_version SET session_id = 1 WHERE session_id = 2;
                   UPDATE session_version SET session_id = 2 WHERE session_id = 1000;
                   """,
               reads: [(["session", "show", "ses-1"], "session_version #1 version 1"), (["session", "show", "ses-2"], "session_version #2")],
               verify: "ses-1"),
        Attack(name: "score rows reordered (ids exchanged in head and version tables)",
               sql: """
                   PRAGMA foreign_keys = OFF;
                   UPDATE score SET id = 1000 WHERE id = 1; UPDATE score SET id = 1 WHERE id = 2; UPDATE score SET id = 2 WHERE id = 1000;
                   UPDATE score_version SET score_id = 1000 WHERE score_id = 1; UPDATE score_version SET score_id = 1 WHERE score_id = 2;
                   UPDATE score_version SET score_id = 2 WHERE score_id = 1000;
                   """,
               reads: [(["score", "show", "sco-1"], "score_version #1 version 1")],
               verify: "sco-1"),
        Attack(name: "a score deleted, head and version",
               sql: "DELETE FROM score_version WHERE score_id = 5; DELETE FROM score WHERE id = 5;",
               reads: [(["score", "show", "sco-5"], "sco-5")],
               verify: "sco-5"),
        Attack(name: "a session's version row deleted, its head left",
               sql: "DELETE FROM session_version WHERE session_id = 3;",
               reads: [(["session", "show", "ses-3"], "session_version #3 version 1")],
               verify: "ses-3"),
        Attack(name: "blind indexes swapped between two patients",
               sql: """
                   CREATE TEMP TABLE original AS SELECT id, code_index FROM patient WHERE id IN (1, 2);
                   UPDATE patient SET code_index = randomblob(32) WHERE id = 1;
                   UPDATE patient SET code_index = (SELECT code_index FROM original WHERE id = 1) WHERE id = 2;
                   UPDATE patient SET code_index = (SELECT code_index FROM original WHERE id = 2) WHERE id = 1;
                   """,
               reads: [(["patient", "show", "P-tam-1"], "patient #2"), (["score", "add", "--patient", "P-tam-2", "--date", "2025-03-01",
                                                                    "--craving", "1", "--use-days", "1"], "patient #1")],
               verify: "pat-1's code index does not match"),
        Attack(name: "the key check of the store replaced",
               sql: "UPDATE store_meta SET key_check = randomblob(32);",
               reads: [(["patient", "list"], "the data key does not match this store")],
               verify: "the data key does not match this store"),
    ]

    func testEachAttackIsCaughtNamingTheRecordAndNothingCrashes() throws {
        for attack in Self.attacks {
            let store = try harness.makeStore("tam-\(UUID().uuidString.prefix(6)).db", patients: 3, scoresPerPatient: 2)
            XCTAssertEqual(try harness.ketlog(["audit", "verify", "--store", store], environment: BackupHarness.unlocked).status, 0)
            let triggers = try harness.succeed("sqlite3", [store, "SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger'"]).stdout
            try harness.succeed("sqlite3", [store, Self.dropTriggers + (try resolve(attack.sql, store: store)) + triggers])
            for (arguments, fragment) in attack.reads {
                let result = try harness.ketlog(arguments + ["--store", store], environment: BackupHarness.unlocked)
                harness.assertRefused(result, status: 65, mentioning: fragment, "\(attack.name): \(arguments.joined(separator: " "))")
            }
            let verify = try harness.ketlog(["audit", "verify", "--store", store], environment: BackupHarness.unlocked)
            harness.assertRefused(verify, status: 65, mentioning: attack.verify, "\(attack.name): audit verify")
            // status reads no sealed value and still works, so the damage can be inspected.
            XCTAssertEqual(try harness.ketlog(["status", "--store", store]).status, 0, attack.name)
        }
    }
}
