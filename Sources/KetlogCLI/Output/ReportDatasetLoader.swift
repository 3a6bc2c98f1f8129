import Foundation
import KetlogModel
import KetlogReports
import KetlogStore

/// Reads what reports need from an unlocked store into KetlogReports' plain values: current,
/// non-void records only, amendments and voids from the audit trail, and the audit status.
enum ReportDatasetLoader {
    /// Everything, or (with `patientCode`) one patient's records.
    static func load(_ store: UnlockedStore, patientCode: String? = nil) throws -> ReportDataset {
        // The footer states that the chain verified; `ketlog audit verify` also re-hashes every
        // record, which would read the whole store for every report. The chain walk tells each
        // record's newest audited version: every record the report reads, void ones included,
        // must be at it, or the report is refused (a rolled-back record shows an old value).
        let verification = try store.verifyAudit(records: false)
        func check<Body: RecordBody>(_ record: Versioned<Body>) throws {
            guard verification.ok else { return }
            guard record.version == verification.versions.newest(Body.kind, id: record.id) else {
                throw CLIError.verificationFailed("report refused: " + AuditProblemText.describe(
                    .rolledBack(record: Body.kind.shortID(record.id))) + "; run `ketlog audit verify`")
            }
        }
        let patientID = try patientCode.map { try store.patientID(code: $0) }
        var patients: [ReportPatient] = []
        if let patientID {
            let patient = try store.record(Patient.self, id: patientID)
            try check(patient)
            if !patient.stamp.isVoid { patients.append(Self.reportPatient(patient)) }
        } else {
            try store.forEach(Patient.self) { patient in
                try check(patient)
                guard !patient.stamp.isVoid else { return }
                patients.append(Self.reportPatient(patient))
            }
        }
        // Route, practitioner and substance names repeat across a million records: keep one copy.
        var names = StringPool()
        var sessions: [ReportSession] = []
        try store.forEach(KetamineSession.self, patientID: patientID) { session in
            try check(session)
            guard !session.stamp.isVoid else { return }
            let monitoring = session.body.monitoring
            sessions.append(ReportSession(id: session.id, patientID: session.patientID, date: session.body.date,
                                          route: session.body.route.rawValue,
                                          doseMgPerKg: session.body.doseMgPerKg, doseMg: session.body.doseMg,
                                          practitioner: names.intern(session.body.practitioner),
                                          lot: monitoring.lot, monitoringMin: monitoring.monitoringMin,
                                          readyMin: monitoring.readyMin, comedications: monitoring.comedications))
        }
        var scores: [ReportScore] = []
        try store.forEach(Score.self, patientID: patientID) { score in
            try check(score)
            guard !score.stamp.isVoid else { return }
            scores.append(ReportScore(id: score.id, patientID: score.patientID, date: score.body.date, craving: score.body.craving,
                                      useDays: score.body.useDays, windowDays: score.body.windowDays,
                                      substance: score.body.substance?.rawValue))
        }
        var days: [ReportDay] = []
        try store.forEach(UseDay.self, patientID: patientID) { day in
            try check(day)
            guard !day.stamp.isVoid else { return }
            days.append(ReportDay(id: day.id, patientID: day.patientID, date: day.body.date, substance: day.body.substance,
                                  used: day.body.used))
        }
        var screens: [ReportScreen] = []
        try store.forEach(DrugScreen.self, patientID: patientID) { screen in
            try check(screen)
            guard !screen.stamp.isVoid else { return }
            screens.append(ReportScreen(id: screen.id, patientID: screen.patientID, date: screen.body.date,
                                        substance: screen.body.substance, result: screen.body.result,
                                        method: screen.body.method))
        }
        // Vitals of a void session go with it (the session is not in `sessions`).
        let liveSessions = Set(sessions.map(\.id))
        var vitals: [ReportVitals] = []
        try store.forEach(Vitals.self, patientID: patientID) { record in
            try check(record)
            guard !record.stamp.isVoid, liveSessions.contains(record.body.sessionID) else { return }
            let measured = record.body.measurements
            vitals.append(ReportVitals(id: record.id, sessionID: record.body.sessionID, patientID: record.patientID,
                                       at: record.body.at, systolic: measured.systolic, diastolic: measured.diastolic,
                                       heartRate: measured.heartRate, spo2: measured.spo2,
                                       respiratoryRate: measured.respiratoryRate, moaas: measured.moaas,
                                       cadss: measured.cadss))
        }
        // In (patient, date, id) order, the reports group patients by slicing instead of copying.
        sessions.sort { ($0.patientID, $0.date, $0.id) < ($1.patientID, $1.date, $1.id) }
        scores.sort { ($0.patientID, $0.date, $0.id) < ($1.patientID, $1.date, $1.id) }
        days.sort { ($0.patientID, $0.date, $0.id) < ($1.patientID, $1.date, $1.id) }
        screens.sort { ($0.patientID, $0.date, $0.id) < ($1.patientID, $1.date, $1.id) }
        vitals.sort { ($0.patientID, $0.sessionID, $0.id) < ($1.patientID, $1.sessionID, $1.id) }
        let amendments: [ReportAmendment] = try store.auditLog().compactMap { entry in
            let kind: ReportAmendment.Kind
            switch entry.action.recordChange {
            case .amend: kind = .amend
            case .void: kind = .void
            case .add, nil: return nil
            }
            // The entry's UTC day: entries are stamped in UTC.
            return ReportAmendment(date: ClinicalDate(daysSinceEpoch: Int((Double(entry.timeMillis) / 86_400_000).rounded(.down))),
                                   kind: kind)
        }
        let today = ClinicalDate.today()
        return ReportDataset(patients: patients, sessions: sessions, scores: scores, amendments: amendments,
                             days: days, screens: screens, vitals: vitals,
                             audit: AuditStatus(verified: verification.ok, head: verification.head ?? "none",
                                                entries: verification.entries),
                             today: today)
    }

    private static func reportPatient(_ patient: Versioned<Patient>) -> ReportPatient {
        ReportPatient(id: patient.id, code: patient.body.code, substances: patient.body.substances.map(\.rawValue))
    }
}
