import Foundation
import KetlogCrypto

/// What `ketlog unlock` hands the agent it starts, over the socket pair that is the agent's
/// standard input (never in its arguments or environment): the store, the user, the limits, and
/// the user's private keys (64 bytes, `UserKeys.privateBytes`). The agent answers `ready` with
/// its pid, or a failure with its reason.
public struct AgentSetup: Sendable {
    public let storePath: String
    public let storeIDHex: String
    public let user: String
    public let socket: AgentSocket
    /// Seconds from the start until the agent ends.
    public let lifetime: Int
    /// Seconds without a request after which it ends.
    public let idle: Int
    let privateKeys: SecureBytes

    public init(storePath: String, storeIDHex: String, user: String, socket: AgentSocket, lifetime: Int, idle: Int,
                privateKeys: SecureBytes) {
        (self.storePath, self.storeIDHex, self.user, self.socket) = (storePath, storeIDHex, user, socket)
        (self.lifetime, self.idle, self.privateKeys) = (lifetime, idle, privateKeys)
    }

    func message() -> AgentMessage {
        AgentMessage(code: 0, fields: [Array(storePath.utf8), Array(storeIDHex.utf8), Array(user.utf8), Array(socket.directory.utf8),
                                       Array(String(lifetime).utf8), Array(String(idle).utf8), privateKeys.unsafeArray])
    }

    /// Reads the start-up message from `fd` (the agent's end of the pair).
    static func receive(from fd: Int32) throws -> AgentSetup {
        guard var message = try AgentMessage.receive(from: fd), message.fields.count == 7 else {
            throw AgentError.startFailed(detail: "no start-up message")
        }
        defer { for index in message.fields.indices { wipe(&message.fields[index]) } }
        let text = message.fields[0..<6].map { String(decoding: $0, as: UTF8.self) }
        guard let lifetime = Int(text[4]), let idle = Int(text[5]), message.fields[6].count == 64 else {
            throw AgentError.startFailed(detail: "a malformed start-up message")
        }
        return AgentSetup(storePath: text[0], storeIDHex: text[1], user: text[2],
                          socket: AgentSocket(directory: text[3], storeIDHex: text[1]), lifetime: lifetime, idle: idle,
                          privateKeys: SecureBytes(message.fields[6]))
    }
}
