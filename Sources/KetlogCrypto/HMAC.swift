internal import COpenSSL

/// HMAC-SHA256 (RFC 2104 / RFC 4231).
public enum HMAC {
    public static let length = 32

    /// The 32-byte HMAC-SHA256 of `message` under `key`.
    public static func sha256<K: ContiguousBytes, M: ContiguousBytes>(key: K, message: M) throws -> [UInt8] {
        let sha256 = try Algorithms.sha256OrThrow()
        var out = [UInt8](repeating: 0, count: length)
        var outLength: UInt32 = 0
        let ok = key.withUnsafeBytes { k in
            message.withUnsafeBytes { m in
                out.withUnsafeMutableBufferPointer { o in
                    COpenSSL.HMAC(sha256, k.baseAddress ?? UnsafeRawPointer(o.baseAddress!), Int32(k.count),
                                  m.bindMemory(to: UInt8.self).baseAddress, m.count, o.baseAddress, &outLength) != nil
                }
            }
        }
        guard ok, outLength == UInt32(length) else { throw CryptoError.openSSL(operation: "HMAC") }
        return out
    }

    /// Checks `tag` against the HMAC of `message` in constant time.
    public static func verifySHA256<K: ContiguousBytes, M: ContiguousBytes>(tag: [UInt8], key: K, message: M) throws -> Bool {
        ConstantTime.equal(try sha256(key: key, message: message), tag)
    }
}
