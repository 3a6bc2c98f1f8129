import KetlogModel

/// A clinical record the store seals: its kind, its binary encoding, and how a draft becomes one.
///
/// The encoding is the sealed-blob layout of Schema/README.md (format 1): dates, times and
/// vocabulary terms as their text forms, so stores written before the typed model open
/// unchanged. A value that does not parse back throws, and the reader names the record.
public protocol RecordBody: Sendable, Equatable {
    associatedtype Draft: Sendable
    static var kind: RecordKind { get }
    /// The record as a draft, for an amendment to change.
    var draft: Draft { get }
    /// Validates `draft` for a record of `owner` (nil for a patient).
    static func validate(_ draft: Draft, owner: Patient?, today: ClinicalDate) throws -> Self
    /// What the audit entry of a write notes about this record (`allow-unusual-dose`), if anything.
    var auditDetail: String? { get }
    func encode(into writer: inout ByteWriter)
    init(from reader: inout ByteReader) throws
}

extension RecordBody {
    public var auditDetail: String? { nil }
}

/// A draft checked against its patient's birth date and today: sessions, scores, screens, days.
public protocol BirthDatedDraft: Sendable {
    associatedtype Record
    func validated(birthDate: ClinicalDate?, today: ClinicalDate) throws -> Record
}

extension RecordBody where Draft: BirthDatedDraft, Draft.Record == Self {
    public static func validate(_ draft: Draft, owner: Patient?, today: ClinicalDate) throws -> Self {
        try draft.validated(birthDate: owner?.birthDate, today: today)
    }
}

extension SessionDraft: BirthDatedDraft {}
extension ScoreDraft: BirthDatedDraft {}
extension DrugScreenDraft: BirthDatedDraft {}
extension UseDayDraft: BirthDatedDraft {}

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

/// A record with the code of the patient it belongs to, as commands print it. The record's own
/// members read through (`owned.id`, `owned.body`).
@dynamicMemberLookup
public struct Owned<Body: RecordBody>: Sendable {
    public let record: Versioned<Body>
    /// The owner's code as stored (its own, for a patient).
    public let patientCode: String

    public init(record: Versioned<Body>, patientCode: String) {
        self.record = record
        self.patientCode = patientCode
    }

    public subscript<T>(dynamicMember keyPath: KeyPath<Versioned<Body>, T>) -> T { record[keyPath: keyPath] }
}
