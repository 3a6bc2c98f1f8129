import Foundation
import KetlogCrypto
import KetlogStore

/// A command's connection to the agent of its store: it checks the socket and its directory
/// first (`AgentSocket.checkSocket`), then holds one connection for the whole command. It is the
/// `UserKeyHolder` the store unlocks with: the agent unwraps the data key and signs; the private
/// keys never leave it. Any failure after the connection is made is an `AgentError`, never a
/// quiet fallback to another way of unlocking.
public final class AgentClient: UserKeyHolder, @unchecked Sendable {
    /// What the agent said about itself.
    public struct Hello: Sendable {
        public let user: String
        public let agreementPublic: [UInt8]
        public let signingPublic: [UInt8]
        public let pid: Int32
        /// When it ends at the latest.
        public let ends: Date
        /// Seconds unused after which it ends.
        public let idle: Int
    }

    public let hello: Hello
    private let fd: Int32
    private let lock = NSLock()

    /// Connects to the agent of `socket`; nil when there is none (no socket, or no one listening
    /// on a stale one). Throws `unsafeSocket` for a socket or directory that is not this user's
    /// alone, before anything is sent.
    public static func connect(_ socket: AgentSocket) throws -> AgentClient? {
        guard try socket.checkSocket(), var address = socket.address() else { return nil }
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        setTimeouts(fd, seconds: 30)
        do {
            let fields = try exchange(fd, AgentMessage(.hello))
            guard fields.count == 6, let pid = Int32(String(decoding: fields[3], as: UTF8.self)),
                  let ends = Int(String(decoding: fields[4], as: UTF8.self)), let idle = Int(String(decoding: fields[5], as: UTF8.self))
            else { throw AgentError.gone(detail: "a malformed answer") }
            return AgentClient(fd: fd, hello: Hello(user: String(decoding: fields[0], as: UTF8.self), agreementPublic: fields[1],
                                                    signingPublic: fields[2], pid: pid,
                                                    ends: Date(timeIntervalSince1970: TimeInterval(ends)), idle: idle))
        } catch {
            close(fd)
            throw error
        }
    }

    private init(fd: Int32, hello: Hello) {
        (self.fd, self.hello) = (fd, hello)
    }

    deinit { close(fd) }

    /// Sends `request` and returns the answer's fields, or throws what the agent said.
    private static func exchange(_ fd: Int32, _ request: AgentMessage) throws -> [[UInt8]] {
        try request.send(on: fd)
        guard let answer = try AgentMessage.receive(from: fd) else { throw AgentError.gone(detail: "the connection closed") }
        switch answer.code {
        case 0: return answer.fields
        case AgentMessage.Failure.keysChanged.rawValue: throw AgentError.keysChanged(user: answer.reason)
        default: throw AgentError.refused(reason: answer.reason)
        }
    }

    private func request(_ operation: AgentMessage.Operation, _ fields: [[UInt8]] = []) throws -> [[UInt8]] {
        lock.lock()
        defer { lock.unlock() }
        return try Self.exchange(fd, AgentMessage(operation, fields))
    }

    public var agreementPublic: [UInt8] { hello.agreementPublic }
    public var signingPublic: [UInt8] { hello.signingPublic }

    public func unwrapDataKey(_ wrap: [UInt8], userName: String) throws -> SecureBytes {
        var fields = try request(.unwrap, [wrap, Array(userName.utf8)])
        defer { for index in fields.indices { wipe(&fields[index]) } }
        guard fields.count == 1, fields[0].count == 32 else { throw AgentError.gone(detail: "a malformed answer") }
        return SecureBytes(fields[0])
    }

    public func signAuditEntry(_ message: [UInt8]) throws -> [UInt8] {
        try signature(try request(.signAuditEntry, [message]))
    }

    public func signNote(_ text: String) throws -> [UInt8] {
        try signature(try request(.signNote, [Array(text.utf8)]))
    }

    private func signature(_ fields: [[UInt8]]) throws -> [UInt8] {
        guard fields.count == 1, fields[0].count == Ed25519PrivateKey.signatureLength else {
            throw AgentError.gone(detail: "a malformed answer")
        }
        return fields[0]
    }

    /// Ends the agent.
    public func lockAgent() throws {
        _ = try request(.lock)
    }
}
