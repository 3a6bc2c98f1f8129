import Foundation
import GRDB
import KetlogCrypto
import KetlogModel
@testable import KetlogStore
import XCTest

/// `ketlog rekey` and `ketlog user remove NAME --rekey`, run as the built binary. The former
/// user's copy of the old key is held with ketlog's own code (`@testable`): their slot as it was
/// and their passphrase give the old data key, which must open nothing the store holds after.
final class RekeyEndToEndTests: XCTestCase {
    private var ketlog: RecordsHarness!
    private let locum = ["KETLOG_USER": "locum", "KETLOG_PASSWORD": "locum-pass"]
    private let bob = ["KETLOG_USER": "bob", "KETLOG_PASSWORD": "bob-pass"]

    override func setUpWithError() throws {
        ketlog = try RecordsHarness()
        try ketlog.ok(["patient", "add", "P-0001", "--substance", "cocaine"])
        try ketlog.ok(["score", "add", "--patient", "P-0001", "--date", "2026-11-20", "--craving", "6", "--use-days", "18"])
        try ketlog.ok(["user", "add", "bob", "--role", "clinician"], env: ["KETLOG_NEW_PASSWORD": "bob-pass"])
        try ketlog.ok(["user", "add", "locum", "--role", "clinician"], env: ["KETLOG_NEW_PASSWORD": "locum-pass"])
        try ketlog.ok(["session", "add", "--patient", "P-0001", "--date", "2026-11-21", "--route", "iv", "--dose-mg-per-kg", "0.5",
                       "--weight-kg", "70", "--duration-min", "40", "--practitioner", "Lee"], env: locum)
        try ketlog.ok(["score", "amend", "sco-1", "--reason", "recount", "--use-days", "17"], env: bob)
    }

    /// A slot row as it is in the file, read with ketlog's own record type.
    private func slot(_ name: String) throws -> KeySlot {
        try DatabaseQueue(path: ketlog.storePath).read { db in
            try XCTUnwrap(KeySlot.filter(KeySlot.Columns.userName == name).fetchOne(db))
        }
    }

    /// How many of the file's record versions and audit entries `keys` opens, of how many.
    private func openable(with keys: KeyRing) throws -> (opened: Int, total: Int) {
        try DatabaseQueue(path: ketlog.storePath).read { db in
            var opened = 0, total = 0
            for kind in RecordKind.allCases {
                for row in try Row.fetchAll(db, sql: """
                    SELECT v.\(kind.idColumn) AS id, v.version, v.sealed, h.\(kind.ownerColumn) AS owner
                    FROM \(kind.versionTable) v JOIN \(kind.table) h ON h.id = v.\(kind.idColumn)
                    """) {
                    total += 1
                    if (try? keys.open(Array(row["sealed"] as Data), table: kind.versionTable, id: row["id"],
                                       version: row["version"], patientID: row["owner"])) != nil { opened += 1 }
                }
            }
            for row in try Row.fetchAll(db, sql: "SELECT seq, sealed FROM audit_entry") {
                total += 1
                if (try? keys.open(Array(row["sealed"] as Data), table: "audit_entry", id: row["seq"], version: 1,
                                   patientID: 0)) != nil { opened += 1 }
            }
            return (opened, total)
        }
    }

    private func columns(_ name: String) -> String {
        ["id", "user_name", "role", "kdf_salt", "kdf_work_factor", "wrap_nonce", "wrapped_key", "x25519_public",
         "ed25519_public", "sealed_private", "key_wrap"].map { "quote(\($0))" }.joined(separator: "||','||")
    }

    func testTheRemovedUsersOldKeyOpensNothingWrittenBeforeOrAfter() throws {
        // What locum walks away with: their slot row as it was, and their passphrase.
        let oldSlot = try slot("locum")
        let savedRow = try ketlog.sqlite("SELECT \(columns("locum")) FROM key_slot WHERE user_name = 'locum'")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let kek = try oldSlot.keyEncryptionKey(SecureBytes(Array("locum-pass".utf8)))
        let oldKey = try oldSlot.unwrapDataKey(try oldSlot.openKeys(kek: kek))
        let oldKeys = try KeyRing(dataKey: oldKey)
        let before = try openable(with: oldKeys)
        XCTAssertEqual(before.opened, before.total, "the old key opens everything before the rekey")

        let output = try ketlog.ok(["user", "remove", "locum", "--rekey"])
        XCTAssertEqual(output, "removed locum\nrekeyed: 4 record versions, 8 audit entries re-sealed; users: admin, bob\n")
        try ketlog.ok(["score", "add", "--patient", "P-0001", "--date", "2026-11-22", "--craving", "2", "--use-days", "3"])

        let after = try openable(with: oldKeys)
        XCTAssertEqual(after.total, before.total + 4, "remove, rekey, the new score and its entry")
        XCTAssertEqual(after.opened, 0, "the old key opens none of the old records, the new one, or any audit entry")
        // Their old slot opens with their passphrase, but to the old key only.
        XCTAssertEqual(try oldSlot.unwrapDataKey(try oldSlot.openKeys(kek: kek)).unsafeArray, oldKey.unsafeArray)

        // Putting the old slot back is refused, for them and for everyone else.
        try ketlog.sqlite("INSERT INTO key_slot (id, user_name, role, kdf_salt, kdf_work_factor, wrap_nonce, wrapped_key, "
                          + "x25519_public, ed25519_public, sealed_private, key_wrap) VALUES (\(savedRow))")
        try ketlog.refuse(["score", "list"], status: 65, field: "does not match this store", env: locum)
        try ketlog.refuse(["score", "list"], status: 65, field: "key slot of locum")
        try ketlog.refuse(["audit", "verify"], status: 65, field: "locum")
    }

    /// Another Unix user's rollback witness (another HOME) saw the store before the rekey: the
    /// rekey recomputes every MAC but no signature, so their next command is not taken for a
    /// rollback.
    func testAnotherUsersRollbackWitnessOutlivesTheRekey() throws {
        let otherHome = ketlog.directory.appendingPathComponent("other-unix-user")
        try FileManager.default.createDirectory(at: otherHome, withIntermediateDirectories: true)
        let other = bob.merging(["HOME": otherHome.path]) { $1 }
        let before = try ketlog.ok(["score", "list", "--format", "json"], env: other)
        try ketlog.ok(["rekey"])
        XCTAssertEqual(try ketlog.ok(["score", "list", "--format", "json"], env: other), before)
        XCTAssertTrue(try ketlog.ok(["status"], env: other).contains("audit:"))
    }

    func testTheOtherUsersKeepAccessWithoutGivingTheirPassphrases() throws {
        let list = try ketlog.ok(["score", "list", "--format", "json"], env: bob)
        let slotBefore = try slot("bob")
        // Only the admin's passphrase is in the environment of the rekey.
        let output = try ketlog.ok(["rekey"])
        XCTAssertEqual(output, "rekeyed: 4 record versions, 7 audit entries re-sealed; users: admin, bob, locum\n")
        XCTAssertEqual(try ketlog.ok(["score", "list", "--format", "json"], env: bob), list)
        XCTAssertEqual(try ketlog.ok(["score", "list", "--format", "json"], env: locum), list)
        XCTAssertTrue(try ketlog.ok(["audit", "verify"], env: bob).hasPrefix("ok: 8 entries, head "))
        let slotAfter = try slot("bob")
        XCTAssertEqual([slotAfter.kdfSalt, slotAfter.sealedPrivate], [slotBefore.kdfSalt, slotBefore.sealedPrivate])
        XCTAssertNotEqual(slotAfter.keyWrap, slotBefore.keyWrap)
        let log = try ketlog.ok(["audit", "log", "--format", "csv"])
        XCTAssertTrue(log.split(separator: "\n").last?.contains(",admin,store.rekey,4 records,4 record versions re-sealed") ?? false, log)
        // Bob writes after the rekey, and everything still verifies.
        try ketlog.ok(["score", "add", "--patient", "P-0001", "--date", "2026-11-23", "--craving", "1", "--use-days", "1"], env: bob)
        XCTAssertTrue(try ketlog.ok(["audit", "verify"]).hasPrefix("ok: 9 entries, head "))
    }

    func testAClinicianOrAReporterMayNotRekey() throws {
        try ketlog.ok(["user", "add", "cron", "--role", "reporter"], env: ["KETLOG_NEW_PASSWORD": "cron-pass"])
        try ketlog.refuse(["rekey"], status: 77, field: "rekey needs an admin; you are a clinician", env: bob)
        try ketlog.refuse(["rekey"], status: 77, field: "rekey needs an admin; you are a reporter",
                          env: ["KETLOG_USER": "cron", "KETLOG_PASSWORD": "cron-pass"])
        try ketlog.refuse(["user", "remove", "locum", "--rekey"], status: 77, field: "user remove needs an admin", env: bob)
    }

    func testAStoreThatDoesNotVerifyIsNotRekeyed() throws {
        // A score version's blob swapped for another's: it opens as neither.
        let trigger = try ketlog.sqlite("SELECT sql FROM sqlite_master WHERE name = 'score_version_no_update'")
        try ketlog.sqlite("DROP TRIGGER score_version_no_update; "
                          + "UPDATE score_version SET sealed = (SELECT sealed FROM score_version WHERE version = 2) WHERE version = 1; "
                          + trigger.trimmingCharacters(in: .whitespacesAndNewlines) + ";")
        try ketlog.refuse(["rekey"], status: 65, field: "the store does not verify")
        try ketlog.refuse(["user", "remove", "locum", "--rekey"], status: 65, field: "refusing to rekey it")
        XCTAssertTrue(try ketlog.ok(["user", "list"]).contains("locum"), "the removal went with the refused rekey")
    }
}

/// A format-1 store (`Fixtures/format1`): its clinician is pending until their first unlock
/// after the upgrade, and a rekey must not leave them on the old key.
final class RekeyFormat1EndToEndTests: XCTestCase {
    private static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/format1/store.db")

    func testAPendingFormat1UserIsRefusedUntilTheyUnlock() throws {
        let ketlog = try KetlogProcess()
        let store = ketlog.path("store.db")
        try FileManager.default.copyItem(atPath: Self.fixture.path, toPath: store)
        let admin = ["KETLOG_STORE": store, "KETLOG_PASSWORD": "format-one-fixture", "KETLOG_USER": "admin"]
        let nurse = ["KETLOG_STORE": store, "KETLOG_PASSWORD": "nurse-pass", "KETLOG_USER": "nurse"]
        let list = try ketlog.run(["score", "list", "--format", "json"], environment: admin)
        let refused = try ketlog.run(["rekey"], environment: admin)
        XCTAssertEqual(refused.status, 65, refused.stderr)
        XCTAssertEqual(refused.stderr, "ketlog: error: nurse has not unlocked since the store's upgrade to key pairs: "
                       + "they unlock once, or an admin resets their passphrase\n")
        XCTAssertEqual(refused.stdout, "")
        // Once the nurse has unlocked (registering key pairs), the rekey goes through for both.
        XCTAssertEqual(try ketlog.run(["audit", "verify"], environment: nurse).status, 0)
        let rekeyed = try ketlog.run(["rekey"], environment: admin)
        XCTAssertEqual(rekeyed.status, 0, rekeyed.stderr)
        XCTAssertTrue(rekeyed.stdout.hasPrefix("rekeyed: "), rekeyed.stdout)
        XCTAssertTrue(rekeyed.stdout.hasSuffix("; users: admin, nurse\n"), rekeyed.stdout)
        XCTAssertEqual(try ketlog.run(["score", "list", "--format", "json"], environment: nurse).stdout, list.stdout)
        for user in [admin, nurse] {
            let verify = try ketlog.run(["audit", "verify"], environment: user)
            XCTAssertTrue(verify.stdout.hasPrefix("ok: 21 entries"), verify.stdout + verify.stderr)
        }
    }
}
