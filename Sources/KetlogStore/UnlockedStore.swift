import Foundation
import GRDB
import KetlogCrypto
import KetlogModel

/// A store unlocked by one user's passphrase: it can read and write records, manage users (if
/// the user is an admin) and verify the audit trail. Every write appends an audit entry, signed
/// with the user's key (format 2), in the same IMMEDIATE transaction.
public final class UnlockedStore: @unchecked Sendable {
    public let store: Store
    /// The acting user.
    public let user: String
    /// The acting user's role, as the signed audit chain says (the slot's column before an upgrade).
    public let role: Role
    let keys: KeyRing
    let audit: AuditTrail
    /// The store's data key, kept to wrap it to users an admin adds or resets.
    let dataKey: SecureBytes
    /// The acting user's key pairs, when this process opened them with the passphrase; nil
    /// before a format-1 store's upgrade, and when the agent holds them (`signer`).
    let userKeys: UserKeys?
    /// Who signs for the acting user and unwrapped the data key: `userKeys`, or the agent.
    let signer: (any UserKeyHolder)?

    init(store: Store, dataKey: SecureBytes, keys: KeyRing, user: String, role: Role, userKeys: UserKeys?,
         signer: (any UserKeyHolder)? = nil) {
        (self.store, self.dataKey, self.keys, self.user, self.role, self.userKeys) = (store, dataKey, keys, user, role, userKeys)
        self.signer = signer ?? userKeys
        self.audit = AuditTrail(keys: keys, user: user, signer: self.signer)
    }

    /// The acting user's private keys, for `ketlog unlock` to hand to the agent it starts; nil
    /// when this process does not hold them (before a format-1 store's upgrade, or through an agent).
    public var privateKeysForAgent: UserKeys? { userKeys }

    /// Whether the acting user's keys are held by another process (the agent).
    public var keysHeldElsewhere: Bool { userKeys == nil && signer != nil }

    var database: DatabaseQueue { store.database }

    func requireAdmin(_ action: String) throws {
        guard role.mayManageUsers else { throw StoreError.permissionDenied(action: action, role: role) }
    }

    /// Records are written by admins and clinicians; a reporter only reads.
    func requireRecordWriter(_ action: AuditAction) throws {
        guard role.mayWriteRecords else { throw StoreError.readOnly(action: action.rawValue) }
    }

    /// The grant recording `slot` in the chain.
    static func grant(for slot: KeySlot) throws -> AuditEntry.Grant {
        AuditEntry.Grant(userName: slot.userName, role: try slot.parsedRole, agreementPublic: slot.x25519Public.map(Array.init),
                         signingPublic: slot.ed25519Public.map(Array.init), slotDigest: try slot.digest)
    }

    private func existingSlot(_ db: Database, _ name: String) throws -> KeySlot {
        guard let slot = try KeySlot.filter(KeySlot.Columns.userName == name).fetchOne(db) else { throw StoreError.unknownUser(name) }
        return slot
    }

    private func adminCount(_ db: Database) throws -> Int {
        try KeySlot.filter(KeySlot.Columns.role == Role.admin.rawValue).fetchCount(db)
    }

    // MARK: Users

    /// Adds a user with key pairs of their own, the data key wrapped to them. Admin only; no
    /// one else's passphrase is needed.
    public func addUser(_ name: String, role newRole: Role, passphrase: SecureBytes, workFactor: Int? = nil) throws {
        try requireAdmin("user add")
        try UserName.validate(name)
        let factor = try workFactor ?? store.workFactor(of: user)
        guard KeySlot.workFactorRange.contains(factor) else { throw StoreError.workFactorOutOfRange(KeySlot.workFactorRange) }
        let slot = try KeySlot.make(userName: name, role: newRole, keys: try UserKeys.generate(), passphrase: passphrase,
                                    workFactor: factor, dataKey: dataKey)
        try database.writeImmediate { db in
            guard try KeySlot.filter(KeySlot.Columns.userName == name).fetchCount(db) == 0 else { throw StoreError.userExists(name) }
            try slot.insert(db)
            try audit.append(db, action: .userAdd, records: [], patientID: nil, recordsHash: [],
                             detail: "\(name) as \(newRole.rawValue)", grants: [try Self.grant(for: slot)])
        }
    }

    /// Changes `name`'s passphrase. Anyone may change their own (their keys, re-sealed); an admin
    /// may reset anyone's, which gives them new key pairs (an admin cannot open theirs).
    public func changePassphrase(of name: String, to passphrase: SecureBytes) throws {
        if name != user { try requireAdmin("user passwd for another user") }
        // Re-sealing one's own keys needs them here: never new keys in their place.
        if name == user && userKeys == nil && signer != nil { throw StoreError.passphraseNeeded(action: "user passwd") }
        try database.writeImmediate { db in
            let old = try existingSlot(db, name)
            let keys = name == user ? userKeys : nil
            var slot = try KeySlot.make(userName: name, role: try old.parsedRole, keys: try keys ?? UserKeys.generate(),
                                        passphrase: passphrase, workFactor: old.kdfWorkFactor, dataKey: dataKey)
            slot.id = old.id
            try slot.update(db)
            try audit.append(db, action: .userPasswd, records: [], patientID: nil, recordsHash: [], detail: name,
                             grants: [try Self.grant(for: slot)])
        }
    }

    /// Changes `name`'s role. Admin only; the last admin cannot be demoted.
    public func setRole(of name: String, to newRole: Role) throws {
        try requireAdmin("user role")
        try database.writeImmediate { db in
            var slot = try existingSlot(db, name)
            guard slot.hasKeyPairs else { throw StoreError.userPending(name) }
            if try slot.parsedRole == .admin && newRole != .admin && adminCount(db) <= 1 { throw StoreError.lastAdmin }
            slot.role = newRole.rawValue
            try slot.update(db)
            try audit.append(db, action: .userRole, records: [], patientID: nil, recordsHash: [],
                             detail: "\(name) as \(newRole.rawValue)", grants: [try Self.grant(for: slot)])
        }
    }

    /// Removes a user's key slot. Admin only; the last admin stays.
    public func removeUser(_ name: String) throws {
        try requireAdmin("user remove")
        try database.writeImmediate { db in try remove(db, name) }
    }

    /// Removes `name`'s slot and appends the signed removal, inside the caller's transaction
    /// (`removeUser(_:rekey:)` rekeys in the same one).
    func remove(_ db: Database, _ name: String) throws {
        let slot = try existingSlot(db, name)
        if try slot.parsedRole == .admin && adminCount(db) <= 1 { throw StoreError.lastAdmin }
        _ = try slot.delete(db)
        try audit.append(db, action: .userRemove, records: [], patientID: nil, recordsHash: [], detail: name,
                         grants: [AuditEntry.Grant(userName: name, role: nil)])
    }
}
