import KetlogCrypto

/// Fresh random nonces for one sealer, drawn from the CSPRNG (`SecureRandom`) a batch at a time.
///
/// Each `RAND_bytes` call costs more in OpenSSL's bookkeeping (locks, the DRBG's reseed checks)
/// than sealing a small record does: drawn one at a time, the nonces were half the cost of
/// sealing an imported record (issue 16). Drawn 256 at a time they are the same CSPRNG output,
/// each handed out once. Use one pool from one thread at a time.
final class NoncePool: @unchecked Sendable {
    private static let batch = 256
    private var bytes = [UInt8](repeating: 0, count: batch * AEADKey.nonceLength)
    /// The offset of the next unused nonce; `bytes.count` when all are used.
    private var next: Int

    init() { next = bytes.count }

    /// Writes the next unused nonce into `nonce` (`AEADKey.nonceLength` bytes).
    func take(into nonce: UnsafeMutableRawBufferPointer) throws {
        precondition(nonce.count == AEADKey.nonceLength, "a nonce is \(AEADKey.nonceLength) bytes")
        if next == bytes.count {
            try bytes.withUnsafeMutableBytes { try SecureRandom.fill($0) }
            next = 0
        }
        bytes.withUnsafeBytes { nonce.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[next..<next + AEADKey.nonceLength])) }
        next += AEADKey.nonceLength
    }
}
