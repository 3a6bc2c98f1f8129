/// One set of measurements during a session (DESIGN "Monitoring"): when, and whichever of
/// blood pressure, heart rate, SpO2, respiratory rate, MOAA/S and CADSS were taken.
public struct Vitals: Sendable, Equatable {
    /// The session's row id (`ses-N`): the record belongs to that session and its patient.
    public var sessionID: Int64
    public var at: VitalsMoment
    public var measurements: VitalsMeasurements
    public var note: String?

    /// A record as stored; use `VitalsDraft.validated` to make one from input.
    public init(sessionID: Int64, at: VitalsMoment, measurements: VitalsMeasurements, note: String? = nil) {
        (self.sessionID, self.at, self.measurements, self.note) = (sessionID, at, measurements, note)
    }

    /// This record as a draft, for an amendment to change.
    public var draft: VitalsDraft {
        VitalsDraft(sessionID: sessionID, at: at, measurements: measurements, note: note)
    }
}

/// The measurements of a vitals record, each optional.
public struct VitalsMeasurements: Sendable, Equatable {
    public var systolic: Int?
    public var diastolic: Int?
    public var heartRate: Int?
    public var spo2: Int?
    public var respiratoryRate: Int?
    public var moaas: Int?
    public var cadss: Int?

    public init(systolic: Int? = nil, diastolic: Int? = nil, heartRate: Int? = nil, spo2: Int? = nil,
                respiratoryRate: Int? = nil, moaas: Int? = nil, cadss: Int? = nil) {
        (self.systolic, self.diastolic, self.heartRate, self.spo2) = (systolic, diastolic, heartRate, spo2)
        (self.respiratoryRate, self.moaas, self.cadss) = (respiratoryRate, moaas, cadss)
    }

    /// The fields a vitals record needs at least one of, as `--bp` counts for both pressures.
    public static let fields: [Field] = [.bp, .heartRate, .spo2, .respiratoryRate, .moaas, .cadss]

    /// Every value in its range, systolic above diastolic (the two given together), and at
    /// least one measurement; else the first rule broken.
    public func validated() throws -> VitalsMeasurements {
        let values = [systolic, diastolic, heartRate, spo2, respiratoryRate, moaas, cadss]
        guard values.contains(where: { $0 != nil }) else { throw ModelError.invalid(.measurements, .atLeastOneField(Self.fields)) }
        switch (systolic, diastolic) {
        case (nil, nil): break
        case (nil, _?): throw ModelError.invalid(.bpSystolic, .required)
        case (_?, nil): throw ModelError.invalid(.bpDiastolic, .required)
        case let (sys?, dia?):
            _ = try Rules.wholeNumber(sys, .bpSystolic, in: Rules.systolic)
            _ = try Rules.wholeNumber(dia, .bpDiastolic, in: Rules.diastolic)
            guard sys > dia else { throw ModelError.invalid(.bpSystolic, .above(.bpDiastolic)) }
        }
        func check(_ value: Int?, _ field: Field, _ range: ClosedRange<Int>) throws -> Int? {
            try value.map { try Rules.wholeNumber($0, field, in: range) }
        }
        return VitalsMeasurements(systolic: systolic, diastolic: diastolic,
                                  heartRate: try check(heartRate, .heartRate, Rules.heartRate),
                                  spo2: try check(spo2, .spo2, Rules.spo2),
                                  respiratoryRate: try check(respiratoryRate, .respiratoryRate, Rules.respiratoryRate),
                                  moaas: try check(moaas, .moaas, Rules.moaas), cadss: try check(cadss, .cadss, Rules.cadss))
    }
}

/// Vitals as entered: every field optional until `validated` checks the whole.
public struct VitalsDraft: Sendable, Equatable {
    public var sessionID: Int64?
    public var at: VitalsMoment?
    public var measurements: VitalsMeasurements
    public var note: String?

    public init(sessionID: Int64? = nil, at: VitalsMoment? = nil, measurements: VitalsMeasurements = VitalsMeasurements(),
                note: String? = nil) {
        (self.sessionID, self.at, self.measurements, self.note) = (sessionID, at, measurements, note)
    }

    /// The vitals, or the first rule broken. The session's existence and liveness are the
    /// store's to check.
    public func validated() throws -> Vitals {
        guard let sessionID else { throw ModelError.invalid(.session, .required) }
        guard let at else { throw ModelError.invalid(.at, .vitalsMoment(VitalsMoment.minutesRange)) }
        if case .minutes(let minutes) = at, !VitalsMoment.minutesRange.contains(minutes) {
            throw ModelError.invalid(.at, .vitalsMoment(VitalsMoment.minutesRange))
        }
        return Vitals(sessionID: sessionID, at: at, measurements: try measurements.validated(),
                      note: try Rules.text(note, .note, limit: Rules.maxVitalsNote))
    }
}
