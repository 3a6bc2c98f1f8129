/// A patient: the clinic's code and what the clinician chose to record about them.
public struct Patient: RecordBody {
    public static let kind = RecordKind.patient

    public var code: String
    public var name: String?
    /// ISO date `YYYY-MM-DD`.
    public var birthDate: String?
    public var sex: String?
    /// From `Substance`; at least one.
    public var substances: [String]
    public var notes: String?

    public init(code: String, name: String? = nil, birthDate: String? = nil, sex: String? = nil,
                substances: [String], notes: String? = nil) {
        self.code = code
        self.name = name
        self.birthDate = birthDate
        self.sex = sex
        self.substances = substances
        self.notes = notes
    }

    public func encode(into writer: inout ByteWriter) {
        writer.string(code)
        writer.optionalString(name)
        writer.optionalString(birthDate)
        writer.optionalString(sex)
        writer.strings(substances)
        writer.optionalString(notes)
    }

    public init(from reader: inout ByteReader) throws {
        code = try reader.string()
        name = try reader.optionalString()
        birthDate = try reader.optionalString()
        sex = try reader.optionalString()
        substances = try reader.strings()
        notes = try reader.optionalString()
    }
}
