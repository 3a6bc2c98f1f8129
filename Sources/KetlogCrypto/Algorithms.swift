internal import COpenSSL

/// The OpenSSL implementations ketlog uses, fetched from the default provider once per process.
///
/// `EVP_sha256()` and its kind return legacy descriptors: each init with one looks for an ENGINE
/// that might implement the algorithm, and then fetches the provider's implementation again. A
/// fetched descriptor skips both (OpenSSL 3 "Algorithm fetching"); the first fetch of each kind
/// of operation still builds OpenSSL's method store. The descriptors live as long as the process.
enum Algorithms {
    nonisolated(unsafe) static let sha256: OpaquePointer? = EVP_MD_fetch(nil, "SHA2-256", nil)
    nonisolated(unsafe) static let aes256GCM: OpaquePointer? = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil)
    nonisolated(unsafe) static let chacha20Poly1305: OpaquePointer? = EVP_CIPHER_fetch(nil, "ChaCha20-Poly1305", nil)

    /// SHA-256, or the OpenSSL error that it could not be fetched.
    static func sha256OrThrow() throws -> OpaquePointer {
        guard let sha256 else { throw CryptoError.openSSL(operation: "EVP_MD_fetch(SHA2-256)") }
        return sha256
    }
}
