import Foundation

/// Who wrote a version of a record, when, why, and whether it voids the record.
/// Sealed together with the record's values.
public struct VersionStamp: Sendable, Equatable {
    public var user: String
    /// Milliseconds since 1970 UTC.
    public var timeMillis: Int64
    /// The `--reason` of an amendment or void; nil for the first version.
    public var reason: String?
    public var isVoid: Bool

    public init(user: String, timeMillis: Int64, reason: String?, isVoid: Bool) {
        self.user = user
        self.timeMillis = timeMillis
        self.reason = reason
        self.isVoid = isVoid
    }

    public var date: Date { Date(timeIntervalSince1970: Double(timeMillis) / 1000) }

    func encode(into writer: inout ByteWriter) {
        writer.string(user)
        writer.i64(timeMillis)
        writer.optionalString(reason)
        writer.bool(isVoid)
    }

    init(from reader: inout ByteReader) throws {
        user = try reader.string()
        timeMillis = try reader.i64()
        reason = try reader.optionalString()
        isVoid = try reader.bool()
    }
}
