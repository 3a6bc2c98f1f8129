/// A check-in as entered: every field optional until `validated` checks the whole.
public struct ScoreDraft: Sendable, Equatable {
    public var date: ClinicalDate?
    public var craving: Int?
    public var useDays: Int?
    /// nil: the default window of 28 days.
    public var windowDays: Int?
    public var substance: Substance?

    public init(date: ClinicalDate? = nil, craving: Int? = nil, useDays: Int? = nil, windowDays: Int? = nil,
                substance: Substance? = nil) {
        (self.date, self.craving, self.useDays, self.windowDays, self.substance)
            = (date, craving, useDays, windowDays, substance)
    }

    /// The window the use days count in.
    public var effectiveWindowDays: Int { windowDays ?? Rules.defaultWindowDays }

    /// The score, or the first rule broken. `birthDate` is the patient's, when known.
    public func validated(birthDate: ClinicalDate?, today: ClinicalDate) throws -> Score {
        guard let date else { throw ModelError.invalid(.date, .required) }
        _ = try Rules.date(date, .date, notAfter: today)
        if let birthDate, date < birthDate { throw ModelError.invalid(.date, .onOrAfterBirthDate) }
        guard let craving else { throw ModelError.invalid(.craving, .wholeNumber(Rules.craving)) }
        let validCraving = try Rules.wholeNumber(craving, .craving, in: Rules.craving)
        let window = try Rules.wholeNumber(effectiveWindowDays, .windowDays, in: Rules.windowDays)
        guard let useDays else { throw ModelError.invalid(.useDays, .wholeNumber(0...window)) }
        return Score(date: date, craving: validCraving,
                     useDays: try Rules.wholeNumber(useDays, .useDays, in: 0...window), windowDays: window,
                     substance: substance)
    }
}
