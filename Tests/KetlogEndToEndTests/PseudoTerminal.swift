import Foundation
import XCTest

/// Drives ketlog through a pseudo-terminal, as a person at a keyboard would: Python's `pty.fork`
/// gives the child a new session whose controlling terminal (`/dev/tty`) is the pty. The driver
/// waits for each expected prompt before typing the answer, and returns everything the terminal
/// showed (stdout and stderr share it).
enum PseudoTerminal {
    struct Transcript: Decodable {
        let transcript: String
        let status: Int32
        let error: String?
    }

    private static let driver = #"""
    import json, os, pty, select, sys, time
    argv = json.loads(sys.argv[1])
    dialogue = json.loads(sys.argv[2])
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(argv[0], argv)
    shown = b""
    seen = 0
    error = None
    def read_some(deadline):
        global shown
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.time()))
        if not ready:
            return False
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            chunk = b""
        if not chunk:
            return False
        shown += chunk
        return True
    for expected, answer in dialogue:
        deadline = time.time() + 30
        while shown.find(expected.encode(), seen) < 0:
            if not read_some(deadline):
                error = "never saw the prompt %r" % expected
                break
        if error:
            break
        seen = shown.find(expected.encode(), seen) + len(expected)
        os.write(fd, (answer + "\n").encode())
    deadline = time.time() + 30
    while read_some(deadline):
        pass
    if error:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    print(json.dumps({"transcript": shown.decode("utf-8", "replace"),
                      "status": os.waitstatus_to_exitcode(status), "error": error}))
    """#

    /// Runs `ketlog arguments…` on a pty, answering each `(prompt, answer)` in turn.
    static func run(_ process: KetlogProcess, _ arguments: [String], environment: [String: String] = [:],
                    dialogue: [(String, String)]) throws -> Transcript {
        let argv = try String(decoding: JSONSerialization.data(withJSONObject: [KetlogProcess.binary!.path] + arguments), as: UTF8.self)
        let answers = try String(decoding: JSONSerialization.data(withJSONObject: dialogue.map { [$0.0, $0.1] }), as: UTF8.self)
        // The system Python: a version manager's shim may not work in the scratch HOME.
        let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? ["/usr/bin/python3"] : ["/usr/bin/env", "python3"]
        let result = try process.execute(python[0], Array(python.dropFirst()) + ["-c", driver, argv, answers],
                                         environment: process.baseEnvironment.merging(environment) { $1 })
        XCTAssertEqual(result.status, 0, "the pty driver failed: \(result.stderr)")
        return try JSONDecoder().decode(Transcript.self, from: Data(result.stdout.utf8))
    }
}
