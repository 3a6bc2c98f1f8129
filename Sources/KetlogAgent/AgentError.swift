import Foundation

/// Everything that goes wrong between a command and the unlock agent; `KetlogCLI/Errors` words
/// each as one line. No case carries a key or a passphrase.
public enum AgentError: Error, Sendable, Equatable {
    /// The socket, or its directory, is not this user's alone: owner `owner`, mode `mode`
    /// (`what` is "socket" or "directory"). Nothing was sent to it.
    case unsafeSocket(path: String, what: String, owner: UInt32, mode: UInt32)
    /// The agent stopped answering in the middle of a command (it ended, or was killed).
    case gone(detail: String)
    /// The agent ended, or refused, because `user`'s keys changed (rekey, passwd, remove).
    case keysChanged(user: String)
    /// The agent refused the request (a peer of another uid, a message it does not sign).
    case refused(reason: String)
    /// The agent speaks another protocol version (a ketlog of another version started it).
    case versionMismatch(found: UInt8)
    /// No agent holds the store (for `ketlog lock`).
    case notRunning
    /// The agent could not be started, or said it could not (its reason).
    case startFailed(detail: String)
}
