import Foundation
import XCTest

/// No silent rollback (issue 12): the rollback witness, signed checkpoints, and restores that
/// cannot undo or replace a store — through the built binary and copies of the store's files.
///
/// Each test has its own `BackupHarness` root, which is also `HOME` (so the witness lives in
/// `<root>/.local/state/ketlog/witness` and goes with the root); a "fresh machine" is another
/// `HOME` inside that root. `XDG_STATE_HOME` is never inherited (the harness builds the
/// environment from scratch).
final class RollbackTests: XCTestCase {
    private var harness: BackupHarness!

    override func setUpWithError() throws {
        harness = try BackupHarness()
    }

    override func tearDown() {
        harness?.remove()
    }

    // MARK: Helpers

    /// The store file and its -wal (which holds the newest commits while no checkpoint ran), as
    /// someone copying "the store" would take them.
    private func copyFiles(of store: String, to copy: String) throws {
        for suffix in ["", "-wal"] {
            try? FileManager.default.removeItem(atPath: copy + suffix)
            if FileManager.default.fileExists(atPath: store + suffix) {
                try FileManager.default.copyItem(atPath: store + suffix, toPath: copy + suffix)
            }
        }
    }

    /// Puts an earlier copy back in place of the store (the -shm is SQLite's scratch index of
    /// the WAL and is rebuilt).
    private func putBack(_ copy: String, over store: String) throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store + suffix) }
        try copyFiles(of: copy, to: store)
    }

    private func statusJSON(_ store: String, environment: [String: String] = [:], line: UInt = #line) throws -> [String: Any] {
        let result = try harness.succeed("ketlog", ["status", "--store", store, "--format", "json"], environment: environment, line: line)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    private func head(_ store: String, line: UInt = #line) throws -> (entries: Int, head: String) {
        let json = try statusJSON(store, line: line)
        return (try XCTUnwrap(json["audit_entries"] as? Int), try XCTUnwrap(json["audit_head"] as? String))
    }

    private func addPatient(_ store: String, _ code: String, line: UInt = #line) throws {
        try harness.succeed("ketlog", ["patient", "add", code, "--substance", "alcohol", "--store", store],
                            environment: BackupHarness.unlocked, line: line)
    }

    private func auditActions(_ store: String, line: UInt = #line) throws -> [String] {
        let log = try harness.succeed("ketlog", ["audit", "log", "--store", store, "--format", "json"],
                                      environment: BackupHarness.unlocked, line: line)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        return rows.compactMap { $0["action"] as? String }
    }

    private func files(_ store: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: store + suffix) {
            files[suffix] = try Data(contentsOf: URL(fileURLWithPath: store + suffix))
        }
        return files
    }

    /// A HOME that has never seen any store: a fresh machine or user.
    private var freshHome: [String: String] {
        let home = harness.path("fresh-home-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        return ["HOME": home]
    }

    private func rolledBackMessage(saw entry: Int, head: String, endsAt: Int) -> String {
        "the store was rolled back or truncated: this machine saw entry \(entry) (head \(head)) but the store ends at \(endsAt)"
    }

    // MARK: The witness

    func testTheWitnessIsAPrivateFileNamingTheNewestEntryAndMovesForwardWithEveryCommand() throws {
        let store = try harness.makeStore("clinic.db", patients: 1, scoresPerPatient: 0)
        let storeID = try harness.succeed("sqlite3", ["-readonly", store, "SELECT lower(hex(store_id)) FROM store_meta"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let directory = harness.path(".local/state/ketlog/witness")
        let witness = directory + "/" + storeID
        XCTAssertEqual(try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: witness)[.posixPermissions] as? NSNumber), 0o600)
        for path in [directory, harness.path(".local/state/ketlog")] {
            XCTAssertEqual(try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber), 0o700, path)
        }
        func recorded() throws -> [String] { try String(contentsOfFile: witness, encoding: .utf8).split(separator: "\n").map(String.init) }
        // An entry's name outside the store: SHA-256 of its signature when signed, else its MAC.
        let mac = { (seq: Int) in
            try self.harness.succeed("python3", ["-c", """
                import hashlib, sqlite3, sys
                mac, sig = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True).execute(
                    "SELECT mac, signature FROM audit_entry WHERE seq = ?", (int(sys.argv[2]),)).fetchone()
                print((hashlib.sha256(sig).digest() if sig is not None else mac).hex())
                """, store, String(seq)]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        XCTAssertEqual(try statusJSON(store)["store_id"] as? String, storeID)
        let before = try head(store)
        XCTAssertEqual(try recorded(), ["ketlog rollback witness 1", "store \(storeID)", "seq \(before.entries)", "mac \(try mac(before.entries))"])
        try addPatient(store, "P-NEW")
        XCTAssertEqual(try recorded()[2], "seq \(before.entries + 1)")
        XCTAssertEqual(try recorded()[3], "mac \(try mac(before.entries + 1))")
        // XDG_STATE_HOME, when set, is where it goes.
        let state = harness.path("state")
        try harness.succeed("ketlog", ["status", "--store", store], environment: ["XDG_STATE_HOME": state])
        XCTAssertTrue(FileManager.default.fileExists(atPath: state + "/ketlog/witness/" + storeID))
        // A damaged witness is refused, not silently replaced.
        try "ketlog rollback witness 1\nstore \(storeID)\nseq x\n".write(toFile: witness, atomically: true, encoding: .utf8)
        harness.assertRefused(try harness.ketlog(["status", "--store", store]), status: 65, mentioning: "rollback witness")
    }

    func testTheWholeFileRolledBackIsRefusedByACommandStatusAndVerifyThenAcceptedAndRefusedAgain() throws {
        let store = try harness.makeStore("clinic.db", patients: 2, scoresPerPatient: 1)
        let monday = harness.path("monday.db")
        try copyFiles(of: store, to: monday)
        let older = try head(store)
        try addPatient(store, "P-TUE-1")
        try addPatient(store, "P-TUE-2")
        let newer = try head(store)
        XCTAssertEqual(newer.entries, older.entries + 2)

        try putBack(monday, over: store)
        let expected = rolledBackMessage(saw: newer.entries, head: newer.head, endsAt: older.entries)
        let untouched = try files(store)
        harness.assertRefused(try harness.ketlog(["status", "--store", store]), status: 65, mentioning: expected, "status")
        harness.assertRefused(try harness.ketlog(["patient", "list", "--store", store], environment: BackupHarness.unlocked),
                              status: 65, mentioning: expected, "a command")
        harness.assertRefused(try harness.ketlog(["audit", "verify", "--store", store], environment: BackupHarness.unlocked),
                              status: 65, mentioning: expected, "audit verify")
        harness.assertRefused(try harness.ketlog(["patient", "add", "P-WED", "--substance", "alcohol", "--store", store],
                                                 environment: BackupHarness.unlocked), status: 65, mentioning: expected, "a write")
        XCTAssertEqual(try files(store), untouched, "a refused command changed the store")
        // Nothing inside the file shows it: a machine that never saw the newer store verifies it.
        XCTAssertTrue(try harness.succeed("ketlog", ["audit", "verify", "--store", store],
                                          environment: BackupHarness.unlocked.merging(freshHome) { $1 }).stdout
            .hasPrefix("ok: \(older.entries) entries, head \(older.head)"))

        // Only an admin accepts it, with a reason; that is an audit entry, and the witness moves.
        XCTAssertEqual(try harness.ketlog(["audit", "accept-rollback", "--store", store], environment: BackupHarness.unlocked).status,
                       64, "a reason is required")
        let accepted = try harness.succeed("ketlog", ["audit", "accept-rollback", "--reason", "Monday's copy restored on purpose",
                                                      "--store", store], environment: BackupHarness.unlocked)
        XCTAssertTrue(accepted.stdout.contains("this machine saw entry \(newer.entries) (head \(newer.head))"), accepted.stdout)
        XCTAssertEqual(try auditActions(store).last, "audit.accept-rollback")
        let log = try harness.succeed("ketlog", ["audit", "log", "--store", store, "--format", "csv"], environment: BackupHarness.unlocked)
        XCTAssertTrue(log.stdout.contains("reason: Monday's copy restored on purpose"), log.stdout)
        XCTAssertTrue(log.stdout.contains("this machine saw entry \(newer.entries) (head \(newer.head))"), log.stdout)
        let after = try head(store)
        XCTAssertEqual(after.entries, older.entries + 1)
        try harness.succeed("ketlog", ["audit", "verify", "--store", store], environment: BackupHarness.unlocked)
        try addPatient(store, "P-WED")
        harness.assertRefused(try harness.ketlog(["audit", "accept-rollback", "--reason", "again", "--store", store],
                                                 environment: BackupHarness.unlocked), status: 64, mentioning: "nothing to accept")

        // The next rollback (Monday's copy again) is refused again.
        let latest = try head(store)
        try putBack(monday, over: store)
        harness.assertRefused(try harness.ketlog(["status", "--store", store]), status: 65,
                              mentioning: rolledBackMessage(saw: latest.entries, head: latest.head, endsAt: older.entries))
    }

    func testAnotherStoreOfTheSameLengthPutInPlaceIsRefused() throws {
        let store = try harness.makeStore("clinic.db", patients: 1, scoresPerPatient: 0)
        let copy = harness.path("copy.db")
        try copyFiles(of: store, to: copy)
        try addPatient(store, "P-A")
        let seen = try head(store)
        // The copy grows by one entry of its own: same length, another history.
        try harness.succeed("ketlog", ["patient", "add", "P-B", "--substance", "alcohol", "--store", copy],
                            environment: BackupHarness.unlocked.merging(freshHome) { $1 })
        try putBack(copy, over: store)
        harness.assertRefused(try harness.ketlog(["status", "--store", store]), status: 65,
                              mentioning: "this machine saw entry \(seen.entries) (head \(seen.head)) but the store holds another entry \(seen.entries)")
    }

    func testTailEntriesDeletedTogetherWithTheirRecordsAndVersionsAreRefused() throws {
        let store = try harness.makeStore("clinic.db", patients: 2, scoresPerPatient: 1)
        let kept = try head(store)
        try addPatient(store, "P-CUT-1")
        try addPatient(store, "P-CUT-2")
        let seen = try head(store)
        // The file attacker's cut: triggers dropped, the last two entries and the patients they
        // created (head rows and versions) deleted, the triggers put back exactly as they were.
        let cut = """
        import sqlite3, sys
        db = sqlite3.connect(sys.argv[1], isolation_level=None)
        keep = int(sys.argv[2])
        triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        db.execute("BEGIN")
        for name, _ in triggers:
            db.execute('DROP TRIGGER "%s"' % name)
        newest = db.execute("SELECT max(id) FROM patient").fetchone()[0]
        db.execute("DELETE FROM patient_version WHERE patient_id >= ?", (newest - 1,))
        db.execute("DELETE FROM patient WHERE id >= ?", (newest - 1,))
        db.execute("DELETE FROM audit_entry WHERE seq > ?", (keep,))
        for _, sql in triggers:
            db.execute(sql)
        db.execute("COMMIT")
        """
        try harness.succeed("python3", ["-c", cut, store, String(kept.entries)])
        // Inside the file the cut does not show: audit verify on a machine that never saw more.
        let fresh = BackupHarness.unlocked.merging(freshHome) { $1 }
        XCTAssertTrue(try harness.succeed("ketlog", ["audit", "verify", "--store", store], environment: fresh).stdout
            .hasPrefix("ok: \(kept.entries) entries, head \(kept.head)"))
        // This machine saw more.
        let expected = rolledBackMessage(saw: seen.entries, head: seen.head, endsAt: kept.entries)
        harness.assertRefused(try harness.ketlog(["status", "--store", store]), status: 65, mentioning: expected)
        harness.assertRefused(try harness.ketlog(["patient", "list", "--store", store], environment: BackupHarness.unlocked),
                              status: 65, mentioning: expected)
        harness.assertRefused(try harness.ketlog(["audit", "verify", "--store", store], environment: BackupHarness.unlocked),
                              status: 65, mentioning: expected)
    }

    // MARK: Checkpoints

    func testACheckpointVerifiesWithAnIndependentEd25519ImplementationAndAnEditedOneFails() throws {
        let store = try harness.makeStore("clinic.db", patients: 2, scoresPerPatient: 1)
        let checkpoint = harness.path("monday.checkpoint")
        let written = try harness.succeed("ketlog", ["audit", "checkpoint", "--output", checkpoint, "--store", store],
                                          environment: BackupHarness.unlocked)
        XCTAssertEqual(written.stdout, "")
        XCTAssertEqual(try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: checkpoint)[.posixPermissions] as? NSNumber), 0o600)
        let users = try harness.succeed("ketlog", ["user", "list", "--format", "json", "--store", store])
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(users.stdout.utf8)) as? [[String: Any]])
        let verifier = try XCTUnwrap(list.first { $0["name"] as? String == BackupHarness.admin }?["verifier_key"] as? String)
        XCTAssertTrue(verifier.hasPrefix("\(BackupHarness.admin)+"), verifier)

        // Python's `cryptography` (OpenSSL under it, but none of ketlog's code): parse the
        // verifier key and the note by the specifications, check the key ID and the signature,
        // and compare the body with the store's plain columns.
        let check = """
        import base64, hashlib, sqlite3, sys
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
        verifier, path, store = sys.argv[1], sys.argv[2], sys.argv[3]
        name, key_id, typed = verifier.split("+", 2)
        typed = base64.b64decode(typed, validate=True)
        assert typed[0] == 1 and len(typed) == 33, "not an Ed25519 verifier key"
        assert hashlib.sha256(name.encode() + b"\\n" + typed).digest()[:4].hex() == key_id, "key ID"
        note = open(path, "rb").read()
        split = note.rindex(b"\\n\\n")
        text, signatures = note[:split + 1], note[split + 2:].decode().splitlines()
        ok = False
        for line in signatures:
            assert line.startswith("\\u2014 "), line
            signer, blob = line[2:].split(" ", 1)
            blob = base64.b64decode(blob, validate=True)
            if signer == name and blob[:4].hex() == key_id:
                Ed25519PublicKey.from_public_bytes(typed[1:]).verify(blob[4:], text)  # raises if bad
                ok = True
        assert ok, "no signature by " + name
        origin, count, root = text.decode().splitlines()
        db = sqlite3.connect("file:%s?mode=ro" % store, uri=True)
        store_id, = db.execute("SELECT store_id FROM store_meta").fetchone()
        entries, = db.execute("SELECT count(*) FROM audit_entry").fetchone()
        mac, signature = db.execute("SELECT mac, signature FROM audit_entry WHERE seq = ?", (int(count),)).fetchone()
        # An entry's name outside the store: SHA-256 of its signature when signed, else its MAC.
        identity = hashlib.sha256(signature).digest() if signature is not None else mac
        assert origin == "ketlog/" + store_id.hex(), origin
        assert int(count) == entries, count
        assert base64.b64decode(root, validate=True) == identity, "root hash"
        print("verified", name, count)
        """
        let python = try harness.succeed("python3", ["-c", check, verifier, checkpoint, store])
        let entries = try head(store).entries
        XCTAssertEqual(python.stdout, "verified \(BackupHarness.admin) \(entries)\n")

        // ketlog agrees, and says what it matched.
        let status = try head(store)
        let verified = try harness.succeed("ketlog", ["audit", "verify", "--checkpoint", checkpoint, "--store", store],
                                           environment: BackupHarness.unlocked)
        XCTAssertEqual(verified.stdout, "ok: \(entries) entries, head \(status.head)\n"
                       + "checkpoint \(checkpoint): signed by \(BackupHarness.admin), \(entries) entries, head \(status.head)\n")

        // An edited count or head: the signature no longer covers it.
        let note = try String(contentsOfFile: checkpoint, encoding: .utf8)
        var lines = note.components(separatedBy: "\n")
        let editedCount = harness.path("count.checkpoint")
        lines[1] = String(entries - 1)
        try lines.joined(separator: "\n").write(toFile: editedCount, atomically: true, encoding: .utf8)
        let editedHead = harness.path("head.checkpoint")
        lines = note.components(separatedBy: "\n")
        var root = [UInt8](try XCTUnwrap(Data(base64Encoded: lines[2])))
        root[0] ^= 1
        lines[2] = Data(root).base64EncodedString()
        try lines.joined(separator: "\n").write(toFile: editedHead, atomically: true, encoding: .utf8)
        for edited in [editedCount, editedHead] {
            XCTAssertNotEqual(try harness.run("python3", ["-c", check, verifier, edited, store]).status, 0, "python accepted \(edited)")
            harness.assertRefused(try harness.ketlog(["audit", "verify", "--checkpoint", checkpoint, "--checkpoint", edited,
                                                      "--store", store], environment: BackupHarness.unlocked),
                                  status: 65, mentioning: "checkpoint refused: its signature does not verify", edited)
        }
        // A checkpoint of another store, signed by a user of the same name there, is not this store's.
        let other = try harness.makeStore("other.db", patients: 1, scoresPerPatient: 0)
        let foreign = harness.path("other.checkpoint")
        try harness.succeed("ketlog", ["audit", "checkpoint", "--output", foreign, "--store", other], environment: BackupHarness.unlocked)
        harness.assertRefused(try harness.ketlog(["audit", "verify", "--checkpoint", foreign, "--store", store],
                                                 environment: BackupHarness.unlocked),
                              status: 65, mentioning: "checkpoint refused: no user's key in this store's chain signed it")
    }

    func testAStoreOlderThanACheckpointOrAnExpectedHeadFailsEvenWithoutAWitness() throws {
        let store = try harness.makeStore("clinic.db", patients: 2, scoresPerPatient: 1)
        let monday = harness.path("monday.db")
        try copyFiles(of: store, to: monday)
        let older = try head(store)
        try addPatient(store, "P-TUE")
        let newer = try head(store)
        let checkpoint = harness.path("tuesday.checkpoint")
        let printed = try harness.succeed("ketlog", ["audit", "checkpoint", "--store", store], environment: BackupHarness.unlocked)
        try printed.stdout.write(toFile: checkpoint, atomically: true, encoding: .utf8)
        // The head as a report footer prints it.
        let report = try harness.succeed("ketlog", ["report", "cohort", "--store", store], environment: BackupHarness.unlocked)
        let footer = try XCTUnwrap(report.stdout.split(separator: "\n").last { $0.hasPrefix("audit chain verified") })
        XCTAssertEqual(String(footer), "audit chain verified, \(newer.entries) entries, head \(newer.head)")
        let expect = "\(newer.entries):\(newer.head)"
        try harness.succeed("ketlog", ["audit", "verify", "--checkpoint", checkpoint, "--expect-head", expect, "--store", store],
                            environment: BackupHarness.unlocked)
        // An older head still holds: the chain has that entry.
        try harness.succeed("ketlog", ["audit", "verify", "--expect-head", "\(older.entries):\(older.head)", "--store", store],
                            environment: BackupHarness.unlocked)
        harness.assertRefused(try harness.ketlog(["audit", "verify", "--expect-head", "\(older.entries):\(newer.head)",
                                                  "--store", store], environment: BackupHarness.unlocked),
                              status: 65, mentioning: "checkpoint refused: entry \(older.entries) has head \(older.head)")

        // Monday's copy, on a machine that never saw Tuesday's store (a fresh HOME): plain
        // `audit verify` passes, the checkpoint and the footer's head do not.
        try putBack(monday, over: store)
        let fresh = BackupHarness.unlocked.merging(freshHome) { $1 }
        XCTAssertTrue(try harness.succeed("ketlog", ["audit", "verify", "--store", store], environment: fresh).stdout
            .hasPrefix("ok: \(older.entries) entries"))
        harness.assertRefused(try harness.ketlog(["audit", "verify", "--checkpoint", checkpoint, "--store", store], environment: fresh),
                              status: 65, mentioning: "checkpoint refused: the store ends at entry \(older.entries), before the "
                                + "checkpoint's \(newer.entries): it is older than the checkpoint")
        harness.assertRefused(try harness.ketlog(["audit", "verify", "--expect-head", expect, "--store", store], environment: fresh),
                              status: 65, mentioning: "checkpoint refused: the store ends at entry \(older.entries)")
    }

    // MARK: Restores

    func testRestoreOfAForgedBackupIsRefusedAndTheStoreStaysByteIdentical() throws {
        let key = try harness.keygen()
        let store = try harness.makeStore("clinic.db", patients: 2, scoresPerPatient: 1)
        // Another store with the same admin name and passphrase, and a backup of it made with
        // the clinic's public recipient: anyone who has that recipient can make one.
        let forged = try harness.makeStore("forged.db", patients: 5, scoresPerPatient: 3)
        let backup = harness.path("forged.age")
        try harness.succeed("ketlog", ["backup", "export", "--store", forged, "--output", backup, "--recipient", key.recipient])
        let forgedID = try harness.succeed("sqlite3", ["-readonly", forged, "SELECT lower(hex(store_id)) FROM store_meta"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let before = try files(store)
        for (environment, extra) in [([:], []), (BackupHarness.unlocked, []), (BackupHarness.unlocked, ["--allow-rollback"])] {
            let restore = try harness.ketlog(["backup", "restore", backup, "--to", store, "--force", "--identity", key.identity] + extra,
                                             environment: environment)
            harness.assertRefused(restore, status: 65, mentioning: "it is a backup of store \(forgedID), not of the store at \(store)",
                                  "\(environment.keys) \(extra)")
            XCTAssertEqual(try files(store), before, "the store changed")
        }
        XCTAssertEqual(harness.leftovers(in: harness.root.path), [])
        try harness.succeed("ketlog", ["audit", "verify", "--store", store], environment: BackupHarness.unlocked)
    }

    func testAnOlderBackupOfTheSameStoreNeedsAllowRollbackAndIsAudited() throws {
        let key = try harness.keygen()
        let store = try harness.makeStore("clinic.db", patients: 2, scoresPerPatient: 1)
        let backup = harness.path("monday.age")
        try harness.succeed("ketlog", ["backup", "export", "--store", store, "--output", backup, "--recipient", key.recipient])
        let monday = try head(store)
        try addPatient(store, "P-TUE")
        let tuesday = try head(store)
        let before = try files(store)
        for environment in [[:], BackupHarness.unlocked] {
            let restore = try harness.ketlog(["backup", "restore", backup, "--to", store, "--force", "--identity", key.identity],
                                             environment: environment)
            harness.assertRefused(restore, status: 65,
                                  mentioning: "backup: it ends at entry \(monday.entries) and does not hold entry \(tuesday.entries) "
                                    + "(head \(tuesday.head)) that the store at \(store) holds: restoring it would roll the store back")
            XCTAssertEqual(try files(store), before, "the store changed")
        }
        // `backup verify` says which store, how many entries and which head the backup holds.
        let storeID = try harness.succeed("sqlite3", ["-readonly", store, "SELECT lower(hex(store_id)) FROM store_meta"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let verify = try harness.succeed("ketlog", ["backup", "verify", backup, "--identity", key.identity])
        XCTAssertEqual(verify.stdout.split(separator: "\n").dropFirst().first.map(String.init),
                       "store \(storeID): \(monday.entries) entries, head \(monday.head)")

        let accepted = try harness.succeed("ketlog", ["backup", "restore", backup, "--to", store, "--force", "--allow-rollback",
                                                      "--identity", key.identity], environment: BackupHarness.unlocked)
        XCTAssertTrue(accepted.stdout.contains("rolled back from entry \(tuesday.entries) (head \(tuesday.head))"), accepted.stdout)
        let actions = try auditActions(store)
        XCTAssertEqual(actions.count, monday.entries + 1)
        XCTAssertEqual(actions.last, "audit.accept-rollback")
        // The witness moved with it: every command opens the restored store again.
        try harness.succeed("ketlog", ["audit", "verify", "--store", store], environment: BackupHarness.unlocked)
        XCTAssertEqual(try head(store).entries, monday.entries + 1)
    }

    func testARestoreToANewPathOlderThanWhatThisMachineSawNeedsAllowRollback() throws {
        let key = try harness.keygen()
        let store = try harness.makeStore("clinic.db", patients: 1, scoresPerPatient: 0)
        let backup = harness.path("monday.age")
        try harness.succeed("ketlog", ["backup", "export", "--store", store, "--output", backup, "--recipient", key.recipient])
        try addPatient(store, "P-TUE")
        let seen = try head(store)
        // A backup that holds everything this machine saw restores to a new path as before.
        let current = harness.path("tuesday.age")
        try harness.succeed("ketlog", ["backup", "export", "--store", store, "--output", current, "--recipient", key.recipient])
        try harness.succeed("ketlog", ["backup", "restore", current, "--to", harness.path("copy/clinic.db"), "--identity", key.identity])
        // The disk is gone; Monday's backup goes to a new path: older than what this machine saw.
        let fresh = harness.path("new/clinic.db")
        harness.assertRefused(try harness.ketlog(["backup", "restore", backup, "--to", fresh, "--identity", key.identity]),
                              status: 65, mentioning: "does not hold entry \(seen.entries) (head \(seen.head)) that this machine saw")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh))
        try harness.succeed("ketlog", ["backup", "restore", backup, "--to", fresh, "--allow-rollback", "--identity", key.identity],
                            environment: BackupHarness.unlocked)
        XCTAssertEqual(try auditActions(fresh).last, "audit.accept-rollback")
    }

    func testBackupVerifyAndRestoreCheckASignedCheckpoint() throws {
        let key = try harness.keygen()
        let store = try harness.makeStore("clinic.db", patients: 2, scoresPerPatient: 1)
        let backup = harness.path("monday.age")
        try harness.succeed("ketlog", ["backup", "export", "--store", store, "--output", backup, "--recipient", key.recipient])
        let mondayCheckpoint = harness.path("monday.checkpoint")
        try harness.succeed("ketlog", ["audit", "checkpoint", "--output", mondayCheckpoint, "--store", store], environment: BackupHarness.unlocked)
        let monday = try head(store)
        try addPatient(store, "P-TUE")
        let tuesdayCheckpoint = harness.path("tuesday.checkpoint")
        try harness.succeed("ketlog", ["audit", "checkpoint", "--output", tuesdayCheckpoint, "--store", store], environment: BackupHarness.unlocked)

        let ok = try harness.succeed("ketlog", ["backup", "verify", backup, "--identity", key.identity, "--checkpoint", mondayCheckpoint],
                                     environment: BackupHarness.unlocked)
        XCTAssertTrue(ok.stdout.contains("checkpoint: signed by \(BackupHarness.admin), \(monday.entries) entries, head \(monday.head)"), ok.stdout)
        // Monday's backup is older than Tuesday's checkpoint: refused by verify and by restore.
        let fresh = harness.path("restored/clinic.db")
        for arguments in [["backup", "verify", backup], ["backup", "restore", backup, "--to", fresh]] {
            harness.assertRefused(try harness.ketlog(arguments + ["--identity", key.identity, "--checkpoint", tuesdayCheckpoint],
                                                     environment: BackupHarness.unlocked.merging(freshHome) { $1 }),
                                  status: 65, mentioning: "it is older than the checkpoint", arguments[1])
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh))
    }
}
