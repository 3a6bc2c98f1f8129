import Foundation

/// Starts the agent: this same binary, re-executed as `ketlog agent-serve`, in a session of its
/// own (`setsid`), with an empty environment, standard output and error on /dev/null, and one
/// end of a socket pair as its standard input. The setup, keys included, goes over that pair;
/// nothing secret is in the agent's arguments or environment.
public enum AgentLauncher {
    /// Starts the agent and waits until it listens; returns its pid.
    public static func start(_ setup: AgentSetup, arguments: [String] = ["agent-serve"]) throws -> Int32 {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            throw AgentError.startFailed(detail: "cannot find this program (/proc/self/exe)")
        }
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw AgentError.startFailed(detail: String(cString: strerror(errno)))
        }
        defer { close(pair[0]) }
        let pid: pid_t
        do {
            defer { close(pair[1]) }
            pid = try spawn(executable, arguments: arguments, stdin: pair[1])
        }
        setTimeouts(pair[0], seconds: 30)
        try setup.message().send(on: pair[0])
        guard let answer = try AgentMessage.receive(from: pair[0]) else {
            throw AgentError.startFailed(detail: "the agent ended before it was ready")
        }
        guard answer.code == 0 else { throw AgentError.startFailed(detail: answer.reason) }
        // The child is its session's leader; reap it if it ends while we still run (we do not).
        return pid
    }

    private static func spawn(_ executable: String, arguments: [String], stdin: Int32) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t(), empty = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU] { sigaddset(&defaults, signal) }
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        // POSIX_SPAWN_SETSID (glibc 2.26): a new session, no controlling terminal.
        let setsid: Int32 = 0x80
        posix_spawnattr_setflags(&attributes, Int16(Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK) | setsid))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, STDIN_FILENO)
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)
        // Nothing else this process holds (a caller's pipes and sockets, a store's descriptors)
        // goes to the agent, which outlives it: a caller waiting for end-of-file on one would hang.
        try closeFrom(3, &actions)

        var cArguments = ([executable] + arguments).map { strdup($0) } + [nil]
        var cEnvironment: [UnsafeMutablePointer<CChar>?] = [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, &cArguments, &cEnvironment)
        guard result == 0 else { throw AgentError.startFailed(detail: String(cString: strerror(result))) }
        return pid
    }

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34), hidden behind _GNU_SOURCE in
    /// Swift's Glibc: called through its fixed C type.
    private static func closeFrom(_ fd: Int32, _ actions: inout posix_spawn_file_actions_t) throws {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np"),
              unsafeBitCast(symbol, to: CloseFrom.self)(&actions, fd) == 0
        else { throw AgentError.startFailed(detail: "this C library cannot close descriptors for the agent (glibc 2.34 or later)") }
    }
}
