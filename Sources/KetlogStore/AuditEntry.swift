import Foundation
import KetlogModel

/// One entry of the audit trail, sealed like a record and chained by MAC.
///
/// `records` names every record version the write created (ranges of row ids, so an import of a
/// million rows is one entry); `recordsHash` is the SHA-256 over those versions' sealed blobs,
/// which `audit verify` recomputes.
public struct AuditEntry: Sendable, Equatable {
    /// A run of consecutive row ids of one kind, all at one version.
    public struct RecordRange: Sendable, Equatable {
        public var kind: RecordKind
        public var firstID: Int64
        public var lastID: Int64
        public var version: Int64

        public var count: Int64 { lastID - firstID + 1 }
    }

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
        writer.u8(1)
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
        return writer.bytes
    }
}

extension AuditEntry {
    /// Decodes what `encoded()` wrote (in an extension, so the memberwise initialiser stays).
    init(decoding bytes: [UInt8]) throws {
        var reader = ByteReader(bytes)
        guard try reader.u8() == 1 else { throw ByteReader.Malformed() }
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
        guard reader.isAtEnd else { throw ByteReader.Malformed() }
    }
}
