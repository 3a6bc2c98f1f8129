import Foundation
import GRDB
import KetlogCrypto

/// A store unlocked by one user's passphrase: it can read and write records, manage users (if
/// the user is an admin) and verify the audit trail. Every write appends an audit entry in the
/// same IMMEDIATE transaction.
public final class UnlockedStore: @unchecked Sendable {
    public let store: Store
    /// The acting user.
    public let user: String
    public let role: Role
    let keys: KeyRing
    let audit: AuditTrail

    init(store: Store, keys: KeyRing, user: String, role: Role) {
        self.store = store
        self.keys = keys
        self.user = user
        self.role = role
        self.audit = AuditTrail(keys: keys, user: user)
    }

    var database: DatabaseQueue { store.database }

    func requireAdmin(_ action: String) throws {
        guard role == .admin else { throw StoreError.permissionDenied(action: action, role: role) }
    }

    /// The data key, unwrapped again from the acting user's slot; used to wrap it for others.
    private func dataKey(passphrase: SecureBytes) throws -> SecureBytes {
        try store.slot(user).unwrap(passphrase: passphrase)
    }

    // MARK: Users

    /// Adds a user with its own key slot. Admin only. `actingPassphrase` re-opens the data key.
    public func addUser(_ name: String, role newRole: Role, passphrase: SecureBytes, workFactor: Int? = nil,
                        actingPassphrase: SecureBytes) throws {
        try requireAdmin("user add")
        try UserName.validate(name)
        let factor = try workFactor ?? store.workFactor(of: user)
        guard KeySlot.workFactorRange.contains(factor) else {
            throw StoreError.workFactorOutOfRange(KeySlot.workFactorRange)
        }
        let slot = try KeySlot.make(userName: name, role: newRole, passphrase: passphrase, workFactor: factor,
                                    dataKey: try dataKey(passphrase: actingPassphrase))
        try database.writeImmediate { db in
            guard try KeySlot.filter(KeySlot.Columns.userName == name).fetchCount(db) == 0 else {
                throw StoreError.userExists(name)
            }
            try slot.insert(db)
            try audit.append(db, action: .userAdd, records: [], patientID: nil, recordsHash: [],
                             detail: "\(name) as \(newRole.rawValue)")
        }
    }

    /// Rewraps the data key for `name` under a new passphrase. Anyone may change their own;
    /// an admin may reset anyone's.
    public func changePassphrase(of name: String, to passphrase: SecureBytes, actingPassphrase: SecureBytes) throws {
        if name != user { try requireAdmin("user passwd for another user") }
        let old = try store.slot(name)
        var slot = try KeySlot.make(userName: name, role: try old.parsedRole, passphrase: passphrase,
                                    workFactor: old.kdfWorkFactor, dataKey: try dataKey(passphrase: actingPassphrase))
        slot.id = old.id
        try database.writeImmediate { db in
            try slot.update(db)
            try audit.append(db, action: .userPasswd, records: [], patientID: nil, recordsHash: [], detail: name)
        }
    }

    /// Removes a user's key slot. Admin only; the last admin stays.
    public func removeUser(_ name: String) throws {
        try requireAdmin("user remove")
        try database.writeImmediate { db in
            guard let slot = try KeySlot.filter(KeySlot.Columns.userName == name).fetchOne(db) else {
                throw StoreError.unknownUser(name)
            }
            if try slot.parsedRole == .admin {
                let admins = try KeySlot.filter(KeySlot.Columns.role == Role.admin.rawValue).fetchCount(db)
                guard admins > 1 else { throw StoreError.lastAdmin }
            }
            _ = try slot.delete(db)
            try audit.append(db, action: .userRemove, records: [], patientID: nil, recordsHash: [], detail: name)
        }
    }
}
