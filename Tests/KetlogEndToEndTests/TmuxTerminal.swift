import Foundation
import XCTest

/// A real terminal for end-to-end tests: a tmux server on a private socket (`tmux -L`), one
/// 100×30 window running one ketlog command. Everything the command writes to the terminal is
/// also logged raw (`pipe-pane`), so colour escapes and a progress bar that is later erased can
/// be checked. Every wait is bounded; `close()` kills the server.
final class TmuxTerminal {
    let socket = "ketlog-test-\(UUID().uuidString.prefix(8))"
    let log: String
    private let go: String
    private let scratch: URL

    /// Starts `arguments` (ketlog's) in a new window with `environment` only, gated on a file so
    /// that the raw log is attached before the command runs. After the command the pane shows
    /// `KETLOG-DONE <status>`.
    convenience init(_ arguments: [String], environment: [String: String], directory: URL) throws {
        let binary = try RecordsHarness.binary().path
        let variables = environment.map { Self.quote("\($0.key)=\($0.value)") }.joined(separator: " ")
        try self.init(command: "env -i TERM=\"$TERM\" \(variables) \(Self.quote(binary)) \(arguments.map(Self.quote).joined(separator: " "))",
                      directory: directory)
    }

    /// Runs `command`, a shell command line, in a new window in `directory`, the same way.
    init(command: String, directory: URL) throws {
        scratch = directory
        log = directory.appendingPathComponent("terminal-\(socket).log").path
        go = directory.appendingPathComponent("go-\(socket)").path
        let script = "while [ ! -e \(Self.quote(go)) ]; do sleep 0.02; done; cd \(Self.quote(directory.path)); "
            + command + "; echo \"KETLOG-DONE $?\"; sleep 120"
        try tmux(["-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "30", "-s", "main", "/bin/sh -c \(Self.quote(script))"])
        try tmux(["pipe-pane", "-t", "main", "-o", "cat >> \(Self.quote(log))"])
        FileManager.default.createFile(atPath: go, contents: nil)
    }

    deinit { close() }

    func close() {
        _ = try? tmux(["kill-server"], check: false)
    }

    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Runs the tmux client. Not through Foundation's `Process`: the tmux server forks from the
    /// first client and keeps the descriptor `Process` watches for the child's exit, so
    /// `waitUntilExit` would never return. posix_spawn and waitpid instead.
    @discardableResult
    func tmux(_ arguments: [String], check: Bool = true) throws -> RecordsHarness.Result {
        var environment = ProcessInfo.processInfo.environment
        environment["TMUX"] = nil
        environment["TERM"] = "xterm-256color"
        let output = scratch.appendingPathComponent("tmux-\(UUID().uuidString)").path
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO)
        let argv = ["/usr/bin/tmux", "-L", socket] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in cArguments + cEnvironment { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, argv[0], &actions, nil, &cArguments, &cEnvironment) == 0 else {
            throw RecordsHarness.HarnessError("cannot start tmux")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        if check && code != 0 { throw RecordsHarness.HarnessError("tmux \(arguments.joined(separator: " ")): \(text)") }
        return RecordsHarness.Result(stdout: text, stderr: "", status: code)
    }

    /// What the window shows now.
    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", "main"]).stdout }

    /// Everything written to the terminal so far, raw.
    func raw() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// Waits up to `timeout` seconds for the screen to contain `text`; fails the test if not.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 20, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var shown = ""
        while Date() < deadline {
            shown = try screen()
            if shown.contains(text) { return shown }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("the terminal never showed \(text.debugDescription); it shows:\n\(shown)\nraw: \(raw().suffix(2000).debugDescription)", file: file, line: line)
        throw RecordsHarness.HarnessError("timed out")
    }

    /// Waits for the command to end and returns its exit status.
    func exitStatus(timeout: TimeInterval = 20, file: StaticString = #filePath, line: UInt = #line) throws -> Int32? {
        let shown = try waitFor("KETLOG-DONE ", timeout: timeout, file: file, line: line)
        guard let range = shown.range(of: "KETLOG-DONE ") else { return nil }
        return Int32(shown[range.upperBound...].prefix { $0.isNumber })
    }

    /// Types literal text.
    func type(_ text: String) throws { try tmux(["send-keys", "-t", "main", "-l", text]) }

    /// Presses keys by tmux name (`Enter`, `Escape`, `C-o`).
    func press(_ keys: String...) throws { try tmux(["send-keys", "-t", "main"] + keys) }
}
