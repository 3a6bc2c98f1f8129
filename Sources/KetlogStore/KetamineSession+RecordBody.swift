import KetlogModel

extension KetamineSession: RecordBody {
    public static let kind = RecordKind.session

    public static func validate(_ draft: SessionDraft, owner: Patient?, today: ClinicalDate) throws -> KetamineSession {
        try draft.validated(birthDate: owner?.birthDate, today: today)
    }

    /// An allowed unusual dose is named in the audit entry, as `--allow-unusual-dose` was given.
    public var auditDetail: String? { unusualDoseAllowed ? "allow-unusual-dose" : nil }

    public func encode(into writer: inout ByteWriter) {
        writer.string(date.description)
        writer.optionalString(time?.description)
        writer.string(route.rawValue)
        writer.optionalDouble(doseMgPerKg)
        writer.optionalDouble(weightKg)
        writer.double(doseMg)
        writer.optionalInt(durationMin.map(Int64.init))
        writer.string(practitioner)
        writer.optionalString(counselor)
        writer.optionalString(notes)
        writer.strings(adverseEvents)
        writer.bool(unusualDoseAllowed)
    }

    public init(from reader: inout ByteReader) throws {
        let date = try ByteReader.parse(ClinicalDate(iso: try reader.string()))
        let time = try reader.optionalString().map { try ByteReader.parse(ClockTime($0)) }
        let route = try ByteReader.parse(Route(rawValue: try reader.string()))
        let perKg = try reader.optionalDouble()
        let weight = try reader.optionalDouble()
        let doseMg = try reader.double()
        let duration = try reader.optionalInt().map { Int($0) }
        self.init(date: date, time: time, route: route, doseMgPerKg: perKg, weightKg: weight, doseMg: doseMg,
                  durationMin: duration, practitioner: try reader.string(), counselor: try reader.optionalString(),
                  notes: try reader.optionalString(), adverseEvents: try reader.strings(),
                  unusualDoseAllowed: try reader.bool())
    }
}
