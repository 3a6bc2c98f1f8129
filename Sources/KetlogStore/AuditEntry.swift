import Foundation
import KetlogModel

/// One entry of the audit trail, sealed like a record, chained by MAC and (format 2) signed.
///
/// `records` names every record version the write created (ranges of row ids, so an import of a
/// million rows is one entry); `recordsHash` is the SHA-256 over those versions' sealed blobs,
/// which `audit verify` recomputes. Format-2 entries also carry the sequence number of the
/// latest membership entry before them (so an unlock can follow the chain of user changes
/// without opening every entry) and, for membership entries, what they grant.
public struct AuditEntry: Sendable, Equatable {
    /// A run of consecutive row ids of one kind, all at one version.
    public struct RecordRange: Sendable, Equatable {
        public var kind: RecordKind
        public var firstID: Int64
        public var lastID: Int64
        public var version: Int64

        public var count: Int64 { lastID - firstID + 1 }
    }

    /// A user's membership as a membership entry records it: role (nil when removed), public
    /// keys and slot digest, or for a user not yet on key pairs at an upgrade, their format-1
    /// wrap; and for a user registering key pairs, the former slot's key-encryption key, which
    /// proves they held its passphrase (it opens nothing else once the slot is replaced).
    public struct Grant: Sendable, Equatable {
        public var userName: String
        public var role: Role?
        var agreementPublic: [UInt8]?
        var signingPublic: [UInt8]?
        var slotDigest: [UInt8]?
        var format1Material: [UInt8]?
        var formerKEK: [UInt8]?
    }

    /// 1 for entries written under store format 1 (MAC only), 2 for signed ones.
    public var format: UInt8 = 2
    public var seq: Int64
    public var timeMillis: Int64
    public var user: String
    /// What happened: `init`, `user.add`, `patient.add`, `session.amend`, `import.scores`, `backup.export`, …
    public var action: AuditAction
    public var records: [RecordRange]
    /// The patient the write concerns, when it concerns one.
    public var patientID: Int64?
    public var recordsHash: [UInt8]
    /// Non-clinical detail: a user name acted upon, a row count, `allow-unusual-dose`.
    public var detail: String?
    /// Format 2: the latest membership entry before this one (0 when none).
    var membershipSeq: Int64 = 0
    /// Format 2: the memberships a membership entry records.
    public var grants: [Grant] = []

    public var date: Date { Date(timeIntervalSince1970: Double(timeMillis) / 1000) }

    /// The record id this entry is about, for display (`ses-42`, or `pat-1…pat-1000`).
    public var recordLabel: String {
        guard let first = records.first else { return "" }
        if records.count == 1 && first.count == 1 { return first.kind.shortID(first.firstID) }
        let total = records.reduce(0) { $0 + $1.count }
        return "\(total) records"
    }

    func encoded() -> [UInt8] {
        var writer = ByteWriter()
        writer.u8(format)
        writer.i64(seq)
        writer.i64(timeMillis)
        writer.string(user)
        writer.string(action.rawValue)
        writer.u64(UInt64(records.count))
        for range in records {
            writer.string(range.kind.rawValue)
            writer.i64(range.firstID)
            writer.i64(range.lastID)
            writer.i64(range.version)
        }
        writer.optionalInt(patientID)
        writer.raw(recordsHash)
        writer.optionalString(detail)
        guard format >= 2 else { return writer.bytes }
        writer.i64(membershipSeq)
        writer.u64(UInt64(grants.count))
        for grant in grants {
            writer.string(grant.userName)
            writer.optionalString(grant.role?.rawValue)
            for bytes in [grant.agreementPublic, grant.signingPublic, grant.slotDigest, grant.format1Material, grant.formerKEK] {
                writer.optionalBytes(bytes)
            }
        }
        return writer.bytes
    }
}

extension AuditEntry {
    /// Decodes what `encoded()` wrote (in an extension, so the memberwise initialiser stays).
    init(decoding bytes: [UInt8]) throws {
        var reader = ByteReader(bytes)
        format = try reader.u8()
        guard format == 1 || format == 2 else { throw ByteReader.Malformed() }
        seq = try reader.i64()
        timeMillis = try reader.i64()
        user = try reader.string()
        action = try ByteReader.parse(AuditAction(rawValue: try reader.string()))
        let count = try reader.u64()
        guard count < 1_000_000 else { throw ByteReader.Malformed() }
        records = try (0..<count).map { _ in
            guard let kind = RecordKind(rawValue: try reader.string()) else { throw ByteReader.Malformed() }
            return RecordRange(kind: kind, firstID: try reader.i64(), lastID: try reader.i64(), version: try reader.i64())
        }
        patientID = try reader.optionalInt()
        recordsHash = try reader.raw()
        detail = try reader.optionalString()
        if format >= 2 {
            membershipSeq = try reader.i64()
            let count = try reader.u64()
            guard count < 10_000 else { throw ByteReader.Malformed() }
            grants = try (0..<count).map { _ in
                let name = try reader.string()
                let role = try reader.optionalString().map { try ByteReader.parse(Role(rawValue: $0)) }
                return Grant(userName: name, role: role, agreementPublic: try reader.optionalBytes(),
                             signingPublic: try reader.optionalBytes(), slotDigest: try reader.optionalBytes(),
                             format1Material: try reader.optionalBytes(), formerKEK: try reader.optionalBytes())
            }
        }
        guard reader.isAtEnd else { throw ByteReader.Malformed() }
    }
}
