internal import COpenSSL

/// scrypt (RFC 7914) through `EVP_PBE_scrypt`, with a memory limit computed from the parameters
/// (OpenSSL's default of 32 MiB fails from N = 2^15 with r = 8).
public enum Scrypt {
    /// Work factors accepted anywhere in ketlog (age readers refuse more than 22 as well).
    public static let workFactorRange = 1...22

    /// Derives `length` bytes from `password` and `salt` with N = 2^logN, r, p.
    public static func derive<P: ContiguousBytes>(password: P, salt: [UInt8], logN: Int, r: Int = 8, p: Int = 1,
                                                  length: Int = 32) throws -> SecureBytes {
        guard workFactorRange.contains(logN), r > 0, p > 0, length > 0 else { throw CryptoError.invalidParameter }
        Algorithms.start()
        let n = UInt64(1) << UInt64(logN)
        // OpenSSL needs 128·r·(N+2) bytes for V plus 128·r·p for B; leave headroom.
        let maxMemory = 128 * UInt64(r) * (n + 2) + 128 * UInt64(r) * UInt64(p) + (1 << 20)
        return try SecureBytes.filled(count: length) { out in
            let status = password.withUnsafeBytes { pass in
                salt.withUnsafeBytes { saltBytes in
                    EVP_PBE_scrypt(pass.baseAddress?.assumingMemoryBound(to: CChar.self), pass.count,
                                   saltBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), saltBytes.count,
                                   n, UInt64(r), UInt64(p), maxMemory,
                                   out.baseAddress!.assumingMemoryBound(to: UInt8.self), length)
                }
            }
            guard status == 1 else { throw CryptoError.openSSL(operation: "EVP_PBE_scrypt") }
        }
    }
}
