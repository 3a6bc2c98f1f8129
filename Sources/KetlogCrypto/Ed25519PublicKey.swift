internal import COpenSSL

/// An Ed25519 public key (RFC 8032): 32 bytes, checking signatures through OpenSSL's EVP.
///
/// Any 32 bytes are accepted as a key; bytes that are not a valid curve point simply verify no
/// signature. Two keys are equal when their bytes are.
public struct Ed25519PublicKey: Sendable, Hashable {
    public static let length = 32

    /// The 32-byte encoding, as stored and as written into verifier keys.
    public let rawRepresentation: [UInt8]
    private let key: EVPKey

    /// Imports a key; throws `invalidLength` unless `rawRepresentation` is 32 bytes.
    public init(rawRepresentation: some Collection<UInt8>) throws {
        let raw = Array(rawRepresentation)
        guard raw.count == Self.length else { throw CryptoError.invalidLength }
        Algorithms.start()
        guard let pointer = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, raw, Self.length) else {
            throw CryptoError.openSSL(operation: "EVP_PKEY_new_raw_public_key")
        }
        self.rawRepresentation = raw
        key = EVPKey(taking: pointer)
    }

    /// True when `signature` is this key's signature of `message`. A signature of the wrong
    /// length, a forged or altered one, and an OpenSSL failure all give false: never throws.
    public func isValidSignature(_ signature: some ContiguousBytes, for message: some ContiguousBytes) -> Bool {
        signature.withUnsafeBytes { signatureBytes in
            guard signatureBytes.count == Ed25519PrivateKey.signatureLength,
                  let context = EVP_MD_CTX_new()
            else { return false }
            defer { EVP_MD_CTX_free(context) }
            guard EVP_DigestVerifyInit(context, nil, nil, nil, key.pointer) == 1 else {
                ERR_clear_error()
                return false
            }
            let status = message.withUnsafeBytes { messageBytes in
                Self.withNonNullBase(messageBytes) { base in
                    EVP_DigestVerify(context, signatureBytes.bindMemory(to: UInt8.self).baseAddress, signatureBytes.count,
                                     base, messageBytes.count)
                }
            }
            // A rejected signature leaves an entry on this thread's OpenSSL error queue; drop it so
            // it is not mistaken later for the cause of an unrelated failure.
            if status != 1 { ERR_clear_error() }
            return status == 1
        }
    }

    public static func == (lhs: Ed25519PublicKey, rhs: Ed25519PublicKey) -> Bool {
        lhs.rawRepresentation == rhs.rawRepresentation
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rawRepresentation)
    }

    /// Calls `body` with a pointer to `bytes`, or to a dummy byte when `bytes` is empty: an empty
    /// Swift buffer may have no address, and OpenSSL's one-shot calls want one.
    static func withNonNullBase<R>(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafePointer<UInt8>) -> R) -> R {
        if let base = bytes.baseAddress { return body(base.assumingMemoryBound(to: UInt8.self)) }
        var dummy: UInt8 = 0
        return withUnsafePointer(to: &dummy) { body($0) }
    }
}
