import Foundation
import KetlogModel
import KetlogStore

/// The named fields of each kind of record, keyed by the model's `Field` column names in the
/// order of DESIGN's CSV columns. `show`, `list`, `export` and `import` all read from here, so a
/// field has one key everywhere (`dose_mg`, never `mg`).
enum RecordFields {
    static let patientColumns: [Field] = [.code, .name, .birthDate, .sex, .substances, .notes]
    static let sessionColumns: [Field] = [.patient, .date, .time, .route, .doseMgPerKg, .weightKg, .doseMg, .durationMin,
                                          .practitioner, .counselor, .notes, .adverseEvents, .lot, .monitoringMin, .readyMin,
                                          .comedications]
    static let scoreColumns: [Field] = [.patient, .date, .craving, .useDays, .windowDays, .substance]
    static let vitalsColumns: [Field] = [.patient, .sessionDate, .sessionTime, .at, .bpSystolic, .bpDiastolic, .heartRate, .spo2,
                                         .respiratoryRate, .moaas, .cadss, .note]
    static let screenColumns: [Field] = [.patient, .date, .substance, .result, .method]
    static let dayColumns: [Field] = [.patient, .date, .substance, .used, .amount]

    /// The import/export columns of a kind.
    static func columns(_ kind: RecordKind) -> [Field] {
        switch kind {
        case .patient: return patientColumns
        case .session: return sessionColumns
        case .score: return scoreColumns
        case .vitals: return vitalsColumns
        case .screen: return screenColumns
        case .day: return dayColumns
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
               (.counselor, FieldValue(s.counselor)), (.notes, FieldValue(s.notes)), (.adverseEvents, .list(s.adverseEvents)),
               (.lot, FieldValue(s.monitoring.lot)), (.monitoringMin, FieldValue(s.monitoring.monitoringMin)),
               (.readyMin, FieldValue(s.monitoring.readyMin)), (.comedications, .list(s.monitoring.comedications.map(\.rawValue)))])
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

    /// Vitals as exported: the session named by its date and time, as an import finds it.
    static func vitals(_ v: Vitals, patientCode: String, session: KetamineSession?) -> [(String, FieldValue)] {
        named([(.patient, .text(patientCode)), (.sessionDate, FieldValue(session?.date.description)),
               (.sessionTime, FieldValue(session?.time?.description))] + measurements(v))
    }

    /// Vitals as `show`, `add` and `amend` print them: the session by its id, and the moment
    /// as `taken_at`, since a record sheet's `at` is when the version was written.
    static func vitalsRecord(_ v: Vitals, patientCode: String) -> [(String, FieldValue)] {
        named([(.patient, .text(patientCode)), (.session, .text(RecordKind.session.shortID(v.sessionID)))] + measurements(v))
            .map { $0.0 == Field.at.column ? (takenAt, $0.1) : $0 }
    }

    /// The key of a vitals record's moment in record sheets.
    static let takenAt = "taken_at"


    private static func measurements(_ v: Vitals) -> [(Field, FieldValue)] {
        let m = v.measurements
        return [(.at, .text(v.at.text)), (.bpSystolic, FieldValue(m.systolic)), (.bpDiastolic, FieldValue(m.diastolic)),
                (.heartRate, FieldValue(m.heartRate)), (.spo2, FieldValue(m.spo2)), (.respiratoryRate, FieldValue(m.respiratoryRate)),
                (.moaas, FieldValue(m.moaas)), (.cadss, FieldValue(m.cadss)), (.note, FieldValue(v.note))]
    }

    static func screen(_ s: DrugScreen, patientCode: String) -> [(String, FieldValue)] {
        named([(.patient, .text(patientCode)), (.date, .text(s.date.description)), (.substance, .text(s.substance.rawValue)),
               (.result, .text(s.result.rawValue)), (.method, FieldValue(s.method?.rawValue))])
    }

    static func day(_ d: UseDay, patientCode: String) -> [(String, FieldValue)] {
        named([(.patient, .text(patientCode)), (.date, .text(d.date.description)), (.substance, FieldValue(d.substance?.rawValue)),
               (.used, .bool(d.used)), (.amount, FieldValue(d.amount))])
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
