import Foundation
import XCTest

struct MissingBinary: Error, CustomStringConvertible {
    var description: String {
        "no ketlog binary beside the tests: run `swift build` first (Scripts/test does), or set KETLOG_BINARY"
    }
}

/// What one run of the ketlog binary did.
struct RunResult {
    let stdout: String
    let stderr: String
    let status: Int32

    var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
}

/// Runs the built `ketlog` binary the way a person or a script would: in a scratch HOME, with
/// only the environment a test gives it, and — unless a test drives a pseudo-terminal — with no
/// controlling terminal (`setsid`), so that a prompt can never wait for input.
final class KetlogProcess {
    /// The built binary (ProcessRunner finds it for every harness).
    static let binary: URL? = try? ProcessRunner.ketlog.get()

    let directory: URL
    /// Secrets that must never appear on stderr.
    var secrets: [String] = []

    init() throws {
        // A failure, not a skip: CI must not pass with the end-to-end tests silently not run.
        guard Self.binary != nil else { throw MissingBinary() }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ketlog-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Writes a file (a passphrase file, say) and returns its path.
    func file(_ name: String, _ contents: String) throws -> String {
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path(name)))
        return path(name)
    }

    var baseEnvironment: [String: String] {
        [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": directory.path,
            "USER": "clinic-it",
            "LANG": "C.UTF-8",
        ]
    }

    /// Runs `ketlog arguments…` without a terminal and checks what every run must satisfy:
    /// stderr lines are `ketlog: error: …` or `hint: …`, and no secret is ever printed.
    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil,
             file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
        let result = try execute("/usr/bin/setsid", ["-w", Self.binary!.path] + arguments,
                                 environment: baseEnvironment.merging(environment) { $1 }, stdin: stdin)
        checkStderr(result.stderr, file: file, line: line)
        return result
    }

    func checkStderr(_ stderr: String, file: StaticString = #filePath, line: UInt = #line) {
        for text in stderr.split(separator: "\n") {
            // `ketlog: error: …`, `hint: …`, or an informational `ketlog: wrote …` line.
            XCTAssertTrue(text.hasPrefix("ketlog: ") || text.hasPrefix("hint: "),
                          "stderr line not in ketlog's shape: \(text)", file: file, line: line)
        }
        for secret in secrets where !secret.isEmpty {
            XCTAssertFalse(stderr.contains(secret), "stderr contains a passphrase: \(stderr)", file: file, line: line)
        }
    }

    /// Runs a program with output captured in files (no pipe can fill up) and a watchdog.
    func execute(_ executable: String, _ arguments: [String], environment: [String: String],
                 stdin: Data? = nil, timeout: TimeInterval = 60) throws -> RunResult {
        let output = try ProcessRunner.run(executable, arguments, environment: environment, stdin: stdin, scratch: directory,
                                           timeout: timeout)
        return RunResult(stdout: output.stdout, stderr: output.stderr, status: output.status)
    }

    /// Every byte of a store file and its -wal (when there is one).
    func snapshot(_ store: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: store + suffix) {
            files[suffix] = try Data(contentsOf: URL(fileURLWithPath: store + suffix))
        }
        return files
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}
