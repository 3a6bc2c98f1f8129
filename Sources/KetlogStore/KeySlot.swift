import Foundation
import GRDB
import KetlogCrypto

/// One user's key slot. The passphrase gives a key-encryption key (KEK) with
/// scrypt(passphrase, salt, N = 2^workFactor, r = 8, p = 1).
///
/// - Format 1: the KEK wraps the data key; the user name and role are bound into the wrap.
/// - Format 2: the KEK seals the user's X25519 and Ed25519 private keys; the data key is wrapped
///   to the X25519 public key, so an admin can give it to a user, or rekey, without the user's
///   passphrase. The row is a cache of what the signed audit chain says (`Roster`): its digest
///   must be the one the chain last recorded for the user.
struct KeySlot: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "key_slot"

    var id: Int64?
    var userName: String
    var role: String
    var kdfSalt: Data
    var kdfWorkFactor: Int
    var wrapNonce: Data?
    var wrappedKey: Data?
    var x25519Public: Data?
    var ed25519Public: Data?
    var sealedPrivate: Data?
    var keyWrap: Data?

    enum Columns {
        static let userName = Column(CodingKeys.userName)
        static let role = Column(CodingKeys.role)
    }

    enum CodingKeys: String, CodingKey {
        case id, role
        case userName = "user_name"
        case kdfSalt = "kdf_salt"
        case kdfWorkFactor = "kdf_work_factor"
        case wrapNonce = "wrap_nonce"
        case wrappedKey = "wrapped_key"
        case x25519Public = "x25519_public"
        case ed25519Public = "ed25519_public"
        case sealedPrivate = "sealed_private"
        case keyWrap = "key_wrap"
    }

    static var workFactorRange: ClosedRange<Int> { Store.workFactorRange }

    var parsedRole: Role {
        get throws {
            guard let role = Role(rawValue: role) else { throw StoreError.corruptStore(detail: "key slot role") }
            return role
        }
    }

    /// Whether the slot holds key pairs (format 2) rather than a passphrase-wrapped data key.
    var hasKeyPairs: Bool { sealedPrivate != nil }

    /// The key-encryption key of `passphrase` for this slot.
    func keyEncryptionKey(_ passphrase: SecureBytes) throws -> SecureBytes {
        guard Self.workFactorRange.contains(kdfWorkFactor) else { throw StoreError.corruptStore(detail: "key slot work factor") }
        return try Scrypt.derive(password: passphrase, salt: Array(kdfSalt), logN: kdfWorkFactor)
    }

    // MARK: Format 1

    private static func associatedData(userName: String, role: String) -> [UInt8] {
        Array("ketlog/v1/key-slot\u{0}\(userName)\u{0}\(role)".utf8)
    }

    /// Opens a format-1 slot with its key-encryption key, or throws `wrongPassphrase`.
    func unwrapFormat1(kek: SecureBytes) throws -> SecureBytes {
        guard let wrapNonce, let wrappedKey else { throw StoreError.corruptStore(detail: "key slot of \(userName) has no wrap") }
        do {
            return try AEADKey(.aes256GCM, key: kek).openSecret(nonce: Array(wrapNonce), sealed: Array(wrappedKey),
                                                                aad: Self.associatedData(userName: userName, role: role))
        } catch CryptoError.authenticationFailure {
            throw StoreError.wrongPassphrase(user: userName)
        }
    }

    /// Whether `kek` opens the format-1 wrap `nonce ‖ wrapped` of `userName` as `role`: how a
    /// user registering key pairs after an upgrade proves they held that slot's passphrase.
    static func format1KEKOpens(_ kek: SecureBytes, material: [UInt8], userName: String, role: String) -> Bool {
        guard material.count == AEADKey.nonceLength + 48, let key = try? AEADKey(.aes256GCM, key: kek) else { return false }
        return (try? key.openSecret(nonce: Array(material[0..<12]), sealed: Array(material[12...]),
                                    aad: associatedData(userName: userName, role: role))) != nil
    }

    /// The format-1 wrap (nonce ‖ wrapped key), which an upgrade entry commits to.
    var format1Material: [UInt8]? {
        guard let wrapNonce, let wrappedKey else { return nil }
        return Array(wrapNonce) + Array(wrappedKey)
    }

    // MARK: Format 2

    private static func privateAAD(_ userName: String) -> [UInt8] { Array("ketlog/v2/private-keys\u{0}\(userName)".utf8) }

    /// A format-2 slot: `keys` sealed under `passphrase`, and `dataKey` wrapped to them.
    static func make(userName: String, role: Role, keys: UserKeys, passphrase: SecureBytes, workFactor: Int,
                     dataKey: SecureBytes) throws -> KeySlot {
        let salt = try SecureRandom.bytes(16)
        let kek = try Scrypt.derive(password: passphrase, salt: salt, logN: workFactor)
        return try make(userName: userName, role: role, keys: keys, kek: kek, salt: salt, workFactor: workFactor,
                        keyWrap: try UserKeys.wrap(dataKey: dataKey, to: keys.agreementPublic, userName: userName))
    }

    /// A format-2 slot from a key-encryption key already derived with `salt`.
    static func make(userName: String, role: Role, keys: UserKeys, kek: SecureBytes, salt: [UInt8], workFactor: Int,
                     keyWrap: [UInt8]) throws -> KeySlot {
        let nonce = try SecureRandom.bytes(AEADKey.nonceLength)
        let sealed = try AEADKey(.aes256GCM, key: kek).seal(nonce: nonce, secret: keys.privateBytes, aad: privateAAD(userName))
        return KeySlot(id: nil, userName: userName, role: role.rawValue, kdfSalt: Data(salt), kdfWorkFactor: workFactor,
                       wrapNonce: nil, wrappedKey: nil, x25519Public: Data(keys.agreementPublic),
                       ed25519Public: Data(keys.signingPublic), sealedPrivate: Data(nonce + sealed), keyWrap: Data(keyWrap))
    }

    /// Opens a format-2 slot's private keys with its key-encryption key, or throws `wrongPassphrase`.
    func openKeys(kek: SecureBytes) throws -> UserKeys {
        guard let sealedPrivate, sealedPrivate.count > AEADKey.nonceLength else {
            throw StoreError.corruptStore(detail: "key slot of \(userName) has no key pairs")
        }
        let bytes = Array(sealedPrivate)
        let privateBytes: SecureBytes
        do {
            privateBytes = try AEADKey(.aes256GCM, key: kek).openSecret(nonce: Array(bytes[0..<12]), sealed: Array(bytes[12...]),
                                                                        aad: Self.privateAAD(userName))
        } catch CryptoError.authenticationFailure {
            throw StoreError.wrongPassphrase(user: userName)
        }
        let keys = try UserKeys(privateBytes: privateBytes)
        guard keys.agreementPublic == x25519Public.map(Array.init), keys.signingPublic == ed25519Public.map(Array.init) else {
            throw StoreError.slotMismatch(user: userName)
        }
        return keys
    }

    /// The data key from a format-2 slot.
    func unwrapDataKey(_ keys: UserKeys) throws -> SecureBytes {
        guard let keyWrap else { throw StoreError.corruptStore(detail: "key slot of \(userName) has no data-key wrap") }
        do {
            return try keys.unwrap(Array(keyWrap), userName: userName)
        } catch {
            throw StoreError.slotMismatch(user: userName)
        }
    }

    /// What the audit chain records of this slot: SHA-256 over every column but the row id, so
    /// a slot put back, an old wrap restored, or a role edited no longer matches the chain.
    var digest: [UInt8] {
        get throws {
            var writer = ByteWriter(capacity: 400)
            writer.string("ketlog/v2/slot")
            writer.string(userName)
            writer.string(role)
            writer.raw(Array(kdfSalt))
            writer.i64(Int64(kdfWorkFactor))
            for column in [wrapNonce, wrappedKey, x25519Public, ed25519Public, sealedPrivate, keyWrap] {
                writer.optionalBytes(column.map(Array.init))
            }
            return try SHA256.hash(writer.bytes)
        }
    }
}
