import ArgumentParser
import Foundation
import KetlogAgent
import KetlogCrypto
import KetlogStore

/// `ketlog unlock [--for 8h] [--idle 30m]`: the passphrase once, then an agent holds the user's
/// keys for this store and later commands of the same Unix user skip the KDF.
struct UnlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Start an agent that holds your keys for this store for a shift (asks the passphrase once).",
        discussion: """
            Later commands of the same Unix user, with no passphrase source set, use the agent
            and skip the KDF. It ends at --for, after --idle unused, on `ketlog lock`, and when
            your keys change (rekey, passwd, remove). KETLOG_NO_AGENT=1 bypasses it.

            Examples:
              ketlog unlock
              ketlog unlock --for 10h --idle 45m
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("for"), help: ArgumentHelp("How long the agent lives at most (1s to 24h).", valueName: "duration"))
    var lifetime: String = "8h"

    @Option(help: ArgumentHelp("End after this long without a command (1s to 24h).", valueName: "duration"))
    var idle: String = "30m"

    func run() throws {
        let lifetime = try AgentDuration.seconds(self.lifetime, option: "--for")
        let idle = try AgentDuration.seconds(self.idle, option: "--idle")
        let environment = ProcessInfo.processInfo.environment
        let store = try global.unlock(agent: false)
        guard let keys = store.privateKeysForAgent else { throw StoreError.userPending(store.user) }
        let socket = try AgentAccess.socket(store.store, environment: environment)
        // One agent per store and Unix user: a running one (of any ketlog user) is replaced.
        if let running = try AgentClient.connect(socket) { try? running.lockAgent() }
        socket.clearEndedMarker()
        let pid = try AgentLauncher.start(AgentSetup(storePath: store.store.path, storeIDHex: try store.store.chainFacts().storeIDHex,
                                                     user: store.user, socket: socket, lifetime: lifetime, idle: idle,
                                                     privateKeys: keys.privateBytes))
        Output.line("unlocked for \(store.user) for \(AgentDuration.text(lifetime)) (idle \(AgentDuration.text(idle))): agent pid \(pid)")
    }
}

/// `ketlog lock`: ends the agent that holds this store.
struct LockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock",
        abstract: "End the agent that holds this store (no passphrase needed).",
        discussion: """
            Example:
              ketlog lock
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let store = try global.openStore()
        let socket = try AgentAccess.socket(store, environment: environment)
        socket.clearEndedMarker()
        guard let agent = try AgentClient.connect(socket) else { throw AgentError.notRunning }
        try agent.lockAgent()
        Output.line("locked: the agent of \(agent.hello.user) (pid \(agent.hello.pid)) ended")
    }
}

/// The agent itself (`ketlog unlock` starts it; not for people): reads its setup from standard
/// input, a socket pair, and serves until it ends.
struct AgentServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agent-serve", abstract: "The unlock agent (started by `ketlog unlock`).",
                                                    shouldDisplay: false)

    func run() throws {
        // Before any key exists in this process: no core dumps, no ptrace by same-uid
        // processes, and secrets in OpenSSL's locked secure heap.
        CoreDumps.disable()
        _ = SecureMemory.enable()
        let server = try AgentServer.start(setupFrom: STDIN_FILENO)
        let null = open("/dev/null", O_RDONLY)
        if null >= 0 { dup2(null, STDIN_FILENO); close(null) }
        signal(SIGHUP, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        if case .failed = server.run() { throw ExitCode.failure }
    }
}

/// `--for` and `--idle`: a whole number and a unit, s, m or h; 1 s to 24 h.
enum AgentDuration {
    static func seconds(_ text: String, option: String) throws -> Int {
        let units = ["s": 1, "m": 60, "h": 3600]
        guard let unit = text.last.flatMap({ units[String($0)] }), let value = Int(text.dropLast()), value > 0,
              value <= 86_400 / unit
        else { throw CLIError.invalidField(field: option, allowed: "a duration like 8h, 30m or 45s, from 1s to 24h") }
        return value * unit
    }

    static func text(_ seconds: Int) -> String {
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
