internal import COpenSSL

/// X25519 Diffie-Hellman (RFC 7748) through OpenSSL's raw-key EVP_PKEY interface.
public enum X25519 {
    public static let keyLength = 32

    /// A fresh random private key (OpenSSL clamps it on use).
    public static func generatePrivateKey() throws -> SecureBytes {
        try SecureBytes.random(count: keyLength)
    }

    /// The public key for `privateKey`.
    public static func publicKey(for privateKey: SecureBytes) throws -> [UInt8] {
        let key = try privateKeyObject(privateKey)
        defer { EVP_PKEY_free(key) }
        var out = [UInt8](repeating: 0, count: keyLength)
        var length = keyLength
        guard EVP_PKEY_get_raw_public_key(key, &out, &length) == 1, length == keyLength else {
            throw CryptoError.openSSL(operation: "EVP_PKEY_get_raw_public_key")
        }
        return out
    }

    /// The shared secret of `privateKey` and `publicKey`. Throws `invalidParameter` when the
    /// result is all zeros (a low-order peer key), which age requires to be rejected.
    public static func sharedSecret(privateKey: SecureBytes, publicKey: [UInt8]) throws -> SecureBytes {
        guard publicKey.count == keyLength else { throw CryptoError.invalidLength }
        let mine = try privateKeyObject(privateKey)
        defer { EVP_PKEY_free(mine) }
        guard let peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nil, publicKey, keyLength) else {
            throw CryptoError.invalidParameter
        }
        defer { EVP_PKEY_free(peer) }
        guard let context = EVP_PKEY_CTX_new(mine, nil) else { throw CryptoError.openSSL(operation: "EVP_PKEY_CTX_new") }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_derive_init(context) == 1, EVP_PKEY_derive_set_peer(context, peer) == 1 else {
            throw CryptoError.invalidParameter
        }
        let secret = try SecureBytes.filled(count: keyLength) { out in
            var length = keyLength
            // OpenSSL itself refuses an all-zero result; treat that as a bad peer key.
            guard EVP_PKEY_derive(context, out.baseAddress!.assumingMemoryBound(to: UInt8.self), &length) == 1,
                  length == keyLength
            else { throw CryptoError.invalidParameter }
        }
        let allZero = secret.withUnsafeBytes { $0.allSatisfy { $0 == 0 } }
        guard !allZero else { throw CryptoError.invalidParameter }
        return secret
    }

    private static func privateKeyObject(_ privateKey: SecureBytes) throws -> OpaquePointer {
        guard privateKey.count == keyLength else { throw CryptoError.invalidLength }
        Algorithms.start()
        let key = privateKey.withUnsafeBytes { bytes in
            EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nil, bytes.bindMemory(to: UInt8.self).baseAddress, keyLength)
        }
        guard let key else { throw CryptoError.openSSL(operation: "EVP_PKEY_new_raw_private_key") }
        return key
    }
}
