import KetlogModel
/// One set of measurements during a session (a `vitals` record). The caller has already left out
/// void ones. Every measurement is optional (the store requires at least one).
public struct ReportVitals: Sendable, Hashable {
    /// The store's row id (`vit-N`).
    public var id: Int64
    /// The session's row id (`ReportSession.id`).
    public var sessionID: Int64
    /// The patient's row id (`ReportPatient.id`).
    public var patientID: Int64
    /// pre, minutes after the first dose, or discharge.
    public var at: VitalsMoment
    public var systolic: Int?
    public var diastolic: Int?
    public var heartRate: Int?
    public var spo2: Int?
    public var respiratoryRate: Int?
    /// MOAA/S, 5 awake … 0 unresponsive.
    public var moaas: Int?
    /// CADSS total, 0…92.
    public var cadss: Int?

    public init(id: Int64, sessionID: Int64, patientID: Int64, at: VitalsMoment, systolic: Int? = nil,
                diastolic: Int? = nil, heartRate: Int? = nil, spo2: Int? = nil, respiratoryRate: Int? = nil,
                moaas: Int? = nil, cadss: Int? = nil) {
        (self.id, self.sessionID, self.patientID, self.at) = (id, sessionID, patientID, at)
        (self.systolic, self.diastolic, self.heartRate, self.spo2, self.respiratoryRate, self.moaas, self.cadss)
            = (systolic, diastolic, heartRate, spo2, respiratoryRate, moaas, cadss)
    }

    /// "150/95", or nil without a complete blood pressure.
    var bloodPressure: String? {
        guard let systolic, let diastolic else { return nil }
        return "\(systolic)/\(diastolic)"
    }
}

extension VitalsMoment {
    /// How documents show the moment: `pre`, `40 min`, `discharge` (JSON keeps `text`).
    var label: String {
        if case .minutes(let minutes) = self { return "\(minutes) min" }
        return text
    }
}
