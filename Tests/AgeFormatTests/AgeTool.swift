import Foundation
import XCTest

/// Runs the reference `age` / `age-keygen` binaries (Go, FiloSottile/age) for interop tests,
/// with files in a private temporary directory.
struct AgeTool {
    let directory: URL

    /// The interop tests fail (rather than skip) without the tools: CI installs them, and a
    /// silent skip would hide that backups were never checked against `age`.
    struct MissingTool: Error, CustomStringConvertible {
        let name: String
        var description: String { "the reference '\(name)' binary is not on PATH; install it with apt-get install age" }
    }

    init() throws {
        for tool in ["age", "age-keygen", "python3"] where Self.path(of: tool) == nil {
            throw MissingTool(name: tool)
        }
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ketlog-age-interop-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    static func path(of tool: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") + ["/usr/bin"]
        return paths.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    func file(_ name: String) -> URL { directory.appendingPathComponent(name) }

    func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = file(name)
        try Data(bytes).write(to: url)
        return url
    }

    func read(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: file(name))) }

    /// Runs `tool` with `arguments` and returns its stdout; fails the test with its stderr on a
    /// non-zero exit.
    @discardableResult
    func run(_ tool: String, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try XCTUnwrap(Self.path(of: tool)))
        process.arguments = arguments
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "\(tool) \(arguments.joined(separator: " ")): \(String(decoding: err, as: UTF8.self))",
                       file: file, line: line)
        return [UInt8](out)
    }

    /// Runs `age` with a pseudo-terminal so its passphrase prompt can be answered (age reads
    /// passphrases only from the terminal). `answers` are typed in order, one per prompt.
    func runWithTerminal(_ arguments: [String], answers: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let script = """
        import os, pty, sys, json
        args, answers = json.loads(sys.argv[1]), json.loads(sys.argv[2])
        pid, fd = pty.fork()
        if pid == 0:
            os.execvp(args[0], args)
        seen = b""
        try:
            while True:
                data = os.read(fd, 1024)
                if not data: break
                seen += data
                if answers and seen.lower().count(b"passphrase") > 0 and seen.rstrip().endswith(b":"):
                    os.write(fd, answers.pop(0).encode() + b"\\n")
                    seen = b""
        except OSError:
            pass
        _, status = os.waitpid(pid, 0)
        sys.stderr.write(seen.decode(errors="replace"))
        sys.exit(os.waitstatus_to_exitcode(status))
        """
        let agePath = try XCTUnwrap(Self.path(of: "age"))
        let encode = { (value: [String]) in String(decoding: try JSONEncoder().encode(value), as: UTF8.self) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try XCTUnwrap(Self.path(of: "python3"), "python3 is needed for the pty"))
        process.arguments = ["-c", script, try encode([agePath] + arguments), try encode(answers)]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "age \(arguments.joined(separator: " ")): \(String(decoding: err, as: UTF8.self))",
                       file: file, line: line)
    }
}
