public import KetlogCrypto

/// Everything that can go wrong reading or writing an age file.
///
/// Cases never carry key material, passphrases or plaintext; messages are written once, at the
/// CLI boundary. The comment on each case names the class of failure the age test corpus (CCTV)
/// uses for it, so callers can tell "wrong key" from "damaged file".
public enum AgeError: Error, Equatable, Sendable {
    /// The first line is an `age-encryption.org/…` version other than v1 (header failure).
    case unsupportedVersion
    /// The header is not canonical age v1 text: bad intro, stanza line, body line, base64 or MAC
    /// line, or the input ended inside it (header failure).
    case malformedHeader
    /// An X25519 or scrypt stanza this reader understands has the wrong arguments, a body of the
    /// wrong length, or a low-order X25519 share (header failure).
    case invalidStanza
    /// An scrypt stanza is not the only stanza in the header, or an encryptor was asked to mix
    /// a passphrase with other recipients (header failure).
    case scryptNotAlone
    /// The scrypt work factor is above the identity's maximum (header failure).
    case workFactorTooLarge
    /// No identity unwrapped the file key: wrong key or passphrase, or only recipient types this
    /// reader does not implement (no match).
    case noMatchingIdentity
    /// The header MAC does not verify under the unwrapped file key (HMAC failure).
    case headerMACMismatch
    /// The 16-byte payload nonce after the header is missing or short (header failure).
    case missingPayloadNonce
    /// A payload chunk failed authentication (payload failure).
    case payloadAuthenticationFailure
    /// The payload ends without a chunk marked last, or inside a chunk (payload failure).
    case truncatedPayload
    /// The last chunk is empty although it is not the only chunk (payload failure).
    case emptyFinalChunk
    /// Bytes follow the chunk marked last (payload failure).
    case trailingData
    /// The ASCII armor is not the strict PEM subset age writes (armor failure).
    case malformedArmor
    /// A recipient string (`age1…`) is not valid Bech32 or not a 32-byte X25519 key.
    case invalidRecipient
    /// A recipient of a type this implementation does not write (for example `age1pq1…`).
    case unsupportedRecipient
    /// An identity (`AGE-SECRET-KEY-1…`) is malformed; `line` is its 1-based line in an identity
    /// file, when it came from one.
    case invalidIdentity(line: Int?)
    /// An identity of a type this implementation does not implement (for example post-quantum
    /// `AGE-SECRET-KEY-PQ-1…`); `line` as for `invalidIdentity`.
    case unsupportedIdentity(line: Int?)
    /// A caller error: no recipients, a work factor outside 1…22, a key of the wrong length.
    case invalidParameter
    /// Reading or writing a file descriptor failed with this `errno`.
    case io(errno: Int32)
    /// A primitive failed inside KetlogCrypto (never an authentication failure, which is mapped
    /// to one of the cases above).
    case crypto(CryptoError)
}

extension AgeError {
    /// Runs `body`, turning a stray `CryptoError` into `AgeError.crypto` so callers see one
    /// error type.
    static func mappingCrypto<R>(_ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as CryptoError {
            throw AgeError.crypto(error)
        }
    }
}
