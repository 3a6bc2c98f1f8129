/// A patient-reported check-in: craving 0–10 and days of use in the past `windowDays`.
public struct Score: Sendable, Equatable {
    public var date: ClinicalDate
    public var craving: Int
    public var useDays: Int
    public var windowDays: Int
    /// The substance the use days count, when the patient has several.
    public var substance: Substance?

    /// A record as stored; use `ScoreDraft.validated` to make one from input.
    public init(date: ClinicalDate, craving: Int, useDays: Int, windowDays: Int = Rules.defaultWindowDays,
                substance: Substance? = nil) {
        (self.date, self.craving, self.useDays, self.windowDays, self.substance)
            = (date, craving, useDays, windowDays, substance)
    }

    /// This record as a draft, for an amendment to change.
    public var draft: ScoreDraft {
        ScoreDraft(date: date, craving: craving, useDays: useDays, windowDays: windowDays, substance: substance)
    }
}
