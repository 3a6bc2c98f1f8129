/// A drug screen (DESIGN "Drug screen"): which substance was tested for, on which day, the
/// result and, when known, how the sample was taken.
public struct DrugScreen: Sendable, Equatable {
    public var date: ClinicalDate
    public var substance: Substance
    public var result: ScreenResult
    public var method: ScreenMethod?

    /// A record as stored; use `DrugScreenDraft.validated` to make one from input.
    public init(date: ClinicalDate, substance: Substance, result: ScreenResult, method: ScreenMethod? = nil) {
        (self.date, self.substance, self.result, self.method) = (date, substance, result, method)
    }

    /// This record as a draft, for an amendment to change.
    public var draft: DrugScreenDraft { DrugScreenDraft(date: date, substance: substance, result: result, method: method) }
}

/// A drug screen as entered.
public struct DrugScreenDraft: Sendable, Equatable {
    public var date: ClinicalDate?
    public var substance: Substance?
    public var result: ScreenResult?
    public var method: ScreenMethod?

    public init(date: ClinicalDate? = nil, substance: Substance? = nil, result: ScreenResult? = nil, method: ScreenMethod? = nil) {
        (self.date, self.substance, self.result, self.method) = (date, substance, result, method)
    }

    /// The screen, or the first rule broken. `birthDate` is the patient's, when known.
    public func validated(birthDate: ClinicalDate?, today: ClinicalDate) throws -> DrugScreen {
        let date = try Rules.recordDate(date, birthDate: birthDate, today: today)
        guard let substance else { throw ModelError.invalid(.substance, .oneOf(Substance.allCases.map(\.rawValue))) }
        guard let result else { throw ModelError.invalid(.result, .oneOf(ScreenResult.allCases.map(\.rawValue))) }
        return DrugScreen(date: date, substance: substance, result: result, method: method)
    }
}
