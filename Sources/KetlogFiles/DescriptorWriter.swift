import Foundation

/// Buffered writes to a file descriptor with `write(2)` loops (partial writes and EINTR
/// handled). The caller owns the descriptor.
public struct DescriptorWriter {
    public let fd: Int32
    private var buffer: [UInt8] = []
    private let capacity: Int

    public init(fd: Int32, capacity: Int = 64 * 1024) {
        self.fd = fd
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    /// Appends bytes; writes the buffer out when it is full. Throws the errno of a failed write.
    public mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity {
            try Self.writeAll(fd, bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    public mutating func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { bytes throws in try write(bytes) }
    }

    /// Writes out what is buffered.
    public mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        try buffer.withUnsafeBufferPointer { bytes throws in try Self.writeAll(fd, bytes) }
    }

    /// Writes every byte, retrying after EINTR and partial writes.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard var next = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = Foundation.write(fd, next, left)
            if written < 0 {
                if errno == EINTR { continue }
                throw DescriptorWriteError(errno: errno)
            }
            next += written
            left -= written
        }
    }
}

/// A failed `write(2)`: its errno.
public struct DescriptorWriteError: Error, Equatable, Sendable {
    public let errno: Int32
    public var detail: String { String(cString: strerror(errno)) }
}
