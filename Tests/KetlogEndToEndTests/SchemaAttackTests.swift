import Foundation
import XCTest

/// An attacker who can write the store file with `sqlite3` but has no passphrase changes the
/// schema: every open, `status` included, refuses the store (exit 65) naming the object, and
/// writes nothing.
final class SchemaAttackTests: XCTestCase {
    private var ketlog: RecordsHarness!

    override func setUpWithError() throws { ketlog = try RecordsHarness() }
    override func tearDown() { ketlog = nil }

    /// Each command — `status` (no passphrase), a read, a write and `audit verify` — is refused
    /// with exit 65 and one line naming `object`, and the store file is left byte for byte.
    private func assertEveryOpenRefuses(naming object: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: ketlog.storePath))
        let commands: [[String]] = [["status"], ["patient", "list"], ["audit", "verify"],
                                    ["patient", "add", "P-0099", "--substance", "alcohol"], ["report", "cohort"]]
        for arguments in commands {
            let result = try ketlog.run(arguments, env: arguments == ["status"] ? ["KETLOG_PASSWORD": ""] : [:])
            let command = arguments.joined(separator: " ")
            XCTAssertEqual(result.status, 65, "\(command): \(result.stderr)", file: file, line: line)
            XCTAssertEqual(result.errorLines.count, 1, "\(command): \(result.stderr)", file: file, line: line)
            XCTAssertTrue(result.errorLines.first?.contains("schema") == true && result.errorLines.first?.contains(object) == true,
                          "\(command): want the schema error naming \(object): \(result.stderr)", file: file, line: line)
            XCTAssertEqual(result.stdout, "", command, file: file, line: line)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: ketlog.storePath)), before, "the store changed", file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: ketlog.storePath + "-wal")
                       && ((try? FileManager.default.attributesOfItem(atPath: ketlog.storePath + "-wal")[.size] as? Int) ?? 0) > 0,
                       "something was written to the WAL", file: file, line: line)
    }

    func testAnAddedTriggerThatKeepsDeletedKeySlotsIsRefusedOnEveryOpen() throws {
        try ketlog.ok(["patient", "add", "P-0007", "--substance", "cocaine"])
        try ketlog.sqlite("CREATE TRIGGER key_slot_keep BEFORE DELETE ON key_slot BEGIN SELECT RAISE(IGNORE); END;")
        try assertEveryOpenRefuses(naming: "trigger key_slot_keep")
    }

    func testADroppedAppendOnlyTriggerIsRefusedOnEveryOpen() throws {
        try ketlog.ok(["patient", "add", "P-0007", "--substance", "cocaine"])
        try ketlog.sqlite("DROP TRIGGER audit_entry_no_delete;")
        try assertEveryOpenRefuses(naming: "trigger audit_entry_no_delete")
    }

    func testATriggerReplacedByOneOfTheSameNameIsRefused() throws {
        try ketlog.ok(["patient", "add", "P-0007", "--substance", "cocaine"])
        try ketlog.sqlite("""
            DROP TRIGGER score_no_delete;
            CREATE TRIGGER score_no_delete BEFORE DELETE ON score BEGIN SELECT RAISE(IGNORE); END;
            """)
        try assertEveryOpenRefuses(naming: "trigger score_no_delete")
    }

    func testAnAddedTableIndexOrViewOrAChangedColumnIsRefused() throws {
        try ketlog.ok(["patient", "add", "P-0007", "--substance", "cocaine"])
        let clean = try Data(contentsOf: URL(fileURLWithPath: ketlog.storePath))
        let attacks: [(sql: String, object: String)] = [
            ("CREATE TABLE notes (x TEXT);", "table notes"),
            ("CREATE INDEX score_by_version ON score(current_version);", "index score_by_version"),
            ("CREATE VIEW everything AS SELECT * FROM patient;", "view everything"),
            ("ALTER TABLE score ADD COLUMN note TEXT;", "table score"),
            ("CREATE TRIGGER migrations_kept BEFORE DELETE ON grdb_migrations BEGIN SELECT RAISE(IGNORE); END;",
             "trigger migrations_kept"),
        ]
        for attack in attacks {
            try clean.write(to: URL(fileURLWithPath: ketlog.storePath))
            try ketlog.sqlite(attack.sql)
            try assertEveryOpenRefuses(naming: attack.object)
        }
        // The clean store, put back, opens again: nothing above was remembered elsewhere.
        try clean.write(to: URL(fileURLWithPath: ketlog.storePath))
        XCTAssertTrue(try ketlog.ok(["audit", "verify"]).hasPrefix("ok: "))
    }
}
