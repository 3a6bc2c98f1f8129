import Foundation
import XCTest

/// Several ketlog processes writing one store at once: every write lands, the audit chain
/// verifies, and no process fails with "database is locked". `KETLOG_RELIABILITY_SCORES` sets
/// the scores per writer (Scripts/soak: 200).
final class ReliabilityConcurrencyTests: XCTestCase {
    private var harness: BackupHarness!

    override func setUpWithError() throws { harness = try BackupHarness() }
    override func tearDown() { harness?.remove() }

    func testFourWritersAddingScoresAtOnceLoseNothing() throws {
        let writers = 4
        let perWriter = ProcessInfo.processInfo.environment["KETLOG_RELIABILITY_SCORES"].flatMap(Int.init) ?? 25
        let store = try harness.makeStore("busy.db", patients: writers, scoresPerPatient: 0)
        let before = try harness.status(store)
        // Each writer is a shell loop of `score add`, as a clinic's terminals would be: every call
        // a new process that unlocks the store (work factor 10) and writes one IMMEDIATE transaction.
        // A failed call is logged with its stderr and the loop goes on, so every failure is counted.
        let loop = """
            i=1; failed=0
            while [ "$i" -le "$2" ]; do
              day=$(( (i % 28) + 1 ))
              if ! "$0" score add --store "$1" --patient "$3" --date "$(printf '2025-02-%02d' "$day")" \
                   --craving $(( i % 11 )) --use-days $(( i % 29 )) >/dev/null 2>>"$4"; then failed=$((failed + 1)); fi
              i=$((i + 1))
            done
            echo "$failed"
            """
        let started = Date()
        let runs = try (1...writers).map { writer in
            try harness.start("/bin/sh", ["-c", loop, harness.ketlogBinary, store, "\(perWriter)", "P-bus-\(writer)",
                                          harness.path("writer-\(writer).err")], environment: BackupHarness.unlocked)
        }
        let results = try runs.map { try $0.finish() }
        let elapsed = Date().timeIntervalSince(started)
        for (writer, result) in results.enumerated() {
            let errors = (try? String(contentsOfFile: harness.path("writer-\(writer + 1).err"), encoding: .utf8)) ?? ""
            XCTAssertEqual(result.stdout, "0\n", "writer \(writer + 1) failures; stderr: \(errors)")
            XCTAssertFalse(errors.lowercased().contains("locked"), errors)
            XCTAssertFalse(errors.lowercased().contains("busy"), errors)
        }
        let after = try harness.status(store)
        XCTAssertEqual(after.scores, before.scores + writers * perWriter)
        XCTAssertEqual(after.auditEntries, before.auditEntries + writers * perWriter)
        let verify = try harness.succeed("ketlog", ["audit", "verify", "--store", store], environment: BackupHarness.unlocked)
        XCTAssertEqual(verify.stdout.split(separator: ",").first.map(String.init), "ok: \(after.auditEntries) entries")
        let integrity = try harness.succeed("sqlite3", [store, "PRAGMA integrity_check;"])
        XCTAssertEqual(integrity.stdout, "ok\n")
        // Each writer's scores are its own patient's, all present.
        let list = try harness.succeed("ketlog", ["score", "list", "--store", store, "--patient", "P-bus-1", "--format", "json"],
                                       environment: BackupHarness.unlocked)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [Any])
        XCTAssertEqual(rows.count, perWriter)
        print("concurrency: \(writers) writers × \(perWriter) score add in \(String(format: "%.1f", elapsed)) s, "
              + "\(after.scores - before.scores) scores written, chain verified")
    }
}
