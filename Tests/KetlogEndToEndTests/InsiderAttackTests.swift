import Foundation
import GRDB
import KetlogCrypto
import KetlogModel
@testable import KetlogStore
import XCTest

/// The insider: a clinician who holds their own passphrase — so the data key, the MAC key and
/// their own signing key — and can write the file. The forger below is written with ketlog's
/// own code (its store, crypto and audit trail, reached with `@testable`); the built binary then
/// has to see through each forgery. Every user holds the MAC key, so only signatures, and who
/// the chain says may sign what, stand between the insider and history.
final class InsiderAttackTests: XCTestCase {
    private var ketlog: RecordsHarness!

    override func setUpWithError() throws {
        ketlog = try RecordsHarness()
        try ketlog.ok(["patient", "add", "P-0001", "--substance", "cocaine"])
        try ketlog.ok(["score", "add", "--patient", "P-0001", "--date", "2026-11-20", "--craving", "6", "--use-days", "18"])
        try ketlog.ok(["user", "add", "bob", "--role", "clinician"], env: ["KETLOG_NEW_PASSWORD": "bob-pass"])
        try ketlog.ok(["score", "add", "--patient", "P-0001", "--date", "2026-11-21", "--craving", "5", "--use-days", "17"],
                      env: ["KETLOG_USER": "bob", "KETLOG_PASSWORD": "bob-pass"])
    }

    /// Bob, unlocked with his own passphrase, as the forger holds him.
    private func bob() throws -> UnlockedStore {
        try Store.open(path: ketlog.storePath).unlock(user: "bob", passphrase: SecureBytes(Array("bob-pass".utf8)))
    }

    /// A store handle that writes as `user` with `role`, but can only sign with bob's key (or none).
    private func forger(as user: String, role: Role, signed: Bool = true) throws -> UnlockedStore {
        let bob = try bob()
        return UnlockedStore(store: bob.store, dataKey: bob.dataKey, keys: bob.keys, user: user, role: role,
                             userKeys: signed ? bob.userKeys : nil)
    }

    private func assertEveryoneRefuses(_ field: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try ketlog.refuse(["audit", "verify"], status: 65, field: field, file: file, line: line)
        try ketlog.refuse(["score", "list"], status: 65, field: field, file: file, line: line)
        try ketlog.refuse(["score", "list"], status: 65, field: field, env: ["KETLOG_USER": "bob", "KETLOG_PASSWORD": "bob-pass"],
                          file: file, line: line)
    }

    func testAnAmendmentForgedAsTheAdminDoesNotVerify() throws {
        try forger(as: "admin", role: .admin).amend(Score.self, id: 1, reason: "corrected") { $0.craving = 0 }
        // The newest entry is checked at every unlock; verify checks every entry.
        try ketlog.refuse(["audit", "verify"], status: 65, field: "signature does not verify")
        try ketlog.refuse(["report", "patient", "P-0001"], status: 65, field: "signature does not verify")
    }

    func testAnUnsignedEntryAsTheAdminDoesNotVerify() throws {
        try forger(as: "admin", role: .admin, signed: false).amend(Score.self, id: 1, reason: "corrected") { $0.craving = 0 }
        try ketlog.refuse(["audit", "verify"], status: 65, field: "not signed")
    }

    func testAClinicianCannotMakeThemselvesAdminByTheirOwnEntry() throws {
        try forger(as: "bob", role: .admin).setRole(of: "bob", to: .admin)
        try assertEveryoneRefuses("bob is not an admin")
    }

    func testAClinicianCannotAddAnAdminByTheirOwnEntry() throws {
        try forger(as: "bob", role: .admin).addUser("mallory", role: .admin, passphrase: SecureBytes(Array("m".utf8)))
        try assertEveryoneRefuses("bob is not an admin")
        try ketlog.refuse(["score", "list"], status: 65, field: "does not count",
                          env: ["KETLOG_USER": "mallory", "KETLOG_PASSWORD": "m"])
    }

    func testAClinicianCannotAddAnAdminSigningAsTheAdmin() throws {
        try forger(as: "admin", role: .admin).addUser("mallory", role: .admin, passphrase: SecureBytes(Array("m".utf8)))
        try assertEveryoneRefuses("signature does not verify")
    }

    func testAClinicianRewrappingTheirOwnSlotAsAdminIsCaught() throws {
        // Bob re-creates his slot with role admin from his own keys and the data key he holds.
        let bob = try bob()
        let slot = try KeySlot.make(userName: "bob", role: .admin, keys: try XCTUnwrap(bob.userKeys),
                                    passphrase: SecureBytes(Array("bob-pass".utf8)), workFactor: 10, dataKey: bob.dataKey)
        try bob.database.write { db in
            try db.execute(sql: "UPDATE key_slot SET role = ?, kdf_salt = ?, sealed_private = ?, key_wrap = ? WHERE user_name = 'bob'",
                           arguments: [slot.role, slot.kdfSalt, slot.sealedPrivate, slot.keyWrap])
        }
        try assertEveryoneRefuses("key slot of bob")
    }

    func testRewritingHistoryAndRebuildingTheMACChainStillFailsOnSignatures() throws {
        // Bob rewrites entry 3 (the admin's first score) as his own and re-MACs the whole chain
        // with the key every user holds; he cannot re-sign the admin's entries after it.
        let bob = try bob()
        try bob.database.write { db in
            try db.execute(sql: "DROP TRIGGER audit_entry_no_update")
            let rows = try Row.fetchAll(db, sql: "SELECT seq, sealed, signature FROM audit_entry ORDER BY seq")
            var previousMAC = AuditTrail.genesis
            for row in rows {
                let stored = try bob.audit.open(Row(["seq": row["seq"], "mac": Data(count: 32), "sealed": row["sealed"],
                                                     "signature": row["signature"]]))
                var entry = stored.entry
                if entry.seq == 3 { entry.user = "bob" }
                let bytes = entry.encoded()
                let mac = try bob.keys.auditMAC(previous: previousMAC, entry: bytes)
                let sealed = try bob.keys.seal(bytes, table: "audit_entry", id: entry.seq, version: 1, patientID: 0)
                try db.execute(sql: "UPDATE audit_entry SET mac = ?, sealed = ? WHERE seq = ?", arguments: [Data(mac), sealed, entry.seq])
                previousMAC = mac
            }
            try db.execute(sql: """
                CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
                BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END
                """)
        }
        // The rollback witness names entries by their signatures, which bob could not redo, so it
        // does not stand in the way; the signatures catch it, here and on any machine: entry 4
        // (the admin adding bob) signed the hash of entry 3 as it was.
        try ketlog.refuse(["audit", "verify"], status: 65, field: "entry 4 does not count: its signature does not verify")
        try ketlog.forgetRollbackWitness()
        try ketlog.refuse(["audit", "verify"], status: 65, field: "entry 4 does not count: its signature does not verify")
    }
}
