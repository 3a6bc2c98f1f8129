import Foundation
import XCTest

/// A backup taken while another process writes is a consistent snapshot: the import is one
/// transaction, so every backup holds the store from before it or after it, never half.
final class BackupConsistencyTests: XCTestCase {
    private var harness: BackupHarness!

    override func setUpWithError() throws {
        harness = try BackupHarness()
    }

    override func tearDown() {
        harness?.remove()
    }

    func testBackupsDuringAnImportHoldTheStoreBeforeOrAfterIt() throws {
        let store = try harness.makeStore("clinic.db", patients: 4, scoresPerPatient: 0)
        let key = try harness.keygen()
        let codes = (1...4).map { "P-cli-\($0)" }
        let csv = harness.path("scores.csv")
        try (["patient,date,craving,use_days,window_days,substance"] + harness.scoreRows(codes: codes, perPatient: 4000))
            .joined(separator: "\n").appending("\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let before = try harness.status(store)

        let (importer, finishImport) = try harness.start(harness.ketlogBinary, ["import", csv, "--kind", "scores", "--store", store],
                                                         environment: BackupHarness.unlocked)
        var backups: [(path: String, walAtStart: Int)] = []
        var duringImport = 0
        func export() throws {
            let backup = harness.path("backup-\(backups.count).age")
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
        XCTAssertEqual(after.scores, before.scores + 16_000)
        XCTAssertGreaterThan(duringImport, 0, "no export started and ended while the import ran; make the import larger")

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
        print("backups: \(backups.count), \(duringImport) entirely while the import ran; snapshots \(seen); "
              + "largest WAL when a 'before' export started: \(largestWALBehindABackup) bytes")
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
