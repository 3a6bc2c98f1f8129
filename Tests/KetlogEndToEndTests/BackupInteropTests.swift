import Foundation
import XCTest

/// `ketlog backup` against Debian's `age`, both ways: age opens what ketlog writes, ketlog
/// restores what age encrypts. These run in Scripts/test; without `age` they fail, not skip.
final class BackupInteropTests: XCTestCase {
    private var harness: BackupHarness!

    override func setUpWithError() throws {
        harness = try BackupHarness()
    }

    override func tearDown() {
        harness?.remove()
    }

    private static let sqliteMagic = Array("SQLite format 3\u{0}".utf8)

    func testAgeOpensRecipientBackupsBinaryAndArmored() throws {
        let store = try harness.makeStore("clinic.db", patients: 4, scoresPerPatient: 3)
        let expected = try harness.status(store)
        let key = try harness.keygen()
        for armor in [false, true] {
            let backup = harness.path("nightly-\(armor).age")
            try harness.succeed("ketlog", ["backup", "export", "--store", store, "--output", backup, "--recipient", key.recipient]
                                + (armor ? ["--armor"] : []))
            let prefix = armor ? "-----BEGIN AGE ENCRYPTED FILE-----\n" : "age-encryption.org/v1\n-> X25519 "
            XCTAssertTrue(try harness.bytes(backup).starts(with: Array(prefix.utf8)), "armor \(armor)")
            let opened = harness.path("opened-\(armor).db")
            try harness.succeed("age", ["-d", "-i", key.identity, "-o", opened, backup])
            XCTAssertEqual(Array(try harness.bytes(opened).prefix(16)), Self.sqliteMagic)
            XCTAssertEqual(try harness.sqliteCounts(opened), expected, "armor \(armor)")
        }
    }

    func testAgeOpensPassphraseBackupThroughATerminal() throws {
        let store = try harness.makeStore("clinic.db")
        let expected = try harness.status(store)
        let backup = harness.path("usb.age")
        let passphrase = "usb stick passphrase"
        // age accepts work factor 10 on decrypt (it only refuses factors above 22).
        try harness.succeed("ketlog", ["backup", "export", "--store", store, "--output", backup, "--passphrase",
                                       "--passphrase-work-factor", "10"],
                            environment: ["KETLOG_BACKUP_PASSWORD": passphrase])
        let opened = harness.path("opened.db")
        let age = try XCTUnwrap(BackupHarness.which("age"))
        let result = try harness.underTerminal([age, "-d", "-o", opened, backup], answers: [passphrase])
        XCTAssertEqual(result.status, 0, "age -d through a pty: \(result.stderr)")
        XCTAssertTrue(result.stderr.lowercased().contains("passphrase"), "age did not prompt: \(result.stderr)")
        XCTAssertEqual(try harness.sqliteCounts(opened), expected)

        // The wrong passphrase at the same prompt is refused by age and writes no output.
        let refused = harness.path("refused.db")
        let wrong = try harness.underTerminal([age, "-d", "-o", refused, backup], answers: ["not it"])
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: refused))
    }

    func testKetlogRestoresAgeRecipientSnapshots() throws {
        let store = try harness.makeStore("clinic.db", patients: 3, scoresPerPatient: 4)
        let expected = try harness.status(store)
        let snapshot = harness.path("snap.db")
        try harness.succeed("sqlite3", [store, ".backup \(snapshot)"])
        let key = try harness.keygen()
        for armor in [false, true] {
            let sealed = harness.path("snap-\(armor).age")
            try harness.succeed("age", ["-r", key.recipient] + (armor ? ["-a"] : []) + ["-o", sealed, snapshot])
            let restored = harness.path("restored-\(armor).db")
            let result = try harness.succeed("ketlog", ["backup", "restore", sealed, "--to", restored, "--identity", key.identity])
            XCTAssertTrue(result.stdout.hasPrefix("restored to \(restored): format "), result.stdout)
            try assertSoundStore(restored, counts: expected)
        }
    }

    func testKetlogRestoresAgePassphraseSnapshot() throws {
        let store = try harness.makeStore("clinic.db")
        let expected = try harness.status(store)
        let key = try harness.keygen()
        // This time the snapshot is a ketlog backup opened by age.
        let backup = harness.path("nightly.age")
        try harness.succeed("ketlog", ["backup", "export", "--store", store, "--output", backup, "--recipient", key.recipient])
        let snapshot = harness.path("snap.db")
        try harness.succeed("age", ["-d", "-i", key.identity, "-o", snapshot, backup])

        let passphrase = "typed at age's prompt"
        let sealed = harness.path("snap.age")
        let age = try XCTUnwrap(BackupHarness.which("age"))
        // age -p asks twice and uses its default work factor (18), which ketlog accepts.
        let encrypted = try harness.underTerminal([age, "-p", "-o", sealed, snapshot], answers: [passphrase, passphrase])
        XCTAssertEqual(encrypted.status, 0, "age -p through a pty: \(encrypted.stderr)")
        XCTAssertTrue(try harness.bytes(sealed).starts(with: Array("age-encryption.org/v1\n-> scrypt ".utf8)))

        let restored = harness.path("restored.db")
        try harness.succeed("ketlog", ["backup", "restore", sealed, "--to", restored],
                            environment: ["KETLOG_BACKUP_PASSWORD": passphrase])
        try assertSoundStore(restored, counts: expected)
    }

    /// The store at `path` has `counts`, unlocks with the store passphrase, and its audit chain verifies.
    private func assertSoundStore(_ path: String, counts: BackupCounts, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try harness.status(path, file: file, line: line), counts, file: file, line: line)
        let audit = try harness.succeed("ketlog", ["audit", "verify", "--store", path], environment: BackupHarness.unlocked,
                                        file: file, line: line)
        XCTAssertTrue(audit.stdout.hasPrefix("ok: \(counts.auditEntries) entries"), audit.stdout, file: file, line: line)
        try harness.succeed("ketlog", ["score", "list", "--store", path], environment: BackupHarness.unlocked, file: file, line: line)
    }
}
