import Foundation
import KetlogStore

/// The named fields of each kind of record, in the order of DESIGN's CSV columns. `show`, `list`
/// and `export` all read from here so their keys agree.
enum RecordFields {
    static let patientColumns = ["code", "name", "birth_date", "sex", "substances", "notes"]
    static let sessionColumns = ["patient", "date", "time", "route", "dose_mg_per_kg", "weight_kg", "dose_mg",
                                 "duration_min", "practitioner", "counselor", "notes", "adverse_events"]
    static let scoreColumns = ["patient", "date", "craving", "use_days", "window_days", "substance"]

    static func patient(_ p: Patient) -> [(String, FieldValue)] {
        [("code", .text(p.code)), ("name", FieldValue(p.name)), ("birth_date", FieldValue(p.birthDate)),
         ("sex", FieldValue(p.sex)), ("substances", .list(p.substances)), ("notes", FieldValue(p.notes))]
    }

    static func session(_ s: KetamineSession, patientCode: String) -> [(String, FieldValue)] {
        [("patient", .text(patientCode)), ("date", .text(s.date)), ("time", FieldValue(s.time)), ("route", .text(s.route)),
         ("dose_mg_per_kg", FieldValue(s.doseMgPerKg)), ("weight_kg", FieldValue(s.weightKg)), ("dose_mg", .number(s.doseMg)),
         ("duration_min", FieldValue(s.durationMin)), ("practitioner", .text(s.practitioner)),
         ("counselor", FieldValue(s.counselor)), ("notes", FieldValue(s.notes)), ("adverse_events", .list(s.adverseEvents))]
    }

    /// A session as `show`, `add` and `amend` print it: the CSV columns plus whether an unusual
    /// dose was allowed, which is part of the record but not of the import/export columns.
    static func sessionRecord(_ s: KetamineSession, patientCode: String) -> [(String, FieldValue)] {
        session(s, patientCode: patientCode) + [("unusual_dose_allowed", .bool(s.unusualDoseAllowed))]
    }

    static func score(_ s: Score, patientCode: String) -> [(String, FieldValue)] {
        [("patient", .text(patientCode)), ("date", .text(s.date)), ("craving", .integer(s.craving)),
         ("use_days", .integer(s.useDays)), ("window_days", .integer(s.windowDays)), ("substance", FieldValue(s.substance))]
    }

    /// Id, version and void flag, before the record's own fields.
    static func header<Body>(_ record: Versioned<Body>) -> [(String, FieldValue)] {
        [("id", .text(record.shortID)), ("version", .integer(Int(record.version))), ("void", .bool(record.stamp.isVoid))]
    }

    /// Who wrote a version, when, and why.
    static func stamp(_ stamp: VersionStamp) -> [(String, FieldValue)] {
        [("by", .text(stamp.user)), ("at", .text(Timestamp.iso(stamp.date))), ("reason", FieldValue(stamp.reason))]
    }
}
