import Foundation

/// The environment ketlog hands to programs it starts (`--password-command`, `$EDITOR`):
/// its own, without any passphrase variable.
enum ChildEnvironment {
    static let secretVariables = ["KETLOG_PASSWORD", "KETLOG_NEW_PASSWORD", "KETLOG_BACKUP_PASSWORD"]

    static var scrubbed: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in secretVariables { environment[name] = nil }
        return environment
    }

    /// Runs `command` with `/bin/sh -c`, stdin and stderr inherited, and returns its stdout;
    /// throws `passwordCommandFailed` when it cannot start or exits non-zero.
    static func captureOutput(of command: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.environment = scrubbed
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { throw CLIError.passwordCommandFailed(status: -1) }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CLIError.passwordCommandFailed(status: process.terminationStatus)
        }
        return Array(data)
    }
}
