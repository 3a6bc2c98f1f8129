/// Everything that can go wrong in KetlogCrypto. Messages are written once, at the CLI boundary.
public enum CryptoError: Error, Equatable, Sendable {
    /// An AEAD tag or MAC did not verify. Deliberately says nothing about why.
    case authenticationFailure
    /// A key, nonce or tag had the wrong length for the primitive.
    case invalidLength
    /// A parameter is outside what the primitive accepts (for example an scrypt work factor).
    case invalidParameter
    /// OpenSSL reported a failure in the named operation (never contains secret data).
    case openSSL(operation: String)
}
