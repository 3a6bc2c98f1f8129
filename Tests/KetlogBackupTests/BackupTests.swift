import AgeFormat
import Foundation
import KetlogBackup
import KetlogCrypto
import KetlogModel
import KetlogStore
import XCTest

/// `Backup.export`, `verify` and `restore` at the library level.
final class BackupTests: XCTestCase {
    private var fixture: BackupFixture!
    private var identity: AgeIdentity!

    override func setUpWithError() throws {
        fixture = try BackupFixture()
        identity = try AgeIdentity.generateX25519()
    }

    override func tearDown() {
        fixture?.remove()
    }

    private func export(_ name: String = "nightly.age", armor: Bool = false, overwrite: Bool = false) throws -> String {
        let output = fixture.path(name)
        try Backup.export(fixture.store, to: output, recipients: [try identity.recipient()], armor: armor, overwrite: overwrite)
        return output
    }

    private func assertBackupError(_ expression: @autoclosure () throws -> some Any, _ expected: BackupError,
                                   file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { XCTAssertEqual($0 as? BackupError, expected, file: file, line: line) }
    }

    func testVerifyFindsTheStoresCountsAndWithAPassphraseEveryRecord() throws {
        let backup = try export()
        let status = try fixture.store.status()
        let shallow = try Backup.verify(backup, identities: [identity], unlock: nil)
        XCTAssertEqual([shallow.soundness.patients, shallow.soundness.sessions, shallow.soundness.scores, shallow.soundness.auditEntries],
                       [status.patients, status.sessions, status.scores, status.auditEntries])
        XCTAssertEqual(shallow.soundness.users, 1)
        XCTAssertNil(shallow.audit)
        XCTAssertNil(shallow.recordsOpened)
        let payload = try AgeDecryptor(identities: [identity]).decrypt(try fixture.bytes(backup))
        XCTAssertEqual(shallow.payloadBytes, Int64(payload.count))
        XCTAssertTrue(payload.starts(with: Array("SQLite format 3\u{0}".utf8)))

        let deep = try Backup.verify(backup, identities: [identity], unlock: fixture.unlock)
        XCTAssertEqual(deep.audit?.ok, true)
        XCTAssertEqual(deep.audit?.entries, status.auditEntries)
        XCTAssertEqual(deep.recordsOpened, deep.soundness.recordVersions)
        XCTAssertEqual(deep.recordsOpened, 3 + 3 + 6)
        XCTAssertEqual(fixture.leftovers(), [])
    }

    func testRestoreGivesAStoreThatUnlocksAndRecordsTheRestore() throws {
        let backup = try export()
        let before = try fixture.store.status()

        let plain = fixture.path("restored/plain.db")
        _ = try Backup.restore(backup, to: plain, identities: [identity], unlock: nil, overwrite: false)
        let restored = try Store.open(path: plain)
        XCTAssertEqual(try restored.status().auditHead, before.auditHead)
        let unlocked = try restored.unlock(user: BackupFixture.admin, passphrase: BackupFixture.passphrase)
        XCTAssertEqual(try unlocked.all(Score.self).count, 6)
        XCTAssertEqual(try unlocked.verifyAudit().ok, true)
        XCTAssertNotEqual(try unlocked.auditLog().last?.action, .backupRestore)
        try restored.close()

        let audited = fixture.path("restored/audited.db")
        let result = try Backup.restore(backup, to: audited, identities: [identity], unlock: fixture.unlock, overwrite: false)
        XCTAssertEqual(result.audit?.ok, true)
        let reopened = try Store.open(path: audited).unlock(user: BackupFixture.admin, passphrase: BackupFixture.passphrase)
        let last = try XCTUnwrap(try reopened.auditLog().last)
        XCTAssertEqual(last.action, .backupRestore)
        XCTAssertEqual(last.detail, "nightly.age")
        XCTAssertEqual(try reopened.verifyAudit().ok, true)
        try reopened.store.close()
        XCTAssertEqual(try fixture.store.status().auditEntries, before.auditEntries, "the source store is not touched")
        XCTAssertEqual(fixture.leftovers(), [])
        // (Closing a GRDB pool in-process may leave -wal/-shm beside a store; they are not restore leftovers.)
        let names = try FileManager.default.contentsOfDirectory(atPath: fixture.path("restored"))
        XCTAssertEqual(names.filter { !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }.sorted(), ["audited.db", "plain.db"])
    }

    func testPassphraseBackups() throws {
        let output = fixture.path("usb.age")
        let passphrase = SecureBytes(Array("usb stick".utf8))
        try Backup.export(fixture.store, to: output, recipients: [.scrypt(passphrase: passphrase, workFactor: 10)], armor: true,
                          overwrite: false)
        XCTAssertTrue(try fixture.bytes(output).starts(with: Array("-----BEGIN AGE ENCRYPTED FILE-----\n".utf8)))
        XCTAssertEqual(try Backup.verify(output, identities: [.scrypt(passphrase: passphrase)], unlock: nil).soundness.scores, 6)
        assertBackupError(try Backup.verify(output, identities: [.scrypt(passphrase: SecureBytes(Array("usb stock".utf8)))], unlock: nil),
                          .age(.noMatchingIdentity))
        assertBackupError(try Backup.verify(output, identities: [identity], unlock: nil), .age(.noMatchingIdentity))
    }

    func testExportIsPrivateAndRefusesAnExistingOutput() throws {
        let backup = try export()
        let attributes = try FileManager.default.attributesOfItem(atPath: backup)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let first = try fixture.bytes(backup)
        assertBackupError(try export(), .exists(path: backup))
        XCTAssertTrue(try fixture.bytes(backup) == first)
        _ = try export(overwrite: true)
        XCTAssertFalse(try fixture.bytes(backup) == first, "a new file key makes new bytes")
        XCTAssertEqual(fixture.leftovers(), [])
    }

    func testProgressReachesTheTotal() throws {
        var exported: [(Int64, Int64)] = []
        try Backup.export(fixture.store, to: fixture.path("p.age"), recipients: [try identity.recipient()], armor: false,
                          overwrite: false) { exported.append(($0, $1)) }
        let total = try Backup.verify(fixture.path("p.age"), identities: [identity], unlock: nil).payloadBytes
        XCTAssertEqual(exported.last?.0, total)
        XCTAssertTrue(exported.allSatisfy { $0.1 == total })
        XCTAssertEqual(exported.map(\.0), exported.map(\.0).sorted())
        var verified: [Int64] = []
        _ = try Backup.verify(fixture.path("p.age"), identities: [identity], unlock: nil) { done, _ in verified.append(done) }
        XCTAssertEqual(verified.last, Int64(try fixture.bytes(fixture.path("p.age")).count))
        XCTAssertEqual(verified, verified.sorted())
    }

    func testRestoreNeverReplacesAStoreWithoutOverwriteOrWithABadBackup() throws {
        let backup = try export()
        let other = try BackupFixture(patients: 1, scoresPerPatient: 0)
        defer { other.remove() }
        let target = other.storePath
        let untouched = try other.bytes(target)

        assertBackupError(try Backup.restore(backup, to: target, identities: [identity], unlock: nil, overwrite: false),
                          .exists(path: target))
        XCTAssertTrue(try other.bytes(target) == untouched)

        let bytes = try fixture.bytes(backup)
        let truncated = fixture.path("cut.age")
        try Data(bytes.dropLast(1)).write(to: URL(fileURLWithPath: truncated))
        XCTAssertThrowsError(try Backup.restore(truncated, to: target, identities: [identity], unlock: nil, overwrite: true)) {
            guard case .age(let age) = $0 as? BackupError else { return XCTFail("\($0)") }
            XCTAssertNotEqual(age, .noMatchingIdentity)
        }
        let stranger = try AgeIdentity.generateX25519()
        assertBackupError(try Backup.restore(backup, to: target, identities: [stranger], unlock: nil, overwrite: true),
                          .age(.noMatchingIdentity))
        XCTAssertTrue(try other.bytes(target) == untouched)
        XCTAssertEqual(other.leftovers(), [])

        // A good backup of another store is never written over a store, even with overwrite.
        XCTAssertThrowsError(try Backup.restore(backup, to: target, identities: [identity], unlock: nil, overwrite: true)) {
            guard case .otherStore(_, _, let path) = $0 as? BackupError else { return XCTFail("\($0)") }
            XCTAssertEqual(path, target)
        }
        XCTAssertTrue(try other.bytes(target) == untouched)
        // Over its own store, with overwrite, it replaces it.
        _ = try Backup.restore(backup, to: fixture.storePath, identities: [identity], unlock: nil, overwrite: true)
        XCTAssertEqual(try Store.open(path: fixture.storePath).status().scores, 6)
    }

    func testPayloadsThatAreNotKetlogStoresAreRefused() throws {
        let recipient = try identity.recipient()
        let random = fixture.path("random.age")
        try Data(try AgeEncryptor(recipients: [recipient], armor: false).encrypt((0..<5000).map { UInt8($0 % 251) }))
            .write(to: URL(fileURLWithPath: random))
        assertBackupError(try Backup.verify(random, identities: [identity], unlock: nil),
                          .notAStore(detail: "the payload is not an SQLite database"))
        let target = fixture.path("never.db")
        XCTAssertThrowsError(try Backup.restore(random, to: target, identities: [identity], unlock: nil, overwrite: false))
        XCTAssertFalse(FileManager.default.fileExists(atPath: target))
        XCTAssertEqual(fixture.leftovers(), [])
    }

    func testVerifyWithTheWrongStorePassphraseSaysSo() throws {
        let backup = try export()
        let wrong = Backup.Unlock(user: BackupFixture.admin, loginName: nil, passphrase: SecureBytes(Array("not it".utf8)))
        assertBackupError(try Backup.verify(backup, identities: [identity], unlock: wrong), .store(.wrongPassphrase(user: BackupFixture.admin)))
        let target = fixture.path("restored.db")
        assertBackupError(try Backup.restore(backup, to: target, identities: [identity], unlock: wrong, overwrite: false),
                          .store(.wrongPassphrase(user: BackupFixture.admin)))
        XCTAssertFalse(FileManager.default.fileExists(atPath: target))
    }
}
