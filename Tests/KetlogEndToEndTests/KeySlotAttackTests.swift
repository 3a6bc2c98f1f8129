import Foundation
import XCTest

/// The key-slot table is a cache of what the signed audit chain says (store format 2). An
/// attacker who can write the file but has no passphrase — here `sqlite3` on it — cannot bring a
/// removed user back, undo a passphrase change, or promote a user: every unlock and
/// `audit verify` compare each slot with the chain.
final class KeySlotAttackTests: XCTestCase {
    private var ketlog: RecordsHarness!

    override func setUpWithError() throws {
        ketlog = try RecordsHarness()
        try ketlog.ok(["patient", "add", "P-0001", "--substance", "cocaine"])
        try ketlog.ok(["user", "add", "locum", "--role", "clinician"], env: ["KETLOG_NEW_PASSWORD": "locum-pass"])
    }

    /// Every column of a slot as SQL literals, to put it back later as an attacker would.
    private func slotRow(_ name: String) throws -> String {
        try ketlog.sqlite("""
            SELECT quote(id)||','||quote(user_name)||','||quote(role)||','||quote(kdf_salt)||','||quote(kdf_work_factor)||','||
                   quote(wrap_nonce)||','||quote(wrapped_key)||','||quote(x25519_public)||','||quote(ed25519_public)||','||
                   quote(sealed_private)||','||quote(key_wrap) FROM key_slot WHERE user_name = '\(name)'
            """)
    }

    private func putBack(_ row: String) throws {
        try ketlog.sqlite("INSERT OR REPLACE INTO key_slot (id, user_name, role, kdf_salt, kdf_work_factor, wrap_nonce, "
                          + "wrapped_key, x25519_public, ed25519_public, sealed_private, key_wrap) VALUES (\(row))")
    }

    func testARemovedSlotPutBackOpensNothing() throws {
        let saved = try slotRow("locum")
        try ketlog.ok(["user", "remove", "locum"])
        try putBack(saved)
        // The removed user's own passphrase opens their old slot, but the chain says they are gone.
        try ketlog.refuse(["patient", "list"], status: 65, field: "key slot of locum",
                          env: ["KETLOG_USER": "locum", "KETLOG_PASSWORD": "locum-pass"])
        // Nor does anyone else's command run over a store with a slot the chain does not list.
        try ketlog.refuse(["patient", "list"], status: 65, field: "key slot of locum")
        try ketlog.refuse(["audit", "verify"], status: 65, field: "locum")
    }

    func testAnOldWrapRestoredAfterAPassphraseChangeOpensNothing() throws {
        let saved = try slotRow("locum")
        try ketlog.ok(["user", "passwd", "locum"], env: ["KETLOG_NEW_PASSWORD": "locum-new"])
        try putBack(saved)
        try ketlog.refuse(["patient", "list"], status: 65, field: "key slot of locum",
                          env: ["KETLOG_USER": "locum", "KETLOG_PASSWORD": "locum-pass"])
        try ketlog.refuse(["patient", "list"], status: 77, field: "wrong passphrase",
                          env: ["KETLOG_USER": "locum", "KETLOG_PASSWORD": "locum-new"])
        try ketlog.refuse(["audit", "verify"], status: 65, field: "locum")
    }

    func testARoleEditedInTheFilePromotesNoOne() throws {
        try ketlog.sqlite("UPDATE key_slot SET role = 'admin' WHERE user_name = 'locum'")
        try ketlog.refuse(["user", "add", "mallory", "--role", "admin"], status: 65, field: "key slot of locum",
                          env: ["KETLOG_USER": "locum", "KETLOG_PASSWORD": "locum-pass", "KETLOG_NEW_PASSWORD": "m"])
        try ketlog.refuse(["audit", "verify"], status: 65, field: "locum")
    }

    func testAReporterReadsButMayNotWrite() throws {
        try ketlog.ok(["user", "add", "cron", "--role", "reporter"], env: ["KETLOG_NEW_PASSWORD": "cron-pass"])
        let reporter = ["KETLOG_USER": "cron", "KETLOG_PASSWORD": "cron-pass"]
        try ketlog.refuse(["patient", "add", "P-0002", "--substance", "alcohol"], status: 77, field: "a reporter only reads",
                          env: reporter)
        try ketlog.refuse(["score", "add", "--patient", "P-0001", "--date", "2026-11-20", "--craving", "3", "--use-days", "2"],
                          status: 77, field: "a reporter only reads", env: reporter)
        try ketlog.refuse(["user", "add", "x", "--role", "clinician"], status: 77, field: "needs an admin",
                          env: reporter.merging(["KETLOG_NEW_PASSWORD": "x"]) { $1 })
        XCTAssertTrue(try ketlog.ok(["report", "weekly", "--format", "json"], env: reporter).contains("\"verified\" : true")
                      || (try ketlog.ok(["report", "weekly", "--format", "json"], env: reporter)).contains("\"verified\": true"))
        XCTAssertTrue(try ketlog.ok(["audit", "verify"], env: reporter).hasPrefix("ok: "))
    }

    func testRolesChangeOnlyByAnAdminAndTheLastAdminStays() throws {
        XCTAssertEqual(try ketlog.ok(["user", "role", "locum", "reporter"]), "locum is now reporter\n")
        try ketlog.refuse(["score", "add", "--patient", "P-0001", "--date", "2026-11-20", "--craving", "3", "--use-days", "2"],
                          status: 77, field: "reporter", env: ["KETLOG_USER": "locum", "KETLOG_PASSWORD": "locum-pass"])
        try ketlog.refuse(["user", "role", "locum", "admin"], status: 77, field: "needs an admin",
                          env: ["KETLOG_USER": "locum", "KETLOG_PASSWORD": "locum-pass"])
        try ketlog.refuse(["user", "role", "admin", "clinician"], status: 65, field: "last admin")
        XCTAssertTrue(try ketlog.ok(["audit", "verify"]).hasPrefix("ok: "))
    }
}
