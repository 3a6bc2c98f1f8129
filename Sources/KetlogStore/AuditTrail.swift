import Foundation
import GRDB
import KetlogCrypto
import KetlogModel

/// The append-only, MAC-chained audit trail of one unlocked store.
///
/// Entry `n` is stored as `(seq, mac, sealed)` where `sealed` is the entry sealed like a record
/// (table `audit_entry`, row `seq`, version 1) and `mac = HMAC-SHA256(audit key, mac[n-1] ‖ entry)`
/// with `mac[0]` = 32 zero bytes. The head is the newest MAC.
public struct AuditTrail: Sendable {
    let keys: KeyRing
    let user: String

    static let genesis = [UInt8](repeating: 0, count: 32)

    /// The printed form of a head MAC: its first 16 hex digits.
    public static func headString(_ mac: [UInt8]) -> String {
        mac.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// Appends an entry inside the caller's write transaction.
    @discardableResult
    func append(_ db: Database, action: AuditAction, records: [AuditEntry.RecordRange], patientID: Int64?,
                recordsHash: [UInt8], detail: String?, now: Date = Date()) throws -> AuditEntry {
        let last = try Row.fetchOne(db, sql: "SELECT seq, mac FROM audit_entry ORDER BY seq DESC LIMIT 1")
        let seq: Int64 = (last?["seq"] as Int64? ?? 0) + 1
        let previous: [UInt8] = last.map { Array($0["mac"] as Data) } ?? Self.genesis
        let entry = AuditEntry(seq: seq, timeMillis: Int64((now.timeIntervalSince1970 * 1000).rounded()), user: user,
                               action: action, records: records, patientID: patientID, recordsHash: recordsHash,
                               detail: detail)
        let bytes = entry.encoded()
        let mac = try keys.auditMAC(previous: previous, entry: bytes)
        let sealed = try keys.seal(bytes, table: "audit_entry", id: seq, version: 1, patientID: 0)
        try db.execute(sql: "INSERT INTO audit_entry (seq, mac, sealed) VALUES (?, ?, ?)",
                       arguments: [seq, Data(mac), sealed])
        return entry
    }

    /// Every entry in order, opened; a blob that fails to open throws `tamperedRecord`.
    func entries(_ db: Database) throws -> [AuditEntry] {
        var result: [AuditEntry] = []
        let cursor = try Row.fetchCursor(db, sql: "SELECT seq, sealed FROM audit_entry ORDER BY seq")
        while let row = try cursor.next() {
            result.append(try open(row))
        }
        return result
    }

    func open(_ row: Row) throws -> AuditEntry {
        let seq: Int64 = row["seq"]
        let bytes = try keys.open(Array(row["sealed"] as Data), table: "audit_entry", id: seq, version: 1, patientID: 0)
        guard let entry = try? AuditEntry(decoding: bytes), entry.seq == seq else {
            throw StoreError.tamperedRecord(table: "audit_entry", id: seq, version: 1)
        }
        return entry
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
