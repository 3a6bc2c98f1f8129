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

    /// A drug screen as the report lists it.
    public struct ScreenRow: Sendable, Hashable {
        public var id: String
        public var date: ClinicalDate
        public var substance: Substance
        public var result: ScreenResult
        public var method: ScreenMethod?
    }

    /// One set of vitals, with its session.
    public struct VitalsRow: Sendable, Hashable {
        public var session: String
        public var sessionDate: ClinicalDate
        public var vitals: ReportVitals
    }

    /// A session's monitoring as charted (lot, minutes, co-medications).
    public struct MonitoringRow: Sendable, Hashable {
        public var session: String
        public var date: ClinicalDate
        public var route: String
        public var lot: String?
        public var monitoringMin: Int?
        public var readyMin: Int?
        public var comedications: [Comedication]
    }

    /// The daily-use calendar over the observed days 1…min(F, today − T0) and the endpoints it gives.
    public struct DailyUse: Sendable, Hashable {
        public var options: EndpointOptions
        public var calendar: DailyCalendar
        /// All nil without daily data in the window.
        public var endpoints: PatientEndpoints
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
    /// The calendar and endpoints; nil when the dataset holds no day records or screens at all,
    /// or the patient has no treatment start.
    public var dailyUse: DailyUse?
    /// The endpoint options asked for, and whether the clinic keeps the calendar at all (then
    /// JSON always has `endpoints` and `calendar`, null and empty without a treatment start).
    public var endpointOptions: EndpointOptions
    public var showsDailyUse: Bool
    public var screens: [ScreenRow]
    /// Every session's vitals, by session date and moment.
    public var vitals: [VitalsRow]
    /// Sessions with any monitoring charted (lot, minutes, co-medications).
    public var monitoring: [MonitoringRow]
    /// Whether the clinic charts screens or vitals (or this patient's sessions carry monitoring):
    /// the screens and vitals sections appear only then.
    public var showsMonitoring: Bool
    /// Why a value is absent, in the clinic's words.
    public var notes: [String]
    public var audit: AuditStatus

    /// Computes the report for the patient whose code matches `patientCode` (case-insensitive).
    /// - Throws: `ReportError.patientNotFound`.
    public init(dataset: ReportDataset, patientCode: String,
                endpoints options: EndpointOptions = EndpointOptions()) throws(ReportError) {
        let wanted = patientCode.lowercased()
        guard let patient = dataset.patients.first(where: { $0.code.lowercased() == wanted }) else {
            throw .patientNotFound
        }
        let subset = ReportDataset(
            patients: [patient],
            sessions: dataset.sessions.filter { $0.patientID == patient.id },
            scores: dataset.scores.filter { $0.patientID == patient.id },
            days: dataset.days.filter { $0.patientID == patient.id },
            screens: dataset.screens.filter { $0.patientID == patient.id },
            vitals: dataset.vitals.filter { $0.patientID == patient.id },
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
        let sessionByID = Dictionary(history.sessions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let sessionID = { (id: Int64) in RecordKind.session.shortID(id) }
        screens = subset.screens.sorted { ($0.date, $0.id) < ($1.date, $1.id) }.map {
            ScreenRow(id: $0.shortID, date: $0.date, substance: $0.substance, result: $0.result, method: $0.method)
        }
        vitals = subset.vitals.compactMap { vitals in
            sessionByID[vitals.sessionID].map { VitalsRow(session: sessionID($0.id), sessionDate: $0.date, vitals: vitals) }
        }.sorted { ($0.sessionDate, $0.vitals.sessionID, $0.vitals.at.order, $0.vitals.id)
            < ($1.sessionDate, $1.vitals.sessionID, $1.vitals.at.order, $1.vitals.id) }
        monitoring = history.sessions.filter {
            $0.lot != nil || $0.monitoringMin != nil || $0.readyMin != nil || !$0.comedications.isEmpty
        }.map {
            MonitoringRow(session: sessionID($0.id), date: $0.date, route: $0.route, lot: $0.lot,
                          monitoringMin: $0.monitoringMin, readyMin: $0.readyMin, comedications: $0.comedications)
        }
        showsMonitoring = dataset.hasMonitoring || dataset.hasDailyData || !monitoring.isEmpty
        (endpointOptions, showsDailyUse) = (options, dataset.hasDailyData)
        if dataset.hasDailyData, let start {
            let calendar = DailyCalendar(start: start, options: options, today: dataset.today, days: subset.days,
                                         screens: subset.screens)
            dailyUse = DailyUse(options: options, calendar: calendar,
                                endpoints: PatientEndpoints(calendar, rule: options.missingRule))
        } else {
            dailyUse = nil
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
        if let dailyUse, !dailyUse.calendar.hasData {
            let observed = dailyUse.calendar.days.count
            notes.append(observed == 0 ? "no daily-use endpoints: no day of the window has passed yet"
                         : "no daily-use endpoints: no day record or positive screen in days 1-\(observed)")
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
