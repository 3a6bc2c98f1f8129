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
    /// Monitoring (DESIGN "Monitoring"): the vial's lot number, minutes from the first dose to
    /// the end of monitoring and until the patient was ready to leave, sedating co-medications.
    public var monitoring: SessionMonitoring

    /// A record as stored; use `SessionDraft.validated` to make one from input.
    public init(date: ClinicalDate, time: ClockTime? = nil, route: Route, doseMgPerKg: Double? = nil,
                weightKg: Double? = nil, doseMg: Double, durationMin: Int? = nil, practitioner: String,
                counselor: String? = nil, notes: String? = nil, adverseEvents: [String] = [],
                unusualDoseAllowed: Bool = false, monitoring: SessionMonitoring = SessionMonitoring()) {
        (self.date, self.time, self.route, self.doseMgPerKg, self.weightKg, self.doseMg) = (date, time, route, doseMgPerKg, weightKg, doseMg)
        (self.durationMin, self.practitioner, self.counselor, self.notes, self.adverseEvents, self.unusualDoseAllowed)
            = (durationMin, practitioner, counselor, notes, adverseEvents, unusualDoseAllowed)
        self.monitoring = monitoring
    }

    /// This record as a draft, for an amendment to change. The allowance carries over: an
    /// amendment that changes the dose or route decides it again (`SessionDraft.replaceDose`).
    public var draft: SessionDraft {
        SessionDraft(date: date, time: time, route: route, doseMgPerKg: doseMgPerKg, weightKg: weightKg, doseMg: doseMg,
                     durationMin: durationMin, practitioner: practitioner, counselor: counselor, notes: notes,
                     adverseEvents: adverseEvents, allowUnusualDose: unusualDoseAllowed, monitoring: monitoring)
    }
}

/// What a session charts besides the dose (the esketamine REMS monitoring form): every part
/// optional, so sessions recorded before these fields existed have none.
public struct SessionMonitoring: Sendable, Equatable {
    public var lot: String?
    public var monitoringMin: Int?
    public var readyMin: Int?
    public var comedications: [Comedication]

    public init(lot: String? = nil, monitoringMin: Int? = nil, readyMin: Int? = nil, comedications: [Comedication] = []) {
        (self.lot, self.monitoringMin, self.readyMin, self.comedications) = (lot, monitoringMin, readyMin, comedications)
    }

    /// Nothing was charted.
    public var isEmpty: Bool { lot == nil && monitoringMin == nil && readyMin == nil && comedications.isEmpty }

    /// The monitoring normalised (the lot trimmed, co-medications once each in the order given),
    /// or the first rule broken: monitoring 0–1440 minutes, ready 0–1440 and not after the
    /// monitoring ended.
    public func validated() throws -> SessionMonitoring {
        let monitoring = try monitoringMin.map { try Rules.wholeNumber($0, .monitoringMin, in: Rules.monitoringMin) }
        let ready = try readyMin.map { try Rules.wholeNumber($0, .readyMin, in: Rules.readyMin) }
        if let monitoring, let ready, ready > monitoring { throw ModelError.invalid(.readyMin, .atMost(.monitoringMin)) }
        var seen = Set<Comedication>()
        return SessionMonitoring(lot: try Rules.text(lot, .lot, limit: Rules.maxLot), monitoringMin: monitoring, readyMin: ready,
                                 comedications: comedications.filter { seen.insert($0).inserted })
    }
}
