internal import COpenSSL

/// An Ed25519 signing key (RFC 8032) through OpenSSL's EVP interface.
///
/// The 32-byte seed is the whole secret: it is held in `SecureBytes`, and that is what a caller
/// seals and stores. Signatures are deterministic (the same key and message always give the
/// same 64 bytes) and are over the message itself: pure Ed25519, not Ed25519ph or Ed25519ctx.
public struct Ed25519PrivateKey: Sendable {
    public static let seedLength = 32
    public static let signatureLength = 64

    /// The seed (RFC 8032's "private key"), in wiped-on-release memory.
    public let seed: SecureBytes
    /// The matching public key.
    public let publicKey: Ed25519PublicKey
    private let key: EVPKey

    /// A fresh key from OpenSSL's Ed25519 key generator.
    public init() throws {
        Algorithms.start()
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else {
            throw CryptoError.openSSL(operation: "EVP_PKEY_CTX_new_id")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var generated: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_keygen(context, &generated) == 1, let generated else {
            throw CryptoError.openSSL(operation: "EVP_PKEY_keygen")
        }
        let key = EVPKey(taking: generated)
        let seed = try SecureBytes.filled(count: Self.seedLength) { out in
            var length = Self.seedLength
            guard EVP_PKEY_get_raw_private_key(key.pointer, out.baseAddress!.assumingMemoryBound(to: UInt8.self), &length) == 1,
                  length == Self.seedLength
            else { throw CryptoError.openSSL(operation: "EVP_PKEY_get_raw_private_key") }
        }
        try self.init(seed: seed, key: key)
    }

    /// The key for a stored seed; throws `invalidLength` unless it is 32 bytes.
    public init(seed: SecureBytes) throws {
        guard seed.count == Self.seedLength else { throw CryptoError.invalidLength }
        Algorithms.start()
        let pointer = seed.withUnsafeBytes { bytes in
            EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, bytes.bindMemory(to: UInt8.self).baseAddress, Self.seedLength)
        }
        guard let pointer else { throw CryptoError.openSSL(operation: "EVP_PKEY_new_raw_private_key") }
        try self.init(seed: seed, key: EVPKey(taking: pointer))
    }

    private init(seed: SecureBytes, key: EVPKey) throws {
        self.seed = seed
        self.key = key
        publicKey = try Ed25519PublicKey(rawRepresentation: key.rawPublicKey(length: Ed25519PublicKey.length))
    }

    /// The 64-byte signature of `message`.
    public func signature(for message: some ContiguousBytes) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw CryptoError.openSSL(operation: "EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        // Ed25519 hashes internally, so no digest is named.
        guard EVP_DigestSignInit(context, nil, nil, nil, key.pointer) == 1 else {
            throw CryptoError.openSSL(operation: "EVP_DigestSignInit")
        }
        var signature = [UInt8](repeating: 0, count: Self.signatureLength)
        var length = Self.signatureLength
        let status = message.withUnsafeBytes { bytes in
            Ed25519PublicKey.withNonNullBase(bytes) { base in
                EVP_DigestSign(context, &signature, &length, base, bytes.count)
            }
        }
        guard status == 1, length == Self.signatureLength else { throw CryptoError.openSSL(operation: "EVP_DigestSign") }
        return signature
    }
}
