public import KetlogCrypto

/// Something that can unwrap a file key: an X25519 private key (`AGE-SECRET-KEY-1…`) or a
/// passphrase (scrypt).
public enum AgeIdentity: Sendable {
    /// An X25519 private key, 32 bytes.
    case x25519(privateKey: SecureBytes)
    /// A passphrase. Files whose scrypt work factor exceeds `maxWorkFactor` (at most 22) are
    /// refused before any key derivation, so a hostile file cannot make the reader spin.
    case scrypt(passphrase: SecureBytes, maxWorkFactor: Int)

    /// The largest work factor a reader accepts by default (about 4 GiB·s of scrypt).
    public static let defaultMaxWorkFactor = 22

    private static let secretKeyPrefix = "AGE-SECRET-KEY-"

    /// A passphrase identity accepting work factors up to 22.
    public static func scrypt(passphrase: SecureBytes) -> AgeIdentity {
        .scrypt(passphrase: passphrase, maxWorkFactor: defaultMaxWorkFactor)
    }

    /// A fresh random X25519 identity.
    public static func generateX25519() throws -> AgeIdentity {
        .x25519(privateKey: try X25519.generatePrivateKey())
    }

    /// Parses an `AGE-SECRET-KEY-1…` identity string (uppercase Bech32).
    ///
    /// Throws `unsupportedIdentity` for other `AGE-SECRET-KEY-` types (such as post-quantum
    /// `AGE-SECRET-KEY-PQ-1…`) and `invalidIdentity` for anything else.
    public init(parsing string: String) throws {
        try self.init(parsing: string, line: nil)
    }

    private init(parsing string: String, line: Int?) throws {
        guard let (hrp, data) = Bech32.decode(string) else {
            throw string.hasPrefix(Self.secretKeyPrefix) && !string.hasPrefix(Self.secretKeyPrefix + "1")
                ? AgeError.unsupportedIdentity(line: line) : AgeError.invalidIdentity(line: line)
        }
        guard hrp == Self.secretKeyPrefix else {
            throw hrp.hasPrefix(Self.secretKeyPrefix) ? AgeError.unsupportedIdentity(line: line) : AgeError.invalidIdentity(line: line)
        }
        guard string == string.uppercased(), data.count == X25519.keyLength else {
            throw AgeError.invalidIdentity(line: line)
        }
        self = .x25519(privateKey: SecureBytes(data))
    }

    /// Parses an identity file as `age-keygen` writes it: one identity per line; blank lines
    /// and lines starting with `#` are ignored; CRLF line ends are accepted. Errors carry the
    /// line number, never the line; a file without any identity is `invalidIdentity(line: nil)`.
    public static func parseIdentityFile(_ text: String) throws -> [AgeIdentity] {
        var identities: [AgeIdentity] = []
        for (index, line) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let trimmed = String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            identities.append(try AgeIdentity(parsing: trimmed, line: index + 1))
        }
        guard !identities.isEmpty else { throw AgeError.invalidIdentity(line: nil) }
        return identities
    }

    /// The `AGE-SECRET-KEY-1…` string of an X25519 identity, nil for a passphrase. The string is
    /// secret; write it only to a 0600 file or the terminal.
    public var encoded: String? {
        guard case .x25519(let privateKey) = self else { return nil }
        return Bech32.encode(hrp: Self.secretKeyPrefix, data: privateKey.unsafeArray).uppercased()
    }

    /// The recipient that encrypts to this identity (X25519 only).
    public func recipient() throws -> AgeRecipient {
        guard case .x25519(let privateKey) = self else { throw AgeError.invalidParameter }
        do {
            return .x25519(publicKey: try X25519.publicKey(for: privateKey))
        } catch let error as CryptoError {
            throw AgeError.crypto(error)
        }
    }

    /// Unwraps the file key from `stanzas`, returns nil when no stanza is for this identity, or
    /// throws when a stanza of this identity's type is malformed.
    func unwrap(_ stanzas: [Stanza]) throws -> SecureBytes? {
        switch self {
        case .x25519(let privateKey):
            let publicKey = try X25519.publicKey(for: privateKey)
            for stanza in stanzas where stanza.type == "X25519" {
                guard stanza.arguments.count == 1, let share = Base64.decode(stanza.arguments[0]),
                      share.count == X25519.keyLength
                else { throw AgeError.invalidStanza }
                try Self.checkBodyLength(stanza)
                let shared: SecureBytes
                do {
                    shared = try X25519.sharedSecret(privateKey: privateKey, publicKey: share)
                } catch CryptoError.invalidParameter {
                    throw AgeError.invalidStanza  // low-order share: all-zero shared secret
                }
                let wrapKey = try HKDF.sha256(key: shared, salt: share + publicKey, info: AgeRecipient.x25519Label, length: 32)
                if let fileKey = try Self.open(stanza.body, wrapKey: wrapKey) { return fileKey }
            }
            return nil
        case .scrypt(let passphrase, let maxWorkFactor):
            guard stanzas.count == 1, let stanza = stanzas.first, stanza.type == "scrypt" else { return nil }
            guard stanza.arguments.count == 2, let salt = Base64.decode(stanza.arguments[0]), salt.count == 16,
                  let workFactor = Self.parseWorkFactor(stanza.arguments[1])
            else { throw AgeError.invalidStanza }
            guard workFactor <= min(maxWorkFactor, Scrypt.workFactorRange.upperBound) else { throw AgeError.workFactorTooLarge }
            try Self.checkBodyLength(stanza)
            let wrapKey = try Scrypt.derive(password: passphrase, salt: AgeRecipient.scryptLabel + salt, logN: workFactor)
            return try Self.open(stanza.body, wrapKey: wrapKey)
        }
    }

    /// A canonical decimal work factor: digits only, no leading zero, 1…99.
    private static func parseWorkFactor(_ text: String) -> Int? {
        let digits = Array(text.utf8)
        guard (1...2).contains(digits.count), digits.allSatisfy({ (48...57).contains($0) }), digits[0] != 48
        else { return nil }
        return Int(text)
    }

    /// The body must hold exactly a 16-byte file key and its tag; checked before decrypting.
    private static func checkBodyLength(_ stanza: Stanza) throws {
        guard stanza.body.count == AgeRecipient.fileKeyLength + AEADKey.tagLength else { throw AgeError.invalidStanza }
    }

    /// Opens a stanza body; nil when the tag does not verify (the stanza is for someone else).
    private static func open(_ body: [UInt8], wrapKey: SecureBytes) throws -> SecureBytes? {
        do {
            return try AEADKey(.chacha20Poly1305, key: wrapKey).openSecret(nonce: AgeRecipient.zeroNonce, sealed: body)
        } catch CryptoError.authenticationFailure {
            return nil
        }
    }
}
