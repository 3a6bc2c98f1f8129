import KetlogModel
/// `ketlog report patient CODE`: is this patient improving since treatment started?
///
/// Baseline is the latest score on or before T0; latest is the most recent score after T0. The
/// change is latest − baseline, with a percent change only when the baseline is not zero. Values
/// that cannot be computed are nil and `notes` says why.
public struct PatientTrendReport: Sendable {
    /// One score as the report lists it.
    public struct ScoreRow: Sendable, Hashable {
        public var date: ClinicalDate
        /// Days after T0 (negative before it); nil when the patient has no session.
        public var daysSinceStart: Int?
        public var useDays: Int
        public var windowDays: Int
        public var useDaysPer28: Double
        public var craving: Int
        public var substance: String?
    }

    /// One session as the report lists it.
    public struct SessionRow: Sendable, Hashable {
        public var date: ClinicalDate
        public var daysSinceStart: Int
        public var route: String
        public var doseMgPerKg: Double?
        public var doseMg: Double
        public var practitioner: String
    }

    /// Latest minus baseline.
    public struct Change: Sendable, Hashable {
        public var useDaysPer28: Double
        /// nil when the baseline use days are 0.
        public var useDaysPer28Percent: Double?
        public var craving: Int
        /// nil when the baseline craving is 0.
        public var cravingPercent: Double?
    }

    /// The longest run of consecutive scores with zero use days.
    public struct ZeroRun: Sendable, Hashable {
        /// Number of scores in the run; 0 when no score had zero use days.
        public var length: Int
        public var from: ClinicalDate?
        public var to: ClinicalDate?
    }

    public var patientCode: String
    public var substances: [String]
    /// T0; nil for a patient without sessions.
    public var treatmentStart: ClinicalDate?
    public var baseline: ScoreRow?
    public var latest: ScoreRow?
    public var change: Change?
    public var scores: [ScoreRow]
    public var sessions: [SessionRow]
    public var longestZeroRun: ZeroRun
    /// Why a value is absent, in the clinic's words.
    public var notes: [String]
    public var audit: AuditStatus

    /// Computes the report for the patient whose code matches `patientCode` (case-insensitive).
    /// - Throws: `ReportError.patientNotFound`.
    public init(dataset: ReportDataset, patientCode: String) throws(ReportError) {
        let wanted = patientCode.lowercased()
        guard let patient = dataset.patients.first(where: { $0.code.lowercased() == wanted }) else {
            throw .patientNotFound
        }
        let subset = ReportDataset(
            patients: [patient],
            sessions: dataset.sessions.filter { $0.patientID == patient.id },
            scores: dataset.scores.filter { $0.patientID == patient.id },
            audit: dataset.audit, today: dataset.today)
        let history = PatientHistory.index(subset)[0]
        let start = history.treatmentStart

        func row(_ score: ReportScore) -> ScoreRow {
            ScoreRow(date: score.date, daysSinceStart: start.map { score.date.days(since: $0) },
                     useDays: score.useDays, windowDays: score.windowDays, useDaysPer28: score.useDaysPer28,
                     craving: score.craving, substance: score.substance)
        }

        self.patientCode = patient.code
        substances = patient.substances
        treatmentStart = start
        audit = dataset.audit
        scores = history.scores.map(row)
        sessions = history.sessions.map { session in
            // A patient with a session has a T0, so days since start is always defined here.
            SessionRow(date: session.date, daysSinceStart: session.date.days(since: start ?? session.date),
                       route: session.route, doseMgPerKg: session.doseMgPerKg, doseMg: session.doseMg,
                       practitioner: session.practitioner)
        }
        baseline = history.baseline.map(row)
        latest = start.flatMap { start in history.scores.last { $0.date > start } }.map(row)

        var notes: [String] = []
        if start == nil {
            notes.append("no sessions: treatment start unknown")
        } else {
            if baseline == nil { notes.append("no baseline: no score on or before treatment start") }
            if latest == nil { notes.append("no follow-up: no score after treatment start") }
        }
        if let baseline, let latest {
            change = Change(
                useDaysPer28: latest.useDaysPer28 - baseline.useDaysPer28,
                useDaysPer28Percent: PatientTrendReport.percentChange(from: baseline.useDaysPer28, to: latest.useDaysPer28),
                craving: latest.craving - baseline.craving,
                cravingPercent: PatientTrendReport.percentChange(from: Double(baseline.craving), to: Double(latest.craving)))
            if baseline.useDaysPer28 == 0 { notes.append("no percent change in use days: baseline is 0") }
            if baseline.craving == 0 { notes.append("no percent change in craving: baseline is 0") }
        }
        self.notes = notes
        longestZeroRun = PatientTrendReport.longestZeroRun(history.scores)
    }

    /// (to − from) / from × 100, or nil when `from` is 0.
    static func percentChange(from: Double, to: Double) -> Double? {
        from == 0 ? nil : Statistics.finite((to - from) / from * 100)
    }

    static func longestZeroRun(_ scores: some Collection<ReportScore>) -> ZeroRun {
        var best = ZeroRun(length: 0, from: nil, to: nil)
        var current = ZeroRun(length: 0, from: nil, to: nil)
        for score in scores {
            if score.useDays == 0 {
                current = ZeroRun(length: current.length + 1, from: current.from ?? score.date, to: score.date)
                if current.length > best.length { best = current }
            } else {
                current = ZeroRun(length: 0, from: nil, to: nil)
            }
        }
        return best
    }
}
