import Foundation
import XCTest

/// Restores that succeed, the audit events backups leave, and the files export writes.
final class BackupRestoreTests: XCTestCase {
    private var harness: BackupHarness!
    private var key: (identity: String, recipient: String)!

    override func setUpWithError() throws {
        harness = try BackupHarness()
        key = try harness.keygen()
    }

    override func tearDown() {
        harness?.remove()
    }

    private func export(_ store: String, to output: String, environment: [String: String] = [:], _ extra: [String] = []) throws -> BackupRun {
        try harness.ketlog(["backup", "export", "--store", store, "--output", output, "--recipient", key.recipient] + extra,
                           environment: environment)
    }

    private func auditActions(_ store: String, line: UInt = #line) throws -> [String] {
        let log = try harness.succeed("ketlog", ["audit", "log", "--store", store, "--format", "csv"],
                                      environment: BackupHarness.unlocked, line: line)
        return log.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[3] }
            .map(String.init)
    }

    func testForceReplacesAStoreWithALiveWALAndTheOldWALDoesNotLeak() throws {
        let source = try harness.makeStore("source.db", patients: 2, scoresPerPatient: 3)
        let expected = try harness.status(source)
        let backup = harness.path("source.age")
        XCTAssertEqual(try export(source, to: backup).status, 0)

        // The backup goes back over its own store (a backup of another store is never written
        // over one: RollbackTests.testRestoreOfAForgedBackupIsRefusedAndTheStoreStaysByteIdentical).
        let target = source
        // A writer that died with committed frames still in the WAL (no checkpoint on exit).
        let crash = """
        import os, sqlite3, sys
        db = sqlite3.connect(sys.argv[1], isolation_level=None)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        db.execute("PRAGMA wal_autocheckpoint=0")
        db.execute("CREATE TABLE leaked_from_old_wal(x)")
        db.execute("INSERT INTO leaked_from_old_wal VALUES (1)")
        os._exit(0)
        """
        try harness.succeed("python3", ["-c", crash, target])
        let wal = (try? FileManager.default.attributesOfItem(atPath: target + "-wal"))?[.size] as? NSNumber
        XCTAssertGreaterThan(wal?.intValue ?? 0, 0, "the target should have a live WAL")

        let result = try harness.ketlog(["backup", "restore", backup, "--to", target, "--force", "--identity", key.identity])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: target + "-wal"), "the old WAL is still beside the store")
        XCTAssertEqual(try harness.sqliteCounts(target), expected)
        let leaked = try harness.succeed("sqlite3", ["-readonly", target, "SELECT count(*) FROM sqlite_master WHERE name = 'leaked_from_old_wal'"])
        XCTAssertEqual(leaked.stdout, "0\n", "the old WAL's table reached the restored store")
        XCTAssertEqual(try harness.status(target), expected)
        let audit = try harness.succeed("ketlog", ["audit", "verify", "--store", target], environment: BackupHarness.unlocked)
        XCTAssertTrue(audit.stdout.hasPrefix("ok: \(expected.auditEntries) entries"), audit.stdout)
        XCTAssertEqual(harness.leftovers(in: harness.root.path), [])
    }

    func testExportIsAnAuditEventOnlyWhenTheStoreIsUnlocked() throws {
        let store = try harness.makeStore("clinic.db")
        let cron = harness.path("cron.age")
        let exported = try export(store, to: cron)
        XCTAssertEqual(exported.status, 0, exported.stderr)
        XCTAssertEqual(exported.stderrLines, ["ketlog: backup written to \(cron)"])
        XCTAssertFalse(try auditActions(store).contains("backup.export"))

        let manual = harness.path("manual.age")
        XCTAssertEqual(try export(store, to: manual, environment: BackupHarness.unlocked).status, 0)
        let actions = try auditActions(store)
        XCTAssertEqual(actions.filter { $0 == "backup.export" }.count, 1)
        XCTAssertEqual(actions.last, "backup.export")
        try harness.succeed("ketlog", ["audit", "verify", "--store", store], environment: BackupHarness.unlocked)
    }

    func testRestoreIsAnAuditEventInTheRestoredStoreWhenUnlocked() throws {
        let store = try harness.makeStore("clinic.db")
        let before = try harness.status(store)
        let backup = harness.path("nightly.age")
        XCTAssertEqual(try export(store, to: backup).status, 0)

        let quiet = harness.path("quiet.db")
        try harness.succeed("ketlog", ["backup", "restore", backup, "--to", quiet, "--identity", key.identity])
        XCTAssertEqual(try harness.status(quiet), before)

        let restored = harness.path("restored.db")
        let result = try harness.succeed("ketlog", ["backup", "restore", backup, "--to", restored, "--identity", key.identity],
                                         environment: BackupHarness.unlocked)
        XCTAssertTrue(result.stdout.contains("audit ok: \(before.auditEntries) entries"), result.stdout)
        var after = before
        after.auditEntries += 1
        XCTAssertEqual(try harness.status(restored), after)
        XCTAssertEqual(try auditActions(restored).last, "backup.restore")
        try harness.succeed("ketlog", ["audit", "verify", "--store", restored], environment: BackupHarness.unlocked)
        // The source store did not hear of it. (Read with sqlite3: this machine's rollback
        // witness now follows the restored copy, which went one entry further on its own.)
        XCTAssertEqual(try harness.sqliteCounts(store), before)
    }

    func testBackupFileIsPrivateAndNotOverwrittenWithoutForce() throws {
        let store = try harness.makeStore("clinic.db")
        let backup = harness.path("nightly.age")
        XCTAssertEqual(try export(store, to: backup).status, 0)
        XCTAssertEqual(try mode(backup), 0o600)

        let first = try harness.bytes(backup)
        for armor in [false, true] {
            let refused = try export(store, to: backup, armor ? ["--armor"] : [])
            harness.assertRefused(refused, status: 73, mentioning: "refusing to overwrite")
            XCTAssertTrue(try harness.bytes(backup) == first)
        }
        XCTAssertEqual(harness.leftovers(in: harness.root.path), [])

        // --force replaces it (a new file key, so new bytes), still 0600.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: backup)
        let forced = try export(store, to: backup, ["--force", "--armor"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(try mode(backup), 0o600)
        XCTAssertTrue(try harness.bytes(backup).starts(with: Array("-----BEGIN AGE ENCRYPTED FILE-----\n".utf8)))
        try harness.succeed("ketlog", ["backup", "verify", backup, "--identity", key.identity])
    }

    private func mode(_ path: String) throws -> Int {
        try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber).intValue & 0o777
    }
}
