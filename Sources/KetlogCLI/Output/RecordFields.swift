import Foundation
import KetlogModel
import KetlogStore

/// The named fields of each kind of record, keyed by the model's `Field` column names in the
/// order of DESIGN's CSV columns. `show`, `list`, `export` and `import` all read from here, so a
/// field has one key everywhere (`dose_mg`, never `mg`).
enum RecordFields {
    static let patientColumns: [Field] = [.code, .name, .birthDate, .sex, .substances, .notes]
    static let sessionColumns: [Field] = [.patient, .date, .time, .route, .doseMgPerKg, .weightKg, .doseMg, .durationMin,
                                          .practitioner, .counselor, .notes, .adverseEvents]
    static let scoreColumns: [Field] = [.patient, .date, .craving, .useDays, .windowDays, .substance]

    /// The import/export columns of a kind.
    static func columns(_ kind: RecordKind) -> [Field] {
        switch kind {
        case .patient: return patientColumns
        case .session: return sessionColumns
        case .score: return scoreColumns
        }
    }

    static func patient(_ p: Patient) -> [(String, FieldValue)] {
        named([(.code, .text(p.code)), (.name, FieldValue(p.name)), (.birthDate, FieldValue(p.birthDate?.description)),
               (.sex, FieldValue(p.sex?.rawValue)), (.substances, .list(p.substances.map(\.rawValue))),
               (.notes, FieldValue(p.notes))])
    }

    static func session(_ s: KetamineSession, patientCode: String) -> [(String, FieldValue)] {
        named([(.patient, .text(patientCode)), (.date, .text(s.date.description)), (.time, FieldValue(s.time?.description)),
               (.route, .text(s.route.rawValue)), (.doseMgPerKg, FieldValue(s.doseMgPerKg)), (.weightKg, FieldValue(s.weightKg)),
               (.doseMg, .number(s.doseMg)), (.durationMin, FieldValue(s.durationMin)), (.practitioner, .text(s.practitioner)),
               (.counselor, FieldValue(s.counselor)), (.notes, FieldValue(s.notes)), (.adverseEvents, .list(s.adverseEvents))])
    }

    /// A session as `show`, `add` and `amend` print it: the CSV columns plus whether an unusual
    /// dose was allowed, which is part of the record but not of the import/export columns.
    static func sessionRecord(_ s: KetamineSession, patientCode: String) -> [(String, FieldValue)] {
        session(s, patientCode: patientCode) + [("unusual_dose_allowed", .bool(s.unusualDoseAllowed))]
    }

    static func score(_ s: Score, patientCode: String) -> [(String, FieldValue)] {
        named([(.patient, .text(patientCode)), (.date, .text(s.date.description)), (.craving, .integer(s.craving)),
               (.useDays, .integer(s.useDays)), (.windowDays, .integer(s.windowDays)),
               (.substance, FieldValue(s.substance?.rawValue))])
    }

    /// Id, version and void flag, before the record's own fields.
    static func header<Body>(_ record: Versioned<Body>) -> [(String, FieldValue)] {
        [("id", .text(record.shortID)), ("version", .integer(Int(record.version))), ("void", .bool(record.stamp.isVoid))]
    }

    /// Who wrote a version, when, and why.
    static func stamp(_ stamp: VersionStamp) -> [(String, FieldValue)] {
        [("by", .text(stamp.user)), ("at", .text(Timestamp.iso(stamp.date))), ("reason", FieldValue(stamp.reason))]
    }

    private static func named(_ fields: [(Field, FieldValue)]) -> [(String, FieldValue)] {
        fields.map { ($0.0.column, $0.1) }
    }
}
