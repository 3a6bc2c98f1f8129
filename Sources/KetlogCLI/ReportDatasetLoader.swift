import Foundation
import KetlogReports
import KetlogStore

/// Reads what reports need from an unlocked store into KetlogReports' plain values: current,
/// non-void records only, amendments and voids from the audit trail, and the audit status.
enum ReportDatasetLoader {
    /// Everything, or (with `patientCode`) one patient's records.
    static func load(_ store: UnlockedStore, patientCode: String? = nil) throws -> ReportDataset {
        let patientID = try patientCode.map { try store.patientID(code: $0) }
        var patients: [ReportPatient] = []
        if let patientID {
            let patient = try store.record(Patient.self, id: patientID)
            if !patient.stamp.isVoid { patients.append(ReportPatient(id: patient.id, code: patient.body.code, substances: patient.body.substances)) }
        } else {
            try store.forEach(Patient.self) { patient in
                guard !patient.stamp.isVoid else { return }
                patients.append(ReportPatient(id: patient.id, code: patient.body.code, substances: patient.body.substances))
            }
        }
        var sessions: [ReportSession] = []
        try store.forEach(KetamineSession.self, patientID: patientID) { session in
            guard !session.stamp.isVoid, let date = ClinicalDate(iso: session.body.date) else { return }
            sessions.append(ReportSession(id: session.id, patientID: session.patientID, date: date, route: session.body.route,
                                          doseMgPerKg: session.body.doseMgPerKg, doseMg: session.body.doseMg,
                                          practitioner: session.body.practitioner))
        }
        var scores: [ReportScore] = []
        try store.forEach(Score.self, patientID: patientID) { score in
            guard !score.stamp.isVoid, let date = ClinicalDate(iso: score.body.date) else { return }
            scores.append(ReportScore(id: score.id, patientID: score.patientID, date: date, craving: score.body.craving,
                                      useDays: score.body.useDays, windowDays: score.body.windowDays,
                                      substance: score.body.substance))
        }
        let verification = try store.verifyAudit()
        let amendments: [ReportAmendment] = try store.auditLog().compactMap { entry in
            let kind: ReportAmendment.Kind
            if entry.action.hasSuffix(".amend") { kind = .amend } else if entry.action.hasSuffix(".void") { kind = .void } else { return nil }
            guard let date = ClinicalDate(iso: String(Timestamp.iso(entry.date).prefix(10))) else { return nil }
            return ReportAmendment(date: date, kind: kind)
        }
        guard let today = ClinicalDate(iso: Validation.today()) else { throw CLIError.usage("KETLOG_TODAY must be YYYY-MM-DD") }
        return ReportDataset(patients: patients, sessions: sessions, scores: scores, amendments: amendments,
                             audit: AuditStatus(verified: verification.ok, head: verification.head ?? "none",
                                                entries: verification.entries),
                             today: today)
    }
}
