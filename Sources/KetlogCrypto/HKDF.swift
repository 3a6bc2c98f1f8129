internal import COpenSSL

/// HKDF-SHA256 (RFC 5869), extract-then-expand.
public enum HKDF {
    /// Derives `length` bytes of key material from `key` with optional `salt` and `info`.
    public static func sha256<K: ContiguousBytes>(key: K, salt: [UInt8] = [], info: [UInt8] = [], length: Int) throws -> SecureBytes {
        guard length > 0, length <= 255 * 32 else { throw CryptoError.invalidParameter }
        let sha256 = try Algorithms.sha256OrThrow()
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nil) else {
            throw CryptoError.openSSL(operation: "EVP_PKEY_CTX_new_id(HKDF)")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_derive_init(context) == 1, EVP_PKEY_CTX_set_hkdf_md(context, sha256) == 1 else {
            throw CryptoError.openSSL(operation: "HKDF init")
        }
        try key.withUnsafeBytes { k in
            var empty: UInt8 = 0
            let keyPointer = k.count > 0 ? k.bindMemory(to: UInt8.self).baseAddress! : withUnsafeMutablePointer(to: &empty) { UnsafePointer($0) }
            guard EVP_PKEY_CTX_set1_hkdf_key(context, keyPointer, Int32(k.count)) == 1 else {
                throw CryptoError.openSSL(operation: "HKDF key")
            }
        }
        if !salt.isEmpty {
            guard EVP_PKEY_CTX_set1_hkdf_salt(context, salt, Int32(salt.count)) == 1 else {
                throw CryptoError.openSSL(operation: "HKDF salt")
            }
        }
        if !info.isEmpty {
            guard EVP_PKEY_CTX_add1_hkdf_info(context, info, Int32(info.count)) == 1 else {
                throw CryptoError.openSSL(operation: "HKDF info")
            }
        }
        return try SecureBytes.filled(count: length) { out in
            var outLength = length
            guard EVP_PKEY_derive(context, out.baseAddress!.assumingMemoryBound(to: UInt8.self), &outLength) == 1,
                  outLength == length
            else { throw CryptoError.openSSL(operation: "HKDF derive") }
        }
    }
}
