import Foundation
import XCTest

/// A backup taken while another process writes is a consistent snapshot: the import is one
/// transaction, so every backup holds the store from before it or after it, never half.
final class BackupConsistencyTests: XCTestCase {
    private var harness: BackupHarness!
    /// The age identity of the latest attempt's backups.
    private var key: (identity: String, recipient: String)!

    override func setUpWithError() throws {
        harness = try BackupHarness()
    }

    override func tearDown() {
        harness?.remove()
    }

    func testBackupsDuringAnImportHoldTheStoreBeforeOrAfterIt() throws {
        // The import must outlast at least one whole export; a faster importer (or machine) gets a
        // larger import on the next attempt rather than a test that proves nothing.
        var attempt: (backups: [(path: String, walAtStart: Int)], before: BackupCounts, after: BackupCounts)?
        for (index, perPatient) in [4000, 16000, 48000].enumerated() {
            let result = try backupsDuringAnImport(store: "clinic-\(index).db", perPatient: perPatient)
            if result.duringImport > 0 {
                attempt = (result.backups, result.before, result.after)
                print("backups during an import of \(4 * perPatient) scores: \(result.duringImport) entirely inside it")
                break
            }
        }
        let (backups, before, after) = try XCTUnwrap(attempt, "no export started and ended while the import ran, even at 192,000 rows")

        var seen: [String: Int] = [:]
        // WAL frames present when an export started that still saw the store as before were
        // the import's uncommitted writes: evidence that export and transaction overlapped.
        var largestWALBehindABackup = 0
        for (backup, walAtStart) in backups {
            // A store passphrase makes verify deep: the audit chain and every record.
            let verify = try harness.succeed("ketlog", ["backup", "verify", backup, "--identity", key.identity],
                                             environment: BackupHarness.unlocked)
            let counts = try XCTUnwrap(Self.counts(verify.stdout), verify.stdout)
            XCTAssertTrue(counts == before || counts == after, "\(backup) holds \(counts): neither \(before) nor \(after)")
            XCTAssertTrue(verify.stdout.contains("versions open; audit ok: \(counts.auditEntries) entries"), verify.stdout)
            seen[counts == before ? "before" : "after", default: 0] += 1
            if counts == before { largestWALBehindABackup = max(largestWALBehindABackup, walAtStart) }
        }
        XCTAssertGreaterThan(seen["after"] ?? 0, 0, "the export after the import must hold it")
        print("backups: \(backups.count); snapshots \(seen); "
              + "largest WAL when a 'before' export started: \(largestWALBehindABackup) bytes")
    }

    /// Imports `4 × perPatient` scores in one process while another exports backups in a loop;
    /// the backups, how many ran entirely inside the import, and the counts before and after.
    private func backupsDuringAnImport(store name: String, perPatient: Int) throws
        -> (backups: [(path: String, walAtStart: Int)], duringImport: Int, before: BackupCounts, after: BackupCounts) {
        let store = try harness.makeStore(name, patients: 4, scoresPerPatient: 0)
        let key = try harness.keygen("key-\(name).txt")
        self.key = key
        let codes = (1...4).map { "P-cli-\($0)" }
        let csv = harness.path("scores-\(name).csv")
        try (["patient,date,craving,use_days,window_days,substance"] + harness.scoreRows(codes: codes, perPatient: perPatient))
            .joined(separator: "\n").appending("\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let before = try harness.status(store)

        let (importer, finishImport) = try harness.start(harness.ketlogBinary, ["import", csv, "--kind", "scores", "--store", store],
                                                         environment: BackupHarness.unlocked)
        var backups: [(path: String, walAtStart: Int)] = []
        var duringImport = 0
        func export() throws {
            let backup = harness.path("backup-\(name)-\(backups.count).age")
            let wal = (try? FileManager.default.attributesOfItem(atPath: store + "-wal"))?[.size] as? NSNumber
            let result = try harness.ketlog(["backup", "export", "--store", store, "--output", backup, "--recipient", key.recipient])
            XCTAssertEqual(result.status, 0, "export while another process imports: \(result.stderr)")
            backups.append((backup, wal?.intValue ?? 0))
        }
        while backups.count < 40 && importer.isRunning {
            let running = importer.isRunning
            try export()
            if running && importer.isRunning { duringImport += 1 }
        }
        let imported = try finishImport()
        try export()
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let after = try harness.status(store)
        XCTAssertEqual(after.scores, before.scores + 4 * perPatient)
        return (backups, duringImport, before, after)
    }

    /// Counts from the first line of `backup verify`:
    /// `ok: format 1, 1 users, 4 patients, 4 sessions, 0 scores, 4 audit entries, 123 bytes`.
    static func counts(_ stdout: String) -> BackupCounts? {
        guard let first = stdout.split(separator: "\n").first, first.hasPrefix("ok: ") else { return nil }
        var numbers: [String: Int] = [:]
        for part in first.dropFirst(4).split(separator: ",") {
            let words = part.split(separator: " ")
            if words.count >= 2, let value = Int(words[0]) { numbers[words[1...].joined(separator: " ")] = value }
        }
        guard let patients = numbers["patients"], let sessions = numbers["sessions"], let scores = numbers["scores"],
              let audit = numbers["audit entries"] else { return nil }
        return BackupCounts(patients: patients, sessions: sessions, scores: scores, auditEntries: audit)
    }
}
