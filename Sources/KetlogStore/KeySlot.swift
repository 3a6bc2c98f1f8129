import Foundation
import GRDB
import KetlogCrypto

/// One user's key slot: the data key wrapped under a key-encryption key derived with
/// scrypt(passphrase, salt, N = 2^workFactor, r = 8, p = 1). The user name and role are bound
/// into the wrap's associated data, so promoting a clinician in the file breaks the slot.
struct KeySlot: Codable, FetchableRecord, PersistableRecord, Sendable {
    static let databaseTableName = "key_slot"

    var id: Int64?
    var userName: String
    var role: String
    var kdfSalt: Data
    var kdfWorkFactor: Int
    var wrapNonce: Data
    var wrappedKey: Data

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
    }

    static var workFactorRange: ClosedRange<Int> { Store.workFactorRange }
    static var defaultWorkFactor: Int { Store.defaultWorkFactor }

    var parsedRole: Role {
        get throws {
            guard let role = Role(rawValue: role) else { throw StoreError.corruptStore(detail: "key slot role") }
            return role
        }
    }

    private static func associatedData(userName: String, role: String) -> [UInt8] {
        Array("ketlog/v1/key-slot\u{0}\(userName)\u{0}\(role)".utf8)
    }

    /// Wraps `dataKey` for a user under a passphrase.
    static func make(userName: String, role: Role, passphrase: SecureBytes, workFactor: Int,
                     dataKey: SecureBytes) throws -> KeySlot {
        let salt = try SecureRandom.bytes(16)
        let nonce = try SecureRandom.bytes(AEADKey.nonceLength)
        let kek = try AEADKey(.aes256GCM, key: try Scrypt.derive(password: passphrase, salt: salt, logN: workFactor))
        let wrapped = try kek.seal(nonce: nonce, secret: dataKey,
                                   aad: associatedData(userName: userName, role: role.rawValue))
        return KeySlot(id: nil, userName: userName, role: role.rawValue, kdfSalt: Data(salt), kdfWorkFactor: workFactor,
                       wrapNonce: Data(nonce), wrappedKey: Data(wrapped))
    }

    /// Unwraps the data key, or throws `wrongPassphrase`.
    func unwrap(passphrase: SecureBytes) throws -> SecureBytes {
        guard Self.workFactorRange.contains(kdfWorkFactor) else { throw StoreError.corruptStore(detail: "key slot work factor") }
        let kek = try AEADKey(.aes256GCM, key: try Scrypt.derive(password: passphrase, salt: Array(kdfSalt), logN: kdfWorkFactor))
        do {
            return try kek.openSecret(nonce: Array(wrapNonce), sealed: Array(wrappedKey),
                                      aad: Self.associatedData(userName: userName, role: role))
        } catch CryptoError.authenticationFailure {
            throw StoreError.wrongPassphrase(user: userName)
        }
    }
}
