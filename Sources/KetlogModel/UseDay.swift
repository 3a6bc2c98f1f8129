/// One day of the daily-use calendar (Timeline Followback; DESIGN "Daily use"): whether the
/// patient used that day, of which substance when given, and how much as they said it.
public struct UseDay: Sendable, Equatable {
    public var date: ClinicalDate
    public var used: Bool
    public var substance: Substance?
    public var amount: String?

    /// A record as stored; use `UseDayDraft.validated` to make one from input.
    public init(date: ClinicalDate, used: Bool, substance: Substance? = nil, amount: String? = nil) {
        (self.date, self.used, self.substance, self.amount) = (date, used, substance, amount)
    }

    /// This record as a draft, for an amendment to change.
    public var draft: UseDayDraft { UseDayDraft(date: date, used: used, substance: substance, amount: amount) }
}

/// A day as entered (one of a range is one draft per day).
public struct UseDayDraft: Sendable, Equatable {
    public var date: ClinicalDate?
    public var used: Bool?
    public var substance: Substance?
    public var amount: String?

    public init(date: ClinicalDate? = nil, used: Bool? = nil, substance: Substance? = nil, amount: String? = nil) {
        (self.date, self.used, self.substance, self.amount) = (date, used, substance, amount)
    }

    /// The day, or the first rule broken. `birthDate` is the patient's, when known.
    public func validated(birthDate: ClinicalDate?, today: ClinicalDate) throws -> UseDay {
        let date = try Rules.recordDate(date, birthDate: birthDate, today: today)
        guard let used else { throw ModelError.invalid(.used, .oneOf(["yes", "no"])) }
        return UseDay(date: date, used: used, substance: substance, amount: try Rules.text(amount, .amount))
    }
}
