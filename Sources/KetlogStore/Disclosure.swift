import Foundation
import KetlogModel

/// One disclosure: clinical data written out of the store by an export or a report's `--output`.
/// Kept as the detail of a `disclosure` audit entry, sealed like every entry (so the patients it
/// names are as private as the records).
public struct Disclosure: Codable, Sendable, Equatable {
    /// `export` or `report`.
    public var what: String
    /// The records' kind (`sessions`) or the report (`cohort`).
    public var kind: String
    /// `csv`, `json`, `html`, …
    public var format: String
    /// The patients whose data went out, by row id.
    public var patients: [Int64]
    /// How many records went out.
    public var records: Int
    /// Where to: the output file's name, or `standard output`.
    public var to: String
    /// The recipient and reason, as the user gave them (`--purpose`).
    public var purpose: String?

    public init(what: String, kind: String, format: String, patients: [Int64], records: Int, to: String, purpose: String?) {
        (self.what, self.kind, self.format, self.patients, self.records, self.to, self.purpose)
            = (what, kind, format, patients, records, to, purpose)
    }

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    public static func decode(_ detail: String?) -> Disclosure? {
        detail.flatMap { try? JSONDecoder().decode(Disclosure.self, from: Data($0.utf8)) }
    }
}

extension UnlockedStore {
    /// Appends a `disclosure` entry. Call it once the data has gone out.
    public func recordDisclosure(_ disclosure: Disclosure) throws {
        var disclosure = disclosure
        disclosure.patients = Array(Set(disclosure.patients)).sorted()
        let detail = try disclosure.encoded()
        try database.writeImmediate { db in
            try audit.append(db, action: .disclosure, records: [], patientID: disclosure.patients.count == 1 ? disclosure.patients[0] : nil,
                             recordsHash: [], detail: detail)
        }
    }

    /// Every disclosure, oldest first, optionally only those naming one patient or since a time.
    public func disclosures(patientID: Int64? = nil, since: Date? = nil) throws -> [(entry: AuditEntry, disclosure: Disclosure)] {
        try auditLog(since: since).compactMap { entry in
            guard entry.action == .disclosure, let disclosure = Disclosure.decode(entry.detail) else { return nil }
            if let patientID, !disclosure.patients.contains(patientID) { return nil }
            return (entry, disclosure)
        }
    }
}
