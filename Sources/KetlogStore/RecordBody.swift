/// The clinical values of one kind of record, in the store's binary record encoding.
public protocol RecordBody: Sendable, Equatable {
    static var kind: RecordKind { get }
    func encode(into writer: inout ByteWriter)
    init(from reader: inout ByteReader) throws
}

/// One version of a record as read from the store: ids in the clear, everything else unsealed.
public struct Versioned<Body: RecordBody>: Sendable {
    /// The row id (print it with `Body.kind.shortID`).
    public let id: Int64
    /// The patient the record belongs to (for patients, their own id).
    public let patientID: Int64
    public let version: Int64
    public let stamp: VersionStamp
    public let body: Body

    public var shortID: String { Body.kind.shortID(id) }
}
