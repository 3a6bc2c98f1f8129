import Foundation
import GRDB
import KetlogCrypto
import KetlogModel

/// An opened ketlog store, still locked: enough to show its status and to unlock it.
public final class Store: @unchecked Sendable {
    public let path: String
    let database: DatabaseQueue
    /// Descriptors of the store file opened outside SQLite (`withQuiescentFile`). Closing one
    /// would drop every POSIX lock this process holds on the file, SQLite's included, so they
    /// are closed only after SQLite's connection, in `close()`, or at exit.
    var outsideDescriptors: [Int32] = []
    /// Set by `close()`: nothing may be read through this object afterwards.
    public internal(set) var isClosed = false

    private init(path: String, database: DatabaseQueue) {
        self.path = path
        self.database = database
    }

    /// Opens the store at `path`; throws `storeNotFound`, `corruptStore`, `newerFormat` or
    /// `schemaMismatch` (`StoreFormat.checkSchema`).
    public static func open(path: String) throws -> Store {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.storeNotFound(path: path) }
        let database = try DatabaseConnection.open(path: path)
        let store = Store(path: path, database: database)
        try database.readMapped { db in
            // One probe of sqlite_master (GRDB's tableExists first loads its whole schema cache).
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'store_meta'") != nil
            else { throw StoreError.corruptStore(detail: "not a ketlog store") }
            try StoreFormat.checkNotNewer(db)
            try StoreFormat.checkSchema(db)
        }
        try StoreFormat.migrateForward(database)
        return store
    }

    /// Opens the store at `path` only to checkpoint and then replace it (`install`): it is not
    /// read, so neither its schema nor its format is checked; a damaged store can be replaced.
    static func openForReplacement(path: String) throws -> Store {
        Store(path: path, database: try DatabaseConnection.open(path: path))
    }

    /// The scrypt work factors a key slot accepts (N = 2^value), defined once for every command.
    public static let workFactorRange = 10...22
    /// The default: 128 MiB, about a quarter to half a second of one core per unlock.
    public static let defaultWorkFactor = 17

    /// Creates a store with its first user (an admin) and returns it unlocked.
    /// Refuses with `storeExists` if anything is at `path`; on failure removes what it created.
    public static func create(path: String, admin: String, passphrase: SecureBytes, workFactor: Int,
                              now: Date = Date()) throws -> UnlockedStore {
        try UserName.validate(admin)
        guard KeySlot.workFactorRange.contains(workFactor) else {
            throw StoreError.workFactorOutOfRange(KeySlot.workFactorRange)
        }
        try StoreFiles.createEmptyStoreFile(at: path)
        do {
            let database = try DatabaseConnection.open(path: path, creating: true)
            let store = Store(path: path, database: database)
            let dataKey = try SecureBytes.random(count: 32)
            let keys = try KeyRing(dataKey: dataKey)
            let userKeys = try UserKeys.generate()
            let slot = try KeySlot.make(userName: admin, role: .admin, keys: userKeys, passphrase: passphrase,
                                        workFactor: workFactor, dataKey: dataKey)
            do { try StoreFormat.migrator.migrate(database) } catch let error as DatabaseError { throw StoreError.from(error) }
            let unlocked = UnlockedStore(store: store, dataKey: dataKey, keys: keys, user: admin, role: .admin, userKeys: userKeys)
            try database.writeImmediate { db in
                let storeID = try SecureRandom.bytes(16)
                try db.execute(sql: "INSERT INTO store_meta (id, format_version, store_id, key_check) VALUES (1, ?, ?, ?)",
                               arguments: [StoreFormat.version, Data(storeID), Data(try keys.keyCheck(storeID: storeID))])
                try slot.insert(db)
                // The first entry names the first admin and their public keys, signed by them.
                try unlocked.audit.append(db, action: .initialize, records: [], patientID: nil, recordsHash: [],
                                          detail: "admin \(admin), kdf work factor \(workFactor)",
                                          grants: [try UnlockedStore.grant(for: slot)], now: now)
            }
            return unlocked
        } catch {
            StoreFiles.removeStoreFiles(at: path)
            throw error
        }
    }

    /// The user names that have key slots, with their roles, in name order.
    public func users() throws -> [(name: String, role: Role)] {
        try database.readMapped { db in
            try KeySlot.order(KeySlot.Columns.userName).fetchAll(db).map { ($0.userName, try $0.parsedRole) }
        }
    }

    /// Picks the acting user: `explicit` (`--user` or `KETLOG_USER`) if given, else `loginName`
    /// when it has a slot, else the only slot.
    public func resolveUser(explicit: String?, loginName: String?) throws -> String {
        // The names alone: no key slot is decoded to pick one.
        let names = try database.readMapped { db in try String.fetchAll(db, sql: "SELECT user_name FROM key_slot ORDER BY user_name") }
        if let explicit {
            guard names.contains(explicit) else { throw StoreError.unknownUser(explicit) }
            return explicit
        }
        if let loginName, names.contains(loginName) { return loginName }
        if names.count == 1 { return names[0] }
        throw StoreError.userAmbiguous(candidates: names)
    }

    /// The named user's KDF work factor (to tell a person why unlocking takes time).
    public func workFactor(of user: String) throws -> Int {
        try slot(user).kdfWorkFactor
    }

    func slot(_ user: String) throws -> KeySlot {
        try database.readMapped { db in
            guard let slot = try KeySlot.filter(KeySlot.Columns.userName == user).fetchOne(db) else {
                throw StoreError.unknownUser(user)
            }
            return slot
        }
    }

    /// Unlocks the store as `user` with `passphrase`; throws `wrongPassphrase` and writes nothing.
    public func unlock(user: String, passphrase: SecureBytes) throws -> UnlockedStore {
        let slot = try slot(user)
        let kek = try slot.keyEncryptionKey(passphrase)
        var userKeys: UserKeys?
        let dataKey: SecureBytes
        if slot.hasKeyPairs {
            let opened = try slot.openKeys(kek: kek)
            dataKey = try slot.unwrapDataKey(opened)
            userKeys = opened
        } else {
            dataKey = try slot.unwrapFormat1(kek: kek)
        }
        let keys = try KeyRing(dataKey: dataKey)
        guard let roster = try checkedRoster(keys: keys, user: user, signer: userKeys) else {
            // A format-1 store: an admin's unlock upgrades it to key pairs; others act as before.
            let role = try slot.parsedRole
            guard role == .admin else {
                return UnlockedStore(store: self, dataKey: dataKey, keys: keys, user: user, role: role, userKeys: nil)
            }
            let upgraded = try upgrade(admin: slot, passphrase: passphrase, dataKey: dataKey, keys: keys)
            return UnlockedStore(store: self, dataKey: dataKey, keys: keys, user: user, role: .admin, userKeys: upgraded)
        }
        guard let role = roster.members[user]?.role else { throw StoreError.slotMismatch(user: user) }
        if let userKeys {
            return UnlockedStore(store: self, dataKey: dataKey, keys: keys, user: user, role: role, userKeys: userKeys)
        }
        let registered = try register(slot, kek: kek, passphrase: passphrase, dataKey: dataKey, keys: keys)
        return UnlockedStore(store: self, dataKey: dataKey, keys: keys, user: user, role: role, userKeys: registered)
    }

    /// Unlocks the store as `user` with keys another process holds (the agent): it unwraps the
    /// data key from the slot and signs for this process. Refuses with `heldKeysChanged` when its
    /// public keys are no longer the slot's, and checks the key and the slots against the chain
    /// exactly as `unlock(user:passphrase:)` does. Needs a format-2 slot.
    public func unlock(user: String, holder: any UserKeyHolder) throws -> UnlockedStore {
        let slot = try slot(user)
        guard slot.hasKeyPairs, let keyWrap = slot.keyWrap, slot.x25519Public.map(Array.init) == holder.agreementPublic,
              slot.ed25519Public.map(Array.init) == holder.signingPublic
        else { throw StoreError.heldKeysChanged(user: user) }
        let dataKey = try holder.unwrapDataKey(Array(keyWrap), userName: user)
        let keys = try KeyRing(dataKey: dataKey)
        guard let role = try checkedRoster(keys: keys, user: user, signer: holder)?.members[user]?.role else {
            throw StoreError.slotMismatch(user: user)
        }
        return UnlockedStore(store: self, dataKey: dataKey, keys: keys, user: user, role: role, userKeys: nil, signer: holder)
    }

    /// Checks that `keys` belong to this store and that every key slot matches the signed chain;
    /// returns the chain's roster (nil for a format-1 store, which has none yet).
    private func checkedRoster(keys: KeyRing, user: String, signer: (any UserKeyHolder)?) throws -> Roster? {
        let trail = AuditTrail(keys: keys, user: user, signer: signer)
        return try database.readMapped { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT store_id, key_check FROM store_meta WHERE id = 1") else {
                throw StoreError.corruptStore(detail: "store_meta is missing")
            }
            let storeID: [UInt8] = Array(row["store_id"] as Data)
            let check: [UInt8] = Array(row["key_check"] as Data)
            guard ConstantTime.equal(try keys.keyCheck(storeID: storeID), check) else {
                throw StoreError.corruptStore(detail: "the data key does not match this store")
            }
            // The key slots are a cache of what the signed chain says: each must match it.
            guard let roster = try trail.membershipRoster(db) else { return nil }
            if let mismatch = try roster.firstMismatch(try KeySlot.fetchAll(db)) { throw StoreError.slotMismatch(user: mismatch) }
            return roster
        }
    }

    /// The digest of `user`'s key slot in the store at `path` (what the chain records of it), or
    /// nil when the store or the slot is gone. Opens no `Store`: no migration, nothing written.
    /// The agent reads it when a command connects and every two seconds, to end when the user's
    /// keys change.
    public static func slotDigest(path: String, user: String) throws -> [UInt8]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let database = try DatabaseConnection.open(path: path)
        return try database.readMapped { db in
            try KeySlot.filter(KeySlot.Columns.userName == user).fetchOne(db)?.digest
        }
    }

    /// Upgrades a format-1 store at an admin's unlock: the admin gets key pairs (sealed under the
    /// same passphrase, with a new salt), and an entry signed by them lists every user and role,
    /// and each other user's format-1 wrap, which that user's first unlock must prove they hold.
    private func upgrade(admin old: KeySlot, passphrase: SecureBytes, dataKey: SecureBytes, keys: KeyRing) throws -> UserKeys {
        let userKeys = try UserKeys.generate()
        try database.writeImmediate { db in
            guard let current = try KeySlot.filter(KeySlot.Columns.userName == old.userName).fetchOne(db), !current.hasKeyPairs
            else { return }
            // Sealed under the same passphrase with a new salt (one more scrypt, once).
            var slot = try KeySlot.make(userName: old.userName, role: .admin, keys: userKeys, passphrase: passphrase,
                                        workFactor: old.kdfWorkFactor, dataKey: dataKey)
            slot.id = current.id
            try slot.update(db)
            var grants = [try UnlockedStore.grant(for: slot)]
            for other in try KeySlot.order(KeySlot.Columns.userName).fetchAll(db) where other.userName != old.userName {
                grants.append(AuditEntry.Grant(userName: other.userName, role: try other.parsedRole,
                                               format1Material: other.format1Material))
            }
            try AuditTrail(keys: keys, user: old.userName, signer: userKeys)
                .append(db, action: .storeUpgrade, records: [], patientID: nil, recordsHash: [],
                        detail: "\(grants.count) users", grants: grants)
        }
        return userKeys
    }

    /// A user's first unlock after the upgrade: key pairs of their own, sealed under their
    /// passphrase with a new salt; the entry carries the former slot's key-encryption key, which
    /// proves they held it and opens nothing once that slot is gone.
    private func register(_ old: KeySlot, kek: SecureBytes, passphrase: SecureBytes, dataKey: SecureBytes,
                          keys: KeyRing) throws -> UserKeys {
        let userKeys = try UserKeys.generate()
        var slot = try KeySlot.make(userName: old.userName, role: try old.parsedRole, keys: userKeys, passphrase: passphrase,
                                    workFactor: old.kdfWorkFactor, dataKey: dataKey)
        slot.id = old.id
        try database.writeImmediate { db in
            try slot.update(db)
            var grant = try UnlockedStore.grant(for: slot)
            grant.formerKEK = kek.unsafeArray
            try AuditTrail(keys: keys, user: old.userName, signer: userKeys)
                .append(db, action: .userKeys, records: [], patientID: nil, recordsHash: [], detail: old.userName, grants: [grant])
        }
        return userKeys
    }

    /// What `ketlog status` shows; needs no passphrase.
    public func status() throws -> StoreStatus {
        try database.readMapped { db in
            let version = try Int.fetchOne(db, sql: "SELECT format_version FROM store_meta WHERE id = 1") ?? 0
            // Records and entries are never deleted (the append-only triggers, which the schema
            // check on every open requires) and their ids are handed out in order, so the highest
            // id is the count: one index probe instead of a scan of millions of rows at L.
            // `audit verify` is what checks that every record is there.
            func count(_ table: String) throws -> Int {
                let key = table == "audit_entry" ? "seq" : "id"
                return try Int.fetchOne(db, sql: "SELECT coalesce(max(\(key)), 0) FROM \(table)") ?? 0
            }
            // A kind format 3 added: none in a store that has not had its migration yet.
            func newer(_ kind: RecordKind) throws -> Int { try db.tableExists(kind.table) ? count(kind.table) : 0 }
            let head = try Row.fetchOne(db, sql: "SELECT seq, mac, signature FROM audit_entry ORDER BY seq DESC LIMIT 1")
            let storeID = try Data.fetchOne(db, sql: "SELECT store_id FROM store_meta WHERE id = 1")
            return StoreStatus(
                path: path, storeID: storeID.map { $0.map { String(format: "%02x", $0) }.joined() }, formatVersion: version,
                users: try KeySlot.order(KeySlot.Columns.userName).fetchAll(db).map { .init(name: $0.userName, role: try $0.parsedRole) },
                patients: try count("patient"), sessions: try count("session"), scores: try count("score"),
                vitals: try newer(.vitals), screens: try newer(.screen), days: try newer(.day),
                auditEntries: try count("audit_entry"),
                auditHead: head.map { AuditTrail.headString(AuditTrail.identity($0)) }
            )
        }
    }
}
