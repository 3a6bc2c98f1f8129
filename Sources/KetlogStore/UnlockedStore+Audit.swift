import Foundation
import GRDB
import KetlogModel

/// The outcome of `audit verify`.
public struct AuditVerification: Sendable {
    /// The first problem found, naming the entry or record; nil when everything verified.
    public enum Problem: Sendable, Equatable {
        /// Entry `seq` does not carry the MAC the chain predicts (edited, removed before, reordered).
        case brokenChain(seq: Int64)
        /// Sequence numbers are not 1, 2, 3, … (an entry was removed or inserted).
        case gap(expected: Int64, found: Int64)
        /// Entry `seq` could not be opened (its sealed blob was altered or moved).
        case unreadableEntry(seq: Int64)
        /// Entry `seq` names record versions that are missing or no longer hash as recorded.
        case recordMismatch(seq: Int64, record: String)
        /// Record versions, or records, exist that no audit entry accounts for (how many); a
        /// negative count means audited records have gone.
        case unaudited(count: Int64)
        /// A record's current version is not its newest audited version (rolled back).
        case rolledBack(record: String)
        /// Entry `seq` does not count: unsigned, mis-signed, or its signer was not allowed to do
        /// what it records (a reporter creating records, a clinician adding a user).
        case refused(seq: Int64, reason: String)
        /// The key slot of `user` is not what the chain last recorded for them (or the chain has
        /// no such user).
        case slotMismatch(user: String)
    }

    public let entries: Int
    /// The printed head (first 16 hex digits of the newest MAC), or nil for an empty trail.
    public let head: String?
    public let problem: Problem?

    public var ok: Bool { problem == nil }
}

extension UnlockedStore {
    /// Every audit entry, oldest first, optionally only those about one patient or since a time.
    public func auditLog(patientID: Int64? = nil, since: Date? = nil) throws -> [AuditEntry] {
        try database.readMapped { db in
            try audit.entries(db).filter { entry in
                (patientID == nil || entry.patientID == patientID) && (since == nil || entry.date >= since!)
            }
        }
    }

    /// Recomputes the chain, every referenced record's presence and hash, that every record
    /// version is accounted for, and that no record was rolled back. Reads one consistent snapshot.
    ///
    /// With `records: false` only the chain itself is checked (sequence, every entry opens, every
    /// MAC): what a report's footer states. It reads the audit table alone, where the full check
    /// reads every record version in the store.
    public func verifyAudit(records: Bool = true) throws -> AuditVerification {
        try database.readMapped { db in
            var previous = AuditTrail.genesis
            var expectedSeq: Int64 = 1
            var count = 0
            var audited: Int64 = 0
            var newestVersion: [RecordKind: [Int64: Int64]] = [:]
            var created: [RecordKind: Int64] = [:]
            // Who may do what, replayed from the chain itself; each signed entry's hash chains
            // the next signature, and each points at the membership entry before it.
            var roster = Roster()
            var previousHash = AuditTrail.genesis
            var latestMembership: Int64 = 0
            let cursor = try Row.fetchCursor(db, sql: "SELECT seq, mac, sealed, signature FROM audit_entry ORDER BY seq")
            func result(_ problem: AuditVerification.Problem?) -> AuditVerification {
                AuditVerification(entries: count, head: count > 0 ? AuditTrail.headString(previous) : nil, problem: problem)
            }
            while let row = try cursor.next() {
                let seq: Int64 = row["seq"]
                guard seq == expectedSeq else { return result(.gap(expected: expectedSeq, found: seq)) }
                guard let stored = try? audit.open(row) else { return result(.unreadableEntry(seq: seq)) }
                let entry = stored.entry
                let mac = stored.mac
                guard try keys.auditMAC(previous: previous, entry: stored.bytes) == mac else {
                    return result(.brokenChain(seq: seq))
                }
                if entry.format >= 2 {
                    guard entry.membershipSeq == latestMembership else {
                        return result(.refused(seq: seq, reason: "it does not point at the latest membership entry"))
                    }
                    do {
                        try roster.apply(entry, bytes: stored.bytes, signature: stored.signature, previousHash: previousHash)
                    } catch let refusal as Roster.Refusal {
                        return result(.refused(seq: seq, reason: refusal.description))
                    }
                } else {
                    // Format 1: no signatures; after an upgrade, every entry must be signed.
                    guard !roster.upgraded, stored.signature == nil else {
                        return result(.refused(seq: seq, reason: Roster.Refusal.unsigned.description))
                    }
                    roster.applyFormat1(entry)
                }
                previousHash = try stored.hash
                latestMembership = stored.latestMembership
                if records && !entry.records.isEmpty {
                    let label = entry.recordLabel
                    guard let hash = try AuditTrail.recordsHash(db, entry.records), hash == entry.recordsHash else {
                        return result(.recordMismatch(seq: seq, record: try firstBadRecord(db, entry.records) ?? label))
                    }
                    for range in entry.records {
                        audited += range.count
                        if range.version == 1 { created[range.kind, default: 0] += range.count }
                        if range.version > 1 {
                            for id in range.firstID...range.lastID { newestVersion[range.kind, default: [:]][id] = range.version }
                        }
                    }
                }
                previous = mac
                expectedSeq += 1
                count += 1
            }
            if roster.upgraded, let user = try roster.firstMismatch(try KeySlot.fetchAll(db)) {
                return result(.slotMismatch(user: user))
            }
            guard records else { return result(nil) }
            let stored = try RecordKind.allCases.reduce(Int64(0)) { sum, kind in
                sum + (try Int64.fetchOne(db, sql: "SELECT count(*) FROM \(kind.versionTable)") ?? 0)
            }
            guard stored == audited else { return result(.unaudited(count: stored - audited)) }
            // Every record (head row) was created by an audited first version.
            for kind in RecordKind.allCases {
                let heads = try Int64.fetchOne(db, sql: "SELECT count(*) FROM \(kind.table)") ?? 0
                let expected = created[kind] ?? 0
                guard heads == expected else { return result(.unaudited(count: heads - expected)) }
            }
            // Current versions: 1 unless an audited amendment or void raised it.
            for kind in RecordKind.allCases {
                let amended = newestVersion[kind] ?? [:]
                let rows = try Row.fetchCursor(db, sql: "SELECT id, current_version FROM \(kind.table) WHERE current_version <> 1")
                var seen = 0
                while let row = try rows.next() {
                    let id: Int64 = row["id"]
                    guard amended[id] == row["current_version"] else { return result(.rolledBack(record: kind.shortID(id))) }
                    seen += 1
                }
                guard seen == amended.count else {
                    let id = amended.keys.sorted().first { id in
                        (try? Int64.fetchOne(db, sql: "SELECT current_version FROM \(kind.table) WHERE id = ?", arguments: [id])) != amended[id]
                    } ?? 0
                    return result(.rolledBack(record: kind.shortID(id)))
                }
            }
            return result(nil)
        }
    }

    /// The first record of `ranges` whose audited version is missing or fails to open, so that a
    /// hash mismatch over an import of many rows can name the record; nil when each one opens
    /// (a blob replaced by another valid blob of the same row and version).
    private func firstBadRecord(_ db: Database, _ ranges: [AuditEntry.RecordRange]) throws -> String? {
        for range in ranges {
            let kind = range.kind
            let owner = kind == .patient ? "v.\(kind.idColumn)" : "h.patient_id"
            for id in range.firstID...range.lastID {
                let row = try Row.fetchOne(db, sql: """
                    SELECT v.sealed AS sealed, \(owner) AS owner FROM \(kind.versionTable) v
                    JOIN \(kind.rawValue) h ON h.id = v.\(kind.idColumn) WHERE v.\(kind.idColumn) = ? AND v.version = ?
                    """, arguments: [id, range.version])
                guard let row, let owner = row["owner"] as Int64? else { return kind.shortID(id) }
                let blob: Data = row["sealed"]
                if (try? keys.open(Array(blob), table: kind.versionTable, id: id, version: range.version, patientID: owner)) == nil {
                    return kind.shortID(id)
                }
            }
        }
        return nil
    }
}
