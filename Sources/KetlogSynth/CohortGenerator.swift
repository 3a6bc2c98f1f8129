import KetlogModel

/// Generates a synthetic cohort in ketlog's import format: patients with a substance mix, 5–8
/// infusions over 2–4 weeks (1–3 for dropouts) at a low or high dose of one route, a baseline score on or before
/// T0 (use days around 20 of 28), weekly check-ins whose use days fall further in the high-dose
/// group, craving that tracks use, dropouts and missed follow-ups, and T0s spread over the two
/// years before `today` so the weekly report has recent activity. Every date is on or before
/// `today`. Each patient is drawn from its own stream of the seed, so the first N patients of a
/// larger cohort are the same as a cohort of N.
struct CohortGenerator {
    let seed: UInt64
    let patients: Int
    let today: ClinicalDate
    /// Also write the monitoring data (`--monitoring`): the sessions' four monitoring columns,
    /// vitals.csv, screens.csv and days.csv. The other files' rows are the same either way.
    var monitoring = false

    /// How many rows each file got.
    struct Counts {
        var patients = 0
        var sessions = 0
        var scores = 0
        var vitals = 0
        var screens = 0
        var days = 0
    }

    /// Each file's columns, in the order PatientPlan writes a row's fields.
    static let patientColumns: [Field] = [.code, .name, .birthDate, .sex, .substances, .notes]
    static let sessionColumns: [Field] = [.patient, .date, .time, .route, .doseMgPerKg, .weightKg, .doseMg,
                                          .durationMin, .practitioner, .counselor, .notes, .adverseEvents]
    static let scoreColumns: [Field] = [.patient, .date, .craving, .useDays, .windowDays, .substance]
    static let monitoringColumns: [Field] = [.lot, .monitoringMin, .readyMin, .comedications]
    static let vitalsColumns: [Field] = [.patient, .sessionDate, .sessionTime, .at, .bpSystolic, .bpDiastolic, .heartRate, .spo2,
                                         .respiratoryRate, .moaas, .cadss, .note]
    static let screenColumns: [Field] = [.patient, .date, .substance, .result, .method]
    static let dayColumns: [Field] = [.patient, .date, .substance, .used, .amount]

    /// Days before `today` over which treatment starts are spread.
    static let enrolmentDays = 730
    static let dropoutRate = 0.08
    static let missedFollowUpRate = 0.05
    static let noBaselineRate = 0.02

    func write(to directory: String) throws -> Counts {
        var patientFile = try CSVBuffer(path: directory + "/patients.csv", header: Self.patientColumns)
        var sessionFile = try CSVBuffer(path: directory + "/sessions.csv",
                                        header: Self.sessionColumns + (monitoring ? Self.monitoringColumns : []))
        var scoreFile = try CSVBuffer(path: directory + "/scores.csv", header: Self.scoreColumns)
        var vitalsFile = try monitoring ? CSVBuffer(path: directory + "/vitals.csv", header: Self.vitalsColumns) : nil
        var screenFile = try monitoring ? CSVBuffer(path: directory + "/screens.csv", header: Self.screenColumns) : nil
        var dayFile = try monitoring ? CSVBuffer(path: directory + "/days.csv", header: Self.dayColumns) : nil
        var staffRandom = SplitMix64(seed: seed, stream: UInt64.max)
        let practitioners = (0..<8).map { _ in "\(staffRandom.pick(SynthVocabulary.titles)) \(Self.name(&staffRandom))" }
        let counselors = (0..<6).map { _ in "\(Self.name(&staffRandom)), \(staffRandom.pick(SynthVocabulary.counselorRoles))" }
        let width = max(5, String(patients).count)
        var counts = Counts()
        for index in 0..<patients {
            var random = SplitMix64(seed: seed, stream: UInt64(index))
            let number = String(index + 1)
            let code = "P-" + String(repeating: "0", count: width - number.count) + number
            let plan = PatientPlan(random: &random, today: today, practitioners: practitioners, counselors: counselors)
            try plan.writePatient(code: code, name: Self.name(&random), random: &random, to: &patientFile)
            counts.patients += 1
            var extra = monitoring ? MonitoringPlan(seed: seed, patient: index) : nil
            let sessions = try plan.writeSessions(code: code, random: &random, to: &sessionFile, monitoring: &extra)
            counts.sessions += sessions.count
            counts.scores += try plan.writeScores(code: code, random: &random, to: &scoreFile)
            if monitoring {
                // Mutated in place (`&file!`): a copy of a buffer would copy its bytes per patient.
                counts.vitals += try extra!.writeVitals(code: code, sessions: sessions, to: &vitalsFile!)
                let written = try extra!.writeDaysAndScreens(code: code, plan: plan, days: &dayFile!, screens: &screenFile!)
                (counts.days, counts.screens) = (counts.days + written.days, counts.screens + written.screens)
            }
        }
        try patientFile.close()
        try sessionFile.close()
        try scoreFile.close()
        try vitalsFile?.close()
        try screenFile?.close()
        try dayFile?.close()
        return counts
    }

    /// An invented "Given Family" name from syllables.
    static func name(_ random: inout SplitMix64) -> String {
        func word() -> String {
            var text = random.pick(SynthVocabulary.onsets)
            if random.chance(0.6) { text += random.pick(SynthVocabulary.middles) }
            return text + random.pick(SynthVocabulary.endings)
        }
        return word() + " " + word()
    }
}
