import Foundation
import XCTest

/// Damaged, foreign and wrongly keyed backups: `verify` and `restore` refuse each with one
/// `ketlog: error:` line and exit 65 (bad data) or 77 (wrong key), and write nothing — no
/// target, no temporary file beside it or in TMPDIR, an existing store left byte for byte.
final class BackupDamageTests: XCTestCase {
    private var harness: BackupHarness!
    private var key: (identity: String, recipient: String)!
    private var backup: String!
    /// A sound store to restore over with --force; must never change.
    private var existing: String!
    private var targets: String!

    override func setUpWithError() throws {
        harness = try BackupHarness()
        let store = try harness.makeStore("clinic.db", patients: 6, scoresPerPatient: 20)
        key = try harness.keygen()
        backup = harness.path("nightly.age")
        try harness.succeed("ketlog", ["backup", "export", "--store", store, "--output", backup, "--recipient", key.recipient])
        targets = harness.path("targets")
        try FileManager.default.createDirectory(atPath: targets, withIntermediateDirectories: true)
        existing = targets + "/existing.db"
        try FileManager.default.copyItem(atPath: store, toPath: existing)
    }

    override func tearDown() {
        harness?.remove()
    }

    /// Byte offset just past the header's MAC line.
    private func headerLength(_ bytes: [UInt8]) throws -> Int {
        let marker = Array("\n--- ".utf8)
        let start = try XCTUnwrap((0...(bytes.count - marker.count)).first { Array(bytes[$0..<$0 + marker.count]) == marker })
        return try XCTUnwrap(bytes[(start + 1)...].firstIndex(of: UInt8(ascii: "\n"))) + 1
    }

    /// `file` fails `verify` and `restore` (to a new path, and with --force over a store)
    /// with `status`, leaving nothing.
    private func assertRejected(_ file: String, status: Int32, identity: [String]? = nil, environment: [String: String] = [:],
                                mentioning: String? = nil, _ label: String, line: UInt = #line) throws {
        let identity = identity ?? ["--identity", key.identity]
        let before = try harness.bytes(existing)
        let listing = try FileManager.default.contentsOfDirectory(atPath: targets).sorted()

        let verify = try harness.ketlog(["backup", "verify", file] + identity, environment: environment)
        harness.assertRefused(verify, status: status, mentioning: mentioning, "verify \(label):", line: line)

        let fresh = targets + "/restored.db"
        let restore = try harness.ketlog(["backup", "restore", file, "--to", fresh] + identity, environment: environment)
        harness.assertRefused(restore, status: status, mentioning: mentioning, "restore \(label):", line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh), "restore \(label) left \(fresh)", line: line)

        let forced = try harness.ketlog(["backup", "restore", file, "--to", existing, "--force"] + identity, environment: environment)
        harness.assertRefused(forced, status: status, mentioning: mentioning, "restore --force \(label):", line: line)
        XCTAssertTrue(try harness.bytes(existing) == before, "restore --force \(label) changed the existing store", line: line)

        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: targets).sorted(), listing, label, line: line)
        XCTAssertEqual(harness.leftovers(in: targets), [], label, line: line)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: harness.temporary.path), [], label, line: line)
    }

    func testTruncatedBackupsAreRefused() throws {
        let bytes = try harness.bytes(backup)
        let header = try headerLength(bytes)
        XCTAssertGreaterThan(bytes.count - header, 16 + 65536 + 16 + 2000, "the backup should span two chunks or more")
        let cuts: [(String, Int)] = [
            ("empty", 0), ("inside the version line", 10), ("inside the header", header / 2), ("before the MAC line ends", header - 1),
            ("right after the header", header), ("inside the nonce", header + 8), ("right after the nonce", header + 16),
            ("mid-payload", header + 16 + 65536 + 17 + 1000), ("at a chunk boundary", header + 16 + 65536 + 16),
            ("one byte short", bytes.count - 1),
        ]
        for (label, cut) in cuts {
            let truncated = harness.path("cut-\(cut).age")
            try harness.write(Array(bytes.prefix(cut)), to: truncated)
            try assertRejected(truncated, status: 65, mentioning: "backup:", "truncated \(label) (\(cut) of \(bytes.count))")
        }
    }

    func testBitFlippedBackupsAreRefused() throws {
        let bytes = try harness.bytes(backup)
        let header = try headerLength(bytes)
        // The MAC's first base64 digit, swapped for another valid digit: a header MAC mismatch.
        let macDigit = header - 44
        let flips: [(label: String, offset: Int, mask: UInt8, mentioning: String)] = [
            ("header MAC", macDigit, bytes[macDigit] == UInt8(ascii: "A") ? 0x03 : bytes[macDigit] ^ UInt8(ascii: "A"), "MAC mismatch"),
            ("payload nonce", header + 3, 0x01, "authentication failed"),
            ("first chunk", header + 16 + 100, 0x80, "authentication failed"),
            ("second chunk", header + 16 + 65536 + 16 + 5, 0x01, "authentication failed"),
            ("last byte", bytes.count - 1, 0x01, "authentication failed"),
        ]
        for (label, offset, mask, mentioning) in flips {
            var damaged = bytes
            damaged[offset] ^= mask
            XCTAssertNotEqual(damaged, bytes, label)
            let file = harness.path("flip-\(offset).age")
            try harness.write(damaged, to: file)
            try assertRejected(file, status: 65, mentioning: mentioning, "bit flip in \(label) at \(offset)")
        }
    }

    func testWrongIdentityIsDenied() throws {
        let other = try harness.keygen("other-key.txt")
        try assertRejected(backup, status: 77, identity: ["--identity", other.identity],
                           mentioning: "no identity or passphrase given opens this backup", "wrong identity")
        // A passphrase offered for a recipient backup does not open it either.
        try assertRejected(backup, status: 77, identity: [], environment: ["KETLOG_BACKUP_PASSWORD": "guess"], "passphrase for a key backup")
    }

    func testWrongPassphraseIsDenied() throws {
        let store = harness.path("clinic.db")
        let usb = harness.path("usb.age")
        try harness.succeed("ketlog", ["backup", "export", "--store", store, "--output", usb, "--passphrase", "--passphrase-work-factor", "10"],
                            environment: ["KETLOG_BACKUP_PASSWORD": "the right one"])
        try assertRejected(usb, status: 77, identity: [], environment: ["KETLOG_BACKUP_PASSWORD": "the wrong one"],
                           mentioning: "no identity or passphrase given opens this backup", "wrong passphrase")
        try assertRejected(usb, status: 77, "X25519 key for a passphrase backup")
    }

    func testFilesThatAreNotBackupsAreRefused() throws {
        let text = harness.path("notes.txt")
        try "these are not the backups you are looking for\n".write(toFile: text, atomically: true, encoding: .utf8)
        try assertRejected(text, status: 65, mentioning: "the age header", "a text file")
        // The store itself, unencrypted.
        try assertRejected(harness.path("clinic.db"), status: 65, "an unencrypted store")

        let random = harness.path("random.bin")
        try harness.write((0..<100_000).map { _ in UInt8.random(in: 0...255) }, to: random)
        let sealedRandom = harness.path("random.age")
        try harness.succeed("age", ["-r", key.recipient, "-o", sealedRandom, random])
        try assertRejected(sealedRandom, status: 65, mentioning: "not an SQLite database", "age file of random bytes")

        let foreign = harness.path("foreign.db")
        try harness.succeed("sqlite3", [foreign, "CREATE TABLE patient(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO patient VALUES (1, 'x');"])
        let sealedForeign = harness.path("foreign.age")
        try harness.succeed("age", ["-r", key.recipient, "-o", sealedForeign, foreign])
        try assertRejected(sealedForeign, status: 65, mentioning: "not a sound ketlog store", "age file of a foreign SQLite db")
    }

    func testRestoreOntoAnExistingStoreNeedsForce() throws {
        let before = try harness.bytes(existing)
        let result = try harness.ketlog(["backup", "restore", backup, "--to", existing, "--identity", key.identity])
        harness.assertRefused(result, status: 73, mentioning: "refusing to overwrite")
        XCTAssertTrue(try harness.bytes(existing) == before)
        XCTAssertEqual(harness.leftovers(in: targets), [])
    }
}
