public import KetlogCrypto

/// Someone a file is encrypted to: an X25519 public key (`age1…`) or a passphrase (scrypt).
public enum AgeRecipient: Sendable {
    /// An X25519 public key, 32 bytes.
    case x25519(publicKey: [UInt8])
    /// A passphrase; the file key is wrapped under scrypt with N = 2^workFactor, r = 8, p = 1.
    /// Must be the only recipient of a file. age itself writes work factor 18.
    case scrypt(passphrase: SecureBytes, workFactor: Int)

    /// The work factor age writes by default; tests pass a lower one explicitly.
    public static let defaultWorkFactor = 18

    static let x25519Label = Array("age-encryption.org/v1/X25519".utf8)
    static let scryptLabel = Array("age-encryption.org/v1/scrypt".utf8)
    static let fileKeyLength = 16
    /// Stanza bodies are sealed once under a single-use key, so the nonce is all zeros.
    static let zeroNonce = [UInt8](repeating: 0, count: AEADKey.nonceLength)

    /// A passphrase recipient with age's default work factor.
    public static func scrypt(passphrase: SecureBytes) -> AgeRecipient {
        .scrypt(passphrase: passphrase, workFactor: defaultWorkFactor)
    }

    /// Parses an `age1…` recipient string (lowercase Bech32).
    ///
    /// Throws `unsupportedRecipient` for other `age1` types (such as post-quantum `age1pq1…`)
    /// and `invalidRecipient` for anything else that is not a valid X25519 recipient.
    public init(parsing string: String) throws {
        guard let (hrp, data) = Bech32.decode(string) else { throw AgeError.invalidRecipient }
        guard hrp == "age" else {
            throw hrp.hasPrefix("age1") ? AgeError.unsupportedRecipient : AgeError.invalidRecipient
        }
        guard string == string.lowercased(), data.count == X25519.keyLength else { throw AgeError.invalidRecipient }
        self = .x25519(publicKey: data)
    }

    /// Parses a recipients file: one `age1…` per line; blank lines and lines starting with `#`
    /// are ignored. Throws `invalidParameter` when the file names no recipient at all.
    public static func parseRecipientsFile(_ text: String) throws -> [AgeRecipient] {
        var recipients: [AgeRecipient] = []
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            let trimmed = String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            recipients.append(try AgeRecipient(parsing: trimmed))
        }
        guard !recipients.isEmpty else { throw AgeError.invalidParameter }
        return recipients
    }

    /// The `age1…` form of an X25519 public key.
    public static func encodeX25519(publicKey: [UInt8]) throws -> String {
        guard publicKey.count == X25519.keyLength else { throw AgeError.invalidParameter }
        return Bech32.encode(hrp: "age", data: publicKey)
    }

    /// The `age1…` string of an X25519 recipient, nil for a passphrase.
    public var encoded: String? {
        guard case .x25519(let publicKey) = self else { return nil }
        return try? Self.encodeX25519(publicKey: publicKey)
    }

    /// Wraps `fileKey` into this recipient's stanza.
    func wrap(fileKey: SecureBytes) throws -> Stanza {
        switch self {
        case .x25519(let publicKey):
            guard publicKey.count == X25519.keyLength else { throw AgeError.invalidParameter }
            let ephemeral = try X25519.generatePrivateKey()
            let share = try X25519.publicKey(for: ephemeral)
            let shared: SecureBytes
            do {
                shared = try X25519.sharedSecret(privateKey: ephemeral, publicKey: publicKey)
            } catch CryptoError.invalidParameter {
                throw AgeError.invalidRecipient
            }
            let wrapKey = try HKDF.sha256(key: shared, salt: share + publicKey, info: Self.x25519Label, length: 32)
            let body = try AEADKey(.chacha20Poly1305, key: wrapKey).seal(nonce: Self.zeroNonce, secret: fileKey)
            return Stanza(type: "X25519", arguments: [Base64.encode(share)], body: body)
        case .scrypt(let passphrase, let workFactor):
            guard Scrypt.workFactorRange.contains(workFactor) else { throw AgeError.invalidParameter }
            let salt = try SecureRandom.bytes(16)
            let wrapKey = try Scrypt.derive(password: passphrase, salt: Self.scryptLabel + salt, logN: workFactor)
            let body = try AEADKey(.chacha20Poly1305, key: wrapKey).seal(nonce: Self.zeroNonce, secret: fileKey)
            return Stanza(type: "scrypt", arguments: [Base64.encode(salt), String(workFactor)], body: body)
        }
    }
}
