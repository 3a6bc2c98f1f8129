internal import COpenSSL

/// SHA-256, one-shot or incremental (for streams such as backup payloads).
public final class SHA256: @unchecked Sendable {
    public static let length = 32
    private let context: OpaquePointer

    public init() throws {
        let sha256 = try Algorithms.sha256OrThrow()
        guard let context = EVP_MD_CTX_new() else { throw CryptoError.openSSL(operation: "EVP_MD_CTX_new") }
        self.context = context
        guard EVP_DigestInit_ex(context, sha256, nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw CryptoError.openSSL(operation: "EVP_DigestInit_ex")
        }
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds bytes to the hash.
    public func update(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        guard EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1 else {
            throw CryptoError.openSSL(operation: "EVP_DigestUpdate")
        }
    }

    public func update<B: ContiguousBytes>(_ bytes: B) throws {
        try bytes.withUnsafeBytes { try update($0) }
    }

    /// The digest; the hasher must not be used afterwards.
    public func finalize() throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.length)
        var outLength: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &out, &outLength) == 1 else {
            throw CryptoError.openSSL(operation: "EVP_DigestFinal_ex")
        }
        return out
    }

    /// The SHA-256 of `bytes`.
    public static func hash<B: ContiguousBytes>(_ bytes: B) throws -> [UInt8] {
        let hasher = try SHA256()
        try hasher.update(bytes)
        return try hasher.finalize()
    }
}
