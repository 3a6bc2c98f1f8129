import KetlogModel

extension Patient: RecordBody {
    public static let kind = RecordKind.patient

    public static func validate(_ draft: PatientDraft, owner: Patient?, today: ClinicalDate) throws -> Patient {
        try draft.validated(today: today)
    }

    public func encode(into writer: inout ByteWriter) {
        writer.string(code)
        writer.optionalString(name)
        writer.optionalString(birthDate?.description)
        writer.optionalString(sex?.rawValue)
        writer.strings(substances.map(\.rawValue))
        writer.optionalString(notes)
    }

    public init(from reader: inout ByteReader) throws {
        let code = try reader.string()
        let name = try reader.optionalString()
        let birthDate = try reader.optionalString().map { try ByteReader.parse(ClinicalDate(iso: $0)) }
        let sex = try reader.optionalString().map { try ByteReader.parse(Sex(rawValue: $0)) }
        let substances = try reader.strings().map { try ByteReader.parse(Substance(rawValue: $0)) }
        self.init(code: code, name: name, birthDate: birthDate, sex: sex, substances: substances,
                  notes: try reader.optionalString())
    }
}
