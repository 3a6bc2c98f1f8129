/// A transparency-log checkpoint body (c2sp.org/tlog-checkpoint): the origin line, the tree
/// size in decimal, the base64 root hash, then optional extension lines, each ending in a newline.
///
/// This is only the note text: sign `body` with `SignedNote(text:signer:)`, and read one back
/// only from the `text` of a note whose `verify(with:)` succeeded. ketlog's audit checkpoints
/// use origin `ketlog/<store id in hex>`, the entry count and the head hash.
public struct Checkpoint: Sendable, Equatable {
    /// A SHA-256 Merkle or chain head.
    public static let rootHashLength = 32

    public let origin: String
    public let treeSize: UInt64
    public let rootHash: [UInt8]
    /// Opaque lines after the root hash; the specification does not recommend them.
    public let extensionLines: [String]

    /// Throws `malformedCheckpoint` when the origin or an extension line is empty or holds a
    /// control character (a newline included), or the root hash is not 32 bytes.
    public init(origin: String, treeSize: UInt64, rootHash: [UInt8], extensionLines: [String] = []) throws {
        guard Self.isValidLine(origin), rootHash.count == Self.rootHashLength, extensionLines.allSatisfy(Self.isValidLine)
        else { throw CryptoError.malformedCheckpoint }
        self.origin = origin
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.extensionLines = extensionLines
    }

    /// Parses a body. Throws `malformedCheckpoint` unless it is at least three non-empty lines,
    /// each ending in a newline, with a tree size of decimal digits without leading zeros that
    /// fits in 64 bits, and a root hash in canonical padded base64 of 32 bytes.
    public init(parsing body: String) throws {
        // Bytes, not Characters: "\r\n" is one Character in Swift and would hide the newline.
        let bytes = Array(body.utf8)
        guard bytes.last == UInt8(ascii: "\n") else { throw CryptoError.malformedCheckpoint }
        let lines = bytes.dropLast().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard lines.count >= 3, let treeSize = Self.parseTreeSize(lines[1]),
              let rootHash = Base64.decode(lines[2], padded: true)
        else { throw CryptoError.malformedCheckpoint }
        try self.init(origin: lines[0], treeSize: treeSize, rootHash: rootHash, extensionLines: Array(lines[3...]))
    }

    /// The note text: every line ends in a newline.
    public var body: String {
        ([origin, String(treeSize), Base64.encode(rootHash, padded: true)] + extensionLines).map { $0 + "\n" }.joined()
    }

    private static func isValidLine(_ line: String) -> Bool {
        !line.isEmpty && line.unicodeScalars.allSatisfy { $0.value >= 0x20 }
    }

    /// "0", or ASCII digits not starting with 0, within UInt64.
    private static func parseTreeSize(_ text: String) -> UInt64? {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              digits == [UInt8(ascii: "0")] || digits[0] != UInt8(ascii: "0")
        else { return nil }
        return UInt64(text)
    }
}
