import Foundation
import XCTest

/// Nothing clinical reaches the store file, its -wal or -shm, a temporary file, or an error message.
final class RecordLeakTests: XCTestCase {
    private var ketlog: RecordsHarness!

    override func setUpWithError() throws { ketlog = try RecordsHarness() }
    override func tearDown() { ketlog = nil }

    private let code = "QX-7731-ZED"
    private let patientName = "Zebulon Quixotic-Marmaduke"
    private let patientNotes = "integration notes Xyzzy-Plugh-42"
    private let counselingNotes = "counseling Frobozz-Glorkenspiel-77 about triggers"
    private let editedNotes = "edited Wumpus-Hunt-Quasar-9"
    private let practitioner = "Dr Wrenfeather-Oddly"

    /// Each secret, and a distinctive fragment of it, as UTF-8 and lowercased.
    private var needles: [String] {
        let secrets = [code, patientName, patientNotes, counselingNotes, editedNotes, practitioner]
        let fragments = ["Quixotic", "Marmaduke", "Xyzzy-Plugh", "Frobozz", "Glorkenspiel", "Wumpus-Hunt", "Wrenfeather", "QX-7731"]
        return Array(Set((secrets + fragments).flatMap { [$0, $0.lowercased()] }))
    }

    private func assertNoClinicalBytes(in directory: URL, _ moment: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        var checked: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            let bytes = try Data(contentsOf: url)
            checked.append(url.lastPathComponent)
            for needle in needles where bytes.range(of: Data(needle.utf8)) != nil {
                XCTFail("\(moment): \(url.lastPathComponent) contains \"\(needle)\"", file: file, line: line)
            }
        }
        XCTAssertTrue(checked.contains("ketlog.db"), "\(moment): store not found among \(checked)", file: file, line: line)
    }

    func testNoClinicalTextInTheStoreItsWALShmOrTemporaryFiles() throws {
        let storeDirectory = URL(fileURLWithPath: ketlog.storePath).deletingLastPathComponent()
        // A second connection with an open read transaction keeps the WAL (and -shm) from being
        // checkpointed and removed when ketlog closes, so their bytes can be read.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("BEGIN")
            c.execute("SELECT count(*) FROM audit_entry").fetchall()
            print("ready", flush=True)
            sys.stdin.read()
            c.execute("COMMIT")
            c.close()
            """, ketlog.storePath]
        let input = Pipe()
        let output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        XCTAssertEqual(String(decoding: output.fileHandleForReading.availableDataLine(), as: UTF8.self), "ready")

        try ketlog.ok(["patient", "add", code, "--name", patientName, "--notes", patientNotes, "--birth-date", "1971-07-07",
                       "--substance", "methamphetamine"])
        try ketlog.ok(["session", "add", "--patient", code, "--date", "2026-11-20", "--route", "im", "--dose-mg-per-kg", "0.7",
                       "--weight-kg", "81", "--practitioner", practitioner, "--notes", counselingNotes])
        let editor = try ketlog.write("editor.sh", "#!/bin/sh\nprintf '%s\\n' \"$LEAK_NOTES\" > \"$1\"\n", executable: true)
        try ketlog.ok(["session", "amend", "ses-1", "--reason", "notes rewritten", "--edit-notes"],
                      env: ["EDITOR": editor, "LEAK_NOTES": editedNotes])
        XCTAssertEqual(try ketlog.object(["session", "show", "ses-1"])["notes"] as? String, editedNotes)
        try ketlog.ok(["score", "add", "--patient", code.lowercased(), "--date", "2026-11-21", "--craving", "6", "--use-days", "12"])
        try ketlog.ok(["patient", "amend", code, "--reason", "typo", "--name", patientName + " Jr"])
        try ketlog.ok(["audit", "log"])

        let files = try FileManager.default.contentsOfDirectory(atPath: storeDirectory.path)
        XCTAssertTrue(files.contains("ketlog.db-wal"), "the WAL should be alive: \(files)")
        XCTAssertTrue(files.contains("ketlog.db-shm"), "\(files)")
        let wal = try Data(contentsOf: storeDirectory.appendingPathComponent("ketlog.db-wal"))
        XCTAssertGreaterThan(wal.count, 0, "the writes should sit in the WAL")
        try assertNoClinicalBytes(in: ketlog.directory, "with the WAL alive")

        try input.fileHandleForWriting.close()
        holder.waitUntilExit()
        XCTAssertEqual(holder.terminationStatus, 0)
        try assertNoClinicalBytes(in: ketlog.directory, "after the last connection closed")
        // The records are really there, sealed: the store opens them again.
        XCTAssertEqual(try ketlog.object(["patient", "show", code])["name"] as? String, patientName + " Jr")
        try assertNoClinicalBytes(in: ketlog.directory, "after reading")
    }

    func testErrorMessagesNeverEchoClinicalValues() throws {
        try ketlog.ok(["patient", "add", code, "--name", patientName, "--notes", patientNotes, "--substance", "cocaine",
                       "--birth-date", "1971-07-07"])
        let attempts: [([String], Int32, String)] = [
            (["patient", "add", code.lowercased(), "--name", patientName, "--notes", patientNotes, "--substance", "cocaine"], 65, "patient code"),
            (["patient", "add", "QX-7731-ZEE", "--name", patientName + "\u{7}", "--substance", "cocaine"], 65, "name"),
            (["patient", "show", "QX-7731-ZEX"], 65, "patient"),
            (["session", "add", "--patient", "QX-7731-ZEX", "--date", "2026-11-20", "--route", "im", "--dose-mg-per-kg", "0.7",
              "--weight-kg", "81", "--practitioner", practitioner, "--notes", counselingNotes], 65, "patient"),
            (["session", "add", "--patient", code, "--date", "1971-07-06", "--route", "im", "--dose-mg-per-kg", "0.7",
              "--weight-kg", "81", "--practitioner", practitioner, "--notes", counselingNotes], 65, "date"),
            (["session", "add", "--patient", code, "--date", "2026-11-20", "--route", "im", "--dose-mg-per-kg", "4.7",
              "--weight-kg", "81", "--practitioner", practitioner, "--counselor", "Ms Vexillology-Thorne"], 65, "dose"),
            (["score", "add", "--patient", code, "--date", "2026-11-20", "--craving", "17", "--use-days", "3"], 65, "craving"),
            (["audit", "log", "--patient", "QX-7731-ZEX"], 65, "patient"),
        ]
        for (arguments, status, field) in attempts {
            let result = try ketlog.refuse(arguments, status: status, field: field,
                                           clinical: needles + ["Vexillology", "1971-07", "QX-7731-ZE", "4.7", "17"])
            XCTAssertFalse(result.stderr.contains("0.7"), result.stderr)
        }
    }
}

private extension FileHandle {
    /// Bytes up to (not including) the first newline, read one at a time.
    func availableDataLine() -> Data {
        var line = Data()
        while true {
            let byte = readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { return line }
            line.append(byte)
        }
    }
}
