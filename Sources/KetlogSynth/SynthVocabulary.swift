import KetlogModel

/// Word lists the generator draws from: invented names built from syllables, how often each of
/// the model's substances, sexes and routes is drawn, dose groups inside each route's band, and
/// counseling-note phrases. Nothing here names a real person; no phrase starts with a
/// spreadsheet formula character.
enum SynthVocabulary {
    static let onsets = ["Ba", "Da", "El", "Fa", "Ga", "Ha", "Il", "Jo", "Ka", "Lu", "Ma", "Ne", "Or", "Pa", "Ri", "Sa",
                         "Te", "Ul", "Va", "Wi", "Yo", "Za"]
    static let middles = ["ri", "lo", "na", "ve", "mi", "do", "ra", "li", "so", "ta", "ne", "ki"]
    static let endings = ["n", "a", "o", "el", "is", "ar", "et", "ine", "us", "y", "em", "or"]

    /// Substances with clinic-like frequencies.
    static let substances: [(Substance, Int)] = [
        (.alcohol, 30), (.cocaine, 15), (.opioids, 10), (.heroin, 8), (.prescriptionOpioids, 8),
        (.methamphetamine, 10), (.cannabis, 9), (.benzodiazepines, 6), (.other, 4),
    ]
    static let sexes: [(Sex, Int)] = [(.female, 44), (.male, 52), (.other, 2), (.unknown, 2)]

    /// A route's low and high dose, in the unit of its band (`Route.dosedPerKg`: mg/kg, else
    /// total mg), and how often the route is drawn.
    struct DoseGroups {
        let route: Route
        let low: Double
        let high: Double
        let weight: Int

        /// Traps unless ketlog would take both doses as usual for the route, at the lightest and
        /// heaviest weight written, without `--allow-unusual-dose`. The band is the model's
        /// (`Route.band`, applied by `SessionDraft.validated` as on import), so synth keeps no
        /// copy of it; the check runs once, when the first patient draws a route.
        init(route: Route, low: Double, high: Double, weight: Int) {
            (self.route, self.low, self.high, self.weight) = (route, low, high, weight)
            let day = ClinicalDate(daysSinceEpoch: 0)
            let weights = PatientPlan.writtenWeightsKg
            for amount in [low, high] {
                for weightKg in route.dosedPerKg ? [weights.lowerBound, weights.upperBound] : [nil] {
                    let draft = SessionDraft(date: day, route: route, doseMgPerKg: weightKg.map { _ in amount },
                                             weightKg: weightKg, doseMg: weightKg.map { amount * $0 } ?? amount,
                                             durationMin: route.needsDuration ? 60 : nil, practitioner: "dose check")
                    do {
                        _ = try draft.validated(birthDate: nil, today: day)
                    } catch {
                        preconditionFailure("\(route.rawValue) dose \(amount) is outside \(route.band.description): \(error)")
                    }
                }
            }
        }
    }

    static let routes: [DoseGroups] = [
        DoseGroups(route: .iv, low: 0.41, high: 0.71, weight: 40),
        DoseGroups(route: .im, low: 0.5, high: 1.0, weight: 15),
        DoseGroups(route: .intranasal, low: 28, high: 84, weight: 15),
        DoseGroups(route: .oral, low: 1.0, high: 3.0, weight: 10),
        DoseGroups(route: .sublingual, low: 100, high: 300, weight: 12),
        DoseGroups(route: .subcutaneous, low: 0.3, high: 0.6, weight: 8),
    ]

    static let titles = ["Dr", "NP", "PA"]
    static let counselorRoles = ["LCSW", "LPC", "MFT"]

    static let noteOpenings = [
        "Integration session focused on", "Discussed", "Patient reflected on", "Worked through", "Explored",
        "Reviewed", "Processed experience around",
    ]
    static let noteTopics = [
        "cravings at work", "family conflict, and boundaries", "sleep and routine", "triggers after payday",
        "grief over a lost friend", "the \"observer\" feeling during dissociation", "relapse prevention plan",
        "motivation and next steps", "shame, guilt and self-compassion", "social support, meetings",
    ]
    static let noteClosings = [
        "Plan: continue weekly check-ins.", "Homework: journaling.", "Agreed to attend group.",
        "Safety plan reviewed.", "Follow up with prescriber.", "",
    ]
    static let patientNotes = [
        "Referred by primary care.", "Prior detox in hospital, 2 admissions.", "Court-mandated program.",
        "Self-referred after ED visit.", "Co-occurring depression, on SSRI.", "Previously treated with naltrexone.",
    ]
    static let adverseEvents = [
        "transient hypertension", "nausea", "vomiting", "dizziness", "anxiety during onset", "headache",
        "blurred vision", "dissociation, prolonged",
    ]
}
