/// One ketamine administration with its integration-counseling notes and adverse events.
public struct KetamineSession: Sendable, Equatable {
    public var date: ClinicalDate
    public var time: ClockTime?
    public var route: Route
    /// Weight-based dose, when known (computed from mg and weight when both were given).
    public var doseMgPerKg: Double?
    public var weightKg: Double?
    /// Total dose (computed from mg/kg × weight when not given).
    public var doseMg: Double
    public var durationMin: Int?
    public var practitioner: String
    public var counselor: String?
    public var notes: String?
    public var adverseEvents: [String]
    /// The dose lay outside the route's band and was allowed (`--allow-unusual-dose`).
    public var unusualDoseAllowed: Bool

    /// A record as stored; use `SessionDraft.validated` to make one from input.
    public init(date: ClinicalDate, time: ClockTime? = nil, route: Route, doseMgPerKg: Double? = nil,
                weightKg: Double? = nil, doseMg: Double, durationMin: Int? = nil, practitioner: String,
                counselor: String? = nil, notes: String? = nil, adverseEvents: [String] = [],
                unusualDoseAllowed: Bool = false) {
        (self.date, self.time, self.route, self.doseMgPerKg, self.weightKg, self.doseMg) = (date, time, route, doseMgPerKg, weightKg, doseMg)
        (self.durationMin, self.practitioner, self.counselor, self.notes, self.adverseEvents, self.unusualDoseAllowed)
            = (durationMin, practitioner, counselor, notes, adverseEvents, unusualDoseAllowed)
    }

    /// This record as a draft, for an amendment to change. The allowance carries over: an
    /// amendment that changes the dose or route decides it again (`SessionDraft.replaceDose`).
    public var draft: SessionDraft {
        SessionDraft(date: date, time: time, route: route, doseMgPerKg: doseMgPerKg, weightKg: weightKg, doseMg: doseMg,
                     durationMin: durationMin, practitioner: practitioner, counselor: counselor, notes: notes,
                     adverseEvents: adverseEvents, allowUnusualDose: unusualDoseAllowed)
    }
}
