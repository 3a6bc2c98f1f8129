import Foundation
import GRDB
import KetlogCrypto
import KetlogModel

/// The append-only audit trail of one unlocked store: MAC-chained, and (format 2) signed.
///
/// Entry `n` is stored as `(seq, mac, sealed, signature)` where `sealed` is the entry sealed like
/// a record (table `audit_entry`, row `seq`, version 1), `mac = HMAC-SHA256(audit key, mac[n-1]
/// ‖ entry)` with `mac[0]` = 32 zero bytes, and `signature` the acting user's Ed25519 signature
/// over `"ketlog/v2/audit-entry" ‖ 0x00 ‖ hash[n-1] ‖ entry`, where `hash[n] = SHA-256(entry ‖
/// signature)` (no signature: format-1 entries) and `hash[0]` is 32 zero bytes. The head is the
/// newest MAC.
public struct AuditTrail: Sendable {
    let keys: KeyRing
    let user: String
    /// Who holds the acting user's keys (this process or the agent); nil while a format-1 store
    /// has not been upgraded, when entries are written unsigned (format 1).
    let signer: (any UserKeyHolder)?

    static let genesis = [UInt8](repeating: 0, count: 32)

    /// What names an entry outside the store (the head printed by `status`, reports and
    /// `audit verify`, the rollback witness, a checkpoint's root hash), from plain columns:
    /// SHA-256 of its Ed25519 signature when it is signed (the signature covers the chain of
    /// entry hashes before it, and survives a rekey, which recomputes every MAC), else its MAC.
    static func identity(mac: [UInt8], signature: [UInt8]?) -> [UInt8] {
        guard let signature, let hash = try? SHA256.hash(signature) else { return mac }
        return hash
    }

    /// `identity` of a row holding `mac` and `signature` columns.
    static func identity(_ row: Row) -> [UInt8] {
        identity(mac: Array(row["mac"] as Data), signature: (row["signature"] as Data?).map(Array.init))
    }

    /// The printed form of a head: its first 16 hex digits.
    public static func headString(_ mac: [UInt8]) -> String {
        mac.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// An entry as stored, opened: its bytes and signature, for chaining and checking.
    struct Stored {
        let entry: AuditEntry
        let bytes: [UInt8]
        let mac: [UInt8]
        let signature: [UInt8]?

        var hash: [UInt8] { get throws { try Roster.entryHash(bytes, signature: signature) } }
        /// The membership entry the next entry points at.
        var latestMembership: Int64 { entry.action.changesMembership ? entry.seq : entry.membershipSeq }
    }

    /// Appends an entry inside the caller's write transaction, signed by the acting user.
    @discardableResult
    func append(_ db: Database, action: AuditAction, records: [AuditEntry.RecordRange], patientID: Int64?,
                recordsHash: [UInt8], detail: String?, grants: [AuditEntry.Grant] = [], now: Date = Date(),
                signer override: (any UserKeyHolder)? = nil) throws -> AuditEntry {
        let last = try Row.fetchOne(db, sql: "SELECT seq, mac, sealed, signature FROM audit_entry ORDER BY seq DESC LIMIT 1")
            .map(open)
        let signer: (any UserKeyHolder)? = override ?? self.signer
        var entry = AuditEntry(format: signer == nil ? 1 : 2, seq: (last?.entry.seq ?? 0) + 1,
                               timeMillis: Int64((now.timeIntervalSince1970 * 1000).rounded()), user: user, action: action,
                               records: records, patientID: patientID, recordsHash: recordsHash, detail: detail)
        if signer != nil {
            entry.membershipSeq = last?.latestMembership ?? 0
            entry.grants = grants
        }
        let bytes = entry.encoded()
        let mac = try keys.auditMAC(previous: last?.mac ?? Self.genesis, entry: bytes)
        let signature = try signer.map {
            try $0.signAuditEntry(Roster.signedMessage(previousHash: try last?.hash ?? Self.genesis, entry: bytes))
        }
        let sealed = try keys.seal(bytes, table: "audit_entry", id: entry.seq, version: 1, patientID: 0)
        try db.execute(sql: "INSERT INTO audit_entry (seq, mac, sealed, signature) VALUES (?, ?, ?, ?)",
                       arguments: [entry.seq, Data(mac), sealed, signature.map { Data($0) }])
        return entry
    }

    /// Every entry in order, opened; a blob that fails to open throws `tamperedRecord`.
    func entries(_ db: Database) throws -> [AuditEntry] {
        var result: [AuditEntry] = []
        let cursor = try Row.fetchCursor(db, sql: "SELECT seq, mac, sealed, signature FROM audit_entry ORDER BY seq")
        while let row = try cursor.next() {
            result.append(try open(row).entry)
        }
        return result
    }

    /// Entry `seq`, opened, or nil when there is none.
    func stored(_ db: Database, seq: Int64) throws -> Stored? {
        try Row.fetchOne(db, sql: "SELECT seq, mac, sealed, signature FROM audit_entry WHERE seq = ?", arguments: [seq])
            .map(open)
    }

    /// Opens a row of `seq, mac, sealed, signature`.
    func open(_ row: Row) throws -> Stored {
        let seq: Int64 = row["seq"]
        let bytes = try keys.open(Array(row["sealed"] as Data), table: "audit_entry", id: seq, version: 1, patientID: 0)
        guard let entry = try? AuditEntry(decoding: bytes), entry.seq == seq else {
            throw StoreError.tamperedRecord(table: "audit_entry", id: seq, version: 1)
        }
        return Stored(entry: entry, bytes: bytes, mac: Array(row["mac"] as Data), signature: (row["signature"] as Data?).map(Array.init))
    }

    /// The roster from the membership entries alone, following each entry's pointer to the one
    /// before it from the newest entry back (a few entries, not the whole trail), checking each
    /// one's signature and authority; nil for a store whose trail has no signed entry yet.
    /// `audit verify` replays every entry instead, and so also catches an entry whose pointer
    /// skips a membership change.
    func membershipRoster(_ db: Database) throws -> Roster? {
        guard let last = try Row.fetchOne(db, sql: "SELECT seq, mac, sealed, signature FROM audit_entry ORDER BY seq DESC LIMIT 1")
            .map(open), last.entry.format >= 2 else { return nil }
        var chain: [Stored] = []
        var pointer = last.latestMembership
        while pointer > 0 {
            guard let stored = try stored(db, seq: pointer), stored.entry.action.changesMembership, stored.entry.format >= 2,
                  pointer < (chain.last?.entry.seq ?? Int64.max) else {
                throw StoreError.auditRefused(seq: pointer, reason: "the chain of membership entries is broken")
            }
            chain.append(stored)
            // Before an upgrade the entries are format 1, which only `audit verify` replays.
            if stored.entry.action == .storeUpgrade { break }
            pointer = stored.entry.membershipSeq
        }
        var roster = Roster()
        for stored in chain.reversed() {
            if stored.entry.action == .storeUpgrade {
                // Its signer's standing comes from format-1 entries, which only `audit verify`
                // replays; an unlock takes the upgrade's own list of users and roles.
                roster.seedFromUpgrade(stored.entry)
            }
            try check(db, stored, in: &roster)
        }
        // The newest entry, whatever it is, must be signed by someone the chain allows.
        if !last.entry.action.changesMembership {
            var copy = roster
            try check(db, last, in: &copy)
        }
        return roster
    }

    /// Checks one format-2 entry against the roster and applies it.
    func check(_ db: Database, _ stored: Stored, in roster: inout Roster) throws {
        let previous = try stored.entry.seq > 1 ? self.stored(db, seq: stored.entry.seq - 1)?.hash ?? Self.genesis : Self.genesis
        do {
            try roster.apply(stored.entry, bytes: stored.bytes, signature: stored.signature, previousHash: previous)
        } catch let refusal as Roster.Refusal {
            throw StoreError.auditRefused(seq: stored.entry.seq, reason: refusal.description)
        }
    }

    /// SHA-256 over the sealed blobs of `records`, each prefixed by its length, in order.
    static func recordsHash(_ db: Database, _ records: [AuditEntry.RecordRange]) throws -> [UInt8]? {
        let hasher = try RecordHasher()
        for range in records {
            let kind = range.kind
            let rows = try Row.fetchCursor(db, sql: """
                SELECT \(kind.idColumn) AS id, sealed FROM \(kind.versionTable)
                WHERE \(kind.idColumn) BETWEEN ? AND ? AND version = ? ORDER BY \(kind.idColumn)
                """, arguments: [range.firstID, range.lastID, range.version])
            var expected = range.firstID
            while let row = try rows.next() {
                guard row["id"] as Int64 == expected else { return nil }
                let blob: Data = row["sealed"]
                try blob.withUnsafeBytes { try hasher.add($0) }
                expected += 1
            }
            guard expected == range.lastID + 1 else { return nil }
        }
        return try hasher.finalize()
    }
}
