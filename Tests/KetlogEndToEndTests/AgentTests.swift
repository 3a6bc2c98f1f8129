import Foundation
import XCTest

/// `ketlog unlock` and `ketlog lock`, run as the built binary: the agent that holds a user's keys
/// for a shift, its socket, its limits, and every bad case as one line. Tests run as root here;
/// a second Unix user is played by uid 65534 through `setpriv`.
final class AgentTests: XCTestCase {
    var ketlog: RecordsHarness!
    /// A short runtime directory (a socket path must fit in 108 bytes).
    var runtime: String!
    /// No passphrase source: what a command run after `unlock` has.
    let noSource = ["KETLOG_PASSWORD": ""]
    private let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups"]

    override func setUpWithError() throws {
        ketlog = try RecordsHarness()
        var template = Array("/tmp/ka-XXXXXX".utf8CString)
        runtime = try template.withUnsafeMutableBufferPointer { buffer in
            guard let made = mkdtemp(buffer.baseAddress!) else { throw ProcessRunner.Missing("mkdtemp failed") }
            return String(cString: made)
        }
        ketlog.environment["XDG_RUNTIME_DIR"] = runtime
        try ketlog.ok(["patient", "add", "P-0001", "--substance", "cocaine"])
    }

    override func tearDownWithError() throws {
        _ = try? ketlog.run(["lock"], env: noSource)
        if let runtime { try? FileManager.default.removeItem(atPath: runtime) }
    }

    private var socketDirectory: String { runtime + "/ketlog" }

    func socketPath() throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: socketDirectory).filter { $0.hasSuffix(".sock") }
        XCTAssertEqual(names.count, 1, "one socket per store: \(names)")
        return socketDirectory + "/" + (names.first ?? "none")
    }

    /// Starts the agent (the passphrase from KETLOG_PASSWORD, once) and returns its pid.
    @discardableResult
    func unlock(_ arguments: [String] = [], env: [String: String] = [:]) throws -> pid_t {
        let out = try ketlog.ok(["unlock"] + arguments, env: env)
        guard let pid = out.split(separator: " ").last.flatMap({ pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
            throw ProcessRunner.Missing("no pid in: \(out)")
        }
        XCTAssertTrue(alive(pid), "the agent \(pid) is not running")
        return pid
    }

    func alive(_ pid: pid_t) -> Bool {
        // Not a zombie either: the agent is reparented, so it is reaped by init when it ends.
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        return !stat.contains(") Z ")
    }

    func waitUntilGone(_ pid: pid_t, seconds: Double) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if !alive(pid) { return true }
            usleep(100_000)
        }
        return !alive(pid)
    }

    let scoreAdd = ["score", "add", "--patient", "P-0001", "--date", "2026-11-20", "--craving", "6", "--use-days", "18"]
    private let sessionAdd = ["session", "add", "--patient", "P-0001", "--date", "2026-11-21", "--route", "iv", "--dose-mg-per-kg", "0.5",
                              "--weight-kg", "70", "--duration-min", "40", "--practitioner", "Lee"]

    // MARK: Unlock once

    func testUnlockOnceThenCommandsNeedNoPassphraseAndEntriesAreSignedByTheUser() throws {
        let pid = try unlock()
        XCTAssertEqual(try ketlog.ok(scoreAdd, env: noSource), "sco-1\n")
        XCTAssertEqual(try ketlog.ok(sessionAdd, env: noSource), "ses-1\n")
        let report = try ketlog.ok(["report", "patient", "P-0001"], env: noSource)
        XCTAssertTrue(report.contains("P-0001"), report)
        XCTAssertTrue(try ketlog.ok(["audit", "verify"], env: noSource).hasPrefix("ok: "))
        // The agent's entries are the user's: the chain (verified above, signatures included)
        // names admin for them, and they verify with the passphrase path too.
        let log = try ketlog.ok(["audit", "log"], env: noSource)
        for action in ["score.add", "session.add"] {
            let line = log.split(separator: "\n").first { $0.contains(action) }.map(String.init) ?? ""
            XCTAssertTrue(line.contains(" admin "), "\(action) not by admin: \(log)")
        }
        XCTAssertTrue(try ketlog.ok(["audit", "verify"]).hasPrefix("ok: "), "verified with the passphrase too")
        let status = try ketlog.ok(["status"], env: noSource)
        XCTAssertTrue(status.contains("agent:    holds admin (pid \(pid),"), status)
        // Bypassed: the usual no-source refusal.
        try ketlog.refuse(scoreAdd, status: 64, field: "no terminal to ask for the store passphrase",
                          env: noSource.merging(["KETLOG_NO_AGENT": "1"]) { $1 })
        XCTAssertTrue(try ketlog.ok(["status"], env: ["KETLOG_NO_AGENT": "1"]).contains("agent:    not asked (KETLOG_NO_AGENT=1)"))
    }

    /// A checkpoint is deterministic for a given chain (Ed25519 is deterministic): signed by the
    /// agent or with the passphrase, it is the same bytes, so both sign as the same key.
    func testCheckpointSignedThroughTheAgentIsByteForByteTheSame() throws {
        try ketlog.ok(scoreAdd)
        let withPassphrase = try ketlog.ok(["audit", "checkpoint"])
        try unlock()
        let throughAgent = try ketlog.ok(["audit", "checkpoint"], env: noSource)
        XCTAssertFalse(throughAgent.isEmpty)
        XCTAssertEqual(throughAgent, withPassphrase)
    }

    // MARK: Ends

    func testLockEndsTheAgentThenACommandIsRefused() throws {
        let pid = try unlock()
        XCTAssertTrue(try ketlog.ok(["lock"], env: noSource).hasPrefix("locked: the agent of admin (pid \(pid)) ended"))
        XCTAssertTrue(waitUntilGone(pid, seconds: 5))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: socketDirectory).filter { $0.hasSuffix(".sock") }, [])
        try ketlog.refuse(scoreAdd, status: 64, field: "no terminal to ask for the store passphrase", env: noSource)
        try ketlog.refuse(["lock"], status: 66, field: "no agent holds this store", env: noSource)
    }

    func testIdleAgentEnds() throws {
        let pid = try unlock(["--idle", "2s"])
        sleep(5)
        XCTAssertFalse(alive(pid), "the agent outlived --idle 2s")
        XCTAssertTrue(try ketlog.ok(["status"], env: noSource).contains("agent:    none"))
        try ketlog.refuse(scoreAdd, status: 64, field: "no terminal to ask for the store passphrase", env: noSource)
    }

    func testDurationsAreChecked() throws {
        for (option, value) in [("--for", "3d"), ("--for", "25h"), ("--idle", "0m"), ("--idle", "ten")] {
            try ketlog.refuse(["unlock", option, value], status: 65, field: option)
            let result = try ketlog.run(["unlock", option, value])
            XCTAssertTrue(result.stderr.contains("a duration like 8h, 30m or 45s, from 1s to 24h"), result.stderr)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: runtime), [], "no agent started")
    }

    // MARK: Other Unix users

    /// A raw client, in Python, run as another uid: connects, then reads what the agent says first.
    private func peer(_ socket: String) throws -> RecordsHarness.Result {
        let script = ketlog.directory.appendingPathComponent("peer.py").path
        try """
        import socket, struct, sys
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(sys.argv[1])
        except OSError as e:
            print("connect failed errno", e.errno); sys.exit(0)
        s.settimeout(5)
        data = b""
        try:
            while True:
                chunk = s.recv(4096)
                if not chunk: break
                data += chunk
        except socket.timeout:
            print("no answer"); sys.exit(0)
        print("answer code", data[5] if len(data) > 5 else None, data[10:].decode(errors="replace"))
        """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o644)
        chmod(ketlog.directory.path, 0o755)
        return try RecordsHarness.execute("/usr/bin/setpriv", nobody + ["/usr/bin/python3", script, socket], environment: [:],
                                          scratch: ketlog.directory)
    }

    func testAnotherUnixUserCannotTalkToTheAgent() throws {
        try unlock()
        let socket = try socketPath()
        XCTAssertEqual(try ketlog.run(["status"], env: noSource).status, 0)
        // As it is: the 0700 directory and the 0600 socket keep uid 65534 out.
        let denied = try peer(socket)
        XCTAssertEqual(denied.stdout, "connect failed errno \(EACCES)\n", denied.stderr)
        // Opened up on purpose, the agent itself refuses the peer by its uid (SO_PEERCRED).
        chmod(runtime, 0o711)
        chmod(socketDirectory, 0o711)
        chmod(socket, 0o666)
        let refused = try peer(socket)
        XCTAssertEqual(refused.stdout, "answer code 2 peer uid 65534 is not the agent's uid 0\n", refused.stderr)
        chmod(socket, 0o600)
        chmod(socketDirectory, 0o700)
        // The agent still serves its own user.
        XCTAssertEqual(try ketlog.ok(scoreAdd, env: noSource), "sco-1\n")
    }

    func testUnsafeSocketOrDirectoryIsRefusedInOneLine() throws {
        try unlock()
        let socket = try socketPath()
        chmod(socket, 0o666)
        try ketlog.refuse(scoreAdd, status: 77, field: "refusing the agent socket \(socket): mode 0666, not 0600", env: noSource)
        chmod(socket, 0o600)
        chown(socket, 65534, 65534)
        try ketlog.refuse(scoreAdd, status: 77, field: "refusing the agent socket \(socket): owned by uid 65534, not you", env: noSource)
        chown(socket, 0, 0)
        chmod(socketDirectory, 0o755)
        try ketlog.refuse(scoreAdd, status: 77, field: "refusing the agent directory \(socketDirectory): mode 0755, not 0700",
                          env: noSource)
        // A passphrase source set: the agent is not asked at all.
        XCTAssertEqual(try ketlog.ok(scoreAdd), "sco-1\n")
        chmod(socketDirectory, 0o700)
        XCTAssertEqual(try ketlog.ok(scoreAdd, env: noSource), "sco-2\n")
    }

    // MARK: Secrets

    func testNoPassphraseInTheAgentsArgumentsOrEnvironment() throws {
        let secret = "agent-secret-passphrase-Zq7"
        try ketlog.ok(["user", "add", "carol", "--role", "clinician"], env: ["KETLOG_NEW_PASSWORD": secret])
        let pid = try unlock(env: ["KETLOG_USER": "carol", "KETLOG_PASSWORD": secret])
        let ps = try RecordsHarness.execute("/bin/ps", ["-o", "args=", "-p", String(pid)], scratch: ketlog.directory)
        XCTAssertTrue(ps.stdout.contains("agent-serve"), ps.stdout)
        XCTAssertFalse(ps.stdout.contains(secret))
        let environ = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))
        XCTAssertEqual(environ.count, 0, "the agent's environment is empty")
        XCTAssertNil(environ.range(of: Data(secret.utf8)))
        let cmdline = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))
        XCTAssertNil(cmdline.range(of: Data(secret.utf8)))
        // The agent holds carol, and serves carol only.
        XCTAssertEqual(try ketlog.ok(scoreAdd, env: ["KETLOG_USER": "carol", "KETLOG_PASSWORD": ""]), "sco-1\n")
        try ketlog.refuse(scoreAdd, status: 64, field: "no terminal to ask for the store passphrase",
                          env: ["KETLOG_USER": "admin", "KETLOG_PASSWORD": ""])
    }

    /// What is observable as root: the lock (VmLck, OpenSSL's secure heap), no core file
    /// (RLIMIT_CORE 0). Root can still read /proc/<pid>/mem (CAP_SYS_PTRACE): not claimed.
    func testAgentMemoryIsLockedAndCoreDumpsAreOff() throws {
        let pid = try unlock()
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let locked = status.split(separator: "\n").first { $0.hasPrefix("VmLck:") }
            .flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ")[0]) } ?? 0
        XCTAssertGreaterThan(locked, 0, status)
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        let core = limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") }.map(String.init) ?? ""
        XCTAssertEqual(core.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2), ["0", "0"], core)
    }

    /// Non-dumpable (PR_SET_DUMPABLE 0), observed on an agent of uid 65534: the kernel gives its
    /// /proc files to root, and a process of the same uid cannot ptrace it, while it can an
    /// ordinary process of that uid.
    func testAgentOfAnotherUserIsNotDumpable() throws {
        var template = Array("/tmp/kn-XXXXXX".utf8CString)
        let home = try template.withUnsafeMutableBufferPointer { buffer in
            guard let made = mkdtemp(buffer.baseAddress!) else { throw ProcessRunner.Missing("mkdtemp failed") }
            return String(cString: made)
        }
        defer { try? FileManager.default.removeItem(atPath: home) }
        chown(home, 65534, 65534)
        let env = ["HOME": home, "XDG_RUNTIME_DIR": home + "/r", "KETLOG_STORE": home + "/k.db", "KETLOG_PASSWORD": "nobody-pass",
                   "PATH": "/usr/bin:/bin"]
        let binary = try RecordsHarness.binary().path
        func asNobody(_ arguments: [String]) throws -> RecordsHarness.Result {
            try RecordsHarness.execute("/usr/bin/setpriv", nobody + ["/usr/bin/setsid", "-w", binary] + arguments, environment: env,
                                       scratch: URL(fileURLWithPath: home))
        }
        XCTAssertEqual(try asNobody(["init", "--admin", "nob", "--kdf-work-factor", "10"]).status, 0)
        let unlocked = try asNobody(["unlock", "--for", "1m"])
        XCTAssertEqual(unlocked.status, 0, unlocked.stderr)
        guard let pid = unlocked.stdout.split(separator: " ").last.flatMap({ pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        else { return XCTFail("no pid: \(unlocked.stdout)") }
        defer { _ = try? asNobody(["lock"]) }
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        sleeper.arguments = nobody + ["/bin/sleep", "30"]
        try sleeper.run()
        defer { sleeper.terminate() }
        usleep(200_000)
        var info = stat()
        XCTAssertEqual(stat("/proc/\(sleeper.processIdentifier)/status", &info), 0)
        XCTAssertEqual(info.st_uid, 65534, "an ordinary process of uid 65534 owns its /proc files")
        XCTAssertEqual(stat("/proc/\(pid)/status", &info), 0)
        XCTAssertEqual(info.st_uid, 0, "the agent is dumpable: its /proc files belong to its uid")
        // ptrace(PTRACE_ATTACH) from uid 65534: allowed on the sleeper, refused on the agent.
        let script = home + "/attach.py"
        try """
        import ctypes, sys
        libc = ctypes.CDLL(None, use_errno=True)
        pid = int(sys.argv[1])
        if libc.ptrace(16, pid, None, None) == 0:
            libc.ptrace(17, pid, None, None); print("attached")
        else:
            print("refused errno", ctypes.get_errno())
        """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o644)
        let control = try RecordsHarness.execute("/usr/bin/setpriv", nobody + ["/usr/bin/python3", script, String(sleeper.processIdentifier)],
                                                 environment: [:], scratch: URL(fileURLWithPath: home))
        XCTAssertEqual(control.stdout, "attached\n", control.stderr)
        let agent = try RecordsHarness.execute("/usr/bin/setpriv", nobody + ["/usr/bin/python3", script, String(pid)], environment: [:],
                                               scratch: URL(fileURLWithPath: home))
        XCTAssertEqual(agent.stdout, "refused errno \(EPERM)\n", agent.stderr)
    }

    // MARK: Keys that change

    func testRekeyEndsTheAgentAndTheNextCommandSaysSo() throws {
        let pid = try unlock()
        XCTAssertEqual(try ketlog.ok(scoreAdd, env: noSource), "sco-1\n")
        // The rekey itself goes through the agent (it signs the rekey entry).
        XCTAssertTrue(try ketlog.ok(["rekey"], env: noSource).hasPrefix("rekeyed:"))
        XCTAssertTrue(try ketlog.ok(["audit", "verify"]).hasPrefix("ok: "))
        try ketlog.refuse(scoreAdd, status: 77, field: "the agent for this store ended because the keys of admin changed", env: noSource)
        XCTAssertTrue(waitUntilGone(pid, seconds: 5))
        // Said once; then the usual way.
        try ketlog.refuse(scoreAdd, status: 64, field: "no terminal to ask for the store passphrase", env: noSource)
        XCTAssertEqual(try ketlog.ok(scoreAdd), "sco-2\n")
    }

    /// The agent reads the slot before the first answer on each connection, whatever that first
    /// request is: a client that skips `hello` and asks for a signature right after the keys
    /// changed is told so, and nothing is signed.
    func testAConnectionWhoseFirstRequestIsNotHelloIsCheckedAgainstTheSlot() throws {
        let script = ketlog.directory.appendingPathComponent("first-request.py").path
        try """
        import os, socket, struct, sys, time
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(sys.argv[1])
        while not os.path.exists(sys.argv[2]): time.sleep(0.001)
        note = b"ketlog/forged checkpoint\\n"
        body = bytes([1, 4]) + struct.pack(">I", len(note)) + note
        s.sendall(struct.pack(">I", len(body)) + body)
        s.settimeout(5)
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk: break
            data += chunk
            if len(data) >= 4 and len(data) >= 4 + struct.unpack(">I", data[:4])[0]: break
        print("answer code", data[5] if len(data) > 5 else None)
        """.write(toFile: script, atomically: true, encoding: .utf8)
        // The agent's own two-second check may end it between the change and the request: then
        // the client finds no answer, which proves nothing either way, and the case is run again.
        for attempt in 1...3 {
            func passphrase(_ n: Int) -> String { n == 0 ? RecordsHarness.adminPassword : "new admin passphrase \(n)" }
            let pid = try unlock(env: ["KETLOG_PASSWORD": passphrase(attempt - 1)])
            let go = ketlog.directory.appendingPathComponent("go-\(attempt)").path
            let client = Process()
            client.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            client.arguments = [script, try socketPath(), go]
            let output = Pipe()
            client.standardOutput = output
            try client.run()
            usleep(200_000)  // connected, no request yet
            try ketlog.ok(["user", "passwd"], env: ["KETLOG_PASSWORD": passphrase(attempt - 1), "KETLOG_NEW_PASSWORD": passphrase(attempt)])
            FileManager.default.createFile(atPath: go, contents: nil)
            client.waitUntilExit()
            let answer = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            XCTAssertTrue(waitUntilGone(pid, seconds: 5), "the agent outlived the passwd")
            if answer == "answer code None\n" { continue }
            XCTAssertEqual(answer, "answer code 1\n", "keys changed (1), not a signature (0)")
            return
        }
        XCTFail("the agent's timer won the race three times")
    }

    /// The agent reads the slot after each command and skips the read at the next one when
    /// nothing has been written since. A passphrase change between two commands is a write: the
    /// next command is told, not served with the keys of before. (The agent's own two-second
    /// read may find the change first; the command is told the same either way.)
    func testAPassphraseChangeBetweenTwoCommandsIsSeenByTheNextOne() throws {
        try unlock()
        XCTAssertEqual(try ketlog.ok(scoreAdd, env: noSource), "sco-1\n")
        XCTAssertEqual(try ketlog.ok(scoreAdd, env: noSource), "sco-2\n")
        try ketlog.ok(["user", "passwd"], env: ["KETLOG_NEW_PASSWORD": "new-admin-pass"])
        try ketlog.refuse(scoreAdd, status: 77, field: "the agent for this store ended because the keys of admin changed", env: noSource)
        XCTAssertEqual(try ketlog.ok(scoreAdd, env: ["KETLOG_PASSWORD": "new-admin-pass"]), "sco-3\n")
    }

    func testPasswdEndsTheAgentEvenWithoutACommandAsking() throws {
        let pid = try unlock()
        // One's own passwd needs the passphrase, never the agent.
        try ketlog.refuse(["user", "passwd"], status: 64, field: "no terminal to ask for the store passphrase",
                          env: noSource.merging(["KETLOG_NEW_PASSWORD": "new-admin-pass"]) { $1 })
        try ketlog.ok(["user", "passwd"], env: ["KETLOG_NEW_PASSWORD": "new-admin-pass"])
        // The agent reads the slot every two seconds: it ends on its own and leaves word.
        XCTAssertTrue(waitUntilGone(pid, seconds: 6), "the agent outlived the passwd")
        try ketlog.refuse(scoreAdd, status: 77, field: "the agent for this store ended because the keys of admin changed", env: noSource)
    }

    func testAgentGoneMidCommandFailsInOneLineAndWritesNothing() throws {
        XCTAssertEqual(try ketlog.ok(sessionAdd), "ses-1\n")
        let pid = try unlock()
        // The "editor" kills the agent after the command unlocked and before it signs.
        let editor = ketlog.directory.appendingPathComponent("editor.sh").path
        try "#!/bin/sh\nkill -KILL \(pid)\nsleep 0.5\necho 'counselor notes' > \"$1\"\n".write(toFile: editor, atomically: true, encoding: .utf8)
        chmod(editor, 0o755)
        try ketlog.refuse(["session", "amend", "ses-1", "--reason", "notes", "--edit-notes"], status: 74,
                          field: "the agent stopped answering during the command", env: noSource.merging(["EDITOR": editor]) { $1 })
        XCTAssertFalse(alive(pid))
    }
}

extension AgentTests {
    /// One agent per store and Unix user: a second `unlock` replaces the first.
    func testASecondUnlockReplacesTheAgent() throws {
        let first = try unlock()
        let second = try unlock(["--for", "2h"])
        XCTAssertNotEqual(first, second)
        XCTAssertTrue(waitUntilGone(first, seconds: 5), "the first agent still runs")
        XCTAssertTrue(alive(second))
        _ = try socketPath()
        XCTAssertEqual(try ketlog.ok(scoreAdd, env: noSource), "sco-1\n")
    }
}
