import Foundation
import GRDB
import KetlogModel
import KetlogStore
import XCTest

final class StoreLifecycleTests: XCTestCase {
    func testCreateOpenUnlock() throws {
        let fixture = try StoreFixture()
        let created = try fixture.create()
        XCTAssertEqual(created.user, "alice")
        XCTAssertEqual(created.role, .admin)

        let store = try fixture.open()
        XCTAssertEqual(try store.users().map(\.name), ["alice"])
        XCTAssertEqual(try store.users().map(\.role), [.admin])
        let unlocked = try store.unlock(user: "alice", passphrase: secret("alice-pass"))
        XCTAssertEqual(unlocked.role, .admin)

        let status = try store.status()
        XCTAssertEqual(status.formatVersion, 3)
        XCTAssertEqual(status.auditEntries, 1, "init is audited")
        XCTAssertEqual(status.auditHead?.count, 16)
        XCTAssertEqual(status.patients, 0)
    }

    func testFileIs0600InA0700Directory() throws {
        let fixture = try StoreFixture()
        let unlocked = try fixture.create()
        try unlocked.add(Sample.patient)
        XCTAssertEqual(try fixture.mode(fixture.path), 0o600)
        XCTAssertEqual(try fixture.mode((fixture.path as NSString).deletingLastPathComponent), 0o700)
        // SQLite gives its companions the database file's mode.
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: fixture.path + suffix) {
            XCTAssertEqual(try fixture.mode(fixture.path + suffix), 0o600, suffix)
        }
    }

    func testCreateRefusesAnExistingFileAndLeavesItAlone() throws {
        let fixture = try StoreFixture()
        _ = try fixture.create()
        let before = try fixture.snapshot()
        XCTAssertThrowsStoreError(.storeExists(path: fixture.path), try fixture.create(admin: "mallory"))
        XCTAssertEqual(try fixture.snapshot(), before)
        XCTAssertEqual(try fixture.open().users().map(\.name), ["alice"])
    }

    func testCreateRejectsAWorkFactorOutOfRangeAndLeavesNoFile() throws {
        let fixture = try StoreFixture()
        for factor in [9, 23] {
            XCTAssertThrowsError(try Store.create(path: fixture.path, admin: "alice", passphrase: secret("p"), workFactor: factor))
            XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.path))
        }
    }

    func testOpenMissingStore() throws {
        let fixture = try StoreFixture()
        XCTAssertThrowsStoreError(.storeNotFound(path: fixture.path), try fixture.open())
    }

    func testOpenRefusesAFileThatIsNotAStore() throws {
        let fixture = try StoreFixture()
        try FileManager.default.createDirectory(atPath: (fixture.path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data("definitely not sqlite, just some text that is long enough".utf8)
            .write(to: URL(fileURLWithPath: fixture.path))
        XCTAssertThrowsError(try fixture.open()) { error in
            guard case .corruptStore = error as? StoreError else { return XCTFail("\(error)") }
        }
    }

    func testWrongPassphraseThrowsAndWritesNothing() throws {
        let fixture = try StoreFixture()
        try fixture.create().add(Sample.patient)
        let before = try fixture.snapshot()
        XCTAssertThrowsStoreError(.wrongPassphrase(user: "alice"), try fixture.unlock("alice", "alice-pass!"))
        XCTAssertThrowsStoreError(.wrongPassphrase(user: "alice"), try fixture.unlock("alice", ""))
        XCTAssertEqual(try fixture.snapshot(), before)
        XCTAssertEqual(try fixture.open().status().auditEntries, 2)
    }

    func testUnknownUserCannotUnlock() throws {
        let fixture = try StoreFixture()
        _ = try fixture.create()
        XCTAssertThrowsStoreError(.unknownUser("bob"), try fixture.unlock("bob", "alice-pass"))
    }

    func testANewerStoreIsRefused() throws {
        let fixture = try StoreFixture()
        _ = try fixture.create()
        // What a future ketlog with a second migration would leave behind.
        try fixture.attacker { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('0099_from_the_future')")
        }
        XCTAssertThrowsStoreError(.newerFormat(found: 4, supported: 3), try fixture.open())
    }

    func testAStoreRecordingANewerFormatVersionIsRefused() throws {
        let fixture = try StoreFixture()
        _ = try fixture.create()
        try fixture.attacker { db in try db.execute(sql: "UPDATE store_meta SET format_version = 5") }
        XCTAssertThrowsStoreError(.newerFormat(found: 5, supported: 3), try fixture.open())
    }

    func testAPassphraseForAnotherStoreDoesNotOpenThisOne() throws {
        // Same user name and passphrase, different data key: the key check must refuse, not
        // open records under the wrong key.
        let first = try StoreFixture()
        let second = try StoreFixture()
        _ = try first.create()
        _ = try second.create()
        let slot = try first.attacker { db in try Row.fetchOne(db, sql: "SELECT * FROM key_slot")! }
        try second.attacker { db in
            try db.execute(sql: """
                UPDATE key_slot SET kdf_salt = ?, x25519_public = ?, ed25519_public = ?, sealed_private = ?, key_wrap = ?
                """, arguments: [slot["kdf_salt"] as Data, slot["x25519_public"] as Data, slot["ed25519_public"] as Data,
                                 slot["sealed_private"] as Data, slot["key_wrap"] as Data])
        }
        XCTAssertThrowsError(try second.unlock("alice", "alice-pass")) { error in
            guard case .corruptStore = error as? StoreError else { return XCTFail("\(error)") }
        }
    }

    func testNoClinicalValueIsStoredInTheClear() throws {
        let fixture = try StoreFixture()
        let store = try fixture.createWithOneOfEach()
        var bytes = Data()
        for (_, data) in try fixture.snapshot() { bytes.append(data) }
        for needle in [Sample.patient.code!, "Jordan Example", "1980-02-03", "cocaine", "tolerated well", "nausea",
                       "2026-03-02", "first referral"] {
            XCTAssertNil(bytes.range(of: Data(needle.utf8)), "\(needle) is in the file in the clear")
        }
    }
}
