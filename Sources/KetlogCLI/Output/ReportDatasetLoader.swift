import Foundation
import Synchronization
import KetlogModel
import KetlogReports
import KetlogStore

/// What a report is computed from: the loader opens only these record kinds (patients always).
struct ReportInputs: OptionSet {
    let rawValue: Int
    static let sessions = ReportInputs(rawValue: 1 << 0)
    static let scores = ReportInputs(rawValue: 1 << 1)
    static let days = ReportInputs(rawValue: 1 << 2)
    static let screens = ReportInputs(rawValue: 1 << 3)
    static let vitals = ReportInputs(rawValue: 1 << 4)
    /// Amendments and voids, from the audit trail.
    static let amendments = ReportInputs(rawValue: 1 << 5)

    /// The patient trend: everything of one patient.
    static let patient: ReportInputs = [.sessions, .scores, .days, .screens, .vitals, .amendments]
    /// The cohort: T0 and the score pairs, and the daily-use endpoints (day records, screens).
    static let cohort: ReportInputs = [.sessions, .scores, .days, .screens]
    /// The weekly report: sessions (T0 from the first), scores (each against the one before), the
    /// week's vitals and screens, amendments and voids; no day records.
    static let weekly: ReportInputs = [.sessions, .scores, .screens, .vitals, .amendments]
}

/// Reads what reports need from an unlocked store into KetlogReports' plain values: current,
/// non-void records only, amendments and voids from the audit trail, and the audit status.
enum ReportDatasetLoader {
    /// The records of `inputs`, of everyone or (with `patientCode`) of one patient; with
    /// `vitalsDated`, only the vitals of sessions dated in that range (the weekly report's week),
    /// the dataset saying whether live vitals exist at all.
    static func load(_ store: UnlockedStore, patientCode: String? = nil, inputs: ReportInputs,
                     vitalsDated: ClosedRange<ClinicalDate>? = nil, today: ClinicalDate = .today()) throws -> ReportDataset {
        // The footer states that the chain verified; `ketlog audit verify` also re-hashes every
        // record, which would read the whole store for every report. The chain walk tells each
        // record's newest audited version: every record the report reads, void ones included,
        // must be at it, or the report is refused (a rolled-back record shows an old value).
        let verification = try store.verifyAudit(records: false)
        let versions = verification.ok ? verification.versions : nil
        let patientID = try patientCode.map { try store.patientID(code: $0) }
        /// `map` of each current record that is at its newest audited version and not void.
        @Sendable func live<Body: RecordBody, T>(_ record: Versioned<Body>, _ map: (Versioned<Body>) -> T?) throws -> T? {
            if let versions, record.version != versions.newest(Body.kind, id: record.id) {
                throw CLIError.verificationFailed("report refused: " + AuditProblemText.describe(
                    .rolledBack(record: Body.kind.shortID(record.id))) + "; run `ketlog audit verify`")
            }
            return record.stamp.isVoid ? nil : map(record)
        }
        func collect<Body: RecordBody, T: Sendable>(_ type: Body.Type, _ input: ReportInputs,
                                                    _ map: @escaping @Sendable (Versioned<Body>) -> T?) throws -> [T] {
            guard inputs.contains(input) else { return [] }
            return try store.collect(type, patientID: patientID) { try live($0, map) }
        }
        var patients: [ReportPatient] = []
        if let patientID {
            if let patient = try live(try store.record(Patient.self, id: patientID), Self.reportPatient) { patients.append(patient) }
        } else {
            patients = try store.collect(Patient.self) { try live($0, Self.reportPatient) }
        }
        var sessions = try collect(KetamineSession.self, .sessions) { session in
            let monitoring = session.body.monitoring
            return ReportSession(id: session.id, patientID: session.patientID, date: session.body.date,
                                 route: session.body.route.rawValue,
                                 doseMgPerKg: session.body.doseMgPerKg, doseMg: session.body.doseMg,
                                 practitioner: session.body.practitioner,
                                 lot: monitoring.lot, monitoringMin: monitoring.monitoringMin,
                                 readyMin: monitoring.readyMin, comedications: monitoring.comedications)
        }
        // Practitioner names repeat across many sessions: keep one copy of each.
        var names = StringPool()
        for index in sessions.indices { sessions[index].practitioner = names.intern(sessions[index].practitioner) }
        var scores = try collect(Score.self, .scores) { score in
            ReportScore(id: score.id, patientID: score.patientID, date: score.body.date, craving: score.body.craving,
                        useDays: score.body.useDays, windowDays: score.body.windowDays,
                        substance: score.body.substance?.rawValue)
        }
        var days = try collect(UseDay.self, .days) { day in
            ReportDay(id: day.id, patientID: day.patientID, date: day.body.date, substance: day.body.substance, used: day.body.used)
        }
        var screens = try collect(DrugScreen.self, .screens) { screen in
            ReportScreen(id: screen.id, patientID: screen.patientID, date: screen.body.date,
                         substance: screen.body.substance, result: screen.body.result, method: screen.body.method)
        }
        // Vitals of a void session go with it (the session is not in `sessions`).
        let liveSessions = Set(sessions.map(\.id))
        let keptSessions = vitalsDated.map { range in Set(sessions.filter { range.contains($0.date) }.map(\.id)) } ?? liveSessions
        let anyVitals = LiveVitalsSeen()
        var vitals = try collect(Vitals.self, .vitals) { record -> ReportVitals? in
            guard liveSessions.contains(record.body.sessionID) else { return nil }
            anyVitals.note()
            guard keptSessions.contains(record.body.sessionID) else { return nil }
            let measured = record.body.measurements
            return ReportVitals(id: record.id, sessionID: record.body.sessionID, patientID: record.patientID,
                                at: record.body.at, systolic: measured.systolic, diastolic: measured.diastolic,
                                heartRate: measured.heartRate, spo2: measured.spo2,
                                respiratoryRate: measured.respiratoryRate, moaas: measured.moaas, cadss: measured.cadss)
        }
        // In (patient, date, id) order, the reports group patients by slicing instead of copying.
        Self.order(&sessions) { ($0.patientID, $0.date, $0.id) < ($1.patientID, $1.date, $1.id) }
        Self.order(&scores) { ($0.patientID, $0.date, $0.id) < ($1.patientID, $1.date, $1.id) }
        Self.order(&days) { ($0.patientID, $0.date, $0.id) < ($1.patientID, $1.date, $1.id) }
        Self.order(&screens) { ($0.patientID, $0.date, $0.id) < ($1.patientID, $1.date, $1.id) }
        Self.order(&vitals) { ($0.patientID, $0.sessionID, $0.id) < ($1.patientID, $1.sessionID, $1.id) }
        // The chain walk above saw every amendment and void; only when it stopped early (the
        // footer then says the chain did not verify) is the trail read again for all of them.
        var amendments: [ReportAmendment] = []
        if inputs.contains(.amendments) {
            let changes = verification.ok ? verification.recordChanges.map { ($0.timeMillis, $0.change) }
                : try store.auditLog().compactMap { entry in entry.action.recordChange.map { (entry.timeMillis, $0) } }
            amendments = changes.compactMap { timeMillis, change in
                let kind: ReportAmendment.Kind
                switch change {
                case .amend: kind = .amend
                case .void: kind = .void
                case .add: return nil
                }
                // The entry's UTC day: entries are stamped in UTC.
                return ReportAmendment(date: ClinicalDate(daysSinceEpoch: Int((Double(timeMillis) / 86_400_000).rounded(.down))),
                                       kind: kind)
            }
        }
        return ReportDataset(patients: patients, sessions: sessions, scores: scores, amendments: amendments,
                             days: days, screens: screens, vitals: vitals,
                             chartsVitals: vitalsDated == nil || !inputs.contains(.vitals) ? nil : anyVitals.seen,
                             audit: AuditStatus(verified: verification.ok, head: verification.head ?? "none",
                                                entries: verification.entries),
                             today: today)
    }

    /// Sorts `items` by `ordered` unless they already are (records come in id order, which an
    /// import of a sorted file keeps), so the common case costs one pass.
    private static func order<T>(_ items: inout [T], by ordered: (T, T) -> Bool) {
        for index in items.indices.dropFirst() where ordered(items[index], items[index - 1]) {
            items.sort(by: ordered)
            return
        }
    }

    private static func reportPatient(_ patient: Versioned<Patient>) -> ReportPatient {
        ReportPatient(id: patient.id, code: patient.body.code, substances: patient.body.substances.map(\.rawValue))
    }
}

/// Whether any live vitals record went past, noted from both of `collect`'s threads.
private final class LiveVitalsSeen: Sendable {
    private let flag = Atomic<Bool>(false)

    func note() { flag.store(true, ordering: .relaxed) }
    var seen: Bool { flag.load(ordering: .relaxed) }
}
