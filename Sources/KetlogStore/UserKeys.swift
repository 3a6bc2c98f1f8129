import Foundation
import KetlogCrypto

/// One user's key pairs (store format 2): X25519, to which the store's data key is wrapped, and
/// Ed25519, which signs the user's audit entries. Held only while the store is unlocked.
public struct UserKeys: Sendable {
    let agreementPrivate: SecureBytes
    public let agreementPublic: [UInt8]
    let signing: Ed25519PrivateKey

    /// Fresh key pairs.
    static func generate() throws -> UserKeys {
        let agreement = try X25519.generatePrivateKey()
        return UserKeys(agreementPrivate: agreement, agreementPublic: try X25519.publicKey(for: agreement),
                        signing: try Ed25519PrivateKey())
    }

    /// Both private keys, as sealed in the slot: X25519 private key (32) ‖ Ed25519 seed (32).
    public var privateBytes: SecureBytes {
        SecureBytes(agreementPrivate.unsafeArray + signing.seed.unsafeArray)
    }

    init(agreementPrivate: SecureBytes, agreementPublic: [UInt8], signing: Ed25519PrivateKey) {
        self.agreementPrivate = agreementPrivate
        self.agreementPublic = agreementPublic
        self.signing = signing
    }

    /// Parses what `privateBytes` gave.
    public init(privateBytes: SecureBytes) throws {
        guard privateBytes.count == 64 else { throw CryptoError.invalidLength }
        let bytes = privateBytes.unsafeArray
        agreementPrivate = SecureBytes(bytes[0..<32])
        agreementPublic = try X25519.publicKey(for: agreementPrivate)
        signing = try Ed25519PrivateKey(seed: SecureBytes(bytes[32..<64]))
    }

    public var signingPublic: [UInt8] { signing.publicKey.rawRepresentation }

    /// Wraps `dataKey` to `recipient` (an X25519 public key), as an age recipient stanza wraps a
    /// file key: an ephemeral key pair, HKDF-SHA256 over the shared secret, AES-256-GCM.
    /// Layout: ephemeral public key (32) ‖ nonce (12) ‖ ciphertext (32) ‖ tag (16).
    static func wrap(dataKey: SecureBytes, to recipient: [UInt8], userName: String) throws -> [UInt8] {
        let ephemeral = try X25519.generatePrivateKey()
        let share = try X25519.publicKey(for: ephemeral)
        let key = try wrapKey(shared: try X25519.sharedSecret(privateKey: ephemeral, publicKey: recipient), share: share,
                              recipient: recipient)
        let nonce = try SecureRandom.bytes(AEADKey.nonceLength)
        return share + nonce + (try key.seal(nonce: nonce, secret: dataKey, aad: wrapAAD(userName)))
    }

    /// Opens a wrap made by `wrap(dataKey:to:userName:)` with this user's X25519 private key.
    func unwrap(_ wrap: [UInt8], userName: String) throws -> SecureBytes {
        guard wrap.count == 32 + AEADKey.nonceLength + 32 + AEADKey.tagLength else { throw CryptoError.invalidLength }
        let share = Array(wrap[0..<32])
        let key = try Self.wrapKey(shared: try X25519.sharedSecret(privateKey: agreementPrivate, publicKey: share), share: share,
                                   recipient: agreementPublic)
        return try key.openSecret(nonce: Array(wrap[32..<44]), sealed: Array(wrap[44...]), aad: Self.wrapAAD(userName))
    }

    private static func wrapKey(shared: SecureBytes, share: [UInt8], recipient: [UInt8]) throws -> AEADKey {
        try AEADKey(.aes256GCM, key: try HKDF.sha256(key: shared, salt: share + recipient,
                                                    info: Array("ketlog/v2/key-wrap".utf8), length: 32))
    }

    private static func wrapAAD(_ userName: String) -> [UInt8] { Array("ketlog/v2/key-wrap\u{0}\(userName)".utf8) }
}
