import Foundation
import GRDB
import KetlogModel
@testable import KetlogStore
import XCTest

/// The schema check on every open: a raw connection plays the attacker who can write the file.
final class SchemaCheckTests: XCTestCase {
    private func assertOpenRefused(_ fixture: StoreFixture, _ expected: StoreError, file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try fixture.snapshot()
        XCTAssertThrowsStoreError(expected, try fixture.open(), file: file, line: line)
        XCTAssertThrowsStoreError(expected, try fixture.open(), "refused again on the next open", file: file, line: line)
        XCTAssertEqual(try fixture.snapshot(), before, "the open wrote to the store", file: file, line: line)
    }

    func testAFreshStoreAndAReopenedOneMatch() throws {
        let fixture = try StoreFixture()
        _ = try fixture.createWithOneOfEach()
        XCTAssertNoThrow(try fixture.open().status())
        XCTAssertEqual(try fixture.attacker { db in try StoreFormat.schema(db) },
                       try StoreFormat.expectedSchema(migrations: StoreFormat.version))
    }

    /// A format-2 store (what 0001 and 0002 create, as ketlog before format 3 left it, records
    /// and all) passes the check on open, gets 0003's tables and `format_version` 3, and its
    /// records still open; the new kinds then work in it.
    func testAFormatTwoStoreMigratesForwardToThree() throws {
        let fixture = try StoreFixture()
        let created = try fixture.createWithOneOfEach()
        let sessions = try created.all(KetamineSession.self)
        try created.store.close()
        try fixture.attacker { db in
            for table in ["vitals", "screen", "day"] {
                for trigger in ["\(table)_version_no_update", "\(table)_no_delete", "\(table)_version_no_delete"] {
                    try db.execute(sql: "DROP TRIGGER \(trigger)")
                }
                try db.execute(sql: "DROP TABLE \(table)_version")
                try db.execute(sql: "DROP TABLE \(table)")
            }
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = '0003_monitoring'")
            try db.execute(sql: "UPDATE store_meta SET format_version = 2")
        }
        XCTAssertEqual(try fixture.attacker { db in try StoreFormat.schema(db) }, try StoreFormat.expectedSchema(migrations: 2))
        XCTAssertEqual(try fixture.open().status().formatVersion, 3)
        XCTAssertEqual(try fixture.attacker { db in try StoreFormat.schema(db) },
                       try StoreFormat.expectedSchema(migrations: StoreFormat.version))
        let unlocked = try fixture.unlock("alice", "alice-pass")
        XCTAssertEqual(try unlocked.all(KetamineSession.self).map(\.body), sessions.map(\.body))
        let patient = try XCTUnwrap(try unlocked.all(Patient.self).first).body.code
        try unlocked.add(days: [UseDayDraft(date: .today(), used: false)], patient: patient)
        XCTAssertTrue(try unlocked.verifyAudit().ok)
    }

    func testAnAddedTriggerIsRefused() throws {
        let fixture = try StoreFixture()
        _ = try fixture.create()
        try fixture.attacker { db in
            try db.execute(sql: "CREATE TRIGGER key_slot_keep BEFORE DELETE ON key_slot BEGIN SELECT RAISE(IGNORE); END")
        }
        try assertOpenRefused(fixture, .schemaMismatch(type: "trigger", name: "key_slot_keep", change: .added))
    }

    func testADroppedTriggerIsRefused() throws {
        let fixture = try StoreFixture()
        _ = try fixture.create()
        try fixture.attacker { db in try db.execute(sql: "DROP TRIGGER patient_version_no_update") }
        try assertOpenRefused(fixture, .schemaMismatch(type: "trigger", name: "patient_version_no_update", change: .missing))
    }

    func testAChangedColumnAndAddedObjectsAreRefused() throws {
        let attacks: [(String, StoreError)] = [
            ("ALTER TABLE session ADD COLUMN extra BLOB", .schemaMismatch(type: "table", name: "session", change: .altered)),
            ("CREATE TABLE spare (x)", .schemaMismatch(type: "table", name: "spare", change: .added)),
            ("CREATE INDEX patient_by_version ON patient(current_version)",
             .schemaMismatch(type: "index", name: "patient_by_version", change: .added)),
            ("CREATE VIEW codes AS SELECT code_index FROM patient", .schemaMismatch(type: "view", name: "codes", change: .added)),
            ("DROP INDEX score_by_patient", .schemaMismatch(type: "index", name: "score_by_patient", change: .missing)),
        ]
        for (sql, expected) in attacks {
            let fixture = try StoreFixture()
            _ = try fixture.create()
            try fixture.attacker { db in try db.execute(sql: sql) }
            try assertOpenRefused(fixture, expected)
        }
    }

    /// A released migration's comments may be corrected later, and a store keeps the text it
    /// was made with (the format-1 fixture's `store_meta` has an older comment): comments and
    /// whitespace do not count, anything else does.
    func testCommentsAndWhitespaceDoNotCount() throws {
        let fixture = try StoreFixture()
        _ = try fixture.create()
        try fixture.attacker { db in
            let sql = try XCTUnwrap(String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'key_slot'"))
            let recommented = sql.replacingOccurrences(of: "    id ", with: "  /* the row */ id -- a comment\n   ")
            XCTAssertNotEqual(recommented, sql)
            try db.execute(sql: "PRAGMA writable_schema = ON")
            try db.execute(sql: "UPDATE sqlite_master SET sql = ? WHERE name = 'key_slot'", arguments: [recommented])
        }
        XCTAssertNoThrow(try fixture.open().status())
    }

    /// The expected schema is compiled in (EmbedSchema applies the migrations at build time):
    /// after each migration it is exactly what applying the embedded migrations to an in-memory
    /// database at run time gives, the SQL text as stored included.
    func testTheEmbeddedSchemaIsWhatApplyingTheMigrationsCreates() throws {
        XCTAssertEqual(EmbeddedMigrations.schemas.count, StoreFormat.version)
        let memory = try DatabaseQueue()
        for count in 1...StoreFormat.version {
            let applied = try memory.inDatabase { db in
                try db.execute(sql: EmbeddedMigrations.all[count - 1].sql)
                return try StoreFormat.schema(db)
            }
            let embedded = try StoreFormat.expectedSchema(migrations: count)
            XCTAssertEqual(embedded, applied, "after \(EmbeddedMigrations.all[count - 1].id)")
            XCTAssertFalse(embedded.contains { $0.sql == nil && $0.type != "index" }, "only automatic indexes lack SQL")
        }
        // Each migration changes the schema: the check compares with the format the store has.
        XCTAssertNotEqual(try StoreFormat.expectedSchema(migrations: 1), try StoreFormat.expectedSchema(migrations: 2))
        XCTAssertLessThan(try StoreFormat.expectedSchema(migrations: 2).count, try StoreFormat.expectedSchema(migrations: 3).count)
        XCTAssertTrue(try StoreFormat.expectedSchema(migrations: StoreFormat.version).contains {
            $0.type == "trigger" && $0.name == "patient_version_no_update"
        })
        XCTAssertEqual(try StoreFormat.expectedSchema(migrations: 0), [])
    }

    func testNormalisedSQLDropsCommentsAndKeepsQuotedText() {
        XCTAssertEqual(StoreFormat.normalisedSQL("CREATE TABLE t (\n  a INT, -- note\n  b /* x */ TEXT\n)"),
                       "CREATE TABLE t ( a INT, b TEXT )")
        XCTAssertEqual(StoreFormat.normalisedSQL("SELECT '--  not a comment', \"a  b\", 'it''s  x'"),
                       "SELECT '--  not a comment', \"a  b\", 'it''s  x'")
        XCTAssertNotEqual(StoreFormat.normalisedSQL("RAISE(ABORT, 'a  b')"), StoreFormat.normalisedSQL("RAISE(ABORT, 'a b')"))
    }
}
