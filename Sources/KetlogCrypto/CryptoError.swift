/// Everything that can go wrong in KetlogCrypto. Messages are written once, at the CLI boundary.
public enum CryptoError: Error, Equatable, Sendable {
    /// An AEAD tag, MAC or signature did not verify. Deliberately says nothing about why.
    case authenticationFailure
    /// A key, nonce or tag had the wrong length for the primitive.
    case invalidLength
    /// A parameter is outside what the primitive accepts (for example an scrypt work factor).
    case invalidParameter
    /// OpenSSL reported a failure in the named operation (never contains secret data).
    case openSSL(operation: String)
    /// A signed note, its text, or one of its signature lines breaks c2sp.org/signed-note.
    case malformedNote
    /// A signed-note verifier or signer key string does not parse, names an algorithm other than
    /// Ed25519, or its key ID does not match its key; or a key name breaks the naming rules.
    case malformedNoteKey
    /// Two of the verifier keys given for one check share a name and key ID, so a signature
    /// carrying that pair cannot be attributed to one of them.
    case ambiguousNoteKey
    /// A well-formed signed note carries no signature from any of the given keys.
    case unverifiedNote
    /// A checkpoint body is not origin, tree size and root hash lines per c2sp.org/tlog-checkpoint.
    case malformedCheckpoint
}
