internal import COpenSSL

/// One OpenSSL `EVP_PKEY`, freed when the last reference goes, so a key imported once can sign
/// or verify many times without being parsed again.
///
/// Never modified after creation: OpenSSL 3 lets such a key be used from several threads at
/// once, each operation with its own `EVP_MD_CTX`.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`, which must not be freed elsewhere.
    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit { EVP_PKEY_free(pointer) }

    /// The raw public key (32 bytes for Ed25519 and X25519).
    func rawPublicKey(length expected: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: expected)
        var length = expected
        guard EVP_PKEY_get_raw_public_key(pointer, &out, &length) == 1, length == expected else {
            throw CryptoError.openSSL(operation: "EVP_PKEY_get_raw_public_key")
        }
        return out
    }
}
