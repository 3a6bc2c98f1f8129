internal import KetlogCrypto

/// Wraps an `AgeOutput` in age's ASCII armor: the PEM type line, padded base64 in 64-column
/// lines, and the end line. Call `finish()` after the last write.
final class ArmorWriter: AgeOutput {
    static let header = "-----BEGIN AGE ENCRYPTED FILE-----"
    static let footer = "-----END AGE ENCRYPTED FILE-----"
    static let bytesPerLine = 48

    private let sink: any AgeOutput
    private var pending: [UInt8] = []
    private var encoded: [UInt8] = []

    init(sink: any AgeOutput) {
        self.sink = sink
        encoded = Array((Self.header + "\n").utf8)
        pending.reserveCapacity(Self.bytesPerLine)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        if !pending.isEmpty {
            let take = min(Self.bytesPerLine - pending.count, bytes.count)
            pending += bytes[0..<take]
            offset = take
            guard pending.count == Self.bytesPerLine else { return }
            pending.withUnsafeBytes { encodeLine($0) }
            pending.removeAll(keepingCapacity: true)
        }
        encoded.reserveCapacity(encoded.count + (bytes.count - offset) / 3 * 4 + (bytes.count - offset) / 48 + 8)
        while bytes.count - offset >= Self.bytesPerLine {
            encodeLine(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + Self.bytesPerLine)]))
            offset += Self.bytesPerLine
        }
        pending += bytes[offset...]
        try flush()
    }

    private func encodeLine(_ line: UnsafeRawBufferPointer) {
        Base64.encode(line, padded: true, into: &encoded)
        encoded.append(UInt8(ascii: "\n"))
    }

    private func flush() throws {
        guard !encoded.isEmpty else { return }
        try encoded.withUnsafeBytes { try sink.write($0) }
        encoded.removeAll(keepingCapacity: true)
    }

    /// Writes the last short line and the end line.
    func finish() throws {
        if !pending.isEmpty { pending.withUnsafeBytes { encodeLine($0) } }
        pending.removeAll()
        encoded += Array((Self.footer + "\n").utf8)
        try flush()
    }
}
