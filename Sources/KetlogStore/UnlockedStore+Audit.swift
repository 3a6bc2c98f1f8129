import Foundation
import GRDB
import KetlogCrypto
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
        /// A record version hashes as audited but does not open under its own table, row id,
        /// version and the patient its head row names (re-attached to another patient).
        case unopenable(record: String, version: Int64)
        /// A patient's blind index is not the HMAC of its sealed code, or two patients share one
        /// (an index swapped, copied or moved in the file).
        case blindIndex(record: String)
        /// Rekey entry `seq` does not name exactly the record versions audited before it.
        case rekeyMismatch(seq: Int64)
    }

    public let entries: Int
    /// The printed head (first 16 hex digits of the newest MAC), or nil for an empty trail.
    public let head: String?
    public let problem: Problem?
    /// The newest audited version of every record, from the chain walk (as far as it got).
    public let versions: AuditedVersions
    /// Every signing key the chain gave each user, and from which entry (as far as it got).
    public let signingKeys: SigningKeyHistory
    /// Every amendment and void the chain records, in chain order (as far as it got): a report
    /// counts them without reading the audit trail a second time.
    public let recordChanges: [RecordChangeEvent]

    /// An amendment or void: when (milliseconds since 1970 UTC, the entry's time) and which.
    public struct RecordChangeEvent: Sendable {
        public let timeMillis: Int64
        public let change: AuditAction.RecordChange
    }

    public var ok: Bool { problem == nil }
}

/// The Ed25519 keys the signed chain recorded for each user, and from which entry on: whose key
/// signed a checkpoint at a given count is read from here, never from the key slots.
public struct SigningKeyHistory: Sendable {
    /// Per user, in chain order: from entry `since` on, `key` (nil: removed, or no keys).
    var changes: [String: [(since: Int64, key: [UInt8]?)]] = [:]

    /// The key the chain recorded for `user` after entry `seq`.
    public func key(of user: String, at seq: Int64) -> [UInt8]? {
        changes[user]?.last { $0.since <= seq }?.key ?? nil
    }

    /// Every (user, key) the chain ever recorded, without repeats.
    public var all: [(user: String, key: [UInt8])] {
        var seen = Set<[UInt8]>()
        return changes.keys.sorted().flatMap { user in
            (changes[user] ?? []).compactMap { change in
                guard let key = change.key, seen.insert(Array(user.utf8) + [0] + key).inserted else { return nil }
                return (user, key)
            }
        }
    }

    mutating func note(_ entry: AuditEntry) {
        for grant in entry.grants {
            changes[grant.userName, default: []].append((entry.seq, grant.role == nil ? nil : grant.signingPublic))
        }
    }
}

/// The newest version of each record that the audit chain accounts for: what readers must be
/// showing. Only amended and voided records are held; every other record's is 1.
public struct AuditedVersions: Sendable {
    var amended: [RecordKind: [Int64: Int64]] = [:]

    /// The newest audited version of `kind` record `id`.
    public func newest(_ kind: RecordKind, id: Int64) -> Int64 { amended[kind]?[id] ?? 1 }

    mutating func note(_ range: AuditEntry.RecordRange) {
        guard range.version > 1 else { return }
        for id in range.firstID...range.lastID { amended[range.kind, default: [:]][id] = range.version }
    }
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
    /// version is accounted for, that each opens under its own table, row id, version and the
    /// patient its head row names, that no record was rolled back, and that every patient's
    /// blind index is the HMAC of its sealed code. Reads one consistent snapshot, and every
    /// record version once.
    ///
    /// With `records: false` only the chain itself is checked (sequence, every entry opens, every
    /// MAC), and `versions` says what each record's current version must be: what a report
    /// checks for the records it shows. It reads the audit table alone, where the full check
    /// reads every record version in the store.
    ///
    /// A `store.rekey` entry re-sealed every version audited before it, so the records hashes of
    /// those earlier entries (over blobs that no longer exist) cannot be recomputed: instead the
    /// rekey entry must name exactly the versions audited before it, and the newest rekey's own
    /// records hash, over the blobs as re-sealed, is checked in their place. The rekey itself
    /// refused to run on a store that did not verify.
    ///
    /// `signatures: false` leaves out the Ed25519 checks (only them): it exists for the benchmark
    /// of what signatures cost, which the CLI offers behind `KETLOG_BENCH_SKIP_SIGNATURES=1`.
    public func verifyAudit(records: Bool = true, signatures: Bool = true) throws -> AuditVerification {
        try database.readMapped { db in try verify(db, records: records, signatures: signatures) }
    }

    /// `verifyAudit` inside a transaction the caller holds (a rekey checks the store it re-seals).
    func verify(_ db: Database, records: Bool, signatures: Bool = true) throws -> AuditVerification {
        // Record versions named before the newest rekey are checked at that rekey.
        let newestRekey = records ? try newestRekeySeq(db) : nil
        // Every version audited so far, to compare with what a rekey entry names.
        var auditedRuns = VersionRuns()
        var previous = AuditTrail.genesis
        var expectedSeq: Int64 = 1
        var count = 0
        var audited: Int64 = 0
        var versions = AuditedVersions()
        var signingKeys = SigningKeyHistory()
        var changes: [AuditVerification.RecordChangeEvent] = []
        var headIdentity = AuditTrail.genesis
        var created: [RecordKind: Int64] = [:]
        // The blind index of each patient's newest audited version, computed from its code.
        var codeIndexes: [Int64: [UInt8]] = [:]
        // Who may do what, replayed from the chain itself; each signed entry's hash chains
        // the next signature, and each points at the membership entry before it.
        var roster = Roster()
        var previousHash = AuditTrail.genesis
        var latestMembership: Int64 = 0
        let cursor = try Row.fetchCursor(db, sql: "SELECT seq, mac, sealed, signature FROM audit_entry ORDER BY seq")
        // Signatures are checked on a second thread; the first that fails outranks whatever the
        // replay found, which can only lie at or after it.
        let checker = SignatureChecker()
        func result(_ problem: AuditVerification.Problem?) -> AuditVerification {
            guard let bad = checker.firstFailure() else {
                return AuditVerification(entries: count, head: count > 0 ? AuditTrail.headString(headIdentity) : nil,
                                         problem: problem, versions: versions, signingKeys: signingKeys,
                                         recordChanges: changes)
            }
            // What a one-thread replay would have said: the entries before the bad one verified.
            let before = try? Row.fetchOne(db, sql: "SELECT seq, mac, signature FROM audit_entry WHERE seq = ?", arguments: [bad - 1])
            return AuditVerification(entries: Int(bad - 1), head: before.map { AuditTrail.headString(AuditTrail.identity($0)) },
                                     problem: .refused(seq: bad, reason: Roster.Refusal.badSignature.description),
                                     versions: versions, signingKeys: signingKeys, recordChanges: changes)
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
                    try roster.apply(entry, bytes: stored.bytes, signature: stored.signature, previousHash: previousHash,
                                     signatureCheck: signatures ? .deferred(checker) : .skip)
                } catch let refusal as Roster.Refusal {
                    return result(.refused(seq: seq, reason: refusal.description))
                }
                signingKeys.note(entry)
            } else {
                // Format 1: no signatures; after an upgrade, every entry must be signed.
                guard !roster.upgraded, stored.signature == nil else {
                    return result(.refused(seq: seq, reason: Roster.Refusal.unsigned.description))
                }
                roster.applyFormat1(entry)
            }
            previousHash = try stored.hash
            latestMembership = stored.latestMembership
            headIdentity = AuditTrail.identity(mac: mac, signature: stored.signature)
            if records && entry.action == .rekey {
                // The same versions again, re-sealed: compared, not counted a second time.
                guard entry.records == auditedRuns.ranges else { return result(.rekeyMismatch(seq: seq)) }
                if seq == newestRekey && !entry.records.isEmpty {
                    let check = try checkVersions(db, entry.records, codeIndexes: &codeIndexes)
                    guard let hash = check.hash, hash == entry.recordsHash else {
                        return result(.recordMismatch(seq: seq, record: check.firstBad?.record ?? entry.recordLabel))
                    }
                    if let bad = check.firstBad { return result(.unopenable(record: bad.record, version: bad.version)) }
                }
            } else if records && !entry.records.isEmpty {
                if newestRekey.map({ seq > $0 }) ?? true {
                    let check = try checkVersions(db, entry.records, codeIndexes: &codeIndexes)
                    guard let hash = check.hash, hash == entry.recordsHash else {
                        return result(.recordMismatch(seq: seq, record: check.firstBad?.record ?? entry.recordLabel))
                    }
                    if let bad = check.firstBad { return result(.unopenable(record: bad.record, version: bad.version)) }
                }
                for range in entry.records {
                    audited += range.count
                    if range.version == 1 { created[range.kind, default: 0] += range.count }
                    auditedRuns.add(range)
                }
            }
            if entry.action != .rekey { for range in entry.records { versions.note(range) } }
            if let change = entry.action.recordChange, change != .add {
                changes.append(.init(timeMillis: entry.timeMillis, change: change))
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
        // Current versions: 1 unless an audited amendment or void raised it, and never lower
        // or higher than the newest audited one.
        for kind in RecordKind.allCases {
            let amended = versions.amended[kind] ?? [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT id, current_version FROM \(kind.table) ORDER BY id")
            while let row = try rows.next() {
                let id: Int64 = row["id"]
                guard row["current_version"] as Int64 == amended[id] ?? 1 else {
                    return result(.rolledBack(record: kind.shortID(id)))
                }
            }
        }
        // Blind indexes: each the HMAC of its patient's code (at the version now current, as
        // just checked), hence unique as the codes are.
        var seen = Set<Data>()
        let patients = try Row.fetchCursor(db, sql: "SELECT id, code_index FROM patient ORDER BY id")
        while let row = try patients.next() {
            let id: Int64 = row["id"]
            let index: Data = row["code_index"]
            guard let expected = codeIndexes[id], ConstantTime.equal(expected, Array(index)),
                  seen.insert(index).inserted else {
                return result(.blindIndex(record: RecordKind.patient.shortID(id)))
            }
        }
        return result(nil)
    }

    /// The sequence number of the newest `store.rekey` entry, if any. Entries that do not open
    /// are passed over here; the verification itself reports them.
    private func newestRekeySeq(_ db: Database) throws -> Int64? {
        var newest: Int64?
        let cursor = try Row.fetchCursor(db, sql: "SELECT seq, mac, sealed, signature FROM audit_entry ORDER BY seq")
        while let row = try cursor.next() {
            if let stored = try? audit.open(row), stored.entry.action == .rekey { newest = stored.entry.seq }
        }
        return newest
    }

    /// Hashes the sealed blobs of `ranges` as `AuditTrail.recordsHash` does and, in the same
    /// pass, opens each under its table, row id, version and the patient its head row names;
    /// a patient's code gives its blind index, kept in `codeIndexes` by patient (a later version
    /// replaces an earlier one). `hash` is nil when a version is missing; `firstBad` names the
    /// first version that is missing or does not open.
    private func checkVersions(_ db: Database, _ ranges: [AuditEntry.RecordRange], codeIndexes: inout [Int64: [UInt8]])
        throws -> (hash: [UInt8]?, firstBad: (record: String, version: Int64)?) {
        let hasher = try RecordHasher()
        var firstBad: (record: String, version: Int64)?
        for range in ranges {
            let kind = range.kind
            let rows = try Row.fetchCursor(db, sql: """
                SELECT v.\(kind.idColumn) AS id, v.sealed AS sealed, h.\(kind.ownerColumn) AS owner
                FROM \(kind.versionTable) v LEFT JOIN \(kind.table) h ON h.id = v.\(kind.idColumn)
                WHERE v.\(kind.idColumn) BETWEEN ? AND ? AND v.version = ? ORDER BY v.\(kind.idColumn)
                """, arguments: [range.firstID, range.lastID, range.version])
            var expected = range.firstID
            while let row = try rows.next() {
                let id: Int64 = row["id"]
                guard id == expected else { return (nil, firstBad ?? (kind.shortID(expected), range.version)) }
                let blob: Data = row["sealed"]
                try blob.withUnsafeBytes { try hasher.add($0) }
                if firstBad == nil {
                    let owner: Int64? = row["owner"]
                    if !opens(Array(blob), kind: kind, id: id, version: range.version, owner: owner, codeIndexes: &codeIndexes) {
                        firstBad = (kind.shortID(id), range.version)
                    }
                }
                expected += 1
            }
            guard expected == range.lastID + 1 else { return (nil, firstBad ?? (kind.shortID(expected), range.version)) }
        }
        return (try hasher.finalize(), firstBad)
    }

    /// Whether one version opens as its own row of its patient (`owner`: nil when the head row
    /// is gone); a patient's version must also decode, and its code's blind index is noted.
    private func opens(_ blob: [UInt8], kind: RecordKind, id: Int64, version: Int64, owner: Int64?,
                       codeIndexes: inout [Int64: [UInt8]]) -> Bool {
        guard let owner, kind != .patient || owner == id else { return false }
        guard kind == .patient else {
            return (try? keys.open(blob, table: kind.versionTable, id: id, version: version, patientID: owner)) != nil
        }
        guard let patient = try? openBody(blob, id: id, version: version, patientID: id) as Versioned<Patient>,
              let index = try? keys.patientCodeIndex(patient.body.code) else { return false }
        codeIndexes[id] = index
        return true
    }
}
