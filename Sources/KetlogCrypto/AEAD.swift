internal import COpenSSL

/// An AEAD key bound to one algorithm: AES-256-GCM (the store's sealed blobs) or
/// ChaCha20-Poly1305 (the age payload and header). Nonces are 12 bytes, tags 16.
///
/// The `EVP_CIPHER_CTX` is owned here and reused across calls, so sealing many chunks with one
/// key allocates nothing per chunk. Not safe for concurrent use from several threads.
public final class AEADKey: @unchecked Sendable {
    /// The supported AEAD algorithms.
    public enum Algorithm: Sendable {
        case aes256GCM
        case chacha20Poly1305
    }

    public static let keyLength = 32
    public static let nonceLength = 12
    public static let tagLength = 16

    private let key: SecureBytes
    private let algorithm: Algorithm
    private let context: OpaquePointer
    /// The direction the context is keyed for (true: encrypt), or nil before first use. Setting
    /// up the cipher and key schedule costs more than sealing a small record, so it is done once
    /// per direction and each call sets only the nonce.
    private var keyedToEncrypt: Bool?

    /// Makes a key; `key` must be 32 bytes.
    public init(_ algorithm: Algorithm, key: SecureBytes) throws {
        guard key.count == Self.keyLength else { throw CryptoError.invalidLength }
        Algorithms.start()
        guard let context = EVP_CIPHER_CTX_new() else { throw CryptoError.openSSL(operation: "EVP_CIPHER_CTX_new") }
        self.algorithm = algorithm
        self.key = key
        self.context = context
    }

    deinit { EVP_CIPHER_CTX_free(context) }

    private var cipher: OpaquePointer? {
        switch algorithm {
        case .aes256GCM: return Algorithms.aes256GCM
        case .chacha20Poly1305: return Algorithms.chacha20Poly1305
        }
    }

    private func start(encrypt: Bool, nonce: UnsafeRawBufferPointer) throws {
        guard nonce.count == Self.nonceLength else { throw CryptoError.invalidLength }
        if keyedToEncrypt != encrypt {
            keyedToEncrypt = nil
            try key.withUnsafeBytes { keyBytes in
                guard EVP_CipherInit_ex(context, cipher, nil, nil, nil, encrypt ? 1 : 0) == 1,
                      EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_IVLEN, Int32(Self.nonceLength), nil) == 1,
                      EVP_CipherInit_ex(context, nil, nil, keyBytes.bindMemory(to: UInt8.self).baseAddress, nil,
                                        encrypt ? 1 : 0) == 1
                else { throw CryptoError.openSSL(operation: "EVP_CipherInit_ex") }
            }
            keyedToEncrypt = encrypt
        }
        guard EVP_CipherInit_ex(context, nil, nil, nil, nonce.bindMemory(to: UInt8.self).baseAddress, encrypt ? 1 : 0) == 1 else {
            keyedToEncrypt = nil
            throw CryptoError.openSSL(operation: "EVP_CipherInit_ex(nonce)")
        }
    }

    private func addAAD(_ aad: UnsafeRawBufferPointer) throws {
        guard aad.count > 0 else { return }
        var outLength: Int32 = 0
        guard EVP_CipherUpdate(context, nil, &outLength, aad.bindMemory(to: UInt8.self).baseAddress, Int32(aad.count)) == 1
        else { throw CryptoError.openSSL(operation: "EVP_CipherUpdate(aad)") }
    }

    /// Encrypts `plaintext` into `output` as ciphertext ‖ tag (`plaintext.count + 16` bytes).
    public func seal(nonce: UnsafeRawBufferPointer, plaintext: UnsafeRawBufferPointer,
                     aad: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        guard output.count == plaintext.count + Self.tagLength else { throw CryptoError.invalidLength }
        try start(encrypt: true, nonce: nonce)
        try addAAD(aad)
        let out = output.bindMemory(to: UInt8.self).baseAddress!
        var written: Int32 = 0
        if plaintext.count > 0 {
            guard EVP_CipherUpdate(context, out, &written, plaintext.bindMemory(to: UInt8.self).baseAddress,
                                   Int32(plaintext.count)) == 1
            else { throw CryptoError.openSSL(operation: "EVP_CipherUpdate") }
        }
        var final: Int32 = 0
        guard EVP_CipherFinal_ex(context, out + Int(written), &final) == 1 else {
            throw CryptoError.openSSL(operation: "EVP_CipherFinal_ex")
        }
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, Int32(Self.tagLength), out + plaintext.count) == 1
        else { throw CryptoError.openSSL(operation: "EVP_CTRL_AEAD_GET_TAG") }
    }

    /// Decrypts ciphertext ‖ tag into `output` (`sealed.count - 16` bytes), or throws
    /// `authenticationFailure` and leaves `output` zeroed.
    public func open(nonce: UnsafeRawBufferPointer, sealed: UnsafeRawBufferPointer,
                     aad: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        guard sealed.count >= Self.tagLength, output.count == sealed.count - Self.tagLength else {
            throw CryptoError.authenticationFailure
        }
        try start(encrypt: false, nonce: nonce)
        try addAAD(aad)
        let textCount = sealed.count - Self.tagLength
        let input = sealed.bindMemory(to: UInt8.self).baseAddress!
        let out = output.bindMemory(to: UInt8.self).baseAddress
        var written: Int32 = 0
        if textCount > 0 {
            guard EVP_CipherUpdate(context, out, &written, input, Int32(textCount)) == 1
            else { throw CryptoError.openSSL(operation: "EVP_CipherUpdate") }
        }
        // SET_TAG only copies the tag, so it can be read in place: no allocation per chunk.
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, Int32(Self.tagLength),
                                  UnsafeMutableRawPointer(mutating: sealed.baseAddress! + textCount)) == 1
        else { throw CryptoError.openSSL(operation: "EVP_CTRL_AEAD_SET_TAG") }
        var final: Int32 = 0
        var scratch: (UInt64, UInt64) = (0, 0)  // Final writes nothing for AEADs; a target is still required
        let status = withUnsafeMutableBytes(of: &scratch) { s in
            EVP_CipherFinal_ex(context, textCount > 0 ? out! + Int(written) : s.baseAddress!.assumingMemoryBound(to: UInt8.self), &final)
        }
        guard status == 1 else {
            if output.count > 0 { OPENSSL_cleanse(output.baseAddress, output.count) }
            throw CryptoError.authenticationFailure
        }
    }

    /// Convenience: seal byte arrays, returning ciphertext ‖ tag.
    public func seal(nonce: [UInt8], plaintext: [UInt8], aad: [UInt8] = []) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: plaintext.count + Self.tagLength)
        try nonce.withUnsafeBytes { n in
            try plaintext.withUnsafeBytes { p in
                try aad.withUnsafeBytes { a in
                    try output.withUnsafeMutableBytes { o in try seal(nonce: n, plaintext: p, aad: a, into: o) }
                }
            }
        }
        return output
    }

    /// Convenience: open ciphertext ‖ tag, returning the plaintext.
    public func open(nonce: [UInt8], sealed: [UInt8], aad: [UInt8] = []) throws -> [UInt8] {
        guard sealed.count >= Self.tagLength else { throw CryptoError.authenticationFailure }
        var output = [UInt8](repeating: 0, count: sealed.count - Self.tagLength)
        try nonce.withUnsafeBytes { n in
            try sealed.withUnsafeBytes { s in
                try aad.withUnsafeBytes { a in
                    try output.withUnsafeMutableBytes { o in try open(nonce: n, sealed: s, aad: a, into: o) }
                }
            }
        }
        return output
    }

    /// Opens into wiped-on-release memory, for wrapped keys.
    public func openSecret(nonce: [UInt8], sealed: [UInt8], aad: [UInt8] = []) throws -> SecureBytes {
        guard sealed.count >= Self.tagLength else { throw CryptoError.authenticationFailure }
        return try SecureBytes.filled(count: sealed.count - Self.tagLength) { o in
            try nonce.withUnsafeBytes { n in
                try sealed.withUnsafeBytes { s in
                    try aad.withUnsafeBytes { a in try open(nonce: n, sealed: s, aad: a, into: o) }
                }
            }
        }
    }

    /// Seals secret bytes (a data key being wrapped).
    public func seal(nonce: [UInt8], secret: SecureBytes, aad: [UInt8] = []) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: secret.count + Self.tagLength)
        try nonce.withUnsafeBytes { n in
            try secret.withUnsafeBytes { p in
                try aad.withUnsafeBytes { a in
                    try output.withUnsafeMutableBytes { o in try seal(nonce: n, plaintext: p, aad: a, into: o) }
                }
            }
        }
        return output
    }
}
