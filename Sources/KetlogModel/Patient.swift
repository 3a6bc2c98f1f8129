/// A patient: the clinic's code and what the clinician chose to record about them.
public struct Patient: Sendable, Equatable {
    /// The clinic's patient code (unique ignoring case; see `Rules.patientCode`).
    public var code: String
    public var name: String?
    public var birthDate: ClinicalDate?
    public var sex: Sex?
    /// At least one, each once, in the order recorded.
    public var substances: [Substance]
    public var notes: String?

    /// A record as stored; use `PatientDraft.validated` to make one from input.
    public init(code: String, name: String? = nil, birthDate: ClinicalDate? = nil, sex: Sex? = nil,
                substances: [Substance], notes: String? = nil) {
        (self.code, self.name, self.birthDate, self.sex, self.substances, self.notes)
            = (code, name, birthDate, sex, substances, notes)
    }

    /// This record as a draft, for an amendment to change.
    public var draft: PatientDraft {
        PatientDraft(code: code, name: name, birthDate: birthDate, sex: sex, substances: substances, notes: notes)
    }
}
