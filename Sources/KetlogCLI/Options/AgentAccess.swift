import Foundation
import KetlogAgent
import KetlogStore

/// How a command finds and uses the agent that holds its store (`ketlog unlock`).
///
/// Asked only when no passphrase source is set and `KETLOG_NO_AGENT` is not `1`. No socket: no
/// agent, the usual way (a prompt, or the no-source error) — unless the agent left word that it
/// ended because the user's keys changed, which the next command says once. A socket that is
/// not the user's alone, an agent that stops answering, or keys that changed: one clear error,
/// never a prompt or another way in. An agent holding another ketlog user is not used.
enum AgentAccess {
    static func disabled(_ environment: [String: String]) -> Bool { environment["KETLOG_NO_AGENT"] == "1" }

    /// The socket of `store`'s agent.
    static func socket(_ store: Store, environment: [String: String]) throws -> AgentSocket {
        AgentSocket(storeIDHex: try store.chainFacts().storeIDHex, environment: environment)
    }

    /// The store unlocked through its agent for `user`, or nil when no agent holds it for them.
    static func unlock(_ store: Store, user: String, environment: [String: String]) throws -> UnlockedStore? {
        guard !disabled(environment) else { return nil }
        let socket = try socket(store, environment: environment)
        guard let client = try AgentClient.connect(socket) else {
            if let ended = socket.takeEndedMarker(), ended == user { throw AgentError.keysChanged(user: user) }
            return nil
        }
        guard client.hello.user == user else { return nil }
        // The connection stays open until the process exits, after the store has been closed
        // (SQLite has checkpointed and removed the -wal): the agent then reads the slot with the
        // store at rest, and the next command's first answer needs no read (`AgentServer`).
        connection = client
        return try store.unlock(user: user, holder: client)
    }

    nonisolated(unsafe) private static var connection: AgentClient?

    /// What holds `store` for this Unix user, for `status` and `lock`; nil when nothing does.
    static func running(_ store: Store, environment: [String: String]) throws -> AgentClient? {
        try AgentClient.connect(socket(store, environment: environment))
    }
}
