import Foundation
import XCTest

/// kill -9 at random moments during imports and single entries: afterwards the store opens,
/// SQLite's integrity check passes, `audit verify` passes, and each import is all there or not
/// at all. `KETLOG_RELIABILITY_TRIALS` scales the trials (Scripts/soak runs ≥ 50 of each).
final class ReliabilityCrashTests: XCTestCase {
    private var harness: BackupHarness!
    /// The patients `makeStore("crash.db", patients: 4)` creates.
    private let codes = (1...4).map { "P-cra-\($0)" }

    override func setUpWithError() throws { harness = try BackupHarness() }
    override func tearDown() { harness?.remove() }

    static func trials(default value: Int) -> Int {
        ProcessInfo.processInfo.environment["KETLOG_RELIABILITY_TRIALS"].flatMap(Int.init) ?? value
    }

    /// The store after a crash: integrity, audit chain, and counts that are `before` or `after`.
    private func assertSound(_ store: String, before: BackupCounts, after: BackupCounts, _ trial: String,
                             file: StaticString = #filePath, line: UInt = #line) throws -> Bool {
        let integrity = try harness.succeed("sqlite3", [store, "PRAGMA integrity_check;"], file: file, line: line)
        XCTAssertEqual(integrity.stdout, "ok\n", "\(trial): integrity_check", file: file, line: line)
        let verify = try harness.ketlog(["audit", "verify", "--store", store], environment: BackupHarness.unlocked)
        XCTAssertEqual(verify.status, 0, "\(trial): audit verify: \(verify.stderr)", file: file, line: line)
        XCTAssertTrue(verify.stdout.hasPrefix("ok: "), "\(trial): \(verify.stdout)", file: file, line: line)
        let counts = try harness.status(store, file: file, line: line)
        XCTAssertTrue(counts == before || counts == after, "\(trial): \(counts) is neither \(before) nor \(after)",
                      file: file, line: line)
        return counts == after
    }

    /// Starts `arguments`, kills it with SIGKILL after `delay` seconds unless it has finished, and
    /// returns whether the kill landed while it ran, and the size of the store's -wal just before.
    private func killed(_ arguments: [String], store: String, after delay: TimeInterval) throws -> (killed: Bool, wal: Int) {
        let (process, finish) = try harness.start(harness.ketlogBinary, arguments, environment: BackupHarness.unlocked)
        usleep(UInt32(delay * 1_000_000))
        let running = process.isRunning
        let wal = ((try? FileManager.default.attributesOfItem(atPath: store + "-wal"))?[.size] as? NSNumber)?.intValue ?? 0
        if running { kill(process.processIdentifier, SIGKILL) }
        let result = try finish()
        if !running { XCTAssertEqual(result.status, 0, "finished before the kill: \(result.stderr)") }
        return (running && result.status != 0, wal)
    }

    func testKillDuringImportsLeavesEachImportWhollyPresentOrAbsent() throws {
        let store = try harness.makeStore("crash.db", patients: codes.count, scoresPerPatient: 0)
        // Large enough that SQLite spills pages to the -wal before the commit (its cache is 2 MiB),
        // so some kills land with uncommitted frames on disk, not only in memory.
        let rows = 12_000
        let csv = harness.path("scores.csv")
        try (["patient,date,craving,use_days,window_days,substance"] + harness.scoreRows(codes: codes, perPatient: rows / codes.count))
            .joined(separator: "\n").appending("\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let arguments = ["import", csv, "--kind", "scores", "--store", store]

        // One undisturbed import tells how long the window to aim at is.
        let started = Date()
        try harness.succeed("ketlog", arguments, environment: BackupHarness.unlocked)
        let duration = Date().timeIntervalSince(started)

        let trials = Self.trials(default: 4)
        var kills = 0, landed = 0, walWritten = 0
        for trial in 1...trials {
            let before = try harness.status(store)
            var after = before
            after.scores += rows
            after.auditEntries += 1
            // The first third is unlocking and parsing; aim most kills at the writing and the commit.
            let delay = Double.random(in: (duration * 0.3)...(duration * 1.1))
            let (wasKilled, wal) = try killed(arguments, store: store, after: delay)
            if wasKilled { kills += 1 }
            let committed = try assertSound(store, before: before, after: after, "import trial \(trial), kill at \(Int(delay * 1000)) ms")
            if wasKilled && committed { landed += 1 }
            if wasKilled && wal > 0 { walWritten += 1 }
        }
        print("crash: \(trials) import trials (\(rows) rows, \(Int(duration * 1000)) ms each), \(kills) killed mid-run, "
              + "\(walWritten) of them with -wal frames on disk, \(landed) after the commit; all sound")
        XCTAssertGreaterThan(kills, 0, "no kill landed while an import ran")
    }

    func testKillDuringSingleEntriesLosesNothingThatWasCommitted() throws {
        let store = try harness.makeStore("single.db", patients: 1, scoresPerPatient: 0)
        let code = "P-sin-1"
        let add = ["score", "add", "--patient", code, "--date", "2025-03-01", "--craving", "4", "--use-days", "6", "--store", store]
        let started = Date()
        try harness.succeed("ketlog", add, environment: BackupHarness.unlocked)
        let duration = Date().timeIntervalSince(started)

        let trials = Self.trials(default: 4)
        var kills = 0
        for trial in 1...trials {
            let before = try harness.status(store)
            var after = before
            after.scores += 1
            after.auditEntries += 1
            let delay = Double.random(in: 0.0...(duration * 1.1))
            if try killed(add, store: store, after: delay).killed { kills += 1 }
            _ = try assertSound(store, before: before, after: after, "score add trial \(trial), kill at \(Int(delay * 1000)) ms")
        }
        print("crash: \(trials) score add trials (\(Int(duration * 1000)) ms each), \(kills) killed mid-run; all sound")
        XCTAssertGreaterThan(kills, 0, "no kill landed while score add ran")
    }
}
