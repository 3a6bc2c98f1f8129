import KetlogModel

/// One synthetic patient's course: who they are, their route and dose group, their infusion
/// days, and the trajectory their use days and craving follow. Rows are written straight to
/// the CSV files, dropping anything that would fall after `today`.
struct PatientPlan {
    let today: ClinicalDate
    let start: ClinicalDate
    let birth: ClinicalDate
    let substances: [Substance]
    let dose: SynthVocabulary.DoseGroups
    let highDose: Bool
    let weightKg: Double
    let practitioner: String
    let otherPractitioner: String
    let counselor: String
    let sessionDays: [Int]
    let dropout: Bool
    let missedFollowUp: Bool
    let hasBaseline: Bool
    let baselineRate: Double
    let followUpRate: Double
    let relapseSlope: Double
    let checkIns: Int

    init(random: inout SplitMix64, today: ClinicalDate, practitioners: [String], counselors: [String]) {
        self.today = today
        start = today.adding(days: -random.int(0...CohortGenerator.enrolmentDays))
        birth = start.adding(days: -(random.int(19...66) * 365 + random.int(0...364)))
        let main = random.weighted(SynthVocabulary.substances)
        var substances = [main]
        if random.chance(0.25) {
            let second = random.weighted(SynthVocabulary.substances)
            if second != main { substances.append(second) }
        }
        self.substances = substances
        dose = random.weighted(SynthVocabulary.routes.map { ($0, $0.weight) })
        highDose = random.chance(0.5)
        weightKg = (random.normal(mean: 78, sd: 14) * 10).rounded() / 10
        practitioner = random.pick(practitioners)
        otherPractitioner = random.pick(practitioners)
        counselor = random.pick(counselors)
        let dropsOut = random.chance(CohortGenerator.dropoutRate)
        dropout = dropsOut
        missedFollowUp = !dropsOut && random.chance(CohortGenerator.missedFollowUpRate)
        hasBaseline = !random.chance(CohortGenerator.noBaselineRate)
        // Dropouts stop after one to three infusions within their first week.
        let count = dropsOut ? random.int(1...3) : random.int(5...8)
        let span = dropsOut ? 7 : random.int(14...28)
        sessionDays = (0..<count).map { count == 1 ? 0 : $0 * span / (count - 1) }
        baselineRate = min(28, max(4, random.normal(mean: 20, sd: 4).rounded())) / 28
        // High dose helps more on average; some patients stop using entirely.
        let abstinent = random.chance(highDose ? 0.25 : 0.12)
        let factor = min(1.2, max(0, random.normal(mean: highDose ? 0.35 : 0.6, sd: 0.2)))
        followUpRate = abstinent ? 0 : baselineRate * factor
        relapseSlope = random.chance(0.3) ? random.unit() * 0.004 : 0
        checkIns = random.int(16...30)
    }

    /// Use rate (days used per day) `day` days after T0: a straight line from baseline to the
    /// follow-up level over four weeks, then flat or slowly relapsing.
    func rate(at day: Int) -> Double {
        if day <= 28 { return baselineRate + (followUpRate - baselineRate) * Double(max(0, day)) / 28 }
        return min(1, followUpRate + relapseSlope * Double(day - 28))
    }

    /// The weights written: the drawn weight kept inside plausible adult bounds.
    static let writtenWeightsKg = 45.0...140.0

    private var clamped: Double { min(max(weightKg, Self.writtenWeightsKg.lowerBound), Self.writtenWeightsKg.upperBound) }

    func writePatient(code: String, name: String, random: inout SplitMix64, to file: inout CSVBuffer) throws {
        file.text(code)
        file.text(name)
        file.date(birth)
        file.text(random.weighted(SynthVocabulary.sexes).rawValue)
        file.text(substances.map(\.rawValue).joined(separator: ";"))
        if random.chance(0.4) { file.text(random.pick(SynthVocabulary.patientNotes)) } else { file.empty() }
        try file.endRow()
    }

    /// Writes the sessions; with `monitoring` (its own random stream, so the other columns are
    /// the same with or without it) the four monitoring columns follow. Returns each session's
    /// date and start time.
    func writeSessions(code: String, random: inout SplitMix64, to file: inout CSVBuffer,
                       monitoring: inout MonitoringPlan?) throws -> [SessionSlot] {
        var written: [SessionSlot] = []
        for day in sessionDays {
            let date = start.adding(days: day)
            guard date <= today else { break }
            file.text(code)
            file.date(date)
            let slot = SessionSlot(date: date, hour: random.int(8...16), minute: random.pick([0, 15, 30, 45]))
            file.time(hour: slot.hour, minute: slot.minute)
            file.text(dose.route.rawValue)
            let amount = highDose ? dose.high : dose.low
            if dose.route.dosedPerKg {
                file.fixed(amount, decimals: 2)
                file.fixed(clamped, decimals: 1)
                file.fixed(amount * clamped, decimals: 2)
            } else {
                file.empty()
                file.empty()
                file.fixed(amount, decimals: 0)
            }
            if dose.route.needsDuration { file.int(random.int(8...20) * 5) } else { file.empty() }
            file.text(random.chance(0.9) ? practitioner : otherPractitioner)
            if random.chance(0.8) { file.text(counselor) } else { file.empty() }
            if random.chance(0.7) { file.text(note(&random)) } else { file.empty() }
            if random.chance(0.07) {
                var events = [random.pick(SynthVocabulary.adverseEvents)]
                if random.chance(0.15) { events.append(random.pick(SynthVocabulary.adverseEvents)) }
                file.text(Array(Set(events)).sorted().joined(separator: ";"))
            } else {
                file.empty()
            }
            monitoring?.writeSessionColumns(to: &file)
            try file.endRow()
            written.append(slot)
        }
        return written
    }

    private func note(_ random: inout SplitMix64) -> String {
        var text = "\(random.pick(SynthVocabulary.noteOpenings)) \(random.pick(SynthVocabulary.noteTopics))."
        let closing = random.pick(SynthVocabulary.noteClosings)
        if !closing.isEmpty { text += (random.chance(0.05) ? "\n" : " ") + closing }
        return text
    }

    func writeScores(code: String, random: inout SplitMix64, to file: inout CSVBuffer) throws -> Int {
        var days: [Int] = []
        if hasBaseline {
            if random.chance(0.3) { days.append(-random.int(14...21)) }  // an earlier screening
            days.append(-random.int(0...7))
        }
        let lastSession = sessionDays.last ?? 0
        for week in 1...checkIns {
            let day = week == 4 ? 28 + random.int(-3...3) : week * 7 + random.int(-2...2)
            if dropout && day > lastSession + 7 { break }
            if missedFollowUp && (21...35).contains(day) { continue }
            days.append(day)
        }
        var written = 0
        for day in days {
            let date = start.adding(days: day)
            guard date <= today else { break }
            let window = random.weighted([(Rules.defaultWindowDays, 85), (14, 10), (30, 5)])
            let rate = day <= 0 ? baselineRate : rate(at: day)
            let noisy = rate * Double(window) + random.normal(sd: 1.5 * Double(window) / 28)
            let useDays = min(window, max(0, Int(noisy.rounded())))
            // Craving rises with use and is kept on ketlog's scale, which the importer enforces.
            let drawn = Int((1 + 8 * rate + random.normal(sd: 1.2)).rounded())
            let craving = min(Rules.craving.upperBound, max(Rules.craving.lowerBound, drawn))
            file.text(code)
            file.date(date)
            file.int(craving)
            file.int(useDays)
            file.int(window)
            if random.chance(0.7) { file.text(substances[0].rawValue) } else { file.empty() }
            try file.endRow()
            written += 1
        }
        return written
    }
}
