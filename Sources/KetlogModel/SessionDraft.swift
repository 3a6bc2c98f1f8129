/// A session as entered: every field optional until `validated` checks the whole, including
/// the dose arithmetic and the route's band.
public struct SessionDraft: Sendable, Equatable {
    public var date: ClinicalDate?
    public var time: ClockTime?
    public var route: Route?
    public var doseMgPerKg: Double?
    public var weightKg: Double?
    public var doseMg: Double?
    public var durationMin: Int?
    public var practitioner: String?
    public var counselor: String?
    public var notes: String?
    public var adverseEvents: [String]
    /// Accept a dose outside the route's band (and record that it was).
    public var allowUnusualDose: Bool
    /// Lot, monitoring and ready minutes, co-medications (each optional).
    public var monitoring: SessionMonitoring

    public init(date: ClinicalDate? = nil, time: ClockTime? = nil, route: Route? = nil, doseMgPerKg: Double? = nil,
                weightKg: Double? = nil, doseMg: Double? = nil, durationMin: Int? = nil, practitioner: String? = nil,
                counselor: String? = nil, notes: String? = nil, adverseEvents: [String] = [],
                allowUnusualDose: Bool = false, monitoring: SessionMonitoring = SessionMonitoring()) {
        (self.date, self.time, self.route, self.doseMgPerKg, self.weightKg, self.doseMg) = (date, time, route, doseMgPerKg, weightKg, doseMg)
        (self.durationMin, self.practitioner, self.counselor, self.notes, self.adverseEvents, self.allowUnusualDose)
            = (durationMin, practitioner, counselor, notes, adverseEvents, allowUnusualDose)
        self.monitoring = monitoring
    }

    /// An amendment's new dose replaces the old one whole (the other form is recomputed; the
    /// weight stays unless a new one is given), and the allowance covers only the dose it was
    /// given for: a new dose or route needs `allow` again.
    public mutating func replaceDose(route newRoute: Route?, doseMgPerKg newPerKg: Double?, weightKg newWeight: Double?,
                                     doseMg newMg: Double?, allow: Bool) {
        let doseGiven = newPerKg != nil || newMg != nil || newWeight != nil
        if doseGiven {
            doseMgPerKg = newPerKg
            doseMg = newMg
            weightKg = newWeight ?? weightKg
        }
        if let newRoute { route = newRoute }
        allowUnusualDose = allow || (allowUnusualDose && !doseGiven && newRoute == nil)
    }

    /// The session, normalised, or the first rule broken. `birthDate` is the patient's, when
    /// known; `today` bounds the date.
    public func validated(birthDate: ClinicalDate?, today: ClinicalDate) throws -> KetamineSession {
        guard let date else { throw ModelError.invalid(.date, .required) }
        _ = try Rules.date(date, .date, notAfter: today)
        if let birthDate, date < birthDate { throw ModelError.invalid(.date, .onOrAfterBirthDate) }
        guard let route else { throw ModelError.invalid(.route, .oneOf(Route.allCases.map(\.rawValue))) }
        let weight = try weightKg.map { try Rules.positive($0, .weightKg, maximum: Rules.maxWeightKg, unit: "kg") }
        var perKg = try doseMgPerKg.map { try Rules.positive($0, .doseMgPerKg, maximum: Rules.maxDoseMgPerKg, unit: "mg/kg") }
        let totalMg: Double
        switch (perKg, weight, doseMg) {
        case let (perKg?, weight?, mg?):
            let given = try Rules.positive(mg, .doseMg, maximum: Rules.maxDoseMg, unit: "mg")
            guard abs(perKg * weight - given) <= max(0.5, given * 0.005) else {
                throw ModelError.invalid(.doseMg, .doseAgreesWithWeight)
            }
            totalMg = given
        case let (perKg?, weight?, nil):
            totalMg = (perKg * weight * 100).rounded() / 100
        case (_?, nil, _):
            throw ModelError.invalid(.weightKg, .weightForDosePerKg)
        case let (nil, weight, mg?):
            totalMg = try Rules.positive(mg, .doseMg, maximum: Rules.maxDoseMg, unit: "mg")
            if let weight { perKg = (mg / weight * 1000).rounded() / 1000 }
        case (nil, _, nil):
            throw ModelError.invalid(.dose, .doseGiven)
        }
        _ = try Rules.positive(totalMg, .doseMg, maximum: Rules.maxDoseMg, unit: "mg")
        if let perKg { _ = try Rules.positive(perKg, .doseMgPerKg, maximum: Rules.maxDoseMgPerKg, unit: "mg/kg") }
        let inBand: Bool
        switch route.band {
        case .mgPerKg(let range):
            guard let perKg else { throw ModelError.invalid(.weightKg, .weightForRoute(route)) }
            inBand = range.contains((perKg * 1000).rounded() / 1000)
        case .mg(let range, let step):
            let multiple = step.map { abs(totalMg / $0 - (totalMg / $0).rounded()) < 1e-9 } ?? true
            inBand = range.contains(totalMg) && multiple
        }
        if !inBand && !allowUnusualDose { throw ModelError.invalid(.dose, .withinBand(route)) }
        if route.needsDuration && durationMin == nil { throw ModelError.invalid(.durationMin, .requiredForRoute(route)) }
        let duration = try durationMin.map { try Rules.wholeNumber($0, .durationMin, in: Rules.durationMin) }
        let events = try adverseEvents.compactMap { event -> String? in
            let value = try Rules.text(event, .adverseEvents, limit: Rules.maxAdverseEvent)
            if let value, value.utf8.contains(UInt8(ascii: ";")) { throw ModelError.invalid(.adverseEvents, .noSemicolon) }
            return value
        }
        return KetamineSession(date: date, time: time, route: route, doseMgPerKg: perKg, weightKg: weight, doseMg: totalMg,
                               durationMin: duration, practitioner: try Rules.requiredText(practitioner, .practitioner),
                               counselor: try Rules.text(counselor, .counselor),
                               notes: try Rules.text(notes, .notes, multiline: true, limit: Rules.maxNotes),
                               adverseEvents: events, unusualDoseAllowed: !inBand, monitoring: try monitoring.validated())
    }
}
