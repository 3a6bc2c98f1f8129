import Foundation

/// Programs ketlog starts (`$EDITOR`, a password command), with `posix_spawn`: Foundation's
/// `Process` puts its child in a new process group, where an editor that touches the terminal
/// is stopped by SIGTTOU/SIGTTIN and the command hangs.
///
/// The child gets the scrubbed environment (`ChildEnvironment`), default dispositions for the
/// signals ketlog ignores or catches, and an empty signal mask.
struct ChildProcess {
    let pid: pid_t

    /// Starts `/bin/sh -c script name arguments…`. `newProcessGroup` makes the child the leader
    /// of its own group (so the whole pipeline can be killed); otherwise it stays in ketlog's,
    /// which is the terminal's foreground group when ketlog runs in the foreground.
    /// `stdoutTo` replaces the child's stdout with that descriptor.
    static func spawnShell(_ script: String, arguments: [String] = [], newProcessGroup: Bool,
                           stdoutTo: Int32? = nil, closing: [Int32] = []) throws -> ChildProcess {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t(), empty = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU] { sigaddset(&defaults, signal) }
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdoutTo { posix_spawn_file_actions_adddup2(&actions, stdoutTo, STDOUT_FILENO) }
        for fd in closing { posix_spawn_file_actions_addclose(&actions, fd) }

        let argv = ["/bin/sh", "-c", script] + arguments
        let environment = ChildEnvironment.scrubbed.map { "\($0.key)=\($0.value)" }
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &cArguments, &cEnvironment)
        guard result == 0 else { throw SpawnFailure(errno: result) }
        return ChildProcess(pid: pid)
    }

    /// Waits for the child; returns its exit status, or 128 + the signal that ended it.
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        return Self.exitStatus(status)
    }

    /// The child's status if it has ended, without waiting.
    func poll() -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        return result == pid ? Self.exitStatus(status) : nil
    }

    static func exitStatus(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// `posix_spawn` failed with this error number.
    struct SpawnFailure: Error { let errno: Int32 }
}
