import KetlogModel
/// Everything a report is computed from, as plain values handed over by the store.
///
/// Records must already exclude void versions and carry their latest amendment. `today` is the
/// clinic's current date, passed in so that reports never read a clock and tests are repeatable.
public struct ReportDataset: Sendable {
    public var patients: [ReportPatient]
    public var sessions: [ReportSession]
    public var scores: [ReportScore]
    /// Amendments and voids (any dates; the weekly report picks its week's).
    public var amendments: [ReportAmendment]
    public var audit: AuditStatus
    public var today: ClinicalDate

    public init(patients: [ReportPatient], sessions: [ReportSession], scores: [ReportScore],
                amendments: [ReportAmendment] = [], audit: AuditStatus, today: ClinicalDate) {
        (self.patients, self.sessions, self.scores, self.amendments, self.audit, self.today)
            = (patients, sessions, scores, amendments, audit, today)
    }
}
