import Foundation
import XCTest

/// The fast leak scan (Scripts/soak runs the same over a full Scripts/demo): nothing clinical in
/// the store, its -wal and -shm, exports-turned-backups or TMPDIR; every clinical file 0600; no
/// passphrase in any process's argv; no passphrase variable in the environment of `$EDITOR` or
/// a `--password-command`. RecordLeakTests covers the store while a reader holds the WAL open.
final class ReliabilityLeakTests: XCTestCase {
    private var harness: BackupHarness!

    override func setUpWithError() throws { harness = try BackupHarness() }
    override func tearDown() { harness?.remove() }

    private let code = "ZQ-4471-LEAK"
    private let patientName = "Ottoline Vexborough"
    private let notes = "Quillfeather integration notes"
    private let birthDate = "1967-03-19"
    private let sessionDate = "2025-05-17"
    private var needles: [String] { [code, patientName, notes, birthDate, sessionDate, "Vexborough", "Quillfeather"] }

    private let passphrases = ["KETLOG_PASSWORD": BackupHarness.storePassphrase,
                               "KETLOG_NEW_PASSWORD": "new-pass-Marzipan-51", "KETLOG_BACKUP_PASSWORD": "backup-pass-Zirconia-88"]

    /// The files under `directory` that contain a needle, as "file: needle".
    private func leaks(in directory: URL, skipping skipped: Set<String> = []) throws -> [String] {
        var found: [String] = []
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true,
                  !skipped.contains(url.lastPathComponent) else { continue }
            let bytes = try Data(contentsOf: url)
            found += needles.filter { bytes.range(of: Data($0.utf8)) != nil }.map { "\(url.lastPathComponent): \($0)" }
        }
        return found
    }

    func testNoClinicalBytesOutsideSealedBlobsAndPrivateFilesOnly() throws {
        let store = try harness.makeStore("leak.db", patients: 2, scoresPerPatient: 1)
        let env = passphrases
        try harness.succeed("ketlog", ["patient", "add", code, "--name", patientName, "--birth-date", birthDate, "--substance", "opioids",
                                       "--notes", notes, "--store", store], environment: env)
        // The editor dumps the environment ketlog gave it, then writes the notes.
        let dump = harness.path("editor-env.txt")
        let editor = harness.path("editor.sh")
        try "#!/bin/sh\nenv > '\(dump)'\nprintf '%s\\n' '\(notes)' > \"$1\"\n".write(toFile: editor, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: editor)
        try harness.succeed("ketlog", ["session", "add", "--patient", code, "--date", sessionDate, "--route", "sublingual",
                                       "--dose-mg", "100", "--practitioner", "Dr Lee", "--edit-notes", "--store", store],
                            environment: env.merging(["EDITOR": editor]) { $1 })
        // A password command dumps its environment too.
        let commandDump = harness.path("command-env.txt")
        try harness.succeed("ketlog", ["score", "add", "--patient", code, "--date", sessionDate, "--craving", "3", "--use-days", "2",
                                       "--store", store, "--password-command", "env > '\(commandDump)'; echo '\(BackupHarness.storePassphrase)'"],
                            environment: ["KETLOG_NEW_PASSWORD": passphrases["KETLOG_NEW_PASSWORD"]!,
                                          "KETLOG_BACKUP_PASSWORD": passphrases["KETLOG_BACKUP_PASSWORD"]!])
        for file in [dump, commandDump] {
            let environment = try String(contentsOfFile: file, encoding: .utf8)
            XCTAssertTrue(environment.contains("PATH="), "\(file) holds no environment: \(environment)")
            for (variable, value) in passphrases {
                XCTAssertFalse(environment.contains(variable + "="), "\(file): \(variable) handed to a child")
                XCTAssertFalse(environment.contains(value), "\(file): a passphrase handed to a child")
            }
        }
        try FileManager.default.removeItem(atPath: dump)
        try FileManager.default.removeItem(atPath: commandDump)

        // Clinical files ketlog writes: exports, reports, backups; each 0600.
        let key = try harness.keygen()
        let outputs = ["export.csv": ["export", "--kind", "patients", "--format", "csv"],
                       "export.json": ["export", "--kind", "sessions", "--format", "json"],
                       "report.html": ["report", "patient", code, "--format", "html"],
                       "weekly.json": ["report", "weekly", "--format", "json"],
                       "backup-r.age": ["backup", "export", "--recipient", key.recipient],
                       "backup-p.age": ["backup", "export", "--passphrase", "--armor"]]
        for (file, arguments) in outputs {
            try harness.succeed("ketlog", arguments + ["--output", harness.path(file), "--store", store], environment: env)
            let mode = (try FileManager.default.attributesOfItem(atPath: harness.path(file))[.posixPermissions] as? NSNumber)?.intValue
            XCTAssertEqual(mode, 0o600, "\(file) mode")
        }
        let storeMode = (try FileManager.default.attributesOfItem(atPath: store)[.posixPermissions] as? NSNumber)?.intValue
        XCTAssertEqual(storeMode, 0o600, "store mode")
        XCTAssertTrue(try String(contentsOfFile: harness.path("export.csv"), encoding: .utf8).contains(patientName), "export holds the patient")

        // Nothing clinical anywhere but in the files meant to hold it in the clear.
        let plain: Set<String> = ["export.csv", "export.json", "report.html", "weekly.json", "editor.sh"]
        XCTAssertEqual(try leaks(in: harness.root, skipping: plain), [])
        let temporary = (try? FileManager.default.contentsOfDirectory(atPath: harness.temporary.path)) ?? []
        XCTAssertEqual(temporary, [], "ketlog left files in TMPDIR")
    }

    func testNoPassphraseInAnyProcessArgvDuringALongImport() throws {
        let store = try harness.makeStore("argv.db", patients: 4, scoresPerPatient: 0)
        let csv = harness.path("scores.csv")
        try (["patient,date,craving,use_days,window_days,substance"] + harness.scoreRows(codes: (1...4).map { "P-arg-\($0)" }, perPatient: 2000))
            .joined(separator: "\n").appending("\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let passwordFile = harness.path("pass.txt")
        try BackupHarness.storePassphrase.appending("\n").write(toFile: passwordFile, atomically: true, encoding: .utf8)
        let (importer, finish) = try harness.start(harness.ketlogBinary, ["import", csv, "--kind", "scores", "--store", store,
                                                                          "--password-command", "cat '\(passwordFile)'"])
        var scans = 0, sawKetlog = false
        while importer.isRunning && scans < 2000 {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int(entry) != nil {
                guard let argv = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"), !argv.isEmpty else { continue }
                XCTAssertNil(argv.range(of: Data(BackupHarness.storePassphrase.utf8)), "pid \(entry) has the passphrase in argv")
                if Int32(entry) == importer.processIdentifier { sawKetlog = true }
            }
            scans += 1
        }
        XCTAssertEqual(try finish().status, 0)
        XCTAssertTrue(sawKetlog, "the scan never saw the importing process")
        print("leak: \(scans) scans of /proc/*/cmdline during an 8000-row import")
    }
}
