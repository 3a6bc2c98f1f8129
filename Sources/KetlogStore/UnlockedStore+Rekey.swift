import Dispatch
import Foundation
import GRDB
import GRDBSQLite
import KetlogCrypto
import KetlogModel

/// What a rekey did, and the store unlocked under the new data key.
public struct RekeyResult: Sendable {
    /// The store under the new key. The `UnlockedStore` that rekeyed still holds the old keys,
    /// which open nothing in the store any more.
    public let store: UnlockedStore
    /// Record versions re-sealed (every version of every record).
    public let recordVersions: Int
    /// Audit entries re-sealed and re-MACed (those before the rekey's own entry).
    public let auditEntries: Int
    /// Every user the new key was wrapped to, in name order.
    public let users: [String]
}

extension UnlockedStore {
    /// Progress of a rekey: rows re-sealed so far, and in all.
    public typealias RekeyProgress = (_ done: Int, _ total: Int) -> Void

    /// Makes a new random data key and, in one IMMEDIATE transaction (so a crash leaves the old
    /// store or the new one, never a mix): re-seals every record version and audit entry under
    /// it, recomputes the blind indexes, the MAC chain and the key check, wraps the new key to
    /// every user's X25519 public key (no one's passphrase is needed), and appends a
    /// `store.rekey` entry signed by this admin that names every version and hashes them as
    /// re-sealed. Admin only; refused while a user has not registered key pairs
    /// (`userPending`), and for a store that does not verify (`unverifiedStore`).
    public func rekey(progress: RekeyProgress? = nil) throws -> RekeyResult {
        try requireAdmin("rekey")
        return try rekeyed(progress: progress) { _ in }
    }

    /// Removes `name` and, with `rekey`, rekeys in the same transaction, so that the removed
    /// user's copy of the old key opens nothing the store holds afterwards. Returns the rekey's
    /// result, or nil without `rekey`.
    public func removeUser(_ name: String, rekey: Bool, progress: RekeyProgress? = nil) throws -> RekeyResult? {
        guard rekey else {
            try removeUser(name)
            return nil
        }
        try requireAdmin("user remove")
        return try rekeyed(progress: progress) { db in try self.remove(db, name) }
    }

    private func rekeyed(progress: RekeyProgress?, first: (Database) throws -> Void) throws -> RekeyResult {
        guard let signer else { throw StoreError.userPending(user) }
        let newDataKey = try SecureBytes.random(count: 32)
        let newKeys = try KeyRing(dataKey: newDataKey)
        let (versions, entries, users) = try database.writeImmediate { db -> (Int, Int, [String]) in
            try first(db)
            let slots = try KeySlot.order(KeySlot.Columns.userName).fetchAll(db)
            // A format-1 slot holds the data key under its passphrase only: it cannot be
            // rewrapped, and would keep opening the old key.
            if let pending = slots.first(where: { !$0.hasKeyPairs || $0.x25519Public == nil }) {
                throw StoreError.userPending(pending.userName)
            }
            // The earlier entries' records hashes are over blobs about to be replaced, and the
            // rekey entry vouches for the re-sealed ones: only a store that verifies is rekeyed.
            if let problem = try verify(db, records: true).problem { throw StoreError.unverifiedStore(problem) }

            var resealer = try Resealer(store: self, db: db, newKeys: newKeys, newDataKey: newDataKey, progress: progress)
            let triggers = try SuspendedTriggers(db)
            for kind in RecordKind.allCases { try resealer.resealRecords(kind) }
            try resealer.resealAuditEntries()
            try triggers.restore(db)

            guard let storeID = try Data.fetchOne(db, sql: "SELECT store_id FROM store_meta WHERE id = 1") else {
                throw StoreError.corruptStore(detail: "store_meta is missing")
            }
            try db.execute(sql: "UPDATE store_meta SET key_check = ? WHERE id = 1",
                           arguments: [Data(try newKeys.keyCheck(storeID: Array(storeID)))])

            var grants: [AuditEntry.Grant] = []
            for var slot in slots {
                slot.keyWrap = Data(try UserKeys.wrap(dataKey: newDataKey, to: Array(slot.x25519Public!), userName: slot.userName))
                try slot.update(db)
                grants.append(try Self.grant(for: slot))
            }

            let ranges = resealer.versions.ranges
            let hash: [UInt8]
            if ranges.isEmpty {
                hash = []
            } else {
                guard let computed = try AuditTrail.recordsHash(db, ranges) else {
                    throw StoreError.corruptStore(detail: "a record version went missing during the rekey")
                }
                hash = computed
            }
            try AuditTrail(keys: newKeys, user: user, signer: signer)
                .append(db, action: .rekey, records: ranges, patientID: nil, recordsHash: hash,
                        detail: "\(resealer.recordVersions) record versions re-sealed", grants: grants)
            return (resealer.recordVersions, resealer.auditEntries, slots.map(\.userName))
        }
        let renewed = UnlockedStore(store: store, dataKey: newDataKey, keys: newKeys, user: user, role: role, userKeys: userKeys, signer: signer)
        return RekeyResult(store: renewed, recordVersions: versions, auditEntries: entries, users: users)
    }
}

/// The append-only triggers on the tables a rekey rewrites, dropped for the rekey and re-created
/// inside the same transaction with exactly the SQL text the store held (the schema check on
/// every open compares that text with the migrations').
private struct SuspendedTriggers {
    static let names = RecordKind.allCases.map { "\($0.versionTable)_no_update" } + ["audit_entry_no_update"]
    private let saved: [(name: String, sql: String)]

    init(_ db: Database) throws {
        var saved: [(name: String, sql: String)] = []
        for name in Self.names {
            guard let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                                                arguments: [name]) else {
                throw StoreError.schemaMismatch(type: "trigger", name: name, change: .missing)
            }
            saved.append((name, sql))
        }
        for (name, _) in saved { try db.execute(sql: "DROP TRIGGER \(name)") }
        self.saved = saved
    }

    func restore(_ db: Database) throws {
        for (_, sql) in saved { try db.execute(sql: sql) }
    }
}

/// Re-seals a store's rows page by page: each page is read, then opened under the old keys and
/// sealed under the new, then written back, so no read cursor is open on a table while its
/// rows are updated. The opening and sealing of a page is split over two threads (the cipher
/// work is most of a rekey); the writes stay on the store's thread, in order.
private struct Resealer {
    static let pageSize = 2048

    let store: UnlockedStore
    let db: Database
    let newKeys: KeyRing
    /// The same keys for the second thread: a cipher context must not be shared between threads.
    let helperKeys: (old: KeyRing, new: KeyRing)
    /// Nonces drawn a batch at a time, one pool per thread (a pool is not shared between threads).
    let nonces = [NoncePool(), NoncePool()]
    let progress: UnlockedStore.RekeyProgress?
    let total: Int
    private(set) var done = 0
    private(set) var recordVersions = 0
    private(set) var auditEntries = 0
    /// Every version re-sealed, for the rekey entry.
    private(set) var versions = VersionRuns()

    init(store: UnlockedStore, db: Database, newKeys: KeyRing, newDataKey: SecureBytes,
         progress: UnlockedStore.RekeyProgress?) throws {
        self.store = store
        self.db = db
        self.newKeys = newKeys
        helperKeys = (try KeyRing(dataKey: store.dataKey), try KeyRing(dataKey: newDataKey))
        self.progress = progress
        var total = try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_entry") ?? 0
        for kind in RecordKind.allCases {
            total += try Int.fetchOne(db, sql: "SELECT count(*) FROM \(kind.versionTable)") ?? 0
        }
        self.total = total
        progress?(0, total)
    }

    private mutating func advance(_ count: Int) {
        done += count
        progress?(done, total)
    }

    /// One row of a version table as read: id, version, owner (nil when the head row is gone),
    /// the head's current version, and the sealed blob.
    private struct VersionRow {
        let id: Int64
        let version: Int64
        let owner: Int64?
        let current: Int64?
        let sealed: [UInt8]
    }

    mutating func resealRecords(_ kind: RecordKind) throws {
        let select = try db.makeStatement(sql: """
            SELECT v.\(kind.idColumn), v.version, h.\(kind.ownerColumn), h.current_version, v.sealed
            FROM \(kind.versionTable) v LEFT JOIN \(kind.table) h ON h.id = v.\(kind.idColumn)
            WHERE (v.\(kind.idColumn), v.version) > (?, ?) ORDER BY v.\(kind.idColumn), v.version LIMIT \(Self.pageSize)
            """)
        let update = try db.makeStatement(sql: "UPDATE \(kind.versionTable) SET sealed = ? WHERE \(kind.idColumn) = ? AND version = ?")
        let reindex = try db.makeStatement(sql: "UPDATE patient SET code_index = ? WHERE id = ?")
        var after: (id: Int64, version: Int64) = (0, 0)
        while true {
            let page = try Self.readPage(select, after: after)
            guard let last = page.last else { return }
            after = (last.id, last.version)
            let blobs = try resealed(page, table: kind.versionTable)
            for (row, blob) in zip(page, blobs) {
                guard let owner = row.owner else {
                    throw StoreError.tamperedRecord(table: kind.versionTable, id: row.id, version: row.version)
                }
                try Self.step(update, blob: blob, row.id, row.version)
                if kind == .patient && row.version == row.current {
                    // The blind index is keyed by the data key: recomputed from the current code.
                    let patient: Versioned<Patient> = try store.openBody(row.sealed, id: row.id, version: row.version,
                                                                         patientID: owner)
                    try Self.step(reindex, blob: Data(try newKeys.patientCodeIndex(patient.body.code)), row.id)
                }
                versions.add(kind, id: row.id, version: row.version)
            }
            recordVersions += page.count
            advance(page.count)
        }
    }

    /// Each row's blob opened under the old keys and sealed under the new: the first half of the
    /// page on this thread, the second on another, each with its own cipher contexts. A row that
    /// does not open stops the rekey with the first such row of the page, as one thread would.
    private func resealed(_ page: [VersionRow], table: String) throws -> [Data] {
        final class Outcome: @unchecked Sendable {
            var blobs: [Data?]
            var failures: [(index: Int, error: Error)] = []
            let lock = NSLock()
            init(_ count: Int) { blobs = Array(repeating: nil, count: count) }
        }
        let outcome = Outcome(page.count)
        let half = page.count / 2
        let keys = [(old: store.keys, new: newKeys), helperKeys]
        let pools = nonces
        DispatchQueue.concurrentPerform(iterations: page.count < 64 ? 1 : 2) { part in
            let range = page.count < 64 ? 0..<page.count : (part == 0 ? 0..<half : half..<page.count)
            let (old, new) = keys[part]
            var blobs: [Data] = []
            blobs.reserveCapacity(range.count)
            for index in range {
                let row = page[index]
                do {
                    guard let owner = row.owner else {
                        throw StoreError.tamperedRecord(table: table, id: row.id, version: row.version)
                    }
                    let plaintext = try old.open(row.sealed, table: table, id: row.id, version: row.version, patientID: owner)
                    blobs.append(try new.seal(plaintext, table: table, id: row.id, version: row.version, patientID: owner,
                                              nonces: pools[part]))
                } catch {
                    outcome.lock.withLock { outcome.failures.append((index, error)) }
                    return
                }
            }
            outcome.lock.withLock {
                for (offset, blob) in blobs.enumerated() { outcome.blobs[range.lowerBound + offset] = blob }
            }
        }
        if let first = outcome.failures.min(by: { $0.index < $1.index }) { throw first.error }
        return outcome.blobs.map { $0! }
    }

    mutating func resealAuditEntries() throws {
        let select = try db.makeStatement(sql: """
            SELECT seq, mac, sealed, signature FROM audit_entry WHERE seq > ? ORDER BY seq LIMIT \(Self.pageSize)
            """)
        let update = try db.makeStatement(sql: "UPDATE audit_entry SET sealed = ?, mac = ? WHERE seq = ?")
        var previous = AuditTrail.genesis
        var after: Int64 = 0
        while true {
            let rows = try Row.fetchAll(select, arguments: [after])
            guard let last = rows.last else { return }
            after = last["seq"]
            for row in rows {
                // The bytes stay as they are, and so do their signatures and entry hashes; the
                // seal and the MAC chain move to the new key.
                let stored = try store.audit.open(row)
                let mac = try newKeys.auditMAC(previous: previous, entry: stored.bytes)
                let sealed = try newKeys.seal(stored.bytes, table: "audit_entry", id: stored.entry.seq, version: 1, patientID: 0,
                                              nonces: nonces[0])
                try update.execute(arguments: [sealed, Data(mac), stored.entry.seq])
                previous = mac
            }
            auditEntries += rows.count
            advance(rows.count)
        }
    }

    // Up to a million versions, each read and written once: through the SQLite C API on
    // statements prepared once, as `RecordWriter` inserts them.

    private static func readPage(_ statement: Statement, after: (id: Int64, version: Int64)) throws -> [VersionRow] {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_bind_int64(handle, 1, after.id)
        sqlite3_bind_int64(handle, 2, after.version)
        defer { sqlite3_reset(handle) }
        var rows: [VersionRow] = []
        rows.reserveCapacity(pageSize)
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return rows }
            guard code == SQLITE_ROW else { throw StoreError.database(code: code, message: "read failed (SQLite \(code))") }
            let count = Int(sqlite3_column_bytes(handle, 4))
            let sealed = count == 0 ? [] : [UInt8](UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, 4), count: count))
            rows.append(VersionRow(
                id: sqlite3_column_int64(handle, 0), version: sqlite3_column_int64(handle, 1),
                owner: sqlite3_column_type(handle, 2) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, 2),
                current: sqlite3_column_type(handle, 3) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, 3),
                sealed: sealed))
        }
    }

    private static func step(_ statement: Statement, blob: Data, _ first: Int64, _ second: Int64? = nil) throws {
        let handle = statement.sqliteStatement
        try blob.withUnsafeBytes { bytes in
            // No destructor (SQLITE_STATIC): the bytes outlive the step, and the binding is
            // cleared before they go.
            sqlite3_bind_blob(handle, 1, bytes.baseAddress, Int32(bytes.count), nil)
            sqlite3_bind_int64(handle, 2, first)
            if let second { sqlite3_bind_int64(handle, 3, second) }
            defer { sqlite3_clear_bindings(handle) }
            let code = sqlite3_step(handle)
            sqlite3_reset(handle)
            guard code == SQLITE_DONE else { throw StoreError.database(code: code, message: "update failed (SQLite \(code))") }
        }
    }
}
