import Foundation

/// One message of the agent protocol (version 1), either way over the Unix socket:
///
///     length (u32, big-endian, of what follows) ‖ version (u8 = 1) ‖ code (u8) ‖ fields
///
/// where each field is `length (u32 BE) ‖ bytes`. A request's code is its operation; an answer's
/// is 0 (ok, then the results) or an `AgentMessage.Failure` (then one field: a reason in UTF-8;
/// for `keysChanged`, the user's name).
/// A message is at most 1 MiB. Secrets in a message (the data key in an `unwrap` answer, the
/// private keys in the start-up message) are wiped from the buffers that carried them.
struct AgentMessage {
    static let version: UInt8 = 1
    static let maximumLength = 1 << 20

    /// Requests.
    enum Operation: UInt8 {
        /// → user name, X25519 public key, Ed25519 public key, pid, end time (Unix s), idle limit (s).
        case hello = 1
        /// wrap, user name → the data key.
        case unwrap = 2
        /// message (starting with the audit context) → Ed25519 signature.
        case signAuditEntry = 3
        /// checkpoint text (starting with `ketlog/`) → Ed25519 signature.
        case signNote = 4
        /// → nothing; the agent ends.
        case lock = 5
    }

    /// Answer codes other than 0.
    enum Failure: UInt8 {
        case keysChanged = 1
        case refused = 2
        case badRequest = 3
    }

    var code: UInt8
    var fields: [[UInt8]]

    init(code: UInt8, fields: [[UInt8]] = []) {
        (self.code, self.fields) = (code, fields)
    }

    init(_ operation: Operation, _ fields: [[UInt8]] = []) {
        self.init(code: operation.rawValue, fields: fields)
    }

    static func failure(_ failure: Failure, _ reason: String) -> AgentMessage {
        AgentMessage(code: failure.rawValue, fields: [Array(reason.utf8)])
    }

    func encoded() -> [UInt8] {
        var body: [UInt8] = [Self.version, code]
        for field in fields {
            Self.appendLength(field.count, to: &body)
            body += field
        }
        var frame: [UInt8] = []
        frame.reserveCapacity(4 + body.count)
        Self.appendLength(body.count, to: &frame)
        frame += body
        wipe(&body)
        return frame
    }

    private static func appendLength(_ count: Int, to bytes: inout [UInt8]) {
        let value = UInt32(count)
        bytes += [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
                  UInt8(truncatingIfNeeded: value)]
    }

    /// Parses a message body (after its length); nil when malformed. Throws `versionMismatch`.
    static func decode(_ body: [UInt8]) throws -> AgentMessage? {
        guard body.count >= 2 else { return nil }
        guard body[0] == version else { throw AgentError.versionMismatch(found: body[0]) }
        var fields: [[UInt8]] = []
        var index = 2
        while index < body.count {
            guard body.count - index >= 4 else { return nil }
            let count = body[index..<index + 4].reduce(0) { $0 << 8 | Int($1) }
            index += 4
            guard body.count - index >= count else { return nil }
            fields.append(Array(body[index..<index + count]))
            index += count
        }
        return AgentMessage(code: body[1], fields: fields)
    }

    /// Sends this message on `fd` (all of it; no SIGPIPE).
    func send(on fd: Int32) throws {
        var frame = encoded()
        defer { wipe(&frame) }
        var sent = 0
        while sent < frame.count {
            let result = frame.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { throw AgentError.gone(detail: String(cString: strerror(errno))) }
            sent += result
        }
    }

    /// Reads one message from `fd`; nil at a clean end of stream before any byte.
    static func receive(from fd: Int32) throws -> AgentMessage? {
        guard var header = try readExactly(4, from: fd, endAllowed: true) else { return nil }
        let count = header.reduce(0) { $0 << 8 | Int($1) }
        wipe(&header)
        guard count >= 2, count <= maximumLength else { throw AgentError.gone(detail: "a malformed message") }
        guard var body = try readExactly(count, from: fd, endAllowed: false) else { throw AgentError.gone(detail: "end of stream") }
        defer { wipe(&body) }
        guard let message = try decode(body) else { throw AgentError.gone(detail: "a malformed message") }
        return message
    }

    private static func readExactly(_ count: Int, from fd: Int32, endAllowed: Bool) throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let result = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, count - done) }
            if result < 0 && errno == EINTR { continue }
            if result == 0 {
                if done == 0 && endAllowed { return nil }
                throw AgentError.gone(detail: "the connection closed")
            }
            guard result > 0 else {
                let detail = errno == EAGAIN || errno == EWOULDBLOCK ? "no answer in time" : String(cString: strerror(errno))
                throw AgentError.gone(detail: detail)
            }
            done += result
        }
        return buffer
    }

    /// The reason of a failure answer.
    var reason: String { fields.first.map { String(decoding: $0, as: UTF8.self) } ?? "no reason given" }
}

/// Zeroes a plain buffer that held secret bytes (best effort, like `SecureBytes`) with
/// `explicit_bzero`, which the optimiser may not drop.
func wipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { buffer in
        guard let base = buffer.baseAddress else { return }
        explicit_bzero(base, buffer.count)
    }
}

/// Sets a receive and send timeout on a socket.
func setTimeouts(_ fd: Int32, seconds: Int) {
    var value = timeval(tv_sec: seconds, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
}
