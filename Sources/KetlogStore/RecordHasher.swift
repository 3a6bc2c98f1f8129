import KetlogCrypto

/// The audit trail's hash of the record versions one write created: SHA-256 over each sealed
/// blob prefixed by its length (8 bytes, big-endian), in the order the entry lists them.
final class RecordHasher {
    private let sha: SHA256

    init() throws { sha = try SHA256() }

    func add(_ blob: UnsafeRawBufferPointer) throws {
        try withUnsafeBytes(of: UInt64(blob.count).bigEndian) { try sha.update($0) }
        try sha.update(blob)
    }

    func finalize() throws -> [UInt8] { try sha.finalize() }
}
