import Foundation

/// The environment ketlog hands to programs it starts (`--password-command`, `$EDITOR`):
/// its own, without any passphrase variable.
enum ChildEnvironment {
    static let secretVariables = ["KETLOG_PASSWORD", "KETLOG_NEW_PASSWORD", "KETLOG_BACKUP_PASSWORD"]

    /// How long a password command may take (`KETLOG_PASSWORD_COMMAND_TIMEOUT` seconds overrides).
    static let defaultTimeout: Double = 30
    /// How much a password command may print.
    static let outputLimit = 64 * 1024

    static var scrubbed: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in secretVariables { environment[name] = nil }
        return environment
    }

    /// Runs `command` with `/bin/sh -c` in a process group of its own, stdin and stderr
    /// inherited, and returns its stdout. It gets `timeout` seconds and `outputLimit` bytes;
    /// past either its whole process group is killed. Memory stays bounded: at most
    /// `outputLimit` bytes are ever kept. Throws `passwordCommandFailed` when it cannot start or
    /// exits non-zero, `passwordCommandUnusable` on a timeout or too much output.
    static func captureOutput(of command: String, timeout: Double? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [UInt8] {
        let seconds = try timeout ?? configuredTimeout(environment)
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw CLIError.passwordCommandFailed(status: -1) }
        let (readEnd, writeEnd) = (ends[0], ends[1])
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        let child: ChildProcess
        do {
            child = try ChildProcess.spawnShell(command, newProcessGroup: true, stdoutTo: writeEnd, closing: [readEnd])
        } catch {
            close(readEnd)
            close(writeEnd)
            throw CLIError.passwordCommandFailed(status: -1)
        }
        close(writeEnd)
        defer { close(readEnd) }

        var output = [UInt8](repeating: 0, count: outputLimit + 1)
        var count = 0
        let deadline = Date().addingTimeInterval(seconds)
        var problem: String?
        reading: while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { problem = "did not finish within \(format(seconds)) s"; break }
            var poller = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            let ready = Glibc.poll(&poller, 1, Int32(min(left * 1000, 1000)) + 1)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            let got = output.withUnsafeMutableBytes { buffer in
                read(readEnd, buffer.baseAddress! + count, buffer.count - count)
            }
            if got < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                problem = "could not be read"
                break
            }
            if got == 0 { break reading }
            count += got
            if count > outputLimit { problem = "printed more than \(outputLimit / 1024) KiB"; break }
        }
        defer { for index in output.indices { output[index] = 0 } }
        if let problem {
            kill(-child.pid, SIGKILL)
            _ = child.wait()
            throw CLIError.passwordCommandUnusable(problem: problem)
        }
        // Output ended; the command itself gets what is left of its time to exit.
        var status = child.poll()
        while status == nil {
            guard deadline.timeIntervalSinceNow > 0 else {
                kill(-child.pid, SIGKILL)
                _ = child.wait()
                throw CLIError.passwordCommandUnusable(problem: "did not finish within \(format(seconds)) s")
            }
            usleep(10_000)
            status = child.poll()
        }
        guard status == 0 else { throw CLIError.passwordCommandFailed(status: status ?? -1) }
        return Array(output[0..<count])
    }

    /// `KETLOG_PASSWORD_COMMAND_TIMEOUT` (seconds, > 0), else 30.
    static func configuredTimeout(_ environment: [String: String]) throws -> Double {
        guard let text = environment["KETLOG_PASSWORD_COMMAND_TIMEOUT"], !text.isEmpty else { return defaultTimeout }
        guard let value = Double(text), value.isFinite, value > 0 else {
            throw CLIError.usage("KETLOG_PASSWORD_COMMAND_TIMEOUT: must be a number of seconds above 0")
        }
        return value
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
