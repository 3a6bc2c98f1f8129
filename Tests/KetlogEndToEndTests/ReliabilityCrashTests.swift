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

    /// `rekey` rewrites every blob, MAC, index and wrap of ~20k records in one transaction: killed
    /// at ten moments spread over its run, the store is either wholly under the old key or wholly
    /// under the new. Each time: it opens, SQLite's integrity check and `audit verify` (which
    /// opens every version and entry under the key in force) pass for the admin and the
    /// clinician, the records are all there, and the last entry is a new `store.rekey` exactly
    /// when the key check changed.
    func testKillDuringRekeyLeavesTheOldKeyOrTheNewNeverAMix() throws {
        let store = try harness.makeStore("rekey.db", patients: 20, scoresPerPatient: 1_000)
        try harness.succeed("ketlog", ["user", "add", "nurse", "--role", "clinician", "--store", store],
                            environment: BackupHarness.unlocked.merging(["KETLOG_NEW_PASSWORD": "nurse-pass"]) { $1 })
        let nurse = ["KETLOG_USER": "nurse", "KETLOG_PASSWORD": "nurse-pass"]
        let arguments = ["rekey", "--store", store]
        func keyCheck() throws -> String {
            try harness.succeed("sqlite3", ["-readonly", store, "SELECT hex(key_check) FROM store_meta;"]).stdout
        }
        func lastEntry() throws -> (seq: Int, action: String) {
            let log = try harness.succeed("ketlog", ["audit", "log", "--format", "csv", "--store", store],
                                          environment: BackupHarness.unlocked).stdout
            let fields = try XCTUnwrap(log.split(separator: "\n").last).split(separator: ",").map(String.init)
            return (try XCTUnwrap(Int(fields[0])), fields[3])
        }

        let started = Date()
        try harness.succeed("ketlog", arguments, environment: BackupHarness.unlocked)
        let duration = Date().timeIntervalSince(started)
        let trials = max(Self.trials(default: 10), 2)
        var kills = 0, rekeyed = 0, walWritten = 0
        for trial in 0..<trials {
            let before = try harness.status(store)
            let checkBefore = try keyCheck()
            // Spread from just after the start to just past the end of an undisturbed run.
            let delay = duration * (0.05 + Double(trial) * 1.0 / Double(trials))
            let (wasKilled, wal) = try killed(arguments, store: store, after: delay)
            let label = "rekey trial \(trial + 1), kill at \(Int(delay * 1000)) ms"
            if wasKilled { kills += 1 }
            if wasKilled && wal > 0 { walWritten += 1 }
            var after = before
            after.auditEntries += 1
            let committed = try assertSound(store, before: before, after: after, label)
            let nurseVerify = try harness.ketlog(["audit", "verify", "--store", store], environment: nurse)
            XCTAssertTrue(nurseVerify.stdout.hasPrefix("ok: "), "\(label): nurse: \(nurseVerify.stdout)\(nurseVerify.stderr)")
            let newKey = try keyCheck() != checkBefore
            let last = try lastEntry()
            XCTAssertEqual(newKey, committed, "\(label): the key changed iff the rekey's entry is there")
            XCTAssertEqual(newKey, last.seq == before.auditEntries + 1 && last.action == "store.rekey",
                           "\(label): the last entry is a new store.rekey iff the new key is in force (\(last))")
            if newKey { rekeyed += 1 }
        }
        print("crash: \(trials) rekey trials (20,040 record versions, \(Int(duration * 1000)) ms each), \(kills) killed mid-run, "
              + "\(walWritten) of them with -wal frames on disk, \(rekeyed) left the new key in force; all sound")
        XCTAssertGreaterThan(kills, 0, "no kill landed while a rekey ran")
    }
}
