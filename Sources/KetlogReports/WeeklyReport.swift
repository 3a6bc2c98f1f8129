import KetlogModel
/// `ketlog report weekly`: one ISO week's activity, alerts, overdue patients and the audit status.
///
/// Sessions, new patients, scores, alerts, amendments and voids are those dated in the week.
/// Overdue is judged against `today`: a session in the 42 days up to today and no score in the
/// 14 days up to today.
public struct WeeklyReport: Sendable {
    /// A count under a name (route, practitioner).
    public struct Tally: Sendable, Hashable {
        public var key: String
        public var count: Int
    }

    /// Mean mg/kg of one route's weight-based sessions.
    public struct RouteDose: Sendable, Hashable {
        public var route: String
        /// Sessions with a recorded mg/kg.
        public var sessions: Int
        public var meanMgPerKg: Double?
    }

    /// A score in the week that got worse than the patient's previous score.
    public struct Alert: Sendable, Hashable {
        public enum Reason: String, Sendable, Hashable {
            /// Craving up by 2 points or more.
            case cravingUp = "craving up"
            /// Use days per 28 higher than before.
            case useUp = "use up"
        }

        public var patientCode: String
        public var date: ClinicalDate
        public var previousDate: ClinicalDate
        public var previousCraving: Int
        public var craving: Int
        public var previousUseDaysPer28: Double
        public var useDaysPer28: Double
        public var reasons: [Reason]
    }

    /// A patient treated recently but not scored recently.
    public struct Overdue: Sendable, Hashable {
        public var patientCode: String
        public var lastSession: ClinicalDate
        /// nil when the patient has never been scored.
        public var lastScore: ClinicalDate?
    }

    /// How far back a session makes a patient "in treatment" for the overdue check.
    public static let activeSessionDays = 42
    /// How recent a score must be for a patient in treatment not to be overdue.
    public static let scoreDueDays = 14
    /// A craving rise of at least this many points is an alert.
    public static let cravingAlertPoints = 2

    public var week: ISOWeek
    public var from: ClinicalDate
    public var to: ClinicalDate
    public var today: ClinicalDate
    public var sessionCount: Int
    public var sessionsByRoute: [Tally]
    public var sessionsByPractitioner: [Tally]
    public var mgPerKgByRoute: [RouteDose]
    /// Distinct patients with a session in the week.
    public var patientsTreated: Int
    /// Codes of patients whose T0 lies in the week.
    public var newPatients: [String]
    public var scoresRecorded: Int
    public var alerts: [Alert]
    public var overdue: [Overdue]
    public var amendments: Int
    public var voids: Int
    /// Whether the clinic charts vitals or screens at all: the safety and positive-screen sections
    /// appear only then (otherwise every session would be "no vitals recorded").
    public var showsMonitoring: Bool
    /// The week's sessions against `SafetyThresholds`, by date, session and moment.
    public var safety: [SafetyAlert]
    /// The week's positive screens, by date.
    public var positiveScreens: [PatientTrendReport.ScreenRow]
    /// The patient code of each positive screen, parallel to `positiveScreens`.
    public var positiveScreenPatients: [String]
    public var audit: AuditStatus

    public init(dataset: ReportDataset, week: ISOWeek) {
        self.week = week
        from = week.monday
        to = week.sunday
        today = dataset.today
        audit = dataset.audit
        let histories = PatientHistory.index(dataset)

        let weekSessions = dataset.sessions.filter { week.contains($0.date) }
        sessionCount = weekSessions.count
        sessionsByRoute = WeeklyReport.tally(weekSessions.map(\.route))
        sessionsByPractitioner = WeeklyReport.tally(weekSessions.map(\.practitioner))
        mgPerKgByRoute = Dictionary(grouping: weekSessions, by: \.route).map { route, sessions in
            let doses = sessions.compactMap(\.doseMgPerKg)
            return RouteDose(route: route, sessions: doses.count, meanMgPerKg: Statistics.mean(doses))
        }.sorted { $0.route < $1.route }
        patientsTreated = Set(weekSessions.map(\.patientID)).count
        newPatients = histories.filter { $0.treatmentStart.map(week.contains) ?? false }.map(\.patient.code).sorted()
        scoresRecorded = dataset.scores.filter { week.contains($0.date) }.count

        var alerts: [Alert] = []
        var overdue: [Overdue] = []
        let today = dataset.today
        for history in histories {
            for (previous, score) in zip(history.scores, history.scores.dropFirst()) where week.contains(score.date) {
                var reasons: [Alert.Reason] = []
                if score.craving - previous.craving >= WeeklyReport.cravingAlertPoints { reasons.append(.cravingUp) }
                if score.useDaysPer28 > previous.useDaysPer28 { reasons.append(.useUp) }
                guard !reasons.isEmpty else { continue }
                alerts.append(Alert(patientCode: history.patient.code, date: score.date, previousDate: previous.date,
                                    previousCraving: previous.craving, craving: score.craving,
                                    previousUseDaysPer28: previous.useDaysPer28, useDaysPer28: score.useDaysPer28,
                                    reasons: reasons))
            }
            let lastSession = history.sessions.last { $0.date <= today }?.date
            let lastScore = history.scores.last { $0.date <= today }?.date
            if let lastSession, today.days(since: lastSession) < WeeklyReport.activeSessionDays,
               lastScore.map({ today.days(since: $0) >= WeeklyReport.scoreDueDays }) ?? true {
                overdue.append(Overdue(patientCode: history.patient.code, lastSession: lastSession, lastScore: lastScore))
            }
        }
        self.alerts = alerts.sorted { ($0.date, $0.patientCode) < ($1.date, $1.patientCode) }
        self.overdue = overdue.sorted { $0.patientCode < $1.patientCode }
        let weekChanges = dataset.amendments.filter { week.contains($0.date) }
        amendments = weekChanges.filter { $0.kind == .amend }.count
        voids = weekChanges.filter { $0.kind == .void }.count

        showsMonitoring = dataset.hasMonitoring
        let codes = Dictionary(dataset.patients.map { ($0.id, $0.code) }, uniquingKeysWith: { first, _ in first })
        // Only the week's sessions are checked: group their vitals, not every session's.
        let weekSessionIDs = Set(weekSessions.map(\.id))
        let vitalsBySession = Dictionary(grouping: dataset.vitals.filter { weekSessionIDs.contains($0.sessionID) }, by: \.sessionID)
        safety = showsMonitoring ? weekSessions.sorted { ($0.date, $0.id) < ($1.date, $1.id) }.flatMap { session in
            SafetyAlert.alerts(session: session, patientCode: codes[session.patientID] ?? "",
                               vitals: vitalsBySession[session.id] ?? [])
        } : []
        let positives = dataset.screens.filter { $0.result == .positive && week.contains($0.date) }
            .sorted { ($0.date, $0.id) < ($1.date, $1.id) }
        positiveScreens = positives.map {
            PatientTrendReport.ScreenRow(id: $0.shortID, date: $0.date, substance: $0.substance, result: $0.result, method: $0.method)
        }
        positiveScreenPatients = positives.map { codes[$0.patientID] ?? "" }
    }

    private static func tally(_ keys: [String]) -> [Tally] {
        Dictionary(grouping: keys, by: { $0 }).map { Tally(key: $0.key, count: $0.value.count) }
            .sorted { ($1.count, $0.key) < ($0.count, $1.key) }
    }
}
