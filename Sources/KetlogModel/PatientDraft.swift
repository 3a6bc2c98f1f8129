/// A patient as entered: every field optional until `validated` checks the whole.
public struct PatientDraft: Sendable, Equatable {
    public var code: String?
    public var name: String?
    public var birthDate: ClinicalDate?
    public var sex: Sex?
    public var substances: [Substance]
    public var notes: String?

    public init(code: String? = nil, name: String? = nil, birthDate: ClinicalDate? = nil, sex: Sex? = nil,
                substances: [Substance] = [], notes: String? = nil) {
        (self.code, self.name, self.birthDate, self.sex, self.substances, self.notes)
            = (code, name, birthDate, sex, substances, notes)
    }

    /// The patient, normalised, or the first rule broken.
    public func validated(today: ClinicalDate) throws -> Patient {
        guard let code else { throw ModelError.invalid(.code, .required) }
        let validCode = try Rules.patientCode(code)
        let validName = try Rules.text(name, .name)
        let birthDate = try birthDate.map { try Rules.date($0, .birthDate, notAfter: today) }
        guard !substances.isEmpty else {
            throw ModelError.invalid(.substances, .atLeastOneOf(Substance.allCases.map(\.rawValue)))
        }
        var unique: [Substance] = []
        for substance in substances where !unique.contains(substance) { unique.append(substance) }
        return Patient(code: validCode, name: validName, birthDate: birthDate,
                       sex: sex, substances: unique,
                       notes: try Rules.text(notes, .notes, multiline: true, limit: Rules.maxNotes))
    }
}
