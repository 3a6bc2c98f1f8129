import KetlogModel

/// A session's date and start time, as a vitals row names it.
struct SessionSlot {
    let date: ClinicalDate
    let hour: Int
    let minute: Int
}

/// The monitoring data of one synthetic patient (`ketlog-synth --monitoring`), drawn from a
/// random stream of its own so that patients.csv, sessions' other columns and scores.csv are
/// the same with or without it: each session's lot, monitoring and ready minutes and
/// co-medications; vitals before dosing, at about 40 minutes and at discharge (a few outside
/// the weekly report's safety thresholds, some sessions with none); drug screens (some
/// positive, a few on a day the calendar records as abstinent); and a daily-use calendar of
/// about 66 days (of a 72-day window from about T0, with gaps) and, now and then, two
/// contradictory records for a day.
struct MonitoringPlan {
    var random: SplitMix64
    /// Minutes of monitoring of each session written, in order, for its discharge vitals.
    private var monitoringMinutes: [Int] = []

    /// Streams above every patient index (at most 10^7) and the staff stream.
    static func stream(patient index: Int) -> UInt64 { UInt64(index) + (1 << 40) }

    static let lots = ["EK2291", "EK2304", "KT7710", "KT7725", "NS0412"]
    static let sessionsWithoutVitals = 0.15
    static let daysRecorded = 72
    static let gapRate = 0.015
    /// The daily chance of a first use after T0, as a share of the patient's use rate.
    static let relapseHazard = 0.15
    static let contradictionRate = 0.015
    static let unconfirmedPositiveRate = 0.1

    init(seed: UInt64, patient index: Int) {
        random = SplitMix64(seed: seed, stream: Self.stream(patient: index))
    }

    /// `lot,monitoring_min,ready_min,comedications` of one session.
    mutating func writeSessionColumns(to file: inout CSVBuffer) {
        let monitoring = random.int(120...200)
        monitoringMinutes.append(monitoring)
        file.text(random.pick(Self.lots))
        file.int(monitoring)
        file.int(monitoring - random.int(0...40))
        if random.chance(0.12) {
            file.text(random.pick([Comedication.benzodiazepine, .opioid, .sedativeHypnotic, .psychostimulant]).rawValue)
        } else {
            file.empty()
        }
    }

    /// Vitals rows for the sessions written (`patient,session_date,session_time,at,bp_systolic,
    /// bp_diastolic,heart_rate,spo2,respiratory_rate,moaas,cadss,note`).
    mutating func writeVitals(code: String, sessions: [SessionSlot], to file: inout CSVBuffer) throws -> Int {
        var written = 0
        for (index, slot) in sessions.enumerated() where !random.chance(Self.sessionsWithoutVitals) {
            let discharge = index < monitoringMinutes.count ? monitoringMinutes[index] : 120
            for moment in [VitalsMoment.pre, .minutes(random.int(35...45)), .discharge] {
                file.text(code)
                file.date(slot.date)
                file.time(hour: slot.hour, minute: slot.minute)
                file.text(moment == .discharge ? "discharge" : moment.text)
                var systolic = Int(random.normal(mean: moment == .pre ? 128 : 136, sd: 12).rounded())
                var diastolic = Int(random.normal(mean: 80, sd: 8).rounded())
                var heartRate = Int(random.normal(mean: 76, sd: 10).rounded())
                var spo2 = Int(random.normal(mean: 97, sd: 1.2).rounded())
                var moaas = moment == .pre || moment == .discharge ? 5 : random.int(3...5)
                // A few out of the weekly report's safety thresholds.
                if moment == .pre && random.chance(0.04) { (systolic, diastolic) = (random.int(160...185), random.int(100...112)) }
                if random.chance(0.015) { spo2 = random.int(86...91) }
                if random.chance(0.015) { heartRate = random.int(121...140) }
                if moment != .pre && moment != .discharge && random.chance(0.02) { moaas = random.int(0...1) }
                systolic = min(Rules.systolic.upperBound, max(Rules.systolic.lowerBound, systolic))
                diastolic = min(Rules.diastolic.upperBound, max(Rules.diastolic.lowerBound, diastolic))
                if systolic <= diastolic { systolic = diastolic + 20 }
                file.int(systolic)
                file.int(diastolic)
                file.int(min(Rules.heartRate.upperBound, max(Rules.heartRate.lowerBound, heartRate)))
                file.int(min(Rules.spo2.upperBound, max(Rules.spo2.lowerBound, spo2)))
                file.int(random.int(12...18))
                file.int(moaas)
                if case .minutes = moment { file.int(random.int(4...42)) } else { file.empty() }
                if moment == .discharge && discharge > 180 { file.text("monitored \(discharge) minutes") } else { file.empty() }
                try file.endRow()
                written += 1
            }
        }
        return written
    }

    /// The daily calendar (`patient,date,substance,used,amount`) and drug screens
    /// (`patient,date,substance,result,method`) of a patient. Returns the rows written of each.
    mutating func writeDaysAndScreens(code: String, plan: PatientPlan, days dayFile: inout CSVBuffer,
                                      screens screenFile: inout CSVBuffer) throws -> (days: Int, screens: Int) {
        let substance = plan.substances[0]
        let first = plan.start.adding(days: -random.int(0...7))
        var counts = (days: 0, screens: 0)
        var abstinentDays: [ClinicalDate] = []
        var usedDays: Set<ClinicalDate> = []
        var skip = 0
        var relapsed = false
        for offset in 0..<Self.daysRecorded {
            let date = first.adding(days: offset)
            guard date <= plan.today else { break }
            if skip > 0 { skip -= 1; continue }
            if random.chance(Self.gapRate) {  // a missed day, sometimes a missed stretch
                skip = random.chance(0.2) ? random.int(2...6) : 0
                continue
            }
            let day = date.days(since: plan.start)
            // Before T0 the baseline rate; after it, an abstinent stretch that ends at the first
            // use (a daily hazard of a quarter of the patient's use rate, so heavier users relapse
            // sooner and a patient who stopped never does), then use at that rate.
            let rate = day <= 0 ? plan.baselineRate : plan.rate(at: day)
            let used = day <= 0 || relapsed ? random.unit() < rate : random.unit() < rate * Self.relapseHazard
            if day > 0 && used { relapsed = true }
            if used { usedDays.insert(date) }
            if !used { abstinentDays.append(date) }
            try writeDay(code: code, date: date, used: used, substance: substance, to: &dayFile)
            counts.days += 1
            if random.chance(Self.contradictionRate) {
                try writeDay(code: code, date: date, used: !used, substance: substance, to: &dayFile)
                counts.days += 1
            }
        }
        // Weekly urine screens over the first eight weeks, from the first week after T0: positive
        // when the calendar has a use that day or the day before (what a urine screen detects),
        // a few of them missed (a use the screen did not catch).
        for week in 1...8 {
            let date = plan.start.adding(days: week * 7 + random.int(0...2))
            guard date <= plan.today else { break }
            if plan.dropout && week > 2 { break }
            let detectable = usedDays.contains(date) || usedDays.contains(date.adding(days: -1))
            let positive = detectable && !random.chance(0.1)
            try writeScreen(code: code, date: date, substance: substance, result: positive ? .positive : .negative,
                            method: .urine, to: &screenFile)
            counts.screens += 1
        }
        // Now and then a positive screen on a day the patient reported as abstinent.
        if !abstinentDays.isEmpty && random.chance(Self.unconfirmedPositiveRate) {
            try writeScreen(code: code, date: random.pick(abstinentDays), substance: substance, result: .positive,
                            method: random.pick([.urine, .saliva]), to: &screenFile)
            counts.screens += 1
        }
        if random.chance(0.03) {
            try writeScreen(code: code, date: first, substance: substance, result: .invalid, method: .urine, to: &screenFile)
            counts.screens += 1
        }
        return counts
    }

    private mutating func writeDay(code: String, date: ClinicalDate, used: Bool, substance: Substance,
                                   to file: inout CSVBuffer) throws {
        file.text(code)
        file.date(date)
        file.text(substance.rawValue)
        file.text(used ? "yes" : "no")
        if used && random.chance(0.3) { file.text(random.pick(["a little", "about half a gram", "1 g", "a few lines", "all day"])) } else { file.empty() }
        try file.endRow()
    }

    private func writeScreen(code: String, date: ClinicalDate, substance: Substance, result: ScreenResult,
                             method: ScreenMethod, to file: inout CSVBuffer) throws {
        file.text(code)
        file.date(date)
        file.text(substance.rawValue)
        file.text(result.rawValue)
        file.text(method.rawValue)
        try file.endRow()
    }
}
