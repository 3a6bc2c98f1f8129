import Foundation
import XCTest

/// One finished run of a program: its exit status and what it printed.
struct BackupRun {
    let status: Int32
    let stdout: String
    let stderr: String

    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

/// Row counts of a store, as `ketlog status --format json` or `sqlite3` report them.
struct BackupCounts: Equatable, CustomStringConvertible {
    var patients: Int
    var sessions: Int
    var scores: Int
    var auditEntries: Int

    var description: String { "\(patients) patients, \(sessions) sessions, \(scores) scores, \(auditEntries) audit entries" }
}

/// A private directory for one end-to-end backup test and the programs it runs: the built
/// `ketlog`, and `age`, `age-keygen`, `sqlite3` and `python3` (for a pseudo-terminal).
///
/// Children get a small environment built from scratch (no passphrase leaks in from the
/// caller's shell) with `TMPDIR` pointing into the test directory, so leftovers can be checked.
/// The tools are required, not optional: a silent skip would hide that backups were never
/// checked against `age`, so a missing one fails the test with a message saying what to install.
final class BackupHarness {
    static let admin = "drlee"
    static let storePassphrase = "correct horse clinic"

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    let root: URL
    /// `TMPDIR` for every child.
    let temporary: URL
    let ketlogBinary: String

    init(file: StaticString = #filePath) throws {
        ketlogBinary = try ProcessRunner.ketlogPath()
        for tool in ["age", "age-keygen", "sqlite3", "python3"] where Self.which(tool) == nil {
            throw Missing(description: "'\(tool)' is not on PATH; the backup tests need it (apt-get install age sqlite3 python3, "
                          + "or run Scripts/bootstrap)")
        }
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("ketlog-backup-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        temporary = root.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// A path inside the test directory.
    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    static func which(_ tool: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
            + ["/usr/local/bin", "/usr/bin", "/bin"]
        return directories.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The environment every child starts from; `extra` adds to or overrides it.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                           "HOME": root.path, "TMPDIR": temporary.path, "USER": Self.admin, "NO_COLOR": "1", "LANG": "C.UTF-8"]
        environment.merge(extra) { $1 }
        return environment
    }

    /// Starts `executable`; the caller waits. Output goes to files so a chatty child cannot block.
    func start(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:],
               stdin: Data? = nil) throws -> (Process, finish: () throws -> BackupRun) {
        let (process, finish) = try ProcessRunner.start(executable, arguments, environment: environment(extra), stdin: stdin,
                                                        scratch: root, timeout: 600)
        return (process, {
            let output = try finish()
            return BackupRun(status: output.status, stdout: output.stdout, stderr: output.stderr)
        })
    }

    /// Runs `executable` (a path, or a tool name looked up on PATH) to completion.
    func run(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:],
             stdin: Data? = nil) throws -> BackupRun {
        guard let resolved = executable.contains("/") ? executable : Self.which(executable) else {
            throw Missing(description: "'\(executable)' is not on PATH")
        }
        return try start(resolved, arguments, environment: extra, stdin: stdin).finish()
    }

    func ketlog(_ arguments: [String], environment extra: [String: String] = [:], stdin: Data? = nil) throws -> BackupRun {
        try run(ketlogBinary, arguments, environment: extra, stdin: stdin)
    }

    /// Runs a program that must succeed; fails the test with its stderr otherwise.
    @discardableResult
    func succeed(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:], stdin: Data? = nil,
                 file: StaticString = #filePath, line: UInt = #line) throws -> BackupRun {
        let result = executable == "ketlog" ? try ketlog(arguments, environment: extra, stdin: stdin)
                                            : try run(executable, arguments, environment: extra, stdin: stdin)
        XCTAssertEqual(result.status, 0, "\(executable) \(arguments.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        return result
    }

    /// The store passphrase in the environment, as a clinician's shell would set it.
    static let unlocked = ["KETLOG_PASSWORD": storePassphrase]

    /// Runs `arguments` (argv[0] a path) with a pseudo-terminal as its controlling terminal, so
    /// a program that reads passphrases only from /dev/tty (age) can be answered: each time the
    /// output seen since the last answer mentions "passphrase" and ends with ":", the next of
    /// `answers` is typed followed by a newline. python3's `pty.fork()` makes the pty the
    /// child's controlling terminal; stdout of the program goes to the terminal too, so use -o.
    func underTerminal(_ arguments: [String], answers: [String]) throws -> BackupRun {
        let script = """
        import json, os, pty, sys
        args, answers = json.loads(sys.argv[1]), json.loads(sys.argv[2])
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(args[0], args)
        seen, transcript = b"", b""
        while True:
            try:
                data = os.read(fd, 1024)
            except OSError:
                break
            if not data:
                break
            seen += data
            transcript += data
            if answers and b"passphrase" in seen.lower() and seen.rstrip().endswith(b":"):
                os.write(fd, answers.pop(0).encode() + b"\\n")
                seen = b""
        _, status = os.waitpid(pid, 0)
        sys.stderr.write(transcript.decode(errors="replace"))
        sys.exit(os.waitstatus_to_exitcode(status))
        """
        let json = { (value: [String]) in String(decoding: try JSONEncoder().encode(value), as: UTF8.self) }
        return try run("python3", ["-c", script, try json(arguments), try json(answers)])
    }

    // MARK: Stores

    /// Creates a store (work factor 10) with `patients` patients, one session each, and
    /// `scoresPerPatient` scores each, written by two imports.
    func makeStore(_ name: String, patients: Int = 3, scoresPerPatient: Int = 2,
                   file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let store = path(name)
        try succeed("ketlog", ["init", "--store", store, "--admin", Self.admin, "--kdf-work-factor", "10"],
                    environment: Self.unlocked, file: file, line: line)
        let codes = (1...max(patients, 1)).map { "P-\(name.prefix(3))-\($0)" }.prefix(patients)
        guard !codes.isEmpty else { return store }
        try importCSV(into: store, kind: "patients", header: "code,name,birth_date,sex,substances,notes",
                      rows: codes.map { "\($0),,1980-01-01,female,alcohol,synthetic test patient" }, file: file, line: line)
        try importCSV(into: store, kind: "sessions",
                      header: "patient,date,time,route,dose_mg_per_kg,weight_kg,dose_mg,duration_min,practitioner,counselor,notes,adverse_events",
                      rows: codes.map { "\($0),2025-01-06,10:00,iv,0.5,70,35,40,\(Self.admin),,," }, file: file, line: line)
        if scoresPerPatient > 0 {
            try importCSV(into: store, kind: "scores", header: "patient,date,craving,use_days,window_days,substance",
                          rows: scoreRows(codes: Array(codes), perPatient: scoresPerPatient), file: file, line: line)
        }
        return store
    }

    func scoreRows(codes: [String], perPatient: Int) -> [String] {
        codes.flatMap { code in
            (0..<perPatient).map { index in
                let day = Calendar(identifier: .gregorian).date(byAdding: .day, value: index % 4000,
                                                                 to: Date(timeIntervalSince1970: 1_262_304_000))!
                let date = ISO8601DateFormatter.string(from: day, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
                return "\(code),\(date),\(index % 11),\(index % 29),28,alcohol"
            }
        }
    }

    func importCSV(into store: String, kind: String, header: String, rows: [String],
                   file: StaticString = #filePath, line: UInt = #line) throws {
        let csv = path("\(kind)-\(UUID().uuidString).csv")
        try ([header] + rows).joined(separator: "\n").appending("\n").write(toFile: csv, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: csv) }
        try succeed("ketlog", ["import", csv, "--kind", kind, "--store", store], environment: Self.unlocked, file: file, line: line)
    }

    /// Counts as `ketlog status` shows them.
    func status(_ store: String, file: StaticString = #filePath, line: UInt = #line) throws -> BackupCounts {
        let result = try succeed("ketlog", ["status", "--store", store, "--format", "json"], file: file, line: line)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], file: file, line: line)
        func int(_ key: String) throws -> Int { try XCTUnwrap(json[key] as? Int, "status has no \(key)", file: file, line: line) }
        return BackupCounts(patients: try int("patients"), sessions: try int("sessions"), scores: try int("scores"),
                            auditEntries: try int("audit_entries"))
    }

    /// Counts read from a plain SQLite file with `sqlite3` (no ketlog involved).
    func sqliteCounts(_ database: String, file: StaticString = #filePath, line: UInt = #line) throws -> BackupCounts {
        let query = ["patient", "session", "score", "audit_entry"].map { "SELECT count(*) FROM \($0);" }.joined()
        let result = try succeed("sqlite3", ["-readonly", database, query], file: file, line: line)
        let numbers = result.stdout.split(separator: "\n").compactMap { Int($0) }
        guard numbers.count == 4 else {
            XCTFail("sqlite3 counts: \(result.stdout)", file: file, line: line)
            return BackupCounts(patients: -1, sessions: -1, scores: -1, auditEntries: -1)
        }
        return BackupCounts(patients: numbers[0], sessions: numbers[1], scores: numbers[2], auditEntries: numbers[3])
    }

    /// A fresh X25519 key from `age-keygen`: the identity file and its `age1…` recipient.
    func keygen(_ name: String = "key.txt", file: StaticString = #filePath, line: UInt = #line) throws -> (identity: String, recipient: String) {
        let identity = path(name)
        try succeed("age-keygen", ["-o", identity], file: file, line: line)
        let recipient = try succeed("age-keygen", ["-y", identity], file: file, line: line).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(recipient.hasPrefix("age1"), recipient, file: file, line: line)
        return (identity, recipient)
    }

    /// Files a failed backup or restore must not leave: `.…restore-*`, `.…partial-*`,
    /// `.ketlog-backup-*`, and `-wal`/`-shm` without their database, in `directory` and TMPDIR.
    func leftovers(in directory: String) -> [String] {
        [directory, temporary.path].flatMap { dir in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            return names.filter { name in
                name.contains(".restore-") || name.contains(".partial-") || name.hasPrefix(".ketlog-backup-")
                    || ((name.hasSuffix("-wal") || name.hasSuffix("-shm")) && !names.contains(String(name.dropLast(4))))
            }.map { "\(dir)/\($0)" }
        }
    }

    /// A refusal: exit `status`, exactly one stderr line `ketlog: error: …`, nothing on stdout.
    func assertRefused(_ result: BackupRun, status: Int32, mentioning: String? = nil, _ message: String = "",
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.status, status, "\(message) stderr: \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stderrLines.count, 1, "\(message) stderr: \(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("ketlog: error: "), "\(message) stderr: \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stdout, "", message, file: file, line: line)
        if let mentioning {
            XCTAssertTrue(result.stderr.contains(mentioning), "\(message) expected '\(mentioning)' in: \(result.stderr)", file: file, line: line)
        }
    }

    func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    func write(_ bytes: [UInt8], to path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
}
