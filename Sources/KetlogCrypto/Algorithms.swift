internal import COpenSSL

/// How ketlog starts OpenSSL, and the implementations it uses, fetched from the default provider
/// once per process.
///
/// `EVP_sha256()` and its kind return legacy descriptors: each init with one looks for an ENGINE
/// that might implement the algorithm, and then fetches the provider's implementation again. A
/// fetched descriptor skips both (OpenSSL 3 "Algorithm fetching"). The descriptors live as long
/// as the process.
enum Algorithms {
    /// libcrypto started without filling the legacy cipher and digest name tables, which ketlog
    /// never looks names up in (it fetches): about 3 M instructions of every process's first
    /// fetch (BENCHMARKS.md, "Start-up profile"). openssl.cnf is still read (about 1.8 M more):
    /// a machine's crypto policy, a FIPS provider among them, applies to ketlog as to every other
    /// program on it. Each entry point of this module calls `start()` before its first OpenSSL
    /// call, so the flags hold whichever runs first.
    private static let started: Bool = OPENSSL_init_crypto(
        UInt64(OPENSSL_INIT_NO_ADD_ALL_CIPHERS | OPENSSL_INIT_NO_ADD_ALL_DIGESTS), nil) == 1

    /// Starts libcrypto once (see `started`); later calls do nothing.
    static func start() {
        _ = started
    }

    nonisolated(unsafe) static let sha256: OpaquePointer? = { start(); return EVP_MD_fetch(nil, "SHA2-256", nil) }()
    nonisolated(unsafe) static let aes256GCM: OpaquePointer? = { start(); return EVP_CIPHER_fetch(nil, "AES-256-GCM", nil) }()
    nonisolated(unsafe) static let chacha20Poly1305: OpaquePointer? = {
        start()
        return EVP_CIPHER_fetch(nil, "ChaCha20-Poly1305", nil)
    }()

    /// SHA-256, or the OpenSSL error that it could not be fetched.
    static func sha256OrThrow() throws -> OpaquePointer {
        guard let sha256 else { throw CryptoError.openSSL(operation: "EVP_MD_fetch(SHA2-256)") }
        return sha256
    }
}
