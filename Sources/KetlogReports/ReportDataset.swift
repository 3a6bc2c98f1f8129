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
    /// Daily-use records. Loader contract: void `day` records are left out (never passed with a
    /// flag), so a voided day is simply absent and reads as missing; amended ones carry their
    /// latest version. Two records for one day may disagree: any "used" wins (DESIGN). Handed in
    /// (patient, date, id) order, as the loader sorts sessions and scores, nothing is copied.
    public var days: [ReportDay]
    /// Drug screens, void ones left out as for `days`.
    public var screens: [ReportScreen]
    /// Vitals, void ones left out as for `days`; a vitals record of a void session is left out too.
    /// A loader may hand only those of the sessions a report looks at (the weekly report: the
    /// week's), saying with `chartsVitals` whether live vitals exist at all.
    public var vitals: [ReportVitals]
    /// Whether any live vitals record exists, when `vitals` holds only some of them.
    public var chartsVitals: Bool?
    public var audit: AuditStatus
    public var today: ClinicalDate

    /// Whether the clinic keeps the daily-use calendar at all (any day record or screen): the
    /// endpoints and the calendar appear only then, so a clinic that does not is not shown every
    /// patient as "no daily data".
    public var hasDailyData: Bool { !days.isEmpty || !screens.isEmpty }
    /// Whether the clinic charts monitoring (any vitals record or screen): the weekly safety
    /// alerts and positive screens appear only then.
    public var hasMonitoring: Bool { (chartsVitals ?? !vitals.isEmpty) || !screens.isEmpty }

    public init(patients: [ReportPatient], sessions: [ReportSession], scores: [ReportScore],
                amendments: [ReportAmendment] = [], days: [ReportDay] = [], screens: [ReportScreen] = [],
                vitals: [ReportVitals] = [], chartsVitals: Bool? = nil, audit: AuditStatus, today: ClinicalDate) {
        (self.patients, self.sessions, self.scores, self.amendments, self.audit, self.today)
            = (patients, sessions, scores, amendments, audit, today)
        (self.days, self.screens, self.vitals, self.chartsVitals) = (days, screens, vitals, chartsVitals)
    }
}
