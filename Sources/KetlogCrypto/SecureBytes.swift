internal import COpenSSL

/// Secret bytes (keys, passphrases) held in memory that is wiped when the last copy is released.
///
/// Copies share one buffer; the buffer is zeroed with `OPENSSL_cleanse` in `deinit`. It lives in
/// OpenSSL's locked secure heap when the process turned that on (`SecureMemory`, the agent). This is
/// best effort: Swift may have copied bytes elsewhere before they reached this type.
public struct SecureBytes: Sendable, Equatable {
    private final class Storage: @unchecked Sendable {
        let pointer: UnsafeMutableRawBufferPointer

        init(count: Int) {
            // In OpenSSL's secure heap when a process turned it on (`SecureMemory`), else malloc;
            // zeroed either way.
            guard let base = CRYPTO_secure_zalloc(max(count, 1), nil, 0) else { fatalError("out of memory for a secret") }
            pointer = UnsafeMutableRawBufferPointer(start: base, count: max(count, 1))
        }

        deinit {
            // Cleansed, then returned to whichever heap it came from.
            CRYPTO_secure_clear_free(pointer.baseAddress, pointer.count, nil, 0)
        }
    }

    private let storage: Storage
    /// Number of secret bytes.
    public let count: Int

    /// Copies `bytes` into wiped-on-release memory. The caller should wipe its own copy.
    public init<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        count = bytes.count
        storage = Storage(count: count)
        UnsafeMutableRawBufferPointer(rebasing: storage.pointer[0..<count]).copyBytes(from: bytes)
    }

    /// Fresh random bytes from the OpenSSL CSPRNG.
    public static func random(count: Int) throws -> SecureBytes {
        let bytes = SecureBytes(zeroes: count)
        try bytes.withUnsafeMutableBytesForFill { buffer in
            try SecureRandom.fill(buffer)
        }
        return bytes
    }

    private init(zeroes count: Int) {
        self.count = count
        storage = Storage(count: count)
    }

    /// Fills a fresh secret buffer of `count` bytes through `body` (for KDF and key outputs).
    public static func filled(count: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows -> SecureBytes {
        let bytes = SecureBytes(zeroes: count)
        try bytes.withUnsafeMutableBytesForFill(body)
        return bytes
    }

    private func withUnsafeMutableBytesForFill<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(rebasing: storage.pointer[0..<count]))
    }

    /// Read access to the secret bytes; the pointer must not escape `body`.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(rebasing: storage.pointer[0..<count]))
    }

    /// A plain copy of the bytes, for APIs that need an array. Use sparingly.
    public var unsafeArray: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Zeroes a temporary plain copy of secret bytes with `OPENSSL_cleanse`, which the
    /// optimiser may not drop as a dead store.
    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { OPENSSL_cleanse(base, buffer.count) }
        }
    }

    /// Constant-time equality.
    public static func == (lhs: SecureBytes, rhs: SecureBytes) -> Bool {
        lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in ConstantTime.equal(a, b) } }
    }
}
