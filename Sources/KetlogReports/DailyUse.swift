import KetlogModel
/// `--missing use|ignore`: what a day without a day record or positive screen counts as.
public enum MissingDayRule: String, Sendable, Hashable, CaseIterable {
    /// The conservative trial rule (the default): a missing day counts as use.
    case use
    /// A missing day is left out.
    case ignore
}

/// A window day's status (DESIGN "Daily-use endpoints").
public enum DayStatus: String, Sendable, Hashable {
    /// A day record says used, or a positive screen was taken that day.
    case use
    /// A day record says abstinent and nothing says use.
    case abstinent
    /// Neither.
    case missing
}

/// The choices the daily-use endpoints are computed under.
public struct EndpointOptions: Sendable, Hashable {
    public var missingRule: MissingDayRule
    /// F: the window is days 1…F after T0 (`--follow-up-days`).
    public var windowDays: Int
    /// With `--substance S`: only day records of S or without a substance, and screens for S.
    public var substance: Substance?

    public init(missingRule: MissingDayRule = .use, windowDays: Int = FollowUpRule.standard.days,
                substance: Substance? = nil) {
        (self.missingRule, self.windowDays, self.substance) = (missingRule, windowDays, substance)
    }

    /// The last days the "abstinent in the last 14 days" endpoint looks at.
    public static let lastDays = 14
}

/// One patient's window days 1…F after T0 that have been observed, each with its status.
///
/// A day after `today` has not happened yet: it is *not yet observed* (neither use, abstinent
/// nor missing) and is not in `days`, so a window that is not complete holds days 1…today − T0.
public struct DailyCalendar: Sendable, Hashable {
    public struct Day: Sendable, Hashable {
        public var date: ClinicalDate
        /// Days after T0, 1…F.
        public var day: Int
        public var status: DayStatus
        /// A positive screen (of the substance asked for) was taken that day.
        public var positiveScreen: Bool
    }

    /// T0.
    public var start: ClinicalDate
    /// F: the whole window, observed or not.
    public var windowDays: Int
    /// Days 1…min(F, today − T0), in order.
    public var days: [Day]

    /// Builds the window from the patient's (non-void) day records and screens, up to `today`.
    public init(start: ClinicalDate, options: EndpointOptions, today: ClinicalDate, days records: some Sequence<ReportDay>,
                screens: some Sequence<ReportScreen>) {
        let window = max(0, options.windowDays)
        let observed = DailyCalendar.observedDays(start: start, window: window, today: today)
        var used = [Bool](repeating: false, count: observed + 1)
        var abstinent = used
        var positive = used
        func offset(_ date: ClinicalDate) -> Int? {
            let day = date.days(since: start)
            return day >= 1 && day <= observed ? day : nil
        }
        for record in records {
            guard let day = offset(record.date) else { continue }
            if let wanted = options.substance, let substance = record.substance, substance != wanted { continue }
            if record.used { used[day] = true } else { abstinent[day] = true }
        }
        for screen in screens where screen.result == .positive {
            guard let day = offset(screen.date) else { continue }
            if let wanted = options.substance, screen.substance != wanted { continue }
            positive[day] = true
        }
        self.start = start
        windowDays = window
        self.days = observed == 0 ? [] : (1...observed).map { day in
            let status: DayStatus = used[day] || positive[day] ? .use : abstinent[day] ? .abstinent : .missing
            return Day(date: start.adding(days: day), day: day, status: status, positiveScreen: positive[day])
        }
    }

    /// The window days observed by `today`: min(F, today − T0), never below 0.
    public static func observedDays(start: ClinicalDate, window: Int, today: ClinicalDate) -> Int {
        min(max(0, window), max(0, today.days(since: start)))
    }

    /// Whether every window day has been observed (T0 + F ≤ today).
    public var windowComplete: Bool { days.count == windowDays }

    /// Whether any observed window day is known (use or abstinent).
    public var hasData: Bool { days.contains { $0.status != .missing } }
}

/// One patient's endpoints under one missing rule; each nil where it does not apply.
public struct PatientEndpoints: Sendable, Hashable {
    public var pctDaysAbstinent: Double?
    public var longestAbstinenceDays: Int?
    public var abstinentLast14: Bool?
    /// The first window day whose status is use (an event); nil when censored.
    public var relapseDay: Int?
    /// The day observation stops without a relapse: the last observed day, F once the window is
    /// complete (ignore: the last known day).
    public var censoredDay: Int?

    /// All nil: for a patient without daily data in the window.
    static let none = PatientEndpoints(pctDaysAbstinent: nil, longestAbstinenceDays: nil, abstinentLast14: nil,
                                       relapseDay: nil, censoredDay: nil)

    init(pctDaysAbstinent: Double?, longestAbstinenceDays: Int?, abstinentLast14: Bool?, relapseDay: Int?,
         censoredDay: Int?) {
        (self.pctDaysAbstinent, self.longestAbstinenceDays, self.abstinentLast14, self.relapseDay, self.censoredDay)
            = (pctDaysAbstinent, longestAbstinenceDays, abstinentLast14, relapseDay, censoredDay)
    }

    /// DESIGN's definitions over the observed days of the window. Under `use` a missing day is
    /// use; under `ignore` it is left out (it neither breaks nor lengthens a run). Nil throughout
    /// without any known day; `abstinentLast14` nil until the window is complete.
    public init(_ calendar: DailyCalendar, rule: MissingDayRule) {
        guard calendar.hasData else {
            self = .none
            return
        }
        let observed = calendar.days.count
        // Under `use` every day is known; under `ignore` only the recorded ones, in order.
        let counted: [DailyCalendar.Day] = switch rule {
        case .use: calendar.days.map { day in
            var day = day
            if day.status == .missing { day.status = .use }
            return day
        }
        case .ignore: calendar.days.filter { $0.status != .missing }
        }
        let abstinentDays = counted.filter { $0.status == .abstinent }.count
        pctDaysAbstinent = Double(abstinentDays) / Double(rule == .use ? observed : counted.count) * 100
        var longest = 0
        var run = 0
        for day in counted {
            run = day.status == .abstinent ? run + 1 : 0
            longest = max(longest, run)
        }
        longestAbstinenceDays = longest
        if calendar.windowComplete {
            let firstLast = max(1, calendar.windowDays - EndpointOptions.lastDays + 1)
            let last = counted.filter { $0.day >= firstLast }
            abstinentLast14 = last.isEmpty ? nil : last.allSatisfy { $0.status == .abstinent }
        } else {
            abstinentLast14 = nil
        }
        if let relapse = counted.first(where: { $0.status == .use }) {
            relapseDay = relapse.day
            censoredDay = nil
        } else {
            relapseDay = nil
            censoredDay = counted.last?.day
        }
    }
}

/// The Kaplan–Meier product-limit estimate of time to relapse.
public struct KaplanMeier: Sendable, Hashable {
    /// One day with at least one event.
    public struct Point: Sendable, Hashable {
        public var day: Int
        /// Patients still observed (neither relapsed nor censored) at the start of the day.
        public var atRisk: Int
        public var events: Int
        /// Survival just after the day: the product of (1 − events / at risk) so far.
        public var survival: Double
    }

    public var events: Int
    public var censored: Int
    public var curve: [Point]

    /// `times`: each patient's relapse day (event) or censoring day.
    public init(_ times: [(day: Int, event: Bool)]) {
        events = times.filter(\.event).count
        censored = times.count - events
        let eventDays = Set(times.filter(\.event).map(\.day)).sorted()
        var survival = 1.0
        curve = eventDays.map { day in
            let atRisk = times.filter { $0.day >= day }.count
            let events = times.filter { $0.event && $0.day == day }.count
            survival *= 1 - Double(events) / Double(atRisk)
            return Point(day: day, atRisk: atRisk, events: events, survival: survival)
        }
    }

    /// S(day): 1 before the first event.
    public func survival(at day: Int) -> Double {
        curve.last { $0.day <= day }?.survival ?? 1
    }

    /// The first day with survival ≤ 0.5, else nil.
    public var medianDay: Int? {
        curve.first { $0.survival <= 0.5 }?.day
    }
}

/// The endpoints of a group of patients (DESIGN's cohort `endpoints{…}`).
public struct CohortEndpoints: Sendable, Hashable {
    public var options: EndpointOptions
    /// Patients whose window is complete with at least one known day; the rest are listed as missing.
    public var patientsWithDailyData: Int
    public var pctDaysAbstinent: DescriptiveSummary
    public var longestAbstinenceDays: DescriptiveSummary
    /// Patients abstinent over the last 14 days…
    public var abstinentLast14: Int
    /// …of the patients that endpoint applies to.
    public var abstinentLast14Of: Int
    public var relapse: KaplanMeier

    /// `patients`: the endpoints of each patient with a complete window and daily data.
    public init(options: EndpointOptions, patients: [PatientEndpoints]) {
        self.options = options
        patientsWithDailyData = patients.count
        pctDaysAbstinent = DescriptiveSummary(patients.compactMap(\.pctDaysAbstinent))
        longestAbstinenceDays = DescriptiveSummary(patients.compactMap(\.longestAbstinenceDays).map(Double.init))
        let last = patients.compactMap(\.abstinentLast14)
        (abstinentLast14, abstinentLast14Of) = (last.filter { $0 }.count, last.count)
        relapse = KaplanMeier(patients.compactMap { patient in
            patient.relapseDay.map { ($0, true) } ?? patient.censoredDay.map { ($0, false) }
        })
    }

    /// Percent abstinent over the last 14 days; nil when nobody had that endpoint.
    public var abstinentLast14Pct: Double? {
        abstinentLast14Of == 0 ? nil : Double(abstinentLast14) / Double(abstinentLast14Of) * 100
    }

    /// S(day) when the window reaches `day` and someone is in the curve; else nil.
    public func survival(at day: Int) -> Double? {
        guard day <= options.windowDays, relapse.events + relapse.censored > 0 else { return nil }
        return relapse.survival(at: day)
    }
}
