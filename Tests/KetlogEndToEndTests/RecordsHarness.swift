import Foundation
import XCTest

/// A fresh ketlog store in a temporary directory, and the built `ketlog` binary to run against it.
///
/// Every command runs under `setsid` (a new session, so no controlling terminal) with a small,
/// explicit environment: the store path, the admin's passphrase, the acting user and a fixed
/// `KETLOG_TODAY`, so "future date" means the same thing on every run.
final class RecordsHarness {
    /// What one run of ketlog left behind.
    struct Result {
        var stdout: String
        var stderr: String
        var status: Int32

        /// The stderr lines that start `ketlog: error:`.
        var errorLines: [String] { stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("ketlog: error:") } }
    }

    /// What `ketlog status --format json` reports: row counts and the audit head.
    struct Snapshot: Equatable, CustomStringConvertible {
        var patients: Int
        var sessions: Int
        var scores: Int
        var vitals: Int
        var screens: Int
        var days: Int
        var auditEntries: Int
        var auditHead: String?

        var description: String {
            "patients \(patients), sessions \(sessions), scores \(scores), vitals \(vitals), screens \(screens), days \(days), "
                + "audit \(auditEntries) head \(auditHead ?? "none")"
        }
    }

    static let today = "2026-11-30"
    static let adminPassword = "correct horse battery"

    let directory: URL
    let storePath: String
    var environment: [String: String]
    /// The snapshot the last refusal left, still valid while nothing else ran; saves a `status` run.
    private var knownSnapshot: Snapshot?

    /// Creates the directory and runs `ketlog init --admin admin --kdf-work-factor 10`.
    init(file: StaticString = #filePath, line: UInt = #line) throws {
        // tmpfs when there is one: SQLite's fsyncs dominate a CLI call on a real disk.
        let shm = URL(fileURLWithPath: "/dev/shm")
        let base = FileManager.default.isWritableFile(atPath: shm.path) ? shm : FileManager.default.temporaryDirectory
        directory = base.appendingPathComponent("ketlog-records-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        storePath = directory.appendingPathComponent("store/ketlog.db").path
        environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": directory.path,
            "TMPDIR": directory.path,
            "KETLOG_STORE": storePath,
            "KETLOG_PASSWORD": Self.adminPassword,
            "KETLOG_USER": "admin",
            "KETLOG_TODAY": Self.today,
        ]
        let created = try run(["init", "--admin", "admin", "--kdf-work-factor", "10"])
        guard created.status == 0 else {
            XCTFail("ketlog init failed (\(created.status)): \(created.stderr)", file: file, line: line)
            throw CocoaError(.fileWriteUnknown)
        }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Later commands run as on a machine (or for a user) that never saw this store: a new HOME,
    /// without the rollback witness the earlier commands kept. For attacks that the witness
    /// would refuse first, to show what the checks inside the file find on their own.
    func forgetRollbackWitness() throws {
        let home = directory.appendingPathComponent("fresh-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        environment["HOME"] = home.path
        knownSnapshot = nil
    }

    // MARK: Locating the binary

    /// The built `ketlog` (ProcessRunner finds it for every harness).
    static func binary() throws -> URL { try ProcessRunner.ketlog.get() }

    typealias HarnessError = ProcessRunner.Missing

    // MARK: Running

    /// Runs ketlog with `arguments`, the harness environment plus `env` (an empty value removes
    /// a variable), and `stdin` (default /dev/null), in a new session without a terminal.
    @discardableResult
    func run(_ arguments: [String], env: [String: String] = [:], stdin: Data? = nil) throws -> Result {
        knownSnapshot = nil
        var environment = self.environment
        for (name, value) in env { environment[name] = value.isEmpty ? nil : value }
        return try Self.execute("/usr/bin/setsid", ["-w", try Self.binary().path] + arguments,
                                environment: environment, stdin: stdin, scratch: directory)
    }

    /// Runs any program, capturing stdout and stderr through files (no pipe can fill up).
    static func execute(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
                        stdin: Data? = nil, scratch: URL) throws -> Result {
        let output = try ProcessRunner.run(program, arguments, environment: environment, stdin: stdin, scratch: scratch)
        return Result(stdout: output.stdout, stderr: output.stderr, status: output.status)
    }

    /// Runs a command that must succeed (exit 0, nothing on stderr but notes) and returns stdout.
    @discardableResult
    func ok(_ arguments: [String], env: [String: String] = [:], stdin: Data? = nil,
            file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try run(arguments, env: env, stdin: stdin)
        XCTAssertEqual(result.status, 0, "ketlog \(arguments.joined(separator: " ")) failed: \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.errorLines, [], file: file, line: line)
        return result.stdout
    }

    /// Runs a command that must succeed and prints JSON; returns the parsed value.
    func json(_ arguments: [String], env: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) throws -> Any {
        let text = try ok(arguments + ["--format", "json"], env: env, file: file, line: line)
        do {
            return try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            XCTFail("not JSON from ketlog \(arguments.joined(separator: " ")): \(text)", file: file, line: line)
            throw error
        }
    }

    /// A record printed as one JSON object.
    func object(_ arguments: [String], env: [String: String] = [:], file: StaticString = #filePath,
                line: UInt = #line) throws -> [String: Any] {
        let value = try json(arguments, env: env, file: file, line: line)
        guard let object = value as? [String: Any] else { throw HarnessError(description: "expected a JSON object, got \(value)") }
        return object
    }

    /// A list printed as a JSON array of objects.
    func rows(_ arguments: [String], env: [String: String] = [:], file: StaticString = #filePath,
              line: UInt = #line) throws -> [[String: Any]] {
        let value = try json(arguments, env: env, file: file, line: line)
        guard let rows = value as? [[String: Any]] else { throw HarnessError(description: "expected a JSON array, got \(value)") }
        return rows
    }

    /// Row counts and audit head, from `ketlog status --format json` (no passphrase needed).
    func snapshot(file: StaticString = #filePath, line: UInt = #line) throws -> Snapshot {
        let status = try object(["status"], env: ["KETLOG_PASSWORD": ""], file: file, line: line)
        return Snapshot(patients: status["patients"] as? Int ?? -1, sessions: status["sessions"] as? Int ?? -1,
                        scores: status["scores"] as? Int ?? -1, vitals: status["vitals"] as? Int ?? -1,
                        screens: status["screens"] as? Int ?? -1, days: status["days"] as? Int ?? -1, auditEntries: status["audit_entries"] as? Int ?? -1,
                        auditHead: status["audit_head"] as? String)
    }

    /// Runs a command that must be refused: exit `status`, exactly one `ketlog: error:` line that
    /// names `field`, none of the clinical values given on the command line (or in `clinical`)
    /// echoed on stderr, and the row counts and audit head unchanged.
    @discardableResult
    func refuse(_ arguments: [String], status: Int32, field: String, clinical: [String] = [], env: [String: String] = [:],
                stdin: Data? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let before = try knownSnapshot ?? snapshot(file: file, line: line)
        let result = try run(arguments, env: env, stdin: stdin)
        let command = "ketlog " + arguments.joined(separator: " ")
        XCTAssertEqual(result.status, status, "\(command): \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.errorLines.count, 1, "\(command): want one error line, got: \(result.stderr)", file: file, line: line)
        let message = result.errorLines.first ?? ""
        XCTAssertTrue(message.contains(field), "\(command): error does not name \(field): \(message)", file: file, line: line)
        for value in Self.clinicalValues(arguments) + clinical where result.stderr.contains(value) {
            XCTFail("\(command): stderr echoes the clinical value \(value): \(result.stderr)", file: file, line: line)
        }
        XCTAssertEqual(result.stdout, "", "\(command): printed on stdout", file: file, line: line)
        let after = try snapshot(file: file, line: line)
        XCTAssertEqual(after, before, "\(command) changed the store", file: file, line: line)
        knownSnapshot = after
        return result
    }

    /// Voids record `id` (a session or score) and checks that it is final: the command prints
    /// `voided ID (version N)`, and amending (with `amend`) or voiding it again is refused naming it.
    func voidAndAssertFinal(_ kind: String, _ id: String, version: Int, amend: [String],
                            file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try ok([kind, "void", id, "--reason", "entered in error"], file: file, line: line),
                       "voided \(id) (version \(version))\n", file: file, line: line)
        try refuse([kind, "amend", id, "--reason", "again"] + amend, status: 65, field: id, file: file, line: line)
        try refuse([kind, "void", id, "--reason", "again"], status: 65, field: id, file: file, line: line)
        let history = try rows([kind, "show", id, "--history"], file: file, line: line)
        XCTAssertEqual(history.map { $0["version"] as? Int }, Array(1...version), file: file, line: line)
        XCTAssertEqual(history.map { $0["void"] as? Bool }, Array(repeating: false, count: version - 1) + [true], file: file, line: line)
        XCTAssertEqual(history.last?["reason"] as? String, "entered in error", file: file, line: line)
    }

    /// Exports `kinds` as CSV and as JSON, imports each into a new store in that order, and
    /// asserts that the new store exports it exactly as this one did; the new store verifies.
    func assertExportsImportIntoANewStore(_ kinds: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        for format in ["csv", "json"] {
            let target = try RecordsHarness()
            for kind in kinds {
                let exported = try ok(["export", "--kind", kind, "--format", format], file: file, line: line)
                try target.ok(["import", try target.write("\(kind).\(format)", exported), "--kind", kind], file: file, line: line)
                XCTAssertEqual(try target.ok(["export", "--kind", kind, "--format", format], file: file, line: line), exported,
                               "\(kind) \(format) did not round-trip", file: file, line: line)
            }
            try target.ok(["audit", "verify"], file: file, line: line)
        }
    }

    /// The values of options that carry clinical text (codes, dates, names, notes): these must
    /// never appear in an error message.
    static func clinicalValues(_ arguments: [String]) -> [String] {
        let flags: Set = ["--patient", "--date", "--practitioner", "--counselor", "--notes", "--name", "--birth-date",
                          "--new-code", "--adverse-event"]
        var values: [String] = []
        for (index, argument) in arguments.enumerated() where index + 1 < arguments.count && flags.contains(argument) {
            let value = arguments[index + 1].trimmingCharacters(in: .whitespaces)
            if value.count >= 3 { values.append(value) }
        }
        if arguments.starts(with: ["patient", "add"]), arguments.count > 2, !arguments[2].hasPrefix("-") {
            values.append(arguments[2])
        }
        return values
    }

    // MARK: Files and sqlite3

    /// Writes `text` to a file in the harness directory and returns its path.
    func write(_ name: String, _ text: String, executable: Bool = false) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: url.path) }
        return url.path
    }

    /// Runs `sql` on the store with sqlite3 as an attacker with the file who covers their tracks:
    /// every trigger dropped first (so append-only tables can be edited) and put back after, so
    /// that the schema check on open passes and what is tested is the check behind it.
    @discardableResult
    func tamper(_ sql: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let triggers = try self.sqlite("SELECT name FROM sqlite_master WHERE type = 'trigger'", file: file, line: line)
            .split(separator: "\n").map(String.init)
        let definitions = try self.sqlite("SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger'", file: file, line: line)
        return try self.sqlite(triggers.map { "DROP TRIGGER \($0);" }.joined() + sql + ";" + definitions, file: file, line: line)
    }

    /// Runs SQL on the store with the sqlite3 command-line tool, as an attacker with the file would.
    @discardableResult
    func sqlite(_ sql: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        knownSnapshot = nil
        let result = try Self.execute("/usr/bin/sqlite3", [storePath, sql], scratch: directory)
        XCTAssertEqual(result.status, 0, "sqlite3 \(sql): \(result.stderr)", file: file, line: line)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
